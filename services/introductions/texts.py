"""The introduction lifecycle's messages (``services/data/introductions.{sv,en}.toml``; the
mechanism is :class:`services.messages.Texts`)."""

from __future__ import annotations

from services.messages import Texts, load_catalogue

__all__ = ["IntroTexts", "catalogue"]


class IntroTexts(Texts):
    """``IntroTexts("sv")("brief.what", text=…)``; an unknown language reads Swedish."""

    CATALOGUE = "introductions"


def catalogue(language: str) -> dict[str, str]:
    return load_catalogue(IntroTexts.CATALOGUE, language)
