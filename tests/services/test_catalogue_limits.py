"""Bounded reading: hostile spreadsheets and oversized files are refused with a plain reason,
in memory bounded by the limits, before a spreadsheet parser ever sees them."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
from openpyxl import Workbook

from services.catalogue.limits import DEFAULT_LIMITS, MB, ReadLimits
from services.catalogue.reader import CatalogueFileError, CatalogueFormat, read_catalogue_bytes
from tests.services.test_catalogue_support import ods_file

GB = 1 << 30
SEGMENT = 1 << 20


def _zeros_deflated(size: int) -> bytes:
    """A raw deflate stream of ``size`` bytes of "0" (a multiple of 1 MiB), about 1/1000 of
    it: one self-contained block repeated, so no test spends seconds compressing."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = deflater.compress(b"0" * SEGMENT) + deflater.flush(zlib.Z_FULL_FLUSH)
    return segment * (size // SEGMENT) + b"\x03\x00"  # then an empty final block


def _zip(members: Sequence[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, stored bytes, method, declared size, declared CRC)."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, stored, method, size, crc in members:
        encoded = name.encode()
        offset = body.tell()
        body.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                method,
                0,
                33,
                crc,
                len(stored),
                size,
                len(encoded),
                0,
            )
        )
        body.write(encoded + stored)
        directory.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                33,
                crc,
                len(stored),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start, central = body.tell(), directory.getvalue()
    count = len(members)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
    return body.getvalue() + central + end


def _stored(name: str, text: str) -> tuple[str, bytes, int, int, int]:
    data = text.encode()
    return (name, data, zipfile.ZIP_STORED, len(data), zlib.crc32(data))


def _xlsx_bomb(*, declared: int, crc: int) -> bytes:
    bomb = _zeros_deflated(GB)
    return _zip(
        [
            _stored("[Content_Types].xml", "<Types/>"),
            _stored("xl/workbook.xml", "<workbook/>"),
            ("xl/worksheets/sheet1.xml", bomb, zipfile.ZIP_DEFLATED, declared, crc),
        ]
    )


@contextmanager
def _peak_memory() -> Iterator[list[int]]:
    """The peak of Python allocations inside the block, in bytes (deterministic, no timing)."""
    peak: list[int] = []
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


def _refusal(data: bytes, limits: ReadLimits = DEFAULT_LIMITS, name: str = "") -> str:
    with pytest.raises(CatalogueFileError) as raised:
        read_catalogue_bytes(data, name=name, limits=limits)
    assert raised.value.reason
    return raised.value.code


def test_a_zip_bomb_that_declares_its_size_is_refused_without_inflating_anything() -> None:
    data = _xlsx_bomb(declared=GB, crc=0)
    assert len(data) < 2 * MB  # a small file …

    with _peak_memory() as peak:
        code = _refusal(data)

    assert code == "too_large"
    assert peak[0] < 5 * MB  # … refused from its directory: nothing inflated


def test_a_zip_bomb_that_lies_about_its_size_is_refused_within_the_unpacked_limit() -> None:
    first = b"0" * 1000
    data = _xlsx_bomb(declared=len(first), crc=zlib.crc32(first))  # "1 kB", really 1 GiB

    with _peak_memory() as peak:
        code = _refusal(data)

    assert code == "too_large"
    assert peak[0] < 2 * DEFAULT_LIMITS.unpacked_bytes  # never the gigabyte


def test_a_member_that_is_not_its_declared_size_is_damaged_even_within_the_limit() -> None:
    content = b"<worksheet/>" * 100
    packed = zlib.compress(content)[2:-4]  # raw deflate
    data = _zip(
        [
            _stored("xl/workbook.xml", "<workbook/>"),
            ("xl/worksheets/sheet1.xml", packed, zipfile.ZIP_DEFLATED, 12, zlib.crc32(content)),
        ]
    )

    assert _refusal(data) == "damaged"


def _xlsx(cells: dict[str, str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for reference, value in {"A1": "namn", "B1": "kommun", **cells}.items():
        sheet[reference] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_two_cells_far_apart_are_refused_before_a_reader_fills_the_rectangle() -> None:
    data = _xlsx({"A2": "Ekdahl", "B2": "Borås", "XFD9999": "x"})  # 16,384 × 9,999 cells

    assert len(data) < 10_000
    assert _refusal(data) == "too_many_cells"


def test_rows_beyond_the_limit_are_refused_in_xlsx() -> None:
    assert _refusal(_xlsx({"A2": "Ekdahl", "B2": "Borås", "A25000": "x"})) == "too_many_rows"


def test_empty_formatted_cells_far_away_count_for_nothing() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["namn", "kommun"])
    sheet.append(["Ekdahl", "Borås"])
    sheet["XFD900000"].number_format = "0.00"  # styled, empty
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_catalogue_bytes(buffer.getvalue())

    assert [row.line for row in table.rows] == [2]


def _repeated_ods(rows: int, columns: int) -> bytes:
    repeated = (
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    return ods_file([("Blad1", [["namn", "kommun"], ["Ekdahl", "Borås"]])], raw_rows=repeated)


@pytest.mark.parametrize(
    ("rows", "columns", "code"),
    [(2_000, 1_000, "too_many_cells"), (1_000_000_000, 1, "too_many_rows")],
)
def test_repeated_ods_cells_are_counted_as_a_reader_would_expand_them(
    rows: int, columns: int, code: str
) -> None:
    data = _repeated_ods(rows, columns)

    assert len(data) < 2_000
    assert _refusal(data) == code


def test_libreoffice_trailing_empty_rows_are_read_as_nothing() -> None:
    trailing = (
        '<table:table-row table:number-rows-repeated="1048573">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    data = ods_file([("Blad1", [["namn", "kommun"], ["Ekdahl", "Borås"]])], raw_rows=trailing)

    table = read_catalogue_bytes(data)

    assert table.format is CatalogueFormat.ODS
    assert [row.line for row in table.rows] == [2]


def _csv(rows: int) -> bytes:
    lines = ["namn;kommun;material"] + [f"Verkstad {n};Borås;ek" for n in range(rows)]
    return "\r\n".join(lines).encode()


def test_a_100000_row_csv_is_refused_with_the_row_limit() -> None:
    data = _csv(100_000)

    assert len(data) < DEFAULT_LIMITS.csv_bytes  # it is the rows, not the bytes
    with pytest.raises(CatalogueFileError) as raised:
        read_catalogue_bytes(data)

    assert raised.value.code == "too_many_rows"
    assert "20 000" in raised.value.reason


def test_a_csv_of_exactly_the_row_limit_is_read() -> None:
    table = read_catalogue_bytes(_csv(DEFAULT_LIMITS.rows - 1))  # and the header row

    assert len(table.rows) == DEFAULT_LIMITS.rows - 1


def test_csv_bytes_and_cells_have_limits_of_their_own() -> None:
    small = ReadLimits(csv_bytes=1_000, cells=50)

    assert _refusal(_csv(100), small) == "csv_too_large"
    assert _refusal(_csv(20), ReadLimits(cells=50)) == "too_many_cells"


def test_a_numbers_file_is_told_to_be_exported_as_xlsx_or_csv() -> None:
    numbers = _zip([_stored("Index/Document.iwa", "\x00"), _stored("Metadata/x.plist", "")])

    assert _refusal(numbers) == "numbers"
    assert _refusal(b"\x00\x01 whatever", name="Katalog.numbers") == "numbers"
    with pytest.raises(CatalogueFileError, match=r"Export To › Excel"):
        read_catalogue_bytes(numbers)


def test_other_archives_are_told_to_save_as_xlsx_or_csv() -> None:
    docx = _zip([_stored("word/document.xml", "<w:document/>")])

    with pytest.raises(CatalogueFileError, match=r"save it as \.xlsx or \.csv") as raised:
        read_catalogue_bytes(docx)
    assert raised.value.code == "not_a_spreadsheet"
