"""The Splink model on small synthetic lists (tests/core/linkage/synthetic.py)."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from rollcall_core.linkage.clustering import cluster
from rollcall_core.linkage.evaluate import pairwise_scores
from rollcall_core.linkage.features import FEATURE_COLUMNS, INTEGER_FEATURES, prepare_record
from rollcall_core.linkage.model import ModelWeights, train_and_predict

from .synthetic import lists


def logit2(p: float) -> float:
    return math.log2(p / (1 - p))


def frame_of(records: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame([prepare_record(r["record_id"], r) for r in records], columns=list(FEATURE_COLUMNS))
    for column in INTEGER_FEATURES:
        frame[column] = frame[column].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def trained():
    records, truth = lists(250, seed=3)
    frame = frame_of(records)
    return records, truth, frame, train_and_predict(frame, u_max_pairs=2e5)


def test_the_model_links_most_records_of_the_same_person_across_scripts(trained):
    records, truth, _, result = trained
    pairs = [
        (a, b, p)
        for a, b, p in result.pairs[["unique_id_l", "unique_id_r", "match_probability"]].itertuples(
            index=False
        )
    ]
    sources = {r["record_id"]: r["list"] for r in records}
    clusters = cluster(list(truth), pairs, threshold=0.6, source_of=sources)
    scores = pairwise_scores(clusters.cluster_of, truth)
    assert scores.f1 > 0.7, scores


def test_the_python_score_agrees_with_splink_on_every_scored_pair(trained):
    _, _, frame, result = trained
    rows = {
        r["unique_id"]: {k: (None if pd.isna(v) else v) for k, v in r.items()}
        for r in frame.to_dict("records")
    }
    model = result.model
    sample = result.pairs.head(200)
    for a, b, weight in sample[["unique_id_l", "unique_id_r", "match_weight"]].itertuples(index=False):
        mine = model.score(rows[a], rows[b]).match_weight
        # Splink adds term-frequency adjustments for common names; without them the weights
        # differ by those adjustments only, which are bounded by a few bits.
        assert abs(mine - weight) < 4.0, (a, b, mine, weight)


def test_a_saved_model_scores_the_same_after_a_round_trip(trained):
    _, _, frame, result = trained
    rows = frame.head(2).to_dict("records")
    rows = [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in rows]
    again = ModelWeights.from_dict(result.model.to_dict())
    assert again.score(rows[0], rows[1]).match_weight == pytest.approx(
        result.model.score(rows[0], rows[1]).match_weight
    )


def test_a_list_that_is_entirely_duplicates_collapses_to_one_record_per_person():
    records, _ = lists(60, seed=5)
    border = [r for r in records if r["list"] == "border"]
    doubled = border + [{**r, "record_id": r["record_id"] + "-again"} for r in border]
    result = train_and_predict(frame_of(doubled), u_max_pairs=1e5)
    pairs = [
        (a, b, p)
        for a, b, p in result.pairs[["unique_id_l", "unique_id_r", "match_probability"]].itertuples(
            index=False
        )
    ]
    clusters = cluster([r["record_id"] for r in doubled], pairs, threshold=0.6)
    for r in border:
        assert clusters.cluster_of[r["record_id"]] == clusters.cluster_of[r["record_id"] + "-again"]


def _two_rows(frame: pd.DataFrame) -> list[dict]:
    rows = frame.head(2).to_dict("records")
    return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in rows]


def test_the_within_list_prior_survives_a_round_trip(trained):
    _, _, _, result = trained
    model = replace(result.model, prior_within=3e-6)
    assert ModelWeights.from_dict(model.to_dict()).prior_within == 3e-6


def test_a_model_saved_without_a_within_list_prior_still_loads_and_scores_every_pair_with_its_one_prior(trained):
    _, _, frame, result = trained
    saved = replace(result.model, prior_within=3e-6).to_dict()
    del saved["prior_within"]
    old = ModelWeights.from_dict(saved)
    a, b = _two_rows(frame)
    assert old.prior_within is None
    assert old.score(a, b, same_list=True).match_weight == pytest.approx(old.score(a, b).match_weight)


def test_two_records_of_one_list_are_scored_with_the_within_list_prior(trained):
    _, _, frame, result = trained
    model = replace(result.model, prior=1e-3, prior_within=1e-5)
    a, b = _two_rows(frame)
    across, within = model.score(a, b), model.score(a, b, same_list=True)
    assert within.match_weight == pytest.approx(across.match_weight - logit2(1e-3) + logit2(1e-5))
    assert model.prior_weight_for(same_list=True) == pytest.approx(logit2(1e-5))
    assert model.prior_weight_for(same_list=False) == pytest.approx(model.prior_weight)


def test_a_list_s_own_within_list_prior_scores_its_pairs_and_other_lists_keep_the_pooled_one(trained):
    _, _, frame, result = trained
    model = replace(result.model, prior=1e-3, prior_within=1e-5, prior_within_list=(("7", 1e-7),))
    a, b = _two_rows(frame)
    pooled = model.score(a, b, same_list=True, list_id=8).match_weight
    own = model.score(a, b, same_list=True, list_id=7).match_weight
    assert own == pytest.approx(pooled - logit2(1e-5) + logit2(1e-7))
    assert model.prior_for(same_list=False, list_id=7) == 1e-3  # across lists: the list does not matter
    assert model.prior_for(same_list=True) == 1e-5


def test_each_list_s_within_list_prior_survives_a_round_trip_and_an_older_model_has_none(trained):
    _, _, _, result = trained
    model = replace(result.model, prior_within=1e-5, prior_within_list=(("7", 1e-7), ("12", 2e-4)))
    loaded = ModelWeights.from_dict(model.to_dict())
    assert dict(loaded.prior_within_list) == {"7": 1e-7, "12": 2e-4}
    saved = model.to_dict()
    del saved["prior_within_list"]
    assert ModelWeights.from_dict(saved).prior_within_list == ()


def test_a_large_table_takes_its_first_prior_from_a_sample_of_records(monkeypatch):
    import rollcall_core.linkage.model as model

    records, _ = lists(300, seed=9)
    frame = frame_of(records)
    whole = train_and_predict(frame, u_max_pairs=2e5, re_estimate_prior=False).model.prior
    monkeypatch.setattr(model, "PRIOR_SAMPLE_RECORDS", len(frame) * 3 // 4)
    sampled = train_and_predict(frame, u_max_pairs=2e5, re_estimate_prior=False).model
    assert any("first prior from a sample" in line for line in sampled.training_log)
    # A share of pairs: a sample of the records estimates it too (here within a factor of two).
    assert whole / 2 < sampled.prior < whole * 2
    assert sampled.prior != whole


def _place_model(rare_m: float | None, rare_u: float | None) -> dict[str, object]:
    levels = [
        {"label_for_charts": "missing", "is_null_level": True},
        {"label_for_charts": "same", "m_probability": 0.8, "u_probability": 0.05},
        {"label_for_charts": "rare", "m_probability": rare_m, "u_probability": rare_u},
        {"label_for_charts": "different", "m_probability": 0.2, "u_probability": 0.95},
    ]
    return {"comparisons": [{"output_column_name": "place", "comparison_levels": levels}]}


def test_a_level_neither_em_nor_the_random_sample_saw_weighs_nothing_instead_of_twelve_bits() -> None:
    from rollcall_core.linkage.model import (
        clamp_m_probabilities,
        floor_u_probabilities,
        unseen_levels,
        weigh_nothing,
    )

    def weights(rare_m: float | None, rare_u: float | None) -> dict[str, float]:
        trained = _place_model(rare_m, rare_u)
        unseen = unseen_levels(trained, 0.005)
        trained = floor_u_probabilities(clamp_m_probabilities(trained, 0.005), 1e-6)
        weigh_nothing(trained, unseen)
        levels = trained["comparisons"][0]["comparison_levels"][1:]  # type: ignore[index]
        assert math.isclose(sum(lv["m_probability"] for lv in levels), 1.0)
        return {lv["label_for_charts"]: math.log2(lv["m_probability"] / lv["u_probability"]) for lv in levels}

    assert weights(None, None)["rare"] == pytest.approx(0.0)  # the floors alone would give +12 bits
    assert weights(1e-4, 0.0)["rare"] == pytest.approx(0.0)
    # Seen by one of them, it keeps what was learned: a level EM saw but the sample did not is strong.
    assert weights(0.05, None)["rare"] > 10
    assert weights(1e-4, 0.01)["rare"] < -1
    assert weights(None, None)["same"] == pytest.approx(math.log2(0.8 / 0.05), abs=0.01)
