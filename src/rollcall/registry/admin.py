"""Django admin for admins. Records and the audit log are read-only here as everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rollcall.registry.models import (
    AuditEvent,
    Dataset,
    Note,
    Person,
    Place,
    PlaceName,
    Record,
    RejectedRow,
    Source,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ("record_id", "full_name", "status", "source", "dataset", "row_number")
    list_filter = ("status", "source")
    search_fields = ("full_name", "family_name", "given_name", "record_id")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "ip")
    list_filter = ("action", "object_type")


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ("filename", "source", "kind", "rows_imported", "rows_rejected", "imported_at")


@admin.register(RejectedRow)
class RejectedRowAdmin(ReadOnlyAdmin):
    list_display = ("dataset", "line", "field", "reason")


admin.site.register(Source)
admin.site.register(Person)
admin.site.register(Note)


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 1


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name_en", "key", "kind", "lat", "lon")
    search_fields = ("name_en", "names__name")
    inlines = (PlaceNameInline,)
