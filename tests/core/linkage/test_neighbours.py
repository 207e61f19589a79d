"""Neighbouring rows: a pair gains when rows next to its two records also match each other."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from rollcall_core.linkage.neighbours import (
    BAYES_FACTOR_BOUNDS,
    SUPPORTER_PROBABILITY,
    neighbour_bayes_factors,
    supported_pairs,
)

# Records 0-5 are rows 0-5 of a shelter register (list 0), records 6-15 rows 0-9 of a border list (list 1).
CODES = np.array([0] * 6 + [1] * 10)
ROWS = np.array([*range(6), *range(10)])


def border(row: int) -> int:
    return 6 + row


def run(pairs: list[tuple[int, int, float]], codes=CODES, rows=ROWS, window: int = 3):
    left, right, probability = (np.array(column) for column in zip(*pairs, strict=True))
    return supported_pairs(left, right, probability, codes, rows, window)


def test_a_pair_whose_neighbouring_rows_match_each_other_is_supported():
    # Shelter rows 1 and 2 are a mother and son; on the border list they are rows 5 and 6.
    supported, eligible = run([(1, border(5), 0.9), (2, border(6), 0.4)])
    assert list(eligible) == [True, True]
    assert list(supported) == [False, True]  # the son's pair is supported by his mother's; hers by nothing


def test_support_needs_the_other_pair_to_be_likely_and_near_on_both_lists():
    weak = SUPPORTER_PROBABILITY - 0.01
    supported, _ = run([(1, border(5), weak), (2, border(6), 0.4)])
    assert not supported[1]  # the neighbouring pair is not likely enough to count
    supported, _ = run([(1, border(1), 0.9), (2, border(6), 0.4)])
    assert not supported[1]  # five rows apart on the border list: not neighbours with a window of 3
    supported, _ = run([(1, border(1), 0.9), (2, border(6), 0.4)], window=5)
    assert supported[1]


def test_a_pair_does_not_support_itself_nor_is_supported_through_its_own_record():
    # Shelter rows 1 and 2 are one person typed twice; both match border row 5: no household in that.
    supported, _ = run([(1, border(5), 0.9), (2, border(5), 0.9)])
    assert not supported.any()


def test_pairs_within_one_list_and_records_without_a_row_or_a_neighbour_cannot_be_supported():
    rows = ROWS.copy()
    rows[3] = -1  # a record with no row (a web submission)
    codes = np.append(CODES, 2)  # record 16: the only record of its list, so it has no neighbour
    rows = np.append(rows, 0)
    supported, eligible = run(
        [(1, border(5), 0.9), (2, 4, 0.9), (3, border(6), 0.9), (16, border(4), 0.9), (2, border(6), 0.4)],
        codes=codes, rows=rows,
    )  # fmt: skip
    assert list(eligible) == [True, False, False, False, True]
    assert list(supported) == [False, False, False, False, True]


def test_the_vectorised_search_agrees_with_the_definition_on_random_lists():
    rng = random.Random(11)
    codes = np.array([rng.randrange(3) for _ in range(120)])
    rows = np.zeros(len(codes), dtype=np.int64)
    for code in range(3):
        members = np.flatnonzero(codes == code)
        order = rng.sample(range(len(members) + 10), len(members))  # rows with gaps
        rows[members] = order
    rows[rng.sample(range(len(codes)), 5)] = -1
    pairs = [(a, b, rng.random()) for a, b in itertools.combinations(range(len(codes)), 2) if rng.random() < 0.05]
    supported, eligible = run(pairs, codes=codes, rows=rows)
    window = 3

    def near(x: int, a: int) -> bool:
        return x != a and codes[x] == codes[a] and rows[x] >= 0 and rows[a] >= 0 and abs(rows[x] - rows[a]) <= window

    strong = [(x, y) for x, y, p in pairs if p >= SUPPORTER_PROBABILITY and codes[x] != codes[y]]
    for k, (a, b, _) in enumerate(pairs):
        has = [any(near(x, r) for x in range(len(codes))) for r in (a, b)]
        assert eligible[k] == (codes[a] != codes[b] and all(has)), (a, b)
        expected = eligible[k] and any(
            (near(x, a) and near(y, b)) or (near(y, a) and near(x, b)) for x, y in strong
        )
        assert supported[k] == expected, (a, b)


def simulated(m: float, u: float, count: int = 20000, seed: int = 3):
    """Pairs with known truth: a calibrated probability from the other evidence (a pair of probability
    p matches with probability p), and support drawn with m / u."""
    rng = np.random.default_rng(seed)
    probability = np.clip(rng.beta(0.6, 0.9, count), 0.001, 0.999)
    match = rng.random(count) < probability
    supported = np.where(match, rng.random(count) < m, rng.random(count) < u)
    lists = np.zeros(count, dtype=np.int64), np.ones(count, dtype=np.int64)
    return match, probability, supported, lists


def test_em_learns_how_often_matches_and_non_matches_have_a_matching_neighbour():
    match, probability, supported, (left, right) = simulated(m=0.7, u=0.03)
    factors, evidence = neighbour_bayes_factors(probability, supported, np.ones(len(match), bool), left, right,
                                                ["shelter", "border", None])  # fmt: skip
    m, u = evidence.pooled
    assert m == pytest.approx(0.7, abs=0.05)
    assert u == pytest.approx(0.03, abs=0.01)
    assert factors[supported].min() > 10 and factors[~supported].max() < 0.5
    assert evidence.by_lists[0][:2] == ("shelter", "border")


def test_support_that_says_nothing_of_matching_leaves_the_pairs_alone():
    # Lists in unrelated orders: neighbours match as often whether the pair matches or not.
    match, probability, supported, (left, right) = simulated(m=0.05, u=0.05)
    factors, _ = neighbour_bayes_factors(probability, supported, np.ones(len(match), bool), left, right,
                                         ["shelter", "border", None])  # fmt: skip
    assert np.all(np.abs(np.log2(factors)) < 0.3)


def test_pairs_that_could_have_no_neighbours_keep_a_factor_of_one_and_no_factor_passes_the_bounds():
    match, probability, supported, (left, right) = simulated(m=0.999, u=0.0001)
    eligible = np.arange(len(match)) % 2 == 0
    factors, _ = neighbour_bayes_factors(probability, supported, eligible, left, right, ["shelter", "border", None])
    assert np.all(factors[~eligible] == 1.0)
    assert factors.max() <= BAYES_FACTOR_BOUNDS[1] and factors.min() >= BAYES_FACTOR_BOUNDS[0]


def _demo_f1(people: int, neighbour_rows: int, tmp_path, shuffle: bool = False) -> float:
    """Pairwise F1 of the demo scenario linked in the core, each record at its row as written or, with
    `shuffle`, at a row drawn at random within its list."""
    import pandas as pd

    from rollcall_core.demo.scenario import write_scenario
    from rollcall_core.formats.table import open_table
    from rollcall_core.linkage.clustering import cluster, split_pairs
    from rollcall_core.linkage.evaluate import pairwise_scores
    from rollcall_core.linkage.features import FEATURE_COLUMNS, INTEGER_FEATURES, has_a_name, prepare_record
    from rollcall_core.linkage.model import train_and_predict

    out = tmp_path / "demo"
    if not out.exists():
        write_scenario(out, people=people, seed=5)
    import csv
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    with (out / manifest["truth"]).open(encoding="utf-8") as handle:
        truth = {(r["list_name"], r["record_id"]): r["person_key"] for r in csv.DictReader(handle)}
    records, source_of, row_of = [], {}, {}
    rng = random.Random(8)
    for item in manifest["lists"]:
        read = list(open_table(out / item["filename"]).rows())
        numbers = list(range(len(read)))
        if shuffle:
            rng.shuffle(numbers)
        for number, row in zip(numbers, read, strict=True):
            key = (item["name"], row.fields.get("record_id", ""))
            source_of[key], row_of[key] = item["name"], number
            records.append(prepare_record(key, row.fields))
    linkable = [r for r in records if has_a_name(r)]
    keys = [r["unique_id"] for r in linkable]
    frame = pd.DataFrame([{**r, "unique_id": i} for i, r in enumerate(linkable)], columns=list(FEATURE_COLUMNS))
    for column in INTEGER_FEATURES:
        frame[column] = frame[column].astype("Int64")
    result = train_and_predict(frame, sources={i: source_of[k] for i, k in enumerate(keys)}, u_max_pairs=1e6,
                               floor=0.05, rows={i: row_of[k] for i, k in enumerate(keys)},
                               neighbour_rows=neighbour_rows)  # fmt: skip
    strong, unsure, _ = split_pairs(result.pairs, 0.15, 0.4)
    clusters = cluster([r["unique_id"] for r in records], [(keys[a], keys[b], p) for a, b, p in strong],
                       threshold=0.4, source_of=source_of, cohesion=0.4,
                       weak=[(keys[a], keys[b], p) for a, b, p in unsure])  # fmt: skip
    return pairwise_scores(clusters.cluster_of, truth).f1


@pytest.mark.slow
def test_lists_written_household_by_household_link_better_and_shuffled_lists_are_left_as_they_were(tmp_path):
    # The demo writes each list in the order of its people, who come in households of four: a
    # household's members are near each other on every list. At 6,000 people the name pool holds
    # several namesakes for many records, which the neighbouring rows tell apart (measured: pairwise
    # F1 0.897 -> 0.927 at 8,000 people). Shuffled within each list, rows say nothing: the learned
    # factors stay near 1 and F1 within run-to-run noise of linking without them.
    as_written = _demo_f1(6000, 3, tmp_path)
    without = _demo_f1(6000, 0, tmp_path)
    assert as_written > without + 0.015, (as_written, without)
    shuffled_with, shuffled_without = _demo_f1(6000, 3, tmp_path, True), _demo_f1(6000, 0, tmp_path, True)
    assert abs(shuffled_with - shuffled_without) < 0.005, (shuffled_with, shuffled_without)


def test_rows_come_from_a_mapping_or_in_the_records_order_and_a_short_list_of_rows_is_refused():
    from rollcall_core.linkage.neighbours import record_rows

    assert list(record_rows(["a", "b", "c"], {"a": 4, "c": 0})) == [4, -1, 0]
    assert list(record_rows(["a", "b"], [7, 8])) == [7, 8]
    with pytest.raises(ValueError, match="2 row numbers for 3 records"):
        record_rows(["a", "b", "c"], [7, 8])
