"""Roles: public (anonymous), caseworker, analyst, admin (DESIGN.md, "Who may see what").

Roles are Django groups so that admins manage them in the Django admin; an admin is a
superuser. A user may hold several roles; admin implies all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

CASEWORKER = "caseworker"
ANALYST = "analyst"
ADMIN = "admin"
STAFF_ROLES = (CASEWORKER, ANALYST, ADMIN)


def roles_of(user: AbstractBaseUser | AnonymousUser | None) -> frozenset[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if getattr(user, "is_superuser", False):
        return frozenset(STAFF_ROLES)
    cached = getattr(user, "_rollcall_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) & frozenset(STAFF_ROLES)  # type: ignore[union-attr]
        user._rollcall_roles = cached  # type: ignore[union-attr]
    return cached


def has_role(user: Any, *roles: str) -> bool:
    held = roles_of(user)
    return ADMIN in held or bool(held & set(roles))


def ensure_role_groups() -> None:
    for name in STAFF_ROLES:
        Group.objects.get_or_create(name=name)


def role_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Views for staff: anonymous users go to the login page; others without the role get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect(f"/staff/login/?next={request.path}")
            if not has_role(request.user, *roles):
                raise PermissionDenied("Your role does not allow this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
