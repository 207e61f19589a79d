"""The append-only audit log: one function writes it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from rollcall.registry.models import AuditEvent
from rollcall.web.ratelimit import client_ip


def audit(
    action: str,
    *,
    user: Any = None,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: object = "",
    **detail: Any,
) -> AuditEvent:
    """Record who did or saw what. `action` is a verb like 'view', 'import', 'export', 'submit'."""
    if request is not None and user is None:
        user = request.user
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    ip = None
    if request is not None:
        # The client's address through trusted reverse proxies (ROLLCALL_TRUSTED_PROXIES), as the rate limits see it.
        ip = client_ip(request)
    return AuditEvent.objects.create(
        user=user if authenticated else None,
        actor=user.get_username() if authenticated else ("public" if request is not None else "system"),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
        ip=ip,
    )
