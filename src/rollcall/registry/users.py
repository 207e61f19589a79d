"""Staff accounts: created with a role and a generated password, shown once."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Group, User
from django.db import transaction

from rollcall.registry.audit import audit
from rollcall.registry.roles import ADMIN, STAFF_ROLES, ensure_role_groups


class UserExists(Exception):
    pass


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(username: str, *, role: str, email: str = "", password: str | None = None) -> str:
    """Create a staff user holding `role`; returns the password (generated unless given)."""
    if role not in STAFF_ROLES:
        raise ValueError(f"role {role!r}: use one of {', '.join(STAFF_ROLES)}")
    if User.objects.filter(username=username).exists():
        raise UserExists(f"user {username!r} already exists")
    password = password or generate_password()
    with transaction.atomic():
        ensure_role_groups()
        user = User.objects.create_user(username=username, email=email, password=password)
        user.groups.add(Group.objects.get(name=role))
        if role == ADMIN:
            user.is_staff = True  # the Django admin site
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        audit("create_user", object_type="user", object_id=user.pk, username=username, role=role)
    return password
