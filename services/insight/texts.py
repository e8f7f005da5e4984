"""The coordinators' insight texts (``services/data/insight.{sv,en}.toml``).

Same conventions as :mod:`services.introductions.texts`; :meth:`InsightTexts.plain` gives a
label unescaped, for charts and spreadsheets (which are no HTML).
"""

from __future__ import annotations

import html
import tomllib
from functools import cache
from importlib.resources import files

from matching.interpret import concept_label
from services.dialogue.texts import DEFAULT_LANGUAGE, LANGUAGES, Html, language_for

__all__ = ["InsightTexts", "catalogue"]


@cache
def catalogue(language: str) -> dict[str, str]:
    if language not in LANGUAGES:
        raise KeyError(language)
    path = files("services") / "data" / f"insight.{language}.toml"
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


class InsightTexts:
    """``InsightTexts("sv")("stats.title", scope=…)``; Telegram's ``"en-GB"`` reads English,
    no language at all Swedish (the coordinators' default)."""

    def __init__(self, language: str | None) -> None:
        self.language = language_for(language) if language else DEFAULT_LANGUAGE
        if self.language not in LANGUAGES:  # pragma: no cover - language_for gives sv or en
            self.language = DEFAULT_LANGUAGE
        self._messages = catalogue(self.language)

    def __call__(self, key: str, **values: object) -> Html:
        safe = {
            name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
            for name, value in values.items()
        }
        return Html(self._messages[key].format_map(safe))

    def plain(self, key: str, **values: object) -> str:
        return self._messages[key].format_map(values)

    def concept(self, code: str) -> str:
        """A taxonomy code's name ("wood" → "Trä"); an unknown code as it is."""
        try:
            return concept_label(code, self.language)
        except KeyError:
            return code

    def volume(self, stage: str) -> str:
        key = f"volume.{stage}"
        return self._messages.get(key, stage)

    def area(self, area: str) -> str:
        return self._messages["unknown"] if area == "unknown" else area
