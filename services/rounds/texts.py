"""What the bot says about rounds (``services/data/rounds.{sv,en}.toml``): to coordinators and
to the designers whose round was paired."""

from __future__ import annotations

from services.messages import Texts

__all__ = ["RoundTexts"]


class RoundTexts(Texts):
    CATALOGUE = "rounds"
