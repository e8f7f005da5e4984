"""Export the catalogue as a spreadsheet the importer reads back unchanged.

``.csv`` is semicolon-separated UTF-8 with a BOM (what Swedish Excel opens correctly), ``.xlsx``
a workbook with every cell stored as text (a phone's leading zero survives). Headers are the
English column names; lists are joined with ", ". A cell a spreadsheet would run as a formula
gets a leading apostrophe (`escape_cell`), which the importer removes again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from matching.text import fold
from services.catalogue.columns import COLUMNS, Column, escape_cell
from services.catalogue.reader import CatalogueFormat
from storage.models import Maker
from storage.repositories.makers import list_makers

CSV_DELIMITER = ";"
SHEET_TITLE = "Makers"


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


def maker_cells(maker: Maker) -> list[str]:
    """One maker as unescaped cell texts in `COLUMNS` order."""
    values: dict[Column, str] = {
        Column.ID: maker.external_id,
        Column.NAME: maker.name,
        Column.MUNICIPALITY: maker.place_name,
        Column.MATERIALS: ", ".join(maker.materials),
        Column.PROCESSES: ", ".join(maker.processes),
        Column.VOLUMES: ", ".join(maker.volumes),
        Column.DESCRIPTION: maker.description,
        Column.CONTACT_NAME: maker.contact_name or "",
        Column.EMAIL: maker.email or "",
        Column.PHONE: maker.phone or "",
        Column.WEBSITE: maker.website or "",
        Column.STATUS: maker.status,
    }
    return [values[column] for column in COLUMNS]


# A further sheet of an XLSX export: its title and its rows (header first), cells unescaped.
Sheet = tuple[str, Sequence[Sequence[str]]]


def catalogue_bytes(
    makers: Iterable[Maker], fmt: CatalogueFormat, *, extra_sheets: Sequence[Sheet] = ()
) -> bytes:
    """The spreadsheet file's content: a header row, then one escaped row per maker.

    ``extra_sheets`` follow the makers' sheet in an XLSX workbook (the importer reads the first
    sheet with a catalogue header, so they never get in its way); a CSV has one table only, so
    they are left out: write them with :func:`table_bytes`."""
    ordered = sorted(makers, key=lambda maker: (fold(maker.name), maker.external_id))
    rows = [[column.value for column in COLUMNS]]
    rows += [[escape_cell(cell) for cell in maker_cells(maker)] for maker in ordered]
    if fmt is CatalogueFormat.XLSX:
        return _xlsx([(SHEET_TITLE, rows), *((title, _escaped(r)) for title, r in extra_sheets)])
    return _csv(rows)


def table_bytes(rows: Sequence[Sequence[str]], fmt: CatalogueFormat, *, title: str) -> bytes:
    """Any table (header first) as a file in the catalogue's formats, formula cells escaped."""
    if fmt is CatalogueFormat.XLSX:
        return _xlsx([(title, _escaped(rows))])
    return _csv(_escaped(rows))


def _escaped(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    return [[escape_cell(cell) for cell in row] for row in rows]


async def export_catalogue(*, session: AsyncSession, fmt: CatalogueFormat) -> tuple[bytes, int]:
    """Every maker, whatever their status; returns the file content and the maker count."""
    makers = await list_makers(session=session)
    return catalogue_bytes(makers, fmt), len(makers)


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
