"""The JSON API: public answers show only that information exists; staff answers need the role."""

from __future__ import annotations

import io

import pytest

from rollcall.registry.models import AuditEvent, Record

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_describes_the_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/public/search" in schema["paths"] and "/api/persons" in schema["paths"]


def test_the_public_search_returns_no_location_contact_or_list(client, shelter_list):
    response = client.get("/api/public/search", {"q": "Адамян Сирануш"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Siranoush Adamian" in body
    for secret in ("hangar", "+374 99 123456", "Airport shelter", "SH-0042", "Gagik"):
        assert secret not in body
    assert set(response.json()[0]) == {"person_id", "name", "age_band"}


def test_staff_endpoints_refuse_anonymous_users(client, shelter_list):
    assert client.get("/api/persons", {"q": "Adamian"}).status_code == 401


def test_an_analyst_cannot_read_persons(login, shelter_list):
    assert login("analyst").get("/api/persons", {"q": "Adamian"}).status_code == 403


def test_a_caseworker_reads_a_person_and_it_is_audited(login, shelter_list):
    client = login("caseworker")
    [match] = [
        m for m in client.get("/api/persons", {"q": "Adamian"}).json() if "Adamian" in m["display_name"]
    ]
    person = client.get(f"/api/persons/{match['person_id']}").json()
    assert person["records"][0]["fields"]["current_place"] == "Stepanakert airport, hangar 2"
    assert AuditEvent.objects.filter(
        action="view", object_type="person", object_id=match["person_id"]
    ).exists()


def test_a_caseworker_imports_a_list_through_the_api(login):
    client = login("caseworker")
    upload = io.BytesIO("Фамилия,Имя\nМелкумян,Давид\n".encode())
    upload.name = "list.csv"
    response = client.post("/api/datasets", {"file": upload, "source": "Hospital", "kind": "hospital"})
    assert response.status_code == 200, response.content
    assert response.json()["rows_imported"] == 1
    assert Record.objects.get().family_name == "Мелкумян"


def test_a_broken_file_through_the_api_gets_the_reason(login):
    client = login("caseworker")
    upload = io.BytesIO(b"")
    upload.name = "empty.csv"
    response = client.post("/api/datasets", {"file": upload, "source": "Hospital"})
    assert response.status_code == 422 and "empty" in response.json()["detail"]


def test_a_caseworker_reads_a_record_and_it_is_audited(login, shelter_list, users):
    record = Record.objects.get(record_id="SH-0042")
    response = login("caseworker").get(f"/api/records/{record.pk}")
    assert response.status_code == 200
    assert response.json()["fields"]["reporter_contact"] == "+374 99 123456"
    event = AuditEvent.objects.get(action="view", object_type="record")
    assert (
        event.user == users["caseworker"]
        and event.object_id == str(record.pk)
        and event.detail["via"] == "api"
    )


def test_an_analyst_cannot_read_a_record(login, shelter_list):
    record = Record.objects.get(record_id="SH-0042")
    assert login("analyst").get(f"/api/records/{record.pk}").status_code == 403
    assert not AuditEvent.objects.filter(action="view").exists()


def test_anonymous_users_cannot_read_records_or_datasets(client, shelter_list):
    record = Record.objects.get(record_id="SH-0042")
    assert client.get(f"/api/records/{record.pk}").status_code == 401
    assert client.get("/api/datasets").status_code == 401


def test_an_unknown_person_is_not_found(login, shelter_list):
    assert login("caseworker").get("/api/persons/no-such-id").status_code == 404


def test_a_caseworker_lists_datasets_with_their_counts(login, shelter_list):
    [dataset] = login("caseworker").get("/api/datasets").json()
    assert (dataset["source"], dataset["kind"], dataset["rows_imported"]) == (
        "Airport shelter (peacekeepers)",
        "shelter",
        2,
    )


def test_an_analyst_cannot_list_datasets(login, shelter_list):
    assert login("analyst").get("/api/datasets").status_code == 403


def test_an_api_import_applies_the_column_map(login):
    client = login("caseworker")
    upload = io.BytesIO(b"Name;Bed\nAni Sargsyan;B-12\n")
    upload.name = "beds.csv"
    response = client.post(
        "/api/datasets",
        {
            "file": upload,
            "source": "Goris school",
            "kind": "shelter",
            "map": ["Name=full_name", "Bed=current_place"],
        },
    )
    assert response.status_code == 200, response.content
    record = Record.objects.get()
    assert (record.full_name, record.current_place) == ("Ani Sargsyan", "B-12")


def test_an_api_import_keeps_a_recognised_column_mapped_to_nothing_as_extra_data(login):
    client = login("caseworker")
    upload = io.BytesIO("full_name;Дата\nAni Sargsyan;B-12\n".encode())
    upload.name = "beds.csv"
    response = client.post("/api/datasets", {"file": upload, "source": "Goris school", "map": ["Дата="]})
    assert response.status_code == 200, response.content
    record = Record.objects.get()
    assert (record.status_date, record.extra) == ("", {"Дата": "B-12"})


def test_an_api_import_with_a_bad_map_says_which_pair_is_wrong(login):
    client = login("caseworker")
    upload = io.BytesIO(b"Name\nAni\n")
    upload.name = "list.csv"
    response = client.post("/api/datasets", {"file": upload, "source": "X", "map": ["Name=fullname"]})
    assert response.status_code == 422 and "'Name=fullname'" in response.json()["detail"]
    assert not Record.objects.exists()


def test_an_api_import_of_the_same_file_twice_is_recognised(login):
    client = login("caseworker")
    for _ in range(2):
        upload = io.BytesIO(b"full_name\nAni Sargsyan\n")
        upload.name = "list.csv"
        response = client.post("/api/datasets", {"file": upload, "source": "Hospital"})
    assert response.json()["already_imported"] is True and Record.objects.count() == 1


def test_an_api_import_needs_the_csrf_token_of_the_session(users):
    from django.test import Client
    from tests.app.conftest import PASSWORD

    client = Client(enforce_csrf_checks=True)
    client.login(username="caseworker", password=PASSWORD)
    upload = io.BytesIO(b"full_name\nAni\n")
    upload.name = "list.csv"
    assert client.post("/api/datasets", {"file": upload, "source": "X"}).status_code == 403
    assert not Record.objects.exists()


def test_names_with_html_come_back_as_data_not_markup(client, shelter_list):
    response = client.get("/api/public/search", {"q": "script alert"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "<script>alert(1)</script>" in [match["name"] for match in response.json()]
