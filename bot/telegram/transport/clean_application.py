"""The bot's ``Application``: every update is cleaned (:func:`~bot.telegram.transport.clean.
clean_update`) before any handler sees it, however it arrived.

PTB hands an update to ``Application.process_update`` whether it came by long polling, by the
webhook or straight from a caller (the tests, the benchmarks, an inbox that stores updates
first), so that is the one place that sees them all. The update is taken back to Telegram's
JSON, cleaned, and built again only when something had to go: a clean update goes through as
it came. An inbox that stores raw updates must clean them before storing (PostgreSQL cannot
hold NUL), and then this finds nothing left to do.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application

from bot.telegram.transport.clean import clean_update

log = logging.getLogger(__name__)


class CleanInputApplication(Application):
    async def process_update(self, update: object) -> None:
        if isinstance(update, Update):
            update = cleaned(update, self.bot)
        await super().process_update(update)


def cleaned(update: Update, bot: object) -> Update:
    """``update`` without control characters: itself when it had none."""
    raw = update.to_dict()
    clean = clean_update(raw)
    if clean is raw:
        return update
    log.info("update %s: control characters removed", update.update_id)
    return Update.de_json(clean, bot)  # type: ignore[arg-type]
