"""Neighbouring rows: evidence that two records match when the rows next to them match too.

Lists are written down by people, and people arrive together: a family registers at a shelter
one after another, crosses the border in one car, is brought to a hospital together. A record
of a shelter register and a record of the border list are then more likely one person when a
row near the one (within a few rows, the same list) and a row near the other also match
each other: the pair's households, or the groups they travelled in, line up. Two namesakes on
the border list that a thin shelter record (a name and a ten-year age band) fits equally are
told apart this way, which no field of the records can do (docs/linkage.md).

The evidence is one more comparison whose levels are bands of rows, "a neighbouring pair matches
within 3 rows", "within 12", "within 30" and "none does" (a pair of neighbours scored at or
above `SUPPORTER_PROBABILITY`; the nearer it is, the more it says), whose m and u are
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

# The widest window either side (LINKAGE_NEIGHBOUR_ROWS), and the narrower windows inside it that are
# levels of their own: a matching pair one row away says more than one 25 rows away, and how much
# each says is learned for each pair of lists. Measured (2026-12-04, core, pairwise F1 at 0.4; one
# window of 3 rows -> one of 12 -> bands 3 / 12 / 30): gen3 at 20,000 people 0.899 -> 0.905 -> 0.908,
# at 100,000 people 0.752 -> 0.805 -> 0.813; the demo at 20,000 people 0.906 -> 0.936 -> 0.949; the
# variant at 20,000 people 0.927 -> 0.960 -> 0.964. A family's rows are farther apart on a long list
# whose households arrive at once (93,000 crossings in a week at 100,000 people); bands 3 / 12 / 30 /
# 60 gave the same as 3 / 12 / 30 (demo 0.951, gen3 at 100,000 0.813). Rows in an order that says
# nothing (shuffled) learn factors near 1 at every window (gen3 0.859 with or without).
NEIGHBOUR_ROWS = 30
NARROWER_BANDS = (3, 12)
SUPPORTER_PROBABILITY = 0.5  # a neighbouring pair at least this likely counts as matching
PSEUDO_PAIRS = 20.0  # a list pair's m and u are shrunk towards the pooled ones by this many pairs
BAYES_FACTOR_BOUNDS = (1 / 64, 64.0)  # ±6 bits: one comparison never decides a pair alone
# Pairs below this (on their own evidence and after one_to_one) are left alone: even the largest factor
# (64) leaves them below 0.06, under the review range; at a million records they are most of the 12.7M
# scored pairs.
MIN_PAIR_PROBABILITY = 1e-3


def bands_for(window: int) -> tuple[int, ...]:
    """The windows whose support is a level each: those of NARROWER_BANDS under `window`, then `window`
    (a window of 3 is the one level "a neighbouring pair matches within 3 rows"); none for 0."""
    if window < 1:
        return ()
    return (*(band for band in NARROWER_BANDS if band < window), window)


def level_labels(bands: tuple[int, ...] | list[int]) -> list[str]:
    """What each level of the evidence means, narrowest band first, "none" last."""
    labels = [
        f"a neighbouring pair matches within {band} rows" + (f" (not {bands[k - 1]})" if k else "")
        for k, band in enumerate(bands)
    ]
    return [*labels, f"no neighbouring pair matches within {bands[-1]} rows"]


def bounded_bits(m: float, u: float) -> float:
    """log2 of m / u as the factor is applied: within BAYES_FACTOR_BOUNDS."""
    low, high = BAYES_FACTOR_BOUNDS
    return math.log2(min(max(max(m, 1e-300) / max(u, 1e-300), low), high))


@dataclass(frozen=True)
class NeighbourEvidence:
    """What was learned: for each pair of lists (and pooled), m and u of each level (support within
    each band, narrowest first, then none)."""

    bands: tuple[int, ...]
    pairs: int  # cross-list pairs that could have support (both records have neighbours)
    supported: int  # of which supported within the widest band
    pooled: tuple[tuple[float, float], ...]  # (m, u) of each level
    by_lists: tuple[tuple[str, str, tuple[float, ...], tuple[float, ...], int], ...]  # (list, list, m, u, pairs)

    def to_dict(self) -> dict[str, Any]:
        labels = level_labels(self.bands) if self.bands else []
        return {
            "window": self.bands[-1] if self.bands else 0, "bands": list(self.bands),
            "pairs": self.pairs, "supported": self.supported,
            "levels": [{"label": label, "m": m, "u": u, "weight": bounded_bits(m, u)}
                       for label, (m, u) in zip(labels, self.pooled, strict=True)],
            "by_lists": [{"lists": [a, b], "pairs": n, "m": list(m), "u": list(u),
                          "weights": [bounded_bits(x, y) for x, y in zip(m, u, strict=True)]}
                         for a, b, m, u, n in self.by_lists],
        }  # fmt: skip


def _nearest_row_apart(codes: Any, at_row: Any) -> Any:
    """For each record, how many rows away the nearest other record of its list is (a large number
    if none, or if the record has no row), from the table of rows (`support_levels`)."""
    import numpy as np

    far = np.iinfo(np.int64).max // 4
    gap = np.full(len(codes), far, dtype=np.int64)
    filled = np.flatnonzero(at_row >= 0)  # in list order, then row order
    records = at_row[filled]
    step = np.where(codes[records[1:]] == codes[records[:-1]], np.diff(filled), far)
    gap[records] = np.minimum(np.append(step, far), np.insert(step, 0, far))
    return gap


def support_levels(
    record_l: Any, record_r: Any, probability: Any, codes: Any, rows: Any, bands: tuple[int, ...]
) -> tuple[Any, Any]:
    """For each scored pair of records (indices into `codes` and `rows`, each record's list code and
    row number on its list, -1 if none), the narrowest band within which a pair of their neighbours
    matches (its index in `bands`, len(bands) if none does); and whether one could (across lists,
    both records with a neighbour within the widest band).

    A supporter (x, y), across lists and at least SUPPORTER_PROBABILITY, supports a scored pair
    (a, b) within band w when a is within w rows of x on x's list and b within w of y on y's,
    a != x and b != y (the pair itself and a duplicate next to it lend none). Computed without a
    loop over pairs: each supporter, both ways round, puts an entry (a, y's list, y's row) with a's
    distance from x, for each neighbour a of x; a pair (a, b) is supported within w when an entry
    (a, b's list, r) at distance at most w has r within w of b's row and not b's row itself.
    """
    import numpy as np

    codes = np.asarray(codes, dtype=np.int64)
    rows = np.asarray(rows, dtype=np.int64)
    record_l = np.asarray(record_l, dtype=np.int64)
    record_r = np.asarray(record_r, dtype=np.int64)
    probability = np.asarray(probability, dtype=float)
    level = np.full(len(record_l), len(bands), dtype=np.int64)
    if not bands or not len(record_l) or not (rows >= 0).any():
        return level, np.zeros(len(record_l), dtype=bool)
    window = bands[-1]
    # Each list's rows as one stretch of a table of record indices (-1 for a row no record has):
    # the record `offset` rows from another is then one look-up, not a search.
    has = rows >= 0
    lists = int(codes.max()) + 1
    last = np.full(lists, -1, dtype=np.int64)
    np.maximum.at(last, codes[has], rows[has])
    start = np.concatenate([[0], np.cumsum(last + 1)[:-1]])
    at_row = np.full(int((last + 1).sum()), -1, dtype=np.int64)
    at_row[start[codes[has]] + rows[has]] = np.flatnonzero(has)

    def neighbour(records: Any, offset: int) -> Any:
        """The record `offset` rows from each of `records` on its list, or -1."""
        row = rows[records] + offset
        ok = (rows[records] >= 0) & (row >= 0) & (row <= last[codes[records]])
        return np.where(ok, at_row[np.where(ok, start[codes[records]] + row, 0)], -1)

    has_neighbour = _nearest_row_apart(codes, at_row) <= window
    across = codes[record_l] != codes[record_r]
    eligible = across & has_neighbour[record_l] & has_neighbour[record_r]
    strong = np.flatnonzero(across & (probability >= SUPPORTER_PROBABILITY))
    span = int(rows.max()) + 2 + window  # no search past a list's last row reaches the next list's keys
    # An entry's distance rides in its low bits, so that one sort orders entries and distances.
    shift = max(window, 1).bit_length()
    # Only entries for records of a pair that could be supported are ever looked up.
    wanted = np.zeros(len(codes), dtype=bool)
    wanted[record_l[eligible]] = True
    entries = []
    for x, y in ((record_l[strong], record_r[strong]), (record_r[strong], record_l[strong])):
        ok_y = rows[y] >= 0
        for d in (d for d in range(-window, window + 1) if d):
            a = neighbour(x, d)
            keep = (a >= 0) & ok_y & wanted[np.maximum(a, 0)]
            entries.append((((a[keep] * lists + codes[y[keep]]) * span + rows[y[keep]]) << shift) + abs(d))
    packed = np.sort(np.concatenate(entries)) if entries else np.zeros(0, dtype=np.int64)
    del entries
    table, distance = packed >> shift, packed & ((1 << shift) - 1)
    del packed
    # Both ways round: a pair (a, b) is looked up from a's side; the entries hold both orientations.
    # The look-ups go in key order (then numpy's search starts each from the last: 3-5 times faster).
    order = np.argsort((record_l * lists + codes[record_r]) * span + rows[record_r], kind="stable")
    base = (record_l[order] * lists + codes[record_r[order]]) * span
    row_b = rows[record_r[order]]
    could = eligible[order] & (row_b >= 0)
    # Narrowest last, so that it is the level a pair keeps. Entries kept in order stay sorted.
    for index in reversed(range(len(bands))):
        band = bands[index]
        near = table[distance <= band]
        low = np.searchsorted(near, base + np.maximum(row_b - band, 0), side="left")
        high = np.searchsorted(near, base + row_b + band, side="right")
        at_b = np.searchsorted(near, base + row_b, side="right") - np.searchsorted(near, base + row_b, side="left")
        level[order[could & (high - low - at_b > 0)]] = index
    return level, eligible


def neighbour_bayes_factors(
    probability: Any,
    level: Any,
    eligible: Any,
    list_l: Any,
    list_r: Any,
    names: list[Any],
    bands: tuple[int, ...],
    iterations: int = 30,
) -> tuple[Any, NeighbourEvidence]:
    """Each pair's Bayes factor from its neighbours (1 where it could have none), by EM over the
    eligible pairs: for each level k (support_levels), m_k = P(level k | match) and u_k = P(level k |
    not), weighted by the pairs' posterior, with `probability` (every other comparison's verdict)
    as the starting posterior.

    Each pair of lists gets its own m and u, shrunk towards the pooled ones by PSEUDO_PAIRS pairs:
    whether households line up depends on how each list was written. The factor is bounded by
    BAYES_FACTOR_BOUNDS.
    """
    import numpy as np

    probability = np.clip(np.asarray(probability, dtype=float), 1e-12, 1 - 1e-12)
    factors = np.ones(len(probability))
    chosen = np.flatnonzero(eligible)
    count = len(bands) + 1
    if not len(chosen):
        return factors, NeighbourEvidence(tuple(bands), 0, 0, ((0.0, 0.0),) * count, ())
    at = np.asarray(level, dtype=np.int64)[chosen]
    p = probability[chosen]
    low, high = np.minimum(list_l[chosen], list_r[chosen]), np.maximum(list_l[chosen], list_r[chosen])
    groups, group = np.unique(low.astype(np.int64) * (len(names) + 1) + high, return_inverse=True)
    cell = group * count + at  # (list pair, level)
    cells = len(groups) * count
    odds = p / (1 - p)
    post = p
    for _ in range(iterations):
        match, non = post, 1 - post
        # Pooled, with half a pair in each level so that an empty level has no zero m or u.
        m_pool = (np.bincount(at, match, count) + 0.5) / (np.sum(match) + 0.5 * count)
        u_pool = (np.bincount(at, non, count) + 0.5) / (np.sum(non) + 0.5 * count)
        m_g = (np.bincount(cell, match, cells).reshape(-1, count) + PSEUDO_PAIRS * m_pool) / (
            np.bincount(group, match, len(groups))[:, None] + PSEUDO_PAIRS
        )
        u_g = (np.bincount(cell, non, cells).reshape(-1, count) + PSEUDO_PAIRS * u_pool) / (
            np.bincount(group, non, len(groups))[:, None] + PSEUDO_PAIRS
        )
        factor = np.clip(m_g[group, at] / u_g[group, at], *BAYES_FACTOR_BOUNDS)
        new = odds * factor / (1 + odds * factor)
        done = float(np.max(np.abs(new - post))) < 1e-6
        post = new
        if done:
            break
    factors[chosen] = factor
    sizes = np.bincount(group, minlength=len(groups))
    by_lists = tuple(
        (str(names[int(k) // (len(names) + 1)]), str(names[int(k) % (len(names) + 1)]),
         tuple(float(x) for x in m), tuple(float(x) for x in u), int(n))
        for k, m, u, n in zip(groups, m_g, u_g, sizes, strict=True)
    )  # fmt: skip
    pooled = tuple((float(m), float(u)) for m, u in zip(m_pool, u_pool, strict=True))
    evidence = NeighbourEvidence(tuple(bands), len(chosen), int((at < len(bands)).sum()), pooled, by_lists)
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
