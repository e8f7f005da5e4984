"""Follow-ups on Telegram: the check-in buttons, /checkins, /followups and the dispatcher job.

* A button whose data is ``fu:<token>:<answer>`` goes to :func:`services.followups.answer`;
  its toast and replies are shown privately, and listings it changed reach the running matcher.
* ``/checkins [on|off|på|av]`` (private): a designer or maker turns check-ins on or off.
* ``/followups``: the hub's follow-up table for its coordinators (admins: all hubs).
* :class:`FollowUpJob` runs :class:`services.followups.FollowUpDispatcher` every
  ``FOLLOWUP_INTERVAL_SECONDS`` on the Application's JobQueue (APScheduler, in memory: the rows
  hold the state, the scheduler only rings), first right after start, so anything that fell
  due while the bot was stopped goes out at once (within the courtesy hours).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
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
from bot.telegram.transport.scope import after_commit
from services.followups import (
    CycleReport,
    FollowUpDispatcher,
    PressResult,
    answer,
    overview,
    set_checkins,
)
from services.followups.texts import FollowUpTexts
from services.hubs.access import access_for
from services.matchmaking import Matchmaker
from services.messages import Reply, language_for
from storage.models import Maker

log = logging.getLogger(__name__)

JOB_NAME = "followups-dispatch"
DEFAULT_INTERVAL = timedelta(minutes=1)
_ON = {"on", "på", "pa", "ja", "yes"}
_OFF = {"off", "av", "nej", "no"}


class FollowUpHandlers:
    def __init__(self, services: BotServices) -> None:
        self.services = services

    def handlers(self) -> list[BaseHandler[Update, CCT, None]]:
        messages = filters.UpdateType.MESSAGE
        return [
            CallbackQueryHandler(self.pressed, pattern=r"^fu:"),
            MessageHandler(
                messages & filters.ChatType.PRIVATE & filters.Regex(r"^/checkins(@\w+)?(\s|$)"),
                self.checkins,
            ),
            MessageHandler(messages & filters.Regex(r"^/followups(@\w+)?(\s|$)"), self.followups),
        ]

    async def pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if self.services.sessions is None or query is None:
            return
        async with self.services.transaction() as session:
            outcome = await answer(
                session=session,
                data=query.data or "",
                user_id=query.from_user.id,
                now=self.services.clock(),
                policy=self.services.followup_policy,
                admin_ids=self.services.admin_ids,
            )
            changed = outcome.changed_maker_ids
            if changed:  # the running ranking sees the listings once they are committed
                after_commit(session, lambda: self._apply(session, changed))
        if outcome.result is not PressResult.DONE:
            log.info("follow-up button %s for user %s", outcome.result.value, query.from_user.id)
        await answer_query(query, outcome.notice or None)
        if outcome.replies:
            await send_replies(
                context.bot,
                query.from_user.id,
                outcome.replies,
                language_code=query.from_user.language_code,
                update_id=update.update_id,
            )
        raise ApplicationHandlerStop

    async def checkins(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if self.services.sessions is None or message is None or message.from_user is None:
            return
        words = (message.text or "").split()[1:]
        wanted = words[0].lower() if words else ""
        on = True if wanted in _ON else False if wanted in _OFF else None
        async with self.services.transaction() as session:
            state = await set_checkins(
                session=session,
                user_id=message.from_user.id,
                on=on,
                now=self.services.clock(),
            )
        t = FollowUpTexts(state.language or _language(message.from_user.language_code))
        text: str
        if not state.known:
            text = t("checkins.nobody")
        else:
            days = self.services.followup_policy.checkin_days
            lines = [t("checkins.on", first=days[0], second=days[1], third=days[2])]
            if not state.on:
                lines = [t("checkins.off")]
            if state.is_maker:
                lines.append(
                    t("checkins.maker_note", weeks=self.services.followup_policy.freshness_weeks)
                )
            if wanted and on is None:
                lines.insert(0, t("checkins.usage"))
            text = "\n\n".join(lines)
        await send_replies(
            context.bot,
            message.chat.id,
            (Reply(text),),
            language_code=message.from_user.language_code,
            update_id=update.update_id,
        )
        raise ApplicationHandlerStop

    async def followups(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if self.services.sessions is None or message is None or message.from_user is None:
            return
        async with self.services.transaction() as session:
            access = await access_for(
                session=session,
                telegram_user_id=message.from_user.id,
                admin_ids=self.services.admin_ids,
            )
            if not access.is_staff:
                return  # not a coordinator: the command is the dialogue's to answer
            reply = await overview(
                session=session,
                access=access,
                hours=self.services.followup_policy.hours,
                language=_language(message.from_user.language_code),
            )
        await send_replies(
            context.bot,
            message.chat.id,
            (reply,),
            language_code=message.from_user.language_code,
            update_id=update.update_id,
        )
        raise ApplicationHandlerStop

    async def _apply(self, session: AsyncSession, maker_ids: tuple[int, ...]) -> None:
        await apply_makers(session, self.services.matchmaker, maker_ids)


class FollowUpJob:
    """Runs the dispatcher on the JobQueue; idempotent, so every bot process may run it."""

    def __init__(self, services: BotServices, interval: timedelta = DEFAULT_INTERVAL) -> None:
        self.services = services
        self.interval = interval

    def install(self, application: Application) -> None:
        if application.job_queue is None:  # pragma: no cover - the job-queue extra is required
            raise RuntimeError("python-telegram-bot[job-queue] is not installed")
        application.job_queue.run_repeating(
            self.job,
            interval=self.interval,
            first=timedelta(seconds=1),
            name=JOB_NAME,
            job_kwargs={"max_instances": 1, "coalesce": True},
        )

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.run_once()
        except Exception as error:  # the database went away: the next run tries again
            log.warning("follow-up dispatcher: %s; retrying next run", type(error).__name__)

    async def run_once(self) -> CycleReport | None:
        """One cycle at the services' clock; ``None`` while the runtime is not running."""
        sessions = self.services.sessions
        if sessions is None:
            return None
        dispatcher = FollowUpDispatcher(
            sessions,
            clock=self.services.clock,
            policy=self.services.followup_policy,
            admin_ids=self.services.admin_ids,
        )
        report = await dispatcher.run_once()
        if report.stale_makers:
            async with sessions() as session:
                await apply_makers(session, self.services.matchmaker, report.stale_makers)
        return report


async def apply_makers(
    session: AsyncSession, matchmaker: Matchmaker | None, maker_ids: tuple[int, ...]
) -> None:
    """Show the running matcher listings changed by answers or staleness."""
    if matchmaker is None or not maker_ids:
        return
    makers = await session.exec(select(Maker).where(col(Maker.id).in_(list(maker_ids))))
    for maker in makers.all():
        matchmaker.apply(maker.to_profile())


def _language(code: str | None) -> str:
    """The client's language; Swedish when Telegram gives none (coordinators' default)."""
    return language_for(code) if code else "sv"


__all__ = ["FollowUpHandlers", "FollowUpJob"]
