"""The situation picture: sourced claims, events and shelter sites.

Who may see what: all of this is public-safe aggregate data (no person is named or located);
only entering claims and events is for staff (analyst, caseworker, admin). Registrations
counted at a site are aggregates computed at read time, never a list of people.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rollcall.registry.models import Place, Source
from rollcall_core.situation import CLAIM_STATUSES, DATE_PRECISIONS, SCOPES


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class Claim(models.Model):
    """An aggregate figure a source stated, with when, where, its citation and what it revises."""

    metric = models.CharField(_("metric"), max_length=40, help_text=_("killed, injured, ... or your own"))
    low = models.BigIntegerField(_("low"), null=True, blank=True)
    best = models.BigIntegerField(_("best"), null=True, blank=True)
    high = models.BigIntegerField(_("high"), null=True, blank=True)
    more_than = models.BooleanField(
        _("more than"), default=False, help_text=_("the source said 'more than' the low figure")
    )
    as_of = models.DateTimeField(_("as of"))
    reported_at = models.DateTimeField(_("reported at"))
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    scope = models.CharField(_("scope"), max_length=16, choices=_choices(SCOPES), default="all")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    cited_by = models.CharField(
        _("cited by"), max_length=200, blank=True, help_text=_("who relayed it, e.g. CivilNet")
    )
    citation_url = models.URLField(_("citation URL"), max_length=500, blank=True)
    citation_date = models.DateField(_("citation date"), null=True, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=_choices(CLAIM_STATUSES), default="reported"
    )
    revises = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name=_("revises"),
    )
    asserts_open = models.CharField(
        _("asserts open"),
        max_length=200,
        blank=True,
        help_text=_("a route the source says is open (e.g. a corridor)"),
    )
    demo_key = models.CharField(max_length=80, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["metric", "as_of", "id"]

    def __str__(self) -> str:
        return f"{self.metric} {self.display_figure()} ({self.source})"

    @property
    def value(self) -> int | None:
        from rollcall_core.situation import figure

        return figure(self.low, self.best, self.high)

    def display_figure(self) -> str:
        if self.more_than and self.low is not None and self.best is None:
            return _("more than %(n)s") % {"n": f"{self.low:,}"}
        if self.low is not None and self.high is not None and self.low != self.high:
            mid = f" ({self.best:,})" if self.best is not None else ""
            return f"{self.low:,}–{self.high:,}{mid}"
        v = self.value
        return "" if v is None else f"{v:,}"


class Event(models.Model):
    """An event with ACLED/UCDP-compatible fields."""

    external_id = models.CharField(_("event id"), max_length=60, blank=True, db_index=True)
    occurred_on = models.DateField(_("date"))
    precision = models.CharField(
        _("date precision"), max_length=8, choices=_choices(DATE_PRECISIONS), default="day"
    )
    event_type = models.CharField(_("event type"), max_length=80)
    sub_event_type = models.CharField(_("sub-event type"), max_length=120, blank=True)
    actors = models.JSONField(_("actors"), default=list, blank=True)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    location_text = models.CharField(_("location as written"), max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    country = models.CharField(max_length=80, blank=True)
    admin1 = models.CharField(max_length=120, blank=True)
    fatalities_low = models.IntegerField(null=True, blank=True)
    fatalities_best = models.IntegerField(null=True, blank=True)
    fatalities_high = models.IntegerField(null=True, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    citation_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    demo_key = models.CharField(max_length=80, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.event_type}"


class ShelterSite(models.Model):
    place = models.OneToOneField(Place, on_delete=models.PROTECT, related_name="shelter_site")
    site_type = models.CharField(_("type"), max_length=60, default="collective centre")
    capacity = models.IntegerField(_("capacity"), null=True, blank=True)
    managed_by = models.CharField(_("managing organisation"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, default="open")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["place__name_en"]

    def __str__(self) -> str:
        return str(self.place)
