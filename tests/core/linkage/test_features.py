from rollcall_core.linkage.features import has_a_name, prepare_record


def test_it_gives_one_family_key_to_armenian_russian_and_passport_spellings():
    keys = {
        prepare_record(1, {"full_name": name})["family"]
        for name in ("Արմեն Խաչատրյան", "Хачатрян Армен", "ARMEN KHACHATRYAN")
    }
    assert len(keys) == 1


def test_it_finds_the_family_name_first_in_a_russian_name_with_a_patronymic():
    row = prepare_record(1, {"full_name": "Овсепян Анна Арменовна"})
    passport = prepare_record(2, {"given_name": "ANNA", "family_name": "HOVSEPYAN"})
    assert (row["given"], row["family"]) == (passport["given"], passport["family"])
    assert row["patronymic"] == "armen"


def test_it_treats_a_birth_date_after_the_status_date_as_unknown():
    row = prepare_record(
        1, {"full_name": "Anna Sargsyan", "birth_date": "2024-01-02", "status_date": "2023-09-22"}
    )
    assert row["birth_year"] is None and row["by_low"] is None


def test_it_reads_an_age_range_as_the_birth_years_it_allows_at_the_status_date():
    row = prepare_record(1, {"full_name": "Anna Sargsyan", "age": "30-35", "status_date": "2023-09-22"})
    assert (row["by_low"], row["by_high"]) == (1987, 1993)


def test_it_reads_a_partial_birth_date_as_a_year_and_month():
    row = prepare_record(1, {"full_name": "Anna Sargsyan", "birth_date": "1970-05"})
    assert (row["birth_year"], row["birth_month"], row["birth_day"]) == (1970, 5, None)


def test_a_record_without_a_name_is_not_linkable():
    assert not has_a_name(prepare_record(1, {"full_name": "", "age": "40"}))


def test_a_record_with_only_a_given_name_keeps_it_as_a_given_name():
    row = prepare_record(1, {"full_name": "Anna"})
    assert row["given"] and row["family"] is None and has_a_name(row)


def test_a_name_written_in_three_scripts_at_once_still_yields_one_given_and_family():
    row = prepare_record(1, {"full_name": "Anna Սարգսյան Саргсян"})
    assert row["given"] == prepare_record(2, {"full_name": "Anna Sargsyan"})["given"]
    assert row["family"] is not None


def test_a_western_armenian_spelling_shares_the_sound_key_of_the_eastern_one():
    west = prepare_record(1, {"full_name": "Roupen Tanielian"})
    east = prepare_record(2, {"given_name": "RUBEN", "family_name": "DANIELYAN"})
    assert (west["given_sk"], west["family_sk"]) == (east["given_sk"], east["family_sk"])


def test_an_initial_in_the_given_name_column_is_an_initial_as_it_is_in_a_full_name():
    column = prepare_record(1, {"family_name": "Арутюнян", "given_name": "А."})
    full = prepare_record(2, {"full_name": "Арутюнян А."})
    assert (column["given"], column["given_initial"], column["family"]) == (None, "a", full["family"])
    assert full["given"] is None and full["given_initial"] == "a"
    # Two letters are a name, not initials.
    assert prepare_record(3, {"family_name": "Li", "given_name": "Al"})["given"] == "al"


def test_a_status_that_is_not_one_of_ours_or_an_impossible_status_date_says_nothing():
    odd = prepare_record(
        1, {"full_name": "Anna Sargsyan", "status": "<script>alert(1)</script>", "status_date": "2023-02-31"}
    )
    assert odd["status"] is None and odd["status_on"] is None
    empty = prepare_record(2, {"full_name": "Anna Sargsyan", "status": "", "status_date": ""})
    assert empty["status"] is None and empty["status_on"] is None
    dated = prepare_record(3, {"full_name": "Anna Sargsyan", "status": " Dead ", "status_date": "20.09.2023"})
    assert (
        dated["status"] == "dead"
        and dated["status_on"] == prepare_record(4, {"status_date": "2023-09-20"})["status_on"]
    )


def test_one_place_sounds_the_same_in_every_script_and_habit():
    from rollcall_core.linkage.features import place_sound

    spellings = ("Беркадзор", "BERKADZOR", "Բերքաձոր", "с. Беркадзор", "н.п. Беркадзор", "Berkadzor village")
    assert {place_sound(s) for s in spellings} == {place_sound("Berkadzor")}
    assert place_sound("Чанкатах") == place_sound("Chankatagh")  # Russian х for Armenian ղ
    assert place_sound("Sdepanagerd") == place_sound("Stepanakert")  # Western Armenian
    assert place_sound("Karmir-Shuka") == place_sound("Кармир Шука")
    assert len({place_sound(s) for s in ("Sos", "Sis", "Martuni", "Martakert")}) == 4


def test_a_place_resolves_to_the_gazetteer_key_by_any_spelling_and_to_its_sound_otherwise():
    from rollcall_core.linkage.features import PlaceResolver, place_sound

    place_of = PlaceResolver({"чанкатаг": "chankatagh", "chankatagh": "chankatagh", "ağdərə": "martakert"})
    assert place_of("Ağdərə") == "martakert"
    assert place_of("Чанкатах") == place_of("CHANKATAGH") == "chankatagh"
    assert place_of("Беркадзор") == place_of("BERKADZOR") == place_sound("Berkadzor")
    assert place_of("   ") is None
    row = prepare_record(1, {"full_name": "Аветисян Л.М.", "home_place": "с. Чанкатах"}, place_of)
    assert (row["place"], row["given"], row["given_initial"]) == ("chankatagh", None, "l")


def test_a_place_of_punctuation_or_nothing_has_no_key_and_a_huge_one_stays_bounded():
    from rollcall_core.linkage.features import PlaceResolver, place_sound

    place_of = PlaceResolver({})
    for text in ("", "   ", "...", "- - -"):
        assert place_sound(text) == ""
        assert place_of(text) is None
    assert len(place_sound("Askeran " * 2_000)) < 100_000
    # Not read as a slip of a known place either: its variants would be as many as its letters.
    assert PlaceResolver({"askeran": "askeran"})("Askeran " * 2_000) == place_sound("Askeran " * 2_000)
    # Thousands of parts between commas, brackets and semicolons: each looked up once, and none known
    # leaves the first part's sound; an empty part or only separators is no place.
    many = PlaceResolver({"askeran": "askeran"})
    assert many("fuel depot, " * 5_000 + "Askeran") == "askeran"
    assert many("fuel depot, " * 5_000) == place_sound("fuel depot")
    for text in (",,,", "(;)", " , ; "):
        assert many(text) is None and many.district(text) is None


def test_a_batch_gives_each_record_the_features_it_gets_alone_whatever_repeats_and_whatever_is_missing():
    # prepare_columns works out each distinct name, date and place of a batch once: every row
    # must still get its own, with fields absent from the batch empty for all and None as empty.
    from rollcall_core.linkage.features import (
        FEATURE_COLUMNS,
        PlaceResolver,
        named_rows,
        prepare_columns,
    )

    records = [
        {"full_name": "Овсепян Анна Арменовна", "birth_date": "1970-05-17", "status": "dead", "event_place": "Askeran"},
        {"full_name": "Anna Hovsepyan", "age": "53", "status_date": "2023-09-20", "status": "alive",
         "event_place": "Kornidzor"},
        {"full_name": "Овсепян Анна Арменовна", "birth_date": "1970-05-17", "status": "alive", "event_place": "Askeran"},
        {"full_name": None, "age": "40", "home_place": "Stepanakert"},
        {"full_name": "Anna Hovsepyan", "age": "53", "status_date": "2023-09-22", "sex": "ж"},
    ]  # fmt: skip
    fields = ("full_name", "age", "birth_date", "status", "status_date", "event_place", "home_place", "sex")
    place_of = PlaceResolver({name: name for name in ("askeran", "kornidzor", "stepanakert")})
    columns = prepare_columns([10, 11, 12, 13, 14], {f: [r.get(f) for r in records] for f in fields}, place_of)
    assert tuple(columns) == FEATURE_COLUMNS
    for row, (unique_id, record) in enumerate(zip([10, 11, 12, 13, 14], records, strict=True)):
        alone = prepare_record(unique_id, {f: v for f, v in record.items() if v is not None}, place_of)
        assert {c: columns[c][row] for c in FEATURE_COLUMNS} == alone
    assert columns["event_place"] == ["askeran", None, None, None, None]  # the alive are seen, not hurt, there
    assert columns["district"] == [None, None, None, "stepanakert", None]  # a known place in no district is its own
    assert columns["by_low"][1] != columns["by_low"][4] or columns["status_md"][1] != columns["status_md"][4]
    assert columns["patronymic"][0] == columns["patronymic"][2] and columns["patronymic"][0]
    assert named_rows(columns) == [0, 1, 2, 4]
    assert prepare_columns([], {}, None) == {c: [] for c in FEATURE_COLUMNS}


def test_an_address_with_its_district_is_the_village_and_a_district_alone_stays():
    # Relatives write "Martuni district, village Spitakashen"; a bulletin writes "с. Спитакашен".
    from rollcall_core.linkage.features import PlaceResolver, place_name

    assert place_name("Մարտունու շրջան, գ. Սպիտակաշեն") == "Սպիտակաշեն"
    assert place_name("Taghavard, Martuni region") == place_name("Taghavard (Martuni region)") == "Taghavard"
    assert place_name("Мартунинский р-н, с. Гиши") == "Гиши"
    assert place_name("Xocavənd rayonu, Hadrut kəndi") == "Hadrut"
    assert place_name("Martuni region") == "Martuni"  # only a district: the district is the place
    assert place_name("Stepanakert, Nagorno-Karabakh") == "Stepanakert"
    place_of = PlaceResolver({"спитакашен": "spitakashen"})
    bulletin = prepare_record(1, {"full_name": "Мкртчян Лиана", "home_place": "с. Спитакашен"}, place_of)
    tracing = prepare_record(2, {"full_name": "Մկրտչյան Լիանա", "home_place": "Մարտունու շրջան, գ. Սպիտակաշեն"},
                             place_of)  # fmt: skip
    assert bulletin["place"] == tracing["place"] == "spitakashen"


def test_a_district_town_and_a_village_of_its_district_share_the_district_and_the_capital_is_its_own():
    # A border list writes MARTAKERT where a bulletin writes the village: different places, one district.
    from rollcall_core.linkage.features import gazetteer_resolver

    place_of = gazetteer_resolver()
    border = prepare_record(1, {"full_name": "ARSEN VARDANYAN", "home_place": "MARTAKERT"}, place_of)
    bulletin = prepare_record(2, {"full_name": "Варданян Арсен", "home_place": "с. Дрмбон"}, place_of)
    assert (border["place"], bulletin["place"]) == ("martakert", "drmbon")
    assert border["district"] == bulletin["district"] == "martakert-district"
    assert place_of.district("Ստեփանակերտ") == "stepanakert"
    # A village the gazetteer does not know: its district only where the address writes one.
    assert place_of.district("с. Авдур") is None
    assert place_of.district("Martuni region, v. Avdur") == place_of.district("Мартунинский район, с. Авдур")
    assert place_of.district("Մարտունու շրջան, գ. Ավդուր") == place_of.district("Chartar") == "martuni-district"
    # A neighbourhood of the capital (Krkzhan, joined to Stepanakert) is in the capital's.
    assert place_of.district("Кркжан") == place_of.district("STEPANAKERT") == "stepanakert"
    assert place_of.district("Avetaranots") != place_of.district("Taghavard")
    assert place_of.district("") is None


def test_where_a_list_names_what_happened_before_the_place_the_place_is_the_part_the_gazetteer_knows():
    from rollcall_core.linkage.features import gazetteer_resolver

    place_of = gazetteer_resolver()
    # The fuel depot at Berkadzor (25 September 2023), a combat position at a village.
    for written in ("Բենզինի պահեստ, Բերքաձոր", "склад ГСМ, Беркадзор", "fuel depot, Berkadzor"):
        assert place_of(written) == "berkadzor" and place_of.district(written) == "askeran-district"
    assert place_of("боевая позиция, Тагавард") == place_of("մարտական դիրք, Թաղավարդ") == "taghavard"
    # The first known part, as before where the first is known; a text of unknown parts keeps its sound.
    assert place_of("Stepanakert, Artsakh") == "stepanakert"
    assert place_of("fuel depot, Nowhere") == place_of("fuel depot")
    # A front named by the town it faces (in Armenian the genitive, as the district's name writes it).
    assert place_of("Martakert direction") == "martakert"
    assert place_of.district("Մարտակերտի ուղղություն") == place_of.district("направление Мартакерт") == "martakert-district"


def test_a_place_spelt_with_other_vowels_is_known_by_its_consonants_where_they_name_one_place_only():
    from rollcall_core.linkage.features import PlaceResolver, gazetteer_resolver

    place_of = gazetteer_resolver()
    assert place_of("Венгли") == place_of("Vəngli") == "vank"  # Russian е for Azerbaijani ə
    assert place_of("Jangatagh") == place_of("Ճանկաթաղ") == "chankatagh"  # Western Armenian
    assert place_of("Кырмызы Базар") == "karmir-shuka"
    # Russian г for the Azerbaijani h defeats the consonants, so the gazetteer writes it: Гейвалы = Heyvalı.
    assert place_of("н.п. Гейвалы") == place_of("Heyvalı") == "drmbon"
    assert place_of("КПП Лачин (мост Акари)") == place_of("Laçın sərhəd-buraxılış məntəqəsi") == "hakari-bridge"
    assert place_of("Shosh") == "shosh" and place_of("Shushi") == "shushi"  # one skeleton, two places
    two = PlaceResolver({"shosh": "shosh", "shushi": "shushi"})
    assert two("Shasha") not in ("shosh", "shushi")  # no sound matches and the skeleton names two


def test_an_armenian_given_name_with_sh_keeps_it_and_is_not_taken_for_a_group_without_it():
    # Folding Շուշան straight gave "susan" (Susanna's group); Latin Shushan stayed Shushan.
    armenian = prepare_record(1, {"full_name": "Շուշան Հարությունյան"})
    latin = prepare_record(2, {"full_name": "shoushan haroutyounyan"})
    susanna = prepare_record(3, {"full_name": "Սուսաննա Հարությունյան"})
    assert armenian["given"] == latin["given"] and armenian["given_sk"] == latin["given_sk"]
    assert armenian["given"] != susanna["given"]
    assert susanna["given"] == prepare_record(4, {"full_name": "Susanna Harutyunyan"})["given"]
    assert prepare_record(5, {"full_name": "Ժորա Բալայան"})["given"] == prepare_record(6, {"full_name": "Zhora Balayan"})["given"]


def test_a_place_with_a_clerks_slip_is_the_one_place_a_letter_away_and_a_short_or_doubtful_one_is_not():
    from rollcall_core.linkage.features import PlaceResolver, gazetteer_resolver

    place_of = gazetteer_resolver()
    assert place_of("Maftuni") == place_of("Martuni") == "martuni"  # a letter changed
    assert place_of("Stepanakkert") == place_of("Ստեփանակետ") == "stepanakert"  # added; lost, in Armenian
    assert place_of("Martakret") == "martakert"  # two letters swapped
    assert place_of.district("Mataghhis") == place_of.district("Mataghis") == "martakert-district"
    # Short names have too many neighbours to guess: Sos and Vank are read as written.
    assert place_of("Sod") != place_of("Sos") and place_of("Vand") != "vank"
    # A slip that lies a letter from two places names neither.
    assert PlaceResolver({"aghavno": "aghavno"})("aghavnu") == "aghavno"
    two = PlaceResolver({"aghavno": "aghavno", "aghavni": "aghavni"})
    assert two("aghavnu") not in ("aghavno", "aghavni")
    assert two("aghavno") == "aghavno"


def test_a_given_name_with_a_slip_joins_its_group_but_a_name_known_as_itself_or_a_short_one_does_not():
    def given(name: str) -> str | None:
        return prepare_record(name, {"given_name": name, "family_name": "Petrosyan"})["given"]

    assert given("SERGEI") == given("Serkey") == given("Сергей") == given("Sargis")  # not spelt in the group lists
    assert given("Mikaeel") == given("Mikayel")
    assert given("Juleta") == given("Julieta")
    # Arman is a name of its own, one letter from Armen; Ryta and Rita are too short to guess at.
    assert given("Arman") != given("Armen")
    assert given("Ryta") != given("Rita")
    # Nor a name longer than any given name (hostile input): its slips would be as many as its letters.
    from rollcall_core.linkage.features import _group_with_a_slip

    assert _group_with_a_slip("sergei" * 5_000) is None


def test_only_a_death_or_an_injury_says_where_the_person_was_hit_not_where_a_missing_or_detained_one_was_seen():
    from rollcall_core.linkage.features import gazetteer_resolver

    place_of = gazetteer_resolver()
    fields = {"full_name": "Karen Adamyan", "event_place": "Askeran"}
    assert prepare_record(1, {**fields, "status": "dead"}, place_of)["event_place"] == "askeran"
    assert prepare_record(2, {**fields, "status": "injured"}, place_of)["event_place"] == "askeran"
    for status in ("missing", "detained", "alive", "unknown", ""):
        assert prepare_record(3, {**fields, "status": status}, place_of)["event_place"] is None


def test_a_word_written_for_an_unnamed_baby_is_no_given_name_and_the_family_name_stays():
    for name in ("Baby Nersesyan", "Նորածին Ներսեսյան", "Нерсесян ребёнок"):
        record = prepare_record(name, {"full_name": name})
        assert record["given"] is None and record["given_initial"] is None
        assert record["family"] == prepare_record(0, {"full_name": "Aram Nersesyan"})["family"]
    assert prepare_record(1, {"given_name": "Baby", "family_name": "Nersesyan"})["given"] is None
    assert prepare_record(2, {"full_name": "Babken Nersesyan"})["given"] is not None
    assert not has_a_name(prepare_record(3, {"full_name": "Baby"}))
