"""Reading the situation picture as of a time: key figures, documented counts, sites, charts, map.

Everything here is an aggregate: no person is named or located (the widget and the report are public).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from rollcall.registry.models import Person, Place, PlaceName, Record
from rollcall.situation.models import Claim, Event, ShelterSite
from rollcall_core.situation import (
    ClaimView,
    Contradiction,
    MapPoint,
    Series,
    find_contradictions,
    line_chart_svg,
    map_svg,
)

KEY_METRICS = (
    "killed",
    "injured",
    "missing",
    "evacuated",
    "displaced",
    "sheltered",
    "crossed",
    "detained",
    "population",
)
# What the registry documents, per metric: person statuses counted once per person (a cluster).
TIMELINE_LIMIT = 60
DOCUMENTED_STATUS = {
    "killed": "dead",
    "injured": "injured",
    "missing": "missing",
    "located": "alive",
    "detained": "detained",
}


def claims_as_of(as_of: datetime) -> list[Claim]:
    return list(
        Claim.objects.filter(reported_at__lte=as_of)
        .select_related("source", "place", "revises")
        .order_by("as_of", "id")
    )


def current_claims(claims: list[Claim]) -> list[Claim]:
    """The claims still standing: not retracted and not revised by a later claim in the list."""
    revised = {c.revises_id for c in claims if c.revises_id}
    return [c for c in claims if c.status != "retracted" and c.pk not in revised]


def key_figures(claims: list[Claim]) -> list[Claim]:
    """Per metric and source, the latest standing claim; metrics in a fixed order, then user-defined ones."""
    latest: dict[tuple[str, int], Claim] = {}
    for c in current_claims(claims):
        if c.asserts_open:
            continue
        latest[(c.metric, c.source_id)] = c
    order = {m: i for i, m in enumerate(KEY_METRICS)}
    return sorted(latest.values(), key=lambda c: (order.get(c.metric, 99), c.metric, c.as_of))


def documented_counts() -> dict[str, int]:
    """Unique persons by status from the registry (a person is a cluster of records), plus those sheltered."""
    by_status = dict(Person.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    counts = {metric: by_status.get(status, 0) for metric, status in DOCUMENTED_STATUS.items()}
    counts["sheltered"] = (
        Person.objects.filter(records__dataset__kind="shelter", records__erased_at__isnull=True)
        .distinct()
        .count()
    )
    return counts


def _site_place_for(text: str, names: dict[str, set[int]]) -> int | None:
    """The place a free-text current_place names: the whole text, else the part before a comma."""
    for candidate in (text, text.split(",")[0]):
        ids = names.get(candidate.strip().casefold(), set())
        if len(ids) == 1:
            return next(iter(ids))
    return None


def registrations_by_place(place_ids: set[int]) -> dict[int, int]:
    """How many persons registered in shelter lists are at each place (counts only, never who)."""
    names: dict[str, set[int]] = defaultdict(set)
    for place_id, folded in PlaceName.objects.filter(place_id__in=place_ids).values_list(
        "place_id", "folded"
    ):
        names[folded].add(place_id)
    persons: dict[int, set[int]] = defaultdict(set)
    rows = Record.objects.filter(dataset__kind="shelter", erased_at__isnull=True).exclude(current_place="")
    for person_id, text in rows.values_list("person_id", "current_place").iterator():
        place_id = _site_place_for(text, names)
        if place_id is not None:
            persons[place_id].add(person_id)
    return {pid: len(ids) for pid, ids in persons.items()}


@dataclass
class SiteRow:
    site: ShelterSite
    claimed: Claim | None
    registered: int
    history: list[Claim] = field(default_factory=list)


def site_rows(claims: list[Claim]) -> list[SiteRow]:
    sites = list(ShelterSite.objects.select_related("place"))
    registered = registrations_by_place({s.place_id for s in sites})
    rows = []
    for site in sites:
        history = [
            c
            for c in current_claims(claims)
            if c.place_id == site.place_id and c.metric in ("sheltered", "population")
        ]
        rows.append(
            SiteRow(site, history[-1] if history else None, registered.get(site.place_id, 0), history)
        )
    return rows


def contradictions(claims: list[Claim]) -> list[Contradiction]:
    # Places are compared, and shown to readers, by their English name; asserts_open holds a key or a name.
    names = dict(Place.objects.values_list("key", "name_en"))
    views = [
        ClaimView(
            id=c.pk,
            metric=c.metric,
            source=c.source.name,
            scope_place=c.place.name_en if c.place else "",
            scope=c.scope,
            as_of=c.as_of,
            value=c.value,
            status=c.status,
            asserts_open=names.get(c.asserts_open, c.asserts_open),
        )
        for c in claims
    ]
    return find_contradictions(views)


def charts(claims: list[Claim], documented: dict[str, int], as_of: datetime) -> list[str]:
    by_metric: dict[str, dict[str, list[tuple[datetime, float]]]] = defaultdict(lambda: defaultdict(list))
    for c in claims:
        if c.status == "retracted" or c.value is None or c.asserts_open:
            continue
        by_metric[c.metric][c.source.name].append(
            (timezone.localtime(c.as_of).replace(tzinfo=None), float(c.value))
        )
    out = []
    for metric in sorted(by_metric, key=lambda m: (KEY_METRICS.index(m) if m in KEY_METRICS else 99, m)):
        series = [Series(source, tuple(points)) for source, points in sorted(by_metric[metric].items())]
        if metric in documented and documented[metric]:
            series.append(
                Series(
                    _("documented in the registry"),
                    ((timezone.localtime(as_of).replace(tzinfo=None), float(documented[metric])),),
                    dashed=True,
                )
            )
        out.append(
            line_chart_svg(_("%(metric)s over time, by source") % {"metric": metric.capitalize()}, series)
        )
    return out


def places_map(events: list[Event], sites: list[SiteRow]) -> str:
    marked = {e.place_id for e in events if e.place_id} | {s.site.place_id for s in sites}
    points = [
        MapPoint(p.name_en, p.lat, p.lon, p.kind, emphasis=p.pk in marked)
        for p in Place.objects.exclude(lat=None).exclude(kind__in=("region", "country"))
        if p.lat is not None
        and p.lon is not None
        and 45.8 < p.lon < 47.6  # the crisis area; Yerevan would squash the map
    ]
    return map_svg(points, title=_("Places of the crisis (offline map)"))


def estimates(as_of: datetime) -> dict[str, Any] | None:
    """The estimate of deaths no list recorded that an analyst published (public-safe: counts only).

    Stored, never computed here: the report is public, and a page load must not start a model fit.
    """
    from rollcall.estimation.report import report_estimates

    return report_estimates(as_of)


def situation(as_of: datetime | None = None) -> dict[str, Any]:
    as_of = as_of or timezone.now()
    claims = claims_as_of(as_of)
    documented = documented_counts()
    until = Event.objects.filter(occurred_on__lte=timezone.localtime(as_of).date())
    events_total = until.count()
    # The report is read, not searched: the latest events here, all of them on the events page and in exports.
    latest = until.select_related("place").order_by("-occurred_on", "-id")[:TIMELINE_LIMIT]
    events = sorted(latest, key=lambda e: (e.occurred_on, e.pk))
    sites = site_rows(claims)
    figures = key_figures(claims)
    revised = [c for c in claims if c.revises_id]
    return {
        "as_of": as_of,
        "figures": figures,
        "documented": documented,
        "documented_rows": [
            (m, documented.get(m, 0), [f for f in figures if f.metric == m])
            for m in ("killed", "injured", "missing", "located", "sheltered")
        ],
        "estimates": estimates(as_of),
        "contradictions": contradictions(claims),
        "revisions": revised,
        "events": events,
        "events_total": events_total,
        "sites": sites,
        "charts": charts(claims, documented, as_of),
        "map_svg": places_map(events, sites),
        "tiles_url": getattr(settings, "ROLLCALL_MAP_TILES_URL", ""),
        "claims": claims,
    }
