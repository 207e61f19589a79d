"""Background work for the web app, run by the django-tasks database worker that `rollcall serve` starts."""

from __future__ import annotations

from django_tasks import task

from rollcall.registry.actions import do_run_import_job


@task()
def run_import_job(job_id: int) -> None:
    do_run_import_job(job_id)
