from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rollcall.estimation.actions import MAX_REASON, STATUSES
from rollcall.estimation.present import STRATUM_FIELDS

METHODS = (
    ("default", _("recommended: log-linear models for 3 to 5 lists (fast), latent classes for more (slow)")),
    ("loglinear", _("log-linear models (fast)")),
    ("dga", _("model averaging over dependence graphs (fast)")),
    ("lcmcr", _("latent classes, LCMCR (slow: a minute or more per group)")),
    ("all", _("all three, to compare (slow)")),
)


class EstimateForm(forms.Form):
    status = forms.ChoiceField(label=_("People whose status is"), choices=[(s, s) for s in STATUSES])
    by = forms.ChoiceField(
        label=_("Estimate separately by"), choices=list(STRATUM_FIELDS.items()), required=False
    )
    method = forms.ChoiceField(label=_("Method"), choices=METHODS)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this estimate withdrawn?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_REASON
    )
    public_reason = forms.BooleanField(
        label=_("The public situation report may give this reason"), required=False,
        help_text=_("Leave unticked if the reason names a list, a source or a linkage problem that must not be public."),
    )  # fmt: skip
