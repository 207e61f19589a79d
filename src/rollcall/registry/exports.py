"""Exports of the registry: records and persons as CSV, PFIF 1.4 XML, HXL-tagged CSV.

Exports contain restricted data (contacts, current places): staff only, and each export is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from rollcall.registry.audit import audit
from rollcall.registry.models import Note, Person, Record
from rollcall_core.formats import PfifNote, PfifPerson, write_csv, write_hxl, write_pfif
from rollcall_core.schema import CANONICAL_COLUMNS

EXPORT_KINDS = ("records", "persons", "pfif", "hxl")
# The contract (DESIGN.md) names source, record_id, person_id, full_name, status first.
RECORD_COLUMNS: tuple[str, ...] = (
    "source",
    "record_id",
    "person_id",
    *[c for c in CANONICAL_COLUMNS if c != "record_id"],
    "list_kind",
    "dataset",
    "row_number",
)
PERSON_COLUMNS: tuple[str, ...] = (
    "person_id",
    "display_name",
    "sex",
    "birth_year",
    "age_low",
    "age_high",
    "status",
    "status_date",
    "record_count",
    "sources",
)


def iter_record_rows() -> Iterator[dict[str, object]]:
    queryset = Record.objects.select_related("source", "person", "dataset").order_by("id")
    for record in queryset.iterator(chunk_size=2000):
        row: dict[str, object] = {c: getattr(record, c) for c in CANONICAL_COLUMNS}
        row.update(
            source=record.source.name,
            person_id=record.person.public_id,
            list_kind=record.dataset.kind,
            dataset=record.dataset.filename,
            row_number=record.row_number,
        )
        yield row


def iter_person_rows() -> Iterator[dict[str, object]]:
    persons = Person.objects.order_by("id").prefetch_related("records__source")
    for person in persons.iterator(chunk_size=2000):
        records = list(person.records.all())
        yield {
            "person_id": person.public_id,
            "display_name": person.display_name,
            "sex": person.sex,
            "birth_year": person.birth_year or "",
            "age_low": "" if person.age_low is None else person.age_low,
            "age_high": "" if person.age_high is None else person.age_high,
            "status": person.status,
            "status_date": person.status_date,
            "record_count": len(records),
            "sources": "; ".join(sorted({r.source.name for r in records})),
        }


def _pfif_note(note: Note) -> PfifNote:
    return PfifNote(
        note_record_id=note.note_record_id,
        person_record_id="",
        linked_person_record_id=note.linked_person_record_id,
        author_name=note.author_name,
        author_contact=note.author_contact,
        source_date=note.source_date,
        status=note.status,
        author_made_contact=note.author_made_contact,
        last_known_location=note.last_known_location,
        text=note.text,
        extra=dict(note.extra),
    )


def iter_pfif_persons() -> Iterator[PfifPerson]:
    queryset = Record.objects.order_by("id").prefetch_related("record_notes")
    for record in queryset.iterator(chunk_size=2000):
        yield PfifPerson(
            person_record_id=record.record_id,
            fields={c: getattr(record, c) for c in CANONICAL_COLUMNS if getattr(record, c)},
            extra=dict(record.extra),
            notes=tuple(_pfif_note(n) for n in record.record_notes.all()),
        )


def export(kind: str, out: IO[Any], *, user: Any = None, domain: str = "rollcall.local") -> None:
    """Write one export to `out` (text for CSV kinds, binary for PFIF) and audit it."""
    if kind == "records":
        write_csv(iter_record_rows(), RECORD_COLUMNS, out)
    elif kind == "persons":
        write_csv(iter_person_rows(), PERSON_COLUMNS, out)
    elif kind == "pfif":
        write_pfif(iter_pfif_persons(), out, domain=domain)
    elif kind == "hxl":
        write_hxl(iter_record_rows(), RECORD_COLUMNS, out)
    else:
        raise ValueError(f"unknown export {kind!r}; use one of {', '.join(EXPORT_KINDS)}")
    audit("export", user=user, object_type="export", object_id=kind)
