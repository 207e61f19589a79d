"""Staff pages: the review queue (pairs with field-by-field contributions), decisions, the model,
and the merge, split and undo actions of the person page (web/views.py person_detail shows it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rollcall.linkage.actions import (
    DecisionRefused,
    do_decide,
    do_merge,
    do_split,
    do_undo,
    latest_model,
    neighbour_rows,
    place_resolver,
)
from rollcall.linkage.models import CandidatePair, Decision, ModelVersion, Notification
from rollcall.registry.audit import audit
from rollcall.registry.models import Dataset, Person, Record
from rollcall.registry.roles import CASEWORKER, role_required
from rollcall.web.views import hardened
from rollcall_core.linkage.features import prepare_record
from rollcall_core.linkage.neighbours import level_labels

SHOWN_FIELDS = ("full_name", "given_name", "family_name", "patronymic", "sex", "age", "birth_date",
                "home_place", "event_place", "status", "status_date")  # fmt: skip


def explain_pair(a: Record, b: Record) -> dict[str, Any]:
    """Field-by-field comparison and each comparison's contribution under the latest model.

    Two records of one list (one dataset, as in the batch run) are scored with the model's prior
    for pairs within a list, others with the prior across lists; `prior_weight` is the one used.
    """
    loaded = latest_model()
    fields = [(name, getattr(a, name), getattr(b, name)) for name in SHOWN_FIELDS]
    if loaded is None:
        return {"fields": fields, "score": None}
    _, weights = loaded
    place_of = place_resolver()
    fa = prepare_record(a.pk, {f: getattr(a, f) for f in SHOWN_FIELDS}, place_of)
    fb = prepare_record(b.pk, {f: getattr(b, f) for f in SHOWN_FIELDS}, place_of)
    same_list = a.dataset_id == b.dataset_id
    return {
        "fields": fields,
        "score": weights.score(fa, fb, same_list=same_list, list_id=a.dataset_id),
        "prior_weight": weights.prior_weight_for(same_list, a.dataset_id),
        "same_list": same_list,
        "neighbours": [] if same_list else linked_neighbours(a, b),
    }


def linked_neighbours(a: Record, b: Record) -> list[tuple[Record, Record]]:
    """Rows near a on its list and near b on its list that are one person now: the evidence the batch
    run weighed as "a neighbouring pair matches" (households register and travel together)."""
    window = neighbour_rows()
    if window < 1:
        return []

    def near(r: Record) -> list[Record]:
        return list(
            Record.objects.filter(dataset_id=r.dataset_id, erased_at__isnull=True, person__isnull=False,
                                  row_number__gte=r.row_number - window, row_number__lte=r.row_number + window)
            .exclude(pk=r.pk).order_by("row_number")
        )  # fmt: skip

    others = {}
    for y in near(b):
        others.setdefault(y.person_id, y)
    return [(x, others[x.person_id]) for x in near(a) if x.person_id in others and x.person_id not in {a.person_id, b.person_id}]


@hardened
@role_required(CASEWORKER)
def review_queue(request: HttpRequest) -> HttpResponse:
    pairs = CandidatePair.objects.filter(state=CandidatePair.State.OPEN).select_related(
        "record_a__source", "record_b__source", "record_a__person", "record_b__person"
    )
    page = Paginator(pairs, 25).get_page(request.GET.get("page"))
    return render(request, "linkage/review_queue.html", {"page": page})


@hardened
@role_required(CASEWORKER)
def review_pair(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = get_object_or_404(
        CandidatePair.objects.select_related(
            "record_a__source", "record_b__source", "record_a__person", "record_b__person"
        ),
        pk=pair_id,
    )
    if request.method == "POST":
        try:
            do_decide(
                pair,
                request.POST.get("verdict", ""),
                user=request.user,
                reason=request.POST.get("reason", ""),
            )
        except DecisionRefused as error:
            messages.error(request, str(error))
            return redirect("linkage-pair", pair_id=pair.pk)
        messages.success(request, _("Decision saved."))
        following = CandidatePair.objects.filter(state=CandidatePair.State.OPEN).first()
        return redirect("linkage-pair", pair_id=following.pk) if following else redirect("linkage-queue")
    audit("view", request=request, object_type="pair", object_id=pair.pk)
    context = {"pair": pair, **explain_pair(pair.record_a, pair.record_b)}
    return render(request, "linkage/review_pair.html", context)


@hardened
@role_required(CASEWORKER)
def decisions(request: HttpRequest) -> HttpResponse:
    decided = Decision.objects.select_related("author", "undone_by", "record_a__person", "record_b__person")
    page = Paginator(decided, 50).get_page(request.GET.get("page"))
    return render(request, "linkage/decisions.html", {"page": page})


@hardened
@require_POST
@role_required(CASEWORKER)
def undo(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = get_object_or_404(Decision, pk=decision_id)
    try:
        do_undo(decision, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Decision undone."))
    except DecisionRefused as error:
        messages.error(request, str(error))
    # Undone from a person's page: back to it, unless the undo emptied that person (an undone split).
    back = Person.objects.filter(public_id=request.POST.get("person", "")).first()
    return redirect("person", public_id=back.public_id) if back else redirect("linkage-decisions")


@hardened
@require_POST
@role_required(CASEWORKER)
def merge(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    other = Person.objects.filter(public_id=request.POST.get("other", "").strip()).first()
    if other is None:
        messages.error(request, _("No person with the id %(id)s.") % {"id": request.POST.get("other", "")})
    else:
        try:
            do_merge(person, other, user=request.user, reason=request.POST.get("reason", ""))
            messages.success(
                request,
                _("%(other)s (%(id)s) merged into this person.")
                % {"other": other.display_name, "id": other.public_id},
            )
        except DecisionRefused as error:
            messages.error(request, _("Not merged: %(reason)s") % {"reason": error})
    return redirect("person", public_id=person.public_id)


@hardened
@require_POST
@role_required(CASEWORKER)
def split(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    chosen = [int(r) for r in request.POST.getlist("records") if r.isdigit()]
    try:
        decision = do_split(person, chosen, user=request.user, reason=request.POST.get("reason", ""))
    except DecisionRefused as error:
        messages.error(request, _("Not split: %(reason)s") % {"reason": error})
    else:
        new_person = Person.objects.get(records=decision.record_a_id)
        messages.success(
            request,
            _("Records split into a new person: %(name)s (%(id)s).")
            % {"name": new_person.display_name, "id": new_person.public_id},
        )
    return redirect("person", public_id=person.public_id)


@hardened
@role_required(CASEWORKER)
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """The old address of the person page: one page now, at the person's public id (old links work).

    Staff only, so that nobody can walk from counted ids to the unguessable public ones."""
    found = get_object_or_404(Person, pk=person_id)
    return redirect("person", public_id=found.public_id, permanent=True)


@hardened
@role_required(CASEWORKER)
def model_page(request: HttpRequest) -> HttpResponse:
    versions = ModelVersion.objects.all()[:20]
    current = versions[0] if versions else None
    neighbours = _neighbour_rows(current.weights.get("neighbours") if current else None)
    return render(request, "linkage/model.html", {"current": current, "versions": versions, "neighbours": neighbours})


def _neighbour_rows(learned: Any) -> dict[str, Any] | None:
    """What the model learned of neighbouring rows: each level's m, u and weight pooled, and each
    level's weight for each pair of lists, with the lists' names."""
    if not learned:
        return None
    if "levels" not in learned:  # a model trained before the bands: one window, "matches" or "none"
        labels = level_labels((learned["window"],))
        learned = {
            **learned,
            "levels": [{"label": labels[0], "m": learned["m"], "u": learned["u"], "weight": learned["if_so"]},
                       {"label": labels[1], "m": 1 - learned["m"], "u": 1 - learned["u"], "weight": learned["if_not"]}],
            "by_lists": [{**e, "weights": [e["if_so"], e["if_not"]]} for e in learned["by_lists"]],
        }  # fmt: skip
    ids = {int(i) for entry in learned["by_lists"] for i in entry["lists"] if str(i).isdigit()}
    names = {str(d.pk): f"{d.source.name}: {d.filename}" for d in Dataset.objects.filter(pk__in=ids).select_related("source")}
    rows = [
        {**e, "lists": " / ".join(names.get(str(i), str(i)) for i in e["lists"])}
        for e in sorted(learned["by_lists"], key=lambda e: -e["pairs"])
    ]
    return {**learned, "rows": rows}


@hardened
@role_required(CASEWORKER)
def notifications(request: HttpRequest) -> HttpResponse:
    # Each notice links to the person its record belongs to now: a later merge or split moves the record.
    mine = Notification.objects.filter(user=request.user).select_related("record__person")
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("linkage-notifications")
    return render(request, "linkage/notifications.html", {"notifications": mine[:100]})
