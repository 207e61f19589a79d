"""The public pages: search and report, and never learn where a living person shelters."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rollcall.registry.models import AuditEvent, Dataset, Note, Person, Record, TracingRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def secrets(living) -> tuple[str, ...]:
    """What the public must never see about the living person on the shelter list."""
    return (
        living["current_place"],
        "hangar 2",
        living["reporter_contact"],
        living["reporter_name"],
        "Airport shelter",
        "peacekeepers",
        "SH-0042",
        "sleeps near the gate",
    )


def assert_no_leak(text: str, secrets: tuple[str, ...]) -> None:
    for secret in secrets:
        assert secret not in text, f"public output reveals {secret!r}"


def living_person() -> Person:
    return Record.objects.get(record_id="SH-0042").person


TRACING_REQUEST = {
    "full_name": "Սիրանուշ Ադամյան",
    "age": "38",
    "home_place": "Stepanakert",
    "last_seen": "Stepanakert, 19 September",
    "seeker_name": "Armen Adamyan",
    "seeker_contact": "+374 91 000111",
    "relationship": "brother",
}


# ------------------------------------------------------------------ what the public sees


def test_public_search_finds_the_person_by_an_armenian_spelling(client, shelter_list, living):
    response = client.get("/", {"q": "Սիրանուշ Ադամյան"})
    assert response.status_code == 200
    assert living["full_name"] in response.content.decode()


def test_public_search_shows_name_age_band_and_that_information_exists(client, shelter_list, living):
    body = client.get("/", {"q": "Adamian"}).content.decode()
    assert living["full_name"] in body and "age 35-39" in body
    assert "information exists: contact the tracing desk" in body


def test_public_search_shows_no_location_contact_list_or_record_id(client, shelter_list, secrets):
    assert_no_leak(client.get("/", {"q": "Adamian"}).content.decode(), secrets)


def test_the_public_person_page_shows_only_name_age_band_and_that_information_exists(
    client, shelter_list, living, secrets
):
    body = client.get(f"/p/{living_person().public_id}/").content.decode()
    assert living["full_name"] in body and "35-39" in body and "Information about this person exists" in body
    assert_no_leak(body, secrets)


def test_the_public_person_page_does_not_say_the_persons_status(client, shelter_list):
    main = client.get(f"/p/{living_person().public_id}/").content.decode().split('<main id="main">')[1]
    assert "alive" not in main.lower()


def test_the_information_form_about_a_person_reveals_nothing_about_them(client, shelter_list, secrets):
    body = client.get(f"/p/{living_person().public_id}/information/").content.decode()
    assert_no_leak(body, secrets)


def test_the_public_api_search_reveals_nothing_about_a_living_person(client, shelter_list, living, secrets):
    response = client.get("/api/public/search", {"q": "Adamian"})
    assert living["full_name"] in response.content.decode()
    assert_no_leak(response.content.decode(), secrets)


@pytest.mark.parametrize(
    "query", ["Stepanakert airport hangar", "+374 99 123456", "Airport shelter", "SH-0042"]
)
def test_searching_by_a_living_persons_place_contact_list_or_record_id_does_not_find_them(
    client, shelter_list, living, query
):
    results = client.get("/", {"q": query}).content.decode().split("<h2>Results</h2>")[-1]
    assert living["full_name"] not in results
    assert living["full_name"] not in client.get("/api/public/search", {"q": query}).content.decode()


def test_a_tracing_requests_seeker_never_shows_on_public_pages(client):
    client.post("/looking-for-someone/", TRACING_REQUEST)
    person = TracingRequest.objects.get().record.person
    api = client.get("/api/public/search", {"q": "Adamyan"})
    assert [match["name"] for match in api.json()] == ["Սիրանուշ Ադամյան"]
    for body in (
        client.get("/", {"q": "Адамян"}).content.decode(),
        client.get(f"/p/{person.public_id}/").content.decode(),
        api.content.decode(),
    ):
        for secret in (
            "+374 91 000111",
            "Armen Adamyan",
            "brother",
            "19 September",
            "Public tracing requests",
        ):
            assert secret not in body


def test_information_sent_by_the_public_does_not_become_public(client):
    client.post(
        "/information/",
        {
            "full_name": "Hasmik Grigoryan",
            "status": "believed_alive",
            "last_known_location": "Goris, school no. 3",
            "text": "She sleeps in the gym",
            "author_name": "Lusine",
            "author_contact": "+374 93 444555",
        },
    )
    person = Person.objects.get(display_name="Hasmik Grigoryan")
    for body in (
        client.get("/", {"q": "Hasmik Grigoryan"}).content.decode(),
        client.get(f"/p/{person.public_id}/").content.decode(),
        client.get("/api/public/search", {"q": "Hasmik Grigoryan"}).content.decode(),
    ):
        assert "Hasmik Grigoryan" in body
        for secret in ("school no. 3", "gym", "Lusine", "+374 93 444555", "Public information"):
            assert secret not in body


def test_an_unknown_public_id_is_a_plain_not_found(client, shelter_list):
    assert client.get("/p/no-such-person/").status_code == 404


def test_public_pages_forbid_scripts_and_shared_caching(client, shelter_list):
    response = client.get("/", {"q": "Adamian"})
    assert "script-src" not in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "no-store" in response["Cache-Control"]


# ------------------------------------------------------------------ odd and hostile input


def test_the_public_search_runs_as_many_queries_for_twenty_results_as_for_one(import_csv):
    # Two addresses, so that both searches take the same path through the rate limiter.
    import_csv("full_name,age\nSiranoush Adamian,37\n", name="one.csv")
    with CaptureQueriesContext(connection) as one:
        Client(REMOTE_ADDR="10.0.0.1").get("/", {"q": "Siranush Adamyan"})
    rows = "".join(f"Siranoush Adamian,{20 + i}\n" for i in range(30))
    import_csv("full_name,age\n" + rows, name="many.csv")
    with CaptureQueriesContext(connection) as many:
        body = Client(REMOTE_ADDR="10.0.0.2").get("/", {"q": "Siranush Adamyan"}).content.decode()
    assert body.count("/p/") >= 20
    assert len(many) == len(one) <= 20


def test_a_name_with_html_is_escaped_on_public_pages(client, shelter_list):
    body = client.get("/", {"q": "script alert"}).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    person = Record.objects.get(record_id="SH-0043").person
    for url in (f"/p/{person.public_id}/", f"/p/{person.public_id}/information/"):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


@pytest.mark.parametrize(
    "query",
    [
        "",
        "a",
        "x" * 10_000,
        "😀",
        "\u200f\u200d",
        "\u202eAdamian",
        "' OR 1=1 --",
        "<b>bold</b>",
        "%00",
        "\x00\x01",
    ],
)
def test_odd_public_queries_never_give_an_error_page(client, shelter_list, query):
    response = client.get("/", {"q": query})
    assert response.status_code == 200
    assert "<b>bold</b>" not in response.content.decode()


def test_a_query_too_long_is_refused_with_a_clear_message(client, shelter_list):
    body = client.get("/", {"q": "Adamian " * 100}).content.decode()
    assert 'role="alert"' in body and "at most 200 characters" in body


@pytest.mark.parametrize("query", ["x" * 10_000, "😀", "' OR 1=1 --", "\u200f"])
def test_odd_queries_to_the_public_api_never_fail(client, shelter_list, query):
    response = client.get("/api/public/search", {"q": query})
    assert response.status_code == 200 and isinstance(response.json(), list)


def test_public_search_is_rate_limited(client, shelter_list, settings):
    settings.PUBLIC_SEARCHES_PER_MINUTE = 2
    statuses = [client.get("/", {"q": "Adamian"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "Too many searches" in client.get("/", {"q": "Adamian"}).content.decode()


def test_the_public_api_search_shares_the_rate_limit(client, shelter_list, settings):
    settings.PUBLIC_SEARCHES_PER_MINUTE = 1
    assert client.get("/", {"q": "Adamian"}).status_code == 200
    assert client.get("/api/public/search", {"q": "Adamian"}).status_code == 429


def test_the_rate_limit_counts_each_address_apart(shelter_list, settings):
    settings.PUBLIC_SEARCHES_PER_MINUTE = 1
    first, second = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    assert first.get("/", {"q": "Adamian"}).status_code == 200
    assert first.get("/", {"q": "Adamian"}).status_code == 429
    assert second.get("/", {"q": "Adamian"}).status_code == 200


# ------------------------------------------------------------------ "I am looking for someone"


def test_a_tracing_request_is_recorded_with_the_seekers_contact(client):
    response = client.post("/looking-for-someone/", TRACING_REQUEST)
    assert response.status_code == 200 and "tracing desk" in response.content.decode()
    request = TracingRequest.objects.get()
    assert (request.seeker_name, request.seeker_contact, request.relationship) == (
        "Armen Adamyan",
        "+374 91 000111",
        "brother",
    )
    assert request.record.status == "missing" and request.record.full_name == "Սիրանուշ Ադամյան"
    assert (
        request.record.source.name == "Public tracing requests"
        and request.record.dataset.kind == "missing_reports"
    )


def test_a_tracing_request_carries_an_information_sought_note(client):
    client.post("/looking-for-someone/", TRACING_REQUEST)
    note = Note.objects.get(person=TracingRequest.objects.get().record.person)
    assert note.status == "information_sought" and note.author_contact == "+374 91 000111"


def test_a_tracing_request_is_kept_as_received_with_its_sha256(client, settings):
    client.post("/looking-for-someone/", TRACING_REQUEST)
    dataset = Dataset.objects.get(source__name="Public tracing requests")
    kept = Path(dataset.stored_path)
    assert dataset.format == "form" and kept.parent == Path(settings.DATASETS_DIR)
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == dataset.sha256
    assert json.loads(kept.read_text(encoding="utf-8"))["seeker_contact"] == "+374 91 000111"


def test_a_tracing_request_is_audited(client):
    client.post("/looking-for-someone/", TRACING_REQUEST)
    event = AuditEvent.objects.get(action="submit", object_type="tracing_request")
    assert event.actor == "public" and event.object_id == str(TracingRequest.objects.get().record.pk)


def test_a_tracing_request_without_contact_is_refused_with_a_clear_error(client):
    response = client.post("/looking-for-someone/", {"full_name": "Aram Petrosyan", "seeker_name": "Ani"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required" in body and 'aria-invalid="true"' in body
    assert not Record.objects.exists()


def test_a_tracing_request_with_an_absurd_age_says_which_field_is_wrong(client):
    response = client.post(
        "/looking-for-someone/",
        {
            "full_name": "Aram Petrosyan",
            "age": "-4",
            "seeker_name": "Ani",
            "seeker_contact": "ani@example.org",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "negative" in body
    assert 'aria-describedby="id_age-error"' in body and 'id="id_age-error"' in body
    assert not Record.objects.exists()


def test_public_forms_refuse_a_post_without_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/looking-for-someone/", TRACING_REQUEST)
    assert response.status_code == 403 and not Record.objects.exists()


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


# ------------------------------------------------------------------ "I have information about someone"


def test_information_about_a_known_person_becomes_a_pfif_note(client, shelter_list):
    person = living_person()
    response = client.post(
        f"/p/{person.public_id}/information/",
        {
            "status": "believed_alive",
            "last_known_location": "Goris",
            "text": "I saw her",
            "author_name": "Neighbour",
        },
    )
    assert response.status_code == 200
    note = Note.objects.get(person=person)
    assert (note.status, note.last_known_location, note.author_name) == (
        "believed_alive",
        "Goris",
        "Neighbour",
    )


def test_information_can_say_the_sender_is_looking_too(client, shelter_list):
    person = living_person()
    client.post(
        f"/p/{person.public_id}/information/", {"status": "information_sought", "author_name": "Cousin"}
    )
    assert Note.objects.get(person=person).status == "information_sought"


def test_information_about_someone_not_listed_becomes_a_public_record(client):
    client.post(
        "/information/",
        {
            "full_name": "Hasmik Grigoryan",
            "status": "believed_dead",
            "text": "Shelling, 19 September",
            "author_name": "Lusine",
        },
    )
    record = Record.objects.get(full_name="Hasmik Grigoryan")
    assert record.source.name == "Public information" and record.status == "dead"
    assert record.dataset.format == "form"
    assert Note.objects.get(person=record.person).status == "believed_dead"


def test_information_with_nothing_to_say_is_refused(client, shelter_list):
    response = client.post(f"/p/{living_person().public_id}/information/", {"author_name": "Someone"})
    assert response.status_code == 400 and "Tell us what you know" in response.content.decode()
    assert not Note.objects.exists()


def test_information_without_a_name_is_refused_when_no_person_is_chosen(client):
    response = client.post("/information/", {"status": "believed_alive", "author_name": "Someone"})
    assert response.status_code == 400 and "Say whom the information is about" in response.content.decode()


def test_information_is_audited(client, shelter_list):
    client.post(
        f"/p/{living_person().public_id}/information/", {"text": "Seen in Goris", "author_name": "Anna"}
    )
    event = AuditEvent.objects.get(action="submit", object_type="note")
    assert event.object_id == str(Note.objects.get().pk)


def test_a_person_page_that_no_longer_exists_says_why_and_offers_a_search(client, db):
    # A family's saved link to a person whose records were later joined to another person.
    response = client.get("/p/no-such-person/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "records of the same person are joined" in page
    assert 'name="q"' in page and 'action="/"' in page


def test_a_server_error_page_needs_no_request_and_says_nothing_was_lost(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Nothing you submitted before has been lost" in response.content.decode()
