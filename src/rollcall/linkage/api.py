"""Review endpoints (django-ninja router; the lead mounts it, e.g. api.add_router("/linkage/", router)).

Caseworkers only, through the session; every decision goes through the actions layer.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from rollcall.linkage.actions import DecisionRefused, do_decide, do_undo
from rollcall.linkage.models import CandidatePair, Decision
from rollcall.linkage.views import explain_pair
from rollcall.registry.roles import CASEWORKER, has_role

router = Router(tags=["linkage"])


class ContributionOut(Schema):
    comparison: str
    level: str
    weight: float
    left: str
    right: str


class PairOut(Schema):
    id: int
    probability: float
    state: str
    record_a: int
    record_b: int
    fields: list[list[str]] = []
    contributions: list[ContributionOut] = []


class DecisionIn(Schema):
    verdict: str
    reason: str


class DecisionOut(Schema):
    id: int
    verdict: str
    reason: str
    author: str
    at: str
    undone_at: str | None = None


class UndoIn(Schema):
    reason: str


def _caseworker(request: HttpRequest) -> None:
    if not has_role(request.user, CASEWORKER):
        raise HttpError(403, "caseworkers only")


def _pair_out(pair: CandidatePair, detail: bool = False) -> PairOut:
    out = PairOut(id=pair.pk, probability=pair.probability, state=pair.state,
                  record_a=pair.record_a_id, record_b=pair.record_b_id)  # fmt: skip
    if detail:
        explained = explain_pair(pair.record_a, pair.record_b)
        out.fields = [[name, str(a), str(b)] for name, a, b in explained["fields"]]
        if explained["score"] is not None:
            out.contributions = [ContributionOut(**c.__dict__) for c in explained["score"].contributions]
    return out


def _decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        id=decision.pk, verdict=decision.verdict, reason=decision.reason, author=str(decision.author or ""),
        at=decision.at.isoformat(), undone_at=decision.undone_at.isoformat() if decision.undone_at else None,
    )  # fmt: skip


@router.get("/pairs", response=list[PairOut])
def list_pairs(request: HttpRequest, limit: int = 50) -> list[PairOut]:
    _caseworker(request)
    pairs = CandidatePair.objects.filter(state=CandidatePair.State.OPEN)[: max(1, min(limit, 500))]
    return [_pair_out(p) for p in pairs]


@router.get("/pairs/{pair_id}", response=PairOut)
def get_pair(request: HttpRequest, pair_id: int) -> PairOut:
    _caseworker(request)
    return _pair_out(get_object_or_404(CandidatePair, pk=pair_id), detail=True)


@router.post("/pairs/{pair_id}/decision", response=DecisionOut)
def decide(request: HttpRequest, pair_id: int, body: DecisionIn) -> DecisionOut:
    _caseworker(request)
    pair = get_object_or_404(CandidatePair, pk=pair_id)
    try:
        return _decision_out(do_decide(pair, body.verdict, user=request.user, reason=body.reason))
    except DecisionRefused as error:
        raise HttpError(409, str(error)) from error


@router.post("/decisions/{decision_id}/undo", response=DecisionOut)
def undo(request: HttpRequest, decision_id: int, body: UndoIn) -> DecisionOut:
    _caseworker(request)
    decision = get_object_or_404(Decision, pk=decision_id)
    try:
        return _decision_out(do_undo(decision, user=request.user, reason=body.reason))
    except DecisionRefused as error:
        raise HttpError(409, str(error)) from error
