"""Reading catalogue files: every dialect Swedish coordinators produce, and unusable files."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook

from services.catalogue.columns import Column, escape_cell, parse_status, unescape_cell
from services.catalogue.reader import (
    CatalogueFileError,
    CatalogueFormat,
    read_catalogue_bytes,
    read_catalogue_file,
)
from tests.services.test_catalogue_support import FORMATS, ROWS, catalogue_file, ods_file


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_the_same_cells(fmt: str) -> None:
    table = read_catalogue_bytes(catalogue_file(ROWS, fmt))

    expected = {"xlsx": CatalogueFormat.XLSX, "ods": CatalogueFormat.ODS}
    assert table.format is expected.get(fmt, CatalogueFormat.CSV)
    assert table.columns == tuple(Column)
    assert [row.line for row in table.rows] == [2, 3, 4]
    assert [[row.cells[column] for column in Column] for row in table.rows] == ROWS


def test_swedish_headers_are_aliases_and_unknown_ones_are_reported() -> None:
    header = ["Nr", "Företagsnamn", "Ort/Kommun", "Material", "E-post", "Hemsida", "Anteckningar"]
    data = catalogue_file(
        [["1", "Glashyttan", "Kosta", "glas", "a@example.se", "www.example.se", "x"]],
        "comma",
        header,
    )

    table = read_catalogue_bytes(data)

    assert table.columns == (
        Column.ID,
        Column.NAME,
        Column.MUNICIPALITY,
        Column.MATERIALS,
        Column.EMAIL,
        Column.WEBSITE,
    )
    assert table.ignored_headers == ("Anteckningar",)
    assert table.rows[0].cells[Column.MUNICIPALITY] == "Kosta"


def test_header_below_a_title_row_and_blank_rows_keep_spreadsheet_line_numbers() -> None:
    text = (
        "Katalog Västra Götaland;;\r\n;;\r\n"
        "namn;kommun;material\r\nA;Borås;ull\r\n;;\r\nB;Borås;ek\r\n"
    )

    table = read_catalogue_bytes(text.encode("cp1252"))

    assert [(row.line, row.cells[Column.NAME]) for row in table.rows] == [(4, "A"), (6, "B")]


def test_a_multiline_cell_is_one_spreadsheet_row() -> None:
    text = 'name,municipality,description\nA,Borås,"two\nlines"\nB,Borås,x\n'

    table = read_catalogue_bytes(text.encode())

    assert [row.line for row in table.rows] == [2, 3]
    assert table.rows[0].cells[Column.DESCRIPTION] == "two\nlines"


def test_xlsx_numbers_read_as_plain_text_and_the_first_sheet_with_a_header_wins() -> None:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.append(["Instruktioner: fyll i fliken Makers"])
    sheet = workbook.create_sheet("Makers")
    sheet.append(["id", "namn", "kommun"])
    sheet.append([17, "Plåt & Form", "Mölndal"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_catalogue_bytes(buffer.getvalue())

    assert table.rows[0].cells == {
        Column.ID: "17",
        Column.NAME: "Plåt & Form",
        Column.MUNICIPALITY: "Mölndal",
    }


def test_the_export_apostrophe_is_removed_on_import() -> None:
    text = "name;municipality;phone;description\nA;Borås;'+46 70 174 06 05;'tis fine\n"

    cells = read_catalogue_bytes(text.encode()).rows[0].cells

    assert cells[Column.PHONE] == "+46 70 174 06 05"
    assert cells[Column.DESCRIPTION] == "'tis fine"


def test_a_stray_control_character_is_dropped_from_its_cell() -> None:
    text = "name;municipality;description\nA;Borås;rad ett\x0brad två\n"

    cells = read_catalogue_bytes(text.encode()).rows[0].cells

    assert cells[Column.DESCRIPTION] == "rad ettrad två"


def test_a_lone_dash_is_an_empty_cell() -> None:
    text = "name;municipality;phone;website\nA;Borås; – ;'-\n"

    cells = read_catalogue_bytes(text.encode()).rows[0].cells

    assert (cells[Column.PHONE], cells[Column.WEBSITE]) == ("", "-")


def test_decomposed_letters_are_composed() -> None:
    text = "name;municipality\nA;Bora\u030as\n"  # "å" as a + combining ring, as macOS writes it

    assert read_catalogue_bytes(text.encode()).rows[0].cells[Column.MUNICIPALITY] == "Borås"


@given(st.text())
@example("'=1")
@example("''+46")
@example("'tis")
def test_escape_then_unescape_is_the_identity(value: str) -> None:
    escaped = escape_cell(value)
    assert unescape_cell(escaped) == value
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("listed", "listed"),
        ("Listad", "listed"),
        ("aktiv", "listed"),
        ("PAUSAD", "paused"),
        ("avlistad", "unlisted"),
        ("ej listad", "unlisted"),
        ("unlisted", "unlisted"),
    ],
)
def test_statuses_in_english_and_swedish(text: str, status: str) -> None:
    assert parse_status(text) == status


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"  \r\n ", "empty"),
        (bytes(range(256)) * 8, "not_a_spreadsheet"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "not_a_spreadsheet"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(64), "not_a_spreadsheet"),
        (b"PK\x03\x04 not really a zip", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old_excel"),
        (b"id;namn;e-post\n1;A;a@example.se\n", "no_header"),
        (b"namn;kommun\n", "no_rows"),
        (b"namn;kommun\n;;\n", "no_rows"),
    ],
)
def test_unusable_files_raise_with_a_reason(data: bytes, code: str) -> None:
    with pytest.raises(CatalogueFileError) as raised:
        read_catalogue_bytes(data)

    assert raised.value.code == code
    assert raised.value.reason


def test_a_missing_file_is_unusable(tmp_path: Path) -> None:
    with pytest.raises(CatalogueFileError, match="not found"):
        read_catalogue_file(tmp_path / "nope.csv")


def test_header_names_are_listed_when_required_columns_are_missing() -> None:
    with pytest.raises(CatalogueFileError, match="id, namn, e-post"):
        read_catalogue_bytes(b"id;namn;e-post\n1;A;a@example.se\n")


def test_headers_match_case_and_diacritic_insensitively() -> None:
    table = read_catalogue_bytes(
        b"NAMN;KOMMUN;TELEFON;Webbplats\nA;Boras;031-390 06 56;example.se\n"
    )

    assert table.columns == (Column.NAME, Column.MUNICIPALITY, Column.PHONE, Column.WEBSITE)


def test_a_formula_without_a_saved_result_is_named_not_read_as_empty() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "name", "municipality", "materials"])
    sheet.append(["a", "Ekstrand Snickeri", "Lund", "ek"])
    sheet.append(["b", "Björkdahl", '=CONCAT("Lu";"nd")', "ek"])  # openpyxl saves no result
    data = io.BytesIO()
    workbook.save(data)
    with pytest.raises(CatalogueFileError) as caught:
        read_catalogue_bytes(data.getvalue())
    assert caught.value.code == "formula_without_value" and "C3" in caught.value.reason


def _titled_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "Katalog Västra Götaland"
    sheet["B3"], sheet["C3"] = "namn", "kommun"  # a blank row and a blank column before it
    sheet["B4"], sheet["C4"] = "Ekdahl", "Borås"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _titled_ods() -> bytes:
    catalogue = [["Katalog"], [""], ["", "namn", "kommun"], ["", "Ekdahl", "Borås"]]
    return ods_file([("Instruktioner", [["Fyll i nästa flik"]]), ("Katalog", catalogue)])


@pytest.mark.parametrize("make", [_titled_xlsx, _titled_ods], ids=["xlsx", "ods"])
def test_sheet_line_numbers_count_the_rows_above_the_header(make: Callable[[], bytes]) -> None:
    [row] = read_catalogue_bytes(make()).rows

    assert (row.line, row.cells[Column.NAME], row.cells[Column.MUNICIPALITY]) == (
        4,
        "Ekdahl",
        "Borås",
    )
