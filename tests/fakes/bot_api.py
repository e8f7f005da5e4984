"""The fake Telegram Bot API now lives in the package (``spok-bot bench followups`` runs it);
tests keep importing it from here."""

from bot.bench.fake_bot_api import LONG_POLL_CAP_S, Call, FakeBotApi, fake_bot_api

__all__ = ["LONG_POLL_CAP_S", "Call", "FakeBotApi", "fake_bot_api"]
