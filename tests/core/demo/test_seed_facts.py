from __future__ import annotations

from pathlib import Path

import pytest

from rollcall_core.demo.seed_facts import CLAIMS, EVENTS, SOURCES
from rollcall_core.gazetteer import load_places

REPORT = Path("/work/shared/seeds/000_3e3f317ea0a504ae.txt")


def test_every_claim_and_event_points_at_a_known_place_and_source() -> None:
    places = {p.key for p in load_places()}
    sources = {s["key"] for s in SOURCES}
    for fact in (*CLAIMS, *EVENTS):
        place = fact.get("scope_place", fact.get("place"))
        assert place in places, fact
        assert fact["source"] in sources, fact


def test_the_death_toll_is_a_floor_of_two_hundred_for_all_casualties() -> None:
    killed = next(c for c in CLAIMS if c["metric"] == "killed")
    assert (killed["low"], killed["more_than"], killed["scope_category"]) == (200, True, "all")


@pytest.mark.skipif(not REPORT.exists(), reason="the field report is outside the repository")
def test_every_quote_is_verbatim_from_the_field_report() -> None:
    report = " ".join(REPORT.read_text(encoding="utf-8").split())
    for claim in CLAIMS:
        assert str(claim["quote"]) in report, claim["quote"]


def test_the_source_is_the_civilnet_article_by_mark_dovich() -> None:
    (source,) = SOURCES
    assert source["author"] == "Mark Dovich"
    assert "death toll tops 200" in source["title"]
