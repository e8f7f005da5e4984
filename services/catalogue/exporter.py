"""Export the catalogue as a spreadsheet the importer reads back unchanged.

``.csv`` is semicolon-separated UTF-8 with a BOM (what Swedish Excel opens correctly), ``.xlsx``
a workbook with every cell stored as text (a phone's leading zero survives). Headers and
statuses are Swedish by default ("namn", "kommun", "pausad"), English on request, both read
back by the importer; the cells are the coordinator's own words: materials and processes as
listed, volumes as they were written ("unikat, prototyp", not "prototype"; a listing imported
before those words were kept gets its stages in the export's language). Lists are joined with
", ". The fuller listing's cells are words the importer reads back to the same values ("50 st",
"3 veckor", "komponenter, ytbehandling"); chat photos are not exported (a Telegram file id
means nothing outside the bot), and an import leaves them alone. A cell a spreadsheet would run
as a formula gets a leading apostrophe (`escape_cell`), which the importer removes again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from matching.text import fold
from services.catalogue.columns import (
    COLUMNS,
    Column,
    escape_cell,
    header_name,
    stage_words,
    status_word,
)
from services.catalogue.listing_fields import (
    client_words,
    lead_time_words,
    min_order_words,
    offer_words,
)
from services.catalogue.messages import catalogue
from services.catalogue.reader import CatalogueFormat
from storage.models import Maker
from storage.repositories.makers import list_makers

CSV_DELIMITER = ";"
DEFAULT_LANGUAGE = "sv"


class UnknownExportFormat(ValueError):
    """The file name ends in neither .csv nor .xlsx."""


EXPORT_FORMATS = (CatalogueFormat.CSV, CatalogueFormat.XLSX)


def format_for_path(path: Path) -> CatalogueFormat:
    suffix = path.suffix.lower().lstrip(".")
    try:
        fmt = CatalogueFormat(suffix)
        if fmt not in EXPORT_FORMATS:
            raise ValueError(suffix)
        return fmt
    except ValueError:
        raise UnknownExportFormat(
            f"cannot tell the export format from {path.name!r}: use a name ending in .csv or .xlsx"
        ) from None


def header_row(language: str = DEFAULT_LANGUAGE) -> list[str]:
    return [header_name(column, language) for column in COLUMNS]


def maker_cells(maker: Maker, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """One maker as unescaped cell texts in `COLUMNS` order."""
    values: dict[Column, str] = {
        Column.ID: maker.external_id,
        Column.NAME: maker.name,
        Column.MUNICIPALITY: maker.place_name,
        Column.MATERIALS: ", ".join(maker.materials),
        Column.PROCESSES: ", ".join(maker.processes),
        Column.VOLUMES: ", ".join(maker.volume_words or stage_words(maker.volumes, language)),
        Column.DESCRIPTION: maker.description,
        Column.CONTACT_NAME: maker.contact_name or "",
        Column.EMAIL: maker.email or "",
        Column.PHONE: maker.phone or "",
        Column.WEBSITE: maker.website or "",
        Column.STATUS: status_word(maker.status, language),
        Column.MIN_ORDER: min_order_words(maker.min_order, language),
        Column.LEAD_TIME: lead_time_words(maker.lead_time_days, language),
        Column.OFFERS: ", ".join(offer_words(maker.offers, language)),
        Column.WORKS_WITH: ", ".join(client_words(maker.works_with, language)),
        Column.EQUIPMENT: maker.equipment,
        Column.PORTFOLIO: maker.portfolio_url or "",
    }
    return [values[column] for column in COLUMNS]


# A further sheet of an XLSX export: its title and its rows (header first), cells unescaped.
Sheet = tuple[str, Sequence[Sequence[str]]]


def catalogue_bytes(
    makers: Iterable[Maker],
    fmt: CatalogueFormat,
    *,
    language: str = DEFAULT_LANGUAGE,
    extra_sheets: Sequence[Sheet] = (),
) -> bytes:
    """The spreadsheet file's content: a header row, then one escaped row per maker.

    ``extra_sheets`` follow the makers' sheet in an XLSX workbook (the importer reads the first
    sheet with a catalogue header, so they never get in its way); a CSV has one table only, so
    they are left out: write them with :func:`table_bytes`."""
    ordered = sorted(makers, key=lambda maker: (fold(maker.name), maker.external_id))
    rows = [header_row(language)]
    rows += [[escape_cell(cell) for cell in maker_cells(maker, language)] for maker in ordered]
    if fmt is CatalogueFormat.XLSX:
        makers_sheet = catalogue(language)["export.sheet"]
        extra = [(title, _escaped(sheet_rows)) for title, sheet_rows in extra_sheets]
        return _xlsx([(makers_sheet, rows), *extra])
    return _csv(rows)


def table_bytes(rows: Sequence[Sequence[str]], fmt: CatalogueFormat, *, title: str) -> bytes:
    """Any table (header first) as a file in the catalogue's formats, formula cells escaped."""
    if fmt is CatalogueFormat.XLSX:
        return _xlsx([(title, _escaped(rows))])
    return _csv(_escaped(rows))


def _escaped(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    return [[escape_cell(cell) for cell in row] for row in rows]


async def export_catalogue(
    *, session: AsyncSession, fmt: CatalogueFormat, language: str = DEFAULT_LANGUAGE
) -> tuple[bytes, int]:
    """Every maker, whatever their status; returns the file content and the maker count."""
    makers = await list_makers(session=session)
    return catalogue_bytes(makers, fmt, language=language), len(makers)


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    for number, (title, rows) in enumerate(sheets):
        sheet = first if number == 0 else workbook.create_sheet()
        sheet.title = title
        for row in rows:
            # Strings stay strings ("0701…" is not turned into a number); only a string
            # starting with "=" would become a formula, and escape_cell has already prefixed
            # those.
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
