"""The import action: lists kept exactly as received, atomically, with provenance and rejects."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rollcall.registry.actions import ImportFailed, do_import_list
from rollcall.registry.models import AuditEvent, Dataset, Note, Person, Record, RejectedRow, Source

pytestmark = pytest.mark.django_db

PFIF_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "pfif"

HOSPITAL_RU = (
    "Фамилия;Имя;Отчество;Дата рождения;Пол;Статус;Отделение\n"
    "Адамян;Сирануш;Гагиковна;12.05.1985;ж;ранен;хирургия\n"
    "Мелкумян;Давид;Ашотович;1970;м;ранен;травматология\n"
)
MINISTRY_HY = (
    "Ազգանուն,Անուն,Հայրանուն,Ծննդյան ամսաթիվ,Կարգավիճակ\nՀովհաննիսյան,Արամ,Գևորգի,1990-03-02,զոհված\n"
)
SHELTER_EN = "full_name,age,current_place,reporter_contact\nSiranoush Adamian,35-39,Stepanakert airport,+374 99 000000\n"


def test_it_imports_a_russian_list_with_russian_headers(write_file):
    report = do_import_list(
        write_file("hospital.csv", HOSPITAL_RU), source_name="Republican Hospital", kind="hospital"
    )
    assert (report.rows_read, report.rows_imported, report.rows_rejected) == (2, 2, 0)
    record = Record.objects.get(family_name="Адамян")
    assert (record.given_name, record.patronymic, record.birth_date) == ("Сирануш", "Гагиковна", "1985-05-12")
    assert record.status == "injured"
    assert record.script == "cyrillic"


def test_it_keeps_unknown_columns_as_extra_data(write_file):
    do_import_list(
        write_file("hospital.csv", HOSPITAL_RU), source_name="Republican Hospital", kind="hospital"
    )
    assert Record.objects.get(family_name="Мелкумян").extra == {"Отделение": "травматология"}


def test_it_keeps_the_row_exactly_as_received(write_file):
    do_import_list(
        write_file("hospital.csv", HOSPITAL_RU), source_name="Republican Hospital", kind="hospital"
    )
    record = Record.objects.get(family_name="Адамян")
    assert record.raw["Дата рождения"] == "12.05.1985"
    assert record.raw["Статус"] == "ранен"


def test_it_records_provenance_to_the_kept_file_and_row(write_file, kept_files_in_tmp):
    path = write_file("ministry.csv", MINISTRY_HY)
    do_import_list(path, source_name="Ministry of Health", kind="casualties")
    record = Record.objects.get()
    dataset = record.dataset
    assert dataset.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert Path(dataset.stored_path).read_bytes() == path.read_bytes()
    assert record.row_number == 2
    assert record.source.name == "Ministry of Health"
    assert record.status == "dead"
    assert record.script == "armenian"


def test_it_recognises_the_same_file_imported_twice(write_file):
    path = write_file("shelter.csv", SHELTER_EN)
    first = do_import_list(path, source_name="Airport shelter", kind="shelter")
    second = do_import_list(path, source_name="Airport shelter", kind="shelter")
    assert not first.already_imported and second.already_imported
    assert second.dataset_id == first.dataset_id
    assert Record.objects.count() == 1 and Dataset.objects.count() == 1


def test_a_dry_run_stores_nothing(write_file):
    report = do_import_list(
        write_file("h.csv", HOSPITAL_RU), source_name="Hospital", kind="hospital", dry_run=True
    )
    assert report.rows_imported == 2
    assert not Record.objects.exists() and not Dataset.objects.exists() and not Source.objects.exists()


def test_each_record_starts_as_its_own_person(write_file):
    do_import_list(write_file("h.csv", HOSPITAL_RU), source_name="Hospital", kind="hospital")
    assert Person.objects.count() == 2
    assert {p.display_name for p in Person.objects.all()} == {
        "Сирануш Гагиковна Адамян",
        "Давид Ашотович Мелкумян",
    }


def test_it_keeps_rejected_rows_with_line_field_and_reason(write_file):
    content = "full_name,birth_date,age\nAram Petrosyan,31.02.1970,\nAni Sargsyan,,-4\n,,\nLilit Grigoryan,1970-05,\n"
    report = do_import_list(write_file("bad.csv", content), source_name="Volunteers", kind="other")
    assert report.rows_imported == 1
    rejected = {r.line: r for r in RejectedRow.objects.all()}
    assert rejected[2].field == "birth_date" and "31.02.1970" in rejected[2].reason
    assert rejected[3].field == "age"
    assert Record.objects.get().full_name == "Lilit Grigoryan"


def test_a_file_that_cannot_be_read_fails_cleanly_and_stores_nothing(write_file):
    with pytest.raises(ImportFailed, match="empty"):
        do_import_list(write_file("empty.csv", b""), source_name="Nobody", kind="other")
    assert not Dataset.objects.exists() and not Source.objects.exists()


def test_an_error_midway_leaves_nothing_half_written(write_file, monkeypatch):
    from rollcall.registry import actions

    rows = "full_name\n" + "".join(f"Person {i}\n" for i in range(5000))
    original = actions._record_for
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 2500:
            raise RuntimeError("power cut")
        return original(*args, **kwargs)

    monkeypatch.setattr(actions, "_record_for", failing)
    with pytest.raises(RuntimeError):
        do_import_list(write_file("big.csv", rows), source_name="Border post", kind="crossing")
    assert not Record.objects.exists() and not Person.objects.exists() and not Dataset.objects.exists()


def test_an_import_is_audited(write_file):
    do_import_list(write_file("h.csv", HOSPITAL_RU), source_name="Hospital", kind="hospital")
    event = AuditEvent.objects.get(action="import")
    assert event.detail["rows_imported"] == 2


def test_it_rejects_an_unknown_list_kind(write_file):
    with pytest.raises(ImportFailed, match="kind"):
        do_import_list(write_file("h.csv", HOSPITAL_RU), source_name="Hospital", kind="rumours")


def test_an_explicit_column_map_overrides_the_headers(write_file):
    content = "Name of the person,Where\nAni Sargsyan,Goris\n"
    do_import_list(
        write_file("m.csv", content),
        source_name="Goris municipality",
        kind="shelter",
        column_map={"Name of the person": "full_name", "Where": "current_place"},
    )
    record = Record.objects.get()
    assert (record.full_name, record.current_place) == ("Ani Sargsyan", "Goris")


def test_windows_1251_and_utf16_lists_import_the_same_names(write_file):
    do_import_list(write_file("a.csv", HOSPITAL_RU, "cp1251"), source_name="A", kind="hospital")
    do_import_list(write_file("b.csv", HOSPITAL_RU, "utf-16"), source_name="B", kind="hospital")
    names = sorted(Record.objects.values_list("family_name", flat=True))
    assert names == ["Адамян", "Адамян", "Мелкумян", "Мелкумян"]


def test_it_imports_person_finder_pfif_with_notes():
    report = do_import_list(
        PFIF_DIR / "test.pfif-1.4.xml", source_name="Person Finder", kind="missing_reports"
    )
    assert report.rows_imported >= 1
    assert Note.objects.exists()
    note = Note.objects.first()
    assert note is not None and note.person_id == note.record.person_id


def test_records_cannot_be_edited_or_deleted(write_file):
    from rollcall.registry.models import ImmutableError

    do_import_list(write_file("h.csv", SHELTER_EN), source_name="Shelter", kind="shelter")
    record = Record.objects.get()
    record.full_name = "Someone else"
    with pytest.raises(ImmutableError):
        record.save()
    with pytest.raises(ImmutableError):
        Record.objects.get().delete()
