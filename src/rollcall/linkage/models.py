"""Linkage state: trained model versions, candidate pairs for review, reviewers' decisions, notifications.

Records never change here; only `Record.person` (the cluster) moves, and every human move is a
Decision event with author, time and reason that can be undone.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rollcall.registry.models import Person, Record, TracingRequest


class ModelVersion(models.Model):
    """One trained Fellegi-Sunter model: prior and m/u of every level, as Splink saved it."""

    created_at = models.DateTimeField(default=timezone.now)
    engine = models.CharField(max_length=16, default="duckdb")
    prior = models.FloatField()
    weights = models.JSONField(help_text="ModelWeights.to_dict(): comparisons, levels, m, u, weights")
    splink_json = models.TextField(blank=True)
    records = models.IntegerField(default=0)
    pairs_scored = models.IntegerField(default=0)
    persons = models.IntegerField(default=0)
    upper_threshold = models.FloatField()
    lower_threshold = models.FloatField()
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"model v{self.pk} ({self.created_at:%Y-%m-%d %H:%M}, {self.engine})"


class CandidatePair(models.Model):
    """Two records the model is unsure of: for a reviewer to decide."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided")
        SKIPPED = "skipped", _("skipped")

    record_a = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    match_weight = models.FloatField(default=0)
    model = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.SET_NULL)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-probability", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="unique_candidate_pair")
        ]
        indexes: ClassVar = [models.Index(fields=["state", "probability"])]

    def __str__(self) -> str:
        return f"pair {self.record_a_id}~{self.record_b_id} p={self.probability:.2f} ({self.state})"


class Decision(models.Model):
    """A reviewer's act: same / not the same / skip on a pair, a merge or a split of persons.

    `moves` keeps {record id: person id before} so the act can be undone exactly. An undone
    decision stays (with who undid it, when and why) and no longer constrains the model.
    """

    class Verdict(models.TextChoices):
        SAME = "same", _("same person")
        NOT_SAME = "not_same", _("not the same person")
        SKIP = "skip", _("skip")
        MERGE = "merge", _("merge persons")
        SPLIT = "split", _("split person")

    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    record_a = models.ForeignKey(Record, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    record_b = models.ForeignKey(Record, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(CandidatePair, null=True, blank=True, on_delete=models.SET_NULL)
    records = models.JSONField(default=list, blank=True, help_text="Record ids a split moved out")
    moves = models.JSONField(default=dict, blank=True)
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.verdict} by {self.author} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def active(self) -> bool:
        return self.undone_at is None


class Notification(models.Model):
    """In-app notice to a caseworker: a record linked to a person they are tracing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="linkage_notifications"
    )
    # The person the record joined when the notice was written. A later merge deletes the merged-away person; the
    # notice must survive that (SET_NULL), and its link follows the record to wherever it belongs now.
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    tracing_request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tracing_request", "record"], name="one_notice_per_record_and_request"
            )
        ]

    def __str__(self) -> str:
        return self.text
