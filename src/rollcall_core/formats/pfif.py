"""PFIF (People Finder Interchange Format) 1.1-1.4: read safely, write 1.4.

Written from the PFIF 1.4 specification (zesty.ca/pfif/1.4): a <pfif> document holds
<person> elements, each with optional nested <note> elements, and top-level <note> elements
that refer to a person by person_record_id. XML is parsed with defusedxml: DTDs, entities and
external references are refused, so entity-expansion bombs and XXE never run.

Canonical fields map one to one where PFIF has the same field; derived fields (home_place
from home_city/home_state/home_country, reporter_contact from author_email/author_phone,
status from the latest note) keep their PFIF sources in `extra`, so that an export writes
back exactly what was imported.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from rollcall_core.formats.model import FormatError, ParsedRow, PfifNote, PfifPerson, RejectedRow, TableInfo
from rollcall_core.formats.values import validate_fields

if TYPE_CHECKING:
    from rollcall_core.formats.table import Table

PFIF_14 = "http://zesty.ca/pfif/1.4"
# Person fields that are canonical fields under the same meaning (PFIF name -> canonical).
DIRECT = {
    "person_record_id": "record_id",
    "full_name": "full_name",
    "given_name": "given_name",
    "first_name": "given_name",  # PFIF 1.1-1.3
    "family_name": "family_name",
    "last_name": "family_name",  # PFIF 1.1-1.3
    "alternate_names": "alternate_names",
    "sex": "sex",
    "date_of_birth": "birth_date",
    "age": "age",
    "description": "notes",
    "other": "notes",  # PFIF 1.1-1.3
    "author_name": "reporter_name",
}
# PFIF 1.4 person fields in the order the specification lists them (the writer's order).
PERSON_FIELDS_14 = (
    "person_record_id", "entry_date", "expiry_date", "author_name", "author_email", "author_phone",
    "source_name", "source_date", "source_url", "full_name", "given_name", "family_name", "alternate_names",
    "description", "sex", "date_of_birth", "age", "home_street", "home_neighborhood", "home_city", "home_state",
    "home_postal_code", "home_country", "photo_url", "profile_urls",
)  # fmt: skip
NOTE_FIELDS_14 = (
    "note_record_id", "person_record_id", "linked_person_record_id", "entry_date", "author_name", "author_email",
    "author_phone", "source_date", "author_made_contact", "status", "email_of_found_person", "phone_of_found_person",
    "last_known_location", "text", "photo_url",
)  # fmt: skip
NOTE_STATUS_TO_CANONICAL = {
    "believed_dead": "dead",
    "believed_alive": "alive",
    "believed_missing": "missing",
    "is_note_author": "alive",
}
# PFIF 1.1 fields renamed in 1.2.
RENAMED = {"home_zip": "home_postal_code"}
CANONICAL_TO_NOTE_STATUS = {"dead": "believed_dead", "alive": "believed_alive", "missing": "believed_missing"}
_NS = re.compile(r"^\{([^}]*)\}")


@functools.lru_cache(maxsize=1024)
def _local(tag: str) -> str:
    return _NS.sub("", tag)


def _text(value: str | None) -> str:
    return (value or "").strip()


class _CountingReader:
    """A binary file that tells how far the parser has read (for the progress of `Table.bytes_read`)."""

    def __init__(self, handle: IO[bytes], progress: Callable[[int], None]) -> None:
        self._handle = handle
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._progress(self._handle.tell())
        return data


def _events(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[tuple[str, object]]:
    try:
        with path.open("rb") as handle:
            source: object = _CountingReader(handle, progress) if progress else handle
            depth = 0
            root = None
            for event, element in iterparse(
                source, events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
            ):
                if event == "start":
                    depth += 1
                    root = element if root is None else root
                yield event, element
                if event == "end":
                    depth -= 1
                    if depth == 1 and root is not None:
                        # A child of <pfif> has been handled: drop it so that memory stays flat.
                        root.clear()
    except DefusedXmlException as error:
        raise FormatError(
            f"the XML was refused for safety ({type(error).__name__}: DTDs and entities are not allowed)"
        ) from None
    except SyntaxError as error:  # ParseError is a SyntaxError
        raise FormatError(f"the XML is broken ({error})") from None


def pfif_info(path: Path) -> TableInfo:
    version = ""
    for event, element in _events(path):
        if event == "start":
            tag = getattr(element, "tag", "")
            if _local(tag) != "pfif":
                raise FormatError(f"the XML is not PFIF: its root element is <{_local(tag)}>, not <pfif>")
            match = _NS.match(tag)
            namespace = match.group(1) if match else ""
            version = namespace.rsplit("/", 1)[-1] if "zesty.ca/pfif/" in namespace else ""
            if not version:
                raise FormatError(
                    f"unknown PFIF namespace {namespace!r} (expected http://zesty.ca/pfif/1.1 to 1.4)"
                )
            break
    return TableInfo("pfif", "utf-8", "", (), {}, (), pfif_version=version)


def _element_fields(element: object) -> dict[str, str]:
    fields: dict[str, str] = {}
    for child in list(element):  # type: ignore[call-overload]
        name = _local(child.tag)
        if name != "note":
            fields[name] = _text(child.text)
    return fields


def _note_from(fields: dict[str, str], person_record_id: str) -> PfifNote:
    made_contact_text = fields.get("author_made_contact") or fields.get("found") or ""
    made_contact = {"true": True, "false": False}.get(made_contact_text.lower())
    contact = fields.get("author_email") or fields.get("author_phone") or ""
    kept = {
        k: v
        for k, v in fields.items()
        if k not in {"note_record_id", "person_record_id", "linked_person_record_id", "author_name", "source_date",
                     "status", "author_made_contact", "found", "last_known_location", "text"} and v
    }  # fmt: skip
    return PfifNote(
        note_record_id=fields.get("note_record_id", ""),
        person_record_id=fields.get("person_record_id") or person_record_id,
        linked_person_record_id=fields.get("linked_person_record_id", ""),
        author_name=fields.get("author_name", ""),
        author_contact=contact,
        source_date=fields.get("source_date", ""),
        status=fields.get("status", ""),
        author_made_contact=made_contact,
        last_known_location=fields.get("last_known_location", ""),
        text=fields.get("text", ""),
        extra=kept,
    )


def _canonical(person: dict[str, str], notes: tuple[PfifNote, ...]) -> tuple[dict[str, str], dict[str, str]]:
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for name, value in person.items():
        name = RENAMED.get(name, name)
        column = DIRECT.get(name)
        if column and value and not fields.get(column):
            fields[column] = value
        elif value:
            extra[name] = value
    home = [person.get(k, "") for k in ("home_city", "home_state", "home_country")]
    if any(home):
        fields["home_place"] = ", ".join(h for h in home if h)
    contact = person.get("author_email") or person.get("author_phone")
    if contact:
        fields["reporter_contact"] = contact
    dated = sorted((n for n in notes if n.status in NOTE_STATUS_TO_CANONICAL), key=lambda n: n.source_date)
    if dated:
        fields["status"] = NOTE_STATUS_TO_CANONICAL[dated[-1].status]
        fields["status_date"] = dated[-1].source_date[:10]
    return fields, extra


def read_pfif_rows(table: Table) -> Iterator[ParsedRow | RejectedRow]:
    # First pass: top-level notes, which may come before or after their person.
    loose: dict[str, list[PfifNote]] = defaultdict(list)
    depth = 0
    for event, element in _events(table.path):
        depth += 1 if event == "start" else -1
        if event == "end" and depth == 1 and _local(getattr(element, "tag", "")) == "note":
            fields = _element_fields(element)
            loose[fields.get("person_record_id", "")].append(_note_from(fields, ""))
            element.clear()  # type: ignore[attr-defined]
    # Second pass: persons, in document order, with their nested and loose notes.
    depth = 0
    ordinal = 0
    seen: set[str] = set()

    def progress(position: int) -> None:
        table.bytes_read = position

    for event, element in _events(table.path, progress):
        depth += 1 if event == "start" else -1
        if event != "end" or depth != 1 or _local(getattr(element, "tag", "")) != "person":
            continue
        ordinal += 1
        person = _element_fields(element)
        record_id = person.get("person_record_id", "")
        nested = tuple(
            _note_from(_element_fields(child), record_id)
            for child in list(element)  # type: ignore[call-overload]
            if _local(child.tag) == "note"
        )
        element.clear()  # type: ignore[attr-defined]
        notes = nested + tuple(loose.pop(record_id, []))
        raw = dict(person)
        fields, extra = _canonical(person, notes)
        if not record_id:
            yield RejectedRow(ordinal, "person_record_id", "the PFIF person has no person_record_id", raw)
            continue
        if record_id in seen:
            yield RejectedRow(ordinal, "person_record_id", f"{record_id} appears twice in the file", raw)
            continue
        seen.add(record_id)
        domain = record_id.split("/", 1)[0] if "/" in record_id else ""
        if table.pfif_domains is not None and domain not in table.pfif_domains:
            # PFIF 1.4 section 3.1: a record id is "domain/unique", the domain naming the repository
            # that made it. A source vouches only for its own domains (Person Finder's badrecord sample).
            allowed = ", ".join(sorted(table.pfif_domains)) or "none"
            yield RejectedRow(
                ordinal,
                "person_record_id",
                f"{record_id} is from domain {domain or '(none)'!r}, not one this source writes ({allowed})",
                raw,
            )
            continue
        clean, problems = validate_fields(fields)
        if problems:
            yield RejectedRow(ordinal, problems[0][0], "; ".join(r for _, r in problems), raw)
            continue
        yield ParsedRow(line=ordinal, raw=raw, fields=clean, extra=extra, notes=notes)
    for record_id, unmatched in loose.items():
        for note in unmatched:
            ordinal += 1
            yield RejectedRow(
                ordinal,
                "person_record_id",
                f"note {note.note_record_id or '(no id)'} is about {record_id or 'no person'}, who is not in this file; "
                "import it together with the person",
                {"note_record_id": note.note_record_id, "person_record_id": record_id, "text": note.text},
            )
    table.bytes_read = table.total_bytes


# ----------------------------------------------------------------------------- writing


def _person_elements(person: PfifPerson) -> dict[str, str]:
    fields, extra = person.fields, person.extra
    out: dict[str, str] = {"person_record_id": person.person_record_id}
    reverse = {"full_name": "full_name", "given_name": "given_name", "family_name": "family_name",
               "alternate_names": "alternate_names", "sex": "sex", "birth_date": "date_of_birth", "age": "age",
               "notes": "description", "reporter_name": "author_name"}  # fmt: skip
    for column, pfif_name in reverse.items():
        value = fields.get(column, "")
        if column == "sex" and value not in {"female", "male", "other"}:
            continue
        if value:
            out[pfif_name] = value
    for name in PERSON_FIELDS_14:
        if name not in out and extra.get(name):
            out[name] = extra[name]
    # PFIF 1.1-1.3 names kept in extra become their 1.4 names.
    for old, new in (("first_name", "given_name"), ("last_name", "family_name"), ("other", "description")):
        if extra.get(old) and new not in out:
            out[new] = extra[old]
    if fields.get("home_place") and not any(
        extra.get(k) for k in ("home_city", "home_state", "home_country")
    ):
        out["home_city"] = fields["home_place"]
    contact = fields.get("reporter_contact", "")
    if contact and not (extra.get("author_email") or extra.get("author_phone")):
        out["author_email" if "@" in contact else "author_phone"] = contact
    return out


def _note_elements(note: PfifNote, person_record_id: str) -> dict[str, str]:
    out: dict[str, str] = {
        "note_record_id": note.note_record_id,
        "person_record_id": person_record_id,
        "linked_person_record_id": note.linked_person_record_id,
        "author_name": note.author_name,
        "source_date": note.source_date,
        "status": note.status,
        "last_known_location": note.last_known_location,
        "text": note.text,
    }
    if note.author_made_contact is not None:
        out["author_made_contact"] = "true" if note.author_made_contact else "false"
    for name in NOTE_FIELDS_14:
        if name not in out and note.extra.get(name):
            out[name] = note.extra[name]
    if note.author_contact and not (note.extra.get("author_email") or note.extra.get("author_phone")):
        out["author_email" if "@" in note.author_contact else "author_phone"] = note.author_contact
    return out


def _write_elements(
    out: IO[bytes], tag: str, values: dict[str, str], order: tuple[str, ...], indent: str
) -> None:
    for name in order:
        value = values.get(name, "")
        if value:
            out.write(f"{indent}<pfif:{name}>{escape(_xml_safe(value))}</pfif:{name}>\n".encode())


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    # XML 1.0 cannot hold these characters at all; they are dropped rather than breaking the file.
    return _XML_INVALID.sub("", value)


def write_pfif(persons: Iterable[PfifPerson], out: IO[bytes], *, domain: str) -> int:
    """Write PFIF 1.4 XML (UTF-8) with each person's notes nested; returns the number of persons."""
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<pfif:pfif xmlns:pfif="{PFIF_14}">\n'.encode())
    count = 0
    for person in persons:
        record_id = person.person_record_id
        if "/" not in record_id:
            # PFIF record ids are domain/local-id; a bare id gets this deployment's domain.
            record_id = f"{domain}/{record_id}"
        out.write(b"  <pfif:person>\n")
        _write_elements(
            out,
            "person",
            _person_elements(PfifPerson(record_id, person.fields, person.extra)),
            PERSON_FIELDS_14,
            "    ",
        )
        for note in person.notes:
            out.write(b"    <pfif:note>\n")
            _write_elements(out, "note", _note_elements(note, record_id), NOTE_FIELDS_14, "      ")
            out.write(b"    </pfif:note>\n")
        out.write(b"  </pfif:person>\n")
        count += 1
    out.write(b"</pfif:pfif>\n")
    return count
