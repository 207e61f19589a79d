"""Search keys: few and short, shared by every spelling of one person, even for partial queries."""

import pytest

from rollcall_core.names import index_keys, keys_version, search_keys
from rollcall_core.names.candidates import is_broad

SAME_PERSON = [
    "Հակոբ Հովհաննիսյան",
    "Յակոբ Յովհաննէսեան",
    "Оганесян Акоп Мартинович",
    "Hakob Hovhannisyan",
    "Hagop Ohanessian",
    "Akop Oganesyan",
]


@pytest.mark.parametrize("spelling", SAME_PERSON[1:])
def test_every_spelling_of_a_person_shares_a_key(spelling: str) -> None:
    assert search_keys(SAME_PERSON[0]) & search_keys(spelling)


@pytest.mark.parametrize("record", SAME_PERSON)
def test_a_family_name_alone_shares_a_key_with_full_records(record: str) -> None:
    assert search_keys("Hovhannisyan") & search_keys(record)


@pytest.mark.parametrize("record", ["Мелкумян Давид Ашотович", "Davit Melkumyan", "Դավիթ Մելքումյան"])
def test_a_given_name_with_an_initial_shares_a_key_with_full_records(record: str) -> None:
    assert search_keys("Davit M.") & search_keys(record)


def test_different_family_names_share_no_family_key() -> None:
    assert not search_keys("Adamyan") & search_keys("Abrahamyan")


def test_a_long_name_has_few_short_keys() -> None:
    name = "Тер-Петросян Александр Григорьевич Давид Арам Гагик Мартин Самвел"
    assert len(index_keys(name)) <= 12
    assert len(search_keys(name)) <= 24
    assert all(len(key) <= 64 for key in search_keys(name))


@pytest.mark.parametrize("text", ["", "😀", "\u200f", "' OR 1=1 --", "<b>", "x" * 10_000])
def test_garbage_gives_bounded_keys_without_raising(text: str) -> None:
    assert len(index_keys(text)) <= 12
    assert len(search_keys(text)) <= 24


@pytest.mark.parametrize("name", SAME_PERSON + ["Günel Hüseynova", "Vartan Oskanian"])
def test_a_query_looks_up_every_key_the_same_name_is_indexed_under(name: str) -> None:
    assert index_keys(name) <= search_keys(name)


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Günel Hüseynova", "Гусейнова Гюнель Ильгар кызы"),
        ("Гусейнова Гюнель", "Gunel Huseynova"),
        ("Vardan Voskanyan", "Vartan Oskanian"),
        ("Vartan Oskanian", "Восканян Вардан Левонович"),
    ],
)
def test_a_first_sound_read_two_ways_still_meets_the_record_through_a_rare_key(query: str, record: str) -> None:
    # A pair or initial key, not only a family name that thousands of namesakes share.
    assert {key for key in search_keys(query) if not is_broad(key)} & index_keys(record)


def test_the_keys_have_a_version() -> None:
    assert isinstance(keys_version, str) and keys_version


@pytest.mark.parametrize(
    ("query", "record"), [("Huseynova", "Гусейнова Гюнель"), ("Guseynova", "Günel Hüseynova")]
)
def test_a_russian_g_for_h_shares_a_key_with_the_h_spelling(query: str, record: str) -> None:
    assert search_keys(query) & search_keys(record)


def test_an_initial_gives_a_key_rarer_than_the_family_name_alone() -> None:
    shared = search_keys("Мелкумян Д.") & search_keys("Davit Melkumyan")
    assert shared - search_keys("Мелкумян")
