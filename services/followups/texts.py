"""The follow-ups' messages (``services/data/followups.{sv,en}.toml``; the mechanism is
:class:`services.messages.Texts`)."""

from __future__ import annotations

from services.messages import Texts, load_catalogue

__all__ = ["FollowUpTexts", "catalogue"]


class FollowUpTexts(Texts):
    CATALOGUE = "followups"


def catalogue(language: str) -> dict[str, str]:
    return load_catalogue(FollowUpTexts.CATALOGUE, language)
