"""Estimation benchmark: every reference number reproduced, and the seconds each method takes.

python bench/bench_estimation.py [--quick] [--long [--long-seed N]]

--long adds the verdata run whose chains cross between the posterior's two regions and agree
(4 chains of 820,000 iterations with split-merge moves and tempering; about 30 minutes on 2 cores).

The simulation study (bias and coverage) is bench/bench_simulation.py.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

MSE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "mse"


def median_seconds(fn: Callable[[], object], repeats: int) -> str:
    """Median wall-clock seconds, with the process's CPU seconds beside them: on a shared machine
    the gap between the two is the time other work took the cores."""
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return f"{statistics.median(walls):.2f} ({statistics.median(cpus):.2f})"


def targets(quick: bool, long: bool, long_seed: int) -> list[str]:
    """Each row of targets.csv beside what rollcall computes."""
    from rollcall_core.estimation import CaptureTable, estimate
    from rollcall_core.estimation.dga import posterior, summarise

    def table(name: str) -> CaptureTable:
        return CaptureTable.from_csv(MSE / f"{name}.csv")

    rows = []
    hiv, lesbian = table("rcapture_HIV_4lists"), table("rcapture_lesbian_4lists")
    r = estimate(hiv)
    rows.append(("HIV, BIC's model: N (se)", "[1,2,3,4]; 11124.58 (904.75)",
                 f"{r.model}; {r.estimate:.2f} ({r.details['stderr']:.2f})"))  # fmt: skip
    r = estimate(hiv, model="[12,3,4]")
    rows.append(("HIV, Mt + c1:c2: N; profile N; 95% interval", "12318.47; 12308.03; 10265.99-14992.33",
                 f"{r.estimate:.2f}; {r.details['profile_estimate']:.2f}; {r.lower:.2f}-{r.upper:.2f}"))  # fmt: skip
    r = estimate(lesbian)
    rows.append(("lesbian, BIC's model: N (se)", "[12;14;23;24;34]; 6349.02 (533.47)",
                 f"{r.model}; {r.estimate:.2f} ({r.details['stderr']:.2f})"))  # fmt: skip
    r = estimate(lesbian, model="[12,13,14]", heterogeneity="darroch")
    rows.append(("lesbian, Darroch with [12;13;14]: N (se); profile N; 95% interval",
                 "7030.66 (687.21); 7015.51; 5836.80-8558.73",
                 f"{r.estimate:.2f} ({r.details['stderr']:.2f}); {r.details['profile_estimate']:.2f}; "
                 f"{r.lower:.2f}-{r.upper:.2f}"))  # fmt: skip
    r = estimate(table("dga_madigan_york_5lists"), method="dga", delta=0.5, max_missing=300)
    rows.append(("dga 5 lists, delta 0.5: mean; median; 2.5%; 97.5%", "617.8; 616; 588; 655",
                 f"{r.details['mean']:.1f}; {r.estimate:.0f}; {r.lower:.0f}; {r.upper:.0f}"))  # fmt: skip
    three = table("dga_madigan_york_3lists")
    post = posterior(three, delta=1, min_missing=1, max_missing=300,
                     log_prior=lambda n: __import__("scipy").stats.gamma.logpdf(n, 13.14, scale=55.17))  # fmt: skip
    totals = post.missing + three.observed
    top = int(np.argmax(post.graph_probabilities))
    by_model, averaged = summarise(totals, post.joint[top], 0.95), summarise(totals, post.averaged, 0.95)
    rows.append(("Madigan & York 3 lists: top graph's probability; Bayes; mode; averaged Bayes; mode",
                 "0.37; 731; 729; 731; 728",
                 f"{post.graph_probabilities[top]:.2f}; {by_model['bayes_relative']:.0f}; {by_model['mode']:.0f}; "
                 f"{averaged['bayes_relative']:.0f}; {averaged['mode']:.0f}"))  # fmt: skip
    verdata = table("verdata_reclutamiento_R1_hombre_1999_20lists")
    draws = 200 if quick else 1000
    r = estimate(verdata, method="lcmcr", chains=4, burn_in=10_000, draws=draws, thinning=100, seed=1)
    pooled = np.asarray(r.draws).reshape(4, draws)
    medians = ", ".join(f"{np.median(c):.0f}" for c in pooled)
    rows.append(("verdata 20 lists, LCMCR K=15: mean; 2.5%; median; 97.5%", "2066; 1396; 2068; 3062",
                 f"{r.details['mean']:.0f}; {r.lower:.0f}; {r.estimate:.0f}; {r.upper:.0f} (4 chains of "
                 f"{10_000 + draws * 100:,} iterations; chain medians {medians}; R-hat {r.diagnostics['rhat']:.2f})"))  # fmt: skip
    # Plain chains stay in the region they land in (docs/estimation.md); chains with split-merge moves
    # and tempering cross between the regions and agree, but only over long runs: --long.
    label = ("verdata, LCMCR K=15 with split-merge moves (5 an iteration) and tempering (10 replicas, 1 to 0.6): "
             "mean; 2.5%; median; 97.5%")  # fmt: skip
    if long:
        r = estimate(verdata, method="lcmcr", chains=4, burn_in=20_000, draws=1000, thinning=800, seed=long_seed,
                     replicas=10, coldest=0.6, split_merge=5)  # fmt: skip
        pooled = np.asarray(r.draws).reshape(4, 1000)
        medians = ", ".join(f"{np.median(c):.0f}" for c in pooled)
        upper = ", ".join(f"{(c > 1800).mean():.0%}" for c in pooled)
        rows.append((label, "2066; 1396; 2068; 3062",
                     f"{r.details['mean']:.0f}; {r.lower:.0f}; {r.estimate:.0f}; {r.upper:.0f} (4 chains of "
                     f"{r.diagnostics['iterations_per_chain']:,} iterations, seed {long_seed}; chain medians {medians}; "
                     f"draws above 1,800: {upper}; R-hat {r.diagnostics['rhat']:.2f})"))  # fmt: skip
    else:
        rows.append((label, "2066; 1396; 2068; 3062",
                     "not run: `--long` runs 4 chains of 820,000 iterations (about 30 minutes on 2 cores)"))  # fmt: skip
    out = ["| target | reference | rollcall |", "| --- | --- | --- |"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return out


def run(quick: bool = False, long: bool = False, long_seed: int = 22) -> str:
    from rollcall_core.estimation import CaptureTable, estimate
    from rollcall_core.estimation import lcmcr as lcmcr_module
    from rollcall_core.estimation.dga import posterior
    from rollcall_core.estimation.loglinear import fit_all

    five = CaptureTable.from_csv(MSE / "dga_madigan_york_5lists.csv")
    four = CaptureTable.from_csv(MSE / "rcapture_HIV_4lists.csv")
    repeats = 1 if quick else 5
    fit_all(five, heterogeneity="all")  # caches which heterogeneity models have full rank
    loglinear_s = median_seconds(lambda: fit_all(five), repeats)
    heterogeneity_s = median_seconds(lambda: fit_all(five, heterogeneity="all"), max(1, repeats // 2))
    averaged_s = median_seconds(lambda: estimate(five, method="loglinear"), max(1, repeats // 2))
    dga_s = median_seconds(lambda: posterior(five, max_missing=2000), repeats)
    iterations = 100_000 if quick else 1_000_000
    # Compile once outside the timing (numba caches the machine code on disk after the first run).
    lcmcr_module.sample(four, classes=10, chains=1, burn_in=10, draws=1, thinning=1)
    lcmcr_s = median_seconds(
        lambda: lcmcr_module.sample(
            four, classes=10, chains=1, burn_in=0, draws=1000, thinning=iterations // 1000
        ),
        max(1, repeats // 2),
    )
    compiled = lcmcr_module._lcmcr_kernel.AVAILABLE
    verdata = CaptureTable.from_csv(MSE / "verdata_reclutamiento_R1_hombre_1999_20lists.csv")
    start = time.perf_counter()
    lcmcr_module.sample(verdata, chains=1, burn_in=1000, draws=100, thinning=100)
    verdata_us = (time.perf_counter() - start) / 11_000 * 1e6
    start = time.perf_counter()
    lcmcr_module.sample(verdata, chains=1, burn_in=100, draws=100, thinning=9, replicas=10, coldest=0.6,
                        split_merge=5)  # fmt: skip
    crossing_us = (time.perf_counter() - start) / 1000 * 1e6

    out = [
        "## Estimation",
        "",
        "`python bench/bench_estimation.py`: every number in shared/reference/mse/targets.csv beside rollcall's. "
        "Deterministic methods must match to the digits shown; the sampler within Monte-Carlo error.",
        "",
        *targets(quick, long, long_seed),
        "",
        f"Seconds, median of {repeats} (fewer for the slowest rows), on the machine above; CPU seconds beside "
        "the wall clock: where they differ, other work had the cores:",
        "",
        "| task | seconds, wall (CPU) |",
        "| --- | --- |",
        f"| all 6,893 hierarchical log-linear models on 5 lists (Madigan & York table), batched Newton | {loglinear_s} |",
        f"| the same with Darroch and Chao variants of each (20,679 fits less those of deficient rank) | {heterogeneity_s} |",
        f"| the default log-linear estimate on 5 lists: all models, BIC, model-averaged profile interval | {averaged_s} |",
        f"| graph averaging over 822 decomposable graphs on 5 lists, N - n in 0..2000 | {dga_s} |",
        f"| {iterations:,} LCMCR iterations, 4 lists (HIV table), K = 10, {'numba' if compiled else 'numpy'} | {lcmcr_s} |",
        f"| LCMCR on the 20-list verdata table, K = 15: microseconds per iteration | {verdata_us:.0f} |",
        f"| the same with split-merge moves (5) and tempering (10 replicas): microseconds per iteration | {crossing_us:.0f} |",
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    seed = int(sys.argv[sys.argv.index("--long-seed") + 1]) if "--long-seed" in sys.argv else 22
    print(run(quick="--quick" in sys.argv, long="--long" in sys.argv, long_seed=seed))
