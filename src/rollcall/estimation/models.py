"""Estimation runs: what an analyst asked for, the progress of the background work and its result.

A run holds aggregates only (counts of people by list pattern, estimates): no person is named.
Analysts and admins see runs; one published run per status is what the situation report shows.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Longer than the slowest honest run (LCMCR on some forty strata takes about twenty minutes).
STALLED_AFTER = timedelta(hours=2)


class EstimateRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("estimating")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    status = models.CharField(max_length=16, default="dead")
    by = models.CharField(
        max_length=32, blank=True, help_text="The stratum field, or blank for the total only"
    )
    method = models.CharField(max_length=16, default="default")
    seed = models.IntegerField(default=1)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.FloatField(default=0.0, help_text="From 0 to 1")
    stage = models.CharField(max_length=200, blank=True)
    strata = models.JSONField(
        default=list, blank=True, help_text="rollcall.estimates.estimate_strata's output"
    )
    error = models.TextField(blank=True)
    persons = models.IntegerField(default=0, help_text="Persons with this status when the run started")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")  # fmt: skip
    # A published estimate found wrong (a linkage error, a list counted twice) is withdrawn, not
    # deleted: the report then says it was withdrawn, when, and (if the analyst allows) why.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")  # fmt: skip
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_reason_public = models.BooleanField(
        default=False, help_text="Whether the public situation report may give the reason"
    )

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"estimate of {self.status} by {self.by or 'total'} ({self.method}, {self.state})"

    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else int(100 * self.progress)

    @property
    def waiting(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.RUNNING} and not self.stalled

    @property
    def stalled(self) -> bool:
        """Queued or running for longer than any run takes: the worker was stopped or is not running."""
        pending = self.state in {self.State.QUEUED, self.State.RUNNING}
        return pending and timezone.now() - self.created_at > STALLED_AFTER

    def total(self) -> dict[str, Any] | None:
        return self.strata[0] if self.strata else None
