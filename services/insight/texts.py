"""The coordinators' insight texts (``services/data/insight.{sv,en}.toml``).

Same conventions as :mod:`services.introductions.texts`; :meth:`InsightTexts.plain` gives a
label unescaped, for charts and spreadsheets (which are no HTML).
"""

from __future__ import annotations

from matching.interpret import concept_label
from services.dialogue.texts import DEFAULT_LANGUAGE, LANGUAGES, Html, language_for
from services.introductions.texts import load_catalogue, render

__all__ = ["InsightTexts", "catalogue"]


def catalogue(language: str) -> dict[str, str]:
    return load_catalogue("insight", language)


class InsightTexts:
    """``InsightTexts("sv")("stats.title", scope=…)``; Telegram's ``"en-GB"`` reads English,
    no language at all Swedish (the coordinators' default)."""

    def __init__(self, language: str | None) -> None:
        self.language = language_for(language) if language else DEFAULT_LANGUAGE
        if self.language not in LANGUAGES:  # pragma: no cover - language_for gives sv or en
            self.language = DEFAULT_LANGUAGE
        self._messages = catalogue(self.language)

    def __call__(self, key: str, **values: object) -> Html:
        return render(self._messages[key], values)

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
