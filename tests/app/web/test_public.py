"""The public pages: search and report, and never learn where a living person shelters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rollcall.registry.models import AuditEvent, Note, Person, Record, TracingRequest

pytestmark = pytest.mark.django_db

LIVING = {
    "full_name": "Siranoush Adamian",
    "current_place": "Stepanakert airport, hangar 2",
    "reporter_contact": "+374 99 123456",
    "reporter_name": "Gagik Adamyan",
}
SECRETS = (
    LIVING["current_place"],
    "hangar 2",
    LIVING["reporter_contact"],
    LIVING["reporter_name"],
    "Airport shelter",
    "SH-0042",
    "sleeps near the gate",
)


def assert_no_leak(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"public output reveals {secret!r}"


def test_public_search_finds_the_person_by_an_armenian_spelling(client, shelter_list):
    response = client.get("/", {"q": "Սիրանուշ Ադամյան"})
    assert response.status_code == 200
    assert LIVING["full_name"] in response.content.decode()


def test_public_search_shows_no_location_contact_or_list(client, shelter_list):
    body = client.get("/", {"q": "Adamian"}).content.decode()
    assert LIVING["full_name"] in body and "35-39" in body
    assert_no_leak(body)


def test_the_public_person_page_shows_only_name_age_band_and_that_information_exists(client, shelter_list):
    person = Record.objects.get(record_id="SH-0042").person
    body = client.get(f"/p/{person.public_id}/").content.decode()
    assert LIVING["full_name"] in body and "35-39" in body and "Information about this person exists" in body
    assert_no_leak(body)


def test_the_public_search_runs_a_bounded_number_of_queries(client, shelter_list):
    with CaptureQueriesContext(connection) as queries:
        client.get("/", {"q": "Siranush Adamyan"})
    assert len(queries) <= 20


def test_a_name_with_html_is_escaped_on_public_pages(client, shelter_list):
    body = client.get("/", {"q": "script alert"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    person = Record.objects.get(record_id="SH-0043").person
    body = client.get(f"/p/{person.public_id}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


@pytest.mark.parametrize("query", ["", "a", "x" * 10_000, "😀", "\u200f\u200d", "' OR 1=1 --", "<b>bold</b>"])
def test_odd_public_queries_never_give_an_error_page(client, shelter_list, query):
    response = client.get("/", {"q": query})
    assert response.status_code == 200
    assert "<b>bold</b>" not in response.content.decode()


def test_a_tracing_request_is_recorded_with_the_seekers_contact_for_caseworkers_only(client):
    response = client.post(
        "/looking-for-someone/",
        {
            "full_name": "Սիրանուշ Ադամյան",
            "age": "38",
            "home_place": "Stepanakert",
            "last_seen": "Stepanakert, 19 September",
            "seeker_name": "Armen Adamyan",
            "seeker_contact": "+374 91 000111",
            "relationship": "brother",
        },
    )
    assert response.status_code == 200 and "tracing desk" in response.content.decode()
    request = TracingRequest.objects.get()
    assert request.seeker_contact == "+374 91 000111"
    assert request.record.status == "missing" and request.record.source.name == "Public tracing requests"
    assert Note.objects.get(person=request.record.person).status == "information_sought"
    assert AuditEvent.objects.filter(action="submit", object_type="tracing_request").exists()
    body = client.get("/", {"q": "Адамян"}).content.decode()
    assert "+374 91 000111" not in body and "Armen Adamyan" not in body


def test_a_tracing_request_without_contact_is_refused_with_a_clear_error(client):
    response = client.post("/looking-for-someone/", {"full_name": "Aram Petrosyan", "seeker_name": "Ani"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Record.objects.exists()


def test_a_tracing_request_with_an_absurd_age_says_which_field_is_wrong(client):
    response = client.post(
        "/looking-for-someone/",
        {"full_name": "Aram Petrosyan", "age": "-4", "seeker_name": "Ani", "seeker_contact": "ani@example.org"},
    )
    assert response.status_code == 400 and "negative" in response.content.decode()
    assert not Record.objects.exists()


def test_information_about_a_known_person_becomes_a_note(client, shelter_list):
    person = Record.objects.get(record_id="SH-0042").person
    response = client.post(
        f"/p/{person.public_id}/information/",
        {"status": "alive", "last_known_location": "Goris", "text": "I saw her", "author_name": "Neighbour"},
    )
    assert response.status_code == 200
    note = Note.objects.get(person=person)
    assert (note.status, note.last_known_location) == ("believed_alive", "Goris")


def test_public_submissions_are_rate_limited(client, settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 2
    statuses = []
    for i in range(4):
        response = client.post(
            "/looking-for-someone/",
            {"full_name": f"Person {i}", "seeker_name": "Ani", "seeker_contact": "ani@example.org"},
        )
        statuses.append(response.status_code)
    assert statuses == [200, 200, 429, 429]
    assert Person.objects.count() == 2


def test_the_forms_work_without_javascript(client):
    body = client.get("/looking-for-someone/").content.decode()
    assert "<script" not in body and 'method="post"' in body and "csrfmiddlewaretoken" in body
    assert '<label for="id_full_name">' in body
