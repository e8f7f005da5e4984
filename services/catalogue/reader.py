"""Read a catalogue spreadsheet (CSV in any dialect Swedish Excel writes, XLSX or ODS) into rows.

Reading is a pure function of the file's bytes (no I/O, no event loop), so it can run in a
worker thread or process, and it is bounded by :class:`ReadLimits`: a CSV by its size, rows
and cells; an XLSX or ODS is checked by :mod:`services.catalogue.archive` (unpacked size, rows,
cells) before python-calamine parses it. Files that are no spreadsheet we read (Numbers, an
old .xls, a PDF) get a plain "save it as .xlsx or .csv".

Line numbers are the row numbers a spreadsheet shows (the header is normally line 1), so a
coordinator can go straight to the row a problem names. Cells are stripped, NFC-normalised, stray
control characters dropped (header cells too: nothing of a file reaches a report, a chat or a
terminal with an escape sequence in it), and the apostrophe an export adds in front of
formula-looking cells is removed again.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import islice
from pathlib import Path

from services.catalogue.archive import SheetFormat, check_archive
from services.catalogue.columns import Column, HeaderMap, map_header, unescape_cell
from services.catalogue.limits import (
    DEFAULT_LIMITS,
    CatalogueFileError,
    ReadLimits,
    count,
    megabytes,
)

__all__ = [
    "DEFAULT_LIMITS",
    "CatalogueFileError",
    "CatalogueFormat",
    "CatalogueTable",
    "ReadLimits",
    "SourceRow",
    "read_catalogue_bytes",
    "read_catalogue_file",
]

HEADER_SEARCH_ROWS = 10  # a title or a note may sit above the header row
_DELIMITERS = (";", ",", "\t")  # Swedish Excel first: its CSV uses semicolons
_ZIP_MAGIC = b"PK\x03\x04"  # XLSX, ODS, Numbers, .docx …
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, or a password-protected workbook
# Control characters other than tab and line breaks: a few are stray (Word's vertical tab pasted
# into a cell) and are dropped from cells; many mean the file is not text at all.
_STRAY_CONTROLS = frozenset(
    chr(code) for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in "\t\r\n"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # _STRAY_CONTROLS
BINARY_CONTROL_SHARE = 0.01
_EMPTY_PLACEHOLDERS = frozenset({"-", "–", "—"})  # a lone dash is how sheets say "none"


class CatalogueFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    ODS = "ods"


@dataclass(frozen=True, slots=True)
class SourceRow:
    line: int
    cells: dict[Column, str]


@dataclass(frozen=True, slots=True)
class CatalogueTable:
    format: CatalogueFormat
    columns: tuple[Column, ...]  # the columns the file has, in file order
    rows: tuple[SourceRow, ...]
    ignored_headers: tuple[str, ...] = ()


Records = Iterable[tuple[int, list[str]]]  # (spreadsheet line, cells)


def read_catalogue_file(path: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> CatalogueTable:
    """Read ``path``; raises `CatalogueFileError` when it is missing, too large or unusable."""
    try:
        with path.open("rb") as file:  # refuse a huge file before reading it into memory
            archive = file.read(len(_ZIP_MAGIC)) == _ZIP_MAGIC
            size = file.seek(0, io.SEEK_END)
            if archive and size > limits.unpacked_bytes:
                raise CatalogueFileError("too_large", limit=megabytes(limits.unpacked_bytes))
            if not archive and size > limits.csv_bytes:
                raise CatalogueFileError("csv_too_large", limit=megabytes(limits.csv_bytes))
            file.seek(0)
            data = file.read()
    except FileNotFoundError:
        raise CatalogueFileError("missing") from None
    except OSError as error:
        raise CatalogueFileError("unreadable", detail=error.strerror or str(error)) from None
    return read_catalogue_bytes(data, name=path.name, limits=limits)


def read_catalogue_bytes(
    data: bytes, *, name: str = "", limits: ReadLimits = DEFAULT_LIMITS
) -> CatalogueTable:
    """Read a catalogue from its bytes; the format is recognised from the content (``name``,
    the file's name, only tells a Numbers file: none is read, whatever it holds)."""
    if name.lower().endswith(".numbers"):
        raise CatalogueFileError("numbers")
    if not data.strip():
        raise CatalogueFileError("empty")
    if data.startswith(_ZIP_MAGIC):
        return _read_sheets(data, check_archive(data, limits), limits)
    if data.startswith(_OLE_MAGIC):
        raise CatalogueFileError("old_excel")
    if len(data) > limits.csv_bytes:
        raise CatalogueFileError("csv_too_large", limit=megabytes(limits.csv_bytes))
    return _read_csv(_decode(data), limits)


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]  # Excel's "Unicode text" export
    elif b"\x00" in data:
        raise CatalogueFileError("not_a_spreadsheet")
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ch in _STRAY_CONTROLS)
        if controls > max(2, len(text) * BINARY_CONTROL_SHARE):
            raise CatalogueFileError("not_a_spreadsheet")
        return text
    raise CatalogueFileError("bad_encoding")


def _read_csv(text: str, limits: ReadLimits) -> CatalogueTable:
    best: tuple[int, str] | None = None
    for delimiter in _DELIMITERS:
        head = _parse_csv(islice(io.StringIO(text, newline=""), 200), delimiter)
        found = _find_header(islice(head, HEADER_SEARCH_ROWS * 3))
        if found is not None and (best is None or len(found[1].positions) > best[0]):
            best = (len(found[1].positions), delimiter)
    if best is None:
        raise _no_header(_parse_csv(io.StringIO(text, newline=""), _DELIMITERS[0]))
    records = _parse_csv(io.StringIO(text, newline=""), best[1])
    return _table(CatalogueFormat.CSV, _bounded(records, limits))


def _parse_csv(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Records numbered as a spreadsheet numbers rows (a quoted multi-line cell is one row)."""
    try:
        yield from enumerate(csv.reader(lines, delimiter=delimiter), start=1)
    except csv.Error as error:
        raise CatalogueFileError("bad_csv", detail=str(error)) from None


def _bounded(records: Records, limits: ReadLimits) -> list[tuple[int, list[str]]]:
    """The records, refused as soon as they pass the row or cell limit."""
    kept: list[tuple[int, list[str]]] = []
    cells = 0
    for number, values in records:
        cells += len(values)
        if number > limits.rows:
            raise CatalogueFileError("too_many_rows", limit=count(limits.rows))
        if cells > limits.cells:
            raise CatalogueFileError("too_many_cells", limit=count(limits.cells))
        kept.append((number, values))
    return kept


def _read_sheets(data: bytes, fmt: SheetFormat, limits: ReadLimits) -> CatalogueTable:
    """The first sheet with a header row (a workbook may open with an instructions sheet)."""
    from python_calamine import CalamineError, CalamineWorkbook

    table_format = CatalogueFormat(fmt.value)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except CalamineError:
        raise CatalogueFileError("damaged") from None
    first_sheet: list[tuple[int, list[str]]] = []
    with workbook:
        for index in range(len(workbook.sheet_names)):
            try:
                # The whole area from A1, so line numbers are the sheet's row numbers.
                values = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
            except CalamineError:
                raise CatalogueFileError("damaged") from None
            records = _bounded(
                ((number, [_sheet_text(v) for v in row]) for number, row in enumerate(values, 1)),
                limits,
            )
            del values
            first_sheet = first_sheet or records
            if _find_header(islice(records, HEADER_SEARCH_ROWS * 3)) is not None:
                return _table(table_format, records)
    raise _no_header(iter(first_sheet))


def _sheet_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as 17 is stored as 17.0
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _find_header(
    records: Iterable[tuple[int, list[str]]],
) -> tuple[int, HeaderMap] | None:
    seen = 0
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        header = map_header([_clean(cell) for cell in cells])  # the report shows ignored ones
        if header.has_required:
            return number, header
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return None


def _no_header(records: Iterator[tuple[int, list[str]]]) -> CatalogueFileError:
    for _, cells in records:
        shown = [_clean(cell).strip() for cell in cells if _clean(cell).strip()]
        if shown:
            preview = ", ".join(shown[:8])
            return CatalogueFileError("no_header", first_row=preview[:200])
    return CatalogueFileError("empty")


def _table(fmt: CatalogueFormat, buffered: list[tuple[int, list[str]]]) -> CatalogueTable:
    found = _find_header(buffered)
    assert found is not None  # the caller checked
    header_line, header = found
    positions = sorted(header.positions.items(), key=lambda item: item[1])
    rows = [
        SourceRow(line=number, cells=cells)
        for number, values in buffered
        if number > header_line and (cells := _cells(values, positions))
    ]
    if not rows:
        raise CatalogueFileError("no_rows")
    return CatalogueTable(
        format=fmt,
        columns=tuple(column for column, _ in positions),
        rows=tuple(rows),
        ignored_headers=header.ignored,
    )


def _cells(values: Sequence[str], positions: list[tuple[Column, int]]) -> dict[Column, str]:
    """The row's cells by column, or an empty dict for a row with nothing in it."""
    cells = {
        column: unescape_cell(_clean(values[index])).strip() if index < len(values) else ""
        for column, index in positions
    }
    return cells if any(cells.values()) else {}


def _clean(cell: str) -> str:
    if not cell:
        return cell
    text = _CONTROL.sub("", cell) if _CONTROL.search(cell) else cell
    if not text.isascii():
        # NFC, so "å" typed on a Mac (a + combining ring) equals the "å" a PC wrote.
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # XLSX would do this on export
    return "" if text.strip() in _EMPTY_PLACEHOLDERS else text
