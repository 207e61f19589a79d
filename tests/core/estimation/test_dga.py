"""Madigan & York graph averaging reproduces the R package dga's numbers and refuses what it cannot do.

Reference values: shared/reference/mse/targets.csv (dga 2.0.2: its test suite on Madigan & York's
3-list table, and bma.cr on the 5-list table).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from rollcall_core.estimation import CaptureTable, EstimationError, estimate
from rollcall_core.estimation.dga import decomposable_graphs, posterior, summarise

MSE = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "mse"


@pytest.mark.parametrize(("k", "count"), [(3, 8), (4, 61), (5, 822)])
def test_every_decomposable_graph_is_generated(k, count):
    assert len(decomposable_graphs(k)) == count


def test_the_five_list_average_matches_dga_with_delta_one_half():
    table = CaptureTable.from_csv(MSE / "dga_madigan_york_5lists.csv")
    result = estimate(table, method="dga", delta=0.5, max_missing=300)
    assert round(result.details["mean"], 1) == 617.8
    assert (result.estimate, result.lower, result.upper) == (616, 588, 655)


def _madigan_york_prior(total: np.ndarray) -> np.ndarray:
    # The test's negative-binomial prior with a = 13.14, b = 55.17, as a gamma density on N.
    return stats.gamma.logpdf(total, 13.14, scale=55.17)


def test_the_three_list_example_matches_madigan_and_york_as_dga_reproduces_it():
    table = CaptureTable.from_csv(MSE / "dga_madigan_york_3lists.csv")
    post = posterior(table, delta=1, min_missing=1, max_missing=300, log_prior=_madigan_york_prior)
    totals = post.missing + table.observed
    top = int(np.argmax(post.graph_probabilities))
    assert round(float(post.graph_probabilities[top]), 2) == 0.37
    by_model = summarise(totals, post.joint[top], 0.95)
    assert round(by_model["bayes_relative"]) == 731
    assert by_model["mode"] == 729
    averaged = summarise(totals, post.averaged, 0.95)
    assert round(averaged["bayes_relative"]) == 731
    assert averaged["mode"] == 728


def test_the_result_reports_delta_and_ranks_the_graphs():
    table = CaptureTable.from_csv(MSE / "dga_madigan_york_5lists.csv")
    result = estimate(table, method="dga")
    assert result.details["delta"] == 2.0**-5
    probabilities = [m["posterior_probability"] for m in result.details["models"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert result.lower <= result.estimate <= result.upper


def test_it_refuses_the_twenty_list_table_and_says_to_stratify_or_pick_lists():
    table = CaptureTable.from_csv(MSE / "verdata_reclutamiento_R1_hombre_1999_20lists.csv")
    with pytest.raises(EstimationError, match="stratify"):
        estimate(table, method="dga")


def test_it_warns_when_the_range_of_n_is_too_short():
    table = CaptureTable.from_csv(MSE / "dga_madigan_york_5lists.csv")
    result = estimate(table, method="dga", max_missing=40)
    assert any("max_missing" in w for w in result.warnings)
