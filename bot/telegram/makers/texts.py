"""What makers read about their own listing (``services/data/makers.{sv,en}.toml``).

Values are Telegram HTML; every placeholder value is escaped (listings come from coordinators'
spreadsheets). tests/services/test_messages.py checks that both languages have the same keys
and placeholders.
"""

from __future__ import annotations

from services.messages import Texts, language_for

__all__ = ["MakerTexts", "maker_text"]


class MakerTexts(Texts):
    CATALOGUE = "makers"


def maker_text(key: str, language_code: str | None, **values: object) -> str:
    """The message ``key`` in the person's language, placeholders HTML-escaped."""
    return MakerTexts(language_for(language_code))(key, **values)
