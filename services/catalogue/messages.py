"""What the catalogue says, in Swedish and English: ``services/data/catalogue.{sv,en}.toml``.

One catalogue serves both sides: the command line words import problems in English
(:func:`reason`, plain text), the coordinators' chat in the person's language (HTML through
:class:`CatalogueTexts`). Problems, notes and file errors are addressed by a stable code with
named placeholders, and the codes are part of the import report (``--json``), so anything
reading the report can word them itself. Sections: ``column`` (column names, also the export's
headers), ``row`` (why a row was not imported), ``note`` (what was imported with a remark),
``file`` (why a file cannot be used at all) and ``desk`` (the chat's messages).
"""

from __future__ import annotations

from collections.abc import Mapping

from services.messages import Texts, load_catalogue

__all__ = ["CatalogueTexts", "catalogue", "reason"]

CLI_LANGUAGE = "en"


class CatalogueTexts(Texts):
    CATALOGUE = "catalogue"


def catalogue(language: str) -> dict[str, str]:
    return load_catalogue(CatalogueTexts.CATALOGUE, language)


def reason(section: str, code: str, params: Mapping[str, str], language: str = CLI_LANGUAGE) -> str:
    """The plain text of ``section.code`` filled in; a missing placeholder is shown as-is
    rather than failing (a problem's wording must never break a report)."""
    return catalogue(language)[f"{section}.{code}"].format_map(_Lenient(params))


class _Lenient(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
