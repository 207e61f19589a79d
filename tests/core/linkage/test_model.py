"""The Splink model on small synthetic lists (tests/core/linkage/synthetic.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from rollcall_core.linkage.clustering import cluster
from rollcall_core.linkage.evaluate import pairwise_scores
from rollcall_core.linkage.features import FEATURE_COLUMNS, prepare_record
from rollcall_core.linkage.model import ModelWeights, train_and_predict

from .synthetic import lists


def frame_of(records: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame([prepare_record(r["record_id"], r) for r in records], columns=list(FEATURE_COLUMNS))
    for column in ("birth_year", "birth_month", "birth_day", "by_low", "by_high"):
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
