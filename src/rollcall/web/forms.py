from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from rollcall_core.schema import LIST_KINDS

MAX_QUERY = 200
SEX_CHOICES = [("", _("Not known")), ("female", _("Female")), ("male", _("Male")), ("other", _("Other"))]


class AccessibleForm(forms.Form):
    """Invalid inputs say so to screen readers and point at their error message (form_fields.html)."""

    def add_error(self, field: str | None, error: Any) -> None:
        # Django's own validation reports through here too, as do the views' later checks.
        super().add_error(field, error)
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class SearchForm(AccessibleForm):
    q = forms.CharField(label=_("Name, in any script"), max_length=MAX_QUERY, required=False, strip=True)


class StaffSearchForm(SearchForm):
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1850, max_value=2030, required=False)
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120, required=False)
    home_place = forms.CharField(label=_("Home place (any of its names)"), max_length=200, required=False)


class LookingForSomeoneForm(AccessibleForm):
    full_name = forms.CharField(label=_("Their full name, as you know it (any script)"), max_length=300)
    age = forms.CharField(label=_("Their age or age range (e.g. 35 or 30-35)"), max_length=20, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    home_place = forms.CharField(label=_("Their home town or village"), max_length=200, required=False)
    last_seen = forms.CharField(label=_("Where and when they were last seen"), max_length=300, required=False)
    seeker_name = forms.CharField(label=_("Your name"), max_length=300)
    seeker_contact = forms.CharField(
        label=_("How the tracing desk can reach you (phone or e-mail)"), max_length=300
    )
    relationship = forms.CharField(label=_("Your relationship to them"), max_length=100, required=False)


class InformationForm(AccessibleForm):
    # PFIF 1.4 note statuses (rollcall.registry.actions.PUBLIC_NOTE_STATUSES).
    STATUS_CHOICES = [
        ("", _("I have other information")),
        ("believed_alive", _("I believe this person is alive")),
        ("believed_missing", _("I believe this person is missing")),
        ("believed_dead", _("I believe this person has died")),
        ("information_sought", _("I am looking for this person too")),
    ]
    full_name = forms.CharField(
        label=_("The person's full name (any script)"), max_length=300, required=False
    )
    status = forms.ChoiceField(label=_("What you know"), choices=STATUS_CHOICES, required=False)
    last_known_location = forms.CharField(
        label=_("Where (only the tracing desk will see this)"), max_length=300, required=False
    )
    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )
    author_name = forms.CharField(label=_("Your name"), max_length=300)
    author_contact = forms.CharField(
        label=_("How the tracing desk can reach you"), max_length=300, required=False
    )

    def __init__(self, *args: object, about_person: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.about_person = about_person

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.about_person and not data.get("full_name"):
            self.add_error("full_name", _("Say whom the information is about."))
        if not data.get("status") and not data.get("text") and not data.get("last_known_location"):
            self.add_error("text", _("Tell us what you know."))
        return data


class UploadForm(AccessibleForm):
    file = forms.FileField(label=_("List file (CSV, XLSX, PFIF XML or HXL CSV)"))
    source = forms.CharField(label=_("Who gave you this list?"), max_length=200)
    kind = forms.ChoiceField(label=_("List kind"), choices=[(k, k.replace("_", " ")) for k in LIST_KINDS])
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("auto", _("Detect")),
            ("csv", "CSV"),
            ("xlsx", "XLSX"),
            ("pfif", "PFIF XML"),
            ("hxl", "HXL CSV"),
        ],
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than this server accepts."))
        return upload
