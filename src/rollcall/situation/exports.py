"""HXL and ACLED exports of the situation picture (aggregates only)."""

from __future__ import annotations

import csv
import io

from rollcall.situation.models import Claim, Event, ShelterSite
from rollcall.situation.picture import registrations_by_place
from rollcall_core.situation import HXL_METRIC_TAGS, PRECISION_TO_ACLED, write_acled


def _names(place: object) -> dict[str, str]:
    if place is None:
        return {}
    return {n.lang: n.name for n in place.names.all()}  # type: ignore[attr-defined]


def _write(header: list[str], tags: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(tags)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


PLACE_COLS = [
    ("Place", "#loc+name"),
    ("Place (Armenian)", "#loc+name+i_hy"),
    ("Place (Azerbaijani)", "#loc+name+i_az"),
    ("Place (Russian)", "#loc+name+i_ru"),
    ("Place code", "#loc+code"),
    ("Latitude", "#geo+lat"),
    ("Longitude", "#geo+lon"),
]


def _place_cells(place: object) -> list[object]:
    if place is None:
        return ["", "", "", "", "", "", ""]
    names = _names(place)
    return [
        place.name_en,
        names.get("hy", ""),
        names.get("az", ""),
        names.get("ru", ""),
        place.key,
        place.lat,
        place.lon,
    ]  # type: ignore[attr-defined]


def hxl_claims() -> str:
    """One row per claim; the figure sits under its metric's #affected tag so HXL tools can sum by tag."""
    claims = list(Claim.objects.select_related("source", "place").prefetch_related("place__names"))
    metric_tags = list(
        dict.fromkeys(HXL_METRIC_TAGS[c.metric] for c in claims if c.metric in HXL_METRIC_TAGS)
    )
    fixed = [
        ("Claim id", "#meta+id"),
        ("Metric", "#indicator+name"),
        ("Low", "#indicator+num+low"),
        ("Best", "#indicator+num+best"),
        ("High", "#indicator+num+high"),
        ("More than", "#indicator+more_than"),
        ("As of", "#date+occurred"),
        ("Reported", "#date+reported"),
        ("Scope", "#population+type"),
        ("Source", "#meta+source"),
        ("Cited by", "#meta+source+citation"),
        ("URL", "#meta+url"),
        ("Quote", "#description+quote"),
        ("Status", "#status"),
        ("Revises", "#meta+revises"),
    ]
    header = [h for h, _t in fixed + PLACE_COLS] + [
        t.lstrip("#").replace("+", " ").capitalize() for t in metric_tags
    ]
    tags = [t for _h, t in fixed + PLACE_COLS] + metric_tags
    rows = []
    for c in claims:
        base = [
            c.pk,
            c.metric,
            c.low,
            c.best,
            c.high,
            "yes" if c.more_than else "",
            c.as_of.isoformat(),
            c.reported_at.isoformat(),
            c.scope,
            c.source.name,
            c.cited_by,
            c.citation_url,
            c.quote,
            c.status,
            c.revises_id or "",
        ]
        metric_cells = [c.value if HXL_METRIC_TAGS.get(c.metric) == t else "" for t in metric_tags]
        rows.append(base + _place_cells(c.place) + metric_cells)
    return _write(header, tags, rows)


def hxl_events() -> str:
    events = list(Event.objects.select_related("place").prefetch_related("place__names"))
    fixed = [
        ("Event id", "#event+id"),
        ("Date", "#date+occurred"),
        ("Precision", "#date+precision"),
        ("Type", "#event+type"),
        ("Sub-type", "#event+type+sub"),
        ("Actors", "#org+actor"),
        ("Killed low", "#affected+killed+low"),
        ("Killed", "#affected+killed"),
        ("Killed high", "#affected+killed+high"),
        ("Sources", "#meta+source"),
        ("Notes", "#description"),
    ]
    header = [h for h, _t in fixed + PLACE_COLS]
    tags = [t for _h, t in fixed + PLACE_COLS]
    rows = []
    for e in events:
        place = _place_cells(e.place) if e.place else [e.location_text, "", "", "", "", e.lat, e.lon]
        rows.append(
            [
                e.external_id or e.pk,
                e.occurred_on.isoformat(),
                e.precision,
                e.event_type,
                e.sub_event_type,
                "; ".join(e.actors),
                e.fatalities_low,
                e.fatalities_best,
                e.fatalities_high,
                "; ".join(e.sources),
                e.notes,
            ]
            + place
        )
    return _write(header, tags, rows)


def hxl_sites() -> str:
    sites = list(ShelterSite.objects.select_related("place").prefetch_related("place__names"))
    registered = registrations_by_place({s.place_id for s in sites})
    claims = {
        c.place_id: c
        for c in Claim.objects.filter(metric="sheltered").exclude(status="retracted").order_by("as_of")
    }
    fixed = [
        ("Site type", "#loc+type"),
        ("Capacity", "#capacity"),
        ("Managed by", "#org+managed"),
        ("Status", "#status"),
        ("Sheltered (claimed)", "#affected+sheltered"),
        ("Claim source", "#meta+source"),
        ("Claim date", "#date+reported"),
        ("Registered persons", "#affected+sheltered+registered"),
    ]
    header = [h for h, _t in PLACE_COLS + fixed]
    tags = [t for _h, t in PLACE_COLS + fixed]
    rows = []
    for s in sites:
        c = claims.get(s.place_id)
        rows.append(
            _place_cells(s.place)
            + [
                s.site_type,
                s.capacity,
                s.managed_by,
                s.status,
                c.value if c else "",
                c.source.name if c else "",
                c.reported_at.isoformat() if c else "",
                registered.get(s.place_id, 0),
            ]
        )
    return _write(header, tags, rows)


def acled_csv() -> str:
    rows = []
    for e in Event.objects.select_related("place"):
        rows.append(
            {
                "event_id_cnty": e.external_id or f"RC{e.pk}",
                "event_date": e.occurred_on.isoformat(),
                "year": e.occurred_on.year,
                "time_precision": PRECISION_TO_ACLED[e.precision],
                "event_type": e.event_type,
                "sub_event_type": e.sub_event_type,
                "actor1": e.actors[0] if e.actors else "",
                "actor2": "; ".join(e.actors[1:]),
                "country": e.country,
                "admin1": e.admin1,
                "location": e.place.name_en if e.place else e.location_text,
                "latitude": e.lat,
                "longitude": e.lon,
                "source": "; ".join(e.sources),
                "notes": e.notes,
                "fatalities": e.fatalities_best if e.fatalities_best is not None else 0,
                "fatalities_low": e.fatalities_low,
                "fatalities_high": e.fatalities_high,
            }
        )
    return write_acled(rows)
