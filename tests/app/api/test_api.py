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
