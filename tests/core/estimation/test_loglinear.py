"""Log-linear estimation reproduces Rcapture's published numbers and refuses what it cannot estimate.

Reference values: shared/reference/mse/targets.csv (R package Rcapture 1.4-4 on the HIV and
lesbian tables).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from rollcall_core.estimation import CaptureTable, EstimationError, estimate
from rollcall_core.estimation.loglinear import (
    averaged_interval,
    fit_all,
    fit_model,
    heterogeneity_columns,
    hierarchical_models,
    model_weights,
    parse_model,
    profile_interval,
)

MSE = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "mse"


@pytest.fixture(scope="module")
def hiv() -> CaptureTable:
    return CaptureTable.from_csv(MSE / "rcapture_HIV_4lists.csv")


@pytest.mark.parametrize(("k", "count"), [(3, 8), (4, 113), (5, 6893)])
def test_every_hierarchical_model_is_enumerated(k, count):
    assert len(hierarchical_models(k)) == count


def test_bic_selects_independence_on_the_hiv_table_as_rcapture_does(hiv):
    result = estimate(hiv, method="loglinear")
    assert result.model == "[1,2,3,4]"
    assert round(result.estimate, 2) == 11124.58
    assert round(result.details["stderr"], 2) == 904.75


def test_the_mt_plus_c1c2_model_and_its_cormack_interval_match_rcapture(hiv):
    terms = (frozenset({0, 1}),)
    assert round(fit_model(hiv, terms).estimate, 2) == 12318.47
    profile_n, lower, upper = profile_interval(hiv, terms)
    assert (round(profile_n, 2), round(lower, 2), round(upper, 2)) == (12308.03, 10265.99, 14992.33)


@pytest.fixture(scope="module")
def lesbian() -> CaptureTable:
    return CaptureTable.from_csv(MSE / "rcapture_lesbian_4lists.csv")


def test_bic_selects_the_model_rcapture_selects_on_the_lesbian_table(lesbian):
    result = estimate(lesbian)
    assert result.model == "[12,14,23,24,34]"
    assert round(result.estimate, 2) == 6349.02
    assert round(result.details["stderr"], 2) == 533.47


def test_darroch_heterogeneity_with_three_interactions_matches_rcapture(lesbian):
    result = estimate(lesbian, model="[12,13,14]", heterogeneity="darroch")
    assert result.model == "[12,13,14] + Darroch"
    assert (round(result.estimate, 2), round(result.details["stderr"], 2)) == (7030.66, 687.21)
    assert round(result.details["profile_estimate"], 2) == 7015.51
    assert (round(result.lower, 2), round(result.upper, 2)) == (5836.80, 8558.73)


def test_with_darroch_models_in_the_ranking_bic_prefers_the_darroch_model_rcapture_reports(lesbian):
    result = estimate(lesbian, heterogeneity="all")
    assert result.model == "[12,13,14] + Darroch"
    names = [m["model"] for m in result.details["models"]]
    assert all(" + " in name for name in names[:3])  # heterogeneity models rank with the others


def test_heterogeneity_columns_are_functions_of_the_number_of_captures():
    darroch = heterogeneity_columns(4, "darroch", with_zero=True)[:, 0]
    chao = heterogeneity_columns(4, "chao", with_zero=True)
    captures = np.array([bin(i).count("1") for i in range(16)])
    assert np.array_equal(darroch, captures**2 / 2)
    # Chao's lower bound: (k - 2)+ and (k - 3)+ for 4 lists, zero for people seen once or twice.
    assert np.array_equal(chao, np.column_stack([np.maximum(captures - 2, 0), np.maximum(captures - 3, 0)]))


def test_chao_columns_with_negative_coefficients_are_set_to_zero(lesbian):
    fit = fit_model(lesbian, parse_model("[12,13,14]", 4), heterogeneity="chao")
    full = fit_model(lesbian, parse_model("[12,13,14]", 4))
    # The Chao model has at most two more parameters than the plain one and at least as good a fit.
    assert full.df - 2 <= fit.df <= full.df
    assert fit.deviance <= full.deviance + 1e-9


def test_a_darroch_term_already_spanned_by_all_pairwise_interactions_is_left_out(lesbian):
    darroch = [f for f in fit_all(lesbian, heterogeneity="darroch") if f.heterogeneity == "darroch"]
    all_pairs = {frozenset(p) for p in [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]}
    assert darroch and not any(all_pairs <= set(f.terms) for f in darroch)


def test_fitting_all_models_at_once_gives_each_model_s_own_fit(hiv):
    for fitted in fit_all(hiv)[::7]:
        alone = fit_model(hiv, fitted.terms)
        assert fitted.unstable == alone.unstable
        if not fitted.unstable:
            assert fitted.estimate == pytest.approx(alone.estimate, rel=1e-8)
            assert fitted.bic == pytest.approx(alone.bic, abs=1e-6)


def test_a_model_can_be_named_and_a_malformed_name_is_refused(hiv):
    assert estimate(hiv, model="[12,3,4]").model == "[12,3,4]"
    with pytest.raises(EstimationError, match="generators"):
        estimate(hiv, model="[15]")
    with pytest.raises(EstimationError, match="heterogeneity"):
        estimate(hiv, heterogeneity="lognormal")


def test_the_interval_contains_the_estimate_and_the_observed_count_bounds_it(hiv):
    result = estimate(hiv)
    assert hiv.observed < result.lower < result.estimate < result.upper


def test_aic_can_be_chosen_and_ranks_differently(hiv):
    assert estimate(hiv, criterion="aic").model != "[1,2,3,4]"


def test_a_simulated_population_of_known_size_is_recovered():
    rng = np.random.default_rng(3)
    true_n = 3000
    captured = rng.random((true_n, 4)) < np.array([0.3, 0.25, 0.35, 0.2])
    counts: dict[tuple[int, ...], int] = {}
    for row in captured:
        pattern = tuple(int(x) for x in row)
        if any(pattern):
            counts[pattern] = counts.get(pattern, 0) + 1
    result = estimate(CaptureTable.from_patterns(lists=["a", "b", "c", "d"], counts=counts))
    assert result.lower <= true_n <= result.upper


def test_the_bootstrap_widens_the_interval_for_model_uncertainty(hiv):
    plain = estimate(hiv)
    with_bootstrap = estimate(hiv, replicates=20, seed=5)
    assert with_bootstrap.lower <= plain.lower and with_bootstrap.upper >= plain.upper
    assert len(with_bootstrap.draws or ()) >= 10


def test_all_models_on_five_lists_are_fitted():
    table = CaptureTable.from_csv(MSE / "dga_madigan_york_5lists.csv")
    assert len(fit_all(table)) == 6893


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A,B,Freq\n1,0,5\n0,1,4\n1,1,3\n", "at least 3 lists"),
        ("A,B,C,Freq\n1,0,0,5\n0,1,0,4\n1,1,0,3\n", "no records"),
        ("A,B,C,Freq\n1,0,0,50\n0,1,0,40\n0,0,1,30\n", "no one is on two lists"),
        ("A,B,C,Freq\n1,2,0,5\n", "not 0 or 1"),
        ("A,B,C,Freq\n1,0,0,-5\n", "whole number"),
        ("A,B,C,Freq\n1,0,0,2.5\n", "whole number"),
        ("A,B,C,Freq\n0,0,0,5\n", "all-zero"),
        ("A,B,C,Freq\n1,0,0,5\n1,0,0,6\n", "appears twice"),
        ("A,B,C,Freq\n1,1,0,1\n0,1,1,1\n", "too few"),
        ("A,B,C\n1,1,0\n", "Freq"),
    ],
)
def test_bad_tables_are_refused_with_the_reason(text, reason):
    with pytest.raises(EstimationError, match=reason):
        table = CaptureTable.from_csv(io.StringIO(text))
        estimate(table)


def test_twenty_lists_are_refused_by_log_linear_models_with_what_to_do():
    table = CaptureTable.from_csv(MSE / "verdata_reclutamiento_R1_hombre_1999_20lists.csv")
    with pytest.raises(EstimationError, match="latent-class method.*stratify"):
        estimate(table, method="loglinear")


def test_by_default_twenty_lists_are_estimated_by_latent_classes_and_the_result_says_why():
    table = CaptureTable.from_csv(MSE / "verdata_reclutamiento_R1_hombre_1999_20lists.csv")
    result = estimate(table, chains=2, burn_in=200, draws=50, thinning=2, classes=5)
    assert result.method == "lcmcr"
    assert result.warnings[0] == "20 lists: log-linear handles at most 5; LCMCR used"
    assert result.details["chosen_because"] == result.warnings[0]


def test_by_default_four_lists_are_estimated_by_log_linear_models_without_a_note(hiv):
    result = estimate(hiv)
    assert result.method == "loglinear"
    assert "chosen_because" not in result.details


def test_with_all_the_weight_on_one_model_the_averaged_interval_is_that_model_s_cormack_interval(hiv):
    fit = fit_model(hiv, parse_model("[1,2,3,4]", 4))
    averaged = averaged_interval(hiv, [fit], "bic")
    _, lower, upper = profile_interval(hiv, fit.terms)
    assert averaged.models == 1 and averaged.best_weight == pytest.approx(1.0)
    assert averaged.lower == pytest.approx(lower, rel=1e-4)
    assert averaged.upper == pytest.approx(upper, rel=1e-4)


def test_the_averaged_interval_of_two_models_lies_between_their_own_intervals(hiv):
    fits = [fit_model(hiv, parse_model(name, 4)) for name in ("[1,2,3,4]", "[12,3,4]")]
    intervals = [profile_interval(hiv, f.terms)[1:] for f in fits]
    averaged = averaged_interval(hiv, fits, "bic")
    lows, highs = sorted(i[0] for i in intervals), sorted(i[1] for i in intervals)
    assert averaged.models == 2
    assert lows[0] - 1 <= averaged.lower <= lows[1] + 1
    assert highs[0] - 1 <= averaged.upper <= highs[1] + 1


def test_the_weights_follow_the_criterion_differences():
    weights = model_weights([100.0, 102.0, 110.0])
    assert weights.sum() == pytest.approx(1.0)
    assert weights[1] / weights[0] == pytest.approx(np.exp(-1.0))
    assert weights[0] > weights[1] > weights[2]


def test_a_selected_model_s_interval_carries_the_uncertainty_of_the_choice_and_keeps_its_own(lesbian):
    averaged = estimate(lesbian, method="loglinear")
    alone = estimate(lesbian, method="loglinear", average=False)
    assert averaged.estimate == alone.estimate  # the selected model's estimate, as Rcapture reports it
    assert averaged.details["interval"] == "model-averaged profile likelihood"
    assert alone.details["interval"] == "profile likelihood (Cormack)"
    assert list(averaged.details["selected_interval"]) == [alone.lower, alone.upper]
    assert averaged.lower <= averaged.estimate <= averaged.upper
    assert averaged.details["averaged"]["models"] > 1
    weights = [m["weight"] for m in averaged.details["models"]]
    assert weights == sorted(weights, reverse=True)


def test_a_named_model_keeps_its_own_cormack_interval(hiv):
    result = estimate(hiv, method="loglinear", model="[12,3,4]")
    _, lower, upper = profile_interval(hiv, parse_model("[12,3,4]", 4))
    assert (result.lower, result.upper) == pytest.approx((lower, upper))
    assert "averaged" not in result.details
