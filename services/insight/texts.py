"""The coordinators' insight texts (``services/data/insight.{sv,en}.toml``).

The mechanism is :class:`services.messages.Texts`; :meth:`~services.messages.Texts.plain` gives
a label unescaped, for charts and spreadsheets (which are no HTML).
"""

from __future__ import annotations

from matching.interpret import concept_label
from services.messages import DEFAULT_LANGUAGE, Texts, language_for, load_catalogue

__all__ = ["InsightTexts", "catalogue"]


def catalogue(language: str) -> dict[str, str]:
    return load_catalogue(InsightTexts.CATALOGUE, language)


class InsightTexts(Texts):
    """``InsightTexts("sv")("stats.title", scope=…)``; Telegram's ``"en-GB"`` reads English,
    no language at all Swedish (the coordinators' default)."""

    CATALOGUE = "insight"

    def __init__(self, language: str | None) -> None:
        super().__init__(language_for(language) if language else DEFAULT_LANGUAGE)

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
