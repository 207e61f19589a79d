"""The places of the crisis, each with one key and its names in several languages."""

from __future__ import annotations

import json
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
                all_names=tuple(dict.fromkeys([*names.values(), *alternates])),
            )
        )
    return tuple(places)


def place_by_key(key: str) -> PlaceEntry:
    for place in load_places():
        if place.key == key:
            return place
    raise KeyError(key)
