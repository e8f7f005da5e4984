"""Catalogue files for ``spok-bot bench upload`` (and the tests of the upload's bounds): large,
hostile and near the limits, all fictional (``example.se``, numbers from the ranges reserved
for fiction).

- :func:`rows_csv`: a CSV of ``rows`` short valid rows (100,000 are five times the row limit,
  yet about 3 MB, under the upload's 5 MB, so they reach the reader).
- :func:`zip_bomb_xlsx`: an XLSX of about 1 MB whose sheet inflates to 1 GiB while its
  directory claims 1 kB (the kind that lies: the checker must inflate to find out).
- :func:`large_xlsx`: a valid workbook just within the row and cell limits.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Sequence

from services.catalogue.limits import DEFAULT_LIMITS, ReadLimits

__all__ = ["large_xlsx", "rows_csv", "zip_bomb_xlsx"]

HEADER = (
    "id",
    "namn",
    "kommun",
    "material",
    "tekniker",
    "volymer",
    "beskrivning",
    "kontaktperson",
    "e-post",
    "telefon",
    "webbplats",
    "status",
)
_PLACES = ("Borås", "Göteborg", "Skövde", "Alingsås", "Trollhättan", "Lidköping", "Ulricehamn")
_WORK = (
    ("ek, björk", "CNC-fräsning, svarvning", "prototyp, småserie"),
    ("rostfritt stål", "svetsning, laserskärning", "småserie, serieproduktion"),
    ("bomull, lin", "vävning, sömnad", "prototyp, löpande produktion"),
    ("stengods", "drejning", "enstyck, småserie"),
)
_MIB = 1 << 20


def _row(number: int, pick: random.Random) -> list[str]:
    materials, processes, volumes = pick.choice(_WORK)
    return [
        f"bench-{number:06d}",
        f"Verkstad {number}",
        pick.choice(_PLACES),
        materials,
        processes,
        volumes,
        "Tar gärna emot förfrågningar från formgivare, även små serier.",
        "Kim Exempel",
        f"verkstad{number}@example.se",
        f"070-174 {number % 100:02d} {number % 97:02d}",
        f"https://example.se/verkstad-{number}",
        "listad",
    ]


def rows_csv(rows: int, *, seed: int = 1) -> bytes:
    """A semicolon CSV, as Swedish Excel writes it, of a header and ``rows`` makers with a
    name, a place and a material each."""
    pick = random.Random(seed)
    lines = ["namn;kommun;material"] + [
        f"Verkstad {n};{pick.choice(_PLACES)};{pick.choice(_WORK)[0].split(',')[0]}"
        for n in range(rows)
    ]
    return "\r\n".join(lines).encode()


def large_xlsx(limits: ReadLimits = DEFAULT_LIMITS, *, seed: int = 1) -> bytes:
    """A valid catalogue workbook with as many rows as the row limit allows (less 1 %) and,
    with note columns the import ignores, nearly as many cells as the cell limit allows."""
    from openpyxl import Workbook

    rows = limits.rows * 99 // 100 - 1  # and the header
    columns = max(len(HEADER), min(40, limits.cells * 99 // 100 // (rows + 1)))
    notes = [f"anteckning {n}" for n in range(1, columns - len(HEADER) + 1)]
    pick = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Katalog")
    sheet.append([*HEADER, *notes])
    for number in range(rows):
        sheet.append(_row(number, pick) + [f"not {number}"] * len(notes))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb_xlsx(inflated: int = 1 << 30) -> bytes:
    """A workbook whose one sheet inflates to ``inflated`` bytes (a multiple of 1 MiB) of "0"
    while the zip directory says 1,000 bytes, with the CRC of those 1,000: about 1/1000 of
    ``inflated`` on disk."""
    claimed = b"0" * 1000
    sheet = _zeros_deflated(inflated)
    return _zip(
        [
            _stored("[Content_Types].xml", b"<Types/>"),
            _stored("xl/workbook.xml", b"<workbook/>"),
            (
                "xl/worksheets/sheet1.xml",
                sheet,
                zipfile.ZIP_DEFLATED,
                len(claimed),
                zlib.crc32(claimed),
            ),
        ]
    )


def _zeros_deflated(size: int) -> bytes:
    """A raw deflate stream of ``size`` bytes of "0": one self-contained block repeated."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = deflater.compress(b"0" * _MIB) + deflater.flush(zlib.Z_FULL_FLUSH)
    return segment * (size // _MIB) + b"\x03\x00"  # then an empty final block


def _stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    return (name, data, zipfile.ZIP_STORED, len(data), zlib.crc32(data))


def _zip(members: Sequence[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, stored bytes, method, declared size, declared CRC)."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, stored, method, size, crc in members:
        encoded = name.encode()
        offset = body.tell()
        sizes = (crc, len(stored), size, len(encoded), 0)
        body.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 33, *sizes))
        body.write(encoded + stored)
        directory.write(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 33, *sizes, 0, 0, 0, 0,
                        offset)
            + encoded
        )  # fmt: skip
    start, central = body.tell(), directory.getvalue()
    count = len(members)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
    return body.getvalue() + central + end
