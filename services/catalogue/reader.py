"""Read a catalogue spreadsheet (CSV in any dialect Swedish Excel writes, or XLSX) into rows.

Line numbers are the row numbers a spreadsheet shows (the header is normally line 1), so a
coordinator can go straight to the row a problem names. Cells are stripped, NFC-normalised, stray
control characters dropped, and the apostrophe an export adds in front of formula-looking cells
is removed again.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from itertools import islice
from pathlib import Path

from services.catalogue import messages
from services.catalogue.columns import Column, HeaderMap, map_header, unescape_cell

HEADER_SEARCH_ROWS = 10  # a title or a note may sit above the header row
_DELIMITERS = (";", ",", "\t")  # Swedish Excel first: its CSV uses semicolons
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
# Control characters other than tab and line breaks: a few are stray (Word's vertical tab pasted
# into a cell) and are dropped from cells; many mean the file is not text at all.
_STRAY_CONTROLS = frozenset(
    chr(code) for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in "\t\r\n"
)
_DROP_CONTROLS = {ord(ch): None for ch in _STRAY_CONTROLS}
BINARY_CONTROL_SHARE = 0.01
_EMPTY_PLACEHOLDERS = frozenset({"-", "–", "—"})  # a lone dash is how sheets say "none"


class CatalogueFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class CatalogueFileError(Exception):
    """The file cannot be used as a catalogue at all; ``code`` keys `FILE_PROBLEMS`."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(messages.reason("file", code, params))

    @property
    def reason(self) -> str:
        return str(self)


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


def read_catalogue_file(path: Path) -> CatalogueTable:
    """Read ``path``; raises `CatalogueFileError` when it is missing or unusable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogueFileError("missing") from None
    except OSError as error:
        raise CatalogueFileError("unreadable", detail=error.strerror or str(error)) from None
    return read_catalogue_bytes(data)


def read_catalogue_bytes(data: bytes) -> CatalogueTable:
    """Read a catalogue from its bytes; the format is recognised from the content, not a name."""
    if not data.strip():
        raise CatalogueFileError("empty")
    if data.startswith(_XLSX_MAGIC):
        return _read_xlsx(data)
    if data.startswith(_OLE_MAGIC):
        raise CatalogueFileError("old_excel")
    return _read_csv(_decode(data))


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]  # Excel's "Unicode text" export
    elif b"\x00" in data:
        raise CatalogueFileError("binary")
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ch in _STRAY_CONTROLS)
        if controls > max(2, len(text) * BINARY_CONTROL_SHARE):
            raise CatalogueFileError("binary")
        return text
    raise CatalogueFileError("bad_encoding")


def _read_csv(text: str) -> CatalogueTable:
    best: tuple[int, str] | None = None
    for delimiter in _DELIMITERS:
        head = _parse_csv(islice(io.StringIO(text, newline=""), 200), delimiter)
        found = _find_header(islice(head, HEADER_SEARCH_ROWS * 3))
        if found is not None and (best is None or len(found[1].positions) > best[0]):
            best = (len(found[1].positions), delimiter)
    if best is None:
        raise _no_header(_parse_csv(io.StringIO(text, newline=""), _DELIMITERS[0]))
    records = _parse_csv(io.StringIO(text, newline=""), best[1])
    return _table(CatalogueFormat.CSV, records)


def _parse_csv(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Records numbered as a spreadsheet numbers rows (a quoted multi-line cell is one row)."""
    try:
        yield from enumerate(csv.reader(lines, delimiter=delimiter), start=1)
    except csv.Error as error:
        raise CatalogueFileError("bad_csv", detail=str(error)) from None


def _read_xlsx(data: bytes) -> CatalogueTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises assorted types on malformed archives
        raise CatalogueFileError("bad_xlsx", detail=str(error) or type(error).__name__) from None
    unsaved = _formula_without_value(data)
    if unsaved is not None:
        workbook.close()
        # Read as values, such a cell would look empty and its row be rejected for the
        # wrong reason ("municipality is empty").
        raise CatalogueFileError("formula_without_value", cell=unsaved)
    try:
        first_sheet_rows: list[tuple[int, list[str]]] = []
        # A workbook may open with an instructions sheet: use the first sheet with a header.
        for sheet in workbook.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # some writers store a wrong sheet size; read it all
            records = [
                (number, [_xlsx_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            first_sheet_rows = first_sheet_rows or records
            if _find_header(islice(records, HEADER_SEARCH_ROWS * 3)) is not None:
                return _table(CatalogueFormat.XLSX, iter(records))
    finally:
        workbook.close()
    raise _no_header(iter(first_sheet_rows))


def _formula_without_value(data: bytes) -> str | None:
    """The first cell with a formula but no stored result, if any (only Excel stores them)."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        if not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets):
            return None  # no formulas at all: the common case costs one scan of the XML
    formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for formula_sheet, value_sheet in zip(formulas.worksheets, values.worksheets, strict=True):
            for formula_row, value_row in zip(
                formula_sheet.iter_rows(), value_sheet.iter_rows(), strict=False
            ):
                for formula, value in zip(formula_row, value_row, strict=False):
                    if getattr(formula, "data_type", None) == "f" and value.value is None:
                        return str(formula.coordinate)
    finally:
        formulas.close()
        values.close()
    return None


def _xlsx_text(value: object) -> str:
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
    return str(value)


def _find_header(
    records: Iterable[tuple[int, list[str]]],
) -> tuple[int, HeaderMap] | None:
    seen = 0
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        header = map_header(cells)
        if header.has_required:
            return number, header
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return None


def _no_header(records: Iterator[tuple[int, list[str]]]) -> CatalogueFileError:
    for _, cells in records:
        shown = [cell.strip() for cell in cells if cell.strip()]
        if shown:
            preview = ", ".join(shown[:8])
            return CatalogueFileError("no_header", first_row=preview[:200])
    return CatalogueFileError("empty")


def _table(fmt: CatalogueFormat, records: Iterator[tuple[int, list[str]]]) -> CatalogueTable:
    buffered = list(records)
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
    # NFC, so "å" typed on a Mac (a + combining ring) equals the "å" a PC wrote.
    text = unicodedata.normalize("NFC", cell.translate(_DROP_CONTROLS))
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # XLSX would do this on export
    return "" if text.strip() in _EMPTY_PLACEHOLDERS else text
