"""Every message the designer dialogue sends, in Swedish and English, addressed by key
(``services/data/dialogue.{sv,en}.toml``; the mechanism is :class:`services.messages.Texts`)."""

from __future__ import annotations

from services.messages import Texts as _Texts
from services.messages import load_catalogue

__all__ = ["Texts", "catalogue"]


class Texts(_Texts):
    """The dialogue's messages: ``Texts("sv")("results.km", km=12)``."""

    CATALOGUE = "dialogue"


def catalogue(language: str) -> dict[str, str]:
    """The raw messages of one language (``KeyError`` for an unknown language)."""
    return load_catalogue(Texts.CATALOGUE, language)
