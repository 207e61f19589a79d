"""Parsing names into given, family and patronymic, in the orders lists write them."""

import pytest

from rollcall_core.names import parse_name


def test_it_reads_a_russian_record_surname_first_with_patronymic() -> None:
    parsed = parse_name("Мелкумян Давид Ашотович")
    assert (parsed.family, parsed.given, parsed.patronymic) == ("Мелкумян", "Давид", "Ашотович")


def test_it_reads_a_feminine_russian_patronymic() -> None:
    assert parse_name("Адамян Сирануш Гагиковна").patronymic == "Гагиковна"


def test_it_reads_given_then_family_in_latin() -> None:
    parsed = parse_name("Davit Melkumyan")
    assert (parsed.given, parsed.family) == ("Davit", "Melkumyan")


def test_it_reads_a_family_name_first_when_told() -> None:
    parsed = parse_name("Petrossian Grigor", surname_first=True)
    assert (parsed.given, parsed.family) == ("Grigor", "Petrossian")


def test_it_recognises_a_surname_first_by_its_ending() -> None:
    parsed = parse_name("Petrossian Grigor")
    assert parsed.family == "Petrossian"


def test_it_reads_the_russian_turkic_patronymic_oglu() -> None:
    parsed = parse_name("Мамедов Эльвин Рашид оглы")
    assert (parsed.family, parsed.given, parsed.patronymic) == ("Мамедов", "Эльвин", "Рашид оглы")


def test_it_reads_the_azerbaijani_patronymic_qizi() -> None:
    assert parse_name("Quliyeva Səbinə Vaqif qızı").patronymic == "Vaqif qızı"


def test_it_reads_the_armenian_genitive_patronymic() -> None:
    parsed = parse_name("Սիրանուշ Գագիկի Ադամյան")
    assert (parsed.given, parsed.patronymic, parsed.family) == ("Սիրանուշ", "Գագիկի", "Ադամյան")


def test_it_does_not_take_a_given_name_ending_in_i_for_a_genitive() -> None:
    assert parse_name("Զարուհի Ադամյան").given == "Զարուհի"


def test_it_keeps_initials_apart() -> None:
    parsed = parse_name("Мелкумян Д. А.")
    assert parsed.family == "Мелкумян"
    assert parsed.initials == ("Д", "А")


@pytest.mark.parametrize(
    ("text", "family", "initials"),
    [
        ("Адамян А.С.", "Адамян", ("А", "С")),  # the peacekeepers' bulletins: no space between
        ("ADAMYAN A.S", "ADAMYAN", ("A", "S")),
        ("A.Sargsyan", "Sargsyan", ("A",)),
        ("Ադամյան Ա.Ս.", "Ադամյան", ("Ա", "Ս")),
    ],
)
def test_it_reads_initials_written_together_as_initials(text: str, family: str, initials: tuple[str, ...]) -> None:
    parsed = parse_name(text)
    assert (parsed.family, parsed.given, parsed.initials) == (family, "", initials)


def test_a_dot_after_a_whole_word_is_not_an_initial() -> None:
    assert parse_name("Sargsyan Armen.").given == "Armen."
    assert parse_name("St.Petersburg").initials == ()


def test_it_parses_an_empty_name_to_nothing() -> None:
    assert parse_name("   ") == parse_name("")
    assert parse_name("").given == ""


def test_it_reads_a_turkic_patronymic_written_in_english_letters() -> None:
    assert parse_name("Mammadov Elvin Rashid ogli").patronymic == "Rashid ogli"


@pytest.mark.parametrize(
    ("text", "family"),
    [("hovhannisyan vitali", "hovhannisyan"), ("Vitali Hovhannisyan", "Hovhannisyan"),
     ("Sargsyan Natali", "Sargsyan"), ("Marina Aliyeva", "Aliyeva"), ("sargsyan yeva", "sargsyan"),
     ("Gasparan Erik", "Gasparan"), ("Vardan Gasparan", "Gasparan")],
)  # fmt: skip
def test_when_both_words_end_like_family_names_the_stronger_ending_is_the_family(text: str, family: str) -> None:
    assert parse_name(text).family == family


@pytest.mark.parametrize("text", ["", ".", "...", ". . .", "<script>А.С.</script>"])
def test_dots_and_garbage_make_no_given_name_of_dots(text: str) -> None:
    parsed = parse_name(text)
    assert "." not in parsed.given
    assert all(len(initial) == 1 for initial in parsed.initials)


def test_a_huge_dotted_word_is_parsed_without_raising() -> None:
    assert parse_name("x" * 10_000 + ".y").initials == ()


@pytest.mark.parametrize(
    ("text", "given", "family"),
    [
        ("Նազելի Գրիգորյա", "Նազելի", "Գրիգորյա"),  # a dropped ն: the surname lost its ending; Nazeli ends like -li
        ("Հարությունյն Նարեկ", "Նարեկ", "Հարությունյն"),  # a slip in -յան, surname first
        ("Grigoran Ruzan", "Ruzan", "Grigoran"),  # a clerk's -an for -yan, and a given name ending in -an
        ("Ivanova Marina", "Marina", "Ivanova"),  # -ova still outweighs a known given name ending in -ina
    ],
)
def test_a_known_given_name_decides_the_order_where_the_endings_do_not(text: str, given: str, family: str) -> None:
    parsed = parse_name(text)
    assert (parsed.given, parsed.family) == (given, family)


def test_a_known_given_name_alone_is_a_given_name_though_it_ends_like_a_surname() -> None:
    assert (parse_name("Natali").given, parse_name("Natali").family) == ("Natali", "")
    assert parse_name("Petrosyan").family == "Petrosyan"


@pytest.mark.parametrize(
    ("text", "given", "family", "patronymic"),
    [
        ("Ավետիսյան Նազելի Գագիկի", "Նազելի", "Ավետիսյան", "Գագիկի"),  # the registers' order; Nazeli ends in -ի
        ("Ադամյան Անի Հրայրի", "Անի", "Ադամյան", "Հրայրի"),
        ("Մուսայելյն Լևոն Գագիկի", "Լևոն", "Մուսայելյն", "Գագիկի"),  # a slip in -յան: the order still reads
        ("Սիրանուշ Գագիկի Ադամյան", "Սիրանուշ", "Ադամյան", "Գագիկի"),  # the spoken order
        ("Զարուհի Ադամյան Գագիկի", "Զարուհի", "Ադամյան", "Գագիկի"),
    ],
)
def test_an_armenian_genitive_patronymic_is_found_last_or_in_the_middle(
    text: str, given: str, family: str, patronymic: str
) -> None:
    parsed = parse_name(text)
    assert (parsed.given, parsed.family, parsed.patronymic) == (given, family, patronymic)


def test_a_given_name_ending_in_i_is_not_dropped_from_the_search_keys_as_a_patronymic() -> None:
    from rollcall_core.names import normalize_name

    assert normalize_name("Ավետիսյան Նազելի Գագիկի").patronymic_tokens == ("gagiki",)
