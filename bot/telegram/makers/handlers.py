"""A listed maker's own commands, ahead of the designer dialogue: ``/pause <date>``, ``/resume``,
``/profile`` (with a button that asks the hub to change the listing) and ``/requests``.

Who is a maker is decided in one place (:func:`services.hubs.access.access_for`: a Telegram account
bound to a listing by an invite); anyone else gets a kind "this is for listed makers" and the
refusal is logged by user id only. A changed listing is committed first and then handed to the
running matchmaker, so the next search already sees the pause (or its end). A request to change
the listing becomes a coordinator notice in the outbox, in the same transaction.

The handlers run in their own group before the dialogue's and stop every update they handle
(``ApplicationHandlerStop``); without a hub desk in the runtime they step aside entirely.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.ext._utils.types import CCT

from bot.telegram.context import BotServices
from bot.telegram.makers.texts import maker_text
from bot.telegram.transport.render import answer_query, send_replies
from bot.telegram.transport.scope import after_commit
from matching.models import MakerProfile, MakerStatus
from services.hubs.access import Access, access_for, log_refusal
from services.hubs.registry import coordinator_chats, hub_of_maker
from services.introductions.anonymise import without_contacts
from services.messages import Button, Reply, language_for
from services.outbox import enqueue
from storage.models import Introduction, IntroductionStatus, Maker, MatchRequest

log = logging.getLogger(__name__)

CHANGE_PREFIX = "mk:chg:"
CHANGE_NOTICE_KIND = "maker_change_request"
# Introductions the maker still has to answer (the lifecycle may add "brief_sent").
OPEN_STATUSES = (IntroductionStatus.REQUESTED.value, "brief_sent")
COMMANDS = ("pause", "resume", "profile", "requests")

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "maj": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?\.?")
_WORDS = re.compile(r"(\d{1,2})\.?\s*([a-zåäö]+)\.?(?:\s+(\d{4}))?")


def parse_busy_until(text: str, today: date) -> date | None:
    """The date in ``/pause``'s argument: ``2026-12-24``, ``24/12``, ``24.12.2026``, ``24 dec``,
    ``24 december 2026``. Without a year: the next such day from ``today`` on. ``None`` when it
    is no date.

    >>> parse_busy_until("24 dec", date(2026, 11, 25))
    datetime.date(2026, 12, 24)
    >>> parse_busy_until("3/1", date(2026, 11, 25))
    datetime.date(2027, 1, 3)
    >>> parse_busy_until("30 feb", date(2026, 11, 25)) is None
    True
    """
    value = " ".join(text.strip().lower().split())
    year: int | None
    if match := _ISO.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NUMERIC.fullmatch(value):
        day, month = int(match.group(1)), int(match.group(2))
        year = int(match.group(3)) if match.group(3) else None
        if year is not None and year < 100:
            year += 2000
    elif match := _WORDS.fullmatch(value):
        number = _MONTHS.get(match.group(2)[:3])
        if number is None:
            return None
        day, month = int(match.group(1)), number
        year = int(match.group(3)) if match.group(3) else None
    else:
        return None
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


class ListingIndex(Protocol):
    """The running matchmaker: told about a changed listing after it is committed."""

    def apply(self, maker: MakerProfile) -> None: ...


class MakerHandlers:
    def __init__(self, services: BotServices) -> None:
        self.services = services

    def handlers(self) -> list[BaseHandler[Update, CCT, None]]:
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        names = "|".join(COMMANDS)
        command = filters.Regex(rf"^/({names})(@\w+)?(\s|$)")
        return [
            MessageHandler(private & command, self.command),
            CallbackQueryHandler(self.change_pressed, pattern=rf"^{re.escape(CHANGE_PREFIX)}"),
        ]

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if self.services.sessions is None or message is None or message.from_user is None:
            return
        user = message.from_user
        name = (message.text or "").split()[0].lstrip("/").split("@")[0]
        argument = " ".join((message.text or "").split()[1:])
        language = user.language_code
        async with self.services.transaction() as session:
            access = await access_for(
                session=session, telegram_user_id=user.id, admin_ids=self.services.admin_ids
            )
            if not access.maker_ids:
                log_refusal(access, f"maker_{name}")
                replies = [Reply(maker_text("not_a_maker", language))]
            else:
                makers = await _makers(session, access)
                if name == "pause":
                    replies = await self._pause(session, makers, argument, language)
                elif name == "resume":
                    replies = await self._resume(session, makers, language)
                elif name == "profile":
                    replies = [_profile(maker, language) for maker in makers]
                else:
                    replies = [await _open_requests(session, makers, language)]
        await send_replies(
            context.bot,
            message.chat.id,
            tuple(replies),
            language_code=language,
            update_id=update.update_id,
        )
        raise ApplicationHandlerStop

    async def _pause(
        self, session: AsyncSession, makers: Sequence[Maker], argument: str, language: str | None
    ) -> list[Reply]:
        today = self.services.clock().date()
        until = parse_busy_until(argument, today) if argument else None
        if until is None:
            return [Reply(maker_text("pause.usage", language))]
        if until < today:
            return [Reply(maker_text("pause.past", language))]
        changed, replies = [], []
        for maker in makers:
            if maker.status == MakerStatus.UNLISTED:
                replies.append(Reply(maker_text("listing.unlisted", language, name=maker.name)))
                continue
            maker.status = MakerStatus.PAUSED.value
            maker.paused_until = until
            session.add(maker)
            changed.append(maker)
            text = maker_text("pause.done", language, name=maker.name, until=until.isoformat())
            replies.append(Reply(text))
        self._apply_after_commit(session, changed)
        return replies

    async def _resume(
        self, session: AsyncSession, makers: Sequence[Maker], language: str | None
    ) -> list[Reply]:
        changed, replies = [], []
        for maker in makers:
            if maker.status == MakerStatus.UNLISTED:
                replies.append(Reply(maker_text("listing.unlisted", language, name=maker.name)))
            elif maker.status == MakerStatus.LISTED:
                replies.append(Reply(maker_text("resume.already", language, name=maker.name)))
            else:
                maker.status = MakerStatus.LISTED.value
                maker.paused_until = None
                session.add(maker)
                changed.append(maker)
                replies.append(Reply(maker_text("resume.done", language, name=maker.name)))
        self._apply_after_commit(session, changed)
        return replies

    def _apply_after_commit(self, session: AsyncSession, changed: Sequence[Maker]) -> None:
        """The running ranking sees the changed listings once they are committed."""
        profiles = [(maker.id, maker.status, maker.to_profile()) for maker in changed]

        async def apply() -> None:
            for maker_id, status, profile in profiles:
                log.info("maker %s status %s", maker_id, status)
                if self.services.matchmaker is not None:
                    self.services.matchmaker.apply(profile)

        if profiles:
            after_commit(session, apply)

    async def change_pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """ "Ask the hub to change it" under /profile: only the listing's own maker may press it;
        the hub's coordinators get a notice through the outbox (once a day per listing)."""
        query = update.callback_query
        if self.services.sessions is None or query is None:
            return
        user = query.from_user
        language = user.language_code
        maker_id_text = (query.data or "")[len(CHANGE_PREFIX) :]
        notice = maker_text("button.stale", language)
        async with self.services.transaction() as session:
            access = await access_for(
                session=session, telegram_user_id=user.id, admin_ids=self.services.admin_ids
            )
            maker_id = int(maker_id_text) if maker_id_text.isdigit() else None
            maker = await session.get(Maker, maker_id) if maker_id is not None else None
            if maker is None or maker.id not in access.maker_ids:
                log_refusal(access, "maker_change_request", maker_id=maker_id_text[:20])
            else:
                await _notify_change_request(
                    session, maker, self.services.admin_ids, self.services.clock()
                )
                notice = maker_text("profile.change_asked", language)
        await answer_query(query, notice)
        raise ApplicationHandlerStop


async def _makers(session: AsyncSession, access: Access) -> list[Maker]:
    result = await session.exec(
        select(Maker).where(col(Maker.id).in_(access.maker_ids)).order_by(col(Maker.id))
    )
    return list(result.all())


def _profile(maker: Maker, language: str | None) -> Reply:
    """The listing as the catalogue has it, with the button that asks the hub to change it."""
    none = maker_text("profile.none", language)
    lang = language_for(language)
    volumes = [maker_text(f"volume.{v}", lang) for v in maker.volumes if v in _VOLUME_KEYS]
    contact = [v for v in (maker.contact_name, maker.email, maker.phone, maker.website) if v]
    if maker.status == MakerStatus.PAUSED and maker.paused_until is not None:
        status = maker_text("profile.status.paused", language, until=maker.paused_until)
    elif maker.status in (MakerStatus.PAUSED, MakerStatus.LISTED, MakerStatus.UNLISTED):
        status = maker_text(f"profile.status.{maker.status}", language)
    else:
        status = maker_text("profile.status.unlisted", language)
    lines = [
        maker_text("profile.title", language, name=maker.name),
        maker_text("profile.place", language, place=maker.place_name or none),
        maker_text("profile.materials", language, items=", ".join(maker.materials) or none),
        maker_text("profile.processes", language, items=", ".join(maker.processes) or none),
        maker_text("profile.volumes", language, items=", ".join(volumes) or none),
        maker_text("profile.contact", language, items=", ".join(contact) or none),
        status,
    ]
    if maker.description:
        lines.insert(2, maker_text("profile.description", language, text=maker.description))
    button = Button(maker_text("profile.change_button", language), f"{CHANGE_PREFIX}{maker.id}")
    return Reply("\n".join(lines), buttons=((button,),))


_VOLUME_KEYS = ("prototype", "pilot", "production")


async def _open_requests(
    session: AsyncSession, makers: Sequence[Maker], language: str | None
) -> Reply:
    """The briefs the maker has not answered yet: date, what and where (never the designer)."""
    maker_ids = [maker.id for maker in makers]
    rows = await session.exec(
        select(Introduction, MatchRequest)
        .join(MatchRequest, col(MatchRequest.id) == col(Introduction.request_id))
        .where(col(Introduction.maker_id).in_(maker_ids))
        .where(col(Introduction.status).in_(OPEN_STATUSES))
        .order_by(col(Introduction.created_at), col(Introduction.id))
    )
    found = list(rows.all())
    if not found:
        return Reply(maker_text("requests.none", language))
    none = maker_text("profile.none", language)
    lines = [maker_text("requests.title", language, count=len(found))]
    for introduction, request in found:
        what = without_contacts(" ".join(request.text.split()))
        lines.append(
            maker_text(
                "requests.item",
                language,
                date=introduction.created_at.date().isoformat(),
                what=what if len(what) <= 80 else what[:79] + "…",
                place=request.place_name or none,
            )
        )
    return Reply("\n".join(lines))


async def _notify_change_request(
    session: AsyncSession, maker: Maker, admin_ids: frozenset[int], now: datetime
) -> None:
    assert maker.id is not None
    hub = await hub_of_maker(session=session, maker=maker)
    assert hub.id is not None
    contact = [v for v in (maker.contact_name, maker.email, maker.phone) if v]
    text = maker_text(
        "profile.change_notice",
        "sv",
        name=maker.name,
        external_id=maker.external_id,
        contact=", ".join(contact) or "Telegram",
    )
    for chat_id in await coordinator_chats(session=session, hub_id=hub.id, fallback_ids=admin_ids):
        await enqueue(
            session=session,
            chat_id=chat_id,
            reply=Reply(text),
            kind=CHANGE_NOTICE_KIND,
            now=now,
            dedupe_key=f"maker-change:{maker.id}:{chat_id}:{now.date().isoformat()}",
        )


__all__ = ["MakerHandlers", "parse_busy_until"]
