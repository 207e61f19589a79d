"""Blocking rules for prediction: which pairs of records are scored at all.

Kept apart from the comparisons (comparisons.py) so that the number of pairs, which decides how
linkage scales, can change without touching how a pair is scored.

A rule is a block (records that agree on every key) and a filter on the pairs inside it. Within
a block, records are ordered by birth year and each is paired only with its neighbours, at most
`window` before and after it (the sorted neighbourhood method, Hernandez and Stolfo 1995). A block
no larger than the window is paired in full, as before; a larger one grows linearly, not with the
square of its size. In the demo's fixed pool of 50 surnames a block on a common name held about 250
records at a million records, and the rules gave 39-77 million pairs each (docs/linkage.md, "Scale").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Neighbours on each side within a block (see `blocked_pairs_sql`). Measured (docs/linkage.md,
# "Scale"): at a million demo records 3 gives 12-13M pairs (4: 16.3M; 12: 38M; no window: about
# 200M) and the run ends in 71-73 s (4: 70-96 s); at 100,000 records 0.80M pairs at 4 instead of
# 2.14M; 3 and 4 give the same F1 on the demo (2,000 and 20,000 people) and the variant (5,000 and
# 20,000), and on the demo at 2,000 people the same blocking recall, 99.57% (no window: 99.72%).
DEFAULT_WINDOW = 3

# A bare column in a key or a one-sided condition: an identifier that is not a function's name nor a keyword.
_BARE_COLUMN = re.compile(r"(?<![.\w])([A-Za-z_]\w*)\b(?!\s*\()")
_KEYWORDS = frozenset({"is", "not", "null", "and", "or", "true", "false", "in", "case", "when", "then", "else", "end"})
_PAIR_COLUMN = re.compile(r"\b[lr]\.([A-Za-z_]\w*)")
# Records in a block are put in birth-year order where the table has birth years (rollcall's
# features); a record with none, or a table without them, takes a place drawn from its id.
BIRTH_ORDER = "coalesce((by_low + by_high) / 2.0, 1900 + hash(unique_id) % 120)"
ID_ORDER = "hash(unique_id)"


@dataclass(frozen=True)
class BlockingRule:
    """Records that agree on every key form a block; `where` (over l. and r.) filters its pairs.

    A rule with `one_side` (a condition on one record) pairs only records that meet it with the
    rest of their block: such records are few (a name with only an initial), so each of them is
    paired with up to `window` neighbours on either side, and the others are not paired at all.
    """

    keys: tuple[str, ...]  # expressions over one record's columns, e.g. "given" or "right(family, 4)"
    where: str = ""
    one_side: str = ""
    window: int | None = None  # at least this, whatever the window of the run

    def qualified(self, expression: str, side: str) -> str:
        return _BARE_COLUMN.sub(
            lambda m: m.group(1) if m.group(1).casefold() in _KEYWORDS else f"{side}.{m.group(1)}", expression
        )

    @property
    def sql(self) -> str:
        """The whole rule as one condition on a pair (Splink's form; no window)."""
        equal = [f"{self.qualified(key, 'l')} = {self.qualified(key, 'r')}" for key in self.keys]
        either = (
            [f"({self.qualified(self.one_side, 'l')} OR {self.qualified(self.one_side, 'r')})"]
            if self.one_side
            else []
        )
        return " AND ".join([*equal, *either, *([self.where] if self.where else [])])


# Rules on names also ask that the birth years allow the same person (within two years, or unknown
# on a side): in a small name pool a block on names alone holds mostly namesakes, and the filter cut
# the pairs scored at 10,000 people from 117k to 46k while recall rose from 94.9% to 99.8%
# (measured with the added phonetic, loose and typo rules; docs/linkage.md).
_OVERLAP = "l.by_low <= r.by_high AND r.by_low <= l.by_high"
_NEAR_OR_UNKNOWN = (
    "(l.by_low IS NULL OR r.by_low IS NULL OR (l.by_low <= r.by_high + 2 AND r.by_low <= l.by_high + 2))"
)
# The same, or within five years where one side's birth years come from an age (an exact age allows two
# years, a band more; a date allows one): how far a volunteer's guess lands is the desk's habit, and
# the birth comparison learns it (model.learn_loose_birth_m: "within five years"), which it can only
# do for pairs that blocking makes. Two dates five years apart are namesakes, not a guess, so they stay
# out. On the first rule only: on every rule with _NEAR_OR_UNKNOWN, the same F1 for 3% more pairs.
_NEAR_OR_AN_AGE_WITHIN_FIVE = (
    "(l.by_low IS NULL OR r.by_low IS NULL OR (l.by_low <= r.by_high + 2 AND r.by_low <= l.by_high + 2)"
    " OR ((l.by_high > l.by_low OR r.by_high > r.by_low) AND l.by_low <= r.by_high + 5 AND r.by_low <= l.by_high + 5))"
)
_WITHIN_TEN_OR_UNKNOWN = (
    "(l.by_low IS NULL OR r.by_low IS NULL OR (l.by_low <= r.by_high + 10 AND r.by_low <= l.by_high + 10))"
)
# A home place of under a fifth of the records that give one (both records of a block share it): not
# the capital, the first band of comparisons.PLACE_SHARE_BANDS (which imports this module).
_NOT_THE_CAPITAL = "l.place_share < 0.2"
_SEX_AGREES = "(l.sex IS NULL OR r.sex IS NULL OR l.sex = r.sex)"
# Records with only an initial or only a given name are few: each may meet many neighbours.
_ONE_SIDED_WINDOW = 50
# A record with no birth year, and how many neighbours it meets in a block of its name (8: pairwise
# F1 0.8709, 20: 0.8715, 50: 0.8715 on gen3 at 20,000 people). Records with an age band of five
# years or more as well: the same F1 there (0.8739 against 0.8742), but at a million demo records,
# whose shelter register gives bands, many more pairs.
THIN_RECORD = "by_low IS NULL"
# A record's initial if it has only an initial, else the other initial of its given name (features.given_initial_alt).
_INITIAL_AS_WRITTEN_IN_CYRILLIC = "CASE WHEN given IS NULL THEN given_initial ELSE given_initial_alt END"
_THIN_WINDOW = 20
# Each rule earns its pairs: the given name's sound with the home place alone found 17 true pairs
# no other rule found, for 408k pairs at 100,000 records; with sex and the family name's first
# sound, 15 for 78k (docs/linkage.md).
STANDARD_BLOCKING_RULES: tuple[BlockingRule, ...] = (
    # Same given and family sound (an exact spelling agrees on its sound too: a rule on the exact
    # spelling as well found no more true pairs on the demo or the variant, and cost 1.8 s at 1M).
    # Ages within five years of a date since 2026-12-07 (core, 20,000 people, pairwise F1 at 0.4): gen4
    # 0.8745 -> 0.8796 (blocking recall 93.0% -> 94.6%), gen3 0.9127 -> 0.9130, the demo 0.9435 ->
    # 0.9433 (5% more pairs), the variant 0.9610 -> 0.9606.
    BlockingRule(("given_sk", "family_sk"), _NEAR_OR_AN_AGE_WITHIN_FIVE),
    # Cyrillic г for Armenian h (Гогар Сагакян = Gohar Sahakyan).
    BlockingRule(("given_lo", "family_lo"), _NEAR_OR_UNKNOWN),
    # A slip in the family name: its first three or its last four letters still agree.
    BlockingRule(("family_prefix", "given"), _NEAR_OR_UNKNOWN),
    BlockingRule(("given", "right(family, 4)"), _NEAR_OR_UNKNOWN),
    # A slip in the given name: the family name, its first sound and the birth years agree.
    BlockingRule(("family", "given_initial"), f"{_OVERLAP} AND {_SEX_AGREES}"),
    # Slips at both ends of the family name: the given name's sound, home place, birth years, sex
    # and the family name's first sound.
    BlockingRule(("given_sk", "place", "left(family_sk, 1)"), f"{_OVERLAP} AND {_SEX_AGREES}"),
    # Only an initial (Арутюнян А.): family and initial. Such a record often has no birth year
    # either (the peacekeepers' bulletins), so it sits at a random place in its block; the wider
    # window pairs it with every record of the block at the demo's size.
    BlockingRule(("family_sk", "given_initial"), one_side="given IS NULL", window=_ONE_SIDED_WINDOW),
    BlockingRule(("family_lo", "given_initial"), one_side="given IS NULL", window=_ONE_SIDED_WINDOW),
    BlockingRule(("family_prefix", "given_initial"), one_side="given IS NULL", window=_ONE_SIDED_WINDOW),
    # The initial a Russian list writes for a given name (Киракосян Г. for Hrachya Kirakosyan): only
    # the records with only an initial and those whose given name has such a reading are in its blocks.
    BlockingRule(("family_sk", _INITIAL_AS_WRITTEN_IN_CYRILLIC), one_side="given IS NULL",
                 where="(l.given_initial_alt IS NOT NULL OR r.given_initial_alt IS NOT NULL)",
                 window=_ONE_SIDED_WINDOW),  # fmt: skip
    # A thin record (no birth year: a shelter register, a bulletin) has no place of its own in a
    # block's birth-year order (it sits at a place drawn from its id): with realistic name frequencies (most people share their
    # given and family name with someone) the window of 3 missed its partner among the namesakes.
    # Such records meet _THIN_WINDOW neighbours on each side; with only an initial (Арутюнян А.,
    # no birth year either), the home place narrows the block instead. On an independent scenario
    # at 20,000 people (gen3, docs/linkage.md) pairs kept rose from 85,087 to 86,608 and pairwise
    # F1 from 0.868 to 0.872; blocking recall on the demo at 2,000 people 99.57% -> 99.72%,
    # at 20,000 96.5% -> 97.9%, on the variant at 20,000 people 97.3% -> 97.9% (4.6% and 1.7% more pairs).
    BlockingRule(("given_sk", "family_sk"), _NEAR_OR_UNKNOWN, one_side=THIN_RECORD, window=_THIN_WINDOW),
    BlockingRule(("family_sk", "given_initial", "place"), one_side="given IS NULL", window=_ONE_SIDED_WINDOW),
    # A maiden name in `alternate_names` (Zaruhi Mkrtchyan, née Xachatryan) against the name a
    # passport still gives: the given name's sound and the other family name's. Only records with
    # one start pairs; in its blocks they stand under that name, the others under their own.
    BlockingRule(("given_sk", "coalesce(family_alt_sk, family_sk)"), _NEAR_OR_UNKNOWN,
                 one_side="family_alt_sk IS NOT NULL", window=_ONE_SIDED_WINDOW),  # fmt: skip
    # The same names' sounds and home place, the ages further apart than the first rule allows: a
    # relative's or a volunteer's guess at an age (45 for 42, a band of 30-35 for 39). Few namesakes
    # share a village; many share the capital, so a place of a fifth or more of the records (its
    # `place_share`, model.with_place_shares) is left out. On gen4 (bench/gen4) at 20,000 people
    # blocking recall rose from 92.1% to 92.8%; with the capital 93.5%, but the demo's pairs rose by
    # 9% instead of 1.6% (the million's model stage by about 5 s) and its F1 fell by 0.001 (docs/linkage.md).
    BlockingRule(("given_sk", "family_sk", "place"), f"{_WITHIN_TEN_OR_UNKNOWN} AND {_NOT_THE_CAPITAL}"),
    # Names that share nothing (a married name, a garbled entry) but the full birth date and sex.
    BlockingRule(("birth_year", "birth_month", "birth_day", "sex")),
    # Only a given name.
    BlockingRule(("given", "sex"), _OVERLAP, one_side="family IS NULL", window=_ONE_SIDED_WINDOW),
    # Only a family name (a shelter clerk's "Gevorgyan, female, 0-9"): family and home place.
    BlockingRule(("family_sk", "place"), f"{_OVERLAP} AND {_SEX_AGREES}",
                 one_side="given IS NULL AND given_initial IS NULL", window=_ONE_SIDED_WINDOW),  # fmt: skip
)


def blocked_pairs_sql(
    table: str,
    rules: tuple[BlockingRule, ...] | list[BlockingRule],
    window: int = DEFAULT_WINDOW,
    order: str = BIRTH_ORDER,
) -> str:
    """SQL for every pair some rule blocks together, once, with the index of the first such rule
    (columns match_key, join_key_l < join_key_r, as Splink's blocked pairs).

    Each block is cut into runs of `window` records in birth-year order; a record is paired with
    the records of its own run and of the next one, so with every neighbour up to `window` away and
    none more than 2 * window - 1 away. A record with no birth year is placed at a position drawn
    from its id, so that it meets a different sample of a large block than its neighbours do.
    """
    if window < 1:
        raise ValueError("the blocking window must be at least 1 record")
    runs, joins = [], []
    for index, rule in enumerate(rules):
        size = max(rule.window or 0, window)
        keys = ", ".join(f"{key} AS k{i}" for i, key in enumerate(rule.keys))
        present = " AND ".join(f"({key}) IS NOT NULL" for key in rule.keys)
        block = ", ".join(rule.keys)
        side = f", ({rule.one_side}) AS starts" if rule.one_side else ""
        # Only the columns the filter reads: 13 run tables of a million rows each.
        used = ", ".join(sorted({"unique_id", *_PAIR_COLUMN.findall(rule.where)}))
        # Rules are the project's own, not user input. Materialised: each run table is read by two joins.
        runs.append(
            f"runs{index} AS MATERIALIZED (SELECT {used}, {keys}{side}, "  # noqa: S608
            f"(row_number() OVER (PARTITION BY {block} ORDER BY {order}, unique_id) - 1) // {size} AS run "
            f"FROM {table} WHERE {present})"
        )
        same = " AND ".join(f"l.k{i} = r.k{i}" for i in range(len(rule.keys)))
        where = f" AND ({rule.where})" if rule.where else ""
        ordered = "least(l.unique_id, r.unique_id) AS id_l, greatest(l.unique_id, r.unique_id) AS id_r"
        if rule.one_side:
            joins.append(
                f"SELECT {index} AS rule, {ordered} FROM runs{index} AS l JOIN runs{index} AS r "  # noqa: S608
                f"ON {same} AND r.run BETWEEN l.run - 1 AND l.run + 1 AND l.starts "
                f"AND l.unique_id <> r.unique_id{where}"
            )
            continue
        joins.append(
            f"SELECT {index} AS rule, l.unique_id AS id_l, r.unique_id AS id_r FROM runs{index} AS l "  # noqa: S608
            f"JOIN runs{index} AS r ON {same} AND l.run = r.run AND l.unique_id < r.unique_id{where}"
        )
        joins.append(
            f"SELECT {index} AS rule, {ordered} FROM runs{index} AS l "  # noqa: S608
            f"JOIN runs{index} AS r ON {same} AND r.run = l.run + 1{where}"
        )
    union = "\nUNION ALL\n".join(joins)
    return (
        "WITH " + ",\n".join(runs) + "\n"
        "SELECT CAST(min(rule) AS VARCHAR) AS match_key, id_l AS join_key_l, id_r AS join_key_r "  # noqa: S608
        f"FROM (\n{union}\n) GROUP BY id_l, id_r"
    )
