"""Shared fixtures for the Django tests: one user per role, and a small imported list."""

from __future__ import annotations

from pathlib import Path

import pytest

PASSWORD = "a-long-test-password-1"


@pytest.fixture(autouse=True)
def _kept_files_in_tmp(settings, tmp_path: Path) -> None:
    settings.DATASETS_DIR = tmp_path / "datasets"
    settings.HOME = tmp_path


@pytest.fixture
def users(db):
    from django.contrib.auth.models import User

    from rollcall.registry.users import create_user

    for role in ("caseworker", "analyst", "admin"):
        create_user(role, role=role, password=PASSWORD)
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def login(client, users):
    def as_role(role: str):
        assert client.login(username=role, password=PASSWORD)
        return client

    return as_role


LIVING = {
    "full_name": "Siranoush Adamian",
    "current_place": "Stepanakert airport, hangar 2",
    "reporter_contact": "+374 99 123456",
    "reporter_name": "Gagik Adamyan",
}
SHELTER_CSV = (
    "record_id,full_name,age,status,current_place,reporter_name,reporter_contact,notes\n"
    f'SH-0042,{LIVING["full_name"]},37,alive,"{LIVING["current_place"]}",{LIVING["reporter_name"]},{LIVING["reporter_contact"]},sleeps near the gate\n'
    "SH-0043,<script>alert(1)</script>,40,alive,Goris,,,\n"
)


@pytest.fixture
def living() -> dict[str, str]:
    """The living person on `shelter_list` whose place and contacts the public must never learn."""
    return dict(LIVING)


@pytest.fixture
def import_csv(db, tmp_path: Path):
    """Import a CSV written in the test: import_csv(text, source=..., kind=...) -> ImportReport."""
    from rollcall.registry.actions import do_import_list

    def run(text: str, *, source: str = "Test list", kind: str = "other", name: str = "list.csv", **options):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return do_import_list(path, source_name=source, kind=kind, **options)

    return run


@pytest.fixture
def shelter_list(import_csv):
    """A shelter list: a living person with a current place and a reporter, and a name that is HTML."""
    return import_csv(
        SHELTER_CSV, source="Airport shelter (peacekeepers)", kind="shelter", name="airport_shelter.csv"
    )
