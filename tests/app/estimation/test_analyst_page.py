"""The analyst page: who may see it, what it shows, the background run, exports, publishing, audit."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from rollcall.estimation.models import EstimateRun
from rollcall.registry.models import AuditEvent

from .conftest import HTML_PLACE


def run_estimate(client, **form: str):
    """Ask for an estimate as the page's form does; the test settings run background tasks inline."""
    data = {"status": "dead", "by": "", "method": "default", **form}
    response = client.post("/staff/estimates/", data)
    assert response.status_code == 302, response.content[:500]
    return client.get(response["Location"]), EstimateRun.objects.get(
        pk=int(response["Location"].split("/")[-2])
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client, dead_on_lists):
    response = client.get("/staff/estimates/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("path", ["/staff/estimates/", "/staff/estimates/1/", "/staff/estimates/1.csv"])
def test_a_caseworker_is_refused(login, path):
    assert login("caseworker").get(path).status_code == 403


def test_an_analyst_sees_the_total_the_interval_the_plot_and_the_assumptions(login, dead_on_lists):
    page, run = run_estimate(login("analyst"), by="home_place")
    assert run.state == "done"
    html = page.content.decode()
    total = run.strata[0]["results"][0]
    documented = re.search(r"Documented by name on at least one list</dt><dd class=\"num\">(\d+)<", html)
    assert documented and int(documented.group(1)) == 79
    assert f"<strong>{round(total['estimate'])}</strong>" in html
    assert "95% interval" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="upset"' in html
    assert "<title id=" in html and "<desc id=" in html  # the plot names itself for screen readers
    assert "The same numbers as a table" in html
    for words in ("false merge", "missed link", "fewer than three lists", "Lists that depend on each other",
                  "harder to record", "What the interval means"):  # fmt: skip
        assert words in html
    assert "only 2 list(s) record anyone here" in html  # Martuni, refused with its reason
    assert page["Content-Security-Policy"].startswith("default-src 'none'")


def test_names_from_the_lists_are_escaped_on_the_page_and_in_the_plot(login, dead_on_lists):
    page, _ = run_estimate(login("analyst"), by="home_place")
    html = page.content.decode()
    assert HTML_PLACE not in html
    assert "&lt;b&gt;Vank&lt;/b&gt;" in html


def test_a_run_in_progress_refreshes_itself_and_shows_its_progress(login, users):
    run = EstimateRun.objects.create(status="dead", state=EstimateRun.State.RUNNING, progress=0.4,
                                     stage="lcmcr, stratum 2 of 5")  # fmt: skip
    html = login("analyst").get(f"/staff/estimates/{run.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert 'value="40"' in html and "lcmcr, stratum 2 of 5" in html


def test_the_same_estimate_asked_for_while_it_runs_is_not_started_twice(login, users):
    running = EstimateRun.objects.create(
        status="dead", by="sex", method="lcmcr", state=EstimateRun.State.RUNNING
    )
    response = login("analyst").post("/staff/estimates/", {"status": "dead", "by": "sex", "method": "lcmcr"})
    assert response["Location"] == f"/staff/estimates/{running.pk}/"
    assert EstimateRun.objects.count() == 1


def test_a_run_that_cannot_estimate_says_why(login, users):
    page, run = run_estimate(login("analyst"), status="missing")
    assert run.state == "failed"
    assert "no persons with status &#x27;missing&#x27; in the registry" in page.content.decode()


def test_the_csv_export_has_every_stratum_and_defuses_spreadsheet_formulas(login, import_csv, gazetteer):
    for index, source in enumerate(("A", "B", "C")):
        rows = ["record_id,full_name,home_place,status"]
        rows += [f'{source}{i},Person {i},"=HYPERLINK(""http://x"")",dead' for i in range(12)]
        import_csv("\n".join(rows) + "\n", source=source, name=f"l{index}.csv")
    client = login("analyst")
    _, run = run_estimate(client, by="home_place")
    response = client.get(f"/staff/estimates/{run.pk}.csv")
    assert response["Content-Disposition"].endswith('.csv"')
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["stratum"] for r in table] == ["all", '\'=HYPERLINK("http://x")']
    assert all(r["observed"] == "36" for r in table)  # not linked: 36 persons, each on one list


def test_the_json_export_holds_every_stratum_with_its_patterns(login, dead_on_lists):
    client = login("analyst")
    _, run = run_estimate(client, by="sex")
    payload = json.loads(client.get(f"/staff/estimates/{run.pk}.json").content)
    assert payload["status"] == "dead" and payload["by"] == "sex"
    assert [s["stratum"] for s in payload["strata"]] == ["all", "female", "male"]
    for stratum in payload["strata"]:
        assert sum(p["count"] for p in stratum["patterns"]) == stratum["observed"]


def test_viewing_running_exporting_and_publishing_are_audited(login, dead_on_lists):
    client = login("analyst")
    _, run = run_estimate(client)
    client.get(f"/staff/estimates/{run.pk}.csv")
    client.post(f"/staff/estimates/{run.pk}/publish/")
    actions = set(
        AuditEvent.objects.filter(object_type="estimate_run", actor="analyst").values_list(
            "action", flat=True
        )
    )
    assert actions == {"estimate", "view", "export", "publish"}


def test_publishing_needs_a_post_and_a_finished_run(login, users):
    client = login("analyst")
    queued = EstimateRun.objects.create(status="dead")
    assert client.get(f"/staff/estimates/{queued.pk}/publish/").status_code == 405
    client.post(f"/staff/estimates/{queued.pk}/publish/")
    queued.refresh_from_db()
    assert queued.published_at is None


def test_a_run_whose_worker_stopped_is_said_to_have_stalled_and_a_new_request_starts_afresh(
    login, dead_on_lists
):
    from datetime import timedelta

    from django.utils import timezone

    stuck = EstimateRun.objects.create(status="dead", state=EstimateRun.State.RUNNING,
                                       created_at=timezone.now() - timedelta(hours=3))  # fmt: skip
    client = login("analyst")
    html = client.get(f"/staff/estimates/{stuck.pk}/").content.decode()
    assert "may have stopped" in html and 'http-equiv="refresh"' not in html
    page, run = run_estimate(client)
    assert run.pk != stuck.pk and run.state == "done"
    stuck.refresh_from_db()
    assert stuck.state == "failed" and "worker stopped" in stuck.error


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks, as in production
def test_an_estimate_waits_on_its_own_queue_so_that_an_import_is_not_held_up_behind_it(
    settings, users, dead_on_lists
):
    # As `rollcall serve` runs them: the database backend, one worker per queue.
    from django.core.management import call_command

    from rollcall.estimation.actions import do_request_estimate

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "estimates"]}}
    run = do_request_estimate(status="dead", by="", method="default", user=users["analyst"])
    call_command("db_worker", queue_name="default", batch=True, no_startup_delay=True, verbosity=0)
    run.refresh_from_db()
    assert run.state == EstimateRun.State.QUEUED  # the imports' worker left it alone
    call_command("db_worker", queue_name="estimates", batch=True, no_startup_delay=True, verbosity=0)
    run.refresh_from_db()
    assert run.state == EstimateRun.State.DONE
