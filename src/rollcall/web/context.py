from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from rollcall.registry.roles import roles_of


def roles(request: HttpRequest) -> dict[str, object]:
    held = roles_of(getattr(request, "user", None))
    return {
        "user_roles": held,
        "is_caseworker": "caseworker" in held or "admin" in held,
        "is_analyst": "analyst" in held or "admin" in held,
        "is_admin": "admin" in held,
        "tracing_desk_contact": settings.TRACING_DESK_CONTACT,
    }
