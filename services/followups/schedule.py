"""Planning follow-ups: which rows exist, and when they are due.

* **Check-ins**: for every introduction both sides said yes to (``introduced_at``), one row per
  side and interval (7, 30, 90 days by default), due that long after the introduction.
* **Freshness**: every listed or paused maker the bot can write to has one open "still taking
  requests?" row, due ``freshness_weeks`` after the last one was answered (or after the maker
  first became reachable); a sent one nobody answers within ``freshness_answer_days`` turns
  ``unanswered``, lowers the maker's freshness and puts them on the stale list.

Every insert is keyed (``dedupe_key``) and ignores a conflict, so planning is idempotent and two
processes planning at once write each row once. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, false, func, insert, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus
from services.followups.courtesy import WorkingHours
from services.introductions.calendar import STOCKHOLM
from storage.models import (
    Designer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Introduction,
    Maker,
    MatchRequest,
    Outbox,
    OutboxStatus,
)

__all__ = [
    "CHECKIN_KINDS",
    "OPEN",
    "FollowUpPolicy",
    "after_pause",
    "cancel_for_introduction",
    "cancel_for_person",
    "insert_rows",
    "person_blocked",
    "person_condition",
    "plan_checkins",
    "plan_freshness",
    "sweep_unanswered",
    "withdraw",
]

CHECKIN_KINDS = (
    FollowUpKind.CHECKIN_CONTACT,
    FollowUpKind.CHECKIN_PROTOTYPE,
    FollowUpKind.CHECKIN_PRODUCTION,
)
SIDES = ("designer", "maker")
# Not yet over: waiting, in the outbox, or sent and waiting for an answer.
OPEN = (FollowUpStatus.PENDING.value, FollowUpStatus.QUEUED.value, FollowUpStatus.SENT.value)
STALE_STEP = 0.5  # each unanswered freshness check adds this to the maker's penalty (max 1)


@dataclass(frozen=True)
class FollowUpPolicy:
    """The schedule's settings (``CHECKIN_DAYS``, ``FRESHNESS_WEEKS``, … in the environment)."""

    checkin_days: tuple[int, int, int] = (7, 30, 90)
    freshness_weeks: int = 8
    freshness_answer_days: int = 14
    hours: WorkingHours = field(default_factory=WorkingHours)
    batch_size: int = 500  # rows claimed per transaction

    def __post_init__(self) -> None:
        days = self.checkin_days
        if len(days) != 3 or any(d <= 0 for d in days) or list(days) != sorted(set(days)):
            raise ValueError("checkin_days must be three increasing positive day counts")
        if self.freshness_weeks <= 0 or self.freshness_answer_days <= 0:
            raise ValueError("freshness_weeks and freshness_answer_days must be positive")

    def days_of(self, kind: str) -> int:
        return dict(zip(CHECKIN_KINDS, self.checkin_days, strict=True))[FollowUpKind(kind)]


async def insert_rows(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert follow-up rows, skipping any whose ``dedupe_key`` exists; returns how many."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    statement: Any
    if dialect == "postgresql":
        statement = postgresql.insert(FollowUp).on_conflict_do_nothing(
            index_elements=["dedupe_key"]
        )
    elif dialect == "sqlite":
        statement = sqlite.insert(FollowUp).on_conflict_do_nothing(index_elements=["dedupe_key"])
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        statement = insert(FollowUp)
    connection = await session.connection()  # Core executemany: reports rowcount
    result = await connection.execute(statement, list(rows))
    return max(int(result.rowcount or 0), 0)


async def plan_checkins(
    session: AsyncSession, *, now: datetime, policy: FollowUpPolicy, limit: int = 1000
) -> int:
    """Rows for introductions made since the last planning; returns how many were added."""
    has_rows = exists().where(col(FollowUp.introduction_id) == col(Introduction.id))
    made = await session.exec(
        select(col(Introduction.id), col(Introduction.introduced_at))
        .where(
            col(Introduction.introduced_at).is_not(None),
            col(Introduction.ended_at).is_(None),
            ~has_rows,
        )
        .order_by(col(Introduction.id))
        .limit(limit)
    )
    rows = [
        {
            "introduction_id": introduction_id,
            "kind": kind.value,
            "side": side,
            "due_at": introduced_at + timedelta(days=policy.days_of(kind)),  # type: ignore[operator]
            "status": FollowUpStatus.PENDING.value,
            "attempts": 0,
            "created_at": now,
            "dedupe_key": f"{kind.value}:{introduction_id}:{side}",
        }
        for introduction_id, introduced_at in made.all()
        for kind in CHECKIN_KINDS
        for side in SIDES
    ]
    return await insert_rows(session, rows)


async def plan_freshness(
    session: AsyncSession, *, now: datetime, policy: FollowUpPolicy, limit: int = 1000
) -> int:
    """A first "still taking requests?" row for reachable makers that have none open."""
    open_row = exists().where(
        col(FollowUp.maker_id) == col(Maker.id),
        col(FollowUp.kind) == FollowUpKind.FRESHNESS.value,
        col(FollowUp.status).in_(OPEN),
    )
    previous = (
        select(func.count())
        .where(
            col(FollowUp.maker_id) == col(Maker.id),
            col(FollowUp.kind) == FollowUpKind.FRESHNESS.value,
        )
        .scalar_subquery()
    )
    candidates = await session.exec(
        select(col(Maker.id), col(Maker.last_confirmed), col(Maker.paused_until), previous)
        .where(
            col(Maker.telegram_user_id).is_not(None),
            col(Maker.status).in_([MakerStatus.LISTED.value, MakerStatus.PAUSED.value]),
            ~open_row,
        )
        .order_by(col(Maker.id))
        .limit(limit)
    )
    every = timedelta(weeks=policy.freshness_weeks)
    rows = []
    for maker_id, last_confirmed, paused_until, count in candidates.all():
        due = now + every
        if count == 0 and last_confirmed is not None:  # confirmed before: count from then
            confirmed_at = datetime.combine(last_confirmed, now.timetz())
            due = max(now, confirmed_at + every)
        if paused_until is not None:  # busy: ask after the pause, not during it
            due = max(due, after_pause(paused_until))
        rows.append(
            {
                "maker_id": maker_id,
                "kind": FollowUpKind.FRESHNESS.value,
                "due_at": due,
                "status": FollowUpStatus.PENDING.value,
                "attempts": 0,
                "created_at": now,
                "dedupe_key": f"freshness:{maker_id}:{count + 1}",
            }
        )
    return await insert_rows(session, rows)


def after_pause(until: date) -> datetime:
    """09:00 Stockholm the day after a pause ends."""
    return datetime.combine(until + timedelta(days=1), time(9), tzinfo=STOCKHOLM)


async def sweep_unanswered(
    session: AsyncSession, *, now: datetime, policy: FollowUpPolicy
) -> list[int]:
    """Freshness checks sent ``freshness_answer_days`` ago and never answered turn
    ``unanswered``; each raises its maker's penalty. Returns the makers concerned."""
    deadline = now - timedelta(days=policy.freshness_answer_days)
    result = await session.exec(
        update(FollowUp)
        .where(
            col(FollowUp.kind) == FollowUpKind.FRESHNESS.value,
            col(FollowUp.status) == FollowUpStatus.SENT.value,
            col(FollowUp.sent_at) <= deadline,
        )
        .values(status=FollowUpStatus.UNANSWERED.value, answered_at=now)
        .returning(col(FollowUp.maker_id))
        .execution_options(synchronize_session=False)
    )
    maker_ids = sorted({m for m in result.scalars() if m is not None})
    if maker_ids:
        await session.exec(
            update(Maker)
            .where(col(Maker.id).in_(maker_ids))
            .values(
                freshness_penalty=case(
                    (col(Maker.freshness_penalty) + STALE_STEP >= 1.0, 1.0),
                    else_=col(Maker.freshness_penalty) + STALE_STEP,
                )
            )
            .execution_options(synchronize_session=False)
        )
    return maker_ids


async def withdraw(
    session: AsyncSession,
    condition: ColumnElement[bool],
    *,
    reason: str,
    status: FollowUpStatus = FollowUpStatus.CANCELLED,
    only_queued: bool = False,
) -> int:
    """End the follow-ups matching ``condition`` that were not sent yet: ``pending`` ones, and
    ``queued`` ones whose message is still waiting in the outbox (held for the courtesy hours,
    say) — that message is withdrawn too. One already being sent cannot be called back."""
    open_statuses = [FollowUpStatus.QUEUED.value]
    if not only_queued:
        open_statuses.append(FollowUpStatus.PENDING.value)
    waiting = select(FollowUp.outbox_id).where(
        condition, col(FollowUp.status) == FollowUpStatus.QUEUED.value
    )
    await session.exec(
        update(Outbox)
        .where(col(Outbox.id).in_(waiting), col(Outbox.status) == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.CANCELLED.value, last_error=reason)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(
        update(FollowUp)
        .where(condition, col(FollowUp.status).in_(open_statuses))
        .values(status=status.value, last_error=reason)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def cancel_for_introduction(
    session: AsyncSession, *, introduction_id: int, reason: str
) -> int:
    """End an introduction's series: its check-ins not yet sent are cancelled."""
    return await withdraw(session, col(FollowUp.introduction_id) == introduction_id, reason=reason)


def person_condition(
    *, designer_ids: Collection[int] = (), maker_ids: Collection[int] = (), freshness: bool = True
) -> ColumnElement[bool]:
    """The follow-ups addressed to these designers (their side of each of their
    introductions) and makers (their side, and with ``freshness`` their freshness checks)."""
    conditions: list[ColumnElement[bool]] = []
    if designer_ids:
        of_designers = (
            select(Introduction.id)
            .join(MatchRequest, col(MatchRequest.id) == col(Introduction.request_id))
            .where(col(MatchRequest.designer_id).in_(list(designer_ids)))
        )
        conditions.append(
            and_(col(FollowUp.side) == "designer", col(FollowUp.introduction_id).in_(of_designers))
        )
    if maker_ids:
        of_makers = select(Introduction.id).where(col(Introduction.maker_id).in_(list(maker_ids)))
        conditions.append(
            and_(col(FollowUp.side) == "maker", col(FollowUp.introduction_id).in_(of_makers))
        )
        if freshness:
            conditions.append(col(FollowUp.maker_id).in_(list(maker_ids)))
    return or_(*conditions) if conditions else false()


async def cancel_for_person(
    session: AsyncSession,
    *,
    designer_ids: Collection[int] = (),
    maker_ids: Collection[int] = (),
    reason: str,
) -> int:
    """Cancel every follow-up still to be sent to these designers and makers."""
    condition = person_condition(designer_ids=designer_ids, maker_ids=maker_ids)
    return await withdraw(session, condition, reason=reason)


async def person_blocked(
    session: AsyncSession, chat_id: int, recipient_user_id: int | None
) -> None:
    """The outbox's ``OnBlocked`` hook for follow-ups: everything still to be sent to the
    person behind a private chat that blocked the bot is cancelled (it would only fail)."""
    user_id = recipient_user_id if recipient_user_id is not None else chat_id
    if user_id <= 0:  # group chats
        return
    designer_ids = (
        await session.exec(select(Designer.id).where(col(Designer.telegram_user_id) == user_id))
    ).all()
    maker_ids = (
        await session.exec(select(Maker.id).where(col(Maker.telegram_user_id) == user_id))
    ).all()
    await cancel_for_person(
        session,
        designer_ids=[i for i in designer_ids if i is not None],
        maker_ids=[i for i in maker_ids if i is not None],
        reason="blocked the bot",
    )
