"""Real browser tests: Debian's chromium driven by Playwright against `rollcall serve` (gunicorn)."""

from __future__ import annotations

import pytest
from tests.app.served import chromium, in_django, require_chromium, rollcall, screenshot, served

pytestmark = pytest.mark.browser
PASSWORD = "browser-test-password-1"
PERSON_LISTS = (
    ("missing.csv", "Red Cross tracing", "missing_reports",
     "record_id,full_name,status,status_date,reporter_name\nRC-7,Սիրանուշ Ադամյան,missing,2023-09-21,Gagik Adamyan (brother)\n"),
    ("border.csv", "Kornidzor border post", "crossing",
     "record_id,family_name,given_name,birth_date,status,status_date,event_place\nKZ-3,ADAMIAN,SIRANUSH,1986-04-02,alive,2023-09-25,Kornidzor\n"
     "KZ-4,ADAMYAN,SIRANUYSH,1961-11-30,alive,2023-09-26,Kornidzor\n"),
    ("casualties.csv", "Casualty list (early)", "casualties",
     "record_id,full_name,status,status_date\nCL-9,Адамян Сирануш,dead,2023-09-20\n"),
)  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """A fresh home with one list and a caseworker, served by the real command on a free loopback port."""
    require_chromium()
    home = tmp_path_factory.mktemp("browser-home")
    shelter = home / "shelter.csv"
    shelter.write_text(
        "record_id,full_name,age,status,status_date,current_place,reporter_contact\n"
        "SH-1,Siranoush Adamian,37,alive,2023-09-22,Stepanakert airport hangar 2,+374 99 123456\n",
        encoding="utf-8",
    )
    rollcall(home, "import", str(shelter), "--source", "Airport shelter", "--kind", "shelter")
    # The same woman on three more lists, for the person page: reported missing by her brother,
    # crossed at Kornidzor, and wrongly on a casualty list before she was seen alive.
    for name, source, kind, text in PERSON_LISTS:
        (home / name).write_text(text, encoding="utf-8")
        rollcall(home, "import", str(home / name), "--source", source, "--kind", kind)
    in_django(
        home,
        "from rollcall.registry.users import create_user; create_user('cw', role='caseworker', password=sys.argv[2]);"
        "from django.contrib.auth.models import User; cw = User.objects.get(username='cw');"
        "from rollcall.registry.models import Record; from rollcall.linkage.actions import do_merge;"
        "one = lambda rid: Record.objects.get(record_id=rid).person;"
        "[do_merge(one('SH-1'), one(rid), user=cw, reason='same woman') for rid in ('RC-7', 'KZ-3', 'CL-9')];"
        "from rollcall.linkage.models import CandidatePair; R = lambda rid: Record.objects.get(record_id=rid);"
         "CandidatePair.objects.create(record_a=R('SH-1'), record_b=R('KZ-4'), probability=0.41)",
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
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A small phone's screen, with JavaScript off: the public pages must work so."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_a_family_searches_in_russian_and_finds_only_that_information_exists(server, page):
    page.goto(server + "/")
    screenshot(page, "public-home")
    page.get_by_label("Name, in any script").fill("Адамян Сирануш")
    page.get_by_role("button", name="Search").click()
    results = page.locator("ul.results")
    assert "Siranoush Adamian" in results.inner_text()
    text = page.content()
    assert "hangar 2" not in text and "+374 99 123456" not in text and "Airport shelter" not in text
    page.get_by_role("link", name="Siranoush Adamian").click()
    assert "Information about this person exists" in page.inner_text("main")


def test_the_public_search_fits_a_phone_and_starts_with_a_skip_link(server, phone):
    phone.goto(server + "/?q=Adamian")
    screenshot(phone, "public-search-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Skip to content"
    assert phone.get_attribute("html", "lang") == "en"


def test_a_family_submits_a_tracing_request_from_a_phone_without_javascript(server, phone):
    phone.goto(server + "/looking-for-someone/")
    phone.get_by_role("button", name="Send the request").click()
    assert phone.locator("[aria-invalid=true]").count() == 3
    phone.get_by_label("Their full name").fill("Արամ Պետրոսյան")
    phone.get_by_label("Your name").fill("Ani Petrosyan")
    phone.get_by_label("How the tracing desk can reach you").fill("+374 91 222333")
    phone.get_by_label("Your relationship to them").fill("sister")
    phone.get_by_role("button", name="Send the request").click()
    assert "Your request is with the tracing desk" in phone.inner_text("main")


def test_a_caseworker_uploads_a_list_and_maps_its_columns(server, page, tmp_path):
    upload = tmp_path / "goris.csv"
    upload.write_text("Ազգանուն;Անուն;Where now\nՍարգսյան;Անի;Goris school 3\n", encoding="utf-8")
    page.goto(server + "/staff/login/")
    page.get_by_label("Username").fill("cw")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(server + "/staff/upload/")
    page.get_by_label("List file").set_input_files(str(upload))
    page.get_by_label("Who gave you this list?").fill("Goris municipality")
    page.get_by_label("List kind").select_option("shelter")
    page.get_by_role("button", name="Preview").click()
    assert "Սարգսյան" in page.inner_text("table.preview")
    assert page.locator("#map-0").input_value() == "family_name"
    page.locator("#map-2").select_option("current_place")
    screenshot(page, "upload-preview")
    page.get_by_role("button", name="Import").click()
    # The import runs in the background worker; the page refreshes itself until it is done.
    page.wait_for_selector("#import-summary", timeout=60_000)
    assert "1 imported" in page.inner_text("#import-summary")
    page.get_by_role("link", name="See the list").click()
    page.get_by_role("link", name="Its records").click()
    page.get_by_role("link", name="Անի Սարգսյան").click()
    assert "Goris school 3" in page.locator("tr", has_text="current_place").inner_text()


def log_in(page, server: str) -> None:
    page.goto(server + "/staff/login/")
    page.get_by_label("Username").fill("cw")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_caseworker_reads_a_persons_timeline_and_splits_off_a_wrong_record(server, page):
    log_in(page, server)
    page.goto(server + "/staff/search/?q=Adamian")
    page.locator("main a", has_text="Siranoush Adamian").first.click()
    screenshot(page, "staff-person")
    assert page.locator("#best-status").inner_text() == "alive"
    assert "reported dead by Casualty list (early) on 20 September 2023" in page.inner_text("#conflicts")
    told = [item.inner_text().split("\n")[0] for item in page.locator("ol.timeline > li").all()]
    assert told == [
        "20 September 2023: listed among the dead",
        "21 September 2023: reported missing by Gagik Adamyan (brother)",
        "22 September 2023: registered at a shelter — Stepanakert airport hangar 2",
        "25 September 2023: crossed the border — Kornidzor",
    ]
    # On a phone's width the page reflows rather than scrolling sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "staff-person-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("checkbox", name="Адамян Сирануш").check()
    page.locator("#split-reason").fill("the casualty list named another woman")
    page.get_by_role("button", name="Split").click()
    assert "Records split into a new person: Адамян Сирануш" in page.inner_text("ul.messages")
    assert page.locator("#conflicts").count() == 0 and page.locator("ol.timeline > li").count() == 3
    # Undone from the same page: the record comes back, and the conflict with it.
    split = page.locator("ul.decisions > li", has_text="split person")
    split.get_by_label("Reason to undo").fill("checked again")
    split.get_by_role("button", name="Undo").click()
    assert "Decision undone." in page.inner_text("ul.messages")
    assert page.locator("ol.timeline > li").count() == 4 and page.locator("#conflicts").count() == 1


@pytest.mark.parametrize(
    "path",
    ["/staff/", "/staff/datasets/", "/staff/records/", "/staff/tracing/", "/staff/upload/", "/linkage/review/",
     "/linkage/decisions/", "/staff/search/?q=Адамян+Сирануш"],
)  # fmt: skip
def test_the_caseworkers_pages_fit_a_phone_without_javascript(server, browser, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    phone = context.new_page()
    log_in(phone, server)
    response = phone.goto(server + path)
    screenshot(phone, "phone" + path.replace("/", "-").rstrip("-"))
    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    assert response.status == 200 and phone.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
