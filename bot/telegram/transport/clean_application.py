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
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application

from bot.telegram.transport.clean import clean_update
from bot.telegram.transport.scope import current_scope

if TYPE_CHECKING:
    from bot.telegram.transport.inbox import InboxEdge

log = logging.getLogger(__name__)


class CleanInputApplication(Application):
    """Also the door to the durable inbox (:mod:`bot.telegram.transport.inbox`): with an
    active ``edge``, an update handed to :meth:`process_update` from outside (a test, a
    benchmark) is stored and handled from the inbox like any received update, and a handler's
    failure is reported to the edge, which rolls the update's transaction back."""

    edge: InboxEdge | None = None

    async def process_update(self, update: object) -> None:
        if isinstance(update, Update):
            update = cleaned(update, self.bot)
            edge = self.edge
            if edge is not None and edge.active and current_scope() is None:
                await edge.process_now(update)
                return
        await super().process_update(update)

    async def process_error(
        self,
        update: object | None,
        error: Exception,
        job: Any = None,
        coroutine: Any = None,
    ) -> bool:
        scope = current_scope()
        if scope is not None and job is None and scope.error is None:
            scope.error = error
        return await super().process_error(update, error, job, coroutine)


def cleaned(update: Update, bot: object) -> Update:
    """``update`` without control characters: itself when it had none."""
    raw = update.to_dict()
    clean = clean_update(raw)
    if clean is raw:
        return update
    log.info("update %s: control characters removed", update.update_id)
    return Update.de_json(clean, bot)  # type: ignore[arg-type]
