from rollcall_core.linkage.clustering import cluster


def test_strong_pairs_join_and_weak_ones_do_not():
    result = cluster([1, 2, 3], [(1, 2, 0.99), (2, 3, 0.2)], threshold=0.9)
    assert result.cluster_of[1] == result.cluster_of[2] != result.cluster_of[3]


def test_a_cannot_link_keeps_two_records_apart_even_through_a_chain():
    result = cluster([1, 2, 3], [(1, 3, 0.99), (3, 2, 0.98)], threshold=0.9, cannot_link=[(1, 2)])
    assert result.cluster_of[1] != result.cluster_of[2]
    assert result.refused == ((3, 2),)


def test_a_must_link_joins_two_records_whatever_their_score():
    result = cluster([1, 2], [(1, 2, 0.01)], threshold=0.9, must_link=[(1, 2)])
    assert result.cluster_of[1] == result.cluster_of[2]


def test_a_cannot_link_wins_over_a_contradicting_must_link():
    result = cluster([1, 2], [], threshold=0.9, must_link=[(1, 2)], cannot_link=[(1, 2)])
    assert result.cluster_of[1] != result.cluster_of[2]


def test_a_record_joins_only_the_best_of_two_namesakes_on_one_list():
    sources = {1: "shelter", 2: "border", 3: "border"}
    result = cluster([1, 2, 3], [(1, 2, 0.97), (1, 3, 0.95)], threshold=0.9, source_of=sources)
    assert result.cluster_of[1] == result.cluster_of[2] != result.cluster_of[3]


def test_two_records_of_one_list_still_join_through_their_own_pair():
    sources = {1: "border", 2: "border"}
    result = cluster([1, 2], [(1, 2, 0.99)], threshold=0.9, source_of=sources)
    assert result.cluster_of[1] == result.cluster_of[2]


def test_with_cohesion_a_thin_record_does_not_chain_two_records_that_do_not_match_each_other():
    # 1 and 3 are namesakes with contradicting details (their pair scored below the threshold);
    # the thin record 2 matches both.
    pairs = [(1, 2, 0.9), (2, 3, 0.85), (1, 3, 0.01)]
    chained = cluster([1, 2, 3], pairs, threshold=0.4)
    assert chained.cluster_of[1] == chained.cluster_of[3]
    result = cluster([1, 2, 3], pairs, threshold=0.4, cohesion=0.5)
    assert result.cluster_of[1] == result.cluster_of[2] != result.cluster_of[3]


def test_with_cohesion_a_record_joins_a_cluster_it_matches_on_every_record():
    pairs = [(1, 2, 0.9), (2, 3, 0.8), (1, 3, 0.7)]
    result = cluster([1, 2, 3], pairs, threshold=0.4, cohesion=0.5)
    assert len(set(result.cluster_of.values())) == 1


def test_cohesion_counts_a_pair_not_scored_as_zero():
    # Joining 3 to {1, 2}: (0.9 + 0 for the pair 2-3 nobody scored) / 2 = 0.45 is below 0.5.
    result = cluster([1, 2, 3], [(1, 2, 0.95), (1, 3, 0.9)], threshold=0.4, cohesion=0.5)
    assert result.cluster_of[1] == result.cluster_of[2] != result.cluster_of[3]


def test_cohesion_counts_a_pair_below_the_threshold_at_its_probability():
    # The same join with 2-3 scored at 0.39 (a thin record's competing candidates, not a
    # contradiction): (0.9 + 0.39) / 2 = 0.645 reaches 0.5, whether the weak pair comes with the
    # pairs or as `weak` (as `rollcall link` passes the review range); it never joins clusters itself.
    strong = [(1, 2, 0.95), (1, 3, 0.9)]
    for result in (
        cluster([1, 2, 3], [*strong, (2, 3, 0.39)], threshold=0.4, cohesion=0.5),
        cluster([1, 2, 3], strong, threshold=0.4, cohesion=0.5, weak=[(2, 3, 0.39)]),
    ):
        assert len(set(result.cluster_of.values())) == 1
    alone = cluster([1, 2, 3], [(1, 2, 0.95)], threshold=0.4, cohesion=0.5, weak=[(2, 3, 0.39)])
    assert alone.cluster_of[1] == alone.cluster_of[2] != alone.cluster_of[3]


def test_cohesion_keeps_a_must_link_and_weighs_a_join_to_it_over_all_its_records():
    result = cluster([1, 2, 3], [(2, 3, 0.9)], threshold=0.4, must_link=[(1, 2)], cohesion=0.9)
    assert result.cluster_of[1] == result.cluster_of[2] != result.cluster_of[3]


def test_pairs_for_clustering_come_strongest_first_and_ties_by_record_ids_whatever_order_they_were_scored_in():
    import pandas as pd

    from rollcall_core.linkage.clustering import split_pairs

    # Scored pairs as DuckDB may return them: in no fixed order, two ties among them.
    scored = pd.DataFrame(
        {
            "unique_id_l": [7, 3, 5, 3, 1, 2],
            "unique_id_r": [9, 8, 6, 4, 9, 4],
            "match_probability": [0.7, 0.7, 0.95, 0.3, 0.3, 0.01],
        }
    )
    strong, unsure, count = split_pairs(scored, lower=0.15, upper=0.4)
    assert strong == [(5, 6, 0.95), (3, 8, 0.7), (7, 9, 0.7)]
    assert unsure == [(1, 9, 0.3), (3, 4, 0.3)]
    assert count == 6
    shuffled = scored.sample(frac=1.0, random_state=3)
    assert split_pairs(shuffled, lower=0.15, upper=0.4)[:2] == (strong, unsure)
