"""A person's records on a timeline: what each list said, when, and where the lists disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def _conflict(entry: Record, earlier: list[Record]) -> str:
    if entry.status in _LIVING:
        dead = [r for r in earlier if r.status in _FINAL]
        if dead:
            return (
                f"reported dead by {dead[-1].source} on {dead[-1].status_date or '?'}, alive on a later list"
            )
    if entry.status in _FINAL:
        later_alive = [r for r in earlier if r.status in _LIVING and r.status_date and entry.status_date
                       and r.status_date > entry.status_date]  # fmt: skip
        if later_alive:
            return "reported dead after a later list saw this person alive"
    return ""


def person_timeline(person: Person) -> dict[str, Any]:
    """Context for linkage/person_timeline.html: entries by date, best status, conflicts."""
    records = list(
        person.records.filter(erased_at__isnull=True)
        .select_related("source", "dataset")
        .order_by("status_date", "imported_at", "id")
    )
    entries: list[TimelineEntry] = []
    for index, record in enumerate(records):
        entries.append(
            TimelineEntry(
                record=record,
                date=record.status_date,
                status=record.status or "unknown",
                list_name=str(record.source),
                kind=record.dataset.kind,
                conflict=_conflict(record, records[:index]),
            )
        )
    conflicts = [e.conflict for e in entries if e.conflict]
    dated = [e for e in entries if e.status != "unknown"]
    best = dated[-1].status if dated else "unknown"
    return {"person": person, "entries": entries, "best_status": best, "conflicts": conflicts}
