"""Background estimation, run by the django-tasks database worker of the "estimates" queue that
`rollcall serve` starts (its own worker, so that a long sampler run does not hold up imports)."""

from __future__ import annotations

from django_tasks import task

from rollcall.estimation.actions import do_run_estimate


@task(queue_name="estimates")
def run_estimate_task(run_id: int) -> None:
    do_run_estimate(run_id)
