"""The plain data a reader yields: accepted rows, rejected rows, PFIF notes and persons."""

from __future__ import annotations

from dataclasses import dataclass, field


class FormatError(Exception):
    """The file as a whole cannot be read; the message says why, naming the line where it can."""


@dataclass(frozen=True)
class PfifNote:
    """A dated statement about a person, with PFIF 1.4 note semantics."""

    note_record_id: str = ""
    person_record_id: str = ""
    linked_person_record_id: str = ""
    author_name: str = ""
    author_contact: str = ""
    source_date: str = ""
    status: str = ""
    author_made_contact: bool | None = None
    last_known_location: str = ""
    text: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedRow:
    """One accepted row: as received (raw), in canonical fields, and what maps to nothing (extra)."""

    line: int
    raw: dict[str, str]
    fields: dict[str, str]
    extra: dict[str, str]
    notes: tuple[PfifNote, ...] = ()


@dataclass(frozen=True)
class RejectedRow:
    """A row that could not be accepted: where, which field, and why."""

    line: int
    field: str
    reason: str
    raw: dict[str, str]


@dataclass(frozen=True)
class TableInfo:
    format: str
    encoding: str
    delimiter: str
    headers: tuple[str, ...]
    mapping: dict[str, str]
    unmapped: tuple[str, ...]
    pfif_version: str = ""
    sheet: str = ""


@dataclass(frozen=True)
class PfifPerson:
    """What the PFIF writer needs of one record: canonical fields, kept PFIF fields, notes."""

    person_record_id: str
    fields: dict[str, str]
    extra: dict[str, str]
    notes: tuple[PfifNote, ...] = ()
