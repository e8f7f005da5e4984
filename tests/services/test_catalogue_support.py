"""Shared helpers for the catalogue tests: write one list of rows in every accepted format,
and small fakes for the place resolver and the capability check."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

from openpyxl import Workbook, load_workbook

from matching.text import fold
from services.catalogue.validation import PlaceLookup, ResolvedPlace, RowValidator, WordVerdict

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
    "minimum order",
    "lead time",
    "offers",
    "works with",
    "equipment",
    "portfolio",
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
        "1 st",
        "3 veckor",
        "produkter, komponenter",
        "studenter, företag",
        "5-axlig CNC, bandsåg",
        "ekdahl.example.se/jobb",
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
        "50 st",
        "10 dagar",
        "komponenter, ytbehandling",
        "företag, offentlig sektor",
        "kantpress 100 t, TIG-svets",
        "",
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
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]

FORMATS = ("semicolon-bom", "comma", "cp1252", "xlsx", "ods")


def catalogue_file(
    rows: Sequence[Sequence[str]], fmt: str, header: Sequence[str] = HEADER
) -> bytes:
    """The rows (with ``header``) as a file in one of `FORMATS`."""
    table = [list(header), *[list(row) for row in rows]]
    if fmt == "ods":
        return ods_file([("Blad1", table)])
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


_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_file(sheets: Sequence[tuple[str, Sequence[Sequence[str]]]], *, raw_rows: str = "") -> bytes:
    """An OpenDocument spreadsheet as LibreOffice writes one (text cells; an empty cell is
    self-closing); ``raw_rows`` is XML appended to the first sheet's rows as it is."""
    tables = []
    for number, (title, rows) in enumerate(sheets):
        xml_rows = "".join(
            "<table:table-row>"
            + "".join(
                '<table:table-cell office:value-type="string"><text:p>'
                + escape(cell)
                + "</text:p></table:table-cell>"
                if cell
                else "<table:table-cell/>"
                for cell in row
            )
            + "</table:table-row>"
            for row in rows
        )
        extra = raw_rows if number == 0 else ""
        tables.append(f'<table:table table:name="{escape(title)}">{xml_rows}{extra}</table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {_ODS_NAMESPACES} office:version="1.2">'
        "<office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        mimetype = "application/vnd.oasis.opendocument.spreadsheet"
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


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
FAKE_WORDS = {
    *("ek", "bjork", "rostfritt stal", "ull", "linne", "annat", "other", "glas"),
    *("cnc frasning", "svarvning", "svetsning", "vavning"),
}


def fake_resolve(text: str) -> PlaceLookup:
    key = fold(text)
    if key in FAKE_AMBIGUOUS:
        return PlaceLookup(None, FAKE_AMBIGUOUS[key])
    return PlaceLookup(FAKE_PLACES.get(key))


FAKE_SUGGESTIONS = {"jeresy": "jersey"}


def fake_check_word(item: str) -> WordVerdict:
    key = fold(item)
    return WordVerdict(key in FAKE_WORDS, FAKE_SUGGESTIONS.get(key, ""))


def fake_validator() -> RowValidator:
    return RowValidator(resolve_place=fake_resolve, check_word=fake_check_word)
