"""Every write of the situation picture: one function each, atomic and audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from rollcall.registry.audit import audit
from rollcall.registry.models import Place, PlaceName, Source
from rollcall.situation.models import Claim, Event, ShelterSite
from rollcall_core.situation import (
    CLAIM_STATUSES,
    DATE_PRECISIONS,
    SCOPES,
    InvalidInput,
    check_figures,
    check_times,
    check_url,
    creates_cycle,
    parse_acled,
)


class AmbiguousPlace(InvalidInput):
    """A name that matches more than one place: the user must choose, we never guess."""

    def __init__(self, name: str, candidates: Sequence[Place]) -> None:
        self.name = name
        self.candidates = list(candidates)
        listed = "; ".join(f"{p.name_en} ({p.key})" for p in candidates)
        super().__init__(f"the place name {name!r} matches {len(candidates)} places, choose one: {listed}")


class UnknownPlace(InvalidInput):
    pass


def search_places(query: str) -> list[Place]:
    """Places with a name (in any language or historic form) equal to or containing the query."""
    folded = query.strip().casefold()
    if not folded:
        return []
    exact = list(Place.objects.filter(names__folded=folded).distinct())
    if exact:
        return exact
    return list(Place.objects.filter(names__folded__contains=folded).distinct()[:50])


def resolve_place(name_or_key: str) -> Place | None:
    """One place for a name or key; raises AmbiguousPlace when a name fits two places."""
    text = (name_or_key or "").strip()
    if not text:
        return None
    by_key = Place.objects.filter(key=text).first()
    if by_key:
        return by_key
    matches = list(Place.objects.filter(names__folded=text.casefold()).distinct())
    if len(matches) > 1:
        raise AmbiguousPlace(text, matches)
    if not matches:
        raise UnknownPlace(f"no place is called {text!r}")
    return matches[0]


def _aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_current_timezone())
    return value.astimezone(UTC)


def _source(name: str) -> Source:
    name = name.strip()
    if not name:
        raise InvalidInput("a claim needs a source")
    source, _created = Source.objects.get_or_create(name=name)
    return source


def _check_claim(
    metric: str, low: int | None, best: int | None, high: int | None, scope: str, status: str
) -> None:
    if not metric.strip():
        raise InvalidInput("a claim needs a metric")
    check_figures(low, best, high)
    if scope not in SCOPES:
        raise InvalidInput(f"scope must be one of {', '.join(SCOPES)}")
    if status not in CLAIM_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(CLAIM_STATUSES)}")


def do_add_claim(
    *,
    metric: str,
    source: str,
    as_of: datetime,
    reported_at: datetime,
    low: int | None = None,
    best: int | None = None,
    high: int | None = None,
    more_than: bool = False,
    place: Place | str | None = None,
    scope: str = "all",
    cited_by: str = "",
    citation_url: str = "",
    citation_date: date | None = None,
    quote: str = "",
    status: str = "reported",
    revises: Claim | int | None = None,
    asserts_open: str = "",
    user: Any = None,
    demo_key: str = "",
) -> Claim:
    """Store one claim after checking figures, times, URL, place and the revision chain."""
    metric = metric.strip().lower()
    _check_claim(metric, low, best, high, scope, status)
    as_of, reported_at = _aware(as_of), _aware(reported_at)
    check_times(as_of, reported_at)
    url = check_url(citation_url)
    resolved = resolve_place(place) if isinstance(place, str) else place
    revised = Claim.objects.get(pk=revises) if isinstance(revises, int) else revises
    with transaction.atomic():
        claim = Claim.objects.create(
            metric=metric,
            low=low,
            best=best,
            high=high,
            more_than=more_than,
            as_of=as_of,
            reported_at=reported_at,
            place=resolved,
            scope=scope,
            source=_source(source),
            cited_by=cited_by,
            citation_url=url,
            citation_date=citation_date,
            quote=quote,
            status=status,
            revises=revised,
            asserts_open=asserts_open,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            demo_key=demo_key,
        )
        audit("create", user=user, object_type="claim", object_id=claim.pk, metric=metric, source=source)
    return claim


def do_set_claim_revises(claim: Claim, revises: Claim | None, *, user: Any = None) -> Claim:
    """Say which earlier claim this one revises; refuses a chain that would loop."""
    parents = dict(Claim.objects.values_list("id", "revises_id"))
    if creates_cycle(claim.pk, revises.pk if revises else None, parents):
        raise InvalidInput("that revision would make a cycle: a claim cannot (indirectly) revise itself")
    with transaction.atomic():
        claim.revises = revises
        claim.save(update_fields=["revises"])
        audit(
            "revise",
            user=user,
            object_type="claim",
            object_id=claim.pk,
            revises=revises.pk if revises else None,
        )
    return claim


def do_set_claim_status(claim: Claim, status: str, *, user: Any = None, reason: str = "") -> Claim:
    if status not in CLAIM_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(CLAIM_STATUSES)}")
    with transaction.atomic():
        old = claim.status
        claim.status = status
        claim.save(update_fields=["status"])
        audit(
            "status", user=user, object_type="claim", object_id=claim.pk, old=old, new=status, reason=reason
        )
    return claim


def do_add_event(
    *,
    occurred_on: date,
    event_type: str,
    precision: str = "day",
    sub_event_type: str = "",
    actors: Sequence[str] = (),
    place: Place | str | None = None,
    location_text: str = "",
    fatalities_low: int | None = None,
    fatalities_best: int | None = None,
    fatalities_high: int | None = None,
    sources: Sequence[str] = (),
    citation_url: str = "",
    notes: str = "",
    lat: float | None = None,
    lon: float | None = None,
    external_id: str = "",
    user: Any = None,
    demo_key: str = "",
    today: date | None = None,
) -> Event:
    if not event_type.strip():
        raise InvalidInput("an event needs a type")
    if occurred_on > (today or timezone.localdate()):
        raise InvalidInput(f"the event date {occurred_on.isoformat()} is in the future")
    if precision not in DATE_PRECISIONS:
        raise InvalidInput(f"date precision must be one of {', '.join(DATE_PRECISIONS)}")
    if any(v is not None for v in (fatalities_low, fatalities_best, fatalities_high)):
        check_figures(fatalities_low, fatalities_best, fatalities_high)
    url = check_url(citation_url)
    resolved = resolve_place(place) if isinstance(place, str) else place
    with transaction.atomic():
        event = _new_event(
            occurred_on,
            event_type,
            precision,
            sub_event_type,
            actors,
            resolved,
            location_text,
            fatalities_low,
            fatalities_best,
            fatalities_high,
            sources,
            url,
            notes,
            lat,
            lon,
            external_id,
            user,
            demo_key,
        )
        event.save()
        audit("create", user=user, object_type="event", object_id=event.pk, event_type=event_type)
    return event


def _new_event(
    occurred_on: date,
    event_type: str,
    precision: str,
    sub_event_type: str,
    actors: Sequence[str],
    place: Place | None,
    location_text: str,
    low: int | None,
    best: int | None,
    high: int | None,
    sources: Sequence[str],
    url: str,
    notes: str,
    lat: float | None,
    lon: float | None,
    external_id: str,
    user: Any,
    demo_key: str,
) -> Event:
    return Event(
        external_id=external_id,
        occurred_on=occurred_on,
        precision=precision,
        event_type=event_type.strip(),
        sub_event_type=sub_event_type.strip(),
        actors=list(actors),
        place=place,
        location_text=location_text or (place.name_en if place else ""),
        lat=lat if lat is not None else (place.lat if place else None),
        lon=lon if lon is not None else (place.lon if place else None),
        fatalities_low=low,
        fatalities_best=best,
        fatalities_high=high,
        sources=list(sources),
        citation_url=url,
        notes=notes,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        demo_key=demo_key,
    )


@dataclass
class AcledImportReport:
    created: int = 0
    skipped_existing: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.created} events imported, {self.skipped_existing} already present, {len(self.errors)} rows rejected"


def do_import_acled(text: str, *, user: Any = None, today: date | None = None) -> AcledImportReport:
    """Import an ACLED CSV: good rows are kept, each bad row is reported with its line and reason.

    A row whose event_id_cnty is already stored is skipped, so a re-import adds nothing.
    Places are resolved by name when exactly one place has it; otherwise the location is kept as written.
    """
    parsed = parse_acled(text, today=today or timezone.localdate())
    report = AcledImportReport(errors=[(e.line, e.reason) for e in parsed.errors])
    existing = set(Event.objects.exclude(external_id="").values_list("external_id", flat=True))
    names: dict[str, set[int]] = {}
    for place_id, folded in PlaceName.objects.values_list("place_id", "folded"):
        names.setdefault(folded, set()).add(place_id)
    places = {p.pk: p for p in Place.objects.all()}
    batch: list[Event] = []
    for row in parsed.rows:
        if row.external_id and row.external_id in existing:
            report.skipped_existing += 1
            continue
        ids = names.get(row.location.casefold(), set())
        place = places[next(iter(ids))] if len(ids) == 1 else None
        event = _new_event(
            row.occurred_on,
            row.event_type,
            row.precision,
            row.sub_event_type,
            row.actors,
            place,
            row.location,
            row.fatalities_low,
            row.fatalities_best,
            row.fatalities_high,
            row.sources,
            "",
            row.notes,
            row.lat,
            row.lon,
            row.external_id,
            user,
            "",
        )
        event.country, event.admin1 = row.country, row.admin1
        batch.append(event)
        if row.external_id:
            existing.add(row.external_id)
    with transaction.atomic():
        Event.objects.bulk_create(batch, batch_size=1000)
        report.created = len(batch)
        audit(
            "import",
            user=user,
            object_type="events",
            object_id="acled",
            created=report.created,
            rejected=len(report.errors),
            skipped=report.skipped_existing,
        )
    return report


def do_add_site(
    place: Place | str,
    *,
    site_type: str = "collective centre",
    capacity: int | None = None,
    managed_by: str = "",
    status: str = "open",
    user: Any = None,
) -> ShelterSite:
    resolved = resolve_place(place) if isinstance(place, str) else place
    if resolved is None:
        raise InvalidInput("a shelter site needs a place")
    if capacity is not None and capacity < 0:
        raise InvalidInput("capacity cannot be negative")
    with transaction.atomic():
        site, created = ShelterSite.objects.update_or_create(
            place=resolved,
            defaults={
                "site_type": site_type,
                "capacity": capacity,
                "managed_by": managed_by,
                "status": status,
            },
        )
        audit("create" if created else "update", user=user, object_type="site", object_id=site.pk)
    return site


def load_situation_demo() -> int:
    """Enter the field report's facts (CivilNet, 21 September 2023) as claims, events and a site.

    Idempotent: each fact has a demo_key and is entered once. Returns how many facts were new.
    """
    from rollcall.registry.actions import do_load_gazetteer
    from rollcall_core.situation.demo import CITATION, claim_facts, event_facts

    if not Place.objects.exists():
        do_load_gazetteer()
    created = 0
    with transaction.atomic():
        keyed: dict[str, Claim] = {c.demo_key: c for c in Claim.objects.exclude(demo_key="")}
        for fact in claim_facts():
            if fact["key"] in keyed:
                continue
            data = {k: v for k, v in fact.items() if k not in ("key", "revises_key")}
            revises = keyed.get(fact.get("revises_key", "")) if fact.get("revises_key") else None
            keyed[fact["key"]] = do_add_claim(
                **data,
                revises=revises,
                cited_by=CITATION["publisher"],
                citation_url=CITATION["url"],
                citation_date=CITATION["date"],
                demo_key=fact["key"],
            )
            created += 1
        have_events = set(Event.objects.exclude(demo_key="").values_list("demo_key", flat=True))
        for fact in event_facts():
            if fact["key"] in have_events:
                continue
            data = {k: v for k, v in fact.items() if k != "key"}
            do_add_event(**data, citation_url=CITATION["url"], demo_key=fact["key"], today=date(2023, 9, 21))
            created += 1
        airport = Place.objects.filter(key="stepanakert-airport").first()
        if airport and not ShelterSite.objects.filter(place=airport).exists():
            do_add_site(airport, site_type="airport (informal)", managed_by="Russian peacekeeping contingent")
            created += 1
    return created


CLAIM_COLUMNS = (
    "metric", "source", "as_of", "reported_at", "low", "best", "high", "more_than", "place", "scope",
    "cited_by", "citation_url", "quote", "status",
)  # fmt: skip


@dataclass
class ClaimImportReport:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.created} claims imported, {len(self.errors)} rows rejected"


def _cell_int(text: str, name: str) -> int | None:
    text = text.strip().replace(",", "").replace("\u00a0", "")
    if not text:
        return None
    if not text.lstrip("-").isdigit():
        raise InvalidInput(f"{name} is not a whole number: {text[:30]!r}")
    return int(text)


def _cell_time(text: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{name} is not a date-time (YYYY-MM-DDTHH:MM): {text[:30]!r}") from None


def do_import_claims(text: str, *, user: Any = None) -> ClaimImportReport:
    """Import claims from CSV (columns as CLAIM_COLUMNS); each row is checked like a claim typed by hand.

    Each good row is stored on its own, each bad row is reported with its line and reason.
    """
    import csv
    import io

    report = ClaimImportReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("metric", "source", "as_of", "reported_at") if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"the header lacks the column(s): {', '.join(missing)}"))
        return report
    for line, row in enumerate(reader, start=2):
        cells = {k: (v or "") for k, v in row.items() if k}
        try:
            as_of = _cell_time(cells["as_of"], "as_of")
            reported = _cell_time(cells["reported_at"], "reported_at")
            do_add_claim(
                metric=cells["metric"],
                source=cells["source"],
                as_of=as_of,
                reported_at=reported,
                low=_cell_int(cells.get("low", ""), "low"),
                best=_cell_int(cells.get("best", ""), "best"),
                high=_cell_int(cells.get("high", ""), "high"),
                more_than=cells.get("more_than", "").strip().lower() in ("1", "yes", "true", "y"),
                place=cells.get("place", "").strip() or None,
                scope=cells.get("scope", "").strip() or "all",
                cited_by=cells.get("cited_by", ""),
                citation_url=cells.get("citation_url", ""),
                quote=cells.get("quote", ""),
                status=cells.get("status", "").strip() or "reported",
                user=user,
            )
        except InvalidInput as exc:
            report.errors.append((line, str(exc)))
        else:
            report.created += 1
    return report
