"""The comparisons of the Fellegi-Sunter model, each level written twice: as SQL for Splink and as
a Python predicate for scoring one pair without a database (incremental linkage, review pages).

Both forms must agree; tests check them against each other on Splink's own comparison vectors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

# The blocking rules live in their own module (scale work edits them apart from the comparisons);
# re-exported here for the modules that import them from comparisons.
from rollcall_core.linkage.blocking import STANDARD_BLOCKING_RULES as STANDARD_BLOCKING_RULES

Row = Mapping[str, Any]

# Labels of levels whose m is set after EM, not learned (model.set_initial_m, model.set_event_place_m).
INITIAL_LEVEL = "only an initial, and it agrees"
EVENT_HOME_LEVEL = "the event happened at the other's home place"
EVENT_AWAY_LEVEL = "the event happened away from the other's home place"
# Two different home places of one district (features.PlaceResolver.district): a district's town
# written for one of its villages, or a family's village for the next one.
SAME_DISTRICT_LEVEL = "different, in one district"
# Two different home places, one of them a place the gazetteer does not know: its district is not known.
UNKNOWN_DISTRICT_LEVEL = "different, a district not known"
# A home taken in 2020 and the place its people moved to (the gazetteer's moved_to; _moved_level).
MOVED_LEVEL = "one gives a home its people left in 2020, the other where they moved (Hadrut, Shushi: Stepanakert)"
PATRONYMIC_SILENT_LEVEL = "missing, or only an initial that agrees"
OTHER_FAMILY_LEVEL = "one's other family name (a maiden name) sounds like the other's"


def _jw(a: str, b: str) -> float:
    # The Jaro-Winkler similarity with the standard prefix scale 0.1, as DuckDB's jaro_winkler_similarity.
    return float(JaroWinkler.similarity(a, b, prefix_weight=0.1))


def _both(column: str) -> Callable[[Row, Row], bool]:
    return lambda a, b: a.get(column) is not None and b.get(column) is not None


@dataclass(frozen=True)
class Level:
    label: str
    sql: str
    test: Callable[[Row, Row], bool]
    is_null: bool = False
    tf_column: str | None = None


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]

    def level_of(self, a: Row, b: Row) -> int:
        """Index of the first level whose condition holds (the last level is 'else')."""
        for index, level in enumerate(self.levels):
            if level.test(a, b):
                return index
        return len(self.levels) - 1

    def to_splink(self) -> dict[str, Any]:
        levels = []
        for level in self.levels:
            entry: dict[str, Any] = {"sql_condition": level.sql, "label_for_charts": level.label}
            if level.is_null:
                entry["is_null_level"] = True
            if level.tf_column:
                entry["tf_adjustment_column"] = level.tf_column
                entry["tf_adjustment_weight"] = 1.0
            levels.append(entry)
        return {
            "output_column_name": self.name,
            "comparison_description": self.description,
            "comparison_levels": levels,
        }


def _null(column: str) -> Level:
    return Level(
        "missing",
        f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
        lambda a, b: a.get(column) is None or b.get(column) is None,
        is_null=True,
    )


def _exact(column: str, tf: bool = False) -> Level:
    return Level(
        "same",
        f'"{column}_l" = "{column}_r"',
        lambda a, b: a.get(column) is not None and a[column] == b.get(column),
        tf_column=column if tf else None,
    )


def _similar(column: str, threshold: float) -> Level:
    return Level(
        f"similar (Jaro-Winkler >= {threshold})",
        f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {threshold}',
        lambda a, b: _both(column)(a, b) and _jw(a[column], b[column]) >= threshold,
    )


def _same_sound(column: str) -> Level:
    return Level(
        "same sound (names-core skeleton)",
        f'"{column}_l" = "{column}_r"',
        lambda a, b: a.get(column) is not None and a[column] == b.get(column),
    )


def _one_edit(column: str) -> Level:
    # A clerk's slip (a letter lost, added or changed) in a name that is otherwise the same;
    # levenshtein is native in DuckDB and Spark SQL alike.
    return Level(
        "one letter apart",
        f'levenshtein("{column}_l", "{column}_r") <= 1',
        lambda a, b: _both(column)(a, b) and Levenshtein.distance(a[column], b[column]) <= 1,
    )


def _same_loose(column: str) -> Level:
    return Level(
        "same without g and h (Cyrillic г for Armenian h)",
        f'"{column}_l" = "{column}_r"',
        lambda a, b: a.get(column) is not None and a[column] == b.get(column),
    )


def _else() -> Level:
    return Level("different", "ELSE", lambda a, b: True)


def _overlap(slack: int) -> Callable[[Row, Row], bool]:
    return lambda a, b: a["by_low"] <= b["by_high"] + slack and b["by_low"] <= a["by_high"] + slack


def _patronymic_silent(a: Row, b: Row) -> bool:
    """Nothing of the father on one side, or only an initial that agrees (Балаян А.С. and Балаян
    А.С., or Грачьевич): no evidence either way. An initial that disagrees (Балаян А.С. and Балаян
    А.Г.) falls through to "different"."""
    first, second = a.get("patronymic_initials"), b.get("patronymic_initials")
    if first is None or second is None:
        return True
    if a.get("patronymic") is not None and b.get("patronymic") is not None:
        return False
    return first[:1] in second or second[:1] in first


def _initials_agree(a: Row, b: Row) -> bool:
    """The initials agree, or one is the initial a Russian list writes for the other's given name
    (Г. for Hrachya: features.given_initial_alt)."""
    first, second = a.get("given_initial"), b.get("given_initial")
    if first is None or second is None:
        return False
    return first == second or a.get("given_initial_alt") == second or first == b.get("given_initial_alt")


def name_comparisons() -> tuple[Comparison, ...]:
    given = Comparison(
        "given",
        "given name (phonetic skeleton)",
        (
            Level(
                "missing",
                '("given_l" IS NULL AND "given_initial_l" IS NULL) OR ("given_r" IS NULL AND "given_initial_r" IS NULL)',
                lambda a, b: (
                    (a.get("given") is None and a.get("given_initial") is None)
                    or (b.get("given") is None and b.get("given_initial") is None)
                ),
                is_null=True,
            ),
            _exact("given", tf=True),
            _same_sound("given_sk"),
            _same_loose("given_lo"),
            _one_edit("given"),
            _similar("given", 0.92),
            _similar("given", 0.8),
            Level(
                INITIAL_LEVEL,
                '("given_l" IS NULL OR "given_r" IS NULL) AND ("given_initial_l" = "given_initial_r" '
                'OR "given_initial_alt_l" = "given_initial_r" OR "given_initial_l" = "given_initial_alt_r")',
                lambda a, b: (a.get("given") is None or b.get("given") is None) and _initials_agree(a, b),
            ),
            _else(),
        ),
    )
    family = Comparison(
        "family",
        "family name (phonetic skeleton), term-frequency adjusted",
        (
            _null("family"),
            _exact("family", tf=True),
            _same_sound("family_sk"),
            _same_loose("family_lo"),
            _one_edit("family"),
            Level(
                OTHER_FAMILY_LEVEL,
                '"family_alt_sk_l" = "family_sk_r" OR "family_sk_l" = "family_alt_sk_r"',
                lambda a, b: (
                    (a.get("family_alt_sk") is not None and a.get("family_alt_sk") == b.get("family_sk"))
                    or (b.get("family_alt_sk") is not None and a.get("family_sk") == b.get("family_alt_sk"))
                ),
            ),
            _similar("family", 0.92),
            _similar("family", 0.8),
            _else(),
        ),
    )
    patronymic = Comparison(
        "patronymic",
        "patronymic",
        (
            Level(
                PATRONYMIC_SILENT_LEVEL,
                '("patronymic_initials_l" IS NULL OR "patronymic_initials_r" IS NULL) OR (("patronymic_l" IS NULL '
                'OR "patronymic_r" IS NULL) AND (instr("patronymic_initials_l", substr("patronymic_initials_r", 1, 1)) > 0 '
                'OR instr("patronymic_initials_r", substr("patronymic_initials_l", 1, 1)) > 0))',
                _patronymic_silent,
                is_null=True,
            ),
            _exact("patronymic"),
            _similar("patronymic", 0.85),
            _else(),
        ),
    )
    return given, family, patronymic


# An exact age against a full birth date. Lists count ages two ways: completed years at the date
# of the report (what people say), or the year of the report minus the year of birth (what a clerk
# works out, and what both scenario generators here do). Born in the report's year minus the age
# with the birthday already past, both agree; born that year with the birthday still to come, or a
# year earlier with it still to come, one of them does; a year earlier with the birthday past,
# neither does: the age is a year off. Measured on true pairs of an exact age and a full date
# (demo at 2,000 people; variant at 5,000): both 210 / 536, one 66 / 195, neither 3 / 8; random
# pairs of other people in the same two birth years split 36 / 28 / 36 %, so "neither" is strong
# evidence of two people and "both" some evidence of one.
def age_reading(dated: Row, aged: Row) -> str | None:
    """How an exact age on `aged` (with a full status date) reads against the full birth date on
    `dated`: "both", "one" or "neither" of the two ways of counting; None if it does not apply or
    the birth year is outside the two years the age allows."""
    if dated.get("birth_day") is None or aged.get("birth_year") is not None or aged.get("status_md") is None:
        return None
    low, high = aged.get("by_low"), aged.get("by_high")
    if low is None or high is None or high - low != 1:
        return None
    passed = dated["birth_month"] * 100 + dated["birth_day"] <= aged["status_md"]
    if dated["birth_year"] == high:
        return "both" if passed else "one"
    if dated["birth_year"] == low:
        return "neither" if passed else "one"
    return None


def _age_reading_sql(reading: str) -> str:
    """SQL of `age_reading(...) == reading`, either record being the dated one."""

    def one_way(d: str, a: str) -> str:
        applies = (
            f'"birth_day_{d}" IS NOT NULL AND "birth_year_{a}" IS NULL AND "status_md_{a}" IS NOT NULL'
            f' AND "by_high_{a}" - "by_low_{a}" = 1'
        )
        passed = f'"birth_month_{d}" * 100 + "birth_day_{d}" <= "status_md_{a}"'
        high, low = f'"birth_year_{d}" = "by_high_{a}"', f'"birth_year_{d}" = "by_low_{a}"'
        when = {
            "both": f"{high} AND {passed}",
            "one": f"(({high} AND NOT ({passed})) OR ({low} AND NOT ({passed})))",
            "neither": f"{low} AND {passed}",
        }[reading]
        return f"({applies} AND {when})"

    return f"({one_way('l', 'r')} OR {one_way('r', 'l')})"


def _age_level(reading: str, label: str) -> Level:
    return Level(
        label,
        _age_reading_sql(reading),
        lambda a, b: age_reading(a, b) == reading or age_reading(b, a) == reading,
    )


def birth_comparison() -> Comparison:
    both_dates = _both("birth_day")
    return Comparison(
        "birth",
        "birth date (partial dates, day/month swaps) and the birth years an age allows",
        (
            _null("by_low"),
            Level(
                "same full date",
                '"birth_year_l" = "birth_year_r" AND "birth_month_l" = "birth_month_r" AND "birth_day_l" = "birth_day_r"',
                lambda a, b: (
                    both_dates(a, b)
                    and a["birth_year"] == b["birth_year"]
                    and a["birth_month"] == b["birth_month"]
                    and a["birth_day"] == b["birth_day"]
                ),
            ),
            Level(
                "day and month swapped",
                '"birth_year_l" = "birth_year_r" AND "birth_month_l" = "birth_day_r" AND "birth_day_l" = "birth_month_r"',
                lambda a, b: (
                    both_dates(a, b)
                    and a["birth_year"] == b["birth_year"]
                    and a["birth_month"] == b["birth_day"]
                    and a["birth_day"] == b["birth_month"]
                ),
            ),
            Level(
                # A slip of one in the year (typed, or worked out from an age), day and month right.
                "a year apart, same day and month",
                '"birth_month_l" = "birth_month_r" AND "birth_day_l" = "birth_day_r"'
                ' AND abs("birth_year_l" - "birth_year_r") = 1',
                lambda a, b: (
                    both_dates(a, b)
                    and a["birth_month"] == b["birth_month"]
                    and a["birth_day"] == b["birth_day"]
                    and abs(a["birth_year"] - b["birth_year"]) == 1
                ),
            ),
            Level(
                "same year and month, day differs",
                '"birth_year_l" = "birth_year_r" AND "birth_month_l" = "birth_month_r" AND "birth_day_l" <> "birth_day_r"',
                lambda a, b: (
                    both_dates(a, b)
                    and a["birth_year"] == b["birth_year"]
                    and a["birth_month"] == b["birth_month"]
                    and a["birth_day"] != b["birth_day"]
                ),
            ),
            Level(
                "same year and month",
                '"birth_year_l" = "birth_year_r" AND "birth_month_l" = "birth_month_r"',
                lambda a, b: (
                    _both("birth_month")(a, b)
                    and a["birth_year"] == b["birth_year"]
                    and a["birth_month"] == b["birth_month"]
                ),
            ),
            Level(
                # Both dates are full enough to disagree: two namesakes born the same year are
                # common in a small name pool, so this is weak evidence, unlike a year-only date.
                "same year, month differs",
                '"birth_year_l" = "birth_year_r" AND "birth_month_l" <> "birth_month_r"',
                lambda a, b: (
                    _both("birth_month")(a, b)
                    and a["birth_year"] == b["birth_year"]
                    and a["birth_month"] != b["birth_month"]
                ),
            ),
            Level(
                "same birth year",
                '"birth_year_l" = "birth_year_r"',
                lambda a, b: _both("birth_year")(a, b) and a["birth_year"] == b["birth_year"],
            ),
            _age_level("both", "the age fits the birth date, counted either way"),
            _age_level("one", "the age fits the birth date, counted one way"),
            _age_level("neither", "the age is a year off the birth date"),
            Level(
                # An exact age (two possible birth years) or a date: tighter than a ten-year band.
                "age consistent with birth year, both within 3 years",
                '"by_low_l" <= "by_high_r" AND "by_low_r" <= "by_high_l"'
                ' AND "by_high_l" - "by_low_l" <= 2 AND "by_high_r" - "by_low_r" <= 2',
                lambda a, b: (
                    _overlap(0)(a, b) and a["by_high"] - a["by_low"] <= 2 and b["by_high"] - b["by_low"] <= 2
                ),
            ),
            Level(
                "age consistent with birth year",
                '"by_low_l" <= "by_high_r" AND "by_low_r" <= "by_high_l"',
                _overlap(0),
            ),
            Level(
                "within two years",
                '"by_low_l" <= "by_high_r" + 2 AND "by_low_r" <= "by_high_l" + 2',
                _overlap(2),
            ),
            Level(
                "within five years",
                '"by_low_l" <= "by_high_r" + 5 AND "by_low_r" <= "by_high_l" + 5',
                _overlap(5),
            ),
            _else(),
        ),
    )


def string_comparison(
    column: str, thresholds: tuple[float, ...] = (0.92, 0.8), tf: bool = False
) -> Comparison:
    """Missing / same / Jaro-Winkler at each threshold / different, for any string column."""
    levels = (_null(column), _exact(column, tf=tf), *(_similar(column, t) for t in thresholds), _else())
    return Comparison(column, column.replace("_", " "), levels)


def simple_comparison(column: str) -> Comparison:
    return Comparison(column, column.replace("_", " "), (_null(column), _exact(column), _else()))


# m probabilities of the birth comparison, set rather than learned: EM on name blocks mixes
# namesakes (two Mher Petrosyans born 23 years apart) with matches and learns that a different
# birth year is common among matches (m(different) 0.54 on the demo, 0.76 at 10,000 people).
# These values say what lists in a crisis do. Most true pairs join a list that has only an age
# (shelter, hospital, tracing) to one with a date (border, casualties), so "the age allows the
# birth year" is the commonest level among matches (0.55); where both have dates, the date is
# copied right most of the time (0.25 of all matches), sometimes with day and month swapped or
# only the year known; ages are guessed within a few years; a date is rarely wrong by more than
# five years. Measured: moving 0.30 -> 0.55 on the age level raised pairwise F1 at threshold 0.5
# from 0.65 to 0.77 on the variant scenario at 20,000 people, and on the demo from 0.912 to 0.916.
# A year one apart with the same day and month (a slip in the year, or a year worked out from an
# age) takes an assumed 0.015 from "within two years", where those pairs fell before (both scenario
# generators, written independently, slip the year of 3-4% of dates; pairs with two full dates are
# about a quarter of all matches). Measured: pairwise F1 +0.001 on the demo at 2,000 people and on
# the variant at 5,000 (0.942 -> 0.943, 0.930 -> 0.931). An exact age against a full date (see
# age_reading) takes 0.225 of the 0.30 that "both within 3 years" had, split as the true pairs of
# both generators split (both 0.74, one 0.24, neither 0.01, raised to 0.02 for lists that count
# ages loosely). Measured (core, threshold 0.4, pairwise F1, 2026-12-02): demo 2,000 people 0.946 ->
# 0.947, 20,000 0.823 -> 0.830; variant 5,000 0.933 -> 0.935, 20,000 0.849 -> 0.857.
# Order follows birth_comparison's levels after the null level.
BIRTH_M: tuple[float, ...] = (
    *(0.25, 0.012, 0.015, 0.006, 0.02, 0.003, 0.08),  # full and partial dates
    *(0.165, 0.055, 0.005),  # an exact age against a full date (age_reading)
    *(0.075, 0.25, 0.035, 0.018, 0.011),  # birth years an age allows; different
)


# The birth levels that say how loosely a list guesses ages: how often matches fall in them depends
# on the desk (a shelter volunteer's "30-35" one bracket off, an age rounded to five), so the batch
# run learns their m from its own scored pairs (model.learn_loose_birth_m), never below BIRTH_M's.
LOOSE_BIRTH_LEVELS: tuple[str, ...] = (
    "the age is a year off the birth date",
    "within two years",
    "within five years",
)


_ALIVE = ("alive", "injured", "detained")


def _dead_then_alive(a: Row, b: Row) -> bool:
    """a is dead and b is reported alive after it: alive at a later date or undated, injured or
    detained at a later date. An undated death against an injured report is no contradiction: people
    are injured and die of it, and casualty lists often give no date."""
    if a.get("status") != "dead" or b.get("status") not in _ALIVE:
        return False
    dated = a.get("status_on") is not None and b.get("status_on") is not None
    if dated:
        return bool(b["status_on"] > a["status_on"])
    return b["status"] == "alive"


def _dead_then_alive_sql(dead: str, alive: str) -> str:
    later = f'"status_on_{dead}" IS NOT NULL AND "status_on_{alive}" IS NOT NULL'
    alive_statuses = ", ".join(f"'{status}'" for status in _ALIVE)
    return (
        f'("status_{dead}" = \'dead\' AND (("status_{alive}" IN ({alive_statuses}) AND {later} '
        f'AND "status_on_{alive}" > "status_on_{dead}") OR ("status_{alive}" = \'alive\' AND NOT ({later}))))'
    )


def status_comparison() -> Comparison:
    """What the two reports say of the person. Dead on one list and alive on a later report of
    another (see `_dead_then_alive`) is a contradiction, rare among true pairs (the person page flags it when it
    happens); two reports of the same casualty status (both dead, both injured) come from lists of
    casualties that name many of the same people. m is learned by EM.

    Measured on the demo at 2,000 people (core, threshold 0.4): of 42 false links, 9 joined a dead
    record to a later alive one, and 11 of 39 missed pairs were two injured or two dead records.
    """
    return Comparison(
        "status",
        "status: dead on one and alive on a later report; the same casualty status on both",
        (
            _null("status"),
            Level(
                "dead, and alive on a later report",
                f"{_dead_then_alive_sql('l', 'r')} OR {_dead_then_alive_sql('r', 'l')}",
                lambda a, b: _dead_then_alive(a, b) or _dead_then_alive(b, a),
            ),
            Level(
                "the same status, not alive (dead, injured, missing, detained)",
                '"status_l" = "status_r" AND "status_l" <> \'alive\'',
                lambda a, b: (
                    a.get("status") is not None and a["status"] == b.get("status") and a["status"] != "alive"
                ),
            ),
            _else(),
        ),
    )


def _event_at_home(a: Row, b: Row) -> bool:
    return a.get("event_place") is not None and a["event_place"] == b.get("place")


def _places_comparable(a: Row, b: Row) -> bool:
    home = a.get("place") is not None and b.get("place") is not None
    return home or (a.get("event_place") is not None and b.get("place") is not None) or (
        b.get("event_place") is not None and a.get("place") is not None
    )


# Bands of a place's share of the records that give a home place, for the levels of the same home
# place: (lowest share, share it stays below, label). In the three scenarios here the capital holds
# 40-47% of them, district towns 4-11%, each village under 3%. Pairwise F1 in the core, these bands
# against the term-frequency adjusted place (2026-12-03): gen3 2,000 people 0.9253 / 0.9253, 20,000
# 0.8752 / 0.8754, demo 2,000 0.9515 / 0.9515; four bands (a cut at 1% too) the same; two (at 10%)
# 0.928, 0.870; the bands' m learned by EM instead of split by share 0.915, 0.873.
PLACE_SHARE_BANDS: tuple[tuple[float, float, str], ...] = (
    (0.2, 2.0, "same, a place of a fifth or more of the records"),
    (0.03, 0.2, "same, a place of 3-20% of the records"),
    (0.0, 0.03, "same, a place of under 3% of the records"),
)


def _share(row: Row) -> float:
    share = row.get("place_share")
    return 0.0 if share is None else float(share)


def _same_place_of_share(low: float, high: float, label: str) -> Level:
    # Both rows of the same place carry its share; the left one's decides.
    return Level(
        label,
        f'"place_l" = "place_r" AND coalesce("place_share_l", 0) >= {low} AND coalesce("place_share_l", 0) < {high}',
        lambda a, b: a.get("place") is not None and a["place"] == b.get("place") and low <= _share(a) < high,
    )


def _moved_level() -> Level:
    """MOVED_LEVEL, from the gazetteer's `moved_to` (rollcall_core.gazetteer.moved_to_of): the pairs of
    place keys are written into the condition, since they are few (five places, one destination) and
    a feature column for them cost the million about 2 s and 0.2 GB."""
    from rollcall_core.gazetteer import moved_to_of

    moved = moved_to_of()
    if not all(re.fullmatch(r"[a-z0-9-]+", key) for pair in moved.items() for key in pair):
        raise ValueError("the gazetteer's place keys must be slugs: they are written into SQL")
    by_destination: dict[str, list[str]] = {}
    for old, new in sorted(moved.items()):
        by_destination.setdefault(new, []).append(old)
    sql = " OR ".join(
        f'("place_{x}" IN ({", ".join(repr(o) for o in olds)}) AND "place_{y}" = {new!r})'
        for new, olds in by_destination.items()
        for x, y in (("l", "r"), ("r", "l"))
    )
    pairs = set(moved.items())
    return Level(
        MOVED_LEVEL,
        f"({sql or 'FALSE'})",
        lambda a, b: _both("place")(a, b) and ((a["place"], b["place"]) in pairs or (b["place"], a["place"]) in pairs),
    )


def place_comparison(split_by_share: bool = True) -> Comparison:
    """Home place against home place; where a record gives only where the person was killed or
    injured (a peacekeepers' bulletin: "Арутюнян А., ранен, Аскеран"; features.event_place), that
    event place against the other record's home place. People in an offensive on villages are hit where they
    live, but not always, so the event place has its own levels and EM learns how much its agreement
    says. Two event places are not compared (no list here gives both an event place and a name
    precise enough to need it).

    The same home place says more of a village than of the capital, which a third of the people
    share (u of one "same" level was 0.20 on an independent scenario with many villages). With
    `split_by_share` (the model as it predicts) its level is chosen by the place's share of the
    records that give a home place (`place_share`, computed once over the table), in the bands of
    PLACE_SHARE_BANDS. The model trains with one "same" level and splits it after (model.
    split_place_by_share). Splink's term-frequency adjustment gave the same evidence at a cost of
    about 9 s at a million records (one more table joined in prediction).

    Two different places of one district (SAME_DISTRICT_LEVEL) have a level of their own, learned
    by EM: a border list writes MARTAKERT where a bulletin writes the village of the Martakert
    district the person came from. So has a home taken in 2020 against the place its people moved
    to (MOVED_LEVEL, learned by EM): the passport of a family from Hadrut still gives Hadrut, their
    relatives and the shelter give Stepanakert, where they had lived for three years.
    """
    home = '"place_l" IS NOT NULL AND "place_r" IS NOT NULL'
    event_home = (
        '("event_place_l" IS NOT NULL AND "place_r" IS NOT NULL) '
        'OR ("event_place_r" IS NOT NULL AND "place_l" IS NOT NULL)'
    )
    return Comparison(
        "place",
        "home place, by its share of the records (or where the event happened, against the other's home place)",
        (
            Level("missing", f"NOT ({home}) AND NOT ({event_home})",
                  lambda a, b: not _places_comparable(a, b), is_null=True),  # fmt: skip
            *(
                (_same_place_of_share(low, high, label) for low, high, label in PLACE_SHARE_BANDS)
                if split_by_share
                else (_exact("place"),)
            ),
            _moved_level(),
            Level(
                SAME_DISTRICT_LEVEL,
                f'{home} AND "district_l" = "district_r"',
                lambda a, b: _both("place")(a, b) and a.get("district") is not None and a["district"] == b.get("district"),
            ),
            Level(
                UNKNOWN_DISTRICT_LEVEL,
                f'{home} AND ("district_l" IS NULL OR "district_r" IS NULL)',
                lambda a, b: _both("place")(a, b) and (a.get("district") is None or b.get("district") is None),
            ),
            Level("different", home, _both("place")),
            Level(
                EVENT_HOME_LEVEL,
                '"event_place_l" = "place_r" OR "event_place_r" = "place_l"',
                lambda a, b: _event_at_home(a, b) or _event_at_home(b, a),
            ),
            Level(EVENT_AWAY_LEVEL, "ELSE", lambda a, b: True),
        ),
    )


def standard_comparisons() -> tuple[Comparison, ...]:
    """The rollcall model: names, patronymic, birth, sex, home place, status."""
    return (
        *name_comparisons(),
        birth_comparison(),
        simple_comparison("sex"),
        place_comparison(),
        status_comparison(),
    )


# EM training blocks: each fixes some comparisons so that the others can be estimated. A block on
# the given name alone needs sex in it, or EM concludes that everything matches (issue 4).
STANDARD_TRAINING_BLOCKS: tuple[str, ...] = (
    "l.given = r.given AND l.family = r.family",
    "l.family = r.family AND l.by_low <= r.by_high AND r.by_low <= l.by_high",
    "l.given = r.given AND l.sex = r.sex AND l.by_low <= r.by_high AND r.by_low <= l.by_high",
)

# Rules that almost never admit a false match, for the prior (probability two records match).
STANDARD_DETERMINISTIC_RULES: tuple[str, ...] = (
    "l.given = r.given AND l.family = r.family AND l.by_low <= r.by_high AND r.by_low <= l.by_high",
)
