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
