"""Neighbouring rows: evidence that two records match when the rows next to them match too.

Lists are written down by people, and people arrive together: a family registers at a shelter
one after another, crosses the border in one car, is brought to a hospital together. A record
of a shelter register and a record of the border list are then more likely one person when a
row near the one (within `window` rows, the same list) and a row near the other also match
each other: the pair's households, or the groups they travelled in, line up. Two namesakes on
the border list that a thin shelter record (a name and a ten-year age band) fits equally are
told apart this way, which no field of the records can do (docs/linkage.md).

The evidence is one more comparison with two levels, "a neighbouring pair matches" (a pair of
neighbours scored at or above `SUPPORTER_PROBABILITY`) and "none does", whose m and u are
estimated from the data by EM (as Winkler 1988 estimates m and u), with every other comparison
held fixed and the pairs' current probabilities as the starting posterior. How much it is
worth depends on how the lists were written: for each pair of lists it is estimated from that
pair's own records (shrunk towards the pooled figure by pseudo-counts), so lists in unrelated
orders (sorted by name, shuffled) get a Bayes factor near 1 and nothing changes. It is used
only in the batch run: one new record on its own has no neighbours that have been scored.
This is household linkage in the sense of Fu, Christen and Zhou (2014), who link historical
census households as groups; here a household is only "rows near each other", since lists say
nothing else about who came together.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NEIGHBOUR_ROWS = 3  # the window either side: a household of four on one list spans 3 rows
SUPPORTER_PROBABILITY = 0.5  # a neighbouring pair at least this likely counts as matching
PSEUDO_PAIRS = 20.0  # a list pair's m and u are shrunk towards the pooled ones by this many pairs
BAYES_FACTOR_BOUNDS = (1 / 64, 64.0)  # ±6 bits: one comparison never decides a pair alone
# Pairs below this (on their own evidence and after one_to_one) are left alone: even the largest factor
# (64) leaves them below 0.06, under the review range; at a million records they are most of the 12.7M
# scored pairs.
MIN_PAIR_PROBABILITY = 1e-3


def bounded_bits(m: float, u: float) -> float:
    """log2 of m / u as the factor is applied: within BAYES_FACTOR_BOUNDS."""
    low, high = BAYES_FACTOR_BOUNDS
    return math.log2(min(max(max(m, 1e-300) / max(u, 1e-300), low), high))


@dataclass(frozen=True)
class NeighbourEvidence:
    """What was learned: for each pair of lists (and pooled), m and u of "a neighbouring pair matches"."""

    window: int
    pairs: int  # cross-list pairs that could have support (both records have neighbours)
    supported: int  # of which supported
    pooled: tuple[float, float]  # (m, u) of the supported level
    by_lists: tuple[tuple[str, str, float, float, int], ...]  # (list, list, m, u, pairs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "window": self.window, "pairs": self.pairs, "supported": self.supported,
            "m": self.pooled[0], "u": self.pooled[1],
            "if_so": bounded_bits(*self.pooled), "if_not": bounded_bits(1 - self.pooled[0], 1 - self.pooled[1]),
            "by_lists": [{"lists": [a, b], "m": m, "u": u, "pairs": n, "if_so": bounded_bits(m, u),
                          "if_not": bounded_bits(1 - m, 1 - u)} for a, b, m, u, n in self.by_lists],
        }  # fmt: skip


def _row_lookup(codes: Any, rows: Any) -> tuple[Any, Any, int]:
    """Sorted (list, row) keys of every record with a row, and the record index at each."""
    import numpy as np

    span = int(rows.max()) + 2 if len(rows) else 1
    has = rows >= 0
    keys = codes[has].astype(np.int64) * span + rows[has]
    order = np.argsort(keys, kind="stable")
    return keys[order], np.flatnonzero(has)[order], span


def supported_pairs(
    record_l: Any, record_r: Any, probability: Any, codes: Any, rows: Any, window: int = NEIGHBOUR_ROWS
) -> tuple[Any, Any]:
    """For each scored pair of records (indices into `codes` and `rows`, each record's list code and
    row number on its list, -1 if none), whether a pair of their neighbours matches; and whether it
    could (across lists, both records with a neighbour within `window` rows).

    A supporter (x, y), across lists and at least SUPPORTER_PROBABILITY, lends support to every
    scored pair (a, b) with a within `window` rows of x on x's list and b within `window` of y on
    y's, a != x and b != y (the pair itself and a duplicate next to it lend none). Computed without
    a loop over pairs: each supporter, both ways round, puts an entry (a, y's list, y's row) for
    each neighbour a of x; a pair (a, b) is supported when an entry (a, b's list, r) has r within
    `window` of b's row and not b's row itself.
    """
    import numpy as np

    codes = np.asarray(codes, dtype=np.int64)
    rows = np.asarray(rows, dtype=np.int64)
    record_l = np.asarray(record_l, dtype=np.int64)
    record_r = np.asarray(record_r, dtype=np.int64)
    probability = np.asarray(probability, dtype=float)
    supported = np.zeros(len(record_l), dtype=bool)
    if window < 1 or not len(record_l):
        return supported, supported.copy()
    keys, at, span = _row_lookup(codes, rows)

    def neighbour(records: Any, offset: int) -> Any:
        """The record `offset` rows from each of `records` on its list, or -1."""
        wanted = codes[records] * span + rows[records] + offset
        found = np.searchsorted(keys, wanted)
        found = np.minimum(found, len(keys) - 1)
        ok = (rows[records] >= 0) & (rows[records] + offset >= 0) & (keys[found] == wanted)
        return np.where(ok, at[found], -1)

    offsets = [d for d in range(-window, window + 1) if d]
    has_neighbour = np.zeros(len(codes), dtype=bool)
    everyone = np.arange(len(codes))
    for d in offsets:
        has_neighbour |= neighbour(everyone, d) >= 0
    across = codes[record_l] != codes[record_r]
    eligible = across & has_neighbour[record_l] & has_neighbour[record_r]
    lists = int(codes.max()) + 1 if len(codes) else 1
    strong = np.flatnonzero(across & (probability >= SUPPORTER_PROBABILITY))
    entries = []
    for x, y in ((record_l[strong], record_r[strong]), (record_r[strong], record_l[strong])):
        ok_y = rows[y] >= 0
        for d in offsets:
            a = neighbour(x, d)
            keep = (a >= 0) & ok_y
            entries.append((a[keep] * lists + codes[y[keep]]) * span + rows[y[keep]])
    if not entries:
        return supported, eligible
    table = np.sort(np.concatenate(entries))
    if not len(table):
        return supported, eligible
    # Both ways round: a pair (a, b) is looked up from a's side; the entries hold both orientations.
    base = (record_l * lists + codes[record_r]) * span
    row_b = rows[record_r]
    low = np.searchsorted(table, base + np.maximum(row_b - window, 0), side="left")
    high = np.searchsorted(table, base + row_b + window, side="right")
    at_b = np.searchsorted(table, base + row_b, side="right") - np.searchsorted(table, base + row_b, side="left")
    supported = eligible & (row_b >= 0) & (high - low - at_b > 0)
    return supported, eligible


def neighbour_bayes_factors(
    probability: Any,
    supported: Any,
    eligible: Any,
    list_l: Any,
    list_r: Any,
    names: list[Any],
    window: int = NEIGHBOUR_ROWS,
    iterations: int = 30,
) -> tuple[Any, NeighbourEvidence]:
    """Each pair's Bayes factor from its neighbours (1 where it could have none), by EM over the
    eligible pairs: m = P(supported | match) and u = P(supported | not), weighted by the pairs'
    posterior, with `probability` (every other comparison's verdict) as the starting posterior.

    Each pair of lists gets its own m and u, shrunk towards the pooled ones by PSEUDO_PAIRS pairs:
    whether households line up depends on how each list was written. The factor is bounded by
    BAYES_FACTOR_BOUNDS.
    """
    import numpy as np

    probability = np.clip(np.asarray(probability, dtype=float), 1e-12, 1 - 1e-12)
    factors = np.ones(len(probability))
    rows = np.flatnonzero(eligible)
    if not len(rows):
        return factors, NeighbourEvidence(window, 0, 0, (0.0, 0.0), ())
    s = np.asarray(supported, dtype=bool)[rows]
    p = probability[rows]
    low, high = np.minimum(list_l[rows], list_r[rows]), np.maximum(list_l[rows], list_r[rows])
    groups, group = np.unique(low.astype(np.int64) * (len(names) + 1) + high, return_inverse=True)
    odds = p / (1 - p)
    post = p
    m_pool = u_pool = 0.5
    for _ in range(iterations):
        match, non = post, 1 - post
        m_pool = (np.sum(match * s) + 0.5) / (np.sum(match) + 1)
        u_pool = (np.sum(non * s) + 0.5) / (np.sum(non) + 1)
        m_g = (np.bincount(group, match * s, len(groups)) + PSEUDO_PAIRS * m_pool) / (
            np.bincount(group, match, len(groups)) + PSEUDO_PAIRS
        )
        u_g = (np.bincount(group, non * s, len(groups)) + PSEUDO_PAIRS * u_pool) / (
            np.bincount(group, non, len(groups)) + PSEUDO_PAIRS
        )
        factor = np.where(s, m_g[group] / u_g[group], (1 - m_g[group]) / (1 - u_g[group]))
        factor = np.clip(factor, *BAYES_FACTOR_BOUNDS)
        new = odds * factor / (1 + odds * factor)
        done = float(np.max(np.abs(new - post))) < 1e-6
        post = new
        if done:
            break
    factors[rows] = factor
    counts = np.bincount(group, minlength=len(groups))
    by_lists = tuple(
        (str(names[int(k) // (len(names) + 1)]), str(names[int(k) % (len(names) + 1)]), float(m), float(u), int(n))
        for k, m, u, n in zip(groups, m_g, u_g, counts, strict=True)
    )
    evidence = NeighbourEvidence(window, len(rows), int(s.sum()), (float(m_pool), float(u_pool)), by_lists)
    return factors, evidence


def record_rows(ids: Any, rows: Mapping[Any, int] | Sequence[int] | None) -> Any:
    """Each record's row number on its list (-1 where unknown), in the order of `ids`: from a mapping
    (record id -> row), or from a sequence already in that order (at a million records, what
    `rollcall link` passes: a dict of them took 0.1 GB at the run's peak)."""
    import numpy as np

    if rows is None:
        return np.full(len(ids), -1, dtype=np.int64)
    if not isinstance(rows, Mapping):
        if len(rows) != len(ids):
            raise ValueError(f"rows: {len(rows)} row numbers for {len(ids)} records")
        return np.asarray(rows, dtype=np.int64)
    return np.array([rows.get(i, -1) for i in ids], dtype=np.int64)
