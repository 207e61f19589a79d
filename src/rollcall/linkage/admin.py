"""Django admin: model versions and decisions are read-only (decisions change only through do_undo)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rollcall.linkage.models import CandidatePair, Decision, ModelVersion, Notification


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ModelVersion)
class ModelVersionAdmin(_ReadOnly):
    list_display = ("id", "created_at", "engine", "records", "pairs_scored", "persons", "prior")


@admin.register(Decision)
class DecisionAdmin(_ReadOnly):
    list_display = ("id", "at", "author", "verdict", "record_a", "record_b", "undone_at")
    list_filter = ("verdict",)


@admin.register(CandidatePair)
class CandidatePairAdmin(_ReadOnly):
    list_display = ("id", "record_a", "record_b", "probability", "state")
    list_filter = ("state",)


@admin.register(Notification)
class NotificationAdmin(_ReadOnly):
    list_display = ("id", "created_at", "user", "person", "read_at")
