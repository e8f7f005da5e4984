"""The coordinators' matchmaking rounds, ahead of the designer dialogue: ``/round …`` in a
private chat, the round card's ``rnd:…`` buttons (in private or in the hub's chat, where the
closing job sends the proposal), and the job that closes rounds whose sign-up ended.

Designers never meet these handlers: a round's link (``/start round_<token>``) goes to the
designer dialogue, which takes the brief through its normal steps and enters it in the round.
Every decision is :class:`services.rounds.desk.RoundDesk`'s; these parse, call and reply.
Without a hub desk in the runtime they step aside.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.ext._utils.types import CCT

from bot.telegram.context import BotServices
from bot.telegram.transport.render import answer_query, send_replies
from services.messages import Reply, language_for
from services.rounds.desk import DATA_PREFIX
from services.rounds.texts import RoundTexts

log = logging.getLogger(__name__)

CLOSE_INTERVAL = timedelta(minutes=1)
CLOSE_JOB_NAME = "rounds-close"


class RoundHandlers:
    def __init__(self, services: BotServices) -> None:
        self.services = services

    def handlers(self) -> list[BaseHandler[Update, CCT, None]]:
        command = filters.UpdateType.MESSAGE & filters.Regex(r"^/round(@\w+)?(\s|$)")
        return [
            MessageHandler(command, self.command),
            CallbackQueryHandler(self.press, pattern=rf"^{re.escape(DATA_PREFIX)}"),
        ]

    def _bot_username(self, context: ContextTypes.DEFAULT_TYPE) -> str:
        return self.services.bot_username or context.bot.username

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        desk, message = self.services.rounds, update.message
        if desk is None or message is None or message.from_user is None:
            return
        user = message.from_user
        language = language_for(user.language_code)
        if message.chat.type != "private":  # a card names the designers: not for any group
            reply = Reply(RoundTexts(language)("private_only"))
        else:
            argument = (message.text or "").partition(" ")[2]
            reply = await desk.command(
                user_id=user.id,
                language=language,
                argument=argument,
                now=self.services.clock(),
                bot_username=self._bot_username(context),
            )
        await send_replies(
            context.bot,
            message.chat.id,
            (reply,),
            language_code=user.language_code,
            update_id=update.update_id,
        )
        raise ApplicationHandlerStop

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        desk, query = self.services.rounds, update.callback_query
        if desk is None or query is None or query.data is None:
            return
        user = query.from_user
        pressed = None
        try:
            pressed = await desk.press(
                user_id=user.id,
                language=language_for(user.language_code),
                data=query.data,
                now=self.services.clock(),
                bot_username=self._bot_username(context),
            )
        finally:
            await answer_query(query, pressed.notice if pressed else None)
        if pressed.replies and query.message is not None:
            await send_replies(
                context.bot,
                query.message.chat.id,
                pressed.replies,
                language_code=user.language_code,
                update_id=update.update_id,
            )
        raise ApplicationHandlerStop


class RoundCloser:
    """Closes rounds whose sign-up window ended and sends their proposal to the hub, every
    ``interval`` on the Application's JobQueue (idempotent: a round closes once, under its
    row lock, so several bot processes may all run it)."""

    def __init__(self, services: BotServices, interval: timedelta = CLOSE_INTERVAL) -> None:
        self.services = services
        self.interval = interval

    def install(self, application: Application) -> None:
        if application.job_queue is None:  # pragma: no cover - the job-queue extra is required
            raise RuntimeError("python-telegram-bot[job-queue] is not installed")
        application.job_queue.run_repeating(
            self.job, interval=self.interval, first=self.interval, name=CLOSE_JOB_NAME
        )

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run_once(self.services.bot_username or context.bot.username)

    async def run_once(self, bot_username: str) -> int | None:
        """Close what is due at the services' clock; ``None`` while the runtime is down."""
        desk = self.services.rounds
        if desk is None:
            return None
        closed = await desk.close_due(now=self.services.clock(), bot_username=bot_username)
        if closed:
            log.info("rounds closed and proposed: %s", closed)
        return closed


__all__ = ["CLOSE_INTERVAL", "CLOSE_JOB_NAME", "RoundCloser", "RoundHandlers"]
