"""What the bot says about invites and hub chats (``services/data/hubs.{sv,en}.toml``).

Values are Telegram HTML; every placeholder value is escaped (names come from the catalogue
and from coordinators' typing). tests/services/test_messages.py checks that both languages
have the same keys and placeholders.
"""

from __future__ import annotations

from services.messages import Texts, language_for

__all__ = ["HubTexts", "hub_text"]


class HubTexts(Texts):
    CATALOGUE = "hubs"


def hub_text(key: str, language_code: str | None, **values: object) -> str:
    """The message ``key`` in the person's language, placeholders HTML-escaped."""
    return HubTexts(language_for(language_code))(key, **values)
