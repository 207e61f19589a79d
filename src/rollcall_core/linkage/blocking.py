"""Blocking rules for prediction: which pairs of records are scored at all.

Kept apart from the comparisons (comparisons.py) so that the number of pairs, which decides how
linkage scales, can change without touching how a pair is scored.
"""

from __future__ import annotations

# Blocking rules for prediction: a pair is scored if it agrees on one of them. Each rule keeps an
# equality so that DuckDB can hash-join; ranges are filters inside the block. Rules on names also
# ask that the birth years allow the same person (within two years, or unknown on a side): in a
# small name pool (the demo's 50 surnames) a block on names alone holds mostly namesakes, and the
# filter cut the pairs scored at 10,000 people from 117k to 46k while recall rose from 94.9% to
# 99.8% (measured with the added phonetic, loose and typo rules; docs/linkage.md).
_OVERLAP = "l.by_low <= r.by_high AND r.by_low <= l.by_high"
_NEAR_OR_UNKNOWN = (
    "(l.by_low IS NULL OR r.by_low IS NULL OR (l.by_low <= r.by_high + 2 AND r.by_low <= l.by_high + 2))"
)
_SEX_AGREES = "(l.sex IS NULL OR r.sex IS NULL OR l.sex = r.sex)"
# Pairs at 100,000 demo records: 2.25M, keeping 99.5% of true pairs. Each rule earns its pairs:
# the given name's sound with the home place alone found 17 true pairs no other rule found, for
# 408k pairs; with sex and the family name's first sound, 15 for 78k (docs/linkage.md).
STANDARD_BLOCKING_RULES: tuple[str, ...] = (
    f"l.given = r.given AND l.family = r.family AND {_NEAR_OR_UNKNOWN}",
    f"l.given_sk = r.given_sk AND l.family_sk = r.family_sk AND {_NEAR_OR_UNKNOWN}",
    # Cyrillic г for Armenian h (Гогар Сагакян = Gohar Sahakyan).
    f"l.given_lo = r.given_lo AND l.family_lo = r.family_lo AND {_NEAR_OR_UNKNOWN}",
    # A slip in the family name: its first three or its last four letters still agree.
    f"l.family_prefix = r.family_prefix AND l.given = r.given AND {_NEAR_OR_UNKNOWN}",
    f"l.given = r.given AND right(l.family, 4) = right(r.family, 4) AND {_NEAR_OR_UNKNOWN}",
    # A slip in the given name: the family name, its first sound and the birth years agree.
    f"l.family = r.family AND l.given_initial = r.given_initial AND {_OVERLAP} AND {_SEX_AGREES}",
    # Slips at both ends of the family name: the given name's sound, home place, birth years, sex
    # and the family name's first sound.
    f"l.given_sk = r.given_sk AND l.place = r.place AND {_OVERLAP} AND {_SEX_AGREES}"
    " AND left(l.family_sk, 1) = left(r.family_sk, 1)",
    # Only an initial (Арутюнян А.): family and initial.
    "l.family_sk = r.family_sk AND l.given_initial = r.given_initial AND (l.given IS NULL OR r.given IS NULL)",
    "l.family_lo = r.family_lo AND l.given_initial = r.given_initial AND (l.given IS NULL OR r.given IS NULL)",
    "l.family_prefix = r.family_prefix AND l.given_initial = r.given_initial AND (l.given IS NULL OR r.given IS NULL)",
    # Names that share nothing (a married name, a garbled entry) but the full birth date and sex.
    "l.birth_year = r.birth_year AND l.birth_month = r.birth_month AND l.birth_day = r.birth_day AND l.sex = r.sex",
    # Only a given name.
    f"l.given = r.given AND l.family IS NULL AND l.sex = r.sex AND {_OVERLAP}",
    f"l.given = r.given AND r.family IS NULL AND l.sex = r.sex AND {_OVERLAP}",
)
