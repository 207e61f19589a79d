"""Person search through the names index: any script, partial names, filters, hostile queries."""

from __future__ import annotations

import pytest

from rollcall.registry.actions import do_import_list
from rollcall.registry.models import NameKey, Record
from rollcall.registry.search import SearchFilters, rebuild_index, search_persons

pytestmark = pytest.mark.django_db

MINISTRY_HY = (
    "Ազգանուն,Անուն,Հայրանուն,Սեռ,Ծննդյան ամսաթիվ,Բնակության վայր,Կարգավիճակ\n"
    "Ադամյան,Սիրանուշ,Գագիկի,իգական,1985-05-12,Ստեփանակերտ,անհայտ կորած\n"
    "Հովհաննիսյան,Արամ,Գևորգի,արական,1990,Մարտունի,զոհված\n"
    "Սարգսյան,Անի,Արմենի,իգական,1977,Մարտակերտ,զոհված\n"
)
SHELTER_EN = "full_name,sex,age,home_place\nSiranoush Adamian,female,35-39,Stepanakert\nAram Petrosyan,male,40,Goris\n"


@pytest.fixture
def lists(write_file):
    do_import_list(write_file("ministry.csv", MINISTRY_HY), source_name="Ministry of Health", kind="casualties")
    do_import_list(write_file("shelter.csv", SHELTER_EN), source_name="Airport shelter", kind="shelter")


def names_of(results):
    return [r.display_name for r in results]


def test_a_russian_query_finds_the_armenian_and_the_latin_records_first(lists):
    top_two = names_of(search_persons("Адамян Сирануш")[:2])
    assert any("Ադամյան" in n for n in top_two) and any("Adamian" in n for n in top_two)


def test_a_latin_query_ranks_both_spellings_of_the_same_name_above_others(lists):
    results = search_persons("Siranush Adamyan")
    top_two = names_of(results[:2])
    assert any("Adamian" in n for n in top_two) and any("Ադամյան" in n for n in top_two)


def test_a_family_name_alone_finds_the_person(lists):
    assert any("Հովհաննիսյան" in n for n in names_of(search_persons("Hovhannisyan")))


def test_the_sex_filter_keeps_only_that_sex(lists):
    results = search_persons("Aram", filters=SearchFilters(sex="female"))
    assert all("Արամ" not in n and "Aram" not in n for n in names_of(results))


def test_the_birth_year_filter_excludes_other_years(lists):
    assert search_persons("Adamyan", filters=SearchFilters(birth_year=1985))
    assert not [n for n in names_of(search_persons("Adamyan", filters=SearchFilters(birth_year=1950))) if "Ադամյան" in n]


def test_the_home_place_filter_accepts_any_of_the_places_names(lists):
    from rollcall.registry.actions import do_load_gazetteer

    do_load_gazetteer()
    results = search_persons("Adamyan", filters=SearchFilters(home_place="Степанакерт"))
    assert any("Ադամյան" in n for n in names_of(results))


@pytest.mark.parametrize(
    "query",
    ["", " ", "a", "x" * 10_000, "😀😀", "\u200f\u200e\u200d", "Ада\u0301мян", "'; DROP TABLE registry_record; --", "<script>alert(1)</script>", "Adam\u200dyan"],
)
def test_odd_queries_get_an_answer_never_an_error(lists, query):
    results = search_persons(query)
    assert isinstance(results, list)
    assert Record.objects.count() == 5


def test_the_index_is_written_with_the_import_and_can_be_rebuilt(lists):
    before = NameKey.objects.count()
    assert before > 0
    assert rebuild_index() == before
    assert search_persons("Адамян")
