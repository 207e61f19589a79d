"""A person's records on a timeline: what each list said, when, and where the lists disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rollcall.linkage.actions import latest_known
from rollcall.registry.models import Person, Record

# Statuses that cannot both be true of one person at the same time, or in this order.
_FINAL = {"dead"}
_LIVING = {"alive", "injured", "detained"}


@dataclass(frozen=True)
class TimelineEntry:
    record: Record
    date: str
    status: str
    list_name: str
    kind: str
    conflict: str
    when: str = ""  # the date as a reader says it: "21 September 2023", "September 2023"
    what: str = ""  # what the list says happened: "reported missing", "crossed the border"
    where: str = ""  # the place the list gives (restricted: staff pages only)


def display_date(value: str) -> str:
    """An ISO date, full or partial, as the reader's language writes it; anything else as written."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return date_format(dt.date(int(parts[0]), int(parts[1]), int(parts[2])), "j F Y")
        if len(parts) == 2:
            return date_format(dt.date(int(parts[0]), int(parts[1]), 1), "F Y")
    except ValueError:
        return value
    return value or _("date unknown")


def _what(kind: str, status: str) -> str:
    """The event a list records, in words: the list's kind says more than the status alone."""
    by_kind = {
        ("missing_reports", "missing"): _("reported missing"),
        ("shelter", "alive"): _("registered at a shelter"),
        ("crossing", "alive"): _("crossed the border"),
        ("hospital", "alive"): _("in hospital"),
        ("hospital", "injured"): _("admitted to hospital, injured"),
        ("detainees", "detained"): _("listed as detained"),
        ("casualties", "dead"): _("listed among the dead"),
        ("casualties", "injured"): _("listed among the injured"),
    }
    by_status = {
        "missing": _("reported missing"),
        "alive": _("reported alive"),
        "injured": _("reported injured"),
        "dead": _("reported dead"),
        "detained": _("reported detained"),
    }
    return by_kind.get((kind, status)) or by_status.get(status) or _("listed, status not given")


def _conflict(entry: Record, earlier: list[Record]) -> str:
    if entry.status in _LIVING:
        dead = [r for r in earlier if r.status in _FINAL]
        if dead:
            return _("reported dead by %(list)s on %(date)s, alive on a later list") % {
                "list": dead[-1].source,
                "date": display_date(dead[-1].status_date),
            }
    return ""


def person_timeline(person: Person) -> dict[str, Any]:
    """Context for the staff person page: entries by date, best status, conflicts."""
    records = list(
        person.records.filter(erased_at__isnull=True)
        .select_related("source", "dataset")
        .order_by("status_date", "imported_at", "id")
    )
    entries: list[TimelineEntry] = []
    for index, record in enumerate(records):
        status = record.status or "unknown"
        entries.append(
            TimelineEntry(
                record=record,
                date=record.status_date,
                status=status,
                list_name=str(record.source),
                kind=record.dataset.kind,
                conflict=_conflict(record, records[:index]),
                when=display_date(record.status_date),
                what=_what(record.dataset.kind, status),
                where=record.current_place or record.event_place,
            )
        )
    # Each later list that saw the person alive is flagged in the timeline; the summary says it once.
    conflicts = list(dict.fromkeys(e.conflict for e in entries if e.conflict))
    best_record = latest_known(records)
    best = best_record.status if best_record else "unknown"
    return {"person": person, "entries": entries, "best_status": best, "conflicts": conflicts}
