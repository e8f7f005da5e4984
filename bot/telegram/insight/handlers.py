"""The coordinators' insight commands, ahead of the designer dialogue: ``/stats [hub]
[period]``, ``/unmet [hub] [period]``, ``/map [hub|sverige]``, ``/report [hub] [period] [csv]``;
and the weekly digest job.

Who may read what is decided in one place (:func:`services.insight.scope.resolve_scope`, on
:mod:`services.hubs.access`): a hub's coordinators read their hub, in private or in the hub's chat;
admins any hub or all; anyone else gets a kind refusal, logged by user id. The figures, charts
and files come from :mod:`services.insight`; charts are drawn in a worker thread so the bot
goes on answering others meanwhile. Photos and files are sent directly in reply (the outbox
carries text only); the digest goes through the outbox, once per hub chat and week.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.ext._utils.types import CCT

from bot.telegram.context import BotServices
from services.hubs.access import access_for
from services.insight.charts import breakdown_chart, funnel_chart, unmet_chart
from services.insight.digest import enqueue_weekly_digests
from services.insight.maps import draw_map, map_data
from services.insight.periods import Period, PeriodError, parse_period, period_between
from services.insight.report import ReportFormat, funder_report, report_bytes
from services.insight.scope import Scope, ScopeRefusal, resolve_scope, split_target
from services.insight.stats import hub_stats
from services.insight.summaries import stats_text, unmet_text
from services.insight.texts import InsightTexts
from services.insight.unmet import unmet_csv, unmet_report
from services.introductions.calendar import STOCKHOLM
from storage.repositories.hubs import list_hubs

log = logging.getLogger(__name__)

COMMANDS = ("stats", "unmet", "map", "report")
DIGEST_INTERVAL = timedelta(minutes=30)
DIGEST_JOB_NAME = "insight-weekly-digest"
WHOLE_COUNTRY = frozenset({"sverige", "sweden", "all", "alla"})
UNMET_DAYS = 90
MAP_DAYS = 90


@dataclass(frozen=True)
class Photo:
    png: bytes
    caption: str = ""


@dataclass(frozen=True)
class Document:
    data: bytes
    filename: str
    caption: str = ""


@dataclass(frozen=True)
class Ask:
    """A command someone may run: for which hubs, which period, and its options."""

    scope: Scope
    period: Period
    title: str  # the scope's name, as the texts show it
    whole_country: bool = False  # /map sverige
    fmt: ReportFormat = ReportFormat.XLSX  # /report … csv


@dataclass
class Answer:
    text: str
    photos: list[Photo] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


class InsightHandlers:
    def __init__(self, services: BotServices, digest_interval: timedelta = DIGEST_INTERVAL) -> None:
        self.services = services
        self.digest_interval = digest_interval

    def handlers(self) -> list[BaseHandler[Update, CCT, None]]:
        names = "|".join(COMMANDS)
        command = filters.UpdateType.MESSAGE & filters.Regex(rf"^/({names})(@\w+)?(\s|$)")
        return [MessageHandler(command, self.command)]

    def install_jobs(self, application: Application) -> None:
        """The weekly digest, checked every ``digest_interval`` on the JobQueue."""
        if application.job_queue is None:  # pragma: no cover - the job-queue extra is required
            raise RuntimeError("python-telegram-bot[job-queue] is not installed")
        application.job_queue.run_repeating(
            self.digest_job,
            interval=self.digest_interval,
            first=self.digest_interval,
            name=DIGEST_JOB_NAME,
        )

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if self.services.sessions is None or message is None or message.from_user is None:
            return
        words = (message.text or "").split()
        name = words[0].lstrip("/").split("@")[0]
        t = InsightTexts(message.from_user.language_code)
        async with self.services.transaction() as session:  # reads only
            ask = await self._ask(session, message, name, " ".join(words[1:]), t)
            if isinstance(ask, Answer):
                answer = ask
            else:  # read the figures now; draw them once the session is closed
                draw = await _FIGURES[name](session, ask, t)
        if not isinstance(ask, Answer):
            answer = await asyncio.to_thread(draw)  # charts take a moment: not on the loop
        await _send(message, answer)
        raise ApplicationHandlerStop

    async def _ask(
        self, session: AsyncSession, message: Message, name: str, argument: str, t: InsightTexts
    ) -> Ask | Answer:
        """What the command asks for, or the answer that refuses it or shows the usage."""
        assert message.from_user is not None
        access = await access_for(
            session=session,
            telegram_user_id=message.from_user.id,
            admin_ids=self.services.admin_ids,
        )
        words = argument.split()
        whole_country = name == "map" and bool({w.lower() for w in words} & WHOLE_COUNTRY)
        if name == "map":
            words = [word for word in words if word.lower() not in WHOLE_COUNTRY]
        fmt = ReportFormat.XLSX
        if name == "report" and words and words[-1].lower() in ("csv", "xlsx"):
            fmt = ReportFormat(words.pop().lower())
        target, rest = split_target(" ".join(words))
        group = message.chat.id if message.chat.type != "private" else None
        scope = await resolve_scope(
            session=session, access=access, target=target, group_chat_id=group
        )
        if isinstance(scope, ScopeRefusal):
            refusal = await _refusal(session, scope, target, t)
            if scope is ScopeRefusal.UNKNOWN_HUB:  # perhaps a period typed wrongly
                refusal = f"{refusal}\n\n{t(f'usage.{name}')}"
            return Answer(refusal)
        if name == "map" and rest:
            return Answer(t("usage.map"))
        try:
            period = _period(name, rest, self.services.clock())
        except PeriodError:
            return Answer(t(f"usage.{name}"))
        return Ask(scope, period, scope.name(t.plain("all_hubs")), whole_country, fmt)

    async def digest_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run_digest_once()

    async def run_digest_once(self) -> int | None:
        """Queue the weekly digests if they are due; ``None`` while the runtime is down."""
        sessions = self.services.sessions
        if sessions is None:
            return None
        async with sessions() as session:
            queued = await enqueue_weekly_digests(session=session, now=self.services.clock())
            await session.commit()
        if queued:
            log.info("weekly digest queued for %s chat(s)", queued)
        return queued


Draw = Callable[[], Answer]


async def _stats(session: AsyncSession, ask: Ask, t: InsightTexts) -> Draw:
    stats = await hub_stats(session=session, scope=ask.scope, period=ask.period)

    def draw() -> Answer:
        charts = [
            Photo(funnel_chart(stats, t, title=ask.title)),
            Photo(breakdown_chart(stats, t, title=ask.title)),
        ]
        return Answer(stats_text(stats, t, scope=ask.title), photos=charts)

    return draw


async def _unmet(session: AsyncSession, ask: Ask, t: InsightTexts) -> Draw:
    report = await unmet_report(session=session, scope=ask.scope, period=ask.period)

    def draw() -> Answer:
        caption = t.plain("unmet.caption", scope=ask.title, period=ask.period.label)
        data = unmet_csv(report, t)
        document = Document(data, _filename("unmet", ask.scope, ask.period, "csv"), caption)
        chart = Photo(unmet_chart(report, t, title=ask.title))
        return Answer(unmet_text(report, t, scope=ask.title), [chart], [document])

    return draw


async def _map(session: AsyncSession, ask: Ask, t: InsightTexts) -> Draw:
    points = await map_data(
        session=session, scope=ask.scope, period=ask.period, whole_country=ask.whole_country
    )

    def draw() -> Answer:
        png = draw_map(points, t, title=t.plain("map.title", scope=ask.title))
        caption = t.plain(
            "map.caption",
            scope=ask.title,
            makers=len(points.makers),
            requests=len(points.requests),
            period=ask.period.label,
        )
        return Answer("", photos=[Photo(png, caption)])

    return draw


async def _report(session: AsyncSession, ask: Ask, t: InsightTexts) -> Draw:
    total = t.plain("report.column.total")
    report = await funder_report(
        session=session, scope=ask.scope, period=ask.period, total_label=total
    )

    def draw() -> Answer:
        data = report_bytes(report, ask.fmt, t)
        caption = t.plain("report.caption", scope=ask.title, period=ask.period.label)
        name = _filename("report", ask.scope, ask.period, ask.fmt.value)
        return Answer("", documents=[Document(data, name, caption)])

    return draw


_FIGURES: dict[str, Callable[[AsyncSession, Ask, InsightTexts], Awaitable[Draw]]] = {
    "stats": _stats,
    "unmet": _unmet,
    "map": _map,
    "report": _report,
}


def _period(name: str, text: str, now: datetime) -> Period:
    if text:
        return parse_period(text, now=now)
    today = now.astimezone(STOCKHOLM).date()
    if name == "report":
        return period_between(date(today.year, 1, 1), today)
    if name in ("unmet", "map"):
        days = UNMET_DAYS if name == "unmet" else MAP_DAYS
        return period_between(today - timedelta(days=days - 1), today)
    return parse_period("", now=now)


def _filename(kind: str, scope: Scope, period: Period, extension: str) -> str:
    who = "alla" if scope.everything else "-".join(hub.slug for hub in scope.hubs)
    start, end = period.label.split(" – ")
    return f"spok-{kind}-{who}-{start}-{end}.{extension}"


async def _refusal(
    session: AsyncSession, refusal: ScopeRefusal, target: str | None, t: InsightTexts
) -> str:
    if refusal not in (ScopeRefusal.UNKNOWN_HUB, ScopeRefusal.CHOOSE_HUB):
        return t(f"refusal.{refusal.value}")
    slugs = [hub.slug for hub in await list_hubs(session=session)]
    return t(
        f"refusal.{refusal.value}",
        target=target or "",
        slugs=", ".join(slugs),
        example=slugs[0] if slugs else "",
    )


async def _send(message: Message, answer: Answer) -> None:
    if answer.text:
        await message.reply_text(
            answer.text, parse_mode=ParseMode.HTML, disable_web_page_preview=True
        )
    for photo in answer.photos:
        await message.reply_photo(
            InputFile(photo.png, filename="chart.png"), caption=photo.caption or None
        )
    for document in answer.documents:
        await message.reply_document(
            InputFile(document.data, filename=document.filename),
            caption=document.caption or None,
        )


__all__ = ["DIGEST_INTERVAL", "InsightHandlers"]
