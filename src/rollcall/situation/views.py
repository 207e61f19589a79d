"""Situation pages: public aggregates (report, widget, claims, events, places, sites, exports) and staff entry forms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from rollcall.registry.roles import role_required
from rollcall.situation import actions, exports
from rollcall.situation.forms import AcledUploadForm, ClaimForm, EventForm
from rollcall.situation.models import Claim, Event, ShelterSite
from rollcall.situation.picture import situation
from rollcall_core.situation import InvalidInput

STAFF = ("analyst", "caseworker", "admin")
EVENTS_PAGE = 500  # the events timeline shows the latest this many; exports hold all


def parse_as_of(text: str | None) -> datetime | None:
    """A local date-time from a form or query string, as UTC; None when absent or unreadable."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_current_timezone())
    return value


def _context(request: HttpRequest) -> dict[str, Any]:
    ctx = situation(parse_as_of(request.GET.get("as_of")))
    ctx["as_of_input"] = timezone.localtime(ctx["as_of"]).strftime("%Y-%m-%dT%H:%M")
    ctx["TIME_ZONE"] = settings.TIME_ZONE
    return ctx


def report(request: HttpRequest) -> HttpResponse:
    return render(request, "situation/report.html", _context(request))


def report_download(request: HttpRequest) -> HttpResponse:
    from rollcall.reports import render_markdown

    ctx = _context(request)
    return HttpResponse(render_markdown(ctx), content_type="text/markdown; charset=utf-8")


@xframe_options_exempt  # the one view a newsroom may frame; it holds aggregates only
def widget(request: HttpRequest) -> HttpResponse:
    return render(request, "situation/widget.html", _context(request))


def claims(request: HttpRequest) -> HttpResponse:
    from rollcall.situation.picture import charts, documented_counts

    metric = request.GET.get("metric", "")
    qs = Claim.objects.select_related("source", "place", "revises")
    if metric:
        qs = qs.filter(metric=metric)
    listed = list(qs)
    # The time series of the chosen metric: one line per source, the registry's count beside it.
    series = charts(listed, documented_counts(), timezone.now()) if metric else []
    metrics = sorted(set(Claim.objects.values_list("metric", flat=True)))
    return render(
        request,
        "situation/claims.html",
        {"claims": listed, "metric": metric, "metrics": metrics, "charts": series},
    )


def events(request: HttpRequest) -> HttpResponse:
    # A timeline a person reads: the latest events, oldest first; the full set is in the exports.
    latest = Event.objects.select_related("place").order_by("-occurred_on", "-id")[:EVENTS_PAGE]
    shown = sorted(latest, key=lambda e: (e.occurred_on, e.pk))
    return render(request, "situation/events.html", {"events": shown, "total": Event.objects.count()})


def places(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    found = actions.search_places(query) if query else []
    return render(request, "situation/places.html", {"q": query, "places": found})


def sites(request: HttpRequest) -> HttpResponse:
    ctx = situation()
    return render(
        request, "situation/sites.html", {"sites": ctx["sites"], "all": ShelterSite.objects.count()}
    )


def hxl(request: HttpRequest, kind: str) -> HttpResponse:
    text = {"claims": exports.hxl_claims, "events": exports.hxl_events, "sites": exports.hxl_sites}[kind]()
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rollcall-{kind}.hxl.csv"'
    return response


def acled(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(exports.acled_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rollcall-events-acled.csv"'
    return response


def _form_error(form: Any, exc: InvalidInput) -> None:
    if isinstance(exc, actions.AmbiguousPlace):
        form.add_error("place", str(exc))
    else:
        form.add_error(None, str(exc))


@role_required(*STAFF)
def claim_new(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(request.POST or None, initial={"scope": "all", "status": "reported"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            claim = actions.do_add_claim(
                **{**data, "place": data["place"] or None, "revises": data["revises"]}, user=request.user
            )
        except Claim.DoesNotExist:
            form.add_error("revises", _("No claim has that number."))
        except InvalidInput as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Claim %(id)s saved.") % {"id": claim.pk})
            return redirect("situation-claims")
    return render(request, "situation/entry.html", {"form": form, "title": _("New claim")})


@role_required(*STAFF)
def event_new(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, initial={"precision": "day"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["actors"] = [a.strip() for a in data["actors"].splitlines() if a.strip()]
        data["sources"] = [s.strip() for s in data["sources"].splitlines() if s.strip()]
        data["place"] = data["place"] or None
        try:
            actions.do_add_event(**data, user=request.user)
        except InvalidInput as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Event saved."))
            return redirect("situation-events")
    return render(request, "situation/entry.html", {"form": form, "title": _("New event")})


@role_required(*STAFF)
def acled_import(request: HttpRequest) -> HttpResponse:
    form = AcledUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        else:
            result = actions.do_import_acled(text, user=request.user)
    return render(request, "situation/acled_import.html", {"form": form, "result": result})


@role_required(*STAFF)
def claims_import(request: HttpRequest) -> HttpResponse:
    form = AcledUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        else:
            result = actions.do_import_claims(text, user=request.user)
    return render(
        request,
        "situation/claims_import.html",
        {"form": form, "result": result, "columns": actions.CLAIM_COLUMNS},
    )
