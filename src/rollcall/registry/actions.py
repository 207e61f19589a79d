"""Every write to the registry goes through a function here, used alike by views, the command and the API."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rollcall.registry.audit import audit
from rollcall.registry.models import Dataset, Note, Person, Place, PlaceName, Record, RejectedRow, Source
from rollcall.registry.search import index_records, mark_index_version
from rollcall_core.formats import FormatError, ParsedRow, PfifNote, open_table
from rollcall_core.formats import RejectedRow as CoreRejectedRow
from rollcall_core.names import detect_script
from rollcall_core.schema import CANONICAL_COLUMNS, LIST_KINDS

Progress = Callable[[int, int], None]
BATCH_SIZE = 2000
# Columns the rejects file adds for the user; dropped again when the corrected file comes back.
REJECT_COLUMNS = ("rollcall_line", "rollcall_field", "rollcall_reason")


class ImportFailed(Exception):
    """The file as a whole could not be imported; nothing was stored."""


@dataclass
class ImportReport:
    filename: str
    sha256: str
    format: str = ""
    encoding: str = ""
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    already_imported: bool = False
    dry_run: bool = False
    dataset_id: int | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: tuple[str, ...] = ()
    rejected: list[CoreRejectedRow] = field(default_factory=list)

    def summary(self) -> str:
        if self.already_imported:
            return f"{self.filename}: already imported (dataset {self.dataset_id}, sha256 {self.sha256[:12]}); nothing changed"
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{self.filename}: {self.rows_read} rows read, {self.rows_imported} {verb}, "
            f"{self.rows_rejected} rejected ({self.format}, {self.encoding or 'binary'})"
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _int_or_none(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _age_range(age: str) -> tuple[int | None, int | None]:
    numbers = [int(n) for n in re.findall(r"\d+", age)[:2]]
    if not numbers:
        return None, None
    return numbers[0], numbers[-1]


def _person_for(fields: Mapping[str, str], display_name: str) -> Person:
    age_low, age_high = _age_range(fields.get("age", ""))
    return Person(
        display_name=display_name[:300],
        sex=fields.get("sex") or "unknown",
        birth_year=_int_or_none(fields.get("birth_date", "")[:4]),
        age_low=age_low,
        age_high=age_high,
        status=fields.get("status") or "unknown",
        status_date=fields.get("status_date", ""),
    )


def _display_name(fields: Mapping[str, str]) -> str:
    if fields.get("full_name"):
        return fields["full_name"]
    return " ".join(fields[k] for k in ("given_name", "patronymic", "family_name") if fields.get(k))


def _record_for(row: ParsedRow, dataset: Dataset, person: Person, user: Any) -> Record:
    values = {name: row.fields.get(name, "") for name in CANONICAL_COLUMNS}
    name = _display_name(row.fields)
    extra = {k: v for k, v in row.extra.items() if k not in REJECT_COLUMNS}
    return Record(
        dataset=dataset,
        source=dataset.source,
        row_number=row.line,
        person=person,
        raw=row.raw,
        extra=extra,
        script=detect_script(name.replace(" ", "")) if name else "",
        imported_by=user,
        **{**values, "record_id": values["record_id"] or f"row-{row.line}"},
    )


def _note_for(note: PfifNote, person: Person, record: Record | None, user: Any) -> Note:
    return Note(
        person=person,
        record=record,
        note_record_id=note.note_record_id,
        linked_person_record_id=note.linked_person_record_id,
        author_name=note.author_name,
        author_contact=note.author_contact,
        source_date=note.source_date,
        status=note.status,
        author_made_contact=note.author_made_contact,
        last_known_location=note.last_known_location,
        text=note.text,
        extra=dict(note.extra),
        created_by=user,
    )


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _keep_file(path: Path, sha256: str) -> Path:
    """Keep the received bytes, content-addressed, before anything is written to the database."""
    target_dir = Path(settings.DATASETS_DIR)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / sha256
    if not target.exists():
        partial = target.with_suffix(".partial")
        shutil.copyfile(path, partial)
        partial.replace(target)
    return target


def do_import_list(
    path: Path,
    *,
    source_name: str,
    kind: str = "other",
    format: str = "auto",
    column_map: Mapping[str, str] | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    user: Any = None,
    filename: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one list file atomically: all its accepted rows and its rejects, or nothing.

    The same bytes imported again are recognised by their sha256 and change nothing.
    """
    path = Path(path)
    shown_name = filename or path.name
    if not source_name.strip():
        raise ImportFailed("--source: a source name is required (who gave you this list?)")
    if kind not in LIST_KINDS:
        raise ImportFailed(f"--kind: {kind!r} is not a list kind; use one of {', '.join(LIST_KINDS)}")
    if not path.is_file():
        raise ImportFailed(f"{shown_name}: no such file")
    sha256 = file_sha256(path)
    report = ImportReport(filename=shown_name, sha256=sha256, dry_run=dry_run)
    existing = Dataset.objects.filter(sha256=sha256).first()
    if existing is not None:
        report.already_imported = True
        report.dataset_id = existing.pk
        report.rows_read, report.rows_imported = existing.rows_read, existing.rows_imported
        report.rows_rejected = existing.rows_rejected
        return report

    try:
        table = open_table(path, format=format, column_map=dict(column_map or {}), sheet=sheet)
    except FormatError as error:
        raise ImportFailed(f"{shown_name}: {error}") from error
    info = table.info
    report.format, report.encoding = info.format, info.encoding or ""
    report.mapping, report.unmapped = dict(info.mapping), tuple(info.unmapped)

    def rows() -> Iterator[ParsedRow | CoreRejectedRow]:
        try:
            for item in table.rows():
                report.rows_read += 1
                if progress is not None and report.rows_read % 500 == 0:
                    progress(table.bytes_read, table.total_bytes)
                if isinstance(item, CoreRejectedRow):
                    report.rows_rejected += 1
                    report.rejected.append(item)
                    continue
                yield item
        except FormatError as error:
            raise ImportFailed(f"{shown_name}: {error}") from error

    if dry_run:
        report.rows_imported = sum(1 for _ in rows())
        return report

    kept = _keep_file(path, sha256)
    with transaction.atomic():
        source, _ = Source.objects.get_or_create(name=source_name.strip())
        dataset = Dataset.objects.create(
            source=source,
            kind=kind,
            filename=shown_name[:255],
            sha256=sha256,
            size_bytes=path.stat().st_size,
            stored_path=str(kept),
            format=info.format,
            encoding=info.encoding or "",
            column_map=dict(info.mapping),
            headers=list(info.headers),
            imported_by=user,
        )
        for batch in _batches(rows(), BATCH_SIZE):
            persons = Person.objects.bulk_create(
                [_person_for(r.fields, _display_name(r.fields)) for r in batch]
            )
            records = Record.objects.bulk_create(
                [_record_for(r, dataset, p, user) for r, p in zip(batch, persons, strict=True)]
            )
            notes = [
                _note_for(note, person, record, user)
                for row, person, record in zip(batch, persons, records, strict=True)
                for note in row.notes
            ]
            if notes:
                Note.objects.bulk_create(notes)
            index_records(records)
            report.rows_imported += len(records)
        mark_index_version()
        RejectedRow.objects.bulk_create(
            [
                RejectedRow(dataset=dataset, line=r.line, field=r.field, reason=r.reason, raw=r.raw)
                for r in report.rejected
            ]
        )
        dataset.rows_read = report.rows_read
        dataset.rows_imported = report.rows_imported
        dataset.rows_rejected = report.rows_rejected
        dataset.save(update_fields=["rows_read", "rows_imported", "rows_rejected"])
        audit(
            "import",
            user=user,
            object_type="dataset",
            object_id=dataset.pk,
            filename=shown_name,
            sha256=sha256,
            rows_imported=report.rows_imported,
            rows_rejected=report.rows_rejected,
        )
    if progress is not None:
        progress(table.total_bytes, table.total_bytes)
    report.dataset_id = dataset.pk
    _link_on_arrival(dataset.pk, report.rows_imported)
    return report


def _link_on_arrival(dataset_id: int, rows: int) -> None:
    """Link a small list's records on arrival, with the saved model, after the import committed.

    A large list is linked by the batch run (`rollcall link`), which is much faster per record
    than scoring each against the names index.
    """
    from rollcall.linkage.actions import link_new_records

    if rows == 0 or rows > settings.LINK_ON_ARRIVAL_MAX_ROWS:
        return
    record_ids = list(Record.objects.filter(dataset_id=dataset_id).values_list("pk", flat=True))
    link_new_records(record_ids)


def write_rejects(rejected: Iterable[CoreRejectedRow], headers: Iterable[str], out: IO[str]) -> int:
    """The rejected rows as a CSV the user can correct and import again, reasons beside each row."""
    from rollcall_core.formats import write_csv

    columns = [*headers, *REJECT_COLUMNS]
    rows = [
        {**r.raw, "rollcall_line": r.line, "rollcall_field": r.field, "rollcall_reason": r.reason}
        for r in rejected
    ]
    write_csv(rows, columns, out)
    return len(rows)


def do_load_gazetteer() -> int:
    """Seed the places from the core gazetteer; idempotent. Returns how many places are new."""
    with transaction.atomic():
        return add_gazetteer_places(Place, PlaceName)


def add_gazetteer_places(place_model: Any, name_model: Any) -> int:
    """Add the core gazetteer's places and names a database lacks (by key), and their parents where
    unset; nothing already there is changed. The models are given, so that a migration can run it
    with its historical models when the gazetteer grows (registry migration 0007)."""
    from rollcall_core.gazetteer import load_places

    created = 0
    entries = load_places()
    by_key: dict[str, Any] = {}
    for entry in entries:
        place, was_created = place_model.objects.get_or_create(
            key=entry.key,
            defaults={
                "kind": entry.kind,
                "name_en": entry.names.get("en") or entry.key,
                "lat": entry.lat,
                "lon": entry.lon,
            },
        )
        created += int(was_created)
        by_key[entry.key] = place
        names = [(lang, name) for lang, name in entry.names.items() if name]
        names += [("alt", alt) for alt in entry.alternates]
        for lang, name in names:
            name_model.objects.get_or_create(place=place, name=name, lang=lang, defaults={"folded": name.casefold()})
    for entry in entries:
        if entry.parent and entry.parent in by_key and by_key[entry.key].parent_id is None:
            by_key[entry.key].parent = by_key[entry.parent]
            by_key[entry.key].save(update_fields=["parent"])
    return created


def dumps_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


class ErasureRefused(Exception):
    """Erasure needs an admin and a stated reason."""


ERASED = "[erased]"


def _redact_kept_file(dataset: Dataset) -> None:
    """Replace the kept file by a CSV of the rows that remain, as received, without the erased ones.

    The original sha256 stays on the dataset, so the original file imported again is still
    recognised as already imported and the erased person does not come back.
    """
    from rollcall_core.formats import write_csv

    remaining = [r.raw for r in dataset.records.filter(erased_at__isnull=True).order_by("row_number")]
    headers = list(dataset.headers) or sorted({k for raw in remaining for k in raw})
    kept = Path(dataset.stored_path)
    partial = kept.with_suffix(".redacted.partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        write_csv(remaining, headers, out)
    partial.replace(kept)
    dataset.redacted_at = timezone.now()
    dataset.save(update_fields=["redacted_at"])


def do_erase_person(person: Person, *, user: Any, reason: str) -> int:
    """Erase a person's personal data: an admin's explicit, audited act with a stated reason.

    Records stay (so counts and provenance stay honest) but lose every name, date, place and
    contact; notes and tracing contacts about the person are blanked; the kept files are
    redacted. The audit event says who, when, why and how many records, and holds no personal data.
    Returns the number of records erased.
    """
    from rollcall.registry.models import NameKey, TracingRequest
    from rollcall.registry.roles import ADMIN, has_role

    if not has_role(user, ADMIN):
        raise ErasureRefused("only an admin may erase personal data")
    if len(reason.strip()) < 10:
        raise ErasureRefused("state the reason for the erasure (at least a sentence)")
    with transaction.atomic():
        records = Record.objects.filter(person=person, erased_at__isnull=True)
        record_ids = list(records.values_list("pk", flat=True))
        datasets = list(Dataset.objects.filter(records__pk__in=record_ids).distinct())
        blank = {name: "" for name in CANONICAL_COLUMNS if name not in {"record_id", "status", "category"}}
        # The one deliberate exception to record immutability: a queryset update, never Record.save().
        Record.objects.filter(pk__in=record_ids).update(
            **{**blank, "full_name": ERASED}, raw={}, extra={}, erased_at=timezone.now()
        )
        NameKey.objects.filter(record_id__in=record_ids).delete()
        Note.objects.filter(person=person).update(
            author_name="", author_contact="", last_known_location="", text=ERASED, extra={}
        )
        TracingRequest.objects.filter(record_id__in=record_ids).update(seeker_name=ERASED, seeker_contact="")
        Person.objects.filter(pk=person.pk).update(display_name=ERASED, birth_year=None, age_low=None, age_high=None)
        for dataset in datasets:
            _redact_kept_file(dataset)
        audit(
            "erase",
            user=user,
            object_type="person",
            object_id=person.public_id,
            reason=reason.strip(),
            records=len(record_ids),
            datasets=[d.pk for d in datasets],
        )
    return len(record_ids)


# ----------------------------------------------------------------------------- public submissions

PUBLIC_TRACING_SOURCE = "Public tracing requests"
PUBLIC_INFORMATION_SOURCE = "Public information"
# The PFIF note statuses a member of the public may state, and the record status each implies.
PUBLIC_NOTE_STATUSES = {
    "believed_alive": "alive",
    "believed_missing": "missing",
    "believed_dead": "dead",
    "information_sought": "missing",
}


def _keep_submission(payload: Mapping[str, object]) -> tuple[str, Path]:
    """Keep a web form submission exactly as received, as a JSON file named by its sha256."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    sha256 = hashlib.sha256(body).hexdigest()
    target_dir = Path(settings.DATASETS_DIR)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / sha256
    if not target.exists():
        target.write_bytes(body)
    return sha256, target


def _submission_dataset(source_name: str, kind: str, payload: Mapping[str, object]) -> Dataset:
    sha256, kept = _keep_submission(payload)
    source, _ = Source.objects.get_or_create(name=source_name)
    dataset, _ = Dataset.objects.get_or_create(
        sha256=sha256,
        defaults={
            "source": source,
            "kind": kind,
            "filename": "web form",
            "size_bytes": kept.stat().st_size,
            "stored_path": str(kept),
            "format": "form",
            "encoding": "utf-8",
            "headers": sorted(payload),
            "rows_read": 1,
            "rows_imported": 1,
        },
    )
    return dataset


def _record_from_form(dataset: Dataset, fields: Mapping[str, str], raw: Mapping[str, object], person: Person | None) -> Record:
    from rollcall_core.formats import validate_fields

    clean, problems = validate_fields({k: v for k, v in fields.items() if v})
    if problems:
        raise SubmissionInvalid({field: reason for field, reason in problems})
    if person is None:
        person = Person.objects.create(**{k: getattr(_person_for(clean, _display_name(clean)), k) for k in (
            "display_name", "sex", "birth_year", "age_low", "age_high", "status", "status_date")})  # fmt: skip
    record = Record.objects.create(
        dataset=dataset,
        source=dataset.source,
        row_number=1,
        person=person,
        raw=dict(raw),
        extra={},
        script=detect_script(_display_name(clean).replace(" ", "")),
        **{**{c: clean.get(c, "") for c in CANONICAL_COLUMNS}, "record_id": f"web-{dataset.sha256[:16]}"},
    )
    index_records([record])
    mark_index_version()
    return record


class SubmissionInvalid(Exception):
    """A public form's values failed validation: {field: reason}."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = dict(problems)


def do_submit_tracing_request(
    *,
    full_name: str,
    age: str = "",
    sex: str = "",
    home_place: str = "",
    last_seen: str = "",
    seeker_name: str,
    seeker_contact: str,
    relationship: str = "",
    request: Any = None,
) -> Record:
    """'I am looking for someone': a record on the public tracing list, a PFIF note, an open request.

    `request` (the web request, if any) gives the audit event its actor and address.
    """
    from rollcall.registry.models import TracingRequest

    payload = {
        "form": "looking_for_someone",
        "full_name": full_name, "age": age, "sex": sex, "home_place": home_place, "last_seen": last_seen,
        "seeker_name": seeker_name, "seeker_contact": seeker_contact, "relationship": relationship,
        "received_at": timezone.now().isoformat(),
    }  # fmt: skip
    with transaction.atomic():
        dataset = _submission_dataset(PUBLIC_TRACING_SOURCE, "missing_reports", payload)
        record = _record_from_form(
            dataset,
            {"full_name": full_name, "age": age, "sex": sex, "home_place": home_place, "status": "missing",
             "event_place": last_seen, "reporter_name": seeker_name, "reporter_contact": seeker_contact,
             "notes": relationship},  # fmt: skip
            payload,
            None,
        )
        Note.objects.create(
            person=record.person,
            record=record,
            author_name=seeker_name,
            author_contact=seeker_contact,
            source_date=timezone.now().isoformat(),
            status=Note.PfifStatus.INFORMATION_SOUGHT,
            last_known_location=last_seen,
            text=relationship,
        )
        TracingRequest.objects.create(
            record=record, seeker_name=seeker_name, seeker_contact=seeker_contact, relationship=relationship
        )
        audit("submit", request=request, object_type="tracing_request", object_id=record.pk, form="looking_for_someone")
    _link_on_arrival(record.dataset_id, 1)
    return record


def do_submit_information(
    *,
    person: Person | None,
    full_name: str = "",
    status: str = "",
    last_known_location: str = "",
    text: str = "",
    author_name: str,
    author_contact: str = "",
    request: Any = None,
) -> Note:
    """'I have information about someone': a PFIF note on a known person, or a new public record.

    `status` is a PFIF note status (believed_alive, believed_missing, believed_dead,
    information_sought) or "".
    """
    pfif_status = status if status in PUBLIC_NOTE_STATUSES else ""
    record_status = PUBLIC_NOTE_STATUSES.get(pfif_status, "")
    payload = {
        "form": "information", "person": person.public_id if person else "", "full_name": full_name,
        "status": status, "last_known_location": last_known_location, "text": text,
        "author_name": author_name, "author_contact": author_contact, "received_at": timezone.now().isoformat(),
    }  # fmt: skip
    with transaction.atomic():
        record = None
        if person is None:
            dataset = _submission_dataset(PUBLIC_INFORMATION_SOURCE, "other", payload)
            record = _record_from_form(
                dataset,
                {"full_name": full_name, "status": record_status, "current_place": last_known_location, "notes": text,
                 "reporter_name": author_name, "reporter_contact": author_contact},  # fmt: skip
                payload,
                None,
            )
            person = record.person
        else:
            _keep_submission(payload)
        note = Note.objects.create(
            person=person,
            record=record,
            author_name=author_name,
            author_contact=author_contact,
            source_date=timezone.now().isoformat(),
            status=pfif_status,
            last_known_location=last_known_location,
            text=text,
        )
        audit("submit", request=request, object_type="note", object_id=note.pk, form="information")
    if record is not None:
        _link_on_arrival(record.dataset_id, 1)
    return note


# ----------------------------------------------------------------------------- staff uploads


def _remove_upload(path: Path) -> None:
    """Drop an upload's temporary copy once its import ran: the dataset keeps its own, by sha256."""
    folder = path.parent
    if folder.parent.name == "uploads" and folder.parent.parent == Path(settings.HOME):
        shutil.rmtree(folder, ignore_errors=True)


def do_run_import_job(job_id: int) -> None:
    """Run a previewed and mapped upload, recording progress on the job for the page to show."""
    from rollcall.registry.models import ImportJob

    job = ImportJob.objects.get(pk=job_id)
    if job.state not in {ImportJob.State.QUEUED, ImportJob.State.PREVIEW}:
        return
    ImportJob.objects.filter(pk=job_id).update(state=ImportJob.State.RUNNING)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(bytes_done=done, bytes_total=total)

    try:
        report = do_import_list(
            Path(job.path),
            source_name=job.source_name,
            kind=job.kind,
            format=job.format,
            column_map=job.column_map,
            sheet=job.sheet or None,
            user=job.created_by,
            filename=job.filename,
            progress=progress,
        )
    except ImportFailed as error:
        ImportJob.objects.filter(pk=job_id).update(state=ImportJob.State.FAILED, error=str(error))
        return
    except Exception as error:
        # Nothing was stored (the import is atomic); the page must not wait for ever.
        ImportJob.objects.filter(pk=job_id).update(state=ImportJob.State.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    finally:
        _remove_upload(Path(job.path))
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJob.State.DONE,
        dataset_id=report.dataset_id,
        report={
            "summary": report.summary(),
            "rows_read": report.rows_read,
            "rows_imported": report.rows_imported,
            "rows_rejected": report.rows_rejected,
            "already_imported": report.already_imported,
        },
    )
