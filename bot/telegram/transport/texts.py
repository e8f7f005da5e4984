"""The little text the transport itself shows: the command menu, the location button, and the
apology when something broke (``services/data/telegram.{sv,en}.toml``). Everything else comes
from the features' catalogues."""

from __future__ import annotations

from services.messages import LANGUAGES, Texts, language_for, load_catalogue

__all__ = ["DEFAULT_MENU_LANGUAGE", "LANGUAGES", "TransportTexts", "commands", "text"]

DEFAULT_MENU_LANGUAGE = "en"  # the menu for every language Telegram has no list for


class TransportTexts(Texts):
    CATALOGUE = "telegram"


def text(key: str, language_code: str | None) -> str:
    return TransportTexts(language_for(language_code))(key)


def commands(language: str) -> list[tuple[str, str]]:
    """The command menu of ``language``, in the order shown: (command, description)."""
    prefix = "commands."
    return [
        (key.removeprefix(prefix), description)
        for key, description in load_catalogue(TransportTexts.CATALOGUE, language).items()
        if key.startswith(prefix)
    ]
