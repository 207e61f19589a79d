"""A registry of dead persons on three linked lists, built through the real import and merge actions."""

from __future__ import annotations

import pytest

# Stepanakert's people are on three lists (estimable); Martuni's only on two (refused: fewer than
# 3 lists); two handfuls (one from a place whose name is HTML), too few to estimate or to publish.
STEPANAKERT_SPELLINGS = ("Stepanakert", "Степанакерт", "Ստեփանակերտ")
HTML_PLACE = "<b>Vank</b>"
LISTS = (
    ("NK Ministry of Health", "casualties"),
    ("Republican Medical Center", "hospital"),
    ("Red Cross tracing desk", "missing_reports"),
)


def _on(i: int) -> tuple[bool, bool, bool]:
    """Which of the three lists person i of Stepanakert is on: overlapping, none of them complete."""
    a = i % 2 == 0 or i % 7 == 0
    b = i % 3 == 0 or i % 5 == 0
    c = i % 4 == 1 or i % 6 == 0
    return (a or not (b or c), b, c)


def population() -> list[dict[str, object]]:
    people: list[dict[str, object]] = []
    for i in range(60):
        people.append({"name": f"Aram Stepanyan {i}", "place": STEPANAKERT_SPELLINGS[i % 3],
                       "sex": "male" if i % 2 else "female", "on": _on(i)})  # fmt: skip
    for i in range(12):
        people.append({"name": f"Gohar Martunyan {i}", "place": "Martuni", "sex": "female",
                       "on": (True, i % 3 != 0, False)})  # fmt: skip
    for i in range(3):
        people.append(
            {"name": f"Levon Vankyan {i}", "place": HTML_PLACE, "sex": "male", "on": (True, True, i == 0)}
        )
    for i in range(4):
        people.append(
            {"name": f"Ani Chartaryan {i}", "place": "Chartar", "sex": "female", "on": (True, False, False)}
        )
    return people


@pytest.fixture
def gazetteer(db):
    from rollcall.registry.models import Place, PlaceName

    place = Place.objects.create(key="stepanakert-test", name_en="Stepanakert", kind="city")
    for name, lang in zip(STEPANAKERT_SPELLINGS, ("en", "ru", "hy"), strict=True):
        PlaceName.objects.get_or_create(
            place=place, name=name, lang=lang, defaults={"folded": name.casefold()}
        )
    return place


@pytest.fixture
def dead_on_lists(import_csv, gazetteer):
    """Import the three lists, then merge each person's records as a reviewer would (do_merge)."""
    from rollcall.linkage.actions import do_merge
    from rollcall.registry.models import Person, Record

    people = population()
    for index, (source, kind) in enumerate(LISTS):
        rows = ["record_id,full_name,sex,home_place,status,category"]
        for n, person in enumerate(people):
            if person["on"][index]:  # type: ignore[index]
                rows.append(f'{index}-{n},{person["name"]},{person["sex"]},"{person["place"]}",dead,civilian')
        import_csv("\n".join(rows) + "\n", source=source, kind=kind, name=f"list{index}.csv")
    for person in people:
        persons = list(Person.objects.filter(records__full_name=person["name"]).distinct().order_by("id"))
        for other in persons[1:]:
            do_merge(persons[0], other, user=None, reason="same person on several lists (test)")
    assert Person.objects.filter(status="dead").count() == len(people)
    assert Record.objects.count() == sum(sum(p["on"]) for p in people)  # type: ignore[arg-type]
    return people


@pytest.fixture
def quick_lcmcr(monkeypatch):
    """LCMCR with short chains: HRDAG's production settings take half a minute a table, and these tests
    check the plumbing (progress, JSON, pages), not the sampler (tests/core/estimation does that)."""
    import rollcall.estimates as estimates

    real = estimates.estimate

    def quick(table, *, method, **kwargs):
        if method == "lcmcr":
            kwargs = {"burn_in": 200, "draws": 100, "thinning": 5, "chains": 2, **kwargs}
        return real(table, method=method, **kwargs)

    monkeypatch.setattr(estimates, "estimate", quick)
