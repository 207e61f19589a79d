"""one_to_one: a list names a person once, so a record's candidates on one list compete."""

from __future__ import annotations

import pandas as pd
import pytest

from rollcall_core.linkage.model import one_to_one

# A shelter register of 100 records and a border list of 200: 79 shelter records have one clear
# match on the border list (most of the shelter's people crossed), which is what sets the share.
SOURCES = {**{f"s{i}": "shelter" for i in range(100)}, **{f"b{i}": "border" for i in range(200)}}
PRIOR = 80 / (100 * 200)
CLEAR = [(f"s{i}", f"b{i}", 20.0) for i in range(1, 80)]


def logit2(p: float) -> float:
    import math

    return math.log2(p / (1 - p))


def scored(pairs: list[tuple[str, str, float]]) -> pd.DataFrame:
    """Scored pairs from each pair's evidence in bits (log2 Bayes factor), with the prior across lists."""
    rows = []
    for a, b, bits in pairs:
        weight = logit2(PRIOR) + bits
        rows.append({"unique_id_l": a, "unique_id_r": b, "match_weight": weight,
                     "match_probability": 1 / (1 + 2**-weight)})  # fmt: skip
    return pd.DataFrame(rows)


def probability(frame: pd.DataFrame, a: str, b: str) -> float:
    row = frame[(frame.unique_id_l == a) & (frame.unique_id_r == b)]
    return float(row.match_probability.iloc[0])


def test_two_equally_good_namesakes_on_one_list_share_the_record_instead_of_both_scoring_high():
    pairs = scored([*CLEAR, ("s0", "b100", 10.0), ("s0", "b101", 10.0)])
    alone = one_to_one(scored([*CLEAR, ("s0", "b100", 10.0)]), SOURCES, PRIOR)
    out = one_to_one(pairs, SOURCES, PRIOR)
    first, second = probability(out, "s0", "b100"), probability(out, "s0", "b101")
    assert first == pytest.approx(second)
    # Pairwise both are 0.80; one candidate alone gets 0.91. From the shelter record's side the two
    # share one place (about 0.43 each); each namesake has no other candidate, and the pair's
    # probability is the geometric mean of both sides: about 0.65 each, below either figure.
    assert probability(pairs, "s0", "b100") == pytest.approx(0.80, abs=0.01)
    assert first < 0.75 * probability(alone, "s0", "b100")
    assert first < probability(pairs, "s0", "b100") - 0.1


def test_a_thin_record_whose_only_candidate_is_on_a_list_that_holds_most_of_its_people_scores_above_its_pairwise_probability():
    # Thin evidence (a name and an age band: 7 bits) gives 0.34 pairwise; "no match on the border
    # list at all" is unlikely for a shelter record, so the one candidate gets more.
    pairs = scored([*CLEAR, ("s0", "b100", 7.0)])
    out = one_to_one(pairs, SOURCES, PRIOR)
    assert probability(pairs, "s0", "b100") < 0.4
    assert probability(out, "s0", "b100") > probability(pairs, "s0", "b100") + 0.1


def test_a_record_with_one_clear_match_keeps_a_high_probability():
    out = one_to_one(scored(CLEAR), SOURCES, PRIOR)
    assert probability(out, "s5", "b5") > 0.99


def test_two_records_of_one_list_keep_their_pairwise_probability():
    pairs = scored([*CLEAR, ("b150", "b151", 10.0)])
    out = one_to_one(pairs, SOURCES, PRIOR)
    assert probability(out, "b150", "b151") == probability(pairs, "b150", "b151")


def test_a_record_of_a_list_of_one_such_as_a_web_submission_keeps_its_pairwise_probability():
    # Its own share of matches cannot be estimated from one record (it would go to 0 or 1).
    sources = {**SOURCES, "w1": "web form 1"}
    pairs = scored([*CLEAR, ("w1", "b100", 7.0)])
    out = one_to_one(pairs, sources, PRIOR)
    assert probability(out, "w1", "b100") == pytest.approx(probability(pairs, "w1", "b100"))


def test_a_pair_far_below_any_floor_keeps_its_own_probability_and_changes_no_other():
    # At a million records most scored pairs are namesakes at 1e-9 or less: they are left out of the
    # competition (ONE_TO_ONE_MIN_PROBABILITY), which they would change by next to nothing.
    from rollcall_core.linkage.model import ONE_TO_ONE_MIN_PROBABILITY

    with_it = scored([*CLEAR, ("s0", "b100", 10.0), ("s0", "b150", -30.0)])
    assert probability(with_it, "s0", "b150") < ONE_TO_ONE_MIN_PROBABILITY
    out, without = one_to_one(with_it, SOURCES, PRIOR), one_to_one(scored([*CLEAR, ("s0", "b100", 10.0)]), SOURCES, PRIOR)
    assert probability(out, "s0", "b150") == probability(with_it, "s0", "b150")
    assert probability(out, "s0", "b100") == pytest.approx(probability(without, "s0", "b100"), rel=1e-9)


def test_two_requests_for_one_person_on_one_list_take_one_place_so_each_keeps_its_match():
    # A border record b100 and two tracing-style records of the shelter list, s0 and s91, that are one
    # person (their own pair is strong): as two namesakes they would split b100 between them.
    duplicates = scored([*CLEAR, ("s0", "b100", 10.0), ("s91", "b100", 10.0), ("s0", "s91", 30.0)])
    namesakes = scored([*CLEAR, ("s0", "b100", 10.0), ("s91", "b100", 10.0), ("s0", "s91", -10.0)])
    alone = one_to_one(scored([*CLEAR, ("s0", "b100", 10.0)]), SOURCES, PRIOR)
    as_one, as_two = one_to_one(duplicates, SOURCES, PRIOR), one_to_one(namesakes, SOURCES, PRIOR)
    assert probability(as_one, "s0", "b100") == pytest.approx(probability(alone, "s0", "b100"), abs=0.01)
    assert probability(as_one, "s91", "b100") == pytest.approx(probability(as_one, "s0", "b100"))
    assert probability(as_two, "s0", "b100") < probability(as_one, "s0", "b100") - 0.1
    # The duplicates' own pair is within one list: untouched either way.
    assert probability(as_one, "s0", "s91") == probability(duplicates, "s0", "s91")


def test_duplicates_join_through_each_other_and_a_weaker_copy_gets_its_own_evidence_not_the_best():
    from rollcall_core.linkage.model import DUPLICATE_MIN_PROBABILITY

    # s0 ~ s91 ~ s92 in a chain (s0 and s92 never scored): one person on the shelter list.
    pairs = scored([*CLEAR, ("s0", "b100", 10.0), ("s91", "b100", 10.0), ("s92", "b100", 4.0),
                    ("s0", "s91", 30.0), ("s91", "s92", 30.0)])  # fmt: skip
    assert probability(pairs, "s91", "s92") >= DUPLICATE_MIN_PROBABILITY
    out = one_to_one(pairs, SOURCES, PRIOR)
    alone = one_to_one(scored([*CLEAR, ("s0", "b100", 10.0)]), SOURCES, PRIOR)
    assert probability(out, "s0", "b100") == pytest.approx(probability(alone, "s0", "b100"), abs=0.01)
    assert probability(out, "s92", "b100") < probability(out, "s0", "b100")
