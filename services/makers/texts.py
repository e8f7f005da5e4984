"""What makers (and the coordinators approving their listing changes) read:
``services/data/makers.{sv,en}.toml``, Telegram HTML with every placeholder value escaped."""

from __future__ import annotations

from services.messages import Texts

__all__ = ["ProfileTexts"]


class ProfileTexts(Texts):
    CATALOGUE = "makers"
