"""The makers' answers so far, read from the introductions table for the reciprocal ranking.

Read at each ranking rather than kept in memory, so every bot process sees the same week's
briefs and the answer given a moment ago in another process. Two queries: the last year's
introductions with their maker and request, and their first answers (the
``introduction_events`` the introductions service writes).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
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
    rows = await session.exec(
        select(Introduction, MatchRequest, col(Maker.external_id))
        .join(Maker, col(Maker.id) == col(Introduction.maker_id))
        .join(MatchRequest, col(MatchRequest.id) == col(Introduction.request_id))
        .where(col(Introduction.created_at) >= since)
    )
    records = [
        BriefRecord(
            maker_id=external_id,
            sent_at=introduction.created_at,
            status=introduction.status,
            answered_at=first_answer.get(introduction.id) if introduction.id else None,
            decline_reason=introduction.decline_reason,
            concepts=frozenset([*request.materials, *request.processes]),
            brief_sent_at=introduction.brief_sent_at,
            quantity=request.quantity,
        )
        for introduction, request, external_id in rows.all()
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
