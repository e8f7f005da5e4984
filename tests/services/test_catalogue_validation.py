"""Row validation rules, against fake places and a fake capability check (no database)."""

from __future__ import annotations

import pytest

from services.catalogue.columns import Column
from services.catalogue.reader import read_catalogue_bytes
from services.catalogue.validation import (
    Problem,
    RejectedRow,
    generated_id,
    is_phone_number,
    normalise_url,
)
from tests.services.test_catalogue_support import HEADER, ROWS, catalogue_file, fake_validator


def _validate(*rows: list[str], header: list[str] = HEADER) -> tuple[list, list[RejectedRow]]:
    table = read_catalogue_bytes(catalogue_file(rows, "semicolon", header))
    return fake_validator().validate_table(table)


def _row(**cells: str) -> list[str]:
    base = dict(zip(HEADER, ROWS[0], strict=True))
    return [cells.get(column, base[column]) for column in HEADER]


def _only_problem(rejected: list[RejectedRow]) -> Problem:
    assert len(rejected) == 1, rejected
    assert len(rejected[0].problems) == 1, rejected[0].problems
    return rejected[0].problems[0]


def test_a_valid_row_is_normalised() -> None:
    accepted, rejected = _validate(ROWS[0])

    assert rejected == []
    [entry] = accepted
    assert entry.external_id == "vg-001"
    assert entry.values["place_name"] == "Göteborg"
    assert entry.values["municipality_code"] == "1480"
    assert entry.values["materials"] == ["ek", "björk"]
    assert entry.values["volumes"] == ["prototype", "pilot"]
    assert entry.values["website"] == "https://www.ekdahl.example.se"
    assert entry.values["status"] == "listed"


@pytest.mark.parametrize(
    ("cells", "column", "code", "value"),
    [
        ({"name": ""}, Column.NAME, "required", ""),
        ({"municipality": ""}, Column.MUNICIPALITY, "required", ""),
        ({"municipality": "Atlantis"}, Column.MUNICIPALITY, "place_not_found", "Atlantis"),
        ({"municipality": "Sundby"}, Column.MUNICIPALITY, "place_ambiguous", "Sundby"),
    ],
)
def test_a_row_nobody_could_read_is_rejected_with_its_cell_named(
    cells: dict[str, str], column: Column, code: str, value: str
) -> None:
    accepted, rejected = _validate(_row(**cells), _row(id="ok-2"))

    problem = _only_problem(rejected)
    assert (problem.column, problem.code, problem.value) == (column, code, value)
    assert rejected[0].line == 2
    assert [entry.external_id for entry in accepted] == ["ok-2"]
    assert problem.reason


@pytest.mark.parametrize(
    ("cells", "column", "code", "value", "stored"),
    [
        (
            {"materials": "ek, unobtainium"},
            Column.MATERIALS,
            "word_unknown",
            "unobtainium",
            ("materials", ["ek", "unobtainium"]),
        ),
        (
            {"processes": "svarvning, jeresy"},
            Column.PROCESSES,
            "word_suggestion",
            "jeresy",
            ("processes", ["svarvning", "jeresy"]),
        ),
        ({"volumes": "prototyp, ibland"}, Column.VOLUMES, "volume_unknown", "ibland", None),
        (
            {"email": "asa@ekdahl"},
            Column.EMAIL,
            "email_invalid",
            "asa@ekdahl",
            ("email", "asa@ekdahl"),
        ),
        ({"phone": "12 34"}, Column.PHONE, "phone_invalid", "12 34", ("phone", "12 34")),
        (
            {"website": "ekdahl punkt se"},
            Column.WEBSITE,
            "url_invalid",
            "ekdahl punkt se",
            ("website", None),
        ),
        ({"status": "kanske"}, Column.STATUS, "status_unknown", "kanske", ("status", None)),
    ],
)
def test_a_row_a_person_can_read_is_imported_as_written_with_a_note(
    cells: dict[str, str],
    column: Column,
    code: str,
    value: str,
    stored: tuple[str, object] | None,
) -> None:
    accepted, rejected = _validate(_row(**cells), _row(id="ok-2"))

    assert rejected == []
    first, second = accepted
    [note] = first.notes
    assert (note.column, note.code, note.value) == (column, code, value)
    assert note.reason and second.notes == ()
    if stored is not None:
        assert first.values[stored[0]] == stored[1]


def test_a_word_that_looks_like_a_typo_is_kept_and_its_likely_word_suggested() -> None:
    [entry], _ = _validate(_row(materials="jeresy"))

    [note] = entry.notes
    assert note.params == {"suggestion": "jersey"}
    assert 'did you mean "jersey"' in note.reason
    assert entry.values["materials"] == ["jeresy"]


def test_every_note_of_a_row_is_reported() -> None:
    [entry], _ = _validate(_row(email="x", phone="y", website="z z"))

    assert [n.column for n in entry.notes] == [Column.EMAIL, Column.PHONE, Column.WEBSITE]


def test_a_repeated_id_rejects_the_later_row_and_names_the_first_line() -> None:
    accepted, rejected = _validate(_row(), _row(name="Other AB"), _row(id="vg-009"))

    problem = _only_problem(rejected)
    assert (rejected[0].line, problem.code, problem.params["first_line"]) == (
        3,
        "duplicate_id",
        "2",
    )
    assert [entry.line for entry in accepted] == [2, 4]


def test_a_row_without_id_gets_one_from_name_and_municipality() -> None:
    accepted, _ = _validate(_row(id="", name="Åsas Keramik & Glas"))

    assert accepted[0].external_id == "asas-keramik-glas-1480"
    assert accepted[0].id_generated


def test_two_rows_without_id_for_the_same_maker_are_duplicates() -> None:
    _, rejected = _validate(_row(id=""), _row(id="", municipality="goteborg"))

    assert _only_problem(rejected).code == "duplicate_id"


def test_columns_absent_from_the_file_are_absent_from_the_values() -> None:
    accepted, _ = _validate(["Glashyttan", "Göteborg"], header=["namn", "kommun"])

    assert set(accepted[0].values) == {"name", "place_name", "municipality_code", "lat", "lon"}


def test_empty_optional_cells_clear_and_empty_status_means_keep() -> None:
    accepted, _ = _validate(_row(email="", phone="", website="", status="", contact_name=""))

    values = accepted[0].values
    assert [values[k] for k in ("email", "phone", "website", "contact_name")] == [None] * 4
    assert values["status"] is None


@pytest.mark.parametrize(
    "number",
    [
        "031-390 06 67",
        "+46 70 174 06 05",
        "0701740605",
        "08-12 34 56",
        "+46 (0)31 123 45 67",
        "0046 70 174 06 05",
        "+47 22 33 44 55",
        "070-174 06 05, 031-390 06 67",
    ],
)
def test_swedish_phone_formats_are_accepted(number: str) -> None:
    [entry], _ = _validate(_row(phone=number))

    assert entry.notes == ()


@pytest.mark.parametrize("number", ["12345", "070-ABC", "+46 70", "7017406050", "tel: 070 17"])
def test_bad_phone_numbers_are_rejected(number: str) -> None:
    assert not all(is_phone_number(part) for part in number.split(","))


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("www.example.se", "https://www.example.se"),
        ("Example.SE/Om-oss", "https://example.se/Om-oss"),
        ("http://smedja.example.se", "http://smedja.example.se"),
        ("https://åhléns.se", "https://åhléns.se"),
        ("localhost", None),
        ("ftp://example.se", None),
        ("https://", None),
        ("ek, björk", None),
    ],
)
def test_urls_are_normalised(text: str, url: str | None) -> None:
    assert normalise_url(text) == url


def test_generated_ids_are_stable_and_bounded() -> None:
    long_name = "Mycket långt företagsnamn " * 10

    assert generated_id(long_name, "1480") == generated_id(long_name, "1480")
    assert len(generated_id(long_name, "1480")) <= 48 + 5
