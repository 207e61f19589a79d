"""Simulation study of multiple systems estimation: bias and 95% interval coverage of each method.

python bench/bench_simulation.py [--quick]

Populations of known size are captured by 3 to 5 lists under three scenarios, each the home
ground of some methods and the failure case of others:

- independent: every list captures every person with the same probability (0.15 to 0.3 by list),
  lists independent. Every method's assumptions hold.
- dependent: as independent, but list 2 captures 60% of the people on list 1 and 10% of the others
  (one list reports to another). Log-linear interactions and decomposable graphs model this; a
  latent class model only approximates it.
- heterogeneous: a third of the population is hard to record, at 0.4 times the others' rate on
  every list, and lists are independent given that. This is LCMCR's model (two latent classes);
  log-linear models without heterogeneity terms and graphs assume it away and underestimate.

Each table is estimated by: the log-linear default (the BIC model's estimate, the model-averaged
profile-likelihood interval of decision 0008); the same with the selected model's own Cormack
interval (as before that decision); the log-linear models
with Darroch and Chao heterogeneity terms in the ranking too; graph averaging (delta = 2^-k, prior
1/N); LCMCR with modest iterations. Coverage is the share of replicates whose 95% interval holds the
true size; its Monte-Carlo standard error is sqrt(c (1 - c) / replicates).
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TRUE_SIZE = 2000
SCENARIOS = ("independent", "dependent", "heterogeneous")
LCMCR_OPTIONS = {"burn_in": 2000, "draws": 250, "thinning": 20, "chains": 2}
METHODS = {
    # label: (method, options)
    "loglinear": ("loglinear", {}),
    "loglinear + heterogeneity": ("loglinear", {"heterogeneity": "all"}),
    "dga": ("dga", {}),
    "lcmcr": ("lcmcr", LCMCR_OPTIONS),
}


SELECTED = "loglinear, selected model's interval"


def simulate(scenario: str, lists: int, rng: np.random.Generator):  # type: ignore[no-untyped-def]
    """A population of TRUE_SIZE people and the capture-history table of those any list saw."""
    from rollcall_core.estimation import CaptureTable

    p = np.tile(np.linspace(0.15, 0.3, lists), (TRUE_SIZE, 1))
    if scenario == "heterogeneous":
        hard = rng.random(TRUE_SIZE) < 1 / 3
        p[hard] *= 0.4
    captured = rng.random((TRUE_SIZE, lists)) < p
    if scenario == "dependent":
        captured[:, 1] = rng.random(TRUE_SIZE) < np.where(captured[:, 0], 0.6, 0.1)
    seen = captured[captured.any(axis=1)].astype(int)
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    return CaptureTable.from_patterns(
        lists=[f"L{i + 1}" for i in range(lists)],
        counts={tuple(int(x) for x in row): int(c) for row, c in zip(patterns, counts, strict=True)},
    )


class Cell:
    """One method on one scenario's tables. (A plain class: bench/run.py loads this file without
    registering it as a module, which dataclasses need.)"""

    def __init__(self, scenario: str, lists: int, label: str) -> None:
        self.scenario, self.lists, self.label = scenario, lists, label
        self.errors: list[float] = []
        self.covered = 0
        self.refused = 0
        self.seconds = 0.0

    @property
    def done(self) -> int:
        return len(self.errors)

    @property
    def coverage(self) -> float:
        return self.covered / self.done if self.done else math.nan

    @property
    def coverage_se(self) -> float:
        c = self.coverage
        return math.sqrt(c * (1 - c) / self.done) if self.done else math.nan


def study(replicates: dict[int, int], labels: tuple[str, ...] = tuple(METHODS)) -> list[Cell]:
    """Every method on the same simulated tables, ``replicates[lists]`` tables per scenario."""
    from rollcall_core.estimation import EstimationError, estimate

    cells: dict[tuple[str, int, str], Cell] = {}
    for scenario in SCENARIOS:
        for lists, count in replicates.items():
            rng = np.random.default_rng([SCENARIOS.index(scenario), lists])
            for r in range(count):
                table = simulate(scenario, lists, rng)
                for label in labels:
                    if label == "loglinear + heterogeneity" and lists == 5:
                        continue  # 20,679 models a table: measured in the speed table, left out here
                    cell = cells.setdefault(
                        (scenario, lists, label), Cell(scenario, lists, label)
                    )
                    method, options = METHODS[label]
                    started = time.perf_counter()
                    try:
                        result = estimate(table, method=method, seed=r + 1, **options)
                    except EstimationError:
                        cell.refused += 1
                        continue
                    finally:
                        cell.seconds += time.perf_counter() - started
                    cell.errors.append((result.estimate - TRUE_SIZE) / TRUE_SIZE)
                    cell.covered += result.lower <= TRUE_SIZE <= result.upper
                    if label == "loglinear":
                        # The same fit's selected-model (Cormack) interval, kept in its details: the
                        # interval of the default before decision 0008, on the same tables.
                        alone = cells.setdefault((scenario, lists, SELECTED), Cell(scenario, lists, SELECTED))
                        low, high = result.details["selected_interval"]
                        alone.errors.append((result.estimate - TRUE_SIZE) / TRUE_SIZE)
                        alone.covered += low <= TRUE_SIZE <= high
    return list(cells.values())


def run(quick: bool = False) -> str:
    from rollcall_core.estimation import DEFAULT_METHOD
    from rollcall_core.estimation import lcmcr as lcmcr_module

    # Compile the sampler once outside the study (numba caches the machine code on disk).
    lcmcr_module.sample(simulate("independent", 3, np.random.default_rng(0)), chains=1, burn_in=10, draws=1)
    replicates = {3: 4, 4: 4, 5: 2} if quick else {3: 80, 4: 60, 5: 60}
    started = time.perf_counter()
    cells = study(replicates)
    minutes = (time.perf_counter() - started) / 60
    out = [
        "## Estimation: simulation study",
        "",
        f"`python bench/bench_simulation.py` ({minutes:.1f} min on the machine above, shared with other work). "
        f"Populations of {TRUE_SIZE:,}; replicates per scenario: "
        + ", ".join(f"{n} with {k} lists" for k, n in replicates.items())
        + ". Scenarios (see the module docstring): independent lists with capture probabilities 0.15 to 0.3; "
        "dependent (list 2 captures 60% of list 1's people, 10% of the others); heterogeneous (a third of the "
        "people at 0.4 times the rate on every list). Bias: mean relative error of the point estimate; "
        "coverage: share of 95% intervals holding the true size, ± its Monte-Carlo standard error. "
        "Log-linear: the BIC model's estimate with the model-averaged profile-likelihood interval (decision 0008), "
        "no bootstrap; selected model's interval: that model's own Cormack interval; + heterogeneity: Darroch and Chao models "
        "ranked with the others (3 and 4 lists only). DGA: delta = 2^-k, prior 1/N. LCMCR: default K, "
        f"{LCMCR_OPTIONS['chains']} chains, burn-in {LCMCR_OPTIONS['burn_in']}, {LCMCR_OPTIONS['draws']} draws "
        f"at thinning {LCMCR_OPTIONS['thinning']}. The default method (`{DEFAULT_METHOD}`) is log-linear for "
        "these tables (3 to 5 lists).",
        "",
        "| scenario | lists | method | bias | 95% coverage | tables estimated | refused | s per table |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in cells:
        bias = statistics.mean(c.errors) if c.errors else math.nan
        total = c.done + c.refused
        seconds = "(the same fit)" if c.label == SELECTED else f"{c.seconds / max(total, 1):.2f}"
        out.append(
            f"| {c.scenario} | {c.lists} | {c.label} | {bias:+.1%} | {c.coverage:.2f} ± {c.coverage_se:.2f} "
            f"| {c.done} | {c.refused} | {seconds} |"
        )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
