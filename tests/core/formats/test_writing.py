"""Writing lists back out: PFIF and HXL round trips, CSV formula safety; and hand-written lists in three scripts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from rollcall_core.formats import ParsedRow, PfifPerson, open_table, write_csv, write_hxl, write_pfif

DATA = Path(__file__).resolve().parent / "data"
PFIF_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "pfif"


def parsed(path: Path, **options: object) -> list[ParsedRow]:
    result = list(open_table(path, **options).rows())  # type: ignore[arg-type]
    assert all(isinstance(r, ParsedRow) for r in result), result
    return result  # type: ignore[return-value]


def export_pfif(rows: list[ParsedRow], tmp_path: Path) -> Path:
    out = io.BytesIO()
    write_pfif(
        [PfifPerson(r.fields.get("record_id", ""), r.fields, r.extra, r.notes) for r in rows],
        out,
        domain="rollcall.example",
    )
    path = tmp_path / "exported.xml"
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize(
    "source",
    [PFIF_DIR / "test.pfif-1.4.xml", DATA / "multiscript.pfif-1.4.xml"],
    ids=["person-finder", "multiscript"],
)
def test_a_pfif_export_imports_back_to_the_same_fields_extra_and_notes(tmp_path, source):
    original = parsed(source)
    again = parsed(export_pfif(original, tmp_path))
    assert [(r.fields, r.extra, r.notes) for r in again] == [(r.fields, r.extra, r.notes) for r in original]


def test_the_pfif_export_is_version_1_4(tmp_path):
    path = export_pfif(parsed(DATA / "multiscript.pfif-1.4.xml"), tmp_path)
    assert open_table(path).info.pfif_version == "1.4"
    assert b'xmlns:pfif="http://zesty.ca/pfif/1.4"' in path.read_bytes()


def test_top_level_pfif_notes_join_their_person_and_give_the_status():
    [_, olga] = parsed(DATA / "multiscript.pfif-1.4.xml")
    assert [n.note_record_id for n in olga.notes] == ["tracing.example.am/note.2"]
    assert olga.fields["status"] == "alive" and olga.fields["status_date"] == "2023-09-28"


def test_pfif_fields_without_a_column_are_kept_for_export():
    [aram, olga] = parsed(DATA / "multiscript.pfif-1.4.xml")
    assert aram.extra["home_street"] == "Shahumyan 4" and aram.extra["source_name"] == "Goris tracing desk"
    assert olga.extra["photo_url"] == "https://example.am/photos/2.jpg"


def test_markup_in_a_pfif_description_is_kept_as_text(tmp_path):
    [aram, _] = parsed(DATA / "multiscript.pfif-1.4.xml")
    assert aram.fields["notes"] == "Last seen on the Lachin road, <b>grey coat</b>"
    [again, _] = parsed(export_pfif(parsed(DATA / "multiscript.pfif-1.4.xml"), tmp_path))
    assert again.fields["notes"] == aram.fields["notes"]


def test_a_hand_written_russian_hospital_list_in_windows_1251_is_read():
    table = open_table(DATA / "hospital-ru.cp1251.csv")
    assert (table.info.encoding, table.info.delimiter) == ("cp1251", ";")
    assert table.info.unmapped == ("Палата",)
    [aram, olga] = parsed(DATA / "hospital-ru.cp1251.csv")
    assert aram.fields["family_name"] == "Петросян" and aram.fields["birth_date"] == "1958-05-12"
    assert (aram.fields["sex"], aram.fields["status"], aram.extra) == ("male", "injured", {"Палата": "3"})
    assert (olga.line, olga.fields["sex"], olga.fields["status"]) == (3, "female", "alive")


def test_a_hand_written_armenian_ministry_list_is_read():
    [aram, olga] = parsed(DATA / "ministry-hy.tsv")
    assert (aram.fields["given_name"], aram.fields["status"], aram.fields["sex"]) == ("Արամ", "dead", "male")
    assert (olga.fields["birth_date"], olga.fields["status"], olga.fields["age"]) == (
        "1990-05",
        "missing",
        "33",
    )


def test_the_hxl_export_is_read_back_by_its_tags(tmp_path):
    path = tmp_path / "export.csv"
    records = [
        {"full_name": "Արամ Պետրոսյան", "sex": "male", "status": "dead", "home_place": "Մարտունի"},
        {"full_name": "Ольга Аванесян", "sex": "female", "status": "alive", "home_place": "Степанакерт"},
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        write_hxl(records, ["full_name", "sex", "status", "home_place"], out)
    table = open_table(path)
    assert table.info.format == "hxl"
    assert [r.fields for r in parsed(path)] == records


def test_the_csv_export_escapes_formula_cells_and_keeps_the_rest(tmp_path):
    out = io.StringIO()
    write_csv(
        [{"full_name": '=HYPERLINK("http://evil","x")', "reporter_contact": "+374 91 000000", "notes": "ok"}],
        ["full_name", "reporter_contact", "notes"],
        out,
    )
    [_, row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert row == ['\'=HYPERLINK("http://evil","x")', "'+374 91 000000", "ok"]
