"""Import problems, notes and file errors as coordinators read them in the chat, by the stable
codes of the import report, worded in ``services/data/catalogue.{sv,en}.toml`` (the command
line reads the same catalogue in English)."""

from __future__ import annotations

import html
from collections.abc import Mapping

from bot.telegram.transport.texts import language_for
from services.catalogue.messages import reason


def column_name(column: str, language_code: str | None) -> str:
    """A column as a coordinator's sheet most likely names it ("kommun", "e-post")."""
    try:
        return reason("column", column, {}, language_for(language_code))
    except KeyError:
        return column


def problem_text(
    section: str, code: str, language_code: str | None, values: Mapping[str, str]
) -> str:
    """One problem (``section`` "row", "note" or "file") in the person's language,
    HTML-escaped; a missing placeholder stays as-is."""
    language = language_for(language_code)
    escaped = {name: str(value) for name, value in values.items()}
    try:
        text = reason(section, code, escaped, language)
    except KeyError:  # a code newer than this wording: say what we can
        text = reason("row", "invalid_value", {"detail": code, **escaped}, language)
    return html.escape(text, quote=False)
