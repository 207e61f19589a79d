from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rollcall_core.situation import CLAIM_STATUSES, DATE_PRECISIONS, SCOPES


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class ClaimForm(forms.Form):
    metric = forms.CharField(
        label=_("Metric"),
        max_length=40,
        help_text=_(
            "killed, injured, missing, displaced, evacuated, sheltered, crossed, detained, or your own"
        ),
    )
    low = forms.IntegerField(label=_("Low"), required=False, min_value=0)
    best = forms.IntegerField(label=_("Best"), required=False, min_value=0)
    high = forms.IntegerField(label=_("High"), required=False, min_value=0)
    more_than = forms.BooleanField(label=_("The source said 'more than' the low figure"), required=False)
    as_of = forms.DateTimeField(
        label=_("As of (local time)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reported_at = forms.DateTimeField(
        label=_("Reported at (local time)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place (any name)"), required=False, max_length=200)
    scope = forms.ChoiceField(label=_("Scope"), choices=_choices(SCOPES))
    source = forms.CharField(label=_("Source"), max_length=200)
    cited_by = forms.CharField(label=_("Cited by"), required=False, max_length=200)
    citation_url = forms.CharField(label=_("Citation URL"), required=False, max_length=500)
    quote = forms.CharField(
        label=_("Quote (verbatim)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status"), choices=_choices(CLAIM_STATUSES))
    revises = forms.IntegerField(label=_("Revises claim number"), required=False, min_value=1)
    asserts_open = forms.CharField(label=_("Says this route is open (place)"), required=False, max_length=200)


class EventForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    precision = forms.ChoiceField(label=_("Date precision"), choices=_choices(DATE_PRECISIONS))
    event_type = forms.CharField(label=_("Event type"), max_length=80)
    sub_event_type = forms.CharField(label=_("Sub-event type"), required=False, max_length=120)
    actors = forms.CharField(
        label=_("Actors (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    place = forms.CharField(label=_("Place (any name)"), required=False, max_length=200)
    fatalities_low = forms.IntegerField(label=_("Fatalities low"), required=False, min_value=0)
    fatalities_best = forms.IntegerField(label=_("Fatalities best"), required=False, min_value=0)
    fatalities_high = forms.IntegerField(label=_("Fatalities high"), required=False, min_value=0)
    sources = forms.CharField(
        label=_("Sources (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    citation_url = forms.CharField(label=_("Citation URL"), required=False, max_length=500)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AcledUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
