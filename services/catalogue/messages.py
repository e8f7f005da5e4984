"""English wording of import problems, addressed by a stable code with named placeholders.

The codes and parameters are part of the import report, so the Telegram side can render the same
problems from its own (Swedish/English) catalogue; the operators' CLI uses these texts.
"""

from __future__ import annotations

from collections.abc import Mapping

ROW_PROBLEMS: dict[str, str] = {
    "required": "{column} is empty; every maker needs one",
    "place_not_found": '"{value}" is not a Swedish place we know; check the spelling',
    "place_corrected": (
        '"{value}" is not a Swedish place we know as written; did you mean "{example}" '
        "({candidates})? Write the place as you mean it"
    ),
    "place_is_county": (
        '"{value}" is a county ({county}), not a place; write the municipality or town'
    ),
    "place_ambiguous": ('"{value}" matches several places ({candidates}); write it as "{example}"'),
    "material_unknown": (
        'material "{value}" is not recognised; use an everyday word such as "ek", '
        '"rostfritt stål" or "keramik", or write "other"/"annat"'
    ),
    "volume_unknown": (
        'volume "{value}" is not recognised; use "prototyp", "småserie" or "löpande produktion" '
        "(or prototype / small series / ongoing production)"
    ),
    "email_invalid": '"{value}" is not an e-mail address (expected name@example.se)',
    "phone_invalid": (
        '"{value}" is not a phone number (expected e.g. 031-123 45 67, 0701740605 or '
        "+46 70 174 06 05)"
    ),
    "url_invalid": '"{value}" is not a web address (expected e.g. www.example.se)',
    "status_unknown": (
        'status "{value}" is not recognised; use listed/listad, paused/pausad or unlisted/avlistad'
    ),
    "invalid_value": '"{value}" cannot be stored: {detail}',
    "duplicate_id": 'id "{value}" was already used on line {first_line}',
    "other_hub": '"{value}" belongs to {hub}; only its coordinators can import this row',
}

FILE_PROBLEMS: dict[str, str] = {
    "missing": "file not found",
    "unreadable": "cannot read the file: {detail}",
    "empty": "the file is empty",
    "no_rows": "the file has a header row but no maker rows",
    "binary": "not a CSV or XLSX file (it looks like binary data)",
    "old_excel": "old Excel .xls format is not supported; save it as .xlsx or CSV",
    "bad_xlsx": "not a readable XLSX workbook: {detail}",
    "bad_csv": "cannot parse the CSV: {detail}",
    "formula_without_value": (
        "cell {cell} holds a formula whose result was never saved in the file (it was written "
        "by a program, not by Excel); open it in Excel or LibreOffice and save it again"
    ),
    "bad_encoding": "the text is neither UTF-8 nor Windows-1252",
    "no_header": (
        "no header row with at least the name and municipality columns "
        "(namn/företag and kommun/ort also work); the first row reads: {first_row}"
    ),
}


def render(templates: Mapping[str, str], code: str, params: Mapping[str, str]) -> str:
    """Fill one template; a missing placeholder is shown as-is rather than failing."""
    return templates[code].format_map(_Lenient(params))


class _Lenient(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
