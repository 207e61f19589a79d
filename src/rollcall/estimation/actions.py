"""Every write of the estimation app: ask for a run, run it (in the background), publish it for the report,
withdraw it from the report."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rollcall.estimates import (
    STRATA_FIELDS,
    EstimateFailed,
    Stratum,
    capture_strata,
    estimate_strata,
    methods_for,
)
from rollcall.estimation.models import EstimateRun
from rollcall.registry.audit import audit
from rollcall.registry.models import Person
from rollcall_core.estimation import EstimationError

# Statuses an analyst may estimate: the ones lists are made of. "alive" and "unknown" are not a
# population anyone lists to count.
STATUSES = ("dead", "missing", "injured", "detained")
METHOD_CHOICES = ("default", "loglinear", "dga", "lcmcr", "all")
# Strata the page offers beyond the fields themselves: the date of death by month (the field alone
# groups by week, as `rollcall estimate --by status_date`; `--window month` is this one).
WINDOWED_STRATA = {"status_month": ("status_date", "month")}


def strata_for(status: str, by: str) -> list[Stratum]:
    """The capture tables of a run's stratification ("" for the total only)."""
    field, window = WINDOWED_STRATA.get(by, (by or None, "week"))
    return capture_strata(status, field, window)


class EstimateRefused(ValueError):
    pass


def do_request_estimate(
    *, status: str, by: str, method: str, user: Any, request: HttpRequest | None = None
) -> EstimateRun:
    """Queue a run; the same request already queued or running is returned rather than run twice."""
    if status not in STATUSES:
        raise EstimateRefused(f"status {status!r}: use one of {', '.join(STATUSES)}")
    if by and by not in STRATA_FIELDS and by not in WINDOWED_STRATA:
        raise EstimateRefused(f"stratum {by!r}: use one of {', '.join((*STRATA_FIELDS, *WINDOWED_STRATA))}")
    if method not in METHOD_CHOICES:
        raise EstimateRefused(f"method {method!r}: use one of {', '.join(METHOD_CHOICES)}")
    pending = EstimateRun.objects.filter(
        status=status, by=by, method=method, state__in=[EstimateRun.State.QUEUED, EstimateRun.State.RUNNING]
    ).first()
    if pending is not None and not pending.stalled:
        return pending
    if pending is not None:  # its worker was stopped: say so on it, and start afresh
        EstimateRun.objects.filter(pk=pending.pk).update(
            state=EstimateRun.State.FAILED, error="the background worker stopped before this run finished",
            finished_at=timezone.now(),
        )  # fmt: skip
    with transaction.atomic():
        run = EstimateRun.objects.create(
            status=status,
            by=by,
            method=method,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        audit("estimate", user=user, request=request, object_type="estimate_run", object_id=run.pk,
              status=status, by=by, method=method)  # fmt: skip
    from rollcall.estimation.tasks import run_estimate_task

    run_estimate_task.enqueue(run.pk)
    return EstimateRun.objects.get(pk=run.pk)


def do_run_estimate(run_id: int) -> None:
    """Build the tables and run the methods, writing progress on the run for the page to show."""
    run = EstimateRun.objects.get(pk=run_id)
    if run.state != EstimateRun.State.QUEUED:
        return
    EstimateRun.objects.filter(pk=run_id).update(state=EstimateRun.State.RUNNING, stage="building the tables")
    last = 0.0

    def progress(fraction: float, stage: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= 0.5:  # a write per half second is plenty for a page that refreshes every 2 s
            last = now
            EstimateRun.objects.filter(pk=run_id).update(progress=fraction, stage=stage[:200])

    try:
        methods_for(run.method)
        persons = Person.objects.filter(status=run.status).count()
        strata = estimate_strata(strata_for(run.status, run.by), run.method, seed=run.seed,
                                 progress=progress)  # fmt: skip
    except (EstimateFailed, EstimationError) as error:
        EstimateRun.objects.filter(pk=run_id).update(
            state=EstimateRun.State.FAILED, error=str(error), finished_at=timezone.now()
        )
        return
    except Exception as error:
        # The page must not wait for ever; the worker logs the traceback.
        EstimateRun.objects.filter(pk=run_id).update(
            state=EstimateRun.State.FAILED,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    EstimateRun.objects.filter(pk=run_id).update(
        state=EstimateRun.State.DONE, strata=strata, persons=persons, progress=1.0, stage="",
        finished_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def do_publish(run: EstimateRun, *, user: Any, request: HttpRequest | None = None) -> None:
    """Make this run the one the situation report shows for its status from now on (the report is public).

    Earlier publications keep their time, so a report as of an earlier moment shows what was published then.
    """
    if run.state != EstimateRun.State.DONE:
        raise EstimateRefused("only a finished run can be published")
    if run.status != "dead":
        raise EstimateRefused("the situation report shows estimates of deaths only")
    if run.withdrawn_at is not None:
        raise EstimateRefused("this estimate was withdrawn; run the estimate again and publish the new run")
    run.published_at = timezone.now()
    run.published_by = user
    run.save(update_fields=["published_at", "published_by"])
    audit(
        "publish", user=user, request=request, object_type="estimate_run", object_id=run.pk, status=run.status
    )


MAX_REASON = 2000


@transaction.atomic
def do_withdraw(
    run: EstimateRun, *, user: Any, reason: str, public_reason: bool = False, request: HttpRequest | None = None
) -> None:
    """Take a published estimate out of the situation report, with the reason (audited like publishing).

    The run is kept: analysts still see it, marked withdrawn, and a report as of a time before the
    withdrawal still shows what was published then. From now on the report shows no estimate and
    says that this one was withdrawn and when; the reason too if ``public_reason`` (the reason may
    name a list or a linkage problem the public should not read). Publish another run to show one.
    """
    reason = (reason or "").strip()
    if run.published_at is None:
        raise EstimateRefused("only a published estimate can be withdrawn")
    if run.withdrawn_at is not None:
        raise EstimateRefused("this estimate was already withdrawn")
    if not reason:
        raise EstimateRefused("say why the estimate is withdrawn: the reason is kept in the audit log")
    if len(reason) > MAX_REASON:
        raise EstimateRefused(f"the reason is longer than {MAX_REASON} characters")
    run.withdrawn_at = timezone.now()
    run.withdrawn_by = user if getattr(user, "is_authenticated", False) else None
    run.withdrawn_reason = reason
    run.withdrawn_reason_public = public_reason
    run.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "withdrawn_reason_public"])
    audit("withdraw", user=user, request=request, object_type="estimate_run", object_id=run.pk, status=run.status,
          reason=reason, reason_public=public_reason)  # fmt: skip


def latest_publication(status: str = "dead", as_of: datetime | None = None) -> EstimateRun | None:
    """The run published last for this status (as of a time: the last one published by then),
    withdrawn or not."""
    runs = EstimateRun.objects.filter(status=status, state=EstimateRun.State.DONE, published_at__isnull=False)
    if as_of is not None:
        runs = runs.filter(published_at__lte=as_of)
    return runs.order_by("-published_at", "-id").first()


def withdrawn_as_of(run: EstimateRun, as_of: datetime | None = None) -> bool:
    return run.withdrawn_at is not None and (as_of is None or run.withdrawn_at <= as_of)


def published_run(status: str = "dead", as_of: datetime | None = None) -> EstimateRun | None:
    """The run the situation report shows for this status (as of a time): the last one published by
    then, unless it was withdrawn by then. A withdrawn run is not replaced by the one it replaced:
    the report says it was withdrawn until an analyst publishes another."""
    run = latest_publication(status, as_of)
    return None if run is None or withdrawn_as_of(run, as_of) else run
