"""The LCMCR sampler: seeded, several chains with diagnostics, close to the truth on simulated lists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rollcall_core.estimation import CaptureTable, EstimationError, estimate

MSE = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "mse"
SHORT = {"burn_in": 1000, "draws": 200, "thinning": 10, "classes": 5}


def _simulated(size: int, probabilities: list[float], seed: int) -> CaptureTable:
    rng = np.random.default_rng(seed)
    captured = rng.random((size, len(probabilities))) < np.array(probabilities)
    seen = captured[captured.any(axis=1)].astype(int)
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    return CaptureTable.from_patterns(
        lists=[f"L{i + 1}" for i in range(len(probabilities))],
        counts={tuple(int(x) for x in p): int(c) for p, c in zip(patterns, counts, strict=True)},
    )


def test_the_same_seed_gives_the_same_draws():
    table = _simulated(1500, [0.3, 0.4, 0.25, 0.35], seed=5)
    first = estimate(table, method="lcmcr", seed=7, **SHORT)
    second = estimate(table, method="lcmcr", seed=7, **SHORT)
    assert first.draws == second.draws


def test_another_seed_gives_other_draws():
    table = _simulated(1500, [0.3, 0.4, 0.25, 0.35], seed=5)
    assert (
        estimate(table, method="lcmcr", seed=7, **SHORT).draws
        != estimate(table, method="lcmcr", seed=8, **SHORT).draws
    )


def test_its_interval_covers_the_size_of_a_simulated_population_with_independent_lists():
    table = _simulated(2000, [0.3, 0.4, 0.25, 0.35], seed=11)
    result = estimate(table, method="lcmcr", seed=3, **SHORT)
    assert result.lower <= 2000 <= result.upper
    assert result.observed < result.estimate


def test_it_reports_r_hat_and_effective_sample_size_for_its_chains():
    table = _simulated(1500, [0.3, 0.4, 0.25, 0.35], seed=5)
    result = estimate(table, method="lcmcr", seed=7, chains=3, **SHORT)
    assert result.diagnostics["chains"] == 3
    assert result.diagnostics["rhat"] > 0.9
    assert 0 < result.diagnostics["ess"] <= 3 * SHORT["draws"]
    assert len(result.draws) == 3 * SHORT["draws"]


def test_the_numpy_path_agrees_with_the_compiled_one_on_independent_lists():
    table = _simulated(2000, [0.3, 0.4, 0.25, 0.35], seed=11)
    slow = estimate(table, method="lcmcr", seed=3, use_numba=False, **SHORT)
    assert slow.lower <= 2000 <= slow.upper


def test_it_refuses_two_lists():
    table = CaptureTable.from_patterns(lists=["A", "B"], counts={(1, 0): 20, (0, 1): 30, (1, 1): 10})
    with pytest.raises(EstimationError, match="at least 3 lists"):
        estimate(table, method="lcmcr", **SHORT)
