"""Shared helpers for the catalogue tests: write one list of rows in every accepted format,
and small fakes for the place resolver and the capability check."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook, load_workbook

from matching.text import fold
from services.catalogue.validation import PlaceLookup, ResolvedPlace, RowValidator

HEADER = [
    "id",
    "name",
    "municipality",
    "materials",
    "processes",
    "volumes",
    "description",
    "contact_name",
    "email",
    "phone",
    "website",
    "status",
]

# Real places and everyday words, so the same rows also pass the real resolver and interpreter.
ROWS: list[list[str]] = [
    [
        "vg-001",
        "Ekdahls Snickeri AB",
        "Göteborg",
        "ek, björk",
        "CNC-fräsning, svarvning",
        "prototyp, småserie",
        'Möbler och inredning i massivträ; "allt" görs på plats.',
        "Åsa Öberg",
        "asa@ekdahl.example.se",
        "031-390 06 67",
        "www.ekdahl.example.se",
        "listad",
    ],
    [
        "sk-002",
        "Smedja i Malmö",
        "Malmö",
        "rostfritt stål",
        "svetsning",
        "löpande produktion",
        "Smide och plåt, även större serier.",
        "Örjan Ek",
        "info@smedja.example.se",
        "+46 70 174 06 05",
        "https://smedja.example.se",
        "pausad",
    ],
    [
        "vg-003",
        "Väveriet i Borås",
        "Borås",
        "ull, linne",
        "vävning",
        "småserie",
        "Jacquardvävda tyger.",
        "",
        "",
        "0701740605",
        "",
        "",
    ],
]

FORMATS = ("semicolon-bom", "comma", "cp1252", "xlsx")


def catalogue_file(
    rows: Sequence[Sequence[str]], fmt: str, header: Sequence[str] = HEADER
) -> bytes:
    """The rows (with ``header``) as a file in one of `FORMATS`."""
    table = [list(header), *[list(row) for row in rows]]
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in table:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    delimiter, encoding = {
        "semicolon-bom": (";", "utf-8-sig"),
        "semicolon": (";", "utf-8"),
        "comma": (",", "utf-8"),
        "cp1252": (";", "cp1252"),
    }[fmt]
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return text.getvalue().encode(encoding)


def xlsx_cells(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


FAKE_PLACES = {
    "goteborg": ResolvedPlace("1480", 57.70716, 11.96679),
    "malmo": ResolvedPlace("1280", 55.60587, 13.00073),
    "boras": ResolvedPlace("1490", 57.72101, 12.9401),
    "molndal": ResolvedPlace("1481", 57.6554, 12.01378),
}
FAKE_AMBIGUOUS = {"sundby": ("Sundby, Eskilstuna", "Sundby, Gotland")}
FAKE_WORDS = {"ek", "bjork", "rostfritt stal", "ull", "linne", "annat", "other", "glas"}


def fake_resolve(text: str) -> PlaceLookup:
    key = fold(text)
    if key in FAKE_AMBIGUOUS:
        return PlaceLookup(None, FAKE_AMBIGUOUS[key])
    return PlaceLookup(FAKE_PLACES.get(key))


def fake_validator() -> RowValidator:
    return RowValidator(
        resolve_place=fake_resolve, is_capability=lambda item: fold(item) in FAKE_WORDS
    )
