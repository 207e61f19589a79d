"""Erasure: an admin's explicit, audited act with a stated reason, never a side effect."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollcall.registry.actions import ErasureRefused, do_erase_person, do_import_list
from rollcall.registry.models import AuditEvent, Dataset, NameKey, Person, Record
from rollcall.registry.search import search_persons
from rollcall.registry.users import create_user

pytestmark = pytest.mark.django_db

SHELTER = "full_name,age,current_place,reporter_contact\nSiranoush Adamian,35-39,Stepanakert airport,+374 99 000000\nAram Petrosyan,40,Goris,\n"


@pytest.fixture
def shelter(write_file):
    path = write_file("shelter.csv", SHELTER)
    do_import_list(path, source_name="Airport shelter", kind="shelter")
    return path


def adamian() -> Person:
    return Record.objects.get(full_name="Siranoush Adamian").person


def test_an_admin_erases_a_persons_data_with_a_reason(shelter):
    from django.contrib.auth.models import User

    create_user("root", role="admin")
    person = adamian()
    assert do_erase_person(person, user=User.objects.get(username="root"), reason="Her own request by phone, 2023-10-02") == 1
    record = Record.objects.get(person=person)
    assert record.erased_at is not None
    assert (record.current_place, record.reporter_contact, record.raw) == ("", "", {})
    assert not NameKey.objects.filter(record=record).exists()
    assert not any("Adamian" in r.display_name for r in search_persons("Siranoush Adamian"))


def test_the_kept_file_no_longer_holds_the_erased_row_but_the_rest_survives(shelter):
    from django.contrib.auth.models import User

    create_user("root", role="admin")
    do_erase_person(adamian(), user=User.objects.get(username="root"), reason="Retention period ended for this list")
    kept = Path(Dataset.objects.get().stored_path).read_text(encoding="utf-8")
    assert "Adamian" not in kept and "+374 99" not in kept
    assert "Aram Petrosyan" in kept


def test_the_erased_person_does_not_come_back_when_the_original_file_is_imported_again(shelter):
    from django.contrib.auth.models import User

    create_user("root", role="admin")
    do_erase_person(adamian(), user=User.objects.get(username="root"), reason="Her own request by phone, 2023-10-02")
    report = do_import_list(shelter, source_name="Airport shelter", kind="shelter")
    assert report.already_imported
    assert not Record.objects.filter(full_name="Siranoush Adamian").exists()


def test_erasure_is_audited_without_personal_data(shelter):
    from django.contrib.auth.models import User

    create_user("root", role="admin")
    do_erase_person(adamian(), user=User.objects.get(username="root"), reason="Her own request by phone, 2023-10-02")
    event = AuditEvent.objects.get(action="erase")
    assert event.actor == "root" and event.detail["reason"].startswith("Her own request")
    assert "Adamian" not in str(event.detail)


def test_a_caseworker_cannot_erase(shelter):
    from django.contrib.auth.models import User

    create_user("cw", role="caseworker")
    with pytest.raises(ErasureRefused):
        do_erase_person(adamian(), user=User.objects.get(username="cw"), reason="I think it should go away now")
    assert Record.objects.get(full_name="Siranoush Adamian").erased_at is None


def test_erasure_needs_a_stated_reason(shelter):
    from django.contrib.auth.models import User

    create_user("root", role="admin")
    with pytest.raises(ErasureRefused, match="reason"):
        do_erase_person(adamian(), user=User.objects.get(username="root"), reason="  ")
