"""Estimation: the reference numbers reproduced, and seconds per method (median of repeats).

Run: python bench/bench_estimation.py [--quick]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MSE = ROOT.parent / "shared" / "reference" / "mse"
sys.path.insert(0, str(ROOT / "src"))


def run(quick: bool = False) -> str:
    from rollcall_core.estimation import CaptureTable, estimate
    from rollcall_core.estimation.loglinear import fit_all, fit_model, profile_interval

    repeats = 1 if quick else 3
    hiv = CaptureTable.from_csv(MSE / "rcapture_HIV_4lists.csv")
    five = CaptureTable.from_csv(MSE / "dga_madigan_york_5lists.csv")
    chosen = estimate(hiv)
    mt12 = (frozenset({0, 1}),)
    profile_n, lower, upper = profile_interval(hiv, mt12)
    rows = [
        ("HIV 4 lists, model chosen by BIC", "[1,2,3,4]; 11124.58 (904.75)",
         f"{chosen.model}; {chosen.estimate:.2f} ({chosen.details['stderr']:.2f})"),
        ("HIV 4 lists, Mt + c1:c2: N; profile N; 95% interval", "12318.47; 12308.03; 10265.99-14992.33",
         f"{fit_model(hiv, mt12).estimate:.2f}; {profile_n:.2f}; {lower:.2f}-{upper:.2f}"),
    ]  # fmt: skip

    def timed(action) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    four_seconds = timed(lambda: fit_all(hiv))
    five_seconds = timed(lambda: fit_all(five))
    lines = [
        "## Estimation",
        "",
        "Reference numbers (shared/reference/mse/targets.csv, R package Rcapture 1.4-4) and what rollcall computes:",
        "",
        "| target | reference | rollcall |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        "Bayesian model averaging (dga) and LCMCR targets: not implemented in this version.",
        "",
        f"Seconds (median of {repeats}), command `make bench`:",
        "",
        "| work | seconds |",
        "|---|---:|",
        f"| all 113 hierarchical log-linear models, 4 lists | {four_seconds:.2f} |",
        f"| all 6,893 hierarchical log-linear models, 5 lists | {five_seconds:.2f} |",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
