"""Pairwise and cluster-level precision, recall and F1 of a clustering against the truth."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    actual: int


def _scores(tp: int, predicted: int, actual: int) -> Scores:
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tp, predicted, actual)


def _pairs(assignment: Mapping[Hashable, Hashable]) -> set[tuple[Hashable, Hashable]]:
    groups: dict[Hashable, list[Hashable]] = defaultdict(list)
    for item, group in assignment.items():
        groups[group].append(item)
    out: set[tuple[Hashable, Hashable]] = set()
    for members in groups.values():
        out.update(combinations(sorted(members, key=str), 2))
    return out


def pairwise_scores(predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> Scores:
    """Over all pairs of records: is a pair in one predicted cluster also one true person?"""
    shared = {k: v for k, v in predicted.items() if k in truth}
    predicted_pairs = _pairs(shared)
    true_pairs = _pairs({k: truth[k] for k in shared})
    return _scores(len(predicted_pairs & true_pairs), len(predicted_pairs), len(true_pairs))


def pair_set_scores(
    predicted_pairs: Iterable[tuple[Hashable, Hashable]], true_pairs: Iterable[tuple[Hashable, Hashable]]
) -> Scores:
    """P/R/F1 of a set of linked pairs (order within a pair ignored), as FEBRL benchmarks report."""
    predicted = {tuple(sorted(p, key=str)) for p in predicted_pairs}
    actual = {tuple(sorted(p, key=str)) for p in true_pairs}
    return _scores(len(predicted & actual), len(predicted), len(actual))


def cluster_scores(predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> Scores:
    """Exact-cluster P/R/F1: a predicted cluster counts when it is exactly one true person's records."""
    shared = [k for k in predicted if k in truth]

    def clusters(assignment: Mapping[Hashable, Hashable]) -> set[frozenset[Hashable]]:
        groups: dict[Hashable, set[Hashable]] = defaultdict(set)
        for k in shared:
            groups[assignment[k]].add(k)
        return {frozenset(g) for g in groups.values()}

    mine, real = clusters(predicted), clusters(truth)
    return _scores(len(mine & real), len(mine), len(real))
