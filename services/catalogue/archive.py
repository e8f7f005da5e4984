"""A bounded look inside an XLSX or ODS file before any spreadsheet parser sees it.

Both formats are zip archives of XML, and both can be made hostile in a few hundred bytes: a
member that inflates to gigabytes, or a sheet whose cells lie far apart (XLSX ``XFD1048576``)
or repeat (ODS ``number-columns-repeated``), which a reader then holds as one dense rectangle
in memory. So before parsing:

1. the archive's declared sizes are added up (a bomb that admits its size is refused at once);
2. every member is inflated from its own compressed bytes, in chunks, counting, stopping at
   the limit (a bomb that lies about its size is refused after at most ``unpacked_bytes``),
   and must come out at its declared size and CRC (so what the parser later inflates is what
   was counted here);
3. each sheet's XML is scanned for the rows and columns its filled cells reach, with
   repetitions counted, against the row and cell limits.

Memory stays within the unpacked limit and time within one pass over it. The scans read tags
with regular expressions, not an XML parser, so no entity in the XML is ever expanded.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from enum import StrEnum

from services.catalogue.limits import CatalogueFileError, ReadLimits, count, megabytes

MAX_MEMBERS = 2_000  # an XLSX or ODS has tens; many thousands means something else
CHUNK = 1 << 20
_LOCAL_HEADER = 30  # bytes before a member's name in its local header
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class SheetFormat(StrEnum):
    XLSX = "xlsx"
    ODS = "ods"


def check_archive(data: bytes, limits: ReadLimits) -> SheetFormat:
    """The spreadsheet format of a zip archive within ``limits``, or `CatalogueFileError`.

    Also refuses an XLSX cell holding a formula whose result was never saved (a program, not
    Excel, wrote it): read as a value it would look empty, and its row would be rejected for
    the wrong reason."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise CatalogueFileError("damaged") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise CatalogueFileError("not_a_spreadsheet")
        fmt = _format(archive, {member.filename for member in members})
        if sum(member.file_size for member in members) > limits.unpacked_bytes:
            raise CatalogueFileError("too_large", limit=megabytes(limits.unpacked_bytes))
    sheets = _inflate(data, members, fmt, limits)
    for sheet in sheets:
        if fmt is SheetFormat.XLSX:
            scan_xlsx_sheet(sheet, limits)
        else:
            scan_ods_content(sheet, limits)
    return fmt


def _format(archive: zipfile.ZipFile, names: set[str]) -> SheetFormat:
    if "xl/workbook.xml" in names:
        return SheetFormat.XLSX
    small = "mimetype" in names and archive.getinfo("mimetype").file_size <= len(ODS_MIMETYPE) * 2
    if small and archive.read("mimetype").strip() == ODS_MIMETYPE and "content.xml" in names:
        return SheetFormat.ODS
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
        raise CatalogueFileError("numbers")
    raise CatalogueFileError("not_a_spreadsheet")  # .docx, .xlsb, an .odt text, any zip


def _is_sheet(fmt: SheetFormat, member: str) -> bool:
    if fmt is SheetFormat.ODS:
        return member == "content.xml"
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


def _inflate(
    data: bytes, members: list[zipfile.ZipInfo], fmt: SheetFormat, limits: ReadLimits
) -> list[bytes]:
    """Inflate every member from its own compressed bytes, counting what comes out; the
    sheets' XML is kept for the scan.

    Not through ``ZipFile.open``, which stops at the size a member declares: a parser that
    trusts the compressed length instead would inflate everything a lying member holds. Here
    the whole stream is inflated (up to the limit), and its size and CRC must be the declared
    ones."""
    budget = limits.unpacked_bytes
    sheets: list[bytes] = []
    for member in members:
        if member.is_dir():
            continue
        keep = _is_sheet(fmt, member.filename)
        content = _member_bytes(data, member, budget, keep=keep)
        if content is None:
            raise CatalogueFileError("too_large", limit=megabytes(limits.unpacked_bytes))
        budget -= member.file_size
        if keep:
            sheets.append(content)
    return sheets


def _member_bytes(data: bytes, member: zipfile.ZipInfo, budget: int, *, keep: bool) -> bytes | None:
    """The member's content (empty unless ``keep``), or ``None`` past ``budget`` bytes."""
    encrypted = member.flag_bits & 0x1
    if encrypted or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise CatalogueFileError("damaged")  # encrypted, or a method no spreadsheet uses
    start = member.header_offset
    if data[start : start + 4] != b"PK\x03\x04" or len(data) < start + _LOCAL_HEADER:
        raise CatalogueFileError("damaged")
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + _LOCAL_HEADER + name_length + extra_length
    raw = data[begin : begin + member.compress_size]
    if len(raw) != member.compress_size:
        raise CatalogueFileError("damaged")
    if member.compress_type == zipfile.ZIP_STORED:
        parts, size, crc = [raw], len(raw), zlib.crc32(raw)
    else:
        parts, size, crc = _inflate_stream(raw, budget, keep=keep)
    if size > budget:
        return None
    if size != member.file_size or crc != member.CRC:
        raise CatalogueFileError("damaged")
    return b"".join(parts) if keep else b""


def _inflate_stream(raw: bytes, budget: int, *, keep: bool) -> tuple[list[bytes], int, int]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    parts: list[bytes] = []
    size = crc = 0
    pending = raw
    try:
        while True:
            out = inflater.decompress(pending, CHUNK)
            size += len(out)
            if size > budget:
                return parts, size, crc  # the caller refuses it: nothing more is inflated
            crc = zlib.crc32(out, crc)
            if keep:
                parts.append(out)
            pending = inflater.unconsumed_tail
            if inflater.eof:
                return parts, size, crc
            if not out and not pending:
                raise CatalogueFileError("damaged")  # the stream ends before its end
    except zlib.error:
        raise CatalogueFileError("damaged") from None


def _too_many(rows: int, columns: int, cells: int, limits: ReadLimits) -> None:
    if rows > limits.rows:
        raise CatalogueFileError("too_many_rows", limit=count(limits.rows))
    if cells > limits.cells or rows * columns > limits.cells:
        raise CatalogueFileError("too_many_cells", limit=count(limits.cells))


# -- XLSX ------------------------------------------------------------------------------------

# A row or cell start tag; its reference (row r="12", cell r="B12") read at once when it is the
# first attribute, as every writer puts it, else looked for in the rest.
_XLSX_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])"
    rb'(?:\s+r\s*=\s*"([A-Za-z]{0,3})([0-9]{1,7})")?'
    rb"([^>]*)>"
)
_REFERENCE = re.compile(rb'(?:^|\s)r\s*=\s*"([A-Za-z]{0,3})([0-9]{1,7})"')
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v>[^<]|is[\s>])")


def scan_xlsx_sheet(xml: bytes, limits: ReadLimits) -> None:
    """Refuse a worksheet whose filled cells reach beyond the limits, or that holds a formula
    without a saved result. A cell without an ``r`` reference follows the one before it, as
    readers place it; an empty cell (``<c r="Z9" s="1"/>``) counts for nothing. One regular
    expression match per cell, little else: a 20,000-row sheet is scanned in a fraction of
    what parsing it takes."""
    formulas = _FORMULA.search(xml) is not None
    column_numbers: dict[bytes, int] = {}
    row = column = 0
    last_row = last_column = cells = 0
    for tag in _XLSX_TAG.finditer(xml):
        kind, letters, digits, rest = tag.groups()
        if digits is None and (later := _REFERENCE.search(rest)) is not None:
            letters, digits = later.groups()
        if kind == b"row":
            row = int(digits) if digits else row + 1
            column = 0
            continue
        if digits:
            row = int(digits)
            column = column_numbers.get(letters) or column_numbers.setdefault(
                letters, _column_number(letters)
            )
        else:
            column += 1
        if rest.endswith(b"/"):
            continue  # <c … />: no value
        cells += 1
        if row > last_row or column > last_column or cells > limits.cells:
            last_row, last_column = max(last_row, row), max(last_column, column)
            _too_many(last_row, last_column, cells, limits)
        if formulas:
            end = _CELL_END.search(xml, tag.end())
            if end is None:
                formulas = False  # malformed; the parser will say so
                continue
            content = xml[tag.end() : end.start()]
            if _FORMULA.search(content) and not _VALUE.search(content):
                raise CatalogueFileError(
                    "formula_without_value", cell=f"{_column_letters(column)}{row}"
                )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper() or b"A":
        number = number * 26 + (letter - ord("A") + 1)
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# -- ODS -------------------------------------------------------------------------------------

_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>"
)
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated\s*=\s*"([0-9]{1,10})"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated\s*=\s*"([0-9]{1,10})"')


def scan_ods_content(xml: bytes, limits: ReadLimits) -> None:
    """Refuse an ODS whose filled cells, repetitions included, reach beyond the limits in any
    of its sheets. Repeated empty rows and cells (LibreOffice writes a million of them after
    the last row) only move the position; a filled cell repeated counts each time."""
    row = 0
    row_repeat = 1
    column = row_cells = row_last_column = 0
    last_row = last_column = cells = 0
    for tag in _ODS_TAG.finditer(xml):
        closing, kind, attributes = tag.group(1), tag.group(2), tag.group(3)
        if kind == b"table":
            if not closing:
                row = last_row = last_column = cells = 0
            continue
        if kind == b"table-row":
            if closing:
                if row_cells:
                    last_row = row + row_repeat
                    last_column = max(last_column, row_last_column)
                    cells += row_cells * row_repeat
                    _too_many(last_row, last_column, cells, limits)
                row += row_repeat
            elif attributes.endswith(b"/"):
                row += _repeat(_ROWS_REPEATED, attributes)
            else:
                row_repeat = _repeat(_ROWS_REPEATED, attributes)
                column = row_cells = row_last_column = 0
            continue
        if closing:
            continue
        repeat = _repeat(_COLUMNS_REPEATED, attributes)
        if not attributes.endswith(b"/") or b"office:value-type" in attributes:
            row_cells += repeat
            row_last_column = column + repeat
        column += repeat


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return max(int(found.group(1)), 1) if found else 1
