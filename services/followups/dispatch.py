"""Claiming due follow-ups and handing their messages to the outbox, exactly once.

:func:`dispatch_due` runs one transaction: it claims up to ``limit`` due ``pending`` rows
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent dispatchers take disjoint rows; SQLite
has one writer), and in the same transaction writes each one's message to the outbox (keyed
``followup:<id>``) with its button token, marks it ``queued``, or marks it ``skipped`` /
``cancelled`` when there is nobody to ask. A crash before the commit leaves every row
``pending``; after it, every message is in the outbox, which delivers at least once (see
:mod:`services.outbox` for its double-send window) and mirrors the outcome back here.

Outside the courtesy hours nothing is claimed: rows wait for the next opening.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, insert, literal, update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus
from services.followups.schedule import (
    FollowUpPolicy,
    plan_checkins,
    plan_freshness,
    sweep_unanswered,
)
from services.followups.texts import FollowUpTexts
from services.hubs.notices import maker_hub_id, notify_hub
from services.introductions.anonymise import without_contacts
from services.messages import Button, Reply
from services.outbox import (
    FOLLOW_UP_KIND_PREFIX,
    enqueue_many,
    payload_of,
    picked_once,
)
from storage.models import (
    ActionToken,
    Designer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Introduction,
    Maker,
    MatchRequest,
    Outbox,
)

__all__ = [
    "CALLBACK_PREFIX",
    "CycleReport",
    "DispatchReport",
    "FollowUpDispatcher",
    "answers_for",
    "dispatch_due",
]

log = logging.getLogger(__name__)

CALLBACK_PREFIX = "fu"  # button data: "fu:<token>:<answer>" (≤ 64 bytes)
TOKEN_ACTION = "followup"
MAKER_LANGUAGE = "sv"  # makers read Swedish unless we know better (as in the lifecycle)
HUB_LANGUAGE = "sv"

# The answers each kind offers, row by row.
_LAYOUT: dict[str, tuple[tuple[str, ...], ...]] = {
    FollowUpKind.CHECKIN_CONTACT: (("met", "contacted"), ("no_contact",), ("end",)),
    FollowUpKind.CHECKIN_PROTOTYPE: (("prototype",), ("in_progress", "not_yet"), ("end",)),
    FollowUpKind.CHECKIN_PRODUCTION: (("production",), ("in_progress", "not_yet"), ("end",)),
    FollowUpKind.FRESHNESS: (("yes",), ("busy",), ("unlist",)),
}


def answers_for(kind: str) -> frozenset[str]:
    """The answers a follow-up of ``kind`` offers on its first message."""
    return frozenset(answer for row in _LAYOUT[kind] for answer in row)


def button_data(token: str, answer: str) -> str:
    return f"{CALLBACK_PREFIX}:{token}:{answer}"


@dataclass(frozen=True)
class DispatchReport:
    claimed: int = 0
    queued: int = 0
    skipped: int = 0
    cancelled: int = 0


@dataclass
class _Batch:
    messages: list[dict[str, Any]] = field(default_factory=list)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)
    ended: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def end(self, row_id: int, status: FollowUpStatus, reason: str) -> None:
        self.ended.setdefault((status.value, reason), []).append(row_id)


async def dispatch_due(
    session: AsyncSession, *, now: datetime, policy: FollowUpPolicy, limit: int | None = None
) -> DispatchReport:
    """Claim due rows and queue their messages, in the caller's transaction (commit it)."""
    if not policy.hours.allows(now):
        return DispatchReport()
    due = (
        select(FollowUp.id)
        .where(
            col(FollowUp.status) == FollowUpStatus.PENDING.value,
            col(FollowUp.due_at) <= now,
        )
        .order_by(col(FollowUp.due_at), col(FollowUp.id))
        .limit(limit or policy.batch_size)
        .with_for_update(skip_locked=True)
    )
    claimed = list(
        (
            await session.exec(
                update(FollowUp)
                .where(
                    col(FollowUp.id).in_(picked_once(due)),
                    col(FollowUp.status) == FollowUpStatus.PENDING.value,
                )
                .values(status=FollowUpStatus.QUEUED.value)
                .returning(FollowUp)
                .execution_options(synchronize_session=False, populate_existing=True)
            )
        ).scalars()
    )
    if not claimed:
        return DispatchReport()
    batch = _Batch()
    context = await _Context.load(session, claimed)
    for row in sorted(claimed, key=lambda r: r.id or 0):
        _prepare(row, context, batch, now)
    if batch.tokens:
        await (await session.connection()).execute(insert(ActionToken), batch.tokens)
    await enqueue_many(session=session, messages=batch.messages, now=now)
    if batch.queued:
        await _link_outbox(session, batch.queued)
    skipped = cancelled = 0
    for (status, reason), ids in batch.ended.items():
        await session.exec(
            update(FollowUp)
            .where(col(FollowUp.id).in_(ids))
            .values(status=status, last_error=reason)
            .execution_options(synchronize_session=False)
        )
        if status == FollowUpStatus.SKIPPED.value:
            skipped += len(ids)
        else:
            cancelled += len(ids)
    return DispatchReport(len(claimed), len(batch.queued), skipped, cancelled)


async def _link_outbox(session: AsyncSession, ids: list[int]) -> None:
    """Point each queued follow-up at its outbox row (one statement)."""
    key = literal("followup:", String) + cast(col(FollowUp.id), String)
    outbox_id = select(Outbox.id).where(col(Outbox.dedupe_key) == key).scalar_subquery()
    await session.exec(
        update(FollowUp)
        .where(col(FollowUp.id).in_(ids))
        .values(outbox_id=outbox_id)
        .execution_options(synchronize_session=False)
    )


@dataclass
class _Context:
    introductions: dict[int, Introduction]
    requests: dict[int, MatchRequest]
    designers: dict[int, Designer]
    makers: dict[int, Maker]

    @classmethod
    async def load(cls, session: AsyncSession, rows: Sequence[FollowUp]) -> _Context:
        introduction_ids = {r.introduction_id for r in rows if r.introduction_id is not None}
        introductions = await _by_id(session, Introduction, introduction_ids)
        requests = await _by_id(
            session, MatchRequest, {i.request_id for i in introductions.values()}
        )
        designers = await _by_id(
            session, Designer, {r.designer_id for r in requests.values() if r.designer_id}
        )
        maker_ids = {r.maker_id for r in rows if r.maker_id is not None}
        maker_ids |= {i.maker_id for i in introductions.values()}
        makers = await _by_id(session, Maker, maker_ids)
        return cls(introductions, requests, designers, makers)


async def _by_id(session: AsyncSession, table: Any, ids: Collection[int]) -> dict[int, Any]:
    found: dict[int, Any] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 1000):  # keep IN lists short for SQLite
        chunk = wanted[start : start + 1000]
        for item in (await session.exec(select(table).where(col(table.id).in_(chunk)))).all():
            found[item.id] = item
    return found


def _prepare(row: FollowUp, context: _Context, batch: _Batch, now: datetime) -> None:
    """Decide one claimed row: its message and token into the batch, or why it ends."""
    assert row.id is not None
    if row.kind == FollowUpKind.FRESHNESS:
        maker = context.makers.get(row.maker_id or 0)
        if maker is None or maker.status == MakerStatus.UNLISTED or maker.telegram_user_id is None:
            batch.end(row.id, FollowUpStatus.CANCELLED, "not listed on Telegram")
            return
        if maker.unreachable_at is not None:
            batch.end(row.id, FollowUpStatus.CANCELLED, "blocked the bot")
            return
        t = FollowUpTexts(MAKER_LANGUAGE)
        _queue(batch, row, maker.telegram_user_id, t, t("freshness.ask", maker=maker.name), now)
        return
    introduction = context.introductions.get(row.introduction_id or 0)
    if introduction is None or introduction.ended_at is not None:
        batch.end(row.id, FollowUpStatus.CANCELLED, "the introduction ended")
        return
    request = context.requests[introduction.request_id]
    maker = context.makers[introduction.maker_id]
    designer = context.designers.get(request.designer_id or 0)
    person: Designer | Maker | None = designer if row.side == "designer" else maker
    chat = person.telegram_user_id if person is not None else None
    if person is None or chat is None:
        batch.end(row.id, FollowUpStatus.SKIPPED, "no Telegram chat")
        return
    if person.unreachable_at is not None:
        batch.end(row.id, FollowUpStatus.CANCELLED, "blocked the bot")
        return
    if person.checkins_off_at is not None:
        batch.end(row.id, FollowUpStatus.SKIPPED, "check-ins off")
        return
    language = designer.language if row.side == "designer" and designer else MAKER_LANGUAGE
    t = FollowUpTexts(language)
    what = without_contacts(request.text.strip())
    what = what if len(what) <= 60 else what[:59] + "…"
    text = t(
        f"{row.kind}.{row.side}",
        count=(row.due_at - (introduction.introduced_at or row.due_at)).days,
        maker=maker.name,
        number=t("number", number=request.id),
        what=what,
    )
    _queue(batch, row, chat, t, f"{text}\n\n{t('footer')}", now)


def _queue(
    batch: _Batch, row: FollowUp, chat: int, t: FollowUpTexts, text: str, now: datetime
) -> None:
    assert row.id is not None
    token = secrets.token_urlsafe(12)
    batch.tokens.append(
        {
            "token": token,
            "action": TOKEN_ACTION,
            "introduction_id": row.introduction_id,
            "maker_id": row.maker_id,
            "allowed_user_id": chat,
            "follow_up_id": row.id,
            "created_at": now,
        }
    )
    prefix = "freshness.button" if row.kind == FollowUpKind.FRESHNESS else "button"
    buttons = tuple(
        tuple(Button(t(f"{prefix}.{answer}"), button_data(token, answer)) for answer in line)
        for line in _LAYOUT[row.kind]
    )
    batch.messages.append(
        {
            "chat_id": chat,
            "recipient_user_id": chat,
            "kind": f"{FOLLOW_UP_KIND_PREFIX}{row.kind}",
            "payload": payload_of(Reply(text, buttons=buttons)),
            "dedupe_key": f"followup:{row.id}",
            "working_hours_only": True,
        }
    )
    batch.queued.append(row.id)


# -- one cycle ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleReport:
    planned: int = 0
    stale_makers: tuple[int, ...] = ()
    dispatched: DispatchReport = DispatchReport()


class FollowUpDispatcher:
    """One cycle: plan new rows, sweep unanswered freshness checks (telling the hubs), then
    claim and queue due rows batch by batch until none is due. Safe to run as often as
    wanted, from any number of processes. ``clock`` is the one injectable time source."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], datetime],
        policy: FollowUpPolicy | None = None,
        admin_ids: Collection[int] = (),
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.policy = policy or FollowUpPolicy()
        self.admin_ids = frozenset(admin_ids)

    async def run_once(self) -> CycleReport:
        now = self.clock()
        async with self.sessions() as session:
            stale = await sweep_unanswered(session, now=now, policy=self.policy)
            planned = await plan_checkins(session, now=now, policy=self.policy)
            planned += await plan_freshness(session, now=now, policy=self.policy)  # and the next
            await self._tell_hubs_stale(session, stale, now)
            await session.commit()
        total = DispatchReport()
        while True:
            async with self.sessions() as session:
                report = await dispatch_due(session, now=self.clock(), policy=self.policy)
                await session.commit()
            total = DispatchReport(
                total.claimed + report.claimed,
                total.queued + report.queued,
                total.skipped + report.skipped,
                total.cancelled + report.cancelled,
            )
            if report.claimed < self.policy.batch_size:
                break
        if total.claimed or planned or stale:
            log.info(
                "follow-ups: %s planned, %s stale, %s claimed "
                "(%s queued, %s skipped, %s cancelled)",
                planned, len(stale), total.claimed, total.queued, total.skipped, total.cancelled,
            )  # fmt: skip
        return CycleReport(planned, tuple(stale), total)

    async def _tell_hubs_stale(
        self, session: AsyncSession, maker_ids: Sequence[int], now: datetime
    ) -> None:
        t = FollowUpTexts(HUB_LANGUAGE)
        for maker_id in maker_ids:
            maker = await session.get(Maker, maker_id)
            if maker is None:
                continue
            await notify_hub(
                session,
                hub_id=await maker_hub_id(session, maker),
                reply=Reply(t("hub.stale", maker=maker.name)),
                kind="followup.stale",
                key=f"stale:{maker_id}:{now.date().isoformat()}",
                now=now,
                admin_ids=self.admin_ids,
                working_hours_only=True,
            )
