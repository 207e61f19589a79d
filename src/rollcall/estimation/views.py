"""The analyst page: estimates of the uncounted per stratum, how the lists overlap, the assumptions.

Who may see it: analysts and admins (docs/roles.md). It shows aggregates only (counts of people
by list combination, estimates), never a person; every view, run, publication and export is
audited like the other staff pages.
"""

from __future__ import annotations

import io
import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rollcall.estimation.actions import (
    MAX_REASON,
    EstimateRefused,
    do_publish,
    do_request_estimate,
    do_withdraw,
    latest_publication,
    published_run,
)
from rollcall.estimation.forms import METHODS, EstimateForm, WithdrawForm
from rollcall.estimation.models import EstimateRun
from rollcall.estimation.present import EXPORT_COLUMNS, STRATUM_FIELDS, describe, export_rows
from rollcall.registry.audit import audit
from rollcall.registry.roles import ANALYST, role_required
from rollcall.web.views import hardened
from rollcall_core.formats.writers import write_csv

RECENT_RUNS = 20


@hardened
@role_required(ANALYST)
@require_http_methods(["GET", "POST"])
def estimates(request: HttpRequest) -> HttpResponse:
    form = EstimateForm(request.POST or None, initial={"status": "dead", "by": "", "method": "default"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = do_request_estimate(
                status=data["status"],
                by=data["by"] or "",
                method=data["method"],
                user=request.user,
                request=request,
            )
        except EstimateRefused as error:
            form.add_error(None, str(error))
        else:
            return redirect("estimate-run", pk=run.pk)
    context = {
        "form": form,
        "runs": EstimateRun.objects.select_related("created_by", "published_by")[:RECENT_RUNS],
        "published": published_run("dead"),
        "latest": latest_publication("dead"),
    }
    return render(request, "estimation/estimates.html", context, status=400 if form.errors else 200)


@hardened
@role_required(ANALYST)
def estimate_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(EstimateRun.objects.select_related("created_by", "published_by"), pk=pk)
    context: dict[str, object] = {
        "run": run,
        "TIME_ZONE": settings.TIME_ZONE,
        "method_label": dict(METHODS).get(run.method, run.method),
        "by_label": STRATUM_FIELDS.get(run.by, run.by),
    }
    current = published_run(run.status) if run.published_at else None
    context["is_current"] = current is not None and current.pk == run.pk
    context["withdraw_form"] = WithdrawForm()
    if run.state == EstimateRun.State.DONE:
        context.update(describe(run, public=False))
        audit("view", request=request, object_type="estimate_run", object_id=run.pk)
    return render(request, "estimation/run.html", context)


@hardened
@role_required(ANALYST)
@require_POST
def estimate_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(EstimateRun, pk=pk)
    try:
        do_publish(run, user=request.user, request=request)
    except EstimateRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The situation report now shows this estimate."))
    return redirect("estimate-run", pk=run.pk)


@hardened
@role_required(ANALYST)
@require_POST
def estimate_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(EstimateRun, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        if (request.POST.get("reason") or "").strip():
            messages.error(request, _("The reason is too long: at most %(n)d characters.") % {"n": MAX_REASON})
        else:
            messages.error(request, _("Say why the estimate is withdrawn: the reason is kept in the audit log."))
        return redirect("estimate-run", pk=run.pk)
    try:
        do_withdraw(run, user=request.user, reason=form.cleaned_data["reason"],
                    public_reason=form.cleaned_data["public_reason"], request=request)  # fmt: skip
    except EstimateRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Withdrawn: the situation report now says so and shows no estimate."))
    return redirect("estimate-run", pk=run.pk)


@hardened
@role_required(ANALYST)
def estimate_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = get_object_or_404(EstimateRun, pk=pk, state=EstimateRun.State.DONE)
    audit("export", request=request, object_type="estimate_run", object_id=run.pk, format=fmt)
    name = f"estimate-{run.pk}-{run.status}-{run.by or 'total'}"
    if fmt == "json":
        payload = {"status": run.status, "by": run.by or None, "method": run.method,
                   "computed_at": run.finished_at.isoformat() if run.finished_at else None, "strata": run.strata}  # fmt: skip
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    buffer = io.StringIO()
    # Stratum names come from the lists (a home place as typed): the writer defuses spreadsheet formulas.
    write_csv(export_rows(run), EXPORT_COLUMNS, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
