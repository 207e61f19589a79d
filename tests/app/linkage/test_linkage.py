"""Batch and incremental linkage, review decisions and their undo, tracing notifications, pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail

from rollcall.linkage.actions import (
    DecisionRefused,
    LinkageError,
    do_decide,
    do_link,
    do_merge,
    do_split,
    do_undo,
)
from rollcall.linkage.models import CandidatePair, Decision, ModelVersion, Notification
from rollcall.linkage.timeline import person_timeline
from rollcall.registry.actions import do_import_list
from rollcall.registry.models import Person, Record, TracingRequest
from rollcall_core.linkage.model import LinkageResult, ModelWeights

SHELTER = """record_id,full_name,age,sex,status,status_date
S1,Anna Sargsyan,30-34,female,alive,2023-09-22
S2,Armen Khachatryan,50,male,alive,2023-09-22
S3,Gohar Petrosyan,70,female,alive,2023-09-22
S4,Tigran Grigoryan,25,male,alive,2023-09-22
S5,Lilit Avetisyan,12,female,alive,2023-09-22
S6,Davit Hakobyan,41,male,alive,2023-09-22
S7,Narine Melkonyan,36,female,alive,2023-09-22
S8,Anna,60,female,alive,2023-09-22
"""
BORDER = """record_id,family_name,given_name,birth_date,sex,home_place,status,status_date
B1,SARGSYAN,ANNA,1991-03-04,female,STEPANAKERT,alive,2023-09-25
B2,KHACHATRYAN,ARMEN,1973-01-10,male,MARTUNI,alive,2023-09-25
B3,PETROSYAN,GOHAR,1953-06-07,female,ASKERAN,alive,2023-09-25
B4,GRIGORYAN,TIGRAN,1998-02-02,male,HADRUT,alive,2023-09-25
B5,AVETISYAN,LILIT,2011-05-05,female,SHUSHI,alive,2023-09-25
B6,HAKOBYAN,DAVIT,1982-08-08,male,MARTAKERT,alive,2023-09-25
B7,MELKONYAN,NARINE,1987-04-04,female,CHARTAR,alive,2023-09-25
B8,VARDANYAN,ARAM,1960-01-01,male,STEPANAKERT,alive,2023-09-25
"""
MISSING = """record_id,full_name,age,status,status_date
M1,Աննա Սարգսյան,32,missing,2023-09-21
M2,Արմեն Խաչատրյան,50,missing,2023-09-21
M3,Գոհար Պետրոսյան,70,dead,2023-09-20
M4,Տիգրան Գրիգորյան,25,missing,2023-09-21
"""


def _import(tmp_path: Path, name: str, text: str, source: str, kind: str = "other"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return do_import_list(path, source_name=source, kind=kind)


@pytest.fixture
def three_lists(db, tmp_path):
    _import(tmp_path, "shelter.csv", SHELTER, "Airport shelter", "shelter")
    _import(tmp_path, "border.csv", BORDER, "Kornidzor", "crossing")
    _import(tmp_path, "missing.csv", MISSING, "Red Cross tracing", "missing_reports")


def rec(source: str, record_id: str) -> Record:
    return Record.objects.get(source__name=source, record_id=record_id)


def same_person(a: Record, b: Record) -> bool:
    a.refresh_from_db()
    b.refresh_from_db()
    return a.person_id == b.person_id


def test_linking_puts_one_persons_records_from_three_lists_into_one_person(three_lists):
    do_link()
    assert same_person(rec("Airport shelter", "S1"), rec("Kornidzor", "B1"))
    assert same_person(rec("Kornidzor", "B1"), rec("Red Cross tracing", "M1"))


def test_linking_keeps_different_people_apart(three_lists):
    do_link()
    assert not same_person(rec("Airport shelter", "S1"), rec("Airport shelter", "S2"))
    assert not same_person(rec("Kornidzor", "B8"), rec("Kornidzor", "B2"))


def test_after_linking_each_person_sums_up_its_records_and_no_empty_person_is_left(three_lists):
    before = Person.objects.count()
    report = do_link()
    assert Person.objects.count() == report.persons < before
    assert not Person.objects.filter(records__isnull=True).exists()
    gohar = rec("Red Cross tracing", "M3").person
    # Reported dead on 20 September, registered alive at the shelter on 22 September and at the
    # border on 25 September: the latest dated status is the current best status.
    assert (gohar.status, gohar.status_date, gohar.birth_year) == ("alive", "2023-09-25", 1953)
    assert gohar.display_name == "Gohar Petrosyan"  # the longest name as written, the earliest record on a tie


def test_a_record_with_only_a_given_name_is_not_merged_into_a_namesake(three_lists):
    do_link()
    given_only = rec("Airport shelter", "S8")
    assert Record.objects.filter(person_id=given_only.person_id).count() == 1


def test_linking_twice_gives_the_same_persons(three_lists):
    do_link()
    first = dict(Record.objects.values_list("id", "person_id"))
    do_link()
    assert dict(Record.objects.values_list("id", "person_id")) == first


def test_the_trained_model_is_saved_with_its_m_and_u_weights(three_lists):
    report = do_link()
    version = ModelVersion.objects.get(pk=report.model_version)
    levels = {c["name"]: c["levels"] for c in version.weights["comparisons"]}
    assert {"given", "family", "birth", "sex", "place"} <= set(levels)
    assert any(level["u"] for level in levels["family"])


def _pair(a: Record, b: Record) -> CandidatePair:
    low, high = sorted((a, b), key=lambda r: r.pk)
    return CandidatePair.objects.get_or_create(record_a=low, record_b=high, defaults={"probability": 0.7})[0]


def test_not_the_same_is_never_remerged_by_a_later_run(three_lists, users):
    do_link()
    a, b = rec("Airport shelter", "S1"), rec("Kornidzor", "B1")
    do_decide(_pair(a, b), "not_same", user=users["caseworker"], reason="different mothers' names")
    assert not same_person(a, b)
    do_link()
    assert not same_person(a, b)


def test_a_later_import_does_not_chain_two_records_marked_not_the_same(three_lists, users, tmp_path):
    do_link()
    a, b = rec("Airport shelter", "S2"), rec("Kornidzor", "B2")
    do_decide(_pair(a, b), "not_same", user=users["caseworker"], reason="the son, not the father")
    _import(tmp_path, "hospital.csv", "record_id,full_name,birth_date,sex\nH1,Armen Khachatryan,1973-01-10,male\n",
            "Hospital")  # fmt: skip
    do_link()
    h1 = rec("Hospital", "H1")
    assert not same_person(a, b)
    assert not (same_person(h1, a) and same_person(h1, b))


def test_a_confirmed_merge_is_never_split_by_a_later_run(three_lists, users):
    do_link()
    a, b = rec("Kornidzor", "B8"), rec("Airport shelter", "S5")
    do_merge(a.person, b.person, user=users["caseworker"], reason="confirmed by phone")
    do_link()
    assert same_person(a, b)


def test_undoing_a_merge_puts_the_records_back_and_lifts_the_constraint(three_lists, users):
    do_link()
    a, b = rec("Kornidzor", "B8"), rec("Airport shelter", "S5")
    before = b.person_id
    decision = do_merge(a.person, b.person, user=users["caseworker"], reason="confirmed by phone")
    do_undo(decision, user=users["caseworker"], reason="wrong family")
    b.refresh_from_db()
    assert b.person_id == before and not same_person(a, b)
    do_link()
    assert not same_person(a, b)
    assert Decision.objects.get(pk=decision.pk).undone_by == users["caseworker"]


def test_a_split_moves_records_into_a_new_person_and_the_model_keeps_it_apart(three_lists, users):
    do_link()
    a, b = rec("Airport shelter", "S1"), rec("Kornidzor", "B1")
    person = Person.objects.get(pk=a.person_id)
    do_split(person, [b.pk], user=users["caseworker"], reason="two women of that name")
    assert not same_person(a, b)
    do_link()
    assert not same_person(a, b)


def test_a_decision_without_a_reason_is_refused(three_lists, users):
    do_link()
    pair = _pair(rec("Airport shelter", "S1"), rec("Kornidzor", "B2"))
    with pytest.raises(DecisionRefused):
        do_decide(pair, "not_same", user=users["caseworker"], reason="  ")


def test_a_new_record_joins_the_person_it_matches_on_arrival(three_lists, tmp_path):
    do_link()
    # The import itself links a small list on arrival, with the model the batch run saved.
    _import(tmp_path, "late.csv", "record_id,family_name,given_name,birth_date,sex\nL1,GRIGORYAN,TIGRAN,1998-02-02,male\n",
            "Late list")  # fmt: skip
    assert same_person(rec("Late list", "L1"), rec("Kornidzor", "B4"))


def test_a_record_linking_to_a_traced_person_notifies_the_caseworker(
    three_lists, users, django_capture_on_commit_callbacks
):
    users["caseworker"].email = "desk@example.org"
    users["caseworker"].save()
    m4 = rec("Red Cross tracing", "M4")
    TracingRequest.objects.create(
        record=m4, seeker_name="Mother", seeker_contact="+374 1", assigned_to=users["caseworker"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_link()
    notice = Notification.objects.get(user=users["caseworker"])
    assert notice.person_id == rec("Red Cross tracing", "M4").person_id
    assert mail.outbox and "desk@example.org" in mail.outbox[0].to


def test_the_timeline_flags_a_person_reported_dead_and_later_alive(three_lists):
    do_link()
    person = rec("Red Cross tracing", "M3").person
    timeline = person_timeline(person)
    assert [e.status for e in timeline["entries"]][0] == "dead"
    assert timeline["conflicts"]
    assert timeline["best_status"] == "alive"


def test_the_review_page_shows_each_fields_contribution(three_lists, login):
    do_link()
    pair = _pair(rec("Airport shelter", "S1"), rec("Kornidzor", "B2"))
    page = login("caseworker").get(f"/linkage/review/{pair.pk}/")
    assert page.status_code == 200
    assert b"family" in page.content and b"Weight" in page.content


def test_the_review_queue_is_for_caseworkers_only(three_lists, login):
    assert login("analyst").get("/linkage/review/").status_code == 403


def test_the_model_page_shows_the_m_and_u_of_each_level(three_lists, login):
    do_link()
    page = login("caseworker").get("/linkage/model/")
    assert page.status_code == 200 and b"same full date" in page.content


def test_deciding_through_the_review_page_records_the_author_and_reason(three_lists, login, users):
    do_link()
    pair = _pair(rec("Airport shelter", "S1"), rec("Kornidzor", "B2"))
    login("caseworker").post(
        f"/linkage/review/{pair.pk}/", {"verdict": "not_same", "reason": "different ages"}
    )
    decision = Decision.objects.get(pair=pair)
    assert (decision.author, decision.reason, decision.verdict) == (
        users["caseworker"],
        "different ages",
        "not_same",
    )


def test_the_api_records_a_decision_and_undoes_it(three_lists, login):
    do_link()
    pair = _pair(rec("Airport shelter", "S1"), rec("Kornidzor", "B2"))
    client = login("caseworker")
    made = client.post(f"/api/linkage/pairs/{pair.pk}/decision", {"verdict": "not_same", "reason": "ages"},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 200 and made.json()["verdict"] == "not_same"
    undone = client.post(f"/api/linkage/decisions/{made.json()['id']}/undo", {"reason": "mistake"},
                         content_type="application/json")  # fmt: skip
    assert undone.status_code == 200 and undone.json()["undone_at"]


def test_a_later_list_that_says_unknown_does_not_undo_a_known_status(three_lists, tmp_path):
    _import(tmp_path, "later.csv",
            "record_id,family_name,given_name,birth_date,sex,home_place,status,status_date\n"
            "U1,PETROSYAN,GOHAR,1953-06-07,female,ASKERAN,unknown,2023-09-30\n", "Later census")  # fmt: skip
    do_link()
    later = rec("Later census", "U1")
    assert same_person(later, rec("Kornidzor", "B3"))
    person = Person.objects.get(pk=later.person_id)
    # One rule for the summary the staff home and the estimates count, and for the person page.
    assert person.status == "alive"
    assert person_timeline(person)["best_status"] == person.status


def test_a_notice_survives_when_its_person_is_merged_away(three_lists, users, django_capture_on_commit_callbacks):
    m4 = rec("Red Cross tracing", "M4")
    TracingRequest.objects.create(
        record=m4, seeker_name="Mother", seeker_contact="+374 1", assigned_to=users["caseworker"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_link()
    notice = Notification.objects.get(user=users["caseworker"])
    merged_away = notice.person
    into = rec("Kornidzor", "B8").person
    do_merge(into, merged_away, user=users["caseworker"], reason="test: same man, two spellings")
    assert not Person.objects.filter(pk=merged_away.pk).exists()
    notice.refresh_from_db()
    assert notice.person is None
    assert notice.record.person_id == into.pk


def test_a_merged_away_persons_saved_links_lead_to_the_person_its_records_joined(three_lists, users, login, client):
    do_link()
    a, b = rec("Kornidzor", "B8"), rec("Airport shelter", "S5")
    into, gone = a.person, b.person
    old_id = gone.public_id
    do_merge(into, gone, user=users["caseworker"], reason="confirmed by phone")
    assert not Person.objects.filter(public_id=old_id).exists()
    public = client.get(f"/p/{old_id}/")
    assert public.status_code == 302 and public["Location"] == f"/p/{into.public_id}/"
    staff = login("caseworker").get(f"/staff/persons/{old_id}/")
    assert staff.status_code == 302 and staff["Location"] == f"/staff/persons/{into.public_id}/"
    api = login("caseworker").get(f"/api/persons/{old_id}")
    assert api.status_code == 200 and api.json()["person_id"] == into.public_id
    assert client.get("/p/NOSUCHPERSON/").status_code == 404


def test_a_link_followed_through_two_merges_reaches_the_last_person(three_lists, users, client):
    do_link()
    first = rec("Airport shelter", "S5").person
    second = rec("Kornidzor", "B8").person
    third = rec("Airport shelter", "S6").person
    old_id = first.public_id
    do_merge(second, first, user=users["caseworker"], reason="same girl")
    do_merge(third, second, user=users["caseworker"], reason="same family record, test")
    page = client.get(f"/p/{old_id}/")
    assert page.status_code == 302 and page["Location"] == f"/p/{third.public_id}/"


def test_undoing_a_merge_gives_the_person_back_its_old_id(three_lists, users, client):
    do_link()
    a, b = rec("Kornidzor", "B8"), rec("Airport shelter", "S5")
    old_id = b.person.public_id
    decision = do_merge(a.person, b.person, user=users["caseworker"], reason="confirmed by phone")
    do_undo(decision, user=users["caseworker"], reason="wrong family")
    b.refresh_from_db()
    assert b.person.public_id == old_id
    assert client.get(f"/p/{old_id}/").status_code == 200


def test_a_merge_keeps_every_record_of_both_persons_together_in_later_runs(three_lists, users):
    do_link()
    anna = rec("Airport shelter", "S1")
    siblings = [r for r in Record.objects.filter(person_id=anna.person_id) if r.pk != anna.pk]
    assert siblings, "the fixture links Anna Sargsyan across lists"
    aram = rec("Kornidzor", "B8")
    do_merge(aram.person, anna.person, user=users["caseworker"], reason="test: same person, seen by phone")
    do_link()
    for record in [anna, *siblings]:
        assert same_person(record, aram)


def test_erasing_by_a_merged_away_id_names_the_person_instead_of_erasing_it(three_lists, users):
    import argparse

    from rollcall.cli import CommandError, cmd_erase

    do_link()
    a, b = rec("Kornidzor", "B8"), rec("Airport shelter", "S5")
    old_id = b.person.public_id
    do_merge(a.person, b.person, user=users["caseworker"], reason="confirmed by phone")
    with pytest.raises(CommandError, match=a.person.public_id):
        cmd_erase(argparse.Namespace(person_id=old_id, reason="test", as_user=users["admin"].username))


def test_a_person_a_linkage_run_folded_into_another_keeps_its_link(three_lists, client):
    before = {r.pk: r.person.public_id for r in Record.objects.select_related("person")}
    do_link()
    anna = rec("Airport shelter", "S1")
    joined = Record.objects.filter(person_id=anna.person_id)
    retired = [before[r.pk] for r in joined if before[r.pk] != anna.person.public_id]
    assert retired, "the run put records of several former persons into Anna's"
    for old_id in retired:
        page = client.get(f"/p/{old_id}/")
        assert page.status_code == 302 and page["Location"] == f"/p/{anna.person.public_id}/"


def _within_list_prior(prior_within: float) -> None:
    """Give the saved model an extreme within-list prior, to see which prior a single-pair score uses."""
    from rollcall.linkage.actions import _weights_of

    version = ModelVersion.objects.exclude(weights={}).latest("created_at", "id")
    version.weights = {**version.weights, "prior_within": prior_within}
    version.save(update_fields=["weights"])
    _weights_of.cache_clear()


TWICE = "record_id,family_name,given_name,birth_date,sex\nL1,OHANYAN,ZAVEN,1970-01-01,male\nL2,OHANYAN,ZAVEN,1970-01-01,male\n"


def test_incremental_linking_scores_two_records_of_one_list_with_the_within_list_prior(three_lists, tmp_path):
    do_link()
    _within_list_prior(1e-12)  # two records of one list: practically never one person
    _import(tmp_path, "late.csv", TWICE, "Late list")
    assert not same_person(rec("Late list", "L1"), rec("Late list", "L2"))
    assert not CandidatePair.objects.filter(record_a=rec("Late list", "L1"), record_b=rec("Late list", "L2")).exists()


def test_incremental_linking_joins_the_same_two_records_of_one_list_under_a_plausible_within_list_prior(
    three_lists, tmp_path
):
    do_link()
    _within_list_prior(1e-3)
    _import(tmp_path, "late.csv", TWICE, "Late list")
    assert same_person(rec("Late list", "L1"), rec("Late list", "L2"))


def test_incremental_linking_scores_records_of_two_lists_with_the_prior_across_lists(three_lists, tmp_path):
    do_link()
    _within_list_prior(1e-12)
    _import(tmp_path, "late.csv", "record_id,family_name,given_name,birth_date,sex\nL1,GRIGORYAN,TIGRAN,1998-02-02,male\n",
            "Late list")  # fmt: skip
    assert same_person(rec("Late list", "L1"), rec("Kornidzor", "B4"))


def test_the_review_page_shows_and_uses_the_within_list_prior_for_two_records_of_one_list(three_lists, login):
    import math

    from rollcall.linkage.views import explain_pair

    do_link()
    _within_list_prior(1e-6)
    a, b = rec("Kornidzor", "B1"), rec("Kornidzor", "B8")
    explained = explain_pair(a, b)
    assert explained["prior_weight"] == pytest.approx(math.log2(1e-6 / (1 - 1e-6)))
    bits = sum(c.weight for c in explained["score"].contributions)
    assert explained["score"].match_weight == pytest.approx(explained["prior_weight"] + bits)
    page = login("caseworker").get(f"/linkage/review/{_pair(a, b).pk}/")
    assert b"two records of one list" in page.content and b"-19.93" in page.content


def test_the_review_page_uses_the_prior_across_lists_for_records_of_two_lists(three_lists, login):
    from rollcall.linkage.views import explain_pair

    do_link()
    _within_list_prior(1e-6)
    explained = explain_pair(rec("Airport shelter", "S1"), rec("Kornidzor", "B1"))
    weights = ModelWeights.from_dict(ModelVersion.objects.exclude(weights={}).latest("created_at", "id").weights)
    assert explained["prior_weight"] == pytest.approx(weights.prior_weight)
    assert not explained["same_list"]


def test_the_cohesion_setting_reaches_the_batch_clustering(three_lists, settings):
    do_link()
    assert same_person(rec("Airport shelter", "S2"), rec("Kornidzor", "B2"))
    settings.LINKAGE_COHESION = 1.0  # a mean probability of 1 between two clusters: nothing joins
    do_link()
    assert not same_person(rec("Airport shelter", "S2"), rec("Kornidzor", "B2"))


def test_the_block_window_setting_must_allow_at_least_one_neighbour(three_lists, settings):
    settings.LINKAGE_BLOCK_WINDOW = 0
    with pytest.raises(LinkageError, match="LINKAGE_BLOCK_WINDOW is 0"):
        do_link()
    settings.LINKAGE_BLOCK_WINDOW = 1
    do_link()
    assert same_person(rec("Airport shelter", "S2"), rec("Kornidzor", "B2"))



def test_the_batch_run_learns_from_neighbouring_rows_and_the_model_page_shows_it_by_list(three_lists, login):
    # The shelter and the border list here are written in the same order of people (S1 is B1, S2 is
    # B2, ...), so a pair's neighbouring rows match too: the model learns that this is evidence.
    do_link()
    learned = ModelVersion.objects.exclude(weights={}).latest("created_at", "id").weights["neighbours"]
    shelter, border = (Record.objects.filter(source__name=n).first().dataset_id for n in ("Airport shelter", "Kornidzor"))
    entry = next(e for e in learned["by_lists"] if set(e["lists"]) == {str(shelter), str(border)})
    # The nearest band (a neighbouring pair within 3 rows) is what these lists have; the wider bands and
    # "none" are levels of their own.
    assert entry["m"][0] > entry["u"][0] and entry["weights"][0] > 0 > entry["weights"][-1]
    assert learned["window"] == 30 and learned["bands"] == [3, 12, 30] and len(learned["levels"]) == 4
    page = login("caseworker").get("/linkage/model/").content.decode()
    assert "a neighbouring pair matches within 12 rows (not 3)" in page
    assert "Neighbouring rows" in page and "Airport shelter: shelter.csv / Kornidzor: border.csv" in page.replace(
        "Kornidzor: border.csv / Airport shelter: shelter.csv", "Airport shelter: shelter.csv / Kornidzor: border.csv"
    )


def test_a_model_saved_before_the_bands_still_shows_its_one_window(three_lists, login):
    do_link()
    version = ModelVersion.objects.exclude(weights={}).latest("created_at", "id")
    shelter, border = (Record.objects.filter(source__name=n).first().dataset_id for n in ("Airport shelter", "Kornidzor"))
    version.weights["neighbours"] = {  # as trained models stored it until 2026-12-04
        "window": 3, "pairs": 12, "supported": 5, "m": 0.6, "u": 0.02, "if_so": 4.91, "if_not": -1.29,
        "by_lists": [{"lists": [str(shelter), str(border)], "m": 0.6, "u": 0.02, "pairs": 12, "if_so": 4.91,
                      "if_not": -1.29}],
    }  # fmt: skip
    version.save()
    page = login("caseworker").get("/linkage/model/").content.decode()
    assert "a neighbouring pair matches within 3 rows" in page and "no neighbouring pair matches within 3 rows" in page
    assert "4.91" in page and "-1.29" in page


def test_neighbouring_rows_can_be_turned_off_and_a_negative_window_is_refused(three_lists, settings, login):
    settings.LINKAGE_NEIGHBOUR_ROWS = 0
    do_link()
    assert ModelVersion.objects.exclude(weights={}).latest("created_at", "id").weights["neighbours"] is None
    assert "Neighbouring rows" not in login("caseworker").get("/linkage/model/").content.decode()
    assert same_person(rec("Airport shelter", "S2"), rec("Kornidzor", "B2"))
    settings.LINKAGE_NEIGHBOUR_ROWS = -1
    with pytest.raises(LinkageError, match="LINKAGE_NEIGHBOUR_ROWS is -1"):
        do_link()


def test_the_review_page_shows_the_rows_near_each_record_that_are_one_person(three_lists, login):
    do_link()
    page = login("caseworker").get(f"/linkage/review/{_pair(rec('Airport shelter', 'S2'), rec('Kornidzor', 'B2')).pk}/")
    text = page.content.decode()
    assert "Rows near each record" in text
    # S1 (Anna Sargsyan, row above S2) and B1 (her border record, row above B2) are one person.
    assert "S1 · Anna Sargsyan" in text and "B1 · ANNA SARGSYAN" in text


def test_removing_a_person_that_still_has_records_is_refused_by_the_database_and_loses_nothing(three_lists):
    from django.db import IntegrityError, connection, transaction

    from rollcall.linkage.actions import _delete_persons

    record = rec("Airport shelter", "S1")
    person_id = record.person_id
    # The fast removal trusts its caller to have checked for records; if it was wrong, the
    # database's own foreign key check refuses, and the transaction is rolled back.
    with pytest.raises(IntegrityError), transaction.atomic():
        _delete_persons([person_id])
        connection.check_constraints()
    assert Person.objects.filter(pk=person_id).exists()
    assert Record.objects.get(pk=record.pk).person_id == person_id


def test_the_table_read_in_small_batches_is_the_table_read_at_once(three_lists, tmp_path):
    # Reading a million records goes batch by batch: a batch boundary must not shift or lose a row.
    import gc

    from rollcall.linkage.actions import _read_table, place_resolver
    from rollcall_core.linkage.features import prepare_record

    _import(tmp_path, "nameless.csv", "record_id,full_name,age\nN1,-,40\nN2,Aram Vardanyan,63\n", "Hospital")
    whole, batched = _read_table(place_resolver()), _read_table(place_resolver(), batch=3)
    assert gc.isenabled()  # pausing the cycle collector is do_link's business, not the reader's
    assert (whole.ids, whole.persons, whole.sources, whole.rows) == (batched.ids, batched.persons,
                                                                     batched.sources, batched.rows)  # fmt: skip
    assert whole.features == batched.features
    assert len(whole.ids) == Record.objects.count() == whole.linkable + 1  # the record without a name
    last = Record.objects.filter(pk=whole.features["unique_id"][-1]).values().get()
    alone = prepare_record(last["id"], last, place_resolver())
    assert {c: batched.features[c][-1] for c in whole.features} == alone


def test_the_feature_frame_has_the_values_and_types_pandas_would_infer_and_text_even_when_all_empty(three_lists):
    import pandas as pd

    from rollcall.linkage.actions import _frame_of_columns, _read_table, place_resolver
    from rollcall_core.linkage.features import FEATURE_COLUMNS, INTEGER_FEATURES

    features = _read_table(place_resolver()).features
    frame = _frame_of_columns(features)
    inferred = pd.DataFrame({c: features[c] for c in FEATURE_COLUMNS})
    for column in INTEGER_FEATURES:
        inferred[column] = inferred[column].astype("Int64")
    filled = [c for c in FEATURE_COLUMNS if any(v is not None for v in features[c])]
    assert "patronymic" not in filled and "birth_year" in filled and "status_on" in filled
    pd.testing.assert_frame_equal(frame[filled], inferred[filled])
    assert str(frame["patronymic"].dtype) == "str" and frame["patronymic"].isna().all()


def test_a_kept_pair_below_the_review_range_counts_in_cohesion_but_is_never_queued(three_lists, monkeypatch):
    import pandas as pd

    from rollcall.linkage import actions

    real = actions.train_and_predict
    s1, b1, m1 = rec("Airport shelter", "S1"), rec("Kornidzor", "B1"), rec("Red Cross tracing", "M1")
    s2, b3, s3, b4 = rec("Airport shelter", "S2"), rec("Kornidzor", "B3"), rec("Airport shelter", "S3"), rec("Kornidzor", "B4")
    # B1 and M1 join first (0.9); S1 then joins them only if its 0.08 with M1 counts beside its 0.75 with
    # B1: (0.75 + 0.08) / 2 reaches the cohesion of 0.4, 0.75 / 2 does not.
    chosen = [(b1.pk, m1.pk, 0.9), (s1.pk, b1.pk, 0.75), (s1.pk, m1.pk, 0.08), (s2.pk, b3.pk, 0.2), (s3.pk, b4.pk, 0.1)]

    def fixed_pairs(*args, **kwargs):
        result = real(*args, **kwargs)
        frame = pd.DataFrame(chosen, columns=["unique_id_l", "unique_id_r", "match_probability"])
        frame["match_weight"] = 0.0
        return LinkageResult(pairs=frame, model=result.model, engine=result.engine)

    monkeypatch.setattr(actions, "train_and_predict", fixed_pairs)
    do_link()
    assert same_person(s1, b1) and same_person(b1, m1)
    queued = {(c.record_a_id, c.record_b_id) for c in CandidatePair.objects.all()}
    assert queued == {(min(s2.pk, b3.pk), max(s2.pk, b3.pk))}  # 0.2 is in the review range, 0.1 is not
