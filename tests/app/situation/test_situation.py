"""The situation picture in the app: claims, events, places, sites, report, widget, exports, API."""

from __future__ import annotations

import io
from argparse import Namespace
from datetime import UTC, date, datetime, timedelta

import hxl
import pytest

from rollcall.registry.models import AuditEvent, Place, PlaceName
from rollcall.situation import actions
from rollcall.situation.models import Claim, Event, ShelterSite
from rollcall_core.situation import InvalidInput

T0 = datetime(2023, 9, 20, 16, 0, tzinfo=UTC)
ACLED_HEADER = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,location,latitude,longitude,source,notes,fatalities\n"


@pytest.fixture
def demo(db):
    actions.load_situation_demo()


def claim(**kw: object) -> Claim:
    base: dict[str, object] = {
        "metric": "killed",
        "source": "Ministry",
        "as_of": T0,
        "reported_at": T0,
        "best": 10,
    }
    base.update(kw)
    return actions.do_add_claim(**base)  # type: ignore[arg-type]


def test_the_demo_enters_the_field_report_citing_civilnet(demo) -> None:
    killed = Claim.objects.get(metric="killed")
    assert (killed.low, killed.more_than, killed.source.name, killed.cited_by) == (
        200,
        True,
        "Nagorno-Karabakh authorities",
        "CivilNet",
    )
    assert Event.objects.filter(place__key="yevlakh").exists()
    assert all(c.citation_url.startswith("https://www.civilnet.am/") for c in Claim.objects.all())


def test_loading_the_demo_twice_adds_nothing(demo) -> None:
    before = (Claim.objects.count(), Event.objects.count(), ShelterSite.objects.count())
    assert actions.load_situation_demo() == 0
    assert (Claim.objects.count(), Event.objects.count(), ShelterSite.objects.count()) == before


def test_a_claim_with_low_above_high_is_refused_and_nothing_is_stored(db) -> None:
    with pytest.raises(InvalidInput):
        claim(low=500, best=None, high=100)
    assert Claim.objects.count() == 0


def test_a_claim_as_of_after_its_report_is_refused(db) -> None:
    with pytest.raises(InvalidInput, match="as-of"):
        claim(as_of=T0 + timedelta(hours=2))


def test_a_javascript_citation_is_refused(db) -> None:
    with pytest.raises(InvalidInput, match="http"):
        claim(citation_url="javascript:alert(document.cookie)")


def test_a_revision_cycle_is_refused(db) -> None:
    first = claim()
    second = claim(best=20, revises=first)
    with pytest.raises(InvalidInput, match="cycle"):
        actions.do_set_claim_revises(first, second)
    first.refresh_from_db()
    assert first.revises_id is None


def test_every_claim_write_is_audited(db) -> None:
    made = claim()
    assert AuditEvent.objects.filter(action="create", object_type="claim", object_id=str(made.pk)).exists()


def test_a_place_name_shared_by_two_places_asks_instead_of_guessing(db) -> None:
    one = Place.objects.create(key="shen-a", name_en="Shen (Askeran)")
    two = Place.objects.create(key="shen-b", name_en="Shen (Martuni)")
    for place in (one, two):
        PlaceName.objects.create(place=place, name="Shen", lang="en", folded="shen")
    with pytest.raises(actions.AmbiguousPlace) as caught:
        claim(place="Shen")
    assert {p.key for p in caught.value.candidates} == {"shen-a", "shen-b"}
    assert Claim.objects.count() == 0


def test_a_place_is_found_by_its_azerbaijani_name(demo) -> None:
    assert [p.key for p in actions.search_places("Xankəndi")] == ["stepanakert"]


def test_an_event_in_the_future_is_refused(db) -> None:
    with pytest.raises(InvalidInput, match="future"):
        actions.do_add_event(occurred_on=date.today() + timedelta(days=2), event_type="Battles")


def test_an_acled_file_of_ten_thousand_rows_keeps_good_rows_and_names_bad_ones(demo) -> None:
    lines = [ACLED_HEADER]
    for i in range(10_000):
        if i % 1000 == 7:
            lines.append(f"BAD{i},2023-13-45,1,Battles,,A,,Stepanakert,,,,,1\n")
        elif i % 1000 == 8:
            lines.append(f"BAD{i},2023-09-19,1,Battles\n")
        else:
            lines.append(f"ARM{i},2023-09-19,1,Battles,Armed clash,A,B,Stepanakert,39.8,46.7,CivilNet,,1\n")
    demo_events = Event.objects.count()
    report = actions.do_import_acled("".join(lines))
    assert (report.created, len(report.errors)) == (9_980, 20)
    assert report.errors[0][0] == 9 and "event_date" in report.errors[0][1]
    assert Event.objects.count() == demo_events + 9_980
    assert Event.objects.filter(external_id="ARM0", place__key="stepanakert").exists()


def test_reimporting_an_acled_file_adds_nothing(db) -> None:
    text = ACLED_HEADER + "ARM1,2023-09-19,1,Battles,,A,,Somewhere,,,,,1\n"
    actions.do_import_acled(text)
    assert actions.do_import_acled(text).skipped_existing == 1
    assert Event.objects.count() == 1


def test_the_acled_export_reads_back_as_the_same_events(demo, client) -> None:
    from rollcall_core.situation import parse_acled

    text = client.get("/situation/events/acled.csv").content.decode()
    parsed = parse_acled(text, today=date(2023, 9, 21))
    assert not parsed.errors and len(parsed.rows) == Event.objects.count()


def test_site_population_counts_registrations_from_shelter_lists(demo, shelter_list) -> None:
    from rollcall.situation.picture import site_rows

    (row,) = site_rows(list(Claim.objects.all()))
    assert (row.site.place.key, row.registered, row.claimed.low) == ("stepanakert-airport", 1, 2000)


def test_the_report_puts_documented_counts_beside_claims(demo, shelter_list) -> None:
    from rollcall.situation.picture import situation

    ctx = situation()
    documented = {metric: count for metric, count, _claimed in ctx["documented_rows"]}
    assert documented["sheltered"] == 2 and documented["killed"] == 0  # both rows of the shelter list


def test_the_report_flags_the_corridor_contradiction(demo, client) -> None:
    page = client.get("/situation/").content.decode()
    assert "Contradiction" in page and "no one has crossed" in page


def test_the_report_as_of_an_earlier_time_leaves_out_later_claims(demo, client) -> None:
    page = client.get("/situation/", {"as_of": "2023-09-21T00:00"}).content.decode()
    assert "more than 200" in page and "120,000" not in page


def test_the_markdown_report_lists_each_figure_with_its_source(demo, capsys) -> None:
    from rollcall.reports import run_report

    assert run_report(Namespace(format="md", out=None)) == 0
    out = capsys.readouterr().out
    assert "| killed | more than 200 |" in out and "Nagorno-Karabakh authorities" in out


def test_a_pdf_without_chromium_fails_with_one_clear_line(demo, tmp_path, monkeypatch, capsys) -> None:
    from rollcall.reports import run_report

    monkeypatch.setenv("ROLLCALL_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert run_report(Namespace(format="pdf", out=str(tmp_path / "r.pdf"))) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Chromium" in err


@pytest.mark.slow
def test_the_pdf_report_is_printed_by_chromium(demo, tmp_path) -> None:
    from rollcall.reports import run_report

    out = tmp_path / "report.pdf"
    assert run_report(Namespace(format="pdf", out=str(out))) == 0
    assert out.read_bytes()[:5] == b"%PDF-"


def test_the_widget_shows_figures_with_sources_and_no_personal_names(demo, shelter_list, client) -> None:
    from tests.app.conftest import LIVING

    response = client.get("/situation/widget/")
    page = response.content.decode()
    assert "Nagorno-Karabakh authorities" in page and "more than 200" in page
    for personal in LIVING.values():
        assert personal.split(",")[0] not in page
    assert "SH-0042" not in page


def test_only_the_widget_may_be_framed(demo, client) -> None:
    assert "X-Frame-Options" not in client.get("/situation/widget/").headers
    assert client.get("/situation/").headers["X-Frame-Options"] == "DENY"


def test_libhxl_reads_the_claims_export_with_its_tags(demo, client) -> None:
    data = hxl.data(hxl.input.make_input(io.BytesIO(client.get("/situation/hxl/claims.csv").content)))
    tags = {c.display_tag for c in data.columns}
    assert {
        "#affected+killed",
        "#affected+injured",
        "#affected+missing",
        "#date+reported",
        "#meta+source",
        "#loc+name+i_hy",
        "#geo+lat",
    } <= tags
    killed = [row.get("#affected+killed") for row in data if row.get("#indicator+name") == "killed"]
    assert killed == ["200"]


def test_libhxl_reads_the_events_and_sites_exports(demo, client) -> None:
    events = list(hxl.data(hxl.input.make_input(io.BytesIO(client.get("/situation/hxl/events.csv").content))))
    sites = list(hxl.data(hxl.input.make_input(io.BytesIO(client.get("/situation/hxl/sites.csv").content))))
    assert len(events) == Event.objects.count() and events[0].get("#date+occurred") == "2023-09-19"
    assert sites[0].get("#loc+name+i_hy") == "Ստեփանակերտի օդանավակայան"


def test_the_public_cannot_open_the_claim_form(db, client) -> None:
    assert client.get("/situation/claims/new/").status_code == 302


def test_an_analyst_enters_a_claim_by_hand(demo, login) -> None:
    client = login("analyst")
    response = client.post(
        "/situation/claims/new/",
        {
            "metric": "killed",
            "low": "",
            "best": "384",
            "high": "",
            "as_of": "2023-09-25T12:00",
            "reported_at": "2023-09-25T18:00",
            "place": "Ստեփանակերտ",
            "scope": "all",
            "source": "Artsakh Ministry of Health",
            "cited_by": "Armenpress",
            "citation_url": "https://armenpress.am/x",
            "quote": "384 killed",
            "status": "reported",
        },
    )
    assert response.status_code == 302
    made = Claim.objects.get(source__name="Artsakh Ministry of Health")
    assert (made.best, made.place.key, made.as_of) == (
        384,
        "stepanakert",
        datetime(2023, 9, 25, 8, 0, tzinfo=UTC),
    )


def test_the_claim_form_shows_why_a_javascript_url_is_refused(login) -> None:
    client = login("caseworker")
    response = client.post(
        "/situation/claims/new/",
        {
            "metric": "killed",
            "best": "1",
            "as_of": "2023-09-25T12:00",
            "reported_at": "2023-09-25T18:00",
            "scope": "all",
            "source": "X",
            "citation_url": "javascript:alert(1)",
            "status": "reported",
        },
    )
    assert response.status_code == 200 and "http" in response.content.decode() and Claim.objects.count() == 0


@pytest.fixture
def api():
    from ninja.testing import TestClient

    from rollcall.situation.api import router

    return TestClient(router)


def test_the_api_lists_claims_for_anyone(demo, api) -> None:
    assert "killed" in [c["metric"] for c in api.get("/claims").json()]


def test_the_api_refuses_a_claim_from_the_public(db, api) -> None:
    from django.contrib.auth.models import AnonymousUser

    payload = {
        "metric": "killed",
        "source": "X",
        "as_of": T0.isoformat(),
        "reported_at": T0.isoformat(),
        "best": 1,
    }
    assert api.post("/claims", json=payload, user=AnonymousUser()).status_code == 403


def test_the_api_takes_a_claim_from_an_analyst_and_explains_a_refusal(db, api, users) -> None:
    good = {
        "metric": "displaced",
        "source": "UNHCR",
        "as_of": T0.isoformat(),
        "reported_at": T0.isoformat(),
        "best": 100000,
    }
    assert api.post("/claims", json=good, user=users["analyst"]).status_code == 201
    bad = {**good, "low": 5, "high": 1, "best": None}
    response = api.post("/claims", json=bad, user=users["analyst"])
    assert response.status_code == 422 and "low" in response.json()["detail"]


def test_the_api_finds_a_place_by_its_russian_name(demo, api) -> None:
    assert [p["key"] for p in api.get("/places", query_params={"q": "Степанакерт"}).json()] == ["stepanakert"]


CLAIMS_CSV = (
    "metric,source,as_of,reported_at,low,best,high,more_than,place,scope,cited_by,citation_url,quote,status\n"
    "killed,Artsakh Ombudsman,2023-09-22T10:00,2023-09-22T12:00,,213,,,Xankəndi,all,Azatutyun,https://www.azatutyun.am/a,213 killed,reported\n"
    "injured,Artsakh Ombudsman,2023-09-22T10:00,2023-09-22T09:00,,400,,,,all,,,,reported\n"
    "killed,X,2023-09-22T10:00,2023-09-22T12:00,9,,3,,,all,,,,reported\n"
    "killed,X,2023-09-22T10:00,2023-09-22T12:00,,1,,,,all,,javascript:alert(1),,reported\n"
)


def test_a_claims_file_keeps_good_rows_and_names_each_bad_one(demo) -> None:
    before = Claim.objects.count()
    report = actions.do_import_claims(CLAIMS_CSV)
    assert report.created == 1 and [line for line, _reason in report.errors] == [3, 4, 5]
    assert Claim.objects.count() == before + 1
    assert Claim.objects.get(source__name="Artsakh Ombudsman").place.key == "stepanakert"


def test_a_caseworker_imports_claims_through_the_page(demo, login) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("caseworker")
    upload = SimpleUploadedFile("claims.csv", CLAIMS_CSV.encode(), content_type="text/csv")
    page = client.post("/situation/claims/import/", {"file": upload}).content.decode()
    assert "1 claims imported, 3 rows rejected" in page and "as-of" in page


def test_the_report_shows_the_latest_events_and_says_how_many_more_exist(db, client) -> None:
    from rollcall.situation.picture import TIMELINE_LIMIT

    rows = "".join(
        f"E{i},2023-09-{1 + i % 20:02d},1,Battles,,A,,Somewhere,,,,,0\n" for i in range(TIMELINE_LIMIT + 5)
    )
    actions.do_import_acled(ACLED_HEADER + rows)
    page = client.get("/situation/").content.decode()
    assert f"The latest {TIMELINE_LIMIT} of {TIMELINE_LIMIT + 5} events" in page


def test_the_claims_page_charts_a_metric_with_one_line_per_source(db, client) -> None:
    claim(source="A", best=100, as_of=T0, reported_at=T0)
    claim(source="A", best=150, as_of=T0 + timedelta(hours=6), reported_at=T0 + timedelta(hours=6))
    claim(source="B", best=120, as_of=T0, reported_at=T0)
    claim(source="B", best=130, as_of=T0 + timedelta(hours=6), reported_at=T0 + timedelta(hours=6))
    page = client.get("/situation/claims/", {"metric": "killed"}).content.decode()
    assert page.count("<polyline") == 2


def test_the_events_timeline_lists_the_demo_events_in_date_order(demo, client) -> None:
    page = client.get("/situation/events/").content.decode()
    assert page.index("19 Sep 2023") < page.index("Chankatagh") < page.index("Yevlakh")
