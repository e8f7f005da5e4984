"""The rows every insight reads, in a few set-based queries: a scope's requests (drafts never
count), their introductions, and when each maker first answered.

An introduction counts as *made* from ``introduced_at``; introductions made before that column
was filled in are dated by their ``interested`` event instead, so old data still counts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    OUTCOME_ORDER,
    Introduction,
    IntroductionEvent,
    IntroductionStatus,
    Maker,
    MatchRequest,
    Outcome,
    RequestStatus,
)

__all__ = [
    "ANSWER_EVENTS",
    "IntroRow",
    "RequestRow",
    "load_introductions",
    "load_requests",
    "reached",
]

# The maker's answer to a brief (services.introductions records these).
ANSWER_EVENTS = ("interested", "declined")


@dataclass(frozen=True, slots=True)
class RequestRow:
    id: int
    created_at: datetime
    status: str
    materials: tuple[str, ...]
    processes: tuple[str, ...]
    volume_stage: str | None
    municipality_code: str | None
    lat: float | None
    lon: float | None
    text: str
    hub_id: int | None


@dataclass(frozen=True, slots=True)
class IntroRow:
    id: int
    request_id: int
    request_created_at: datetime
    maker_id: int
    maker_name: str
    status: str
    created_at: datetime
    brief_sent_at: datetime | None
    answered_at: datetime | None  # the maker's first answer (interested or declined)
    introduced_at: datetime | None  # both sides said yes
    outcome: str | None
    outcome_at: datetime | None
    ended_reason: str | None
    ended_at: datetime | None

    @property
    def made(self) -> bool:
        return self.introduced_at is not None or self.status == IntroductionStatus.INTERESTED


def reached(outcome: str | None, stage: Outcome) -> bool:
    """Whether ``outcome`` is ``stage`` or further along (``OUTCOME_ORDER``)."""
    if outcome is None or outcome not in OUTCOME_ORDER:
        return False
    return OUTCOME_ORDER.index(Outcome(outcome)) >= OUTCOME_ORDER.index(stage)


def _request_filter(
    query: Any, hub_ids: Collection[int] | None, start: datetime | None, end: datetime | None
) -> Any:
    query = query.where(col(MatchRequest.status) != RequestStatus.DRAFT.value)
    if hub_ids is not None:
        query = query.where(col(MatchRequest.hub_id).in_(sorted(hub_ids)))
    if start is not None:
        query = query.where(col(MatchRequest.created_at) >= start)
    if end is not None:
        query = query.where(col(MatchRequest.created_at) < end)
    return query


async def load_requests(
    *,
    session: AsyncSession,
    hub_ids: Collection[int] | None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[RequestRow]:
    """Submitted requests of ``hub_ids`` (``None``: every hub) created in ``[start, end)``."""
    query = _request_filter(select(MatchRequest), hub_ids, start, end)
    result = await session.exec(query.order_by(col(MatchRequest.created_at), col(MatchRequest.id)))
    return [
        RequestRow(
            id=request.id,
            created_at=request.created_at,
            status=request.status,
            materials=tuple(request.materials),
            processes=tuple(request.processes),
            volume_stage=request.volume_stage,
            municipality_code=request.municipality_code,
            lat=request.lat,
            lon=request.lon,
            text=request.text,
            hub_id=request.hub_id,
        )
        for request in result.all()
        if request.id is not None
    ]


async def load_introductions(
    *,
    session: AsyncSession,
    hub_ids: Collection[int] | None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[IntroRow]:
    """The introductions of the requests :func:`load_requests` would return, with answers."""
    answers_query = _request_filter(
        select(
            col(IntroductionEvent.introduction_id),
            col(IntroductionEvent.event),
            func.min(col(IntroductionEvent.at)),
        )
        .join(Introduction, col(Introduction.id) == col(IntroductionEvent.introduction_id))
        .join(MatchRequest, col(MatchRequest.id) == col(Introduction.request_id))
        .where(col(IntroductionEvent.event).in_(ANSWER_EVENTS)),
        hub_ids,
        start,
        end,
    ).group_by(col(IntroductionEvent.introduction_id), col(IntroductionEvent.event))
    first_answer: dict[int, datetime] = {}
    interested_at: dict[int, datetime] = {}
    for introduction_id, event, at in (await session.exec(answers_query)).all():
        at = _aware(at)
        previous = first_answer.get(introduction_id)
        first_answer[introduction_id] = at if previous is None else min(previous, at)
        if event == "interested":
            interested_at[introduction_id] = at
    query = _request_filter(
        select(Introduction, col(MatchRequest.created_at), col(Maker.name))
        .join(MatchRequest, col(MatchRequest.id) == col(Introduction.request_id))
        .join(Maker, col(Maker.id) == col(Introduction.maker_id)),
        hub_ids,
        start,
        end,
    ).order_by(col(Introduction.id))
    rows = []
    for introduction, request_created_at, maker_name in (await session.exec(query)).all():
        assert introduction.id is not None
        introduced_at = introduction.introduced_at
        if introduced_at is None and introduction.status == IntroductionStatus.INTERESTED:
            introduced_at = interested_at.get(introduction.id)
        rows.append(
            IntroRow(
                id=introduction.id,
                request_id=introduction.request_id,
                request_created_at=_aware(request_created_at),
                maker_id=introduction.maker_id,
                maker_name=maker_name,
                status=introduction.status,
                created_at=introduction.created_at,
                brief_sent_at=introduction.brief_sent_at,
                answered_at=first_answer.get(introduction.id),
                introduced_at=introduced_at,
                outcome=introduction.outcome,
                outcome_at=introduction.outcome_at,
                ended_reason=introduction.ended_reason,
                ended_at=introduction.ended_at,
            )
        )
    return rows


def _aware(value: datetime) -> datetime:
    """Aggregates and plain columns skip the UTC type decorator on SQLite: naive there."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
