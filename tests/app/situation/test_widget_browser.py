"""The widget embedded in a newsroom's plain page, rendered by a real browser (chromium via Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.app.served import chromium, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_widget_renders_inside_a_plain_page_of_another_site(live_server, tmp_path: Path) -> None:
    from rollcall.situation.actions import load_situation_demo

    require_chromium()
    load_situation_demo()
    newsroom = tmp_path / "newsroom.html"
    newsroom.write_text(
        "<!doctype html><html><body><h1>Our live coverage</h1>"
        f'<iframe id="w" src="{live_server.url}/situation/widget/" width="420" height="600" title="Figures"></iframe>'
        "</body></html>",
        encoding="utf-8",
    )
    with chromium() as browser:
        page = browser.new_page()
        page.goto(newsroom.as_uri())
        frame = page.frame_locator("#w")
        figures = frame.locator("#figures li")
        figures.first.wait_for(timeout=15_000)
        text = frame.locator("#figures").inner_text()
    assert "more than 200" in text and "Nagorno-Karabakh authorities" in text
