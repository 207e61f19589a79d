"""Background estimation, run by the django-tasks database worker that `rollcall serve` starts."""

from __future__ import annotations

from django_tasks import task

from rollcall.estimation.actions import do_run_estimate


@task()
def run_estimate_task(run_id: int) -> None:
    do_run_estimate(run_id)
