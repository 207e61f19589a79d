"""The places of the crisis, each with one key and its names in several languages."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "places.json"


@dataclass(frozen=True)
class PlaceEntry:
    key: str
    kind: str
    lat: float
    lon: float
    parent: str | None
    names: dict[str, str]
    alternates: tuple[str, ...] = ()
    population_2015: int | None = None
    notes: str = ""
    all_names: tuple[str, ...] = field(default=())
    moved_to: str | None = None  # where most of its people lived after they left it in 2020


@lru_cache(maxsize=1)
def load_places() -> tuple[PlaceEntry, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    places = []
    for item in data["places"]:
        names = {lang: name for lang, name in item["names"].items() if name}
        alternates = tuple(item.get("alternates", ()))
        places.append(
            PlaceEntry(
                key=item["key"],
                kind=item["kind"],
                lat=float(item["lat"]),
                lon=float(item["lon"]),
                parent=item.get("parent"),
                names=names,
                alternates=alternates,
                population_2015=item.get("population_2015"),
                notes=item.get("notes", ""),
                moved_to=item.get("moved_to"),
                all_names=tuple(dict.fromkeys([*names.values(), *alternates])),
            )
        )
    return tuple(places)


def place_by_key(key: str) -> PlaceEntry:
    for place in load_places():
        if place.key == key:
            return place
    raise KeyError(key)


DISTRICT = "district"
NEIGHBOURHOOD = "neighbourhood"
CITY = "city"


def districts_of(places: Iterable[tuple[str, str, str | None]]) -> dict[str, str]:
    """Place key -> the key of the district it lies in, from (key, kind, parent key) of every place:
    the first district up its parents (a district is its own). Places in no district are left out,
    but for a neighbourhood of a city in no district (Krkzhan, joined to Stepanakert): its people give
    either name, so it is in the city's, as the capital is a district of its own (PlaceResolver)."""
    kind_and_parent = {key: (kind, parent) for key, kind, parent in places}
    found: dict[str, str] = {}
    for key in kind_and_parent:
        seen: set[str] = set()
        city: str | None = None
        at: str | None = key
        while at is not None and at in kind_and_parent and at not in seen:  # a cycle of parents ends the walk
            seen.add(at)
            kind, parent = kind_and_parent[at]
            if kind == DISTRICT:
                found[key] = at
                break
            city = city or (at if kind == CITY else None)
            at = parent
        if key not in found and city is not None and kind_and_parent[key][0] == NEIGHBOURHOOD:
            found[key] = city
    return found


def moved_to_of(places: Iterable[PlaceEntry] | None = None) -> dict[str, str]:
    """Place key -> the key of the place most of its people moved to when they left it (Hadrut and
    Shushi, taken in 2020: Stepanakert), for the places the gazetteer says this of."""
    return {p.key: p.moved_to for p in (load_places() if places is None else places) if p.moved_to}
