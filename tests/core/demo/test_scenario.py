"""The demo scenario: reproducible, complete truth, lists readable as the clerks wrote them."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from rollcall_core.demo import iter_names, iter_people, write_scenario
from rollcall_core.formats import ParsedRow, open_table
from rollcall_core.gazetteer import load_places
from rollcall_core.names import detect_script


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, write_scenario(out, people=3000, seed=7)


def truth_rows(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((out / "truth.csv").open(encoding="utf-8")))


def test_the_same_seed_writes_the_same_files(scenario, tmp_path):
    out, manifest = scenario
    again = write_scenario(tmp_path, people=3000, seed=7)
    for demo_list in manifest.lists:
        assert (out / demo_list.filename).read_bytes() == (tmp_path / demo_list.filename).read_bytes()
    assert [d.rows for d in again.lists] == [d.rows for d in manifest.lists]


def test_another_seed_writes_another_population(tmp_path):
    a = [p.given for p in iter_people(50, 1)]
    b = [p.given for p in iter_people(50, 2)]
    assert a != b


def test_the_truth_covers_every_record_of_every_list(scenario):
    out, manifest = scenario
    truth = Counter(row["list_name"] for row in truth_rows(out))
    assert {d.name: d.rows for d in manifest.lists} == dict(truth)


def test_every_list_imports_without_rejects_through_the_real_reader(scenario):
    out, manifest = scenario
    for demo_list in manifest.lists:
        rows = list(open_table(out / demo_list.filename).rows())
        assert len(rows) == demo_list.rows
        assert all(isinstance(r, ParsedRow) for r in rows), demo_list.filename


def test_the_lists_are_written_in_their_own_scripts(scenario):
    out, _ = scenario
    hospital = open_table(out / "hospital_admissions.csv")
    assert hospital.info.encoding == "cp1251" and hospital.info.delimiter == ";"
    assert {detect_script(r.fields["family_name"]) for r in hospital.rows()} == {"cyrillic"}
    ministry = list(open_table(out / "moh_casualties.csv").rows())
    assert {detect_script(r.fields["family_name"]) for r in ministry} == {"armenian"}
    tracing = Counter(
        detect_script(r.fields["full_name"].replace(" ", ""))
        for r in open_table(out / "tracing_requests.csv").rows()
    )
    assert tracing["armenian"] and tracing["cyrillic"] and tracing["latin"]


def test_capture_depends_on_the_persons_status(scenario):
    out, _ = scenario
    status = {f"P{i:07d}": p.status for i, p in enumerate(iter_people(3000, 7))}
    on_ministry = {r["person_key"] for r in truth_rows(out) if r["list_name"] == "ministry"}
    on_crossing = {r["person_key"] for r in truth_rows(out) if r["list_name"] == "crossing"}
    assert on_ministry and all(status[k] == "dead" for k in on_ministry)
    assert not any(status[k] == "dead" for k in on_crossing)
    dead = [k for k, s in status.items() if s == "dead"]
    assert 0.5 < len(on_ministry & set(dead)) / len(dead) < 0.95  # many, not all: someone is left to estimate


def test_some_people_are_on_a_list_twice(scenario):
    out, _ = scenario
    pairs = Counter((r["list_name"], r["person_key"]) for r in truth_rows(out))
    assert any(count > 1 for count in pairs.values())


def test_home_places_come_from_the_gazetteer():
    keys = {p.key for p in load_places()}
    assert {p.home for p in iter_people(200, 3)} <= keys


def test_every_place_has_english_and_armenian_names_and_coordinates():
    for place in load_places():
        assert place.names.get("en") and place.names.get("hy"), place.key
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


def test_iter_names_yields_names_in_several_scripts():
    scripts = Counter(detect_script(n.split()[0]) for n in iter_names(300, 5))
    assert scripts["armenian"] and scripts["cyrillic"] and scripts["latin"]


def test_a_child_is_never_reported_missing_by_a_son_or_daughter(scenario):
    out, _ = scenario
    rows = list(csv.DictReader((out / "tracing_requests.csv").open(encoding="utf-8")))
    relations_for_children = Counter()
    for row in rows:
        # An age range is written as (age - 3)-(age + 2), so the upper bound less two is the age.
        age = int(row["age"].split("-")[1]) - 2 if "-" in row["age"] else int(row["age"])
        if age < 18:
            relations_for_children[row["notes"].removeprefix("reported by ")] += 1
    assert relations_for_children, "the scenario should contain missing children"
    assert not {"son", "daughter"} & set(relations_for_children)
