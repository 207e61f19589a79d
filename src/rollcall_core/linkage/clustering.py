"""Clusters from scored pairs, under human constraints.

Reviewers' decisions are constraints the model never overrides: a confirmed "same" (must-link)
joins two records whatever the score; a "not the same" (cannot-link) keeps the two records'
clusters apart even when a chain of other strong links would join them (A~C, C~B with A≠B:
the weaker link is the one refused). Pairs are taken strongest first, so a chain is cut at its
weakest joint; pairs of equal probability in the order given (callers give a fixed order).
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Mean probability two clusters need between all their records to join (see `cluster`). Measured on
# 2026-12-02 (core, threshold 0.4, pairwise F1 at 0.2 / 0.4 / 0.5): demo 2,000 people 0.941 / 0.946 /
# 0.941, demo 20,000 0.804 / 0.824 / 0.824, variant 5,000 0.926 / 0.934 / 0.921, variant 20,000 0.838 /
# 0.849 / 0.838 (0.2 was best before the blocking window and the status comparison).
DEFAULT_COHESION = 0.4


@dataclass(frozen=True)
class Clusters:
    cluster_of: dict[Hashable, Hashable]  # record id -> smallest record id of its cluster
    refused: tuple[tuple[Hashable, Hashable], ...]  # above-threshold pairs a cannot-link kept apart

    def members(self) -> dict[Hashable, list[Hashable]]:
        groups: dict[Hashable, list[Hashable]] = {}
        for record, cluster in self.cluster_of.items():
            groups.setdefault(cluster, []).append(record)
        return groups


class _Forest:
    def __init__(self, ids: Iterable[Hashable]) -> None:
        self.parent: dict[Hashable, Hashable] = {i: i for i in ids}
        self.apart: dict[Hashable, set[Hashable]] = {}

    def find(self, item: Hashable) -> Hashable:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def forbid(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        self.apart.setdefault(ra, set()).add(rb)
        self.apart.setdefault(rb, set()).add(ra)

    def can_join(self, ra: Hashable, rb: Hashable) -> bool:
        return rb not in {self.find(x) for x in self.apart.get(ra, ())}

    def join(self, ra: Hashable, rb: Hashable) -> None:
        if len(self.apart.get(ra, ())) < len(self.apart.get(rb, ())):
            ra, rb = rb, ra
        self.parent[rb] = ra
        moved = self.apart.pop(rb, set())
        if moved:
            self.apart.setdefault(ra, set()).update(moved)
            for other in moved:
                bucket = self.apart.setdefault(other, set())
                bucket.discard(rb)
                bucket.add(ra)


def cluster(
    ids: Iterable[Hashable],
    pairs: Iterable[tuple[Hashable, Hashable, float]],
    *,
    threshold: float,
    must_link: Iterable[tuple[Hashable, Hashable]] = (),
    cannot_link: Iterable[tuple[Hashable, Hashable]] = (),
    source_of: Mapping[Hashable, Hashable] | None = None,
    cohesion: float = 0.0,
    weak: Iterable[tuple[Hashable, Hashable, float]] = (),
) -> Clusters:
    """Connected components of pairs with probability >= threshold, human constraints first.

    A must-link that contradicts a cannot-link (the reviewers disagree) is not applied: apart wins,
    since wrongly merging two people hides one of them.

    With `source_of` (record -> list), a list is taken to name each person once: two clusters
    that both hold a record of the same list are joined only through a direct pair of those
    two records (a duplicate within the list), never through records of other lists. Of two
    namesakes on the border list, a thin shelter record joins the one it matches best.

    With `cohesion` above 0, two clusters join only if the mean probability over all pairs of one
    record from each is at least `cohesion` (average linkage on top of single linkage): a record
    with one strong link to a cluster of three and no other scored pair joins it only if that link
    is at least 3 x cohesion. It stops chains, where a thin record joins two richer ones that
    contradict each other, at the cost of a few true joins. A pair counts at its probability if it
    is in `pairs` or `weak` (pairs below the threshold, the review range: they never join clusters
    themselves), and 0 otherwise (not scored, or too weak to keep).
    """
    # Clustering a million records allocates millions of small objects and no reference cycles:
    # the cyclic garbage collector would walk them again and again for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _cluster(ids, pairs, threshold, must_link, cannot_link, source_of, cohesion, weak)
    finally:
        if enabled:
            gc.enable()


def _cluster(
    ids: Iterable[Hashable],
    pairs: Iterable[tuple[Hashable, Hashable, float]],
    threshold: float,
    must_link: Iterable[tuple[Hashable, Hashable]],
    cannot_link: Iterable[tuple[Hashable, Hashable]],
    source_of: Mapping[Hashable, Hashable] | None,
    cohesion: float,
    weak: Iterable[tuple[Hashable, Hashable, float]],
) -> Clusters:
    forest = _Forest(ids)
    sources: dict[Hashable, set[Hashable]] = {}
    if source_of is not None:
        sources = {i: {source_of[i]} for i in forest.parent if i in source_of}
    for a, b in cannot_link:
        if a in forest.parent and b in forest.parent:
            forest.forbid(a, b)
    linked: set[Hashable] = set()
    for a, b in must_link:
        if a in forest.parent and b in forest.parent:
            ra, rb = forest.find(a), forest.find(b)
            if ra != rb and forest.can_join(ra, rb):
                forest.join(ra, rb)
                linked.update((a, b))
    refused: list[tuple[Hashable, Hashable]] = []
    pairs = pairs if isinstance(pairs, list) else list(pairs)
    strong = sorted((p for p in pairs if p[2] >= threshold), key=lambda p: -p[2])
    # For cohesion: the members of every cluster of more than one record (a root missing here is
    # alone), and each record's scored pairs (strong and weak) as one flat list [other, probability,
    # other, ...] (a tuple per pair would be millions of objects for the garbage collector to walk at
    # 1M records).
    members: dict[Hashable, list[Hashable]] = {}
    near: dict[Hashable, list[Any]] = {}
    if cohesion:
        for item in linked:
            root = forest.find(item)
            if root != item:
                members.setdefault(root, [root]).append(item)
        for a, b, p in itertools.chain(pairs, (w for w in weak if w[2] < threshold)):
            near.setdefault(a, []).extend((b, p))
            near.setdefault(b, []).extend((a, p))
    for a, b, p in strong:
        if a not in forest.parent or b not in forest.parent:
            continue
        ra, rb = forest.find(a), forest.find(b)
        if ra == rb:
            continue
        if not forest.can_join(ra, rb):
            refused.append((a, b))
            continue
        if sources:
            shared = sources.get(ra, set()) & sources.get(rb, set())
            if shared and not (source_of is not None and source_of.get(a) == source_of.get(b) in shared):
                continue
        if cohesion and not _cohesive(forest, members, near, ra, rb, p, cohesion):
            continue
        forest.join(ra, rb)
        root = forest.find(ra)
        if cohesion:
            other = rb if root == ra else ra
            members[root] = members.get(root, [root]) + members.pop(other, [other])
        if sources:
            sources[root] = sources.get(ra, set()) | sources.get(rb, set())
    smallest: dict[Hashable, Hashable] = {}
    for item in forest.parent:
        root = forest.find(item)
        if root not in smallest or _key(item) < _key(smallest[root]):
            smallest[root] = item
    cluster_of = {item: smallest[forest.find(item)] for item in forest.parent}
    return Clusters(cluster_of=cluster_of, refused=tuple(refused))


def _cohesive(
    forest: _Forest,
    members: Mapping[Hashable, list[Hashable]],
    near: Mapping[Hashable, list[Any]],
    ra: Hashable,
    rb: Hashable,
    joining: float,
    cohesion: float,
) -> bool:
    """Whether the mean probability over every pair of one record of each cluster reaches
    `cohesion`, a pair not scored counting 0 (found through the smaller cluster's scored pairs, not
    by looking at every pair). The pair joining them is one of those pairs, so when it
    alone is enough (two single records, a record and a pair, with the defaults) nothing is searched.
    """
    left, right = members.get(ra, (ra,)), members.get(rb, (rb,))
    count = len(left) * len(right)
    if joining >= cohesion * count:
        return True
    small, large = (left, rb) if len(left) <= len(right) else (right, ra)
    total = 0.0
    for x in small:
        flat = near.get(x, ())
        total += sum(flat[i + 1] for i in range(0, len(flat), 2) if forest.find(flat[i]) == large)
    return total >= cohesion * count


def _key(item: Hashable) -> tuple[str, str]:
    return (type(item).__name__, f"{item:>20}" if isinstance(item, int) else str(item))


def split_pairs(
    pairs: Any, lower: float, upper: float
) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, float]], int]:
    """Scored pairs (a frame of unique_id_l, unique_id_r, match_probability) for `cluster`: (pairs at
    or above upper, every pair between lower and upper, each strongest first; how many were scored).

    The pairs between the thresholds count in clustering's cohesion and the strongest of them go to
    the review queue. Filtered in numpy: scored pairs can be tens of millions, and a Python tuple
    per pair costs about 150 bytes.
    """
    import numpy as np

    left = pairs["unique_id_l"].to_numpy(dtype=np.int64)
    right = pairs["unique_id_r"].to_numpy(dtype=np.int64)
    probability = pairs["match_probability"].to_numpy(dtype=np.float64)
    high = probability >= upper
    # Strongest first and, among equal probabilities (two namesakes a thin record matches alike),
    # by record ids: DuckDB returns pairs in no fixed order, and clustering takes ties in the order
    # given, so without this two runs on the same records could give different persons.
    ranked = np.flatnonzero(high)
    ranked = ranked[np.lexsort((right[ranked], left[ranked], -probability[ranked]))]
    strong = list(zip(left[ranked].tolist(), right[ranked].tolist(), probability[ranked].tolist(), strict=True))
    middle = np.flatnonzero((probability >= lower) & ~high)
    middle = middle[np.lexsort((right[middle], left[middle], -probability[middle]))]
    unsure = list(
        zip(left[middle].tolist(), right[middle].tolist(), probability[middle].tolist(), strict=True)
    )
    return strong, unsure, len(probability)
