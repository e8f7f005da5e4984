"""Export writes what the importer reads back unchanged, and never a runnable formula."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus, VolumeStage
from matching.volume import parse_volume_list
from services.catalogue.columns import Column, map_header, parse_status, stage_words, status_word
from services.catalogue.exporter import (
    EXPORT_FORMATS,
    UnknownExportFormat,
    catalogue_bytes,
    export_catalogue,
    format_for_path,
    header_row,
)
from services.catalogue.importer import import_catalogue
from services.catalogue.reader import CatalogueFormat, read_catalogue_bytes
from services.catalogue.validation import RowValidator
from storage.models import Maker
from storage.repositories.makers import list_makers
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
    "+46 31 390 06 67",
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


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
async def test_export_then_import_changes_nothing(
    session: AsyncSession, validator: RowValidator, fmt: CatalogueFormat
) -> None:
    await _seed(session, validator)

    data, count = await export_catalogue(session=session, fmt=fmt)
    table = read_catalogue_bytes(data)
    report = await import_catalogue(table, session=session, source="export", validator=validator)

    assert count == 4
    assert table.ignored_headers == ()
    assert report.counts() == {
        **{"rows": 4, "created": 0, "updated": 0, "unchanged": 4},
        **{"rejected": 0, "notes": 0, "renamed": 0},
    }


OWN_WORDS = [
    "vg-010",
    "Unika Ting",
    "Borås",
    "nubuck, kohud",  # words the taxonomy does not know, kept
    "handsömnad",
    "unikat, prototyp",  # one stage, in the coordinator's two words
    "",
    "",
    "",
    "",
    "",
    "pausad",
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
async def test_a_round_trip_keeps_the_coordinators_words_and_changes_nothing(
    session: AsyncSession, validator: RowValidator, fmt: CatalogueFormat, language: str
) -> None:
    table = read_catalogue_bytes(catalogue_file([*ROWS, OWN_WORDS], "comma"))
    await import_catalogue(table, session=session, source="katalog.csv", validator=validator)
    before = [m.model_dump(exclude={"updated_at"}) for m in await list_makers(session=session)]

    data, _ = await export_catalogue(session=session, fmt=fmt, language=language)
    exported = read_catalogue_bytes(data)
    report = await import_catalogue(exported, session=session, source="export", validator=validator)

    assert exported.ignored_headers == ()
    assert _raw_cells(data, fmt)[0] == header_row(language)
    unika = next(row.cells for row in exported.rows if row.cells[Column.ID] == "vg-010")
    assert unika[Column.VOLUMES] == "unikat, prototyp"  # not "prototype"
    assert unika[Column.MATERIALS] == "nubuck, kohud"
    assert unika[Column.STATUS] == ("pausad" if language == "sv" else "paused")
    assert report.counts()["unchanged"] == 4 and report.counts()["updated"] == 0
    after = [m.model_dump(exclude={"updated_at"}) for m in await list_makers(session=session)]
    assert after == before


async def test_a_listing_imported_before_its_words_were_kept_round_trips_unchanged(
    session: AsyncSession, validator: RowValidator
) -> None:
    table = read_catalogue_bytes(
        b"id;namn;kommun;volymer\nold-1;Gamla Verkstaden;Bor\xc3\xa5s;prototyp, pilot\n"
    )
    await import_catalogue(table, session=session, source="x", validator=validator)
    [older] = await list_makers(session=session)
    older.volume_words = []  # as every listing imported before the words were kept
    session.add(older)
    await session.commit()

    for language in ("sv", "en"):
        data, _ = await export_catalogue(
            session=session, fmt=CatalogueFormat.CSV, language=language
        )
        assert ("prototyp, småserie" if language == "sv" else "prototype, small series") in (
            data.decode("utf-8-sig")
        )
        table = read_catalogue_bytes(data)
        report = await import_catalogue(table, session=session, source="x", validator=validator)
        assert report.counts()["unchanged"] == 1, language


def _raw_cells(data: bytes, fmt: CatalogueFormat) -> list[list[str]]:
    return _xlsx_cells(data) if fmt is CatalogueFormat.XLSX else _csv_cells(data)


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
async def test_formula_looking_cells_are_escaped(
    session: AsyncSession, validator: RowValidator, fmt: CatalogueFormat
) -> None:
    await _seed(session, validator)

    data, _ = await export_catalogue(session=session, fmt=fmt)
    cells = _xlsx_cells(data) if fmt is CatalogueFormat.XLSX else _csv_cells(data)

    assert cells[0] == header_row("sv")
    assert not any(cell.startswith(TRIGGERS) for row in cells for cell in row)
    studio = next(row for row in cells if row[1] == "'@Studio Form")
    assert studio[0] == "'=cmd|' /C calc'!A0"
    assert studio[6] == "'-handgjort i ek; +allt i trä"
    assert studio[9] == "'+46 31 390 06 67"
    ekdahl = next(row for row in cells if row[0] == "vg-001")
    assert ekdahl[3:6] == ["ek, björk", "CNC-fräsning, svarvning", "prototyp, småserie"]
    assert ekdahl[11] == "listad"
    assert ekdahl[9] == "031-390 06 67"


# What an imported cell can hold: NFC-normalised text (the reader normalises every cell), no
# control characters but line breaks (stored as "\n"), no lone en/em dash (read as "empty").
CELL_TEXT = (
    st.text(
        st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\r"),
        max_size=40,
    )
    .map(lambda text: text.replace("\r\n", "\n").replace("\r", "\n"))
    .map(lambda text: unicodedata.normalize("NFC", text).strip())
    .filter(lambda text: text not in ("–", "—"))
)


@settings(max_examples=60, deadline=None)
@given(name=CELL_TEXT.filter(bool), description=CELL_TEXT, phone=CELL_TEXT)
@example(name="'=x", description="''-y", phone="'+46 70 174 06 05")
@example(name="=1+1", description="@SUM(A1)", phone="+46 70 174 06 05")
def test_any_cell_text_survives_export_and_reading(name: str, description: str, phone: str) -> None:
    maker = Maker(
        external_id="x-1",
        name=name,
        place_name="Borås",
        municipality_code="1490",
        lat=57.7,
        lon=12.9,
        description=description,
        phone=phone or None,
    )
    for fmt in EXPORT_FORMATS:
        table = read_catalogue_bytes(catalogue_bytes([maker], fmt))
        cells = table.rows[0].cells
        assert (cells[Column.NAME], cells[Column.DESCRIPTION]) == (name, description), fmt
        assert cells[Column.PHONE] == phone, fmt


def test_the_export_format_follows_the_file_name() -> None:
    assert format_for_path(Path("katalog.CSV")) is CatalogueFormat.CSV
    assert format_for_path(Path("katalog.xlsx")) is CatalogueFormat.XLSX
    with pytest.raises(UnknownExportFormat, match=r"\.csv or \.xlsx"):
        format_for_path(Path("katalog.ods"))


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_word_an_export_writes_reads_back_as_itself(language: str) -> None:
    header = map_header(header_row(language))
    assert list(header.positions) == list(Column) and header.ignored == ()
    for status in MakerStatus:
        assert parse_status(status_word(status.value, language)) is status
    for stage in VolumeStage:
        words = stage_words([stage.value], language)
        assert parse_volume_list(", ".join(words)) == (frozenset({stage}), [])
