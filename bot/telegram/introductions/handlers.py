"""The introduction lifecycle on Telegram: its buttons, its relayed questions and its clock.

* A button whose data is one of the lifecycle's action tokens (table ``action_tokens``) goes to
  :func:`services.introductions.press`; the outcome is rendered: the toast on the button, then
  the replies in the presser's chat (the reasons to choose after *Not now*, the prompt after
  *Ask a question*, …). Any other button (the dialogue's tokens live in the conversation, the
  maker commands' have their own prefix) is left to the handlers after these.
* A text from a person with an open question/answer relay goes to
  :func:`services.introductions.relay`; everybody else's text goes on to the dialogue.
* :class:`IntroductionTicker` runs :func:`services.introductions.tick` (reminders, unanswered
  introductions) every few minutes on the Application's JobQueue (APScheduler).

Every decision is the service's; these handlers look the token up, call, commit and render.
Without a hub desk in the runtime (some tests) they step aside entirely.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import col, select
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
from services.hubs.notices import ACTION_TOKEN_LENGTH
from services.introductions import PressStatus, TickReport, press, relay, tick
from storage.models import ActionToken

log = logging.getLogger(__name__)

TICK_INTERVAL = timedelta(minutes=5)
TICK_JOB_NAME = "introductions-tick"


class IntroductionHandlers:
    def __init__(self, services: BotServices) -> None:
        self.services = services

    def handlers(self) -> list[BaseHandler[Update, CCT, None]]:
        private_text = (
            filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
        )
        return [CallbackQueryHandler(self.pressed), MessageHandler(private_text, self.relayed)]

    async def pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if self.services.sessions is None or query is None:
            return
        data = query.data or ""
        if len(data) != ACTION_TOKEN_LENGTH:
            return  # not a lifecycle token (the dialogue's are shorter): no look-up needed
        async with self.services.transaction() as session:
            known = await session.exec(select(ActionToken.id).where(col(ActionToken.token) == data))
            if known.first() is None:
                return  # not the lifecycle's button: the dialogue's (or the maker commands')
            outcome = await press(
                session=session,
                token=data,
                user_id=query.from_user.id,
                admin_ids=self.services.admin_ids,
                now=self.services.clock(),
                matchmaker=self.services.matchmaker,
            )
        if outcome.status is not PressStatus.DONE:
            log.info(
                "introduction button %s for user %s (introduction %s)",
                outcome.status.value,
                query.from_user.id,
                outcome.introduction_id,
            )
        await answer_query(query, outcome.notice or None)
        if outcome.replies:
            # Always privately: a hub group may hold people who must not see a designer's
            # contact card ("open the request") or answer on a maker's behalf.
            chat_id = query.from_user.id
            await send_replies(
                context.bot,
                chat_id,
                outcome.replies,
                language_code=query.from_user.language_code,
                update_id=update.update_id,
            )
        raise ApplicationHandlerStop

    async def relayed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if (
            self.services.sessions is None
            or message is None
            or message.from_user is None
            or not message.text
        ):
            return
        async with self.services.transaction() as session:
            outcome = await relay(
                session=session,
                from_user_id=message.from_user.id,
                text=message.text,
                now=self.services.clock(),
            )
        if outcome is None:
            return  # no open relay: the text is the dialogue's
        log.info("message relayed for introduction %s", outcome.introduction_id)
        await send_replies(
            context.bot,
            message.chat.id,
            outcome.replies,
            language_code=message.from_user.language_code,
            update_id=update.update_id,
        )
        raise ApplicationHandlerStop


class IntroductionTicker:
    """Reminders and unanswered introductions: :func:`services.introductions.tick` in one
    transaction, every ``interval`` on the Application's JobQueue (idempotent, so several bot
    processes may all run it)."""

    def __init__(self, services: BotServices, interval: timedelta = TICK_INTERVAL) -> None:
        self.services = services
        self.interval = interval

    def install(self, application: Application) -> None:
        if application.job_queue is None:  # pragma: no cover - the job-queue extra is required
            raise RuntimeError("python-telegram-bot[job-queue] is not installed")
        application.job_queue.run_repeating(
            self.job, interval=self.interval, first=self.interval, name=TICK_JOB_NAME
        )

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run_once()

    async def run_once(self) -> TickReport | None:
        """One tick at the services' clock; ``None`` while the runtime is not running."""
        sessions = self.services.sessions
        if sessions is None:
            return None
        async with sessions() as session:
            report = await tick(
                session=session,
                now=self.services.clock(),
                admin_ids=self.services.admin_ids,
                matchmaker=self.services.matchmaker,
            )
            await session.commit()
        if report.reminded or report.unanswered:
            log.info(
                "introductions tick: %s reminded, %s unanswered", report.reminded, report.unanswered
            )
        return report


__all__ = [
    "TICK_INTERVAL",
    "IntroductionHandlers",
    "IntroductionTicker",
]
