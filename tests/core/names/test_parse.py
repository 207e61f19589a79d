"""Parsing names into given, family and patronymic, in the orders lists write them."""

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


def test_it_parses_an_empty_name_to_nothing() -> None:
    assert parse_name("   ") == parse_name("")
    assert parse_name("").given == ""


def test_it_reads_a_turkic_patronymic_written_in_english_letters() -> None:
    assert parse_name("Mammadov Elvin Rashid ogli").patronymic == "Rashid ogli"
