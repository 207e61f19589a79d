"""Neighbouring rows: a pair gains when rows next to its two records also match each other."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from rollcall_core.linkage.neighbours import (
    BAYES_FACTOR_BOUNDS,
    NEIGHBOUR_ROWS,
    SUPPORTER_PROBABILITY,
    bands_for,
    level_labels,
    neighbour_bayes_factors,
    support_levels,
)

# Records 0-5 are rows 0-5 of a shelter register (list 0), records 6-15 rows 0-9 of a border list (list 1).
CODES = np.array([0] * 6 + [1] * 10)
ROWS = np.array([*range(6), *range(10)])


def border(row: int) -> int:
    return 6 + row


def run(pairs: list[tuple[int, int, float]], codes=CODES, rows=ROWS, window: int = 3):
    """Whether each pair is supported within `window` rows (one band), and whether it could be."""
    left, right, probability = (np.array(column) for column in zip(*pairs, strict=True))
    level, eligible = support_levels(left, right, probability, codes, rows, (window,))
    return level == 0, eligible


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


def test_the_default_window_is_cut_into_bands_each_a_level_of_its_own():
    assert bands_for(NEIGHBOUR_ROWS) == (3, 12, 30)
    assert bands_for(3) == (3,)  # one window, as LINKAGE_NEIGHBOUR_ROWS = 3 asks
    assert bands_for(5) == (3, 5)
    assert bands_for(0) == ()
    assert level_labels((3, 12)) == [
        "a neighbouring pair matches within 3 rows",
        "a neighbouring pair matches within 12 rows (not 3)",
        "no neighbouring pair matches within 12 rows",
    ]


def test_a_pair_takes_the_narrowest_band_within_which_its_neighbours_match_on_both_lists():
    # Two lists of 60 rows: records 0-59 and 60-119. The pair scored is (row 20, row 20).
    codes = np.array([0] * 60 + [1] * 60)
    rows = np.array([*range(60), *range(60)])

    def level_with(supporter_rows: tuple[int, int]) -> int:
        x, y = supporter_rows
        level, eligible = support_levels(np.array([20, x]), np.array([60 + 20, 60 + y]), np.array([0.3, 0.9]),
                                         codes, rows, (3, 12, 30))  # fmt: skip
        assert eligible[0]
        return int(level[0])

    assert level_with((21, 22)) == 0  # one and two rows away
    assert level_with((21, 28)) == 1  # eight rows away on the second list: the farther side decides
    assert level_with((39, 19)) == 2  # nineteen rows away on the first list
    assert level_with((55, 19)) == 3  # thirty-five rows away: no band holds it
    assert level_with((20, 21)) == 3  # the same record on the first list lends nothing


@pytest.mark.parametrize("bands", [(3,), (2, 5, 9)])
def test_the_vectorised_search_agrees_with_the_definition_on_random_lists(bands):
    rng = random.Random(12)
    codes = np.array([rng.randrange(3) for _ in range(150)])
    rows = np.zeros(len(codes), dtype=np.int64)
    for code in range(3):
        members = np.flatnonzero(codes == code)
        rows[members] = rng.sample(range(len(members) + 10), len(members))  # rows with gaps
    rows[rng.sample(range(len(codes)), 5)] = -1
    pairs = [(a, b, rng.random()) for a, b in itertools.combinations(range(len(codes)), 2) if rng.random() < 0.04]
    left, right, probability = (np.array(column) for column in zip(*pairs, strict=True))
    level, eligible = support_levels(left, right, probability, codes, rows, bands)

    def apart(x: int, a: int) -> int:
        """Rows between two records of one list, or a large number."""
        if x == a or codes[x] != codes[a] or rows[x] < 0 or rows[a] < 0:
            return 10**6
        return abs(int(rows[x]) - int(rows[a]))

    strong = [(x, y) for x, y, p in pairs if p >= SUPPORTER_PROBABILITY and codes[x] != codes[y]]
    for k, (a, b, _) in enumerate(pairs):
        has = [any(apart(x, r) <= bands[-1] for x in range(len(codes))) for r in (a, b)]
        assert eligible[k] == (codes[a] != codes[b] and all(has)), (a, b)
        nearest = min(
            [max(apart(x, a), apart(y, b)) for x, y in strong] + [max(apart(y, a), apart(x, b)) for x, y in strong],
            default=10**6,
        )
        expected = next((i for i, band in enumerate(bands) if nearest <= band), len(bands)) if eligible[k] else len(bands)
        assert level[k] == expected, (a, b, nearest)
    assert 0 < (level < len(bands)).sum() < eligible.sum()  # some pairs supported, not all


def test_em_learns_each_band_and_a_near_match_counts_for_more_than_a_far_one():
    rng = np.random.default_rng(4)
    count = 30000
    probability = np.clip(rng.beta(0.6, 0.9, count), 0.001, 0.999)
    match = rng.random(count) < probability
    m, u = np.array([0.5, 0.2, 0.1, 0.2]), np.array([0.01, 0.04, 0.1, 0.85])
    level = np.where(match, rng.choice(4, count, p=m), rng.choice(4, count, p=u))
    factors, evidence = neighbour_bayes_factors(probability, level, np.ones(count, bool), np.zeros(count, int),
                                                np.ones(count, int), ["shelter", "border", None], (3, 12, 30))  # fmt: skip
    learned_m, learned_u = zip(*evidence.pooled, strict=True)
    assert np.allclose(learned_m, m, atol=0.04) and np.allclose(learned_u, u, atol=0.02)
    by_level = [float(np.median(factors[level == k])) for k in range(4)]
    assert by_level[0] > by_level[1] > 1.5 and by_level[2] == pytest.approx(1, abs=0.3) and by_level[3] < 0.5
    shown = evidence.to_dict()
    assert shown["bands"] == [3, 12, 30] and [e["label"] for e in shown["levels"]] == level_labels((3, 12, 30))
    assert len(shown["by_lists"][0]["weights"]) == 4


def test_no_rows_no_pairs_or_no_bands_leave_every_pair_without_support():
    codes, rows = np.array([0, 0, 1, 1]), np.full(4, -1)  # records from web submissions: no rows at all
    level, eligible = support_levels(np.array([0, 1]), np.array([2, 3]), np.array([0.9, 0.9]), codes, rows, (3, 12))
    assert list(level) == [2, 2] and not eligible.any()
    level, eligible = support_levels(np.array([], dtype=int), np.array([], dtype=int), np.array([]), CODES, ROWS, (3,))
    assert len(level) == 0 and len(eligible) == 0
    level, eligible = support_levels(np.array([1]), np.array([border(5)]), np.array([0.9]), CODES, ROWS, ())
    assert list(level) == [0] and not eligible.any()  # off (window 0): one level, "none", for every pair


def simulated(m: float, u: float, count: int = 20000, seed: int = 3):
    """Pairs with known truth: a calibrated probability from the other evidence (a pair of probability
    p matches with probability p), and support drawn with m / u."""
    rng = np.random.default_rng(seed)
    probability = np.clip(rng.beta(0.6, 0.9, count), 0.001, 0.999)
    match = rng.random(count) < probability
    supported = np.where(match, rng.random(count) < m, rng.random(count) < u)
    lists = np.zeros(count, dtype=np.int64), np.ones(count, dtype=np.int64)
    return match, probability, supported, lists


def levels(supported):
    """One band: level 0 is "supported", level 1 "none"."""
    return np.where(supported, 0, 1)


def test_em_learns_how_often_matches_and_non_matches_have_a_matching_neighbour():
    match, probability, supported, (left, right) = simulated(m=0.7, u=0.03)
    factors, evidence = neighbour_bayes_factors(probability, levels(supported), np.ones(len(match), bool), left,
                                                right, ["shelter", "border", None], (3,))  # fmt: skip
    (m, u), (m_none, u_none) = evidence.pooled
    assert m == pytest.approx(0.7, abs=0.05)
    assert u == pytest.approx(0.03, abs=0.01)
    assert m_none == pytest.approx(1 - m) and u_none == pytest.approx(1 - u)
    assert factors[supported].min() > 10 and factors[~supported].max() < 0.5
    assert evidence.by_lists[0][:2] == ("shelter", "border")


def test_support_that_says_nothing_of_matching_leaves_the_pairs_alone():
    # Lists in unrelated orders: neighbours match as often whether the pair matches or not.
    match, probability, supported, (left, right) = simulated(m=0.05, u=0.05)
    factors, _ = neighbour_bayes_factors(probability, levels(supported), np.ones(len(match), bool), left, right,
                                         ["shelter", "border", None], (3,))  # fmt: skip
    assert np.all(np.abs(np.log2(factors)) < 0.3)


def test_pairs_that_could_have_no_neighbours_keep_a_factor_of_one_and_no_factor_passes_the_bounds():
    match, probability, supported, (left, right) = simulated(m=0.999, u=0.0001)
    eligible = np.arange(len(match)) % 2 == 0
    factors, _ = neighbour_bayes_factors(probability, levels(supported), eligible, left, right,
                                         ["shelter", "border", None], (3,))  # fmt: skip
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
    as_written = _demo_f1(6000, NEIGHBOUR_ROWS, tmp_path)
    without = _demo_f1(6000, 0, tmp_path)
    one_window = _demo_f1(6000, 3, tmp_path)
    assert as_written > one_window > without + 0.015, (as_written, one_window, without)
    shuffled_with = _demo_f1(6000, NEIGHBOUR_ROWS, tmp_path, True)
    shuffled_without = _demo_f1(6000, 0, tmp_path, True)
    assert abs(shuffled_with - shuffled_without) < 0.005, (shuffled_with, shuffled_without)


def test_rows_come_from_a_mapping_or_in_the_records_order_and_a_short_list_of_rows_is_refused():
    from rollcall_core.linkage.neighbours import record_rows

    assert list(record_rows(["a", "b", "c"], {"a": 4, "c": 0})) == [4, -1, 0]
    assert list(record_rows(["a", "b"], [7, 8])) == [7, 8]
    with pytest.raises(ValueError, match="2 row numbers for 3 records"):
        record_rows(["a", "b", "c"], [7, 8])
