"""Blocking: a small block is paired in full, a large one only between neighbours in birth-year order."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from rollcall_core.linkage.blocking import (
    STANDARD_BLOCKING_RULES,
    THIN_RECORD,
    BlockingRule,
    blocked_pairs_sql,
)
from rollcall_core.linkage.features import prepare_record
from rollcall_core.linkage.model import with_place_shares

from .synthetic import lists
from .test_model import frame_of
from .test_quality import frame_of as frame_of_rows


def _pairs(frame: pd.DataFrame, rules: tuple[BlockingRule, ...], window: int) -> dict[tuple[str, str], str]:
    con = duckdb.connect()
    con.register("f", with_place_shares(frame)[0])  # as train_and_predict registers it
    return {(a, b): rule for rule, a, b in con.execute(blocked_pairs_sql("f", rules, window)).fetchall()}


def _plain(frame: pd.DataFrame, rules: tuple[BlockingRule, ...]) -> dict[tuple[str, str], str]:
    """Each rule's own condition on every pair (no window), the first rule that holds."""
    con = duckdb.connect()
    con.register("f", with_place_shares(frame)[0])
    found: dict[tuple[str, str], str] = {}
    for index, rule in enumerate(rules):
        sql = (
            f"SELECT l.unique_id, r.unique_id FROM f l JOIN f r ON ({rule.sql}) AND l.unique_id < r.unique_id"  # noqa: S608
        )
        for pair in con.execute(sql).fetchall():
            found.setdefault(pair, str(index))
    return found


def _namesakes(count: int) -> list[dict[str, object]]:
    """`count` records of one name, five born each year from 1925 (ids r000, r001, ... in birth order)."""
    return [
        prepare_record(f"r{i:03d}", {"full_name": "Armen Sargsyan", "birth_date": str(1925 + i // 5)})
        for i in range(count)
    ]


def test_a_window_wider_than_every_block_gives_each_rules_own_pairs_tagged_with_the_first_rule():
    records, _ = lists(200, seed=7)
    frame = frame_of(records)
    plain = _plain(frame, STANDARD_BLOCKING_RULES)
    assert len(plain) > 200
    assert _pairs(frame, STANDARD_BLOCKING_RULES, window=10_000) == plain


def test_a_large_block_is_paired_between_neighbours_only_so_pairs_grow_linearly():
    rule = (BlockingRule(("given", "family")),)
    small, large = (
        _pairs(frame_of_rows(_namesakes(40)), rule, window=4),
        _pairs(frame_of_rows(_namesakes(400)), rule, window=4),
    )
    # Every record meets at most 2 * window - 1 others on each side, however large the block.
    assert len(large) / len(small) == pytest.approx(10, rel=0.1)
    assert len(large) <= 400 * 7
    # Each record still meets its nearest namesakes by birth year.
    assert all((f"r{i:03d}", f"r{i + 1:03d}") in large for i in range(399))
    assert all((f"r{i:03d}", f"r{i + 4:03d}") in large for i in range(396))
    assert ("r000", "r399") not in large


def test_a_block_no_larger_than_twice_the_window_is_paired_in_full():
    rule = (BlockingRule(("given", "family")),)
    assert len(_pairs(frame_of_rows(_namesakes(8)), rule, window=4)) == 8 * 7 // 2


def test_a_record_with_only_an_initial_meets_its_block_but_two_full_names_do_not_meet_through_it():
    initial = prepare_record("initial", {"full_name": "Sargsyan A."})
    only_initial = tuple(r for r in STANDARD_BLOCKING_RULES if r.one_side == "given IS NULL")
    pairs = _pairs(frame_of_rows([*_namesakes(30), initial]), only_initial, window=4)
    assert {tuple(sorted((a, b))) for a, b in pairs} == {
        tuple(sorted(("initial", f"r{i:03d}"))) for i in range(30)
    }


@pytest.mark.parametrize("written", ["Киракосян Г.", "H. Kirakosyan", "Կիրակոսյան Հ."])
def test_a_record_with_only_the_initial_russian_writes_meets_the_given_name_it_stands_for(written: str) -> None:
    # Киракосян Г. for Hrachya Kirakosyan (Грачья): initials r and k differ; among 30 namesakes
    # named Armen, which no rule pairs with an initial Г. A written H. is the same case.
    initial = prepare_record("initial", {"full_name": written})
    hrachya = prepare_record("hrachya", {"given_name": "HRACHYA", "family_name": "KIRAKOSYAN", "birth_date": "1950"})
    armens = [prepare_record(f"r{i:03d}", {"full_name": "Armen Kirakosyan", "birth_date": str(1925 + i // 5)})
              for i in range(30)]  # fmt: skip
    pairs = _pairs(frame_of_rows([*armens, hrachya, initial]), STANDARD_BLOCKING_RULES, window=3)
    met = {a if b == "initial" else b for a, b in pairs if "initial" in (a, b)}
    assert met == {"hrachya"}


def test_a_record_with_a_maiden_name_meets_the_passport_that_still_gives_it():
    request = prepare_record("request", {"full_name": "Zaruhi Mkrtchyan", "alternate_names": "née Xachatryan",
                                         "age": "65", "status_date": "2023-09-21"})  # fmt: skip
    passport = prepare_record("passport", {"given_name": "ZARUHI", "family_name": "KHACHATRYAN", "birth_date": "1958-03-02"})
    other = prepare_record("other", {"given_name": "ANI", "family_name": "KHACHATRYAN", "birth_date": "1958-03-02"})
    pairs = _pairs(frame_of_rows([request, passport, other]), STANDARD_BLOCKING_RULES, window=3)
    assert {tuple(sorted(p)) for p in pairs if "request" in p} == {("passport", "request")}


def test_a_record_without_a_birth_year_meets_many_of_its_namesakes_not_only_the_window():
    # 200 Armen Sargsyans born 1960-1999, five a year; a shelter register's "Armen Sargsyan", no age.
    namesakes = [
        prepare_record(f"r{i:03d}", {"full_name": "Armen Sargsyan", "birth_date": str(1960 + i // 5)})
        for i in range(200)
    ]
    thin = prepare_record("thin", {"full_name": "Armen Sargsyan", "status_date": "2023-09-22"})
    frame = frame_of_rows([*namesakes, thin])
    met = {a if b == "thin" else b for a, b in _pairs(frame, STANDARD_BLOCKING_RULES, window=3) if "thin" in (a, b)}
    assert len(met) >= 40
    without = tuple(r for r in STANDARD_BLOCKING_RULES if r.one_side != THIN_RECORD)
    assert len({p for p in _pairs(frame, without, window=3) if "thin" in p}) <= 10


def test_a_record_with_only_an_initial_meets_every_namesake_of_its_home_place():
    fields = {"full_name": "Armen Sargsyan", "home_place": "Chartar"}
    here = [prepare_record(f"h{i:03d}", {**fields, "birth_date": str(1930 + i // 2)}) for i in range(90)]
    away = [prepare_record(f"a{i:03d}", {**fields, "home_place": "Sos", "birth_date": str(1930 + i // 2)})
            for i in range(300)]  # fmt: skip
    initial = prepare_record("initial", {"full_name": "Саргсян А.", "home_place": "с. Чартар"})
    pairs = _pairs(frame_of_rows([*here, *away, initial]), STANDARD_BLOCKING_RULES, window=3)
    met = {a if b == "initial" else b for a, b in pairs if "initial" in (a, b)}
    assert {r["unique_id"] for r in here} <= met


def test_a_record_with_only_a_family_name_meets_its_namesakes_of_its_home_place_whose_age_fits():
    # A shelter clerk's "Gevorgyan, female, 60-69, Nngi": no given name and no initial.
    here = [prepare_record(f"h{i:03d}", {"given_name": given, "family_name": "GEVORGYAN", "sex": "female",
                                         "birth_date": str(year), "home_place": "NNGI"})
            for i, (given, year) in enumerate([("ARMINE", 1961), ("ANI", 2021), ("GAYANE", 1958)])]
    away = prepare_record("away", {"given_name": "ARMINE", "family_name": "GEVORGYAN", "sex": "female",
                                   "birth_date": "1961", "home_place": "SOS"})
    male = prepare_record("male", {"given_name": "ARAM", "family_name": "GEVORGYAN", "sex": "male",
                                   "birth_date": "1961", "home_place": "NNGI"})
    thin = prepare_record("thin", {"full_name": "Gevorgian", "sex": "female", "age": "60-69",
                                   "status_date": "2023-09-22", "home_place": "Nngi"})  # fmt: skip
    assert thin["given"] is None and thin["given_initial"] is None and thin["family"]
    pairs = _pairs(frame_of_rows([*here, away, male, thin]), STANDARD_BLOCKING_RULES, window=3)
    met = {a if b == "thin" else b for a, b in pairs if "thin" in (a, b)}
    assert met == {"h000", "h002"}  # not the child, not another village, not a man


def test_a_window_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        blocked_pairs_sql("f", STANDARD_BLOCKING_RULES, window=0)


def test_a_rule_on_any_table_names_its_columns_on_both_sides():
    rule = BlockingRule(("given_name", "right(surname, 2)"), "l.age <= r.age", one_side="postcode IS NULL")
    assert rule.sql == (
        "l.given_name = r.given_name AND right(l.surname, 2) = right(r.surname, 2) "
        "AND (l.postcode IS NULL OR r.postcode IS NULL) AND l.age <= r.age"
    )


def test_namesakes_of_one_village_meet_when_a_guessed_age_is_years_off_but_not_a_generation_apart():
    # A relative's "49" for a man born in 1981, a volunteer's band of 30-35 for him: seven and six years
    # off, more than the first rule's five for an age (the next test), within the place rule's ten.
    border = prepare_record("border", {"given_name": "ARMEN", "family_name": "MELIKYAN", "birth_date": "1981-08-28",
                                       "home_place": "TAGHAVARD"})
    guessed = prepare_record("guessed", {"full_name": "Մելիքյան Արմեն", "age": "49", "status_date": "2023-09-19",
                                         "home_place": "Տաղավարդ"})
    band = prepare_record("band", {"full_name": "Armen Melikyan", "age": "30-35", "status_date": "2023-09-28",
                                   "home_place": "Taghavard"})
    grandson = prepare_record("grandson", {"full_name": "Armen Melikyan", "birth_date": "2005", "home_place": "Taghavard"})
    elsewhere = prepare_record("elsewhere", {"full_name": "Armen Melikyan", "age": "49", "status_date": "2023-09-19",
                                             "home_place": "Martuni"})  # fmt: skip
    # The capital, a fifth or more of the records that give a place, has too many namesakes for it.
    capital = [prepare_record(f"c{i}", {"full_name": name, "age": "49", "status_date": "2023-09-19",
                                        "home_place": "Stepanakert"})
               for i, name in enumerate(["Armen Melikyan", "Armen Melikyan", "Aram Sahakyan"])]
    capital_border = prepare_record("capital_border", {"given_name": "ARMEN", "family_name": "MELIKYAN",
                                                      "birth_date": "1981-08-28", "home_place": "STEPANAKERT"})  # fmt: skip
    others = [prepare_record(f"o{i}", {"full_name": f"{name} Hakobyan", "birth_date": "1960", "home_place": place})
              for i, (name, place) in enumerate([(n, p) for n in ("Ani", "Gohar", "Lilit") for p in
                                                 ("Stepanakert", "Sos", "Vank", "Drmbon", "Chartar", "Askeran")])]
    records = [border, guessed, band, grandson, elsewhere, *capital, capital_border, *others]
    shares = with_place_shares(frame_of_rows(records))[1]
    assert shares[capital_border["place"]] >= 0.2 > shares[border["place"]]
    pairs = _pairs(frame_of_rows(records), STANDARD_BLOCKING_RULES, window=3)
    met = {a if b == "border" else b for a, b in pairs if "border" in (a, b)}
    assert {"guessed", "band"} <= met
    assert "grandson" not in met and "elsewhere" not in met
    assert not {a if b == "capital_border" else b for a, b in pairs if "capital_border" in (a, b)} & {"c0", "c1"}


def test_an_age_within_five_years_of_a_date_meets_it_anywhere_but_two_dates_five_years_apart_do_not():
    # A shelter's "45" (or a band of 35-40) for a man born in 1981 in the capital, where the place rule
    # does not reach: the first rule lets an age be five years off; two dates that far apart are namesakes.
    border = prepare_record("border", {"given_name": "ARMEN", "family_name": "MELIKYAN", "birth_date": "1981-08-28",
                                       "home_place": "STEPANAKERT"})
    aged = prepare_record("aged", {"full_name": "Armen Melikyan", "age": "45", "status_date": "2023-09-19"})
    band = prepare_record("band", {"full_name": "Armen Melikyan", "age": "35-40", "status_date": "2023-09-28"})
    dated = prepare_record("dated", {"full_name": "Armen Melikyan", "birth_date": "1976-03-02",
                                     "home_place": "Stepanakert"})
    far = prepare_record("far", {"full_name": "Armen Melikyan", "age": "49", "status_date": "2023-09-19"})  # fmt: skip
    pairs = _pairs(frame_of_rows([border, aged, band, dated, far]), STANDARD_BLOCKING_RULES, window=3)
    met = {a if b == "border" else b for a, b in pairs if "border" in (a, b)}
    assert met == {"aged", "band"}
