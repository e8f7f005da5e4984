"""The makers' answers so far, read from the introductions table for the reciprocal ranking.

Read at each ranking rather than kept in memory, so every bot process sees the same week's
briefs and the answer given a moment ago in another process. Two queries: the last year's
introductions with their maker and request, and their first answers (the
``introduction_events`` the introductions service writes).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reciprocal.history import HISTORY_DAYS, BriefRecord, MarketSignals, market_signals
from services.reciprocal.model import DEFAULT_WEEKLY_CAP
from storage.models import Introduction, IntroductionEvent, Maker, MatchRequest

ANSWER_EVENTS = ("interested", "declined")


async def load_signals(
    *, session: AsyncSession, now: datetime, default_cap: int = DEFAULT_WEEKLY_CAP
) -> MarketSignals:
    """Every maker's history at ``now`` and the hub's rate (see :mod:`.history`)."""
    since = now - timedelta(days=HISTORY_DAYS)
    answers = await session.exec(
        select(col(IntroductionEvent.introduction_id), func.min(col(IntroductionEvent.at)))
        .join(Introduction, col(Introduction.id) == col(IntroductionEvent.introduction_id))
        .where(col(Introduction.created_at) >= since)
        .where(col(IntroductionEvent.event).in_(ANSWER_EVENTS))
        .group_by(col(IntroductionEvent.introduction_id))
    )
    first_answer = {introduction_id: _aware(at) for introduction_id, at in answers.all()}
    # The columns the history needs, not whole rows: this runs on every results update, and a
    # request's free text and an introduction's contact fields are never read here.
    connection = await session.connection()  # plain rows: SQLModel's exec takes up to four
    rows = await connection.execute(
        select_columns(
            col(Introduction.id),
            col(Introduction.created_at),
            col(Introduction.status),
            col(Introduction.decline_reason),
            col(Introduction.brief_sent_at),
            col(MatchRequest.materials),
            col(MatchRequest.processes),
            col(MatchRequest.quantity),
            col(Maker.external_id),
        )
        .join(Maker, col(Maker.id) == col(Introduction.maker_id))
        .join(MatchRequest, col(MatchRequest.id) == col(Introduction.request_id))
        .where(col(Introduction.created_at) >= since)
    )
    records = [
        BriefRecord(
            maker_id=external_id,
            sent_at=created_at,
            status=status,
            answered_at=first_answer.get(introduction_id) if introduction_id else None,
            decline_reason=decline_reason,
            concepts=frozenset([*materials, *processes]),
            brief_sent_at=brief_sent_at,
            quantity=quantity,
        )
        for (
            introduction_id,
            created_at,
            status,
            decline_reason,
            brief_sent_at,
            materials,
            processes,
            quantity,
            external_id,
        ) in rows.all()
    ]
    caps = await session.exec(
        select(col(Maker.external_id), col(Maker.weekly_brief_cap)).where(
            col(Maker.weekly_brief_cap).is_not(None)
        )
    )
    return market_signals(
        records,
        now=now,
        caps={external_id: cap for external_id, cap in caps.all() if cap is not None},
        default_cap=default_cap,
    )


def _aware(value: datetime) -> datetime:
    """Aggregates skip the UTC type decorator on SQLite: naive there."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
