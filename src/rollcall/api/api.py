"""The JSON API (django-ninja); its OpenAPI schema is at /api/openapi.json and the docs at /api/docs.

Public endpoints return only what the public pages show. Staff endpoints use the staff session
(CSRF applies to writes), check roles and audit restricted views, as the pages do.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, NinjaAPI, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from rollcall.linkage.api import router as linkage_router
from rollcall.registry.actions import ImportFailed, do_import_list
from rollcall.registry.audit import audit
from rollcall.registry.models import Dataset, Record, find_person
from rollcall.registry.roles import CASEWORKER, has_role
from rollcall.registry.search import search_persons
from rollcall.situation.api import router as situation_router
from rollcall.web.ratelimit import allow
from rollcall_core.schema import CANONICAL_COLUMNS

api = NinjaAPI(title="rollcall", version="1", urls_namespace="api")


class PublicMatch(Schema):
    person_id: str
    name: str
    age_band: str


class RecordRef(Schema):
    source: str
    record_id: str
    full_name: str


class PersonMatch(Schema):
    person_id: str
    display_name: str
    score: float
    records: list[RecordRef]
    why: list[str]


class RecordOut(Schema):
    id: int
    source: str
    dataset_id: int
    row_number: int
    person_id: str
    fields: dict[str, str]
    extra: dict[str, str]


class PersonOut(Schema):
    person_id: str
    display_name: str
    status: str
    sex: str
    birth_year: int | None
    records: list[RecordOut]


class DatasetOut(Schema):
    id: int
    filename: str
    source: str
    kind: str
    format: str
    sha256: str
    rows_read: int
    rows_imported: int
    rows_rejected: int


class ImportOut(Schema):
    summary: str
    dataset_id: int | None
    already_imported: bool
    rows_read: int
    rows_imported: int
    rows_rejected: int
    rejected: list[dict[str, object]]


def _caseworker(request: HttpRequest) -> None:
    if not has_role(request.user, CASEWORKER):
        raise HttpError(403, "This needs the caseworker role.")


public = Router(tags=["public"])


@public.get("/search", response=list[PublicMatch], summary="Search by name; only that information exists")
def public_search(request: HttpRequest, q: str = "") -> list[PublicMatch]:
    if not allow(request, "search", settings.PUBLIC_SEARCHES_PER_MINUTE, 60):
        raise HttpError(429, "Too many searches from your connection; wait a minute.")
    found = search_persons(q[:200], limit=20, detail=False)
    return [PublicMatch(person_id=r.person_id, name=r.display_name, age_band=r.age_band) for r in found]


staff = Router(tags=["staff"], auth=django_auth)


@staff.get(
    "/persons", response=list[PersonMatch], summary="Search persons, with their records and why they matched"
)
def staff_search(request: HttpRequest, q: str, limit: int = 20) -> list[PersonMatch]:
    _caseworker(request)
    results = search_persons(q[:200], limit=max(1, min(limit, 200)))
    return [
        PersonMatch(
            person_id=r.person_id,
            display_name=r.display_name,
            score=r.score,
            records=[RecordRef(**ref) for ref in r.records],
            why=list(r.why),
        )
        for r in results
    ]


def _record_out(record: Record) -> RecordOut:
    return RecordOut(
        id=record.pk,
        source=record.source.name,
        dataset_id=record.dataset_id,
        row_number=record.row_number,
        person_id=record.person.public_id,
        fields={c: getattr(record, c) for c in CANONICAL_COLUMNS},
        extra={k: str(v) for k, v in record.extra.items()},
    )


@staff.get(
    "/persons/{public_id}", response=PersonOut, summary="A person with every record (restricted; audited)"
)
def person_detail(request: HttpRequest, public_id: str) -> PersonOut:
    _caseworker(request)
    # A saved id whose person was merged into another answers with that person (its person_id
    # says which), as the pages redirect there.
    person, _moved = find_person(public_id)
    if person is None:
        raise HttpError(404, "No such person.")
    audit("view", request=request, object_type="person", object_id=person.public_id, via="api")
    records = person.records.select_related("source", "person").order_by("id")
    return PersonOut(
        person_id=person.public_id,
        display_name=person.display_name,
        status=person.status,
        sex=person.sex,
        birth_year=person.birth_year,
        records=[_record_out(r) for r in records],
    )


@staff.get("/records/{record_id}", response=RecordOut, summary="One record as imported (restricted; audited)")
def record_detail(request: HttpRequest, record_id: int) -> RecordOut:
    _caseworker(request)
    record = Record.objects.select_related("source", "person").filter(pk=record_id).first()
    if record is None:
        raise HttpError(404, "No such record.")
    audit("view", request=request, object_type="record", object_id=record.pk, via="api")
    return _record_out(record)


def _dataset_out(dataset: Dataset) -> DatasetOut:
    return DatasetOut(
        id=dataset.pk,
        filename=dataset.filename,
        source=dataset.source.name,
        kind=dataset.kind,
        format=dataset.format,
        sha256=dataset.sha256,
        rows_read=dataset.rows_read,
        rows_imported=dataset.rows_imported,
        rows_rejected=dataset.rows_rejected,
    )


@staff.get("/datasets", response=list[DatasetOut], summary="Lists received")
def datasets(request: HttpRequest) -> list[DatasetOut]:
    _caseworker(request)
    return [_dataset_out(d) for d in Dataset.objects.select_related("source")[:1000]]


@staff.post("/datasets", response=ImportOut, summary="Import a list (CSV, XLSX, PFIF, HXL), atomically")
def import_dataset(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008 - django-ninja's way of declaring an upload
    source: str = Form(...),  # noqa: B008
    kind: str = Form("other"),  # noqa: B008
    format: str = Form("auto"),  # noqa: B008
    map: list[str] = Form([]),  # noqa: B008 - COLUMN=FIELD, as on the command line
    dry_run: bool = Form(False),  # noqa: B008
) -> ImportOut:
    _caseworker(request)
    column_map = {}
    for pair in map:
        column, sep, field = pair.partition("=")
        # COLUMN= (no field) keeps the column as extra data, as on the command line.
        if not sep or (field and field not in CANONICAL_COLUMNS):
            raise HttpError(
                422,
                f"map {pair!r}: expected COLUMN=FIELD with FIELD one of {', '.join(CANONICAL_COLUMNS)}, "
                "or COLUMN= to keep the column as extra data",
            )
        column_map[column] = field
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(file.name or "upload").name or "upload")
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        try:
            report = do_import_list(
                path, source_name=source, kind=kind, format=format, column_map=column_map,
                dry_run=dry_run, user=request.user, filename=path.name,
            )  # fmt: skip
        except ImportFailed as error:
            raise HttpError(422, str(error)) from error
    return ImportOut(
        summary=report.summary(),
        dataset_id=report.dataset_id,
        already_imported=report.already_imported,
        rows_read=report.rows_read,
        rows_imported=report.rows_imported,
        rows_rejected=report.rows_rejected,
        rejected=[{"line": r.line, "field": r.field, "reason": r.reason} for r in report.rejected[:1000]],
    )


api.add_router("/public/", public)
api.add_router("/", staff)
api.add_router("/situation/", situation_router)
api.add_router("/linkage/", linkage_router)
