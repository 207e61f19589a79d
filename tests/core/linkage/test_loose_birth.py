"""The birth comparison's loose levels learned from the batch's own scored pairs (model.learn_loose_birth_m),
and each pair's level read back by the levels' SQL (model.comparison_levels)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from rollcall_core.linkage.comparisons import (
    BIRTH_M,
    LOOSE_BIRTH_LEVELS,
    birth_comparison,
    standard_comparisons,
)
from rollcall_core.linkage.features import FEATURE_COLUMNS, INTEGER_FEATURES, prepare_record
from rollcall_core.linkage.model import comparison_levels, learn_loose_birth_m, train_and_predict

from .synthetic import lists

BIRTH = birth_comparison()
NON_NULL = [index for index, level in enumerate(BIRTH.levels) if not level.is_null]
LEVEL = {level.label: index for index, level in enumerate(BIRTH.levels)}


def frame_of(records: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame([prepare_record(r["record_id"], r) for r in records], columns=list(FEATURE_COLUMNS))
    for column in INTEGER_FEATURES:
        frame[column] = frame[column].astype("Int64")
    return frame


def m_of(learned: tuple[float, ...], label: str) -> float:
    return learned[NON_NULL.index(LEVEL[label])]


def test_a_loose_level_takes_its_share_of_the_expected_matches_and_the_rest_keep_their_proportions() -> None:
    # Expected matches across lists: 2 "within two years", 6 "age consistent", 2 "same full date".
    levels = np.array([LEVEL["within two years"]] * 2 + [LEVEL["age consistent with birth year"]] * 6
                      + [LEVEL["same full date"]] * 2)  # fmt: skip
    probability = np.ones(len(levels))
    learned = learn_loose_birth_m(BIRTH, levels, probability, np.ones(len(levels), dtype=bool), BIRTH_M)
    assert m_of(learned, "within two years") == pytest.approx(0.2)
    assert sum(learned) == pytest.approx(1.0)
    fixed = dict(zip([BIRTH.levels[i].label for i in NON_NULL], BIRTH_M, strict=True))
    kept = [label for label in fixed if label not in LOOSE_BIRTH_LEVELS]
    # The levels that are not loose keep their fixed ratios to each other.
    first = kept[0]
    for label in kept[1:]:
        assert m_of(learned, label) / m_of(learned, first) == pytest.approx(fixed[label] / fixed[first])


def test_a_loose_level_never_falls_below_its_fixed_m_and_pairs_within_a_list_or_missing_say_nothing() -> None:
    levels = np.array([LEVEL["same full date"], LEVEL["within two years"], LEVEL["missing"]])
    probability = np.array([0.9, 0.9, 0.9])
    across = np.array([True, False, True])  # the "within two years" pair is two records of one list
    learned = learn_loose_birth_m(BIRTH, levels, probability, across, BIRTH_M)
    for label in LOOSE_BIRTH_LEVELS:
        assert m_of(learned, label) == pytest.approx(BIRTH_M[NON_NULL.index(LEVEL[label])])
    assert sum(learned) == pytest.approx(1.0)


def test_with_no_expected_match_the_fixed_m_stays() -> None:
    learned = learn_loose_birth_m(BIRTH, np.array([LEVEL["within two years"]]), np.zeros(1), np.ones(1, dtype=bool), BIRTH_M)
    assert learned == pytest.approx(BIRTH_M)


def test_each_pair_s_level_read_by_sql_is_the_level_the_python_comparison_gives() -> None:
    records, _ = lists(40, seed=5)
    frame = frame_of(records)
    rows = {r["unique_id"]: {k: (None if pd.isna(v) else v) for k, v in r.items()} for r in frame.to_dict("records")}
    ids = list(rows)
    pairs = pd.DataFrame(list(itertools.combinations(ids, 2))[:2000], columns=["unique_id_l", "unique_id_r"])
    comparisons = {c.name: c for c in standard_comparisons()}
    for name in ("birth", "given", "family", "patronymic", "sex", "status"):
        sql = comparison_levels(pairs, frame, comparisons[name])
        python = [comparisons[name].level_of(rows[a], rows[b]) for a, b in pairs.itertuples(index=False)]
        assert sql.tolist() == python, name
    assert comparison_levels(pairs.head(0), frame, BIRTH).tolist() == []


def test_a_pair_naming_a_record_the_features_lack_is_an_error_not_a_silent_shift() -> None:
    records, _ = lists(5, seed=5)
    frame = frame_of(records)
    pairs = pd.DataFrame({"unique_id_l": [frame["unique_id"].iloc[0]], "unique_id_r": ["nobody"]})
    with pytest.raises(ValueError, match="feature table"):
        comparison_levels(pairs, frame, BIRTH)


def test_the_batch_learns_how_loosely_a_shelter_guesses_ages_and_the_saved_model_keeps_it() -> None:
    # A shelter whose volunteers guess ages three years too young for most people: its ranges miss
    # the border list's birth dates by one or two years, which the fixed m (3.5%) calls rare.
    records, truth = lists(300, seed=11)
    for record in records:
        if record["list"] == "shelter" and int(record["record_id"][1:]) % 5:
            low = int(record["age"].split("-")[0]) - 5
            record["age"] = f"{max(low, 0)}-{max(low, 0) + 4}"
    frame = frame_of(records)
    sources = {r["record_id"]: r["list"] for r in records}
    result = train_and_predict(frame, u_max_pairs=2e5, sources=sources)
    rows = {r["unique_id"]: {k: (None if pd.isna(v) else v) for k, v in r.items()} for r in frame.to_dict("records")}
    # The share of true pairs across lists (with a birth level) that fall "within two years".
    by_person: dict[str, list[str]] = {}
    for record_id, person in truth.items():
        by_person.setdefault(person, []).append(record_id)
    counts = np.zeros(len(BIRTH.levels))
    for ids in by_person.values():
        for a, b in itertools.combinations(ids, 2):
            if sources[a] != sources[b]:
                counts[BIRTH.level_of(rows[a], rows[b])] += 1
    true_share = counts[LEVEL["within two years"]] / counts[NON_NULL].sum()
    assert true_share > 0.1  # the data is what the test says it is
    saved = next(levels for c, levels in zip(result.model.comparisons, result.model.levels, strict=True) if c.name == "birth")
    learned = {level.label: level.m for level in saved}
    assert learned["within two years"] == pytest.approx(true_share, rel=0.35)
    assert learned["within two years"] > 2 * BIRTH_M[NON_NULL.index(LEVEL["within two years"])]
    assert math.fsum(m for level in saved if not level.is_null for m in [level.m or 0.0]) == pytest.approx(1.0)
    assert any("loose levels learned" in line for line in result.model.training_log)


def test_without_lists_nothing_is_learned_and_the_fixed_m_stays() -> None:
    records, _ = lists(120, seed=11)
    result = train_and_predict(frame_of(records), u_max_pairs=2e5)
    saved = next(levels for c, levels in zip(result.model.comparisons, result.model.levels, strict=True) if c.name == "birth")
    assert [level.m for level in saved if not level.is_null] == pytest.approx(BIRTH_M)
    assert not any("loose levels learned" in line for line in result.model.training_log)
