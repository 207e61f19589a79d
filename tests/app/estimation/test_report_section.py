"""The situation report's "Estimated deaths not on any list": published runs only, counts only, small cells combined."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rollcall.estimation.actions import do_publish, do_request_estimate
from rollcall.estimation.present import PUBLIC_MIN_CELL, fold_small
from rollcall.reports import render_markdown
from rollcall.situation.picture import situation

from .conftest import HTML_PLACE, population


def published(users, by: str = "home_place"):
    run = do_request_estimate(status="dead", by=by, method="default", user=users["analyst"])
    run.refresh_from_db()
    assert run.state == "done"
    do_publish(run, user=users["analyst"])
    return run


def test_the_report_shows_no_estimate_until_an_analyst_publishes_one(client, users, dead_on_lists):
    do_request_estimate(status="dead", by="", method="default", user=users["analyst"])
    html = client.get("/situation/").content.decode()
    assert "Estimated deaths not on any list" in html
    assert "No estimate has been published yet" in html


def test_the_public_report_shows_the_published_total_and_its_interval(client, users, dead_on_lists):
    run = published(users)
    total = run.strata[0]["results"][0]
    html = client.get("/situation/").content.decode()
    assert f"<strong>{round(total['estimate'])}</strong>" in html
    assert f"<strong>{round(total['estimate']) - 79}</strong>" in html  # not on any list
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="upset"' in html
    assert "missed link" in html


def test_the_public_report_combines_small_groups_and_never_names_them(client, users, dead_on_lists):
    published(users)
    html = client.get("/situation/").content.decode()
    # Stepanakert (60) and Martuni (12) are shown; the HTML-named place (3) and Chartar (4) are combined.
    assert "Stepanakert" in html and "Martuni" in html
    assert "Vank" not in html and "Chartar" not in html
    assert '<th scope="row">Combined: 2 smaller groups</th><td class="num">7</td>' in html


def test_a_single_small_group_is_combined_with_the_next_smallest(client, users, dead_on_lists):
    from rollcall.registry.models import Person

    Person.objects.filter(records__home_place="Chartar").update(status="alive")  # leaves one small group
    published(users)
    html = client.get("/situation/").content.decode()
    # Martuni (12) is named but not counted alone: the 3 beside it could be recovered by subtraction.
    assert '<th scope="row">Combined: Martuni and 1 smaller group(s)</th><td class="num">15</td>' in html
    assert "Vank" not in html


def test_the_public_plot_combines_combinations_with_fewer_than_five_people(client, users, dead_on_lists):
    run = published(users, by="")
    small = [p for p in run.strata[0]["patterns"] if p["count"] < PUBLIC_MIN_CELL]
    assert small, "the fixture should have small combinations for this test to mean something"
    html = client.get("/situation/").content.decode()
    assert "other combinations of lists, each with fewer than 5 people" in html
    for pattern in small:
        assert (
            f'<td class="num">{pattern["count"]}</td>'
            not in html.split("The same numbers as a table")[1].split("</table>")[0]
        )


def test_the_analyst_page_shows_every_small_combination(login, dead_on_lists):
    client = login("analyst")
    response = client.post("/staff/estimates/", {"status": "dead", "by": "", "method": "default"})
    html = client.get(response["Location"]).content.decode()
    assert "other combinations" not in html


def test_one_small_item_is_combined_with_the_next_smallest_so_no_count_is_recoverable():
    kept, other = fold_small([("a", 40), ("b", 12), ("c", 7), ("d", 2)], 5)
    assert kept == [("a", 40), ("b", 12)] and other == 9
    kept, other = fold_small([("a", 40), ("b", 12)], 5)
    assert kept == [("a", 40), ("b", 12)] and other == 0
    kept, other = fold_small([("a", 4), ("b", 3), ("c", 9)], 5)
    assert kept == [("c", 9)] and other == 7


def test_the_markdown_report_has_the_same_numbers_and_the_assumptions(users, dead_on_lists):
    run = published(users)
    total = run.strata[0]["results"][0]
    text = render_markdown(situation())
    section = text.split("## Estimated deaths not on any list")[1].split("\n## ")[0]
    assert f"Estimated in total: {round(total['estimate'])} (95% interval" in section
    assert "| Stepanakert | 60 |" in section
    assert "| Martuni | 12 | – | – | – | not estimable: only 2 list(s)" in section
    assert "Vank" not in section and HTML_PLACE not in section
    assert "**Matching errors move the estimate.**" in section


def test_a_report_as_of_a_time_before_the_publication_does_not_show_it(client, users, dead_on_lists):
    published(users)
    earlier = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    html = client.get(f"/situation/?as_of={earlier}").content.decode()
    assert "No estimate has been published yet" in html


def test_the_report_names_no_person(client, users, dead_on_lists):
    published(users)
    html = client.get("/situation/").content.decode()
    assert not any(str(p["name"]) in html for p in population())


def test_publishing_a_later_run_replaces_the_earlier_one_in_the_report(login, users, dead_on_lists):
    first = published(users, by="")
    second = published(users, by="home_place")
    client = login("analyst")
    html = client.get("/situation/").content.decode()
    assert "Separately by home place" in html  # the second run's strata
    index = client.get("/staff/estimates/").content.decode()
    assert index.count("shown now") == 1 and "replaced by a later one" in index
    page = client.get(f"/staff/estimates/{first.pk}/").content.decode()
    assert "A later publication has replaced it." in page
    assert "Publish in the situation report" in page  # it can be put back
    assert (
        "Publish in the situation report" not in client.get(f"/staff/estimates/{second.pk}/").content.decode()
    )


def test_only_estimates_of_deaths_can_be_published(login, users, dead_on_lists):
    from rollcall.estimation.models import EstimateRun

    run = EstimateRun.objects.create(status="missing", state=EstimateRun.State.DONE, strata=[])
    login("analyst").post(f"/staff/estimates/{run.pk}/publish/")
    run.refresh_from_db()
    assert run.published_at is None


def test_a_self_contradicting_result_shows_its_figures_to_analysts_only(
    login, client, users, dead_on_lists, monkeypatch
):
    import rollcall.estimates as estimates
    from rollcall_core.estimation import EstimationResult

    bad = EstimationResult(method="loglinear", model="[12,3]", observed=79, estimate=4321.0, lower=80.0,
                           upper=90.0, level=0.95, lists=("A", "B", "C"))  # fmt: skip
    monkeypatch.setattr(estimates, "estimate", lambda *args, **kwargs: bad)
    run = published(users, by="")
    analyst_page = login("analyst").get(f"/staff/estimates/{run.pk}/").content.decode()
    assert "outside its own interval" in analyst_page and "4321" in analyst_page
    client.logout()
    report = client.get("/situation/").content.decode()
    assert "outside its own interval" in report
    assert "4321" not in report


def test_the_report_section_costs_one_query_however_many_strata(
    users, dead_on_lists, django_assert_num_queries
):
    from django.template.loader import render_to_string

    from rollcall.estimation.report import report_estimates

    published(users, by="home_place")
    with django_assert_num_queries(1):
        section = report_estimates()
        html = render_to_string("estimation/report_section.html", {"estimates": section})
    assert "Stepanakert" in html
