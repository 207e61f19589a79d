"""`rollcall estimate --status`: tables from linked persons, per stratum and in total, refusals with reasons."""

from __future__ import annotations

import argparse
import json
from collections import Counter

import pytest

from rollcall.estimates import (
    TOTAL,
    EstimateFailed,
    Stratum,
    capture_strata,
    estimate_strata,
    inconsistency,
    run_estimate,
)
from rollcall_core.estimation import CaptureTable, EstimationResult

from .conftest import HTML_PLACE, LISTS, population


def args(**given: object) -> argparse.Namespace:
    defaults = {"status": "dead", "table": None, "by": None, "method": "default", "seed": 1, "json": False}
    return argparse.Namespace(**{**defaults, **given})


def expected_patterns(place_of: str | None = None) -> Counter[str]:
    """The capture patterns the fixture's population should give, over the lists that record someone."""
    people = [p for p in population() if place_of is None or p["place"] == place_of]
    present = [i for i in range(len(LISTS)) if any(p["on"][i] for p in people)]  # type: ignore[index]
    return Counter("".join(str(int(p["on"][i])) for i in present) for p in people)  # type: ignore[index]


def test_each_linked_person_is_one_row_of_the_table_whatever_the_lists_they_are_on(dead_on_lists):
    total = capture_strata("dead", None)[0]
    assert total.name == TOTAL
    assert total.table.lists == tuple(sorted(name for name, _ in LISTS))
    # Sorted list names (NK Ministry, Red Cross, Republican) differ from the fixture's order: map them.
    order = [[name for name, _ in LISTS].index(n) for n in total.table.lists]
    want = Counter("".join(str(int(p["on"][i])) for i in order) for p in dead_on_lists)
    got = {"".join(map(str, k)): v for k, v in total.table.counts.items()}
    assert got == dict(want)
    assert total.table.observed == len(dead_on_lists)


def test_a_place_written_in_three_scripts_is_one_stratum(dead_on_lists):
    strata = {s.name: s for s in capture_strata("dead", "home_place")}
    assert "Stepanakert" in strata
    assert not {"Степанакерт", "Ստեփանակերտ"} & set(strata)
    assert strata["Stepanakert"].table.observed == 60


def test_a_list_that_records_no_one_in_a_stratum_is_left_out_of_its_table_and_named(dead_on_lists):
    martuni = {s.name: s for s in capture_strata("dead", "home_place")}["Martuni"]
    assert martuni.absent == ("Red Cross tracing desk",)
    assert "Red Cross tracing desk" not in martuni.table.lists


def test_a_stratum_on_two_lists_is_refused_with_the_reason_and_the_others_are_still_estimated(
    dead_on_lists, capsys
):
    assert run_estimate(args(by="home_place")) == 0
    out = capsys.readouterr().out
    martuni = next(line for line in out.splitlines() if line.startswith("[Martuni]"))
    assert "not estimable (12 observed)" in martuni
    assert "only 2 list(s) record anyone here" in martuni and "at least 3" in martuni
    vank = next(line for line in out.splitlines() if line.startswith(f"[{HTML_PLACE}]"))
    assert "too few" in vank
    stepanakert = next(line for line in out.splitlines() if line.startswith("[Stepanakert]"))
    assert "observed 60, estimate" in stepanakert
    assert out.splitlines()[0].startswith("[all] loglinear: observed 79, estimate")


def test_json_with_by_is_an_array_of_the_total_then_each_stratum_all_with_the_contract_keys(
    dead_on_lists, capsys
):
    assert run_estimate(args(by="home_place", json=True)) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["stratum"] for e in entries] == [TOTAL, HTML_PLACE, "Chartar", "Martuni", "Stepanakert"]
    for entry in entries:
        assert list(entry)[:7] == ["method", "observed", "estimate", "lower", "upper", "model", "lists"]
    refused = {e["stratum"]: e for e in entries if "error" in e}
    assert set(refused) == {HTML_PLACE, "Chartar", "Martuni"}
    assert refused["Martuni"]["estimate"] is None and refused["Martuni"]["observed"] == 12
    estimated = [e for e in entries if "error" not in e]
    for entry in estimated:
        assert entry["observed"] <= entry["estimate"]
        assert entry["lower"] <= entry["estimate"] <= entry["upper"]


def test_json_for_one_method_on_the_total_is_one_object_and_all_methods_an_array(
    dead_on_lists, quick_lcmcr, capsys
):
    assert run_estimate(args(json=True, method="loglinear")) == 0
    single = json.loads(capsys.readouterr().out)
    assert isinstance(single, dict) and single["method"] == "loglinear" and single["observed"] == 79
    assert run_estimate(args(json=True, method="all")) == 0
    many = json.loads(capsys.readouterr().out)
    assert [e["method"] for e in many] == ["loglinear", "dga", "lcmcr"]


def test_when_no_stratum_can_be_estimated_the_command_fails_naming_each_reason(import_csv):
    import_csv(
        "record_id,full_name,status\n1,Anahit Sargsyan,dead\n2,Narek Sargsyan,dead\n", source="Only list"
    )
    with pytest.raises(EstimateFailed) as refused:
        run_estimate(args(by="sex"))
    message = str(refused.value)
    assert message.startswith("no stratum could be estimated")
    assert "[all] loglinear: only 1 list(s)" in message and "[unknown] loglinear" in message


def test_an_unknown_stratum_field_is_refused_with_the_choices(dead_on_lists):
    with pytest.raises(EstimateFailed, match="use one of home_place, sex, age_band, category, status_date"):
        run_estimate(args(by="reporter_contact"))


def test_progress_covers_the_whole_run_and_ends_at_one(dead_on_lists, quick_lcmcr):
    seen: list[tuple[float, str]] = []
    strata = capture_strata("dead", "sex")
    estimate_strata(strata, "all", progress=lambda fraction, stage: seen.append((fraction, stage)))
    fractions = [f for f, _ in seen]
    assert fractions[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert any("lcmcr" in stage for _, stage in seen)
    # Never backwards by more than rounding: a bar that jumps back misleads whoever is waiting.
    assert all(b >= a - 1e-9 for a, b in zip(fractions, fractions[1:], strict=False))


def test_an_estimate_outside_its_own_interval_is_withheld_not_shown():
    def result(estimate: float, lower: float, upper: float) -> EstimationResult:
        return EstimationResult(method="loglinear", model="[1,2,3]", observed=54, estimate=estimate,
                                lower=lower, upper=upper, level=0.95, lists=("A", "B", "C"))  # fmt: skip

    assert inconsistency(result(86.5, 54.0, 62.4)) is not None
    assert "outside its own interval" in inconsistency(result(86.5, 54.0, 62.4))  # type: ignore[operator]
    assert "below the number of people documented" in inconsistency(result(50.0, 40.0, 70.0))  # type: ignore[operator]
    assert inconsistency(result(60.0, 54.0, 70.0)) is None


def test_a_withheld_result_is_a_refusal_that_keeps_its_numbers_aside(monkeypatch):
    import rollcall.estimates as estimates

    table = CaptureTable.from_patterns(lists=["A", "B", "C"], counts={(1, 0, 0): 20, (0, 1, 0): 15, (0, 0, 1): 12,
                                                                       (1, 1, 0): 5, (1, 0, 1): 4, (0, 1, 1): 3})  # fmt: skip
    bad = EstimationResult(method="loglinear", model="[1,2,3]", observed=59, estimate=90.0, lower=60.0,
                           upper=70.0, level=0.95, lists=("A", "B", "C"))  # fmt: skip
    monkeypatch.setattr(estimates, "estimate", lambda *a, **k: bad)
    [stratum] = estimate_strata([Stratum(TOTAL, table)], "loglinear")
    [entry] = stratum["results"]
    assert entry["estimate"] is None and "outside its own interval" in entry["error"]
    assert entry["withheld"]["estimate"] == 90.0


def test_the_command_draws_a_progress_bar_on_stderr_for_long_sampling(dead_on_lists, quick_lcmcr, capsys):
    assert run_estimate(args(method="lcmcr")) == 0
    err = capsys.readouterr().err
    assert "estimating (lcmcr) [" in err and "100.0%" in err


def test_on_the_demo_the_command_estimates_the_total_and_each_home_place_end_to_end(tmp_path):
    """`rollcall demo` (which links its lists), `rollcall estimate --status dead --by home_place --json`, as a user runs them."""
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"ROLLCALL_HOME", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }

    def rollcall(*argv: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "rollcall.cli", "--home", str(tmp_path), *argv],
                              capture_output=True, text=True, env=env, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done

    # The demo links its lists itself, as `make run` shows them.
    assert "linked" in rollcall("demo").stdout
    entries = json.loads(rollcall("estimate", "--status", "dead", "--by", "home_place", "--json").stdout)
    assert entries[0]["stratum"] == TOTAL and "error" not in entries[0]
    assert entries[0]["lower"] <= entries[0]["estimate"] <= entries[0]["upper"]
    strata = {e["stratum"]: e for e in entries[1:]}
    # The demo writes home places in three scripts; the gazetteer makes them one stratum each.
    assert "Stepanakert" in strata and "Степанакерт" not in strata and "Ստեփանակերտ" not in strata
    assert sum(e["observed"] for e in strata.values()) == entries[0]["observed"]
    for entry in entries:
        assert {"method", "observed", "estimate", "lower", "upper", "model", "lists"} <= set(entry)
        assert ("error" in entry) == (entry["estimate"] is None)


@pytest.mark.parametrize(
    ("text", "window", "expected"),
    [
        ("2023-09-19", "week", "2023-09-18 to 2023-09-24"),  # a Tuesday: the week from Monday the 18th
        ("2023-09-24T23:30:00+04:00", "week", "2023-09-18 to 2023-09-24"),
        ("2023-09-25", "week", "2023-09-25 to 2023-10-01"),
        ("2023-09-19", "month", "2023-09"),
        ("2023-09", "month", "2023-09"),
        ("2023-09", "week", None),  # a month does not say which week
        ("2023", "month", None),
        ("2023-13", "month", None),
        ("19 September", "week", None),
    ],
)
def test_a_recorded_date_falls_in_its_week_or_month_and_a_partial_date_in_none_it_cannot_name(
    text, window, expected
):
    from rollcall.estimates import date_window

    assert date_window(text, window) == expected


@pytest.fixture
def dated_deaths(import_csv):
    """Three lists; each person's death dated a day apart on different lists (the 19th, the 20th)."""
    from rollcall.linkage.actions import do_merge
    from rollcall.registry.models import Person

    for index, day in enumerate(("2023-09-19", "2023-09-20", "2023-09-26")):
        rows = ["record_id,full_name,status,status_date"]
        rows += [f"{index}-{n},Vardan Dateyan {n},dead,{day}" for n in range(12) if (n + index) % 3]
        rows += [f"{index}-x,Undated Person,dead,"]
        import_csv("\n".join(rows) + "\n", source=f"List {index}", name=f"dated{index}.csv")
    for n in [*range(12), None]:
        name = "Undated Person" if n is None else f"Vardan Dateyan {n}"
        persons = list(Person.objects.filter(records__full_name=name).distinct().order_by("id"))
        for other in persons[1:]:
            do_merge(persons[0], other, user=None, reason="same person (test)")


def test_deaths_dated_a_day_apart_on_two_lists_fall_in_one_week_stratum(dated_deaths):
    strata = {s.name: s for s in capture_strata("dead", "status_date")}
    # The earliest date each person's records give: the 19th or the 20th, one week; the undated apart.
    assert set(strata) == {TOTAL, "2023-09-18 to 2023-09-24", "unknown date"}
    assert strata["2023-09-18 to 2023-09-24"].table.observed == 12
    assert strata["unknown date"].table.observed == 1


def test_with_window_month_the_strata_are_months(dated_deaths):
    strata = [s.name for s in capture_strata("dead", "status_date", "month")]
    assert strata == [TOTAL, "2023-09", "unknown date"]


def test_a_window_without_grouping_by_date_is_refused(dated_deaths):
    with pytest.raises(EstimateFailed, match="--window goes with --by status_date"):
        run_estimate(args(by="sex", window="month"))
    with pytest.raises(EstimateFailed, match="--window 'day'"):
        capture_strata("dead", "status_date", "day")


def test_the_analyst_page_can_group_deaths_by_month(dated_deaths, users):
    from rollcall.estimation.actions import do_request_estimate
    from rollcall.estimation.forms import EstimateForm

    assert EstimateForm({"status": "dead", "by": "status_month", "method": "default"}).is_valid()
    run = do_request_estimate(status="dead", by="status_month", method="default", user=users["analyst"])
    run.refresh_from_db()
    assert run.state == "done"
    assert [s["stratum"] for s in run.strata] == [TOTAL, "2023-09", "unknown date"]
