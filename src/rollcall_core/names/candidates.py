"""Candidate selection for a name query from a key index, the same in memory and in a database.

A name's keys (`search_keys`) are of two kinds. Pair and initial keys (``p:``, ``i:``) join two
parts of a name and are rare even when each part is common; single-part keys (``t:``) can be
shared by a fifth of a list (every Hovhannisyan). Every key contributes a bounded number of rows
(the lowest ids, so a search is repeatable): the selective keys up to `per_key`, the broad ones
only up to `per_broad_key`, since beyond a few dozen their rows are an arbitrary sample of
namesakes. Candidates are ranked by the keys they share, each weighted by its rarity (an
inverse-frequency weight, as in information retrieval's idf), and only the best `scored` go on
to the full `name_similarity`, which is where a search spends its time.

The index itself is the caller's: `fetch({key: bound})` returns, for each key, at most `bound`
ids in ascending order. The database search reads all of a query's keys in one statement; the
benchmark uses a dictionary.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rollcall_core.names.matching import search_keys

Fetch = Callable[[Mapping[str, int]], Mapping[str, Sequence[int]]]


@dataclass(frozen=True)
class CandidatePolicy:
    """How much work one query may do; every number bounds a cost.

    per_key: rows a pair or initial key may contribute (bounds each index read).
    per_broad_key: rows a single-part key may contribute.
    scored: candidates passed on to the full similarity (bounds the scoring, the dominant cost).
    """

    per_key: int = 200
    per_broad_key: int = 40
    scored: int = 80


# Chosen by recall on the reference pairs among 100,000 distractors (bench/bench_names.py) and by
# latency at 1M records (bench/bench_search.py); docs/names.md gives the figures.
DEFAULT_POLICY = CandidatePolicy()


def is_broad(key: str) -> bool:
    """A single-part key (``t:``), shared by every record with that name part."""
    return key.startswith("t:")


def key_bounds(query: str, policy: CandidatePolicy = DEFAULT_POLICY) -> dict[str, int]:
    """The query's keys, each with the number of rows it may contribute."""
    return {key: policy.per_broad_key if is_broad(key) else policy.per_key for key in sorted(search_keys(query))}


def key_weight(rows: int) -> float:
    """A key shared by few records says more than a common one."""
    return 1.0 / math.log(2 + rows)


def find_candidates(query: str, fetch: Fetch, policy: CandidatePolicy = DEFAULT_POLICY) -> list[int]:
    """Ids sharing keys with the query, best first, at most `policy.scored` of them."""
    bounds = key_bounds(query, policy)
    if not bounds:
        return []
    weights: dict[int, float] = defaultdict(float)
    for key, ids in fetch(bounds).items():
        # A key that filled its bound is at least that common: weigh it as one read to the end
        # would, at the least, and never above a rarer key.
        weight = key_weight(len(ids) if len(ids) < bounds[key] else max(len(ids), policy.per_key))
        for found in ids:
            weights[found] += weight
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return [found for found, _ in ranked[: policy.scored]]
