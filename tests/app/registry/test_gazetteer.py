"""The places a database holds: seeded from the core gazetteer, and given the places it gains."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from rollcall.linkage.actions import place_resolver
from rollcall.registry.actions import do_load_gazetteer
from rollcall.registry.models import Place, PlaceName
from rollcall_core.gazetteer import load_places

pytestmark = pytest.mark.django_db

ADDED = ("krkzhan", "berkadzor", "khramort", "kichan", "mets-shen")


def test_loading_the_gazetteer_twice_adds_each_place_once() -> None:
    assert do_load_gazetteer() == len(load_places())
    assert do_load_gazetteer() == 0
    assert Place.objects.get(key="krkzhan").parent.key == "stepanakert"


def test_a_database_that_loaded_an_older_gazetteer_gains_its_new_places_and_keeps_its_edits() -> None:
    do_load_gazetteer()
    Place.objects.filter(key__in=ADDED).delete()  # as loaded before these places were known
    Place.objects.filter(key="askeran").update(name_en="Askeran (edited by staff)")
    migration = importlib.import_module("rollcall.registry.migrations.0007_gazetteer_places_added")
    migration.add_places(apps, None)
    assert set(Place.objects.filter(key__in=ADDED).values_list("key", flat=True)) == set(ADDED)
    assert Place.objects.get(key="khramort").parent.key == "askeran-district"
    assert PlaceName.objects.filter(place__key="berkadzor", name="Բերքաձոր", lang="hy").exists()
    assert Place.objects.get(key="askeran").name_en == "Askeran (edited by staff)"


def test_an_empty_database_is_left_empty_by_the_migration() -> None:
    # A database with no places gets the whole gazetteer when it is first loaded (demo, situation).
    migration = importlib.import_module("rollcall.registry.migrations.0007_gazetteer_places_added")
    migration.add_places(apps, None)
    assert not Place.objects.exists()


def test_linkage_reads_the_place_in_an_event_and_a_neighbourhood_in_the_capital() -> None:
    do_load_gazetteer()
    resolve = place_resolver()
    for written in ("Բենզինի պահեստ, Բերքաձոր", "склад ГСМ, Беркадзор", "fuel depot, Berkadzor"):
        assert resolve(written) == "berkadzor"
        assert resolve.district(written) == "askeran-district"
    assert resolve("Кркжан") == resolve("KRKZHAN") == "krkzhan"
    assert resolve.district("Кркжан") == resolve.district("Stepanakert") == "stepanakert"
    assert resolve.district("Khramort") == resolve.district("Askeran") == "askeran-district"
    # The keys the place comparison's 2020 level names (the gazetteer's moved_to) are the database's.
    assert resolve("Гадрут") == "hadrut" and resolve("Shushi") == "shushi" and resolve("Ստեփանակերտ") == "stepanakert"
