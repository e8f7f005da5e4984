"""The follow-ups' messages (``services/data/followups.{sv,en}.toml``), same conventions as
:mod:`services.introductions.texts`."""

from __future__ import annotations

from services.introductions.texts import IntroTexts, load_catalogue

__all__ = ["FollowUpTexts", "catalogue"]


class FollowUpTexts(IntroTexts):
    CATALOGUE = "followups"


def catalogue(language: str) -> dict[str, str]:
    return load_catalogue(FollowUpTexts.CATALOGUE, language)
