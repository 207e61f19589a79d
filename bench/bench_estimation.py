"""Estimation benchmark: speed of each method, and a simulation study of bias and interval coverage.

python bench/bench_estimation.py [--quick]
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
TRUE_SIZE = 1000


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def simulate(scenario: str, lists: int, rng: np.random.Generator):  # type: ignore[no-untyped-def]
    """A population of TRUE_SIZE people and which lists capture them.

    independent: every list captures each person with probability 0.3 to 0.45;
    heterogeneous: a hard-to-record third of the population is captured at a quarter of the rate
      by every list (the failure case of all methods that assume homogeneity);
    dependent: list 2 captures 70% of those on list 1 and 20% of the others (positive dependence
      between two lists, which log-linear interactions and graphs can model).
    """
    from rollcall_core.estimation import CaptureTable

    base = np.linspace(0.3, 0.45, lists)
    p = np.tile(base, (TRUE_SIZE, 1))
    if scenario == "heterogeneous":
        hard = rng.random(TRUE_SIZE) < 1 / 3
        p[hard] *= 0.25
    captured = rng.random((TRUE_SIZE, lists)) < p
    if scenario == "dependent":
        on_first = captured[:, 0]
        captured[:, 1] = np.where(on_first, rng.random(TRUE_SIZE) < 0.7, rng.random(TRUE_SIZE) < 0.2)
    seen = captured[captured.any(axis=1)].astype(int)
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    return CaptureTable.from_patterns(
        lists=[f"L{i + 1}" for i in range(lists)],
        counts={tuple(int(x) for x in row): int(c) for row, c in zip(patterns, counts, strict=True)},
    )


def study(replicates: int, lcmcr_options: dict[str, int]) -> list[tuple[str, int, str, float, float, int]]:
    from rollcall_core.estimation import EstimationError, estimate

    rows = []
    for scenario in ("independent", "dependent", "heterogeneous"):
        for lists in (3, 4, 5):
            for method in ("loglinear", "dga", "lcmcr"):
                rng = np.random.default_rng(1000 * lists + len(scenario))
                errors, covered, done = [], 0, 0
                for r in range(replicates):
                    table = simulate(scenario, lists, rng)
                    options = lcmcr_options if method == "lcmcr" else {}
                    try:
                        result = estimate(table, method=method, seed=r + 1, **options)
                    except EstimationError:
                        continue
                    done += 1
                    errors.append((result.estimate - TRUE_SIZE) / TRUE_SIZE)
                    covered += result.lower <= TRUE_SIZE <= result.upper
                bias = statistics.mean(errors) if errors else float("nan")
                rows.append((scenario, lists, method, bias, covered / done if done else float("nan"), done))
    return rows


def run(quick: bool = False) -> str:
    from rollcall_core.estimation import CaptureTable, estimate
    from rollcall_core.estimation import lcmcr as lcmcr_module
    from rollcall_core.estimation.dga import posterior
    from rollcall_core.estimation.loglinear import fit_all

    five = CaptureTable.from_csv(MSE / "dga_madigan_york_5lists.csv")
    four = CaptureTable.from_csv(MSE / "rcapture_HIV_4lists.csv")
    repeats = 1 if quick else 3
    loglinear_s = median_seconds(lambda: fit_all(five), repeats)
    dga_s = median_seconds(lambda: posterior(five, max_missing=2000), repeats)
    iterations = 100_000 if quick else 1_000_000
    # Compile once outside the timing (numba caches the machine code on disk after the first run).
    lcmcr_module.sample(four, classes=10, chains=1, burn_in=10, draws=1, thinning=1)
    lcmcr_s = median_seconds(
        lambda: lcmcr_module.sample(
            four, classes=10, chains=1, burn_in=0, draws=1000, thinning=iterations // 1000
        ),
        repeats,
    )
    compiled = lcmcr_module._lcmcr_kernel.AVAILABLE
    verdata = CaptureTable.from_csv(MSE / "verdata_reclutamiento_R1_hombre_1999_20lists.csv")
    start = time.perf_counter()
    estimate(verdata, method="lcmcr", chains=1, burn_in=1000, draws=100, thinning=100)
    verdata_us = (time.perf_counter() - start) / 11_000 * 1e6

    replicates = 3 if quick else 20
    lcmcr_options = {"burn_in": 2000, "draws": 250, "thinning": 20, "chains": 2}
    rows = study(replicates, lcmcr_options)

    out = [
        "## Estimation",
        "",
        "`make bench` (or `python bench/bench_estimation.py`) on a 2-core / 24 GiB machine; medians over "
        f"{repeats} repeat(s).",
        "",
        "| task | seconds |",
        "| --- | --- |",
        f"| all 6,893 hierarchical log-linear models on 5 lists (Madigan & York table) | {loglinear_s:.2f} |",
        f"| graph averaging over 822 decomposable graphs on 5 lists, N - n in 0..2000 | {dga_s:.2f} |",
        f"| {iterations:,} LCMCR iterations, 4 lists (HIV table), K = 10, {'numba' if compiled else 'numpy'} | {lcmcr_s:.2f} |",
        f"| LCMCR on the 20-list verdata table, K = 15: microseconds per iteration | {verdata_us:.0f} |",
        "",
        f"Simulation study: populations of {TRUE_SIZE:,}, {replicates} replicates per row; bias is the mean "
        "relative error of the point estimate, coverage the share of 95% intervals that contain the true "
        f"size. Log-linear: BIC, Cormack profile interval, no bootstrap. DGA: delta = 2^-k, prior 1/N. LCMCR: "
        f"default K, {lcmcr_options['chains']} chains, burn-in {lcmcr_options['burn_in']}, "
        f"{lcmcr_options['draws']} draws at thinning {lcmcr_options['thinning']} each.",
        "",
        "| scenario | lists | method | bias | 95% coverage | tables estimated |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for scenario, lists, method, bias, coverage, done in rows:
        out.append(f"| {scenario} | {lists} | {method} | {bias:+.1%} | {coverage:.2f} | {done} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
