"""Pages. Public pages never show a living person's location, contacts, list or record ids.

Who may see what (docs/roles.md): public views below the "public" heading show only a
person's name as recorded, a 5-year age band and that information exists. Staff views check
roles and write an audit event whenever they show a restricted field.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rollcall.linkage.models import Decision
from rollcall.linkage.timeline import person_timeline
from rollcall.registry.actions import (
    SubmissionInvalid,
    do_submit_information,
    do_submit_tracing_request,
    write_rejects,
)
from rollcall.registry.audit import audit
from rollcall.registry.models import (
    AuditEvent,
    Dataset,
    ImportJob,
    Person,
    Record,
    RejectedRow,
    TracingRequest,
    find_person,
)
from rollcall.registry.roles import ADMIN, ANALYST, CASEWORKER, has_role, role_required
from rollcall.registry.search import SearchFilters, search_persons
from rollcall.web.forms import InformationForm, LookingForSomeoneForm, SearchForm, StaffSearchForm, UploadForm
from rollcall.web.ratelimit import allow
from rollcall_core.formats import KEEP_AS_EXTRA, FormatError, open_table
from rollcall_core.formats import RejectedRow as CoreRejectedRow
from rollcall_core.schema import CANONICAL_COLUMNS, RESTRICTED_FIELDS

PUBLIC_RESULTS = 20

# These pages run no script at all: a policy that forbids scripts makes an escaping mistake harmless.
NO_SCRIPTS_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def hardened(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Every page here: no scripts allowed, and nothing about people kept by shared or history caches."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Security-Policy", NO_SCRIPTS_POLICY)
        response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    return wrapped


# ----------------------------------------------------------------------------- public


def _public_search(request: HttpRequest) -> tuple[SearchForm, list[dict[str, str]], bool, bool]:
    form = SearchForm(request.GET or None)
    results: list[dict[str, str]] = []
    searched = limited = False
    if form.is_valid() and form.cleaned_data["q"]:
        if not allow(request, "search", settings.PUBLIC_SEARCHES_PER_MINUTE, 60):
            limited = True
        else:
            searched = True
            # detail=False: no records are read, and no list or place can leak into the page.
            found = search_persons(form.cleaned_data["q"], limit=PUBLIC_RESULTS, detail=False)
            # Only the name as recorded and a 5-year age band: never places, contacts or lists.
            results = [
                {"public_id": r.person_id, "name": r.display_name, "age_band": r.age_band} for r in found
            ]
    return form, results, searched, limited


@hardened
def home(request: HttpRequest) -> HttpResponse:
    form, results, searched, limited = _public_search(request)
    status = 429 if limited else 200
    return render(
        request,
        "web/home.html",
        {"form": form, "results": results, "searched": searched, "limited": limited},
        status=status,
    )


def _person_at(public_id: str, view: str, **kwargs: Any) -> Person | HttpResponse:
    """The person at a saved link, or a redirect to the person its records joined since."""
    person, moved = find_person(public_id)
    if person is None:
        raise Http404("No such person.")
    if moved:
        return redirect(view, public_id=person.public_id, **kwargs)
    return person


@hardened
def public_person(request: HttpRequest, public_id: str) -> HttpResponse:
    person = _person_at(public_id, "public-person")
    if isinstance(person, HttpResponse):
        return person
    return render(request, "web/public_person.html", {"person": person, "age_band": person.public_age_band()})


@hardened
@require_http_methods(["GET", "POST"])
def looking_for_someone(request: HttpRequest) -> HttpResponse:
    form = LookingForSomeoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not allow(request, "submit", settings.PUBLIC_SUBMISSIONS_PER_HOUR, 3600):
            return render(request, "web/limited.html", status=429)
        try:
            do_submit_tracing_request(**form.cleaned_data, request=request)
        except SubmissionInvalid as problems:
            for field, reason in problems.problems.items():
                form.add_error(field if field in form.fields else None, reason)
        else:
            return render(request, "web/thanks.html", {"kind": "tracing"})
    return render(request, "web/looking.html", {"form": form}, status=400 if form.errors else 200)


@hardened
@require_http_methods(["GET", "POST"])
def information(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    person = _person_at(public_id, "information-about") if public_id else None
    if isinstance(person, HttpResponse):
        return person
    form = InformationForm(request.POST or None, about_person=person is not None)
    if request.method == "POST" and form.is_valid():
        if not allow(request, "submit", settings.PUBLIC_SUBMISSIONS_PER_HOUR, 3600):
            return render(request, "web/limited.html", status=429)
        data = form.cleaned_data
        try:
            do_submit_information(
                person=person,
                full_name=data.get("full_name", ""),
                status=data.get("status", ""),
                last_known_location=data.get("last_known_location", ""),
                text=data.get("text", ""),
                author_name=data["author_name"],
                author_contact=data.get("author_contact", ""),
                request=request,
            )
        except SubmissionInvalid as problems:
            for field, reason in problems.problems.items():
                form.add_error(field if field in form.fields else None, reason)
        else:
            return render(request, "web/thanks.html", {"kind": "information"})
    return render(
        request, "web/information.html", {"form": form, "person": person}, status=400 if form.errors else 200
    )


# ----------------------------------------------------------------------------- staff


@hardened
@role_required(CASEWORKER, ANALYST)
def staff_home(request: HttpRequest) -> HttpResponse:
    by_status = dict(Person.objects.values_list("status").annotate(n=Count("id")).order_by())
    by_list = (
        Record.objects.values("dataset__kind", "source__name")
        .annotate(n=Count("id"))
        .order_by("source__name", "dataset__kind")
    )
    return render(
        request,
        "web/staff_home.html",
        {
            "by_status": sorted(by_status.items()),
            "by_list": by_list,
            "persons": Person.objects.count(),
            "records": Record.objects.count(),
            "open_requests": TracingRequest.objects.filter(state=TracingRequest.State.OPEN).count(),
        },
    )


@hardened
@role_required(CASEWORKER)
def staff_search(request: HttpRequest) -> HttpResponse:
    form = StaffSearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        filters = SearchFilters(
            sex=data.get("sex") or "",
            birth_year=data.get("birth_year"),
            age=data.get("age"),
            home_place=data.get("home_place") or "",
        )
        results = search_persons(data["q"], limit=50, filters=filters)
    return render(request, "web/staff_search.html", {"form": form, "results": results})


@hardened
@role_required(CASEWORKER)
def datasets(request: HttpRequest) -> HttpResponse:
    page = Paginator(Dataset.objects.select_related("source", "imported_by"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "web/datasets.html", {"page": page})


@hardened
@role_required(CASEWORKER)
def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(Dataset.objects.select_related("source"), pk=pk)
    rejected = Paginator(dataset.rejected_rows.all(), 100).get_page(request.GET.get("page"))
    audit("view", request=request, object_type="dataset", object_id=dataset.pk)
    return render(request, "web/dataset_detail.html", {"dataset": dataset, "rejected": rejected})


@hardened
@role_required(CASEWORKER)
def dataset_rejects(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk)
    rows = [CoreRejectedRow(r.line, r.field, r.reason, r.raw) for r in dataset.rejected_rows.all()]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dataset-{dataset.pk}-rejects.csv"'
    response.write("\ufeff")
    write_rejects(rows, list(dataset.headers), cast("IO[str]", response))
    audit("export", request=request, object_type="rejects", object_id=dataset.pk)
    return response


@hardened
@role_required(CASEWORKER)
def records(request: HttpRequest) -> HttpResponse:
    queryset = Record.objects.select_related("source", "person").order_by("-id")
    dataset = None
    if request.GET.get("dataset", "").isdigit():
        dataset = Dataset.objects.filter(pk=int(request.GET["dataset"])).first()
        queryset = queryset.filter(dataset=dataset)
    page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    return render(request, "web/records.html", {"page": page, "dataset": dataset})


def _record_rows(record: Record) -> list[tuple[str, str, bool]]:
    return [(name, getattr(record, name), name in RESTRICTED_FIELDS) for name in CANONICAL_COLUMNS]


@hardened
@role_required(CASEWORKER)
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        Record.objects.select_related("source", "dataset", "person", "imported_by"), pk=pk
    )
    audit("view", request=request, object_type="record", object_id=record.pk, fields="restricted")
    return render(request, "web/record_detail.html", {"record": record, "rows": _record_rows(record)})


@hardened
@role_required(CASEWORKER)
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The one staff page of a person: every record on a timeline, notes, tracing requests, and
    the reviewers' decisions with merge, split and undo (linkage/views.py does the writes)."""
    person = _person_at(public_id, "person")
    if isinstance(person, HttpResponse):
        return person
    timeline = person_timeline(person)
    notes = list(person.person_notes.order_by("created_at", "id"))
    tracing = list(
        TracingRequest.objects.filter(record__person=person)
        .select_related("record__source", "assigned_to")
        .order_by("created_at", "id")
    )
    # Decisions that touched this person's records, kept ones and undone ones: the history a
    # caseworker needs before undoing one (a "not the same" also shows on the other person's page).
    decided = list(
        Decision.objects.filter(Q(record_a__person=person) | Q(record_b__person=person))
        .select_related(
            "author",
            "undone_by",
            "record_a__person",
            "record_b__person",
            "record_a__source",
            "record_b__source",
        )
        .order_by("-at", "-id")[:50]
    )
    for decision in decided:
        decision.shown_records = [r for r in (decision.record_a, decision.record_b) if r is not None]  # type: ignore[attr-defined]
    audit(
        "view", request=request, object_type="person", object_id=person.public_id, fields="restricted",
        tracing_requests=len(tracing),
    )  # fmt: skip
    context: dict[str, object] = {
        **timeline,
        "notes": notes,
        "tracing": tracing,
        "decisions": decided,
        "erased": person.records.filter(erased_at__isnull=False).count(),
        "can_relink": has_role(request.user, CASEWORKER),
    }
    return render(request, "web/person_detail.html", context)


@hardened
@role_required(CASEWORKER)
def tracing_requests(request: HttpRequest) -> HttpResponse:
    page = Paginator(TracingRequest.objects.select_related("record__person", "assigned_to"), 50).get_page(
        request.GET.get("page")
    )
    audit("view", request=request, object_type="tracing_requests", object_id="list", fields="seeker_contact")
    return render(request, "web/tracing_requests.html", {"page": page})


@hardened
@role_required(ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(AuditEvent.objects.select_related("user"), 100).get_page(request.GET.get("page"))
    return render(request, "web/audit_log.html", {"page": page})


# ----------------------------------------------------------------------------- staff upload


def _uploads_dir() -> Path:
    path = Path(settings.HOME) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


@hardened
@role_required(CASEWORKER)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incoming = data["file"]
        folder = _uploads_dir() / secrets.token_hex(8)
        folder.mkdir()
        name = Path(incoming.name).name or "upload"
        path = folder / name
        with path.open("wb") as out:
            for chunk in incoming.chunks():
                out.write(chunk)
        try:
            open_table(path, format=data["format"])
        except FormatError as error:
            shutil.rmtree(folder, ignore_errors=True)
            form.add_error("file", str(error))
        else:
            job = ImportJob.objects.create(
                path=str(path),
                filename=name,
                source_name=data["source"],
                kind=data["kind"],
                format=data["format"],
                created_by=request.user,
            )
            return redirect("upload-preview", pk=job.pk)
    return render(request, "web/upload.html", {"form": form}, status=400 if form.errors else 200)


PREVIEW_ROWS = 10


@hardened
@role_required(CASEWORKER)
@require_http_methods(["GET", "POST"])
def upload_preview(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    if job.state != ImportJob.State.PREVIEW:
        return redirect("upload-progress", pk=job.pk)
    try:
        table = open_table(job.path, format=job.format, column_map=job.column_map)
    except FormatError as error:
        messages.error(request, str(error))
        return redirect("upload")
    headers = list(table.info.headers)
    detected = dict(table.info.mapping)
    chosen = {header: detected.get(header, "") for header in headers}
    problems: list[str] = []
    if request.method == "POST":
        chosen = {h: request.POST.get(f"map-{i}", "") for i, h in enumerate(headers)}
        # Every column gets the user's choice, "other" included (KEEP_AS_EXTRA), so that the reader
        # does not map a recognised header the user chose to keep as extra data.
        column_map = {
            h: field if field in CANONICAL_COLUMNS else KEEP_AS_EXTRA for h, field in chosen.items()
        }
        chosen_fields = [f for f in column_map.values() if f != KEEP_AS_EXTRA]
        duplicates = sorted({f for f in chosen_fields if chosen_fields.count(f) > 1})
        if duplicates:
            problems.append(_("Each field can come from one column only: %s") % ", ".join(duplicates))
        if not problems:
            job.column_map = column_map
            job.state = ImportJob.State.QUEUED
            job.save(update_fields=["column_map", "state"])
            from rollcall.web.tasks import run_import_job

            run_import_job.enqueue(job.pk)
            return redirect("upload-progress", pk=job.pk)
    preview = []
    for item in table.rows():
        preview.append({"line": item.line, "cells": [item.raw.get(h, "") for h in headers],
                        "problem": f"{item.field}: {item.reason}" if isinstance(item, CoreRejectedRow) else ""})  # fmt: skip
        if len(preview) >= PREVIEW_ROWS:
            break
    audit("view", request=request, object_type="upload_preview", object_id=job.pk)
    columns = [
        {"index": i, "header": h, "mapped": chosen[h], "detected": detected.get(h, "")}
        for i, h in enumerate(headers)
    ]
    context = {
        "job": job,
        "info": table.info,
        "columns": columns,
        "preview": preview,
        "fields": CANONICAL_COLUMNS,
        "problems": problems,
    }
    return render(request, "web/upload_preview.html", context, status=400 if problems else 200)


@hardened
@role_required(CASEWORKER)
def upload_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("dataset"), pk=pk)
    waiting = job.state in {ImportJob.State.QUEUED, ImportJob.State.RUNNING}
    rejected = RejectedRow.objects.filter(dataset=job.dataset)[:50] if job.dataset_id else []
    return render(request, "web/upload_progress.html", {"job": job, "waiting": waiting, "rejected": rejected})
