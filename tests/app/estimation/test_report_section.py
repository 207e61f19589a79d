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


def withdrawn(users, run, *, reason="a hospital list was imported twice", public_reason=False):
    from rollcall.estimation.actions import do_withdraw

    do_withdraw(run, user=users["analyst"], reason=reason, public_reason=public_reason)
    run.refresh_from_db()
    return run


def test_a_withdrawn_estimate_leaves_the_report_saying_so_without_its_figures_or_reason(
    client, users, dead_on_lists
):
    run = withdrawn(users, published(users, by=""))
    html = client.get("/situation/").content.decode()
    assert "was withdrawn on" in html and "do not quote the withdrawn figures" in html
    assert "Computed on" not in html  # no figures of the withdrawn run
    assert "imported twice" not in html  # the reason was not made public
    assert run.withdrawn_by == users["analyst"]


def test_a_withdrawal_s_reason_is_shown_escaped_when_the_analyst_allows_it(client, users, dead_on_lists):
    withdrawn(users, published(users, by=""), reason="<script>x()</script> double count", public_reason=True)
    html = client.get("/situation/").content.decode()
    assert "&lt;script&gt;x()&lt;/script&gt; double count" in html
    assert "<script>x()" not in html


def test_a_report_as_of_a_time_before_the_withdrawal_still_shows_what_was_published(client, users, dead_on_lists):
    from rollcall.estimation.models import EstimateRun

    run = withdrawn(users, published(users, by=""))
    EstimateRun.objects.filter(pk=run.pk).update(withdrawn_at=timezone.now() + timedelta(hours=2))
    later = timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    html = client.get(f"/situation/?as_of={later}").content.decode()
    assert "Computed on" in html and "was withdrawn" not in html


def test_a_withdrawn_run_is_not_replaced_by_the_one_it_replaced(client, users, dead_on_lists):
    published(users, by="")
    withdrawn(users, published(users, by="home_place"))
    html = client.get("/situation/").content.decode()
    assert "was withdrawn on" in html and "Computed on" not in html


def test_after_a_withdrawal_publishing_another_run_shows_it(client, users, dead_on_lists):
    withdrawn(users, published(users, by=""))
    published(users, by="home_place")
    html = client.get("/situation/").content.decode()
    assert "Computed on" in html and "was withdrawn" not in html


def test_the_markdown_report_says_the_estimate_was_withdrawn(users, dead_on_lists):
    withdrawn(users, published(users, by=""), reason="linkage error", public_reason=True)
    text = render_markdown(situation())
    assert "was withdrawn on" in text and "Reason given: linkage error" in text
    assert "Computed on" not in text


def test_withdrawal_refuses_what_cannot_be_withdrawn_with_the_reason(users, dead_on_lists):
    import pytest

    from rollcall.estimation.actions import EstimateRefused, do_withdraw

    unpublished = do_request_estimate(status="dead", by="", method="default", user=users["analyst"])
    unpublished.refresh_from_db()
    with pytest.raises(EstimateRefused, match="only a published estimate"):
        do_withdraw(unpublished, user=users["analyst"], reason="wrong")
    run = published(users, by="")
    with pytest.raises(EstimateRefused, match="say why"):
        do_withdraw(run, user=users["analyst"], reason="   ")
    withdrawn(users, run)
    with pytest.raises(EstimateRefused, match="already withdrawn"):
        do_withdraw(run, user=users["analyst"], reason="again")
    with pytest.raises(EstimateRefused, match="was withdrawn; run the estimate again"):
        do_publish(run, user=users["analyst"])


def test_an_analyst_withdraws_from_the_run_page_with_a_reason_and_it_is_audited(login, users, dead_on_lists):
    from rollcall.registry.models import AuditEvent

    run = published(users, by="")
    client = login("analyst")
    page = client.get(f"/staff/estimates/{run.pk}/").content.decode()
    assert "Withdraw this estimate" in page
    client.post(f"/staff/estimates/{run.pk}/withdraw/", {"reason": ""})
    run.refresh_from_db()
    assert run.withdrawn_at is None  # no reason, no withdrawal
    client.post(f"/staff/estimates/{run.pk}/withdraw/", {"reason": "list counted twice"})
    run.refresh_from_db()
    assert run.withdrawn_at is not None and not run.withdrawn_reason_public
    page = client.get(f"/staff/estimates/{run.pk}/").content.decode()
    assert "Withdrawn from the situation report" in page and "list counted twice" in page
    assert "Publish in the situation report" not in page
    assert "withdrawn" in client.get("/staff/estimates/").content.decode()
    event = AuditEvent.objects.get(action="withdraw", object_id=str(run.pk))
    assert event.actor == "analyst"


def test_a_caseworker_cannot_withdraw_an_estimate(login, users, dead_on_lists):
    run = published(users, by="")
    response = login("caseworker").post(f"/staff/estimates/{run.pk}/withdraw/", {"reason": "x"})
    assert response.status_code in (302, 403)
    run.refresh_from_db()
    assert run.withdrawn_at is None


def test_a_withdrawal_reason_that_is_too_long_is_refused_saying_so(login, users, dead_on_lists):
    run = published(users, by="")
    client = login("analyst")
    response = client.post(f"/staff/estimates/{run.pk}/withdraw/", {"reason": "x" * 2001}, follow=True)
    assert "The reason is too long: at most 2000 characters." in response.content.decode()
    run.refresh_from_db()
    assert run.withdrawn_at is None
