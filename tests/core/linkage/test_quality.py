"""What makes links right across scripts and lists: keys, levels, the prior, blocking, bad input."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import duckdb
import numpy as np
import pandas as pd
import pytest

from rollcall_core.linkage.blocking import blocked_pairs_sql
from rollcall_core.linkage.clustering import cluster
from rollcall_core.linkage.comparisons import (
    MOVED_LEVEL,
    STANDARD_BLOCKING_RULES,
    Comparison,
    birth_comparison,
    name_comparisons,
)
from rollcall_core.linkage.features import FEATURE_COLUMNS, INTEGER_FEATURES, prepare_record
from rollcall_core.linkage.model import prior_from_scores, train_and_predict

from .synthetic import lists


def frame_of(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(FEATURE_COLUMNS))
    for column in INTEGER_FEATURES:
        frame[column] = frame[column].astype("Int64")
    return frame


def level(comparison_name: str, a: dict[str, object], b: dict[str, object]) -> str:
    comparisons = {c.name: c for c in (*name_comparisons(), birth_comparison())}
    comparison = comparisons[comparison_name]
    return comparison.levels[comparison.level_of(a, b)].label


def test_a_cyrillic_g_written_for_armenian_h_still_matches_the_name():
    russian = prepare_record(1, {"family_name": "Сагакян", "given_name": "Гогар"})
    latin = prepare_record(2, {"full_name": "Gohar Sahakyan"})
    assert (russian["given_lo"], russian["family_lo"]) == (latin["given_lo"], latin["family_lo"])
    assert level("given", russian, latin).startswith("same without g and h")


def test_a_western_armenian_spelling_is_the_same_given_name_not_a_similar_one():
    west = prepare_record(1, {"full_name": "Asdghig Mgrdchian"})
    east = prepare_record(2, {"given_name": "ASTGHIK", "family_name": "MKRTCHYAN"})
    assert level("given", west, east) == "same"


def test_an_initial_in_cyrillic_agrees_with_the_latin_name_whose_h_russian_drops():
    initial = prepare_record(1, {"full_name": "Акопян Р."})
    full = prepare_record(2, {"given_name": "HRIPSIME", "family_name": "HAKOBYAN"})
    assert initial["given"] is None
    assert initial["given_initial"] == full["given_initial"]
    assert level("given", initial, full) == "only an initial, and it agrees"


@pytest.mark.parametrize(
    ("initial_only", "given"),
    [("Киракосян Г.Г.", "HRACHYA"), ("Киракосян Г.", "Հրաչյա"), ("Киракосян Д.В.", "JULIETA")],
)
def test_the_initial_russian_writes_for_a_given_name_agrees_with_it(initial_only: str, given: str) -> None:
    # Грачья, Генрик, Джульетта: Russian writes Г for some Armenian h, and Д for j.
    initial = prepare_record(1, {"full_name": initial_only})
    full = prepare_record(2, {"given_name": given, "family_name": "KIRAKOSYAN"})
    assert initial["given_initial"] != full["given_initial"]
    assert level("given", initial, full) == "only an initial, and it agrees"
    columns = dict.fromkeys(("given", "given_sk", "given_lo", "given_initial", "given_initial_alt"), "VARCHAR")
    assert level_in_sql(name_comparisons()[0], full, initial, columns) == "only an initial, and it agrees"
    other = prepare_record(3, {"given_name": "ARAM", "family_name": "KIRAKOSYAN"})
    assert level("given", initial, other) == "different"


@pytest.mark.parametrize(
    ("initial_only", "given"),
    [("H. Danielyan", "HASMIK"), ("Հ. Դանիելյան", "Hrant"), ("Danielyan H.", "Հայկ"), ("H. Danielyan", "Грачья")],
)
def test_an_initial_h_agrees_with_a_name_written_with_h(initial_only: str, given: str) -> None:
    # The initial class of Hasmik drops the h (it is А. in Russian): a written H. must still agree.
    initial = prepare_record(1, {"full_name": initial_only})
    full = prepare_record(2, {"given_name": given, "family_name": "DANIELYAN"})
    assert initial["given"] is None
    assert level("given", initial, full) == "only an initial, and it agrees"
    columns = dict.fromkeys(("given", "given_sk", "given_lo", "given_initial", "given_initial_alt"), "VARCHAR")
    assert level_in_sql(name_comparisons()[0], full, initial, columns) == "only an initial, and it agrees"
    other = prepare_record(3, {"given_name": "ARAM", "family_name": "DANIELYAN"})
    assert level("given", initial, other) == "different"


@pytest.mark.parametrize(
    "alternate", ["née Xachatryan", "ծն. Խաչատրյան", "урожд. Хачатрян", "Khachatryan", "Davo; Хачатрян"]
)
def test_a_maiden_name_in_alternate_names_agrees_with_the_name_a_passport_gives(alternate: str) -> None:
    request = prepare_record(1, {"full_name": "Zaruhi Mkrtchyan", "alternate_names": alternate})
    passport = prepare_record(2, {"given_name": "ZARUHI", "family_name": "KHACHATRYAN"})
    assert level("family", request, passport) == "one's other family name (a maiden name) sounds like the other's"
    columns = dict.fromkeys(("family", "family_sk", "family_lo", "family_alt_sk"), "VARCHAR")
    assert level_in_sql(name_comparisons()[1], passport, request, columns) == level("family", passport, request)
    assert level("family", passport, request) == level("family", request, passport)
    assert level("family", request, prepare_record(3, {"full_name": "Zaruhi Sargsyan"})) == "different"


@pytest.mark.parametrize(
    "alternate",
    ["", "Zara", "Davo", "...", ";;;", "née", "ծն.", "<script>alert(1)</script>", "\u0000\u202e", "x" * 10_000],
)  # fmt: skip
def test_a_given_name_or_nothing_in_alternate_names_is_no_other_family_name(alternate: str) -> None:
    assert prepare_record(1, {"full_name": "Zaruhi Mkrtchyan", "alternate_names": alternate})["family_alt_sk"] is None


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        ("Балаян А.С.", "Балаян А.Г.", "different"),  # the fathers' initials disagree: two people
        ("Балаян А.С.", "Балаян А.С.", "missing, or only an initial that agrees"),
        ("Балаян А.С.", "Балаян А.", "missing, or only an initial that agrees"),  # nothing of one's father
        ("Балаян А.С.", "Балаян Ашот Самвелович", "missing, or only an initial that agrees"),
        ("Балаян А.С.", "Балаян Ашот Гагикович", "different"),
        ("Балаян А.Г.", "Բալայան Աշոտ Հրաչի", "missing, or only an initial that agrees"),  # Г. for Hrach
    ],
)
def test_the_fathers_initial_tells_two_people_apart_only_when_it_disagrees(one: str, other: str, expected: str) -> None:
    a, b = prepare_record(1, {"full_name": one}), prepare_record(2, {"full_name": other})
    assert level("patronymic", a, b) == expected
    assert level("patronymic", b, a) == expected
    patronymic = name_comparisons()[2]
    assert level_in_sql(patronymic, a, b, {"patronymic": "VARCHAR", "patronymic_initials": "VARCHAR"}) == expected


def test_the_second_initial_or_a_lone_one_beside_a_given_name_is_the_fathers() -> None:
    assert prepare_record(1, {"full_name": "Балаян А.С."})["patronymic_initials"] == "s"
    assert prepare_record(1, {"given_name": "A. G.", "family_name": "Sargsyan"})["patronymic_initials"] == "k"
    assert prepare_record(1, {"full_name": "Armen G. Sargsyan"})["patronymic_initials"] == "k"
    assert prepare_record(1, {"full_name": "Балаян А."})["patronymic_initials"] is None


@pytest.mark.parametrize("alternate", ['=HYPERLINK("http://x")', "née " * 200, "Петросян" * 500])
def test_hostile_alternate_names_leave_the_records_own_name_alone(alternate: str) -> None:
    plain = prepare_record(1, {"full_name": "Zaruhi Mkrtchyan"})
    odd = prepare_record(1, {"full_name": "Zaruhi Mkrtchyan", "alternate_names": alternate})
    assert {k: v for k, v in odd.items() if k != "family_alt_sk"} == {k: v for k, v in plain.items() if k != "family_alt_sk"}
    assert odd["family_alt_sk"] is None or isinstance(odd["family_alt_sk"], str)


def test_a_slip_of_one_letter_in_a_family_name_is_its_own_level():
    slip = prepare_record(1, {"full_name": "Heghine Martirosyan"})
    right = prepare_record(2, {"given_name": "HEGHINE", "family_name": "MARTIROYAN"})
    assert level("family", slip, right) == "one letter apart"


def test_a_place_with_a_word_like_city_around_it_is_the_same_place():
    a = prepare_record(1, {"full_name": "A B", "home_place": "STEPANAKERT CITY"})
    b = prepare_record(2, {"full_name": "A B", "home_place": "Stepanakert"})
    assert a["place"] == b["place"]


def test_two_full_dates_in_one_year_but_different_months_contradict_rather_than_agree():
    a = prepare_record(1, {"full_name": "Hripsime Harutyunyan", "birth_date": "1996-11-27"})
    b = prepare_record(2, {"full_name": "Hripsime Harutyunyan", "birth_date": "1996-03-15"})
    only_year = prepare_record(3, {"full_name": "Hripsime Harutyunyan", "birth_date": "1996"})
    assert level("birth", a, b) == "same year, month differs"
    assert level("birth", a, only_year) == "same birth year"


def test_a_birth_year_one_apart_with_the_same_day_and_month_is_read_as_a_slip_not_as_two_years_apart():
    a = prepare_record(1, {"full_name": "Artur Adamyan", "birth_date": "1965-06-15"})
    slip = prepare_record(2, {"full_name": "Artur Adamyan", "birth_date": "15.06.1964"})
    other_day = prepare_record(3, {"full_name": "Artur Adamyan", "birth_date": "1964-08-02"})
    assert level("birth", a, slip) == "a year apart, same day and month"
    assert level("birth", a, other_day) == "within two years"


def test_the_birth_comparison_has_an_m_for_every_level():
    from rollcall_core.linkage.comparisons import BIRTH_M

    assert len(BIRTH_M) == len([lv for lv in birth_comparison().levels if not lv.is_null])
    assert sum(BIRTH_M) == pytest.approx(1.0)


def test_a_birth_date_in_the_future_is_read_as_unknown():
    row = prepare_record(1, {"full_name": "Anna Sargsyan", "birth_date": "2999-01-02"})
    assert row["birth_year"] is None


def test_a_birth_date_later_in_the_year_of_the_status_date_is_read_as_unknown():
    row = prepare_record(
        1, {"full_name": "Anna Sargsyan", "birth_date": "2023-10-05", "age": "0", "status_date": "2023-09-22"}
    )
    assert row["birth_year"] is None and row["by_low"] is not None  # the age still counts


def test_the_prior_is_recovered_from_scores_of_a_simulated_population():
    # Pairs compared on five independent fields with known m and u; the scores are the true
    # log2 likelihood ratios, and only pairs with 5 bits or more are passed, as the model does.
    rng = np.random.default_rng(4)
    m = np.array([0.95, 0.9, 0.9, 0.85, 0.8])
    u = np.array([0.01, 0.02, 0.05, 0.1, 0.3])
    all_pairs, prior = 2_000_000, 2e-4
    is_match = rng.random(all_pairs) < prior
    agree = rng.random((all_pairs, 5)) < np.where(is_match[:, None], m, u)
    bits = np.where(agree, np.log2(m / u), np.log2((1 - m) / (1 - u))).sum(axis=1)
    estimate = prior_from_scores(bits[bits >= 5], all_pairs, start=1e-2)
    assert estimate == pytest.approx(is_match.sum() / all_pairs, rel=0.15)


def _blocked_pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    from rollcall_core.linkage.model import with_place_shares

    con = duckdb.connect()
    con.register("f", with_place_shares(frame)[0])  # as train_and_predict registers it
    return {(a, b) for _, a, b in con.execute(blocked_pairs_sql("f", STANDARD_BLOCKING_RULES)).fetchall()}


def test_blocking_keeps_every_true_pair_of_lists_in_three_scripts():
    records, truth = lists(300, seed=11)
    frame = frame_of([prepare_record(r["record_id"], r) for r in records])
    by_person: dict[str, list[str]] = {}
    for record_id, person in truth.items():
        by_person.setdefault(person, []).append(record_id)
    true_pairs = {tuple(sorted(p)) for ids in by_person.values() for p in itertools.combinations(ids, 2)}
    blocked = _blocked_pairs(frame)
    assert true_pairs - blocked == set()
    # Selective: far fewer pairs than all pairs.
    assert len(blocked) < len(frame) * (len(frame) - 1) / 2 / 20


def test_a_list_that_is_entirely_duplicates_collapses_with_a_prior_of_its_own():
    records, _ = lists(60, seed=5)
    border = [r for r in records if r["list"] == "border"]
    doubled = border + [{**r, "record_id": r["record_id"] + "-again"} for r in border]
    frame = frame_of([prepare_record(r["record_id"], r) for r in doubled])
    sources = {r["record_id"]: "border" for r in doubled}
    result = train_and_predict(frame, u_max_pairs=1e5, sources=sources)
    pairs = list(result.pairs[["unique_id_l", "unique_id_r", "match_probability"]].itertuples(index=False))
    clusters = cluster([r["record_id"] for r in doubled], pairs, threshold=0.4, source_of=sources)
    for r in border:
        assert clusters.cluster_of[r["record_id"]] == clusters.cluster_of[r["record_id"] + "-again"]
    assert len(set(clusters.cluster_of.values())) == len(border)


def test_the_prior_within_a_list_is_kept_apart_from_the_prior_across_lists():
    records, _ = lists(200, seed=8)
    frame = frame_of([prepare_record(r["record_id"], r) for r in records])
    sources = {r["record_id"]: r["list"] for r in records}
    result = train_and_predict(frame, u_max_pairs=2e5, sources=sources)
    log = " ".join(result.model.training_log)
    assert "across lists" in log and "within a list" in log
    # Both priors are kept in the model, for scoring one pair later (incremental linking, review).
    assert result.model.prior_within is not None and result.model.prior_within < result.model.prior
    # and each list's own, keyed by the list as text, for the lists large enough to have one
    sizes = {name: list(sources.values()).count(name) for name in set(sources.values())}
    assert {k for k, _ in result.model.prior_within_list} == {
        str(n) for n, size in sizes.items() if size >= 20
    }
    # The synthetic lists have no duplicates: two records of one list are scored as less likely
    # to be one person than the same evidence across lists.
    same_list = result.pairs[
        [
            sources[a] == sources[b]
            for a, b in zip(result.pairs.unique_id_l, result.pairs.unique_id_r, strict=True)
        ]
    ]
    assert (same_list.match_probability < 0.4).all()


def test_a_model_saved_before_a_level_was_added_still_scores_with_that_level_weighing_nothing():
    from rollcall_core.linkage.model import ModelWeights

    records, _ = lists(80, seed=2)
    frame = frame_of([prepare_record(r["record_id"], r) for r in records])
    saved = train_and_predict(frame, u_max_pairs=1e5).model.to_dict()
    for comparison in saved["comparisons"]:
        if comparison["name"] == "given":
            comparison["levels"] = [lv for lv in comparison["levels"] if lv["label"] != "one letter apart"]
    model = ModelWeights.from_dict(saved)
    # Narek is in no group of given names (a slip in Tigran's would be read as Tigran: features._group).
    slip = prepare_record(1, {"full_name": "Naek Martirosyan"})
    right = prepare_record(2, {"full_name": "Narek Martirosyan"})
    given = next(c for c in model.score(slip, right).contributions if c.comparison == "given")
    assert given.level == "one letter apart" and given.weight == 0.0


def test_a_bulletins_event_place_is_scored_and_shown_against_the_other_records_home_place():
    records, _ = lists(80, seed=2)
    model = train_and_predict(frame_of([prepare_record(r["record_id"], r) for r in records]), u_max_pairs=1e5).model
    bulletin = prepare_record(1, {"full_name": "Арутюнян А.", "status": "injured", "event_place": "Аскеран"})
    hospital = prepare_record(2, {"full_name": "Арутюнян Анна", "status": "injured", "home_place": "Askeran"})
    place = next(c for c in model.score(bulletin, hospital).contributions if c.comparison == "place")
    assert place.level == "the event happened at the other's home place"
    assert place.left == bulletin["event_place"] and place.right == hospital["place"] and place.left


def test_the_prior_counts_the_pairs_of_a_spark_table_which_has_no_len():
    from rollcall_core.linkage.model import _column, _pair_count

    class SparkLike:  # what the Spark engine passes: count(), columns, select().toPandas(); no len()
        columns = ["unique_id", "given_initial"]

        def count(self) -> int:
            return 5

        def toPandas(self) -> pd.DataFrame:  # noqa: N802 - pyspark's name
            return pd.DataFrame({"unique_id": range(5), "given_initial": list("aabbc")})

        def select(self, name: str) -> SparkLike:
            return self

    assert _pair_count(SparkLike(), "dedupe_only") == 10
    assert list(_column(SparkLike(), "given_initial")) == list("aabbc")
    assert _column(SparkLike(), "sex") is None


def test_pairs_within_one_list_are_told_from_pairs_across_lists():
    import pandas as pd

    from rollcall_core.linkage.model import _same_list

    sources = {1: "shelter", 2: "shelter", 3: "border", 4: "border"}
    frame = pd.DataFrame({"unique_id_l": [1, 1, 3, 5, 5], "unique_id_r": [2, 3, 4, 1, 6]})
    # 5 and 6 have no list: the same "no list" as each other, not the same as a record with one.
    assert _same_list(frame, sources).tolist() == [True, False, True, False, True]


def test_a_list_that_names_people_twice_gets_a_within_list_prior_of_its_own():
    import re

    records, _ = lists(200, seed=8)
    shelter = [r for r in records if r["list"] == "shelter"]
    again = [{**r, "record_id": r["record_id"] + "-again"} for r in shelter[::3]]
    rows = records + again
    frame = frame_of([prepare_record(r["record_id"], r) for r in rows])
    sources = {r["record_id"]: r["list"] for r in rows}
    result = train_and_predict(frame, u_max_pairs=2e5, sources=sources)
    line = next(x for x in result.model.training_log if x.startswith("prior within each list"))
    each = {name: float(value) for name, value in re.findall(r"(\w+) ([0-9.e+-]+)", line.split(":", 1)[1])}
    # The shelter list's duplicates raise its own prior; the border list, without any, keeps a low one.
    assert each["shelter"] > 10 * each["border"]
    probability = {frozenset((a, b)): p for a, b, p in
                   result.pairs[["unique_id_l", "unique_id_r", "match_probability"]].itertuples(index=False)}  # fmt: skip
    joined = [
        probability.get(frozenset((r["record_id"], r["record_id"] + "-again")), 0.0) >= 0.4
        for r in shelter[::3]
    ]
    assert sum(joined) >= 0.9 * len(joined)


def level_in_sql(comparison: Comparison, a: Mapping[str, object], b: Mapping[str, object], types: Mapping[str, str]) -> str:
    """The level the SQL Splink runs picks for the pair (the first whose condition holds), from
    the named columns of both feature rows with their DuckDB types."""
    casts = [f"?::{types[column]} AS {column}_{side}" for side in "lr" for column in types]
    con = duckdb.connect()
    con.execute("CREATE TABLE p AS SELECT " + ", ".join(casts), [row[c] for row in (a, b) for c in types])
    cases = " ".join(
        f"WHEN {level.sql} THEN {index}" for index, level in enumerate(comparison.levels) if level.sql != "ELSE"
    )
    chosen = con.execute(f"SELECT CASE {cases} ELSE {len(comparison.levels) - 1} END FROM p").fetchall()[0][0]  # noqa: S608
    return comparison.levels[chosen].label


STATUS_CASES = [
    # (status a, date a, status b, date b, level)
    ("dead", "2023-09-20", "alive", "2023-09-26", "dead, and alive on a later report"),
    ("alive", "2023-09-26", "dead", "", "dead, and alive on a later report"),
    ("dead", "2023-09-20", "injured", "2023-09-23", "dead, and alive on a later report"),
    ("dead", "2023-09-22", "injured", "2023-09-21", "different"),  # injured, then died: consistent
    ("dead", "", "injured", "2023-09-21", "different"),  # an undated death may follow the injury
    ("dead", "2023-09-20", "missing", "2023-09-25", "different"),  # a family that does not know yet
    ("injured", "2023-09-20", "injured", "", "the same status, not alive (dead, injured, missing, detained)"),
    ("dead", "", "dead", "", "the same status, not alive (dead, injured, missing, detained)"),
    ("alive", "2023-09-22", "alive", "2023-09-25", "different"),
    ("unknown", "", "dead", "2023-09-20", "missing"),
]


@pytest.mark.parametrize(("status_a", "date_a", "status_b", "date_b", "expected"), STATUS_CASES)
def test_the_status_comparison_reads_a_contradiction_and_a_shared_casualty_status_alike_in_sql_and_python(
    status_a: str, date_a: str, status_b: str, date_b: str, expected: str
) -> None:
    from rollcall_core.linkage.comparisons import status_comparison

    comparison = status_comparison()
    a = prepare_record(1, {"full_name": "Anna Sargsyan", "status": status_a, "status_date": date_a})
    b = prepare_record(2, {"full_name": "Anna Sargsyan", "status": status_b, "status_date": date_b})
    assert comparison.levels[comparison.level_of(a, b)].label == expected
    assert level_in_sql(comparison, a, b, {"status": "VARCHAR", "status_on": "BIGINT"}) == expected


PLACE_COLUMNS = {"place": "VARCHAR", "district": "VARCHAR", "event_place": "VARCHAR", "place_share": "DOUBLE"}
PLACE_CASES = [
    # (home a, event a, home b, event b, expected level)
    ("Askeran", "", "ASKERAN", "", "same, a place of 3-20% of the records"),
    ("Askeran", "", "Stepanakert", "", "different"),
    ("", "Аскеран", "ASKERAN", "", "the event happened at the other's home place"),
    ("ASKERAN", "", "", "Аскеран", "the event happened at the other's home place"),
    ("", "Аскеран", "Martuni", "", "the event happened away from the other's home place"),
    # Two home places are compared first: the event place then says nothing more.
    ("Martuni", "Askeran", "Askeran", "", "different"),
    ("", "Askeran", "", "Askeran", "missing"),  # two event places are not compared
    ("", "", "Askeran", "", "missing"),
    ("MARTAKERT", "", "с. Дрмбон", "", "different, in one district"),  # the district's town and its village
    ("Askeran", "", "с. Авдур", "", "different, a district not known"),  # a village not in the gazetteer
    ("Askeran", "", "Martuni district, v. Spitakashen", "", "different"),  # ... with its district written
    # Taken in 2020: the passport's old home against the place its people lived in after.
    ("HADRUT", "", "Ստեփանակերտ", "", MOVED_LEVEL),
    ("Степанакерт", "", "Шуша", "", MOVED_LEVEL),
    ("Hadrut", "", "Martuni", "", "different"),
    ("Hadrut", "", "Hadrut", "", "same, a place of under 3% of the records"),
]


@pytest.mark.parametrize(("home_a", "event_a", "home_b", "event_b", "expected"), PLACE_CASES)
def test_an_event_place_is_compared_with_the_other_records_home_place_alike_in_sql_and_python(
    home_a: str, event_a: str, home_b: str, event_b: str, expected: str
) -> None:
    from rollcall_core.linkage.comparisons import place_comparison
    from rollcall_core.linkage.features import gazetteer_resolver

    comparison = place_comparison()
    place_of = gazetteer_resolver()
    # Injured, as a bulletin's "ранен": only a death's or an injury's event place is where the person was hit.
    a = prepare_record(1, {"full_name": "Арутюнян А.", "home_place": home_a, "event_place": event_a,
                           "status": "injured"}, place_of)  # fmt: skip
    b = prepare_record(2, {"full_name": "Anna Harutyunyan", "home_place": home_b, "event_place": event_b,
                           "status": "injured"}, place_of)  # fmt: skip
    # A district town's share.
    shares = {place_of(p): s for p, s in (("Askeran", 0.05), ("Martuni", 0.06))}
    a, b = ({**row, "place_share": shares.get(row["place"], 0.0)} for row in (a, b))
    assert comparison.levels[comparison.level_of(a, b)].label == expected
    assert level_in_sql(comparison, a, b, PLACE_COLUMNS) == expected


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.45, "same, a place of a fifth or more of the records"),
        (0.2, "same, a place of a fifth or more of the records"),
        (0.06, "same, a place of 3-20% of the records"),
        (0.01, "same, a place of under 3% of the records"),
        (None, "same, a place of under 3% of the records"),  # a place the model was not trained on
    ],
)
def test_the_same_home_place_is_weighed_by_its_share_of_the_records_alike_in_sql_and_python(
    share: float | None, expected: str
) -> None:
    from rollcall_core.linkage.comparisons import place_comparison

    comparison = place_comparison()
    a = {**prepare_record(1, {"full_name": "Anna Sargsyan", "home_place": "Askeran"}), "place_share": share}
    b = {**prepare_record(2, {"full_name": "Anna Sargsyan", "home_place": "ASKERAN"}), "place_share": share}
    assert comparison.levels[comparison.level_of(a, b)].label == expected
    assert level_in_sql(comparison, a, b, PLACE_COLUMNS) == expected


def test_a_places_share_is_counted_over_the_records_that_give_one_and_kept_with_the_model() -> None:
    from rollcall_core.linkage.model import ModelWeights, with_place_shares

    records, _ = lists(120, seed=4)
    frame = frame_of([prepare_record(r["record_id"], r) for r in records])
    frame.loc[frame.index[:10], "place"] = None
    table, shares = with_place_shares(frame)
    given = frame["place"].dropna()
    assert shares == pytest.approx((given.value_counts() / len(given)).to_dict())
    assert (table.loc[frame["place"].isna(), "place_share"] == 0.0).all()
    assert "place_share" not in frame.columns  # the caller's table is left as it was
    # The model keeps the shares of places above the smallest band and scores one pair with them.
    model = train_and_predict(frame, u_max_pairs=1e5).model
    largest = max(shares, key=lambda place: shares[place])
    assert dict(model.place_shares) == {p: pytest.approx(s) for p, s in shares.items() if s >= 0.03}
    assert dict(ModelWeights.from_dict(model.to_dict()).place_shares) == dict(model.place_shares)
    row = next(r for r in frame.to_dict("records") if r["place"] == largest)
    row = {k: (None if pd.isna(v) else v) for k, v in row.items()}
    place = next(c for c in model.score(row, {**row, "unique_id": "other"}).contributions if c.comparison == "place")
    assert place.level == "same, a place of a fifth or more of the records"


def test_an_alive_persons_event_place_is_where_a_list_saw_them_and_is_not_weighed() -> None:
    from rollcall_core.linkage.comparisons import place_comparison

    comparison = place_comparison()
    crossing = prepare_record(1, {"full_name": "ANNA HARUTYUNYAN", "status": "alive", "event_place": "Kornidzor"})
    bulletin = prepare_record(2, {"full_name": "Арутюнян А.", "status": "alive", "home_place": "с. Аскеран"})
    assert crossing["event_place"] is None
    assert comparison.levels[comparison.level_of(crossing, bulletin)].label == "missing"
    injured = prepare_record(3, {"full_name": "Арутюнян А.", "status": "injured", "event_place": "Аскеран"})
    assert injured["event_place"] is not None


def test_the_event_levels_take_their_m_from_their_u_split_by_the_share_hit_at_home() -> None:
    from rollcall_core.linkage.comparisons import EVENT_AWAY_LEVEL, EVENT_HOME_LEVEL
    from rollcall_core.linkage.model import set_event_place_m

    def level(label: str, m: float, u: float) -> dict[str, object]:
        return {"label_for_charts": label, "m_probability": m, "u_probability": u}

    trained = {"comparisons": [{"output_column_name": "place", "comparison_levels": [
        {"label_for_charts": "missing", "is_null_level": True},
        level("same", 0.97, 0.22), level("different", 0.01, 0.76),
        level(EVENT_HOME_LEVEL, 0.01, 0.008), level(EVENT_AWAY_LEVEL, 0.01, 0.012),
    ]}]}  # fmt: skip
    assert set_event_place_m(trained, at_home=0.8) == pytest.approx(0.016)
    levels = {lv["label_for_charts"]: lv for lv in trained["comparisons"][0]["comparison_levels"]}
    assert levels[EVENT_AWAY_LEVEL]["m_probability"] == pytest.approx(0.004)
    # The event levels weigh as often among true pairs as among random ones; the rest share what is left.
    assert sum(float(lv.get("m_probability", 0)) for lv in levels.values()) == pytest.approx(1.0)
    assert levels["same"]["m_probability"] / levels["different"]["m_probability"] == pytest.approx(97)


AGE_CASES = [
    # An exact age of 56 on 21 September 2023 against a full birth date.
    ("1967-04-02", "the age fits the birth date, counted either way"),  # 56 both ways
    ("1967-12-01", "the age fits the birth date, counted one way"),  # 2023 - 1967; 55 in completed years
    ("1966-12-01", "the age fits the birth date, counted one way"),  # 56 in completed years; 2023 - 1966 = 57
    ("1966-01-02", "the age is a year off the birth date"),  # 57 both ways
    ("1964-05-05", "within two years"),
]


@pytest.mark.parametrize(("birth_date", "expected"), AGE_CASES)
def test_an_exact_age_is_read_against_a_full_birth_date_both_ways_of_counting_alike_in_sql_and_python(
    birth_date: str, expected: str
) -> None:
    comparison = birth_comparison()
    aged = prepare_record(1, {"full_name": "Narine Adamyan", "age": "56", "status_date": "2023-09-21"})
    dated = prepare_record(2, {"full_name": "Narine Adamyan", "birth_date": birth_date})
    for a, b in ((aged, dated), (dated, aged)):
        assert comparison.levels[comparison.level_of(a, b)].label == expected
        columns = ("birth_year", "birth_month", "birth_day", "by_low", "by_high", "status_md")
        assert level_in_sql(comparison, a, b, dict.fromkeys(columns, "BIGINT")) == expected


def test_an_age_without_a_full_status_date_is_not_read_against_the_day():
    aged = prepare_record(1, {"full_name": "Narine Adamyan", "age": "56", "status_date": "2023-09"})
    dated = prepare_record(2, {"full_name": "Narine Adamyan", "birth_date": "1966-01-02"})
    assert aged["status_md"] is None
    assert level("birth", aged, dated) == "age consistent with birth year, both within 3 years"
