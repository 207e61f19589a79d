"""The `rollcall` command as users script it: a fresh home, real subprocesses, the contract's names."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PFIF_DIR = ROOT.parent / "shared" / "reference" / "pfif"
MSE_DIR = ROOT.parent / "shared" / "reference" / "mse"


def rollcall(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    # Each test's home is its own SQLite database: the command's contract, whatever the suite's database.
    env = {k: v for k, v in os.environ.items() if k not in {"ROLLCALL_HOME", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-m", "rollcall.cli", "--home", str(home), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"rollcall {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    lists = tmp_path_factory.mktemp("lists")
    hospital = lists / "hospital.csv"
    hospital.write_text(
        "Фамилия;Имя;Отчество;Возраст;Статус;Место жительства\n"
        "Адамян;Сирануш;Гагиковна;38;ранен;Степанакерт\n"
        "=cmd|' /C calc'!A0;Давид;Ашотович;53;ранен;Мартуни\n",
        encoding="utf-8",
    )
    rollcall(home, "import", str(hospital), "--source", "Republican Hospital", "--kind", "hospital")
    return home


def test_a_fresh_home_is_created_and_migrated_by_any_command(tmp_path):
    result = rollcall(tmp_path / "new-home", "search", "nobody", "--json")
    assert json.loads(result.stdout) == []
    assert (tmp_path / "new-home" / "rollcall.sqlite3").exists()


def test_search_json_follows_the_contract(home):
    results = json.loads(rollcall(home, "search", "Адамян", "--json").stdout)
    assert results, "the imported person is found"
    first = results[0]
    assert set(first) >= {"person_id", "display_name", "score", "records"}
    assert first["records"][0] == {
        "source": "Republican Hospital",
        "record_id": first["records"][0]["record_id"],
        "full_name": first["records"][0]["full_name"],
    }
    assert "Адамян" in first["records"][0]["full_name"]


def test_export_records_has_the_contract_columns_and_defuses_formulas(home):
    out = rollcall(home, "export", "records").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:3] == ["source", "record_id", "person_id"]
    assert {"full_name", "status"} <= set(rows[0])
    dangerous = [r for r in rows if "calc" in r["family_name"]]
    assert dangerous and not dangerous[0]["family_name"].startswith("=")


def test_importing_the_same_file_again_changes_nothing(home, tmp_path):
    again = tmp_path / "copy.csv"
    again.write_text(
        "Фамилия;Имя;Отчество;Возраст;Статус;Место жительства\n"
        "Адамян;Сирануш;Гагиковна;38;ранен;Степанакерт\n"
        "=cmd|' /C calc'!A0;Давид;Ашотович;53;ранен;Мартуни\n",
        encoding="utf-8",
    )
    result = rollcall(home, "import", str(again), "--source", "Republican Hospital", "--kind", "hospital")
    assert "already imported" in result.stdout


def test_a_failure_exits_non_zero_with_one_line_on_stderr(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = rollcall(tmp_path / "h", "import", str(empty), "--source", "X", check=False)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "empty" in result.stderr


def test_rejected_rows_are_written_to_a_csv_that_can_be_corrected_and_imported(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("full_name,birth_date\nAni Sargsyan,1970-13-01\nAram Petrosyan,1970\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = rollcall(tmp_path / "h", "import", str(bad), "--source", "Volunteers", "--rejects", str(rejects))
    assert "1 rejected" in result.stdout
    rows = list(csv.DictReader(rejects.open(encoding="utf-8-sig")))
    assert rows[0]["full_name"] == "Ani Sargsyan" and rows[0]["rollcall_field"] == "birth_date"
    rows[0]["birth_date"] = "1970-01-13"
    with rejects.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    fixed = rollcall(tmp_path / "h", "import", str(rejects), "--source", "Volunteers")
    assert "1 imported, 0 rejected" in fixed.stdout


def test_map_with_no_field_keeps_a_recognised_column_as_extra_data(tmp_path):
    # "Дата" is recognised as the status date; in this list it holds bed numbers.
    beds = tmp_path / "beds.csv"
    beds.write_text("full_name,Дата\nAni Sargsyan,B-12\n", encoding="utf-8")
    guessed = rollcall(tmp_path / "h", "import", str(beds), "--source", "Goris school", "--dry-run")
    assert "0 would import, 1 rejected" in guessed.stdout and "Дата -> status_date" in guessed.stdout
    kept = rollcall(tmp_path / "h", "import", str(beds), "--source", "Goris school", "--map", "Дата=")
    assert "1 imported, 0 rejected" in kept.stdout
    assert "kept as extra data (no canonical column): Дата" in kept.stdout
    wrong = rollcall(tmp_path / "h2", "import", str(beds), "--source", "X", "--map", "Дата=bed", check=False)
    assert wrong.returncode != 0 and "'bed' is not a column" in wrong.stderr


def test_pfif_round_trips_through_import_and_export(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    rollcall(
        first, "import", str(PFIF_DIR / "test.pfif-1.4.xml"), "--source", "Person Finder", "--format", "pfif"
    )
    exported = tmp_path / "export.xml"
    rollcall(first, "export", "pfif", "--out", str(exported))
    rollcall(second, "import", str(exported), "--source", "Person Finder", "--format", "pfif")
    a = rollcall(first, "export", "records").stdout
    b = rollcall(second, "export", "records").stdout

    def comparable(text: str) -> list[dict[str, str]]:
        rows = list(csv.DictReader(io.StringIO(text)))
        return sorted(
            ({k: v for k, v in r.items() if k not in {"person_id", "dataset"}} for r in rows), key=str
        )

    assert comparable(a) == comparable(b)


def test_estimate_from_a_table_prints_the_contract_json(tmp_path):
    result = rollcall(
        tmp_path / "h",
        "estimate",
        "--table",
        str(MSE_DIR / "rcapture_HIV_4lists.csv"),
        "--method",
        "loglinear",
        "--json",
    )
    payload = json.loads(result.stdout)
    assert {"method", "observed", "estimate", "lower", "upper", "model", "lists"} <= set(payload)
    assert payload["lower"] <= payload["estimate"] <= payload["upper"]


def test_estimate_takes_the_lcmcr_sampler_settings_from_the_command_line(tmp_path):
    # The R-hat warning tells the user to run longer or with split-merge moves and tempering: the
    # command line must be able to do what it says.
    result = rollcall(
        tmp_path / "h", "estimate", "--table", str(MSE_DIR / "rcapture_HIV_4lists.csv"), "--method", "lcmcr",
        "--chains", "2", "--burn-in", "50", "--draws", "40", "--thinning", "3",
        "--split-merge", "2", "--replicas", "3", "--coldest", "0.5", "--json",
    )  # fmt: skip
    payload = json.loads(result.stdout)
    diagnostics = payload["diagnostics"]
    assert diagnostics["chains"] == 2 and diagnostics["iterations_per_chain"] == 50 + 40 * 3
    assert diagnostics["split_merge"]["tries_per_iteration"] == 2
    assert len(diagnostics["tempering"]["betas"]) == 3 and diagnostics["tempering"]["betas"][-1] == 0.5


@pytest.mark.parametrize(
    ("flags", "complaint"),
    [(["--chains", "0"], "--chains: 0 is less than 1"), (["--thinning", "two"], "'two' is not a whole number"),
     (["--coldest", "0.5"], "--coldest goes with --replicas"),
     (["--replicas", "3", "--coldest", "1.5"], "between 0 and 1"), (["--replicas", "3", "--coldest", "nan"], "between 0 and 1")],
)  # fmt: skip
def test_estimate_refuses_sampler_settings_that_cannot_run(tmp_path, flags, complaint):
    result = rollcall(
        tmp_path / "h", "estimate", "--table", str(MSE_DIR / "rcapture_HIV_4lists.csv"), "--method", "lcmcr",
        *flags, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and complaint in result.stderr
    assert result.stdout == ""
