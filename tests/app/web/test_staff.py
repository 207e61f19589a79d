"""Staff pages: roles, audit of restricted views, and the upload with preview and mapping."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.test import Client

from rollcall.registry.models import AuditEvent, Dataset, ImportJob, Record, TracingRequest

pytestmark = pytest.mark.django_db


def living_record() -> Record:
    return Record.objects.get(record_id="SH-0042")


def staff_urls() -> dict[str, str]:
    """Every staff page with a restricted field, by what it shows (needs `shelter_list`)."""
    record = living_record()
    return {
        "record": f"/staff/records/{record.pk}/",
        "person": f"/staff/persons/{record.person.public_id}/",
        "records": "/staff/records/",
        "datasets": "/staff/datasets/",
        "dataset": f"/staff/datasets/{record.dataset_id}/",
        "rejects": f"/staff/datasets/{record.dataset_id}/rejects.csv",
        "tracing": "/staff/tracing/",
        "search": "/staff/search/?q=Adamian",
        "upload": "/staff/upload/",
    }


def csv_upload(content: str, name: str = "list.csv") -> io.BytesIO:
    upload = io.BytesIO(content.encode("utf-8"))
    upload.name = name
    return upload


def upload(
    client: Client, content: str, *, name: str = "list.csv", source: str = "Goris volunteers"
) -> ImportJob:
    response = client.post(
        "/staff/upload/",
        {"file": csv_upload(content, name), "source": source, "kind": "shelter", "format": "auto"},
    )
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.latest("created_at")


# ------------------------------------------------------------------ who may see what


@pytest.mark.parametrize(
    "page", ["/staff/", "/staff/records/", "/staff/audit/", "/staff/upload/", "/staff/tracing/"]
)
def test_anonymous_users_are_sent_to_the_login_page(client, page):
    response = client.get(page)
    assert response.status_code == 302 and response["Location"] == f"/staff/login/?next={page}"


@pytest.mark.parametrize(
    "page", ["record", "person", "records", "datasets", "dataset", "rejects", "tracing", "search", "upload"]
)
def test_an_analyst_cannot_open_pages_with_personal_data(login, shelter_list, page):
    assert login("analyst").get(staff_urls()[page]).status_code == 403


def test_an_analyst_sees_aggregates_by_list_and_status_without_contacts(login, shelter_list, living):
    body = login("analyst").get("/staff/").content.decode()
    assert "Airport shelter" in body and "alive" in body
    for secret in (living["reporter_contact"], living["current_place"], living["full_name"]):
        assert secret not in body


def test_the_staff_home_counts_in_words_that_agree_with_the_numbers(login, shelter_list):
    body = login("analyst").get("/staff/").content.decode()
    assert "2 records from every list, 2 persons, 0 open tracing requests." in body
    Client().post(
        "/looking-for-someone/",
        {"full_name": "Aram Petrosyan", "seeker_name": "Ani Petrosyan", "seeker_contact": "+374 91 222333"},
    )
    assert "1 open tracing request." in login("analyst").get("/staff/").content.decode()


def test_the_audit_log_is_for_admins_only(login, shelter_list):
    assert login("caseworker").get("/staff/audit/").status_code == 403


def test_an_admin_reads_the_audit_log(login, shelter_list):
    body = login("admin").get("/staff/audit/").content.decode()
    assert "import" in body and "dataset" in body


def test_the_django_admin_is_for_admins(client, login, users):
    assert login("caseworker").get("/admin/").status_code == 302
    client.logout()
    assert login("admin").get("/admin/").status_code == 200


def test_a_caseworker_logs_in_and_lands_on_the_staff_home(client, users):
    from tests.app.conftest import PASSWORD

    response = client.post("/staff/login/", {"username": "caseworker", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_a_wrong_password_says_so(client, users):
    response = client.post("/staff/login/", {"username": "caseworker", "password": "not the password"})
    assert response.status_code == 200 and "did not match" in response.content.decode()


def test_logging_out_takes_a_post(login):
    client = login("caseworker")
    assert client.get("/staff/logout/").status_code == 405
    assert client.post("/staff/logout/").status_code == 302
    assert client.get("/staff/").status_code == 302


# ------------------------------------------------------------------ audit of restricted views


@pytest.mark.parametrize("page", ["record", "person", "dataset", "rejects", "tracing"])
def test_viewing_restricted_data_is_audited_with_who_and_what(login, shelter_list, users, page):
    before = AuditEvent.objects.filter(action__in=["view", "export"]).count()
    login("caseworker").get(staff_urls()[page])
    events = AuditEvent.objects.filter(action__in=["view", "export"]).order_by("id")
    assert events.count() == before + 1
    event = events.last()
    assert event.user == users["caseworker"] and event.ip == "127.0.0.1" and event.object_id


def test_viewing_a_record_names_the_record_in_the_audit_log(login, shelter_list, users):
    record = living_record()
    body = login("caseworker").get(f"/staff/records/{record.pk}/").content.decode()
    assert "+374 99 123456" in body
    event = AuditEvent.objects.get(action="view", object_type="record")
    assert event.object_id == str(record.pk)


def test_viewing_a_person_shows_contacts_places_and_notes_and_is_audited(login, client, shelter_list, living):
    person = living_record().person
    Client().post(f"/p/{person.public_id}/information/", {"text": "Seen at the gate", "author_name": "Anna"})
    body = login("caseworker").get(f"/staff/persons/{person.public_id}/").content.decode()
    assert (
        living["current_place"] in body and living["reporter_contact"] in body and "Seen at the gate" in body
    )
    assert AuditEvent.objects.filter(action="view", object_type="person", object_id=person.public_id).exists()


def test_the_tracing_requests_list_shows_the_seekers_contact(login, db):
    Client().post(
        "/looking-for-someone/",
        {"full_name": "Aram Petrosyan", "seeker_name": "Ani Petrosyan", "seeker_contact": "+374 91 222333"},
    )
    body = login("caseworker").get("/staff/tracing/").content.decode()
    assert "Aram Petrosyan" in body and "+374 91 222333" in body
    assert TracingRequest.objects.count() == 1


# ------------------------------------------------------------------ escaping, times, lists


@pytest.mark.parametrize("page", ["record", "person", "records", "search"])
def test_names_with_html_are_escaped_on_staff_pages(login, shelter_list, page):
    hostile = Record.objects.get(record_id="SH-0043")
    urls = {
        "record": f"/staff/records/{hostile.pk}/",
        "person": f"/staff/persons/{hostile.person.public_id}/",
        "records": "/staff/records/",
        "search": "/staff/search/?q=script+alert",
    }
    body = login("caseworker").get(urls[page]).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_staff_pages_forbid_scripts(login, shelter_list):
    response = login("caseworker").get(staff_urls()["record"])
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "no-store" in response["Cache-Control"]


def test_times_are_shown_in_yerevan_time(login, shelter_list):
    Dataset.objects.update(imported_at=dt.datetime(2023, 9, 19, 6, 0, tzinfo=dt.UTC))
    body = login("caseworker").get("/staff/datasets/").content.decode()
    assert "2023-09-19 10:00" in body


def test_the_records_of_one_list_stay_filtered_from_page_to_page(login, import_csv):
    first = import_csv("full_name\n" + "".join(f"Person {i}\n" for i in range(150)), name="a.csv")
    import_csv("full_name\nSomeone Else\n", name="b.csv")
    client = login("caseworker")
    body = client.get("/staff/records/", {"dataset": first.dataset_id}).content.decode()
    assert f"?dataset={first.dataset_id}&amp;page=2" in body and "Someone Else" not in body
    assert client.get("/staff/records/", {"dataset": "abc"}).status_code == 200


# ------------------------------------------------------------------ upload, preview, mapping


ARMENIAN_LIST = (
    "Ազգանուն;Անուն;Where now;Հեռախոս\nԱդամյան;Սիրանուշ;Goris;+374 99 000000\nՊետրոսյան;Արամ;Yerevan;\n"
)
FULL_MAPPING = {
    "map-0": "family_name",
    "map-1": "given_name",
    "map-2": "current_place",
    "map-3": "reporter_contact",
}


def test_the_preview_shows_the_first_rows_and_the_detected_mapping(login):
    client = login("caseworker")
    job = upload(client, ARMENIAN_LIST, name="volunteers.csv")
    preview = client.get(f"/staff/upload/{job.pk}/").content.decode()
    assert "Ադամյան" in preview and 'name="map-2"' in preview
    assert '<option value="family_name" selected>' in preview
    assert AuditEvent.objects.filter(action="view", object_type="upload_preview").exists()


def test_an_upload_is_imported_with_the_mapping_the_user_chose(login):
    client = login("caseworker")
    job = upload(client, ARMENIAN_LIST, name="volunteers.csv")
    response = client.post(f"/staff/upload/{job.pk}/", FULL_MAPPING)
    assert response.status_code == 302 and response["Location"] == f"/staff/upload/{job.pk}/progress/"
    job.refresh_from_db()
    assert job.state == "done", job.error
    record = Record.objects.get(family_name="Ադամյան")
    assert record.current_place == "Goris" and record.reporter_contact == "+374 99 000000"
    assert "2 imported" in client.get(f"/staff/upload/{job.pk}/progress/").content.decode()


def test_a_column_left_as_other_is_kept_as_extra_data(login):
    client = login("caseworker")
    job = upload(client, "Ազգանուն;Անուն;Bed\nԱդամյան;Սիրանուշ;B-12\n")
    client.post(f"/staff/upload/{job.pk}/", {"map-0": "family_name", "map-1": "given_name", "map-2": ""})
    record = Record.objects.get(family_name="Ադամյան")
    assert record.extra == {"Bed": "B-12"}


def test_a_recognised_column_left_as_other_is_kept_as_extra_data_not_mapped(login):
    client = login("caseworker")
    job = upload(client, ARMENIAN_LIST)
    preview = client.get(f"/staff/upload/{job.pk}/").content.decode()
    phone_column = preview.split('id="map-3"')[1].split("</select>")[0]
    assert '<option value="reporter_contact" selected>' in phone_column
    response = client.post(
        f"/staff/upload/{job.pk}/", {"map-0": "family_name", "map-1": "given_name", "map-2": "", "map-3": ""}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == "done", job.error
    record = Record.objects.get(family_name="Ադամյան")
    assert record.reporter_contact == "" and record.current_place == ""
    assert record.extra == {"Where now": "Goris", "Հեռախոս": "+374 99 000000"}
    assert "Հեռախոս" not in job.dataset.column_map


def test_two_columns_mapped_to_one_field_are_refused(login):
    client = login("caseworker")
    job = upload(client, ARMENIAN_LIST)
    response = client.post(f"/staff/upload/{job.pk}/", {"map-0": "family_name", "map-1": "family_name"})
    assert response.status_code == 400 and "one column only: family_name" in response.content.decode()
    assert '<option value="family_name" selected>' in response.content.decode().split('id="map-1"')[1]
    job.refresh_from_db()
    assert job.state == "preview" and not Record.objects.exists()


def test_the_import_result_lists_rejected_rows_with_line_field_and_reason(login):
    client = login("caseworker")
    job = upload(client, "full_name,birth_date\nAni Sargsyan,31.02.1970\nAram Petrosyan,1970\n")
    client.post(f"/staff/upload/{job.pk}/", {"map-0": "full_name", "map-1": "birth_date"})
    body = client.get(f"/staff/upload/{job.pk}/progress/").content.decode()
    assert "1 imported, 1 rejected" in body
    assert '<td class="num">2</td><td>birth_date</td>' in body and "rejects.csv" in body


def test_the_progress_page_refreshes_itself_while_the_import_waits(login):
    client = login("caseworker")
    job = upload(client, ARMENIAN_LIST)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, bytes_done=50, bytes_total=200)
    body = client.get(f"/staff/upload/{job.pk}/progress/").content.decode()
    assert '<meta http-equiv="refresh"' in body and '<progress max="100" value="25"' in body


def test_the_uploaded_copy_is_removed_once_imported(login):
    client = login("caseworker")
    job = upload(client, ARMENIAN_LIST)
    assert Path(job.path).exists()
    client.post(f"/staff/upload/{job.pk}/", FULL_MAPPING)
    job.refresh_from_db()
    assert not Path(job.path).exists() and Path(job.dataset.stored_path).exists()


def test_a_broken_upload_is_refused_with_the_reason(login):
    client = login("caseworker")
    response = client.post(
        "/staff/upload/",
        {"file": csv_upload("%PDF-1.4 not a list"), "source": "X", "kind": "other", "format": "auto"},
    )
    assert response.status_code == 400 and "PDF" in response.content.decode()
    assert not ImportJob.objects.exists() and not Dataset.objects.exists()


def test_the_same_file_uploaded_twice_is_recognised(login):
    client = login("caseworker")
    for _ in range(2):
        job = upload(client, ARMENIAN_LIST)
        client.post(f"/staff/upload/{job.pk}/", FULL_MAPPING)
    assert "already imported" in client.get(f"/staff/upload/{job.pk}/progress/").content.decode()
    assert Dataset.objects.count() == 1 and Record.objects.count() == 2


def test_rejected_rows_download_as_csv_with_reasons(login, import_csv):
    report = import_csv("full_name,birth_date\nAni Sargsyan,31.02.1970\nAram Petrosyan,1970\n")
    response = login("caseworker").get(f"/staff/datasets/{report.dataset_id}/rejects.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["full_name"], r["birth_date"], r["rollcall_line"], r["rollcall_field"]) for r in rows] == [
        ("Ani Sargsyan", "31.02.1970", "2", "birth_date")
    ]
    assert "31.02.1970" in rows[0]["rollcall_reason"]
