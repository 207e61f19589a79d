"""The analyst page in a real browser (Debian's chromium through Playwright) against `rollcall serve`,
whose background worker runs the estimate: the demo scenario, linked, as an analyst would have it."""

from __future__ import annotations

import pytest
from tests.app.served import chromium, in_django, require_chromium, rollcall, screenshot, served

pytestmark = pytest.mark.browser
PASSWORD = "estimates-browser-password-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    require_chromium()
    home = tmp_path_factory.mktemp("estimates-home")
    rollcall(home, "demo")  # linked by the demo itself
    in_django(
        home,
        "from rollcall.registry.users import create_user;"
        "create_user('ana', role='analyst', password=sys.argv[2]); create_user('cas', role='caseworker', password=sys.argv[2])",
        PASSWORD,
    )  # fmt: skip
    with served(home) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_analyst_runs_an_estimate_by_place_sees_the_interval_and_the_plot_and_publishes_it(server, page):
    log_in(page, server, "ana")
    page.get_by_role("link", name="Estimates", exact=True).click()
    page.get_by_label("People whose status is").select_option("dead")
    page.get_by_label("Estimate separately by").select_option("home_place")
    page.get_by_label("Method").select_option("default")
    page.get_by_role("button", name="Estimate", exact=True).click()
    # The worker beside the web server runs it; the page refreshes itself until it is done.
    page.wait_for_selector("#estimate-result", timeout=120_000)
    headline = page.locator(".headline").first.inner_text()
    assert "Documented by name on at least one list" in headline
    assert "95% interval" in headline and "Estimated not on any list" in headline
    plot = page.locator("figure.upset svg").first
    assert plot.is_visible()
    assert (
        plot.get_attribute("role") == "img"
        and "Which lists recorded" in plot.locator(":scope > title").text_content()
    )
    assert page.locator("table.strata").get_by_text("Stepanakert", exact=True).count() == 1
    assert "false merge" in page.locator("dl.assumptions").inner_text()
    screenshot(page, "estimates-run")
    page.get_by_role("button", name="Publish in the situation report").click()
    assert "The situation report now shows this estimate" in page.inner_text("main")
    page.goto(server + "/situation/")
    section = page.locator("section.mse")
    assert "95% interval" in section.inner_text()
    assert section.locator("svg.upset").is_visible()
    screenshot(page, "situation-estimates")


def test_a_caseworker_is_refused_and_sees_no_link(server, page):
    log_in(page, server, "cas")
    assert page.get_by_role("link", name="Estimates", exact=True).count() == 0
    response = page.goto(server + "/staff/estimates/")
    assert response is not None and response.status == 403


def test_the_public_is_sent_to_the_login_page(server, page):
    page.goto(server + "/staff/estimates/")
    assert page.url.startswith(server + "/staff/login/")
    assert page.get_by_label("Password").is_visible()


def test_an_analyst_withdraws_a_published_estimate_and_the_report_says_so_without_its_figures(server, page):
    log_in(page, server, "ana")
    page.goto(server + "/staff/estimates/")
    page.get_by_label("People whose status is").select_option("dead")
    page.get_by_label("Estimate separately by").select_option("")
    page.get_by_label("Method").select_option("default")
    page.get_by_role("button", name="Estimate", exact=True).click()
    page.wait_for_selector("#estimate-result", timeout=120_000)
    page.get_by_role("button", name="Publish in the situation report").click()
    # The reason is required: the form does not go without it.
    page.get_by_role("button", name="Withdraw this estimate").click()
    assert page.locator("#estimate-withdrawn").count() == 0
    page.get_by_label("Why is this estimate withdrawn?").fill("the hospital list was imported twice")
    page.get_by_role("button", name="Withdraw this estimate").click()
    assert "Withdrawn: the situation report now says so" in page.inner_text("main")
    assert "the hospital list was imported twice" in page.locator("#estimate-withdrawn").inner_text()
    screenshot(page, "estimate-withdrawn")
    page.goto(server + "/situation/")
    section = page.locator("section.mse").inner_text()
    assert "was withdrawn on" in section and "do not quote the withdrawn figures" in section
    assert "95% interval" not in section and "imported twice" not in section
    screenshot(page, "situation-estimate-withdrawn")
