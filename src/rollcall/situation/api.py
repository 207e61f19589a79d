"""JSON API of the situation picture: public GET lists, staff POST of claims and events."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from rollcall.registry.roles import has_role
from rollcall.situation import actions
from rollcall.situation.models import Claim, Event, ShelterSite
from rollcall.situation.picture import registrations_by_place
from rollcall_core.situation import InvalidInput

router = Router(tags=["situation"])


class ClaimOut(Schema):
    id: int
    metric: str
    low: int | None
    best: int | None
    high: int | None
    more_than: bool
    as_of: datetime
    reported_at: datetime
    place: str | None
    scope: str
    source: str
    cited_by: str
    citation_url: str
    quote: str
    status: str
    revises: int | None


class ClaimIn(Schema):
    metric: str
    source: str
    as_of: datetime
    reported_at: datetime
    low: int | None = None
    best: int | None = None
    high: int | None = None
    more_than: bool = False
    place: str | None = None
    scope: str = "all"
    cited_by: str = ""
    citation_url: str = ""
    quote: str = ""
    status: str = "reported"
    revises: int | None = None
    asserts_open: str = ""


class EventOut(Schema):
    id: int
    external_id: str
    occurred_on: date
    precision: str
    event_type: str
    sub_event_type: str
    actors: list[str]
    place: str | None
    location_text: str
    lat: float | None
    lon: float | None
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    sources: list[str]
    notes: str


class EventIn(Schema):
    occurred_on: date
    event_type: str
    precision: str = "day"
    sub_event_type: str = ""
    actors: list[str] = []
    place: str | None = None
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    sources: list[str] = []
    citation_url: str = ""
    notes: str = ""


class PlaceOut(Schema):
    key: str
    kind: str
    name_en: str
    lat: float | None
    lon: float | None
    names: dict[str, list[str]]


class SiteOut(Schema):
    place: str
    name: str
    site_type: str
    capacity: int | None
    managed_by: str
    status: str
    registered: int


def _claim_out(c: Claim) -> ClaimOut:
    return ClaimOut(
        id=c.pk,
        metric=c.metric,
        low=c.low,
        best=c.best,
        high=c.high,
        more_than=c.more_than,
        as_of=c.as_of,
        reported_at=c.reported_at,
        place=c.place.key if c.place else None,
        scope=c.scope,
        source=c.source.name,
        cited_by=c.cited_by,
        citation_url=c.citation_url,
        quote=c.quote,
        status=c.status,
        revises=c.revises_id,
    )


def _event_out(e: Event) -> EventOut:
    return EventOut(
        id=e.pk,
        external_id=e.external_id,
        occurred_on=e.occurred_on,
        precision=e.precision,
        event_type=e.event_type,
        sub_event_type=e.sub_event_type,
        actors=e.actors,
        place=e.place.key if e.place else None,
        location_text=e.location_text,
        lat=e.lat,
        lon=e.lon,
        fatalities_low=e.fatalities_low,
        fatalities_best=e.fatalities_best,
        fatalities_high=e.fatalities_high,
        sources=e.sources,
        notes=e.notes,
    )


def _staff(request: HttpRequest) -> None:
    if not has_role(request.user, "analyst", "caseworker", "admin"):
        raise HttpError(403, "entering claims and events is for analysts, caseworkers and admins")


@router.get("/claims", response=list[ClaimOut])
def list_claims(request: HttpRequest, metric: str | None = None) -> list[ClaimOut]:
    qs = Claim.objects.select_related("source", "place")
    if metric:
        qs = qs.filter(metric=metric)
    return [_claim_out(c) for c in qs]


@router.post("/claims", response={201: ClaimOut})
def create_claim(request: HttpRequest, payload: ClaimIn) -> Status:
    _staff(request)
    try:
        claim = actions.do_add_claim(**payload.dict(), user=request.user)
    except Claim.DoesNotExist:
        raise HttpError(422, "the claim it revises does not exist") from None
    except InvalidInput as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, _claim_out(claim))


@router.get("/events", response=list[EventOut])
def list_events(request: HttpRequest) -> list[EventOut]:
    return [_event_out(e) for e in Event.objects.select_related("place")]


@router.post("/events", response={201: EventOut})
def create_event(request: HttpRequest, payload: EventIn) -> Status:
    _staff(request)
    try:
        event = actions.do_add_event(**payload.dict(), user=request.user)
    except InvalidInput as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, _event_out(event))


@router.get("/places", response=list[PlaceOut])
def list_places(request: HttpRequest, q: str = "") -> list[PlaceOut]:
    found = actions.search_places(q) if q else list(actions.Place.objects.all())
    out = []
    for p in found:
        names: dict[str, list[str]] = {}
        for n in p.names.all():
            names.setdefault(n.lang, []).append(n.name)
        out.append(PlaceOut(key=p.key, kind=p.kind, name_en=p.name_en, lat=p.lat, lon=p.lon, names=names))
    return out


@router.get("/sites", response=list[SiteOut])
def list_sites(request: HttpRequest) -> list[SiteOut]:
    sites = list(ShelterSite.objects.select_related("place"))
    registered = registrations_by_place({s.place_id for s in sites})
    return [
        SiteOut(
            place=s.place.key,
            name=s.place.name_en,
            site_type=s.site_type,
            capacity=s.capacity,
            managed_by=s.managed_by,
            status=s.status,
            registered=registered.get(s.place_id, 0),
        )
        for s in sites
    ]
