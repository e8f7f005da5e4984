"""Every message the designer dialogue sends, in Swedish and English, addressed by key.

The catalogues are TOML files (``services/data/dialogue.sv.toml``, ``dialogue.en.toml``), read
with the standard library's ``tomllib``: flat keys, ``{placeholder}`` values, comments for
translators, no compile step and nothing to install. Values are HTML for Telegram's parse
mode; every placeholder value is escaped with :func:`html.escape` unless it is :class:`Html`
(text this module or the dialogue already rendered).
"""

from __future__ import annotations

import html
import string
import tomllib
from functools import cache
from importlib.resources import files

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


class Html(str):
    """Markup that is already safe for Telegram's HTML parse mode: inserted as it is."""

    __slots__ = ()


def language_for(code: str | None) -> str:
    """Telegram's IETF tag to a catalogue: ``"sv"``, ``"sv-SE"`` → sv; anything else → en."""
    if code and code.strip().lower().startswith("sv"):
        return "sv"
    return "en"


@cache
def catalogue(language: str) -> dict[str, str]:
    """The raw messages of one language (``KeyError`` for an unknown language)."""
    if language not in LANGUAGES:
        raise KeyError(language)
    raw = (files("services") / "data" / f"dialogue.{language}.toml").read_text(encoding="utf-8")
    return _flatten(tomllib.loads(raw))


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


def placeholders(message: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(message) if field}


class Texts:
    """The messages of one language: ``texts("results.km", km=12)``."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._messages = catalogue(self.language)

    def __call__(self, key: str, **values: object) -> Html:
        message = self._messages[key]
        safe = {
            name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
            for name, value in values.items()
        }
        return Html(message.format_map(safe))

    def has(self, key: str) -> bool:
        return key in self._messages
