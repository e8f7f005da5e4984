"""Import problems as coordinators read them in the chat, Swedish and English, by the stable
codes of :mod:`services.catalogue.messages` (which words them in English for the command line).

Plain text templates; :func:`problem_text` escapes every value for Telegram's HTML.
tests/bot/telegram/catalogue/test_catalogue_texts.py checks both languages against the
service's codes.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from bot.telegram.transport.texts import language_for

# The column names a coordinator's sheet most likely uses.
COLUMN_NAMES: dict[str, dict[str, str]] = {
    "sv": {
        "id": "id",
        "name": "namn",
        "municipality": "kommun",
        "materials": "material",
        "processes": "tekniker",
        "volumes": "volymer",
        "description": "beskrivning",
        "contact_name": "kontaktperson",
        "email": "e-post",
        "phone": "telefon",
        "website": "hemsida",
        "status": "status",
    },
    "en": {
        "id": "id",
        "name": "name",
        "municipality": "municipality",
        "materials": "materials",
        "processes": "processes",
        "volumes": "volumes",
        "description": "description",
        "contact_name": "contact_name",
        "email": "email",
        "phone": "phone",
        "website": "website",
        "status": "status",
    },
}

ROW_PROBLEMS: dict[str, dict[str, str]] = {
    "sv": {
        "required": "{column} är tom, men varje tillverkare behöver en",
        "place_not_found": "”{value}” är ingen svensk ort vi känner till; kontrollera stavningen",
        "place_corrected": (
            "”{value}” är ingen ort vi känner till som den är skriven; menade du ”{example}” "
            "({candidates})? Skriv orten som du menar den"
        ),
        "place_is_county": "”{value}” är ett län ({county}), inte en ort; skriv kommun eller ort",
        "place_ambiguous": "”{value}” passar flera orter ({candidates}); skriv ”{example}”",
        "material_unknown": (
            "materialet ”{value}” känns inte igen; skriv ett vardagsord som ”ek”, "
            "”rostfritt stål” eller ”keramik”, eller ”annat”"
        ),
        "volume_unknown": (
            "volymen ”{value}” känns inte igen; skriv ”prototyp”, ”småserie” eller "
            "”löpande produktion”"
        ),
        "email_invalid": "”{value}” är ingen e-postadress (till exempel namn@example.se)",
        "phone_invalid": "”{value}” är inget telefonnummer (till exempel 031-123 45 67)",
        "url_invalid": "”{value}” är ingen webbadress (till exempel www.example.se)",
        "status_unknown": (
            "statusen ”{value}” känns inte igen; skriv listad, pausad eller avlistad"
        ),
        "invalid_value": "”{value}” kan inte sparas: {detail}",
        "duplicate_id": "id ”{value}” användes redan på rad {first_line}",
        "other_hub": "”{value}” hör till {hub}; bara dess samordnare kan läsa in raden",
    },
    "en": {
        "required": "{column} is empty; every maker needs one",
        "place_not_found": '"{value}" is not a Swedish place we know; check the spelling',
        "place_corrected": (
            '"{value}" is not a place we know as written; did you mean "{example}" '
            "({candidates})? Write the place as you mean it"
        ),
        "place_is_county": '"{value}" is a county ({county}), not a place; write the town',
        "place_ambiguous": '"{value}" matches several places ({candidates}); write "{example}"',
        "material_unknown": (
            'material "{value}" is not recognised; use an everyday word such as "oak", '
            '"stainless steel" or "ceramics", or "other"'
        ),
        "volume_unknown": (
            'volume "{value}" is not recognised; use "prototype", "small series" or '
            '"ongoing production"'
        ),
        "email_invalid": '"{value}" is not an e-mail address (e.g. name@example.se)',
        "phone_invalid": '"{value}" is not a phone number (e.g. 031-123 45 67)',
        "url_invalid": '"{value}" is not a web address (e.g. www.example.se)',
        "status_unknown": 'status "{value}" is not recognised; use listed, paused or unlisted',
        "invalid_value": '"{value}" cannot be stored: {detail}',
        "duplicate_id": 'id "{value}" was already used on line {first_line}',
        "other_hub": '"{value}" belongs to {hub}; only its coordinators can import this row',
    },
}

FILE_PROBLEMS: dict[str, dict[str, str]] = {
    "sv": {
        "missing": "filen saknas",
        "unreadable": "filen går inte att läsa: {detail}",
        "empty": "filen är tom",
        "no_rows": "filen har en rubrikrad men inga tillverkare",
        "binary": "det är ingen CSV- eller XLSX-fil",
        "old_excel": "gamla Excel-formatet .xls stöds inte; spara som .xlsx eller CSV",
        "bad_xlsx": "arbetsboken går inte att läsa: {detail}",
        "bad_csv": "CSV-filen går inte att tolka: {detail}",
        "formula_without_value": (
            "cell {cell} har en formel vars resultat aldrig sparades; öppna filen i Excel "
            "eller LibreOffice och spara den igen"
        ),
        "bad_encoding": "texten är varken UTF-8 eller Windows-1252",
        "no_header": (
            "ingen rubrikrad med minst kolumnerna namn och kommun; första raden lyder: {first_row}"
        ),
    },
    "en": {
        "missing": "the file is missing",
        "unreadable": "cannot read the file: {detail}",
        "empty": "the file is empty",
        "no_rows": "the file has a header row but no maker rows",
        "binary": "this is not a CSV or XLSX file",
        "old_excel": "old Excel .xls format is not supported; save it as .xlsx or CSV",
        "bad_xlsx": "not a readable XLSX workbook: {detail}",
        "bad_csv": "cannot parse the CSV: {detail}",
        "formula_without_value": (
            "cell {cell} holds a formula whose result was never saved; open the file in Excel "
            "or LibreOffice and save it again"
        ),
        "bad_encoding": "the text is neither UTF-8 nor Windows-1252",
        "no_header": (
            "no header row with at least the name and municipality columns; the first row "
            "reads: {first_row}"
        ),
    },
}


def column_name(column: str, language_code: str | None) -> str:
    return COLUMN_NAMES[language_for(language_code)].get(column, column)


def problem_text(
    templates: Mapping[str, Mapping[str, str]],
    code: str,
    language_code: str | None,
    values: Mapping[str, str],
) -> str:
    """One problem in the person's language, HTML-escaped; a missing placeholder stays as-is."""
    language = language_for(language_code)
    template = templates[language].get(code) or templates[language]["invalid_value"]
    escaped = _Lenient({k: html.escape(str(v), quote=False) for k, v in values.items()})
    return html.escape(template, quote=False).format_map(escaped)


class _Lenient(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
