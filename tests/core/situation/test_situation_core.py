"""The situation picture's pure logic: checks, contradictions, ACLED CSV, SVG."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rollcall_core.situation import (
    ClaimView,
    InvalidInput,
    MapPoint,
    Series,
    check_figures,
    check_times,
    check_url,
    creates_cycle,
    find_contradictions,
    line_chart_svg,
    map_svg,
    parse_acled,
    write_acled,
)

T0 = datetime(2023, 9, 20, 16, 0, tzinfo=UTC)
HEADER = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,location,latitude,longitude,source,notes,fatalities\n"


def view(id_: int, source: str, value: int | None, **kw: object) -> ClaimView:
    base = {"metric": "killed", "scope_place": "nagorno-karabakh", "scope": "all", "as_of": T0}
    base.update(kw)
    return ClaimView(id=id_, source=source, value=value, **base)  # type: ignore[arg-type]


def test_it_rejects_a_low_figure_above_the_high_one() -> None:
    with pytest.raises(InvalidInput, match="low"):
        check_figures(500, None, 200)


def test_it_rejects_a_best_figure_outside_low_and_high() -> None:
    with pytest.raises(InvalidInput, match="best"):
        check_figures(100, 300, 200)


def test_it_accepts_a_more_than_claim_with_only_a_low_figure() -> None:
    check_figures(200, None, None)


def test_it_rejects_an_as_of_time_after_the_time_reported() -> None:
    with pytest.raises(InvalidInput, match="as-of"):
        check_times(T0 + timedelta(hours=1), T0)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "ftp://x.org/a", "//evil.org"]
)
def test_it_rejects_citation_urls_that_are_not_http(url: str) -> None:
    with pytest.raises(InvalidInput, match="http"):
        check_url(url)


def test_it_keeps_an_https_citation_url() -> None:
    assert check_url(" https://www.civilnet.am/en/news/1/ ") == "https://www.civilnet.am/en/news/1/"


def test_it_sees_a_revision_cycle_through_two_claims() -> None:
    # 2 revises 1; letting 1 revise 2 would loop
    assert creates_cycle(1, 2, {1: None, 2: 1})


def test_it_allows_a_revision_of_an_unrelated_claim() -> None:
    assert not creates_cycle(3, 2, {1: None, 2: 1, 3: None})


def test_it_flags_a_corridor_claimed_open_against_zero_crossings() -> None:
    opener = view(
        1,
        "Government of Azerbaijan",
        1,
        metric="corridor_open",
        scope_place="lachin-corridor",
        asserts_open="lachin-corridor",
    )
    zero = view(2, "CivilNet", 0, metric="crossed", scope_place="lachin-corridor")
    found = find_contradictions([opener, zero])
    assert [(c.kind, c.claim_ids) for c in found] == [("corridor", (1, 2))]


def test_it_flags_two_sources_far_apart_for_the_same_scope_and_time() -> None:
    found = find_contradictions([view(1, "A", 200), view(2, "B", 2000, as_of=T0 + timedelta(hours=3))])
    assert [c.kind for c in found] == ["far_apart"]


def test_it_does_not_flag_sources_that_roughly_agree() -> None:
    assert find_contradictions([view(1, "A", 200), view(2, "B", 240)]) == []


def test_it_does_not_flag_figures_days_apart() -> None:
    assert find_contradictions([view(1, "A", 200), view(2, "B", 2000, as_of=T0 + timedelta(days=5))]) == []


def test_it_ignores_retracted_claims_when_looking_for_contradictions() -> None:
    assert find_contradictions([view(1, "A", 200), view(2, "B", 2000, status="retracted")]) == []


def test_it_reads_good_acled_rows_and_reports_bad_ones_by_line() -> None:
    text = HEADER + (
        "ARM1,2023-09-19,1,Battles,Armed clash,A,B,Stepanakert,39.8,46.7,CivilNet,note,3\n"
        "ARM2,not a date,1,Battles,,A,,Stepanakert,,,,,0\n"
        "ARM3,2023-09-20,1,Battles,,A,,Stepanakert,,,,,-4\n"
        "ARM4,2030-01-01,1,Battles,,A,,Stepanakert,,,,,0\n"
        "ARM5,2023-09-20,1\n"
    )
    parsed = parse_acled(text, today=date(2023, 9, 21))
    assert [r.external_id for r in parsed.rows] == ["ARM1"]
    assert [(e.line, e.reason.split()[0]) for e in parsed.errors] == [
        (3, "event_date"),
        (4, "fatalities"),
        (5, "event_date"),
        (6, "expected"),
    ]


def test_it_reports_an_acled_header_without_the_required_columns() -> None:
    parsed = parse_acled("a,b\n1,2\n", today=date(2023, 9, 21))
    assert parsed.rows == [] and "event_date" in parsed.errors[0].reason


def test_it_writes_acled_that_it_reads_back() -> None:
    text = write_acled(
        [
            {
                "event_id_cnty": "X1",
                "event_date": "2023-09-20",
                "time_precision": "2",
                "event_type": "Strategic developments",
                "location": "Yevlakh",
                "fatalities": 0,
                "source": "CivilNet; TASS",
            }
        ]
    )
    (row,) = parse_acled(text, today=date(2023, 9, 21)).rows
    assert (row.precision, row.sources, row.fatalities_best) == ("week", ("CivilNet", "TASS"), 0)


def test_a_chart_draws_one_line_per_source() -> None:
    t1 = T0 + timedelta(hours=12)
    svg = line_chart_svg(
        "Killed", [Series("A", ((T0, 200.0), (t1, 300.0))), Series("B", ((T0, 100.0), (t1, 150.0)))]
    )
    assert svg.count("<polyline") == 2 and svg.startswith("<svg")


def test_a_chart_escapes_source_names() -> None:
    assert "<script>" not in line_chart_svg("x", [Series("<script>", ((T0, 1.0),))])


def test_the_map_places_north_above_south() -> None:
    svg = map_svg([MapPoint("North", 40.6, 47.1, "town"), MapPoint("South", 39.4, 46.3, "town")])
    north_y = float(svg.split('cy="')[1].split('"')[0])
    south_y = float(svg.split('cy="')[2].split('"')[0])
    assert north_y < south_y
