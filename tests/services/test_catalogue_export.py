"""Export writes what the importer reads back unchanged, and never a runnable formula."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel.ext.asyncio.session import AsyncSession

from services.catalogue.columns import COLUMNS
from services.catalogue.exporter import UnknownExportFormat, export_catalogue, format_for_path
from services.catalogue.importer import import_catalogue
from services.catalogue.reader import CatalogueFormat, read_catalogue_bytes
from services.catalogue.validation import RowValidator
from tests.services.test_catalogue_support import ROWS, catalogue_file

FORMULA_ROW = [
    "=cmd|' /C calc'!A0",  # an id a spreadsheet would run
    "@Studio Form",
    "Göteborg",
    "ek",
    "",
    "",
    "-handgjort i ek; +allt i trä",
    '=HYPERLINK("http://evil.example")',
    "",
    "+46 31 123 45 67",
    "",
    "listed",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def validator() -> RowValidator:
    return RowValidator.default()


async def _seed(session: AsyncSession, validator: RowValidator) -> None:
    table = read_catalogue_bytes(catalogue_file([*ROWS, FORMULA_ROW], "comma"))
    report = await import_catalogue(table, session=session, source="seed", validator=validator)
    assert report.all_accepted, report.to_text()


def _csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _xlsx_cells(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row)  # no cell is a formula
        rows.append(["" if cell.value is None else str(cell.value) for cell in row])
    return rows


@pytest.mark.parametrize("fmt", list(CatalogueFormat))
async def test_export_then_import_changes_nothing(
    session: AsyncSession, validator: RowValidator, fmt: CatalogueFormat
) -> None:
    await _seed(session, validator)

    data, count = await export_catalogue(session=session, fmt=fmt)
    table = read_catalogue_bytes(data)
    report = await import_catalogue(table, session=session, source="export", validator=validator)

    assert count == 4
    assert table.ignored_headers == ()
    assert report.counts() == {"rows": 4, "created": 0, "updated": 0, "unchanged": 4, "rejected": 0}


@pytest.mark.parametrize("fmt", list(CatalogueFormat))
async def test_formula_looking_cells_are_escaped(
    session: AsyncSession, validator: RowValidator, fmt: CatalogueFormat
) -> None:
    await _seed(session, validator)

    data, _ = await export_catalogue(session=session, fmt=fmt)
    cells = _xlsx_cells(data) if fmt is CatalogueFormat.XLSX else _csv_cells(data)

    assert cells[0] == [column.value for column in COLUMNS]
    assert not any(cell.startswith(TRIGGERS) for row in cells for cell in row)
    studio = next(row for row in cells if row[1] == "'@Studio Form")
    assert studio[0] == "'=cmd|' /C calc'!A0"
    assert studio[6] == "'-handgjort i ek; +allt i trä"
    assert studio[9] == "'+46 31 123 45 67"
    ekdahl = next(row for row in cells if row[0] == "vg-001")
    assert ekdahl[3:6] == ["ek, björk", "CNC-fräsning, svarvning", "prototype, pilot"]
    assert ekdahl[9] == "031-123 45 67"


def test_the_export_format_follows_the_file_name() -> None:
    assert format_for_path(Path("katalog.CSV")) is CatalogueFormat.CSV
    assert format_for_path(Path("katalog.xlsx")) is CatalogueFormat.XLSX
    with pytest.raises(UnknownExportFormat, match=r"\.csv or \.xlsx"):
        format_for_path(Path("katalog.ods"))
