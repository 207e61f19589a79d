"""The one staff person page: every list's record on a timeline, status, conflicts, notes, tracing
requests, reviewers' decisions, and merge, split and undo for caseworkers."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rollcall.linkage.actions import do_merge
from rollcall.linkage.models import Decision
from rollcall.registry.actions import do_submit_information, do_submit_tracing_request
from rollcall.registry.models import AuditEvent, Person, Record

pytestmark = pytest.mark.django_db

MISSING = "record_id,full_name,age,status,status_date,reporter_name\nM1,Աննա Սարգսյան,32,missing,2023-09-21,Armen Sargsyan\n"
SHELTER = "record_id,full_name,age,status,status_date,current_place\nS1,Anna Sargsyan,32,alive,2023-09-22,Airport shelter hangar 2\n"
BORDER = "record_id,family_name,given_name,status,status_date,event_place\nB1,SARGSYAN,ANNA,alive,2023-09-25,Kornidzor\n"


def rec(record_id: str) -> Record:
    return Record.objects.select_related("person").get(record_id=record_id)


def merged(*record_ids: str, user) -> Person:
    """One person holding these records, as a caseworker's merges make it."""
    into = rec(record_ids[0]).person
    for record_id in record_ids[1:]:
        do_merge(into, rec(record_id).person, user=user, reason="same woman, checked by phone")
    into.refresh_from_db()
    return into


@pytest.fixture
def anna(import_csv, users) -> Person:
    """Reported missing by her brother on 21 September, at the airport shelter on the 22nd, crossed on the 25th."""
    import_csv(BORDER, source="Kornidzor border post", kind="crossing", name="border.csv")
    import_csv(SHELTER, source="Airport shelter", kind="shelter", name="shelter.csv")
    import_csv(MISSING, source="Red Cross tracing", kind="missing_reports", name="missing.csv")
    return merged("M1", "S1", "B1", user=users["caseworker"])


def page_text(client: Client, person: Person) -> str:
    response = client.get(f"/staff/persons/{person.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def visible(html: str) -> str:
    """The page's words without tags, spaces collapsed: what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, heading_id: str) -> str:
    """What a reader sees in one section of the page, found by its heading's id."""
    return visible(html.split(f'id="{heading_id}"')[1].split("</section>")[0])


def test_the_timeline_tells_every_lists_record_in_date_order(login, anna):
    text = visible(page_text(login("caseworker"), anna))
    missing = text.index("21 September 2023 : reported missing by Armen Sargsyan")
    shelter = text.index("22 September 2023 : registered at a shelter — Airport shelter hangar 2")
    border = text.index("25 September 2023 : crossed the border — Kornidzor")
    assert missing < shelter < border
    assert "Red Cross tracing (missing reports)" in text and "Kornidzor border post (crossing)" in text


def test_the_page_shows_the_latest_dated_status_as_the_current_best(login, anna):
    html = page_text(login("caseworker"), anna)
    assert '<strong class="status status-alive" id="best-status">alive</strong>' in html
    assert 'id="conflicts"' not in html


def test_a_person_reported_dead_and_later_seen_alive_is_flagged(login, import_csv, users, anna):
    import_csv(
        "record_id,full_name,status,status_date\nC1,Anna Sargsyan,dead,2023-09-20\n",
        source="Casualty list", kind="casualties", name="casualties.csv",
    )  # fmt: skip
    person = merged(anna.records.first().record_id, "C1", user=users["caseworker"])
    html = page_text(login("caseworker"), person)
    conflicts = html.split('id="conflicts"')[1].split("</div>")[0]
    assert "reported dead by Casualty list on 20 September 2023, alive on a later list" in conflicts
    assert conflicts.count("reported dead by") == 1  # two later lists saw her alive: said once
    assert html.count('<li class="conflict">') == 2
    assert 'id="best-status">alive<' in html
    assert visible(html).index("20 September 2023 : listed among the dead") < visible(html).index(
        "21 September"
    )


def test_the_page_shows_notes_and_tracing_requests_with_the_seekers_contact(login, users, anna):
    request = do_submit_tracing_request(
        full_name="Anna Sargsyan", seeker_name="Armen Sargsyan", seeker_contact="+374 91 555111",
        relationship="brother",
    )  # fmt: skip
    person = merged("M1", request.record_id, user=users["caseworker"])
    do_submit_information(
        person=person, full_name="", status="believed_alive", last_known_location="Goris school 3",
        text="Seen boarding a bus", author_name="Lusine", author_contact="",
    )  # fmt: skip
    html = page_text(login("caseworker"), person)
    tracing = section(html, "tracing-heading")
    assert "open" in tracing and "Armen Sargsyan (brother) · +374 91 555111" in tracing
    notes = section(html, "notes-heading")
    assert "Seen boarding a bus" in notes and "Goris school 3" in notes and "Lusine" in notes


def test_viewing_the_page_is_audited_once_with_the_person(login, users, anna):
    before = AuditEvent.objects.count()
    login("caseworker").get(f"/staff/persons/{anna.public_id}/")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type, event.object_id, event.user) == (
        "view", "person", anna.public_id, users["caseworker"],
    )  # fmt: skip


def test_the_page_takes_the_same_number_of_queries_for_many_records(login, import_csv, users, anna,
                                                                      django_assert_max_num_queries):  # fmt: skip
    client = login("caseworker")
    with django_assert_max_num_queries(40) as few:
        page_text(client, anna)
    rows = "".join(f"X{i},Anna Sargsyan,alive,2023-09-{10 + i},Goris\n" for i in range(12))
    import_csv("record_id,full_name,status,status_date,current_place\n" + rows, source="Goris", kind="shelter",
               name="goris.csv")  # fmt: skip
    person = merged("M1", *[f"X{i}" for i in range(12)], user=users["caseworker"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page_text(client, person)


# ------------------------------------------------------------------ one page, one address


def test_the_old_linkage_address_redirects_permanently_to_the_person_page(login, anna):
    response = login("caseworker").get(f"/linkage/persons/{anna.pk}/")
    assert response.status_code == 301 and response["Location"] == f"/staff/persons/{anna.public_id}/"


def test_the_old_address_does_not_reveal_public_ids_to_anyone_but_caseworkers(client, login, anna):
    anonymous = client.get(f"/linkage/persons/{anna.pk}/")
    assert anonymous.status_code == 302 and anna.public_id not in anonymous["Location"]
    assert login("analyst").get(f"/linkage/persons/{anna.pk}/").status_code == 403


def test_the_review_queue_links_each_record_to_its_person_page(login, anna, import_csv):
    from rollcall.linkage.models import CandidatePair

    import_csv("record_id,full_name\nG1,Ani Sargsyan\n", source="Goris", name="goris.csv")
    other = rec("G1")
    CandidatePair.objects.create(record_a=rec("S1"), record_b=other, probability=0.4)
    body = login("caseworker").get("/linkage/review/").content.decode()
    assert f'href="/staff/persons/{anna.public_id}/"' in body
    assert f'href="/staff/persons/{other.person.public_id}/"' in body


def test_an_analyst_can_neither_see_the_page_nor_merge_or_split(login, anna, import_csv):
    import_csv("record_id,full_name\nG1,Ani Sargsyan\n", source="Goris", name="goris.csv")
    client = login("analyst")
    assert client.get(f"/staff/persons/{anna.public_id}/").status_code == 403
    other = rec("G1").person
    assert (
        client.post(
            f"/linkage/persons/{anna.pk}/merge/", {"other": other.public_id, "reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/linkage/persons/{anna.pk}/split/", {"records": [rec("B1").pk], "reason": "x"}
        ).status_code
        == 403
    )
    assert rec("G1").person_id == other.pk and rec("B1").person_id == anna.pk


# ------------------------------------------------------------------ merge, split, undo from the page


def test_a_caseworker_merges_from_the_page_and_lands_back_on_it(login, users, anna, import_csv):
    import_csv("record_id,full_name,status,status_date\nH1,Anna Sargsyan,injured,2023-09-26\n",
               source="Goris hospital", kind="hospital", name="hospital.csv")  # fmt: skip
    other = rec("H1").person
    client = login("caseworker")
    html = page_text(client, anna)
    assert f'action="/linkage/persons/{anna.pk}/merge/"' in html
    response = client.post(
        f"/linkage/persons/{anna.pk}/merge/", {"other": other.public_id, "reason": "same mother"}
    )
    assert response.status_code == 302 and response["Location"] == f"/staff/persons/{anna.public_id}/"
    assert rec("H1").person_id == anna.pk and not Person.objects.filter(pk=other.pk).exists()
    text = visible(client.get(response["Location"]).content.decode())
    assert f"Anna Sargsyan ({other.public_id}) merged into this person." in text
    assert "26 September 2023 : admitted to hospital, injured" in text and "same mother" in text


def test_a_merge_with_an_unknown_id_says_so(login, anna):
    client = login("caseworker")
    response = client.post(
        f"/linkage/persons/{anna.pk}/merge/", {"other": "no-such-id", "reason": "x"}, follow=True
    )
    assert "No person with the id no-such-id." in response.content.decode()


def test_a_caseworker_splits_a_record_off_and_the_page_names_the_new_person(login, users, anna):
    client = login("caseworker")
    border = rec("B1")
    response = client.post(
        f"/linkage/persons/{anna.pk}/split/", {"records": [border.pk], "reason": "another Anna, born 1950"},
        follow=True,
    )  # fmt: skip
    border = rec("B1")
    assert border.person_id != anna.pk
    text = visible(response.content.decode())
    assert f"Records split into a new person: ANNA SARGSYAN ({border.person.public_id})." in text
    assert "crossed the border" not in section(response.content.decode(), "timeline-heading")
    decision = Decision.objects.get(verdict="split")
    assert decision.author == users["caseworker"] and decision.reason == "another Anna, born 1950"


def test_a_split_without_a_reason_is_refused_with_the_reason(login, anna):
    response = login("caseworker").post(
        f"/linkage/persons/{anna.pk}/split/", {"records": [rec("B1").pk], "reason": " "}, follow=True
    )
    assert "Not split: a reason is required for every decision" in response.content.decode()
    assert rec("B1").person_id == anna.pk


def test_undoing_a_merge_from_the_page_puts_the_records_back_and_returns_to_the_page(login, anna):
    client = login("caseworker")
    html = page_text(client, anna)
    merge = Decision.objects.filter(verdict="merge").order_by("id").last()
    assert f'action="/linkage/decisions/{merge.pk}/undo/"' in html
    response = client.post(
        f"/linkage/decisions/{merge.pk}/undo/", {"reason": "wrong Anna", "person": anna.public_id}
    )
    assert response.status_code == 302 and response["Location"] == f"/staff/persons/{anna.public_id}/"
    assert rec(merge.record_b.record_id).person_id != anna.pk
    text = visible(client.get(response["Location"]).content.decode())
    assert "undone by caseworker" in text and "wrong Anna" in text


def test_undoing_a_split_from_the_new_persons_page_goes_to_the_decisions(login, users, anna):
    client = login("caseworker")
    client.post(f"/linkage/persons/{anna.pk}/split/", {"records": [rec("B1").pk], "reason": "another Anna"})
    split_off = rec("B1").person
    split = Decision.objects.get(verdict="split")
    response = client.post(f"/linkage/decisions/{split.pk}/undo/", {"reason": "same after all",
                                                                     "person": split_off.public_id})  # fmt: skip
    # The new person was emptied by the undo: there is no page to go back to.
    assert response["Location"] == "/linkage/decisions/"
    assert rec("B1").person_id == anna.pk and not Person.objects.filter(pk=split_off.pk).exists()


def test_names_with_html_stay_text_in_the_timeline_decisions_and_messages(login, users, import_csv, anna):
    import_csv("record_id,full_name\nZ1,<img src=x onerror=alert(1)>\n", source="Goris", name="goris.csv")
    person = merged("M1", "Z1", user=users["caseworker"])
    client = login("caseworker")
    response = client.post(f"/linkage/persons/{person.pk}/split/", {"records": [rec("Z1").pk], "reason": "x"},
                           follow=True)  # fmt: skip
    html = response.content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in page_text(client, person)


def test_the_decisions_page_names_each_decisions_records_with_links_to_their_persons(login, anna):
    body = login("caseworker").get("/linkage/decisions/").content.decode()
    assert f'<a href="/staff/persons/{anna.public_id}/">Աննա Սարգսյան</a>' in body


def test_decisions_are_dated_in_yerevan_time_on_both_pages(login, anna):
    import datetime as dt

    Decision.objects.update(at=dt.datetime(2023, 9, 25, 10, 0, tzinfo=dt.UTC))
    client = login("caseworker")
    assert "<td>2023-09-25 14:00</td>" in client.get("/linkage/decisions/").content.decode()
    assert "2023-09-25 14:00" in section(page_text(client, anna), "decisions-heading")


def test_a_notice_links_to_the_person_its_record_belongs_to_now(login, users, anna):
    from rollcall.linkage.models import Notification

    sought = do_submit_tracing_request(
        full_name="Anna Sargsyan", seeker_name="Armen", seeker_contact="+374 91 1"
    )
    Notification.objects.create(
        user=users["caseworker"],
        person=anna,
        record=rec("B1"),
        tracing_request=sought.tracing_request,
        text="news",
    )
    client = login("caseworker")
    client.post(f"/linkage/persons/{anna.pk}/split/", {"records": [rec("B1").pk], "reason": "another Anna"})
    body = client.get("/linkage/notifications/").content.decode()
    assert f'href="/staff/persons/{rec("B1").person.public_id}/"' in body
    assert f'href="/staff/persons/{anna.public_id}/"' not in body.split('class="unread"')[1]
