from __future__ import annotations

import dataclasses

import pytest

from rollcall_core.gazetteer import PlaceEntry, districts_of, load_places, place_by_key

SETTLEMENT_KINDS = {"city", "town", "village"}


def test_it_lists_at_least_forty_settlements_of_nagorno_karabakh() -> None:
    settlements = [p for p in load_places() if p.kind in SETTLEMENT_KINDS and p.parent != "armenia"]
    assert len(settlements) >= 40


def test_every_place_has_a_unique_key() -> None:
    keys = [p.key for p in load_places()]
    assert len(keys) == len(set(keys))


def test_every_parent_is_a_known_place() -> None:
    keys = {p.key for p in load_places()}
    assert all(p.parent is None or p.parent in keys for p in load_places())


def test_every_place_is_named_in_armenian_russian_and_english() -> None:
    # Azerbaijani names are left out, not invented, where we do not know them (see places.json notes).
    missing = [p.key for p in load_places() if not {"hy", "ru", "en"} <= set(p.names)]
    assert missing == []


def test_most_places_are_named_in_azerbaijani_too() -> None:
    named = [p for p in load_places() if "az" in p.names]
    assert len(named) >= 0.9 * len(load_places())


def test_names_are_written_in_the_script_of_their_language() -> None:
    for place in load_places():
        assert any("\u0530" <= ch <= "\u058f" for ch in place.names["hy"]), place.key
        assert any("\u0400" <= ch <= "\u04ff" for ch in place.names["ru"]), place.key
        assert place.names["en"].isascii(), place.key


def test_coordinates_of_karabakh_places_fall_in_the_south_caucasus() -> None:
    for place in load_places():
        assert 38.5 < place.lat < 41.5 and 43.5 < place.lon < 48.0, place.key


def test_stepanakert_is_known_by_its_azerbaijani_name_too() -> None:
    stepanakert = place_by_key("stepanakert")
    assert stepanakert.names["az"] == "Xankəndi"
    assert "Khankendi" in stepanakert.all_names


def test_a_place_entry_cannot_be_changed() -> None:
    place: PlaceEntry = load_places()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        place.key = "elsewhere"  # type: ignore[misc]


def test_an_unknown_key_is_refused() -> None:
    with pytest.raises(KeyError):
        place_by_key("atlantis")


def test_a_village_lies_in_its_district_and_the_district_town_in_the_same() -> None:
    districts = districts_of((p.key, p.kind, p.parent) for p in load_places())
    assert districts["drmbon"] == districts["martakert"] == districts["martakert-district"] == "martakert-district"
    assert districts["taghavard"] == districts["chartar"] == "martuni-district"
    assert "stepanakert" not in districts  # the capital is in no district
    assert districts["krkzhan"] == "stepanakert"  # but its neighbourhoods are in the capital's


def test_districts_of_survives_a_cycle_of_parents_and_an_unknown_parent() -> None:
    places = [("a", "village", "b"), ("b", "village", "a"), ("c", "village", "nowhere"), ("d", "district", None)]
    assert districts_of(places) == {"d": "d"}
