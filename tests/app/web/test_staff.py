"""Staff pages: roles, audit of restricted views, and the upload with preview and mapping."""

from __future__ import annotations

import csv
import io

import pytest

from rollcall.registry.models import AuditEvent, Dataset, ImportJob, Record

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/staff/records/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


def test_an_analyst_cannot_see_records(login, shelter_list):
    assert login("analyst").get("/staff/records/").status_code == 403


def test_an_analyst_sees_aggregates_without_contacts(login, shelter_list):
    body = login("analyst").get("/staff/").content.decode()
    assert "Airport shelter" in body and "+374 99 123456" not in body


def test_viewing_a_record_is_audited(login, shelter_list, users):
    record = Record.objects.get(record_id="SH-0042")
    body = login("caseworker").get(f"/staff/records/{record.pk}/").content.decode()
    assert "+374 99 123456" in body
    event = AuditEvent.objects.get(action="view", object_type="record")
    assert event.user == users["caseworker"] and event.object_id == str(record.pk)


def test_viewing_a_person_is_audited(login, shelter_list):
    person = Record.objects.get(record_id="SH-0042").person
    login("caseworker").get(f"/staff/persons/{person.public_id}/")
    assert AuditEvent.objects.filter(action="view", object_type="person", object_id=person.public_id).exists()


def test_the_audit_log_is_for_admins_only(login, shelter_list):
    assert login("caseworker").get("/staff/audit/").status_code == 403


def test_names_with_html_are_escaped_on_staff_pages(login, shelter_list):
    record = Record.objects.get(record_id="SH-0043")
    body = login("caseworker").get(f"/staff/records/{record.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body


def test_an_upload_is_previewed_mapped_and_imported(login, tmp_path):
    client = login("caseworker")
    content = "Ազգանուն;Անուն;Where now;Հեռախոս\nԱդամյան;Սիրանուշ;Goris;+374 99 000000\nՊետրոսյան;Արամ;Yerevan;\n"
    upload = io.BytesIO(content.encode("utf-8"))
    upload.name = "volunteers.csv"
    response = client.post("/staff/upload/", {"file": upload, "source": "Goris volunteers", "kind": "shelter", "format": "auto"})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    preview = client.get(f"/staff/upload/{job.pk}/").content.decode()
    assert "Ադամյան" in preview and 'name="map-2"' in preview
    response = client.post(f"/staff/upload/{job.pk}/", {"map-0": "family_name", "map-1": "given_name", "map-2": "current_place", "map-3": "reporter_contact"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == "done", job.error
    record = Record.objects.get(family_name="Ադամյան")
    assert record.current_place == "Goris" and record.reporter_contact == "+374 99 000000"
    progress = client.get(f"/staff/upload/{job.pk}/progress/").content.decode()
    assert "2 imported" in progress


def test_a_broken_upload_is_refused_with_the_reason(login):
    client = login("caseworker")
    upload = io.BytesIO(b"%PDF-1.4 not a list")
    upload.name = "list.csv"
    response = client.post("/staff/upload/", {"file": upload, "source": "X", "kind": "other", "format": "auto"})
    assert response.status_code == 400 and "PDF" in response.content.decode()
    assert not ImportJob.objects.exists() and not Dataset.objects.exists()


def test_rejected_rows_download_as_csv_with_reasons(login, tmp_path):
    from rollcall.registry.actions import do_import_list

    path = tmp_path / "bad.csv"
    path.write_text("full_name,birth_date\nAni Sargsyan,31.02.1970\nAram Petrosyan,1970\n", encoding="utf-8")
    report = do_import_list(path, source_name="Volunteers", kind="other")
    body = login("caseworker").get(f"/staff/datasets/{report.dataset_id}/rejects.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows == [{"full_name": "Ani Sargsyan", "birth_date": "31.02.1970", "rollcall_line": "2", "rollcall_field": "birth_date", "rollcall_reason": rows[0]["rollcall_reason"]}]
    assert "31.02.1970" in rows[0]["rollcall_reason"]
