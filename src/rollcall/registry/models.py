"""The registry: every list kept exactly as received, with provenance.

Who may see what (DESIGN.md, "Who may see what"):
- Source, Dataset, Record, RejectedRow, Note: caseworkers and admins. Analysts see aggregates only.
- Person: public sees display name, 5-year age band and that information exists; staff see all.
- Place, PlaceName: everyone (places are not personal data).
- AuditEvent: admins.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rollcall_core.schema import LIST_KINDS, SEXES, STATUSES


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ")) for v in values]


def new_public_id() -> str:
    # Unguessable, so the public cannot walk through persons by counting.
    return secrets.token_urlsafe(9)


class ImmutableError(Exception):
    """Raised on an attempt to change or delete what must never change (records, audit)."""


class Source(models.Model):
    """Who a list came from: a hospital, a shelter, a ministry, the public form."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """One received file, kept byte for byte, identified by its sha256."""

    class State(models.TextChoices):
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("failed")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="datasets")
    kind = models.CharField(_("list kind"), max_length=32, choices=_choices(LIST_KINDS), default="other")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    size_bytes = models.BigIntegerField(default=0)
    stored_path = models.CharField(max_length=500)
    format = models.CharField(max_length=16)
    encoding = models.CharField(max_length=32, blank=True)
    column_map = models.JSONField(default=dict, blank=True)
    headers = models.JSONField(default=list, blank=True)
    rows_read = models.IntegerField(default=0)
    rows_imported = models.IntegerField(default=0)
    rows_rejected = models.IntegerField(default=0)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IMPORTED)
    redacted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the kept file was replaced by a copy without erased persons' rows",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.source})"


class Person(models.Model):
    """A cluster of records believed to be one human being.

    Until linkage runs, each record is its own person. Clusters are derived and may be
    recomputed; records never change when they do.
    """

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    display_name = models.CharField(max_length=300)
    sex = models.CharField(max_length=8, choices=_choices(SEXES), default="unknown")
    birth_year = models.IntegerField(null=True, blank=True)
    age_low = models.IntegerField(null=True, blank=True)
    age_high = models.IntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=_choices(STATUSES), default="unknown")
    status_date = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["display_name", "id"]

    def __str__(self) -> str:
        return self.display_name

    def public_age_band(self) -> str:
        """The 5-year age band the public may see, e.g. "30-34", or "" when unknown."""
        age = self.estimated_age()
        if age is None:
            return ""
        low = (age // 5) * 5
        return f"{low}-{low + 4}"

    def estimated_age(self) -> int | None:
        if self.birth_year:
            return 2023 - self.birth_year if self.birth_year <= 2023 else None
        if self.age_low is not None and self.age_high is not None:
            return (self.age_low + self.age_high) // 2
        return self.age_low


class RetiredPersonId(models.Model):
    """The public id of a person removed because its records joined another person.

    Families keep links to a person (/p/<id>/) and caseworkers to its staff page; when a review
    decision or a linkage run folds that person into another, the old link leads to the person
    that now holds the records, and undoing the merge gives the person back its old id. Nobody
    sees this table: it only turns an old link into the successor's page, shown with the viewer's
    own rights there.
    """

    public_id = models.CharField(max_length=16, unique=True)
    former_pk = models.IntegerField(db_index=True)  # so that undo revives the person under its old id
    successor = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="retired_ids")
    retired_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.public_id} -> {self.successor_id}"


def find_person(public_id: str) -> tuple[Person | None, bool]:
    """(person, moved): the person with this public id, or the one its records joined (moved=True)."""
    person = Person.objects.filter(public_id=public_id).first()
    if person is not None:
        return person, False
    retired = RetiredPersonId.objects.filter(public_id=public_id).select_related("successor").first()
    if retired is not None and retired.successor is not None:
        return retired.successor, True
    return None, False


class Record(models.Model):
    """What one source said about one person, exactly as written, with provenance.

    Content fields are immutable once stored: a correction is a new record or a note.
    `person` is the record's current cluster, which linkage and review may change.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="records")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="records")
    row_number = models.IntegerField(_("row"))
    record_id = models.CharField(_("record id"), max_length=200)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="records")

    full_name = models.CharField(max_length=500, blank=True)
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    patronymic = models.CharField(max_length=200, blank=True)
    alternate_names = models.CharField(max_length=500, blank=True)
    sex = models.CharField(max_length=8, blank=True)
    age = models.CharField(max_length=32, blank=True)
    birth_date = models.CharField(max_length=32, blank=True)
    home_place = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, blank=True)
    status_date = models.CharField(max_length=32, blank=True)
    event_place = models.CharField(max_length=300, blank=True)
    current_place = models.CharField(max_length=300, blank=True)
    category = models.CharField(max_length=16, blank=True)
    reporter_name = models.CharField(max_length=300, blank=True)
    reporter_contact = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    raw = models.JSONField(default=dict, help_text="The row exactly as received: original header -> cell")
    extra = models.JSONField(default=dict, help_text="Columns that map to no canonical field")
    script = models.CharField(max_length=16, blank=True, help_text="Dominant script of the name as written")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    imported_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when an admin erased this record's personal data (audited, with a reason)",
    )

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "dataset_id", "source_id", "row_number", "record_id", "full_name", "given_name", "family_name",
        "patronymic", "alternate_names", "sex", "age", "birth_date", "home_place", "status", "status_date",
        "event_place", "current_place", "category", "reporter_name", "reporter_contact", "notes", "raw", "extra",
    )  # fmt: skip

    class Meta:
        ordering: ClassVar = ["dataset_id", "row_number"]
        indexes: ClassVar = [
            models.Index(fields=["source", "record_id"]),
            models.Index(fields=["status"]),
            # The rows near a record on its list (the review page's neighbouring rows).
            models.Index(fields=["dataset", "row_number"]),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.record_id} {self.name_as_written()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = Record.objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS).first()
            if stored is not None:
                for field in self.CONTENT_FIELDS:
                    if stored[field] != getattr(self, field):
                        raise ImmutableError(f"record {self.pk}: {field} cannot change; add a note instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("records are never deleted; erasure is an audited admin action")

    def name_as_written(self) -> str:
        if self.full_name:
            return self.full_name
        return " ".join(p for p in (self.given_name, self.patronymic, self.family_name) if p)


class RejectedRow(models.Model):
    """A row the importer could not accept, kept for correction and re-import."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="rejected_rows")
    line = models.IntegerField()
    field = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    raw = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["dataset_id", "line"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.field} {self.reason}"


class Note(models.Model):
    """A dated statement about a person (PFIF note semantics)."""

    class PfifStatus(models.TextChoices):
        NONE = "", _("no status")
        INFORMATION_SOUGHT = "information_sought", _("information sought")
        IS_NOTE_AUTHOR = "is_note_author", _("I am this person")
        BELIEVED_ALIVE = "believed_alive", _("believed alive")
        BELIEVED_MISSING = "believed_missing", _("believed missing")
        BELIEVED_DEAD = "believed_dead", _("believed dead")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="person_notes")
    record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.PROTECT, related_name="record_notes"
    )
    note_record_id = models.CharField(max_length=200, blank=True)
    linked_person_record_id = models.CharField(max_length=200, blank=True)
    author_name = models.CharField(max_length=300, blank=True)
    author_contact = models.CharField(max_length=300, blank=True)
    source_date = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=32, choices=PfifStatus.choices, blank=True)
    author_made_contact = models.BooleanField(null=True)
    last_known_location = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    extra = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.note_record_id or self.pk} ({self.status or 'no status'})"


class Place(models.Model):
    """One place, one id, many names."""

    key = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=32, blank=True)
    name_en = models.CharField(max_length=200)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering: ClassVar = ["name_en"]

    def __str__(self) -> str:
        return self.name_en


class PlaceName(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    lang = models.CharField(max_length=16, help_text="hy, ru, en, az, or 'alt' for historic and other forms")
    folded = models.CharField(
        max_length=200, db_index=True, help_text="Lower-cased form used to look names up"
    )

    class Meta:
        ordering: ClassVar = ["place_id", "lang"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["place", "name", "lang"], name="unique_place_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.lang})"


class AuditEvent(models.Model):
    """Append-only: every view of restricted data and every write."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor = models.CharField(max_length=200, help_text="Username, 'public' or 'system' at the time")
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("audit events are append-only")


class TracingRequest(models.Model):
    """Someone is looking for a person. Who asked and how to reach them: caseworkers only."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        FOUND = "found", _("found")
        CLOSED = "closed", _("closed")

    record = models.OneToOneField(Record, on_delete=models.PROTECT, related_name="tracing_request")
    seeker_name = models.CharField(max_length=300)
    seeker_contact = models.CharField(max_length=300)
    relationship = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracing_requests",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"tracing request {self.pk} ({self.state})"


class NameKey(models.Model):
    """The names index: candidate-search keys of each record's names (rollcall_core.names.search_keys).

    Written in the same transaction as the record; rebuilt by `rollcall index` when the key
    algorithm's version changes. Staff-only data (it points at records).
    """

    key = models.CharField(max_length=64)
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="name_keys")

    class Meta:
        indexes: ClassVar = [models.Index(fields=["key", "record"], name="namekey_key_record")]

    def __str__(self) -> str:
        return f"{self.key} -> record {self.record_id}"


class IndexState(models.Model):
    """Which version of the name keys the index holds."""

    name = models.CharField(max_length=40, unique=True)
    version = models.CharField(max_length=40)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class ImportJob(models.Model):
    """An upload through the staff page: previewed, mapped, then imported in the background.

    Caseworkers and admins only; the preview shows the file's first rows in full.
    """

    class State(models.TextChoices):
        PREVIEW = "preview", _("waiting for the column mapping")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    path = models.CharField(max_length=500)
    filename = models.CharField(max_length=255)
    source_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, default="other")
    format = models.CharField(max_length=16, default="auto")
    sheet = models.CharField(max_length=100, blank=True)
    column_map = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PREVIEW)
    bytes_done = models.BigIntegerField(default=0)
    bytes_total = models.BigIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"import of {self.filename} ({self.state})"

    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.bytes_done / self.bytes_total) if self.bytes_total else 0


__all__ = [
    "AuditEvent",
    "Dataset",
    "ImmutableError",
    "ImportJob",
    "IndexState",
    "NameKey",
    "Note",
    "Person",
    "Place",
    "PlaceName",
    "Record",
    "RejectedRow",
    "Source",
    "TracingRequest",
]
