"""Matchmaking rounds: the round, its makers with capacities, its entries and its pairs.

Keyword-only functions on the caller's session; they flush where an id is needed and never
commit (the service that calls them owns the transaction).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    Designer,
    Maker,
    MatchRequest,
    Round,
    RoundEntry,
    RoundMaker,
    RoundPair,
    RoundStatus,
)

__all__ = [
    "add_entry",
    "add_round",
    "due_rounds",
    "get_round",
    "get_round_by_token",
    "list_entries",
    "list_pairs",
    "list_round_makers",
    "list_rounds",
    "lock_round",
    "replace_pairs",
    "set_round_makers",
    "set_status",
]


async def add_round(*, session: AsyncSession, round_: Round) -> Round:
    session.add(round_)
    await session.flush()
    return round_


async def get_round(*, session: AsyncSession, round_id: int) -> Round | None:
    return await session.get(Round, round_id)


async def lock_round(*, session: AsyncSession, round_id: int) -> Round | None:
    """The round, its row locked until the transaction ends (PostgreSQL; SQLite has one
    writer), so two coordinators' presses, or a press and the closing job, take turns."""
    result = await session.exec(select(Round).where(col(Round.id) == round_id).with_for_update())
    return result.first()


async def get_round_by_token(*, session: AsyncSession, token: str) -> Round | None:
    result = await session.exec(select(Round).where(col(Round.token) == token))
    return result.first()


async def list_rounds(
    *, session: AsyncSession, hub_ids: Collection[int] | None, limit: int | None = None
) -> list[Round]:
    """Rounds of ``hub_ids`` (``None``: every hub), newest first."""
    query = select(Round)
    if hub_ids is not None:
        query = query.where(col(Round.hub_id).in_(sorted(hub_ids)))
    query = query.order_by(col(Round.created_at).desc(), col(Round.id).desc())
    if limit is not None:
        query = query.limit(limit)
    return list((await session.exec(query)).all())


async def due_rounds(*, session: AsyncSession, now: datetime) -> list[int]:
    """Open rounds whose sign-up window has closed, oldest first."""
    result = await session.exec(
        select(Round.id)
        .where(col(Round.status) == RoundStatus.OPEN.value, col(Round.closes_at) <= now)
        .order_by(col(Round.closes_at), col(Round.id))
    )
    return [round_id for round_id in result.all() if round_id is not None]


async def set_status(
    *, session: AsyncSession, round_id: int, before: Collection[str], after: str, **values: object
) -> bool:
    """Move the round from one of ``before`` to ``after`` (with ``values``), if it still is
    there: two presses racing each other change it once."""
    result = await session.exec(
        update(Round)
        .where(col(Round.id) == round_id, col(Round.status).in_(sorted(before)))
        .values(status=after, **values)
    )
    return bool(result.rowcount)


async def set_round_makers(
    *, session: AsyncSession, round_id: int, capacities: Sequence[tuple[int, int]]
) -> None:
    """The round's makers become exactly ``capacities`` (maker id, capacity)."""
    await session.exec(delete(RoundMaker).where(col(RoundMaker.round_id) == round_id))
    for maker_id, capacity in capacities:
        session.add(RoundMaker(round_id=round_id, maker_id=maker_id, capacity=capacity))
    await session.flush()


async def list_round_makers(
    *, session: AsyncSession, round_id: int
) -> list[tuple[RoundMaker, Maker]]:
    result = await session.exec(
        select(RoundMaker, Maker)
        .join(Maker, col(Maker.id) == col(RoundMaker.maker_id))
        .where(col(RoundMaker.round_id) == round_id)
        .order_by(col(Maker.name), col(Maker.id))
    )
    return list(result.all())


async def add_entry(*, session: AsyncSession, entry: RoundEntry) -> RoundEntry:
    session.add(entry)
    await session.flush()
    return entry


async def list_entries(
    *, session: AsyncSession, round_id: int
) -> list[tuple[RoundEntry, MatchRequest, Designer | None]]:
    """The round's entries in the order they joined, with their brief and designer."""
    result = await session.exec(
        select(RoundEntry, MatchRequest, Designer)
        .join(MatchRequest, col(MatchRequest.id) == col(RoundEntry.request_id))
        .outerjoin(Designer, col(Designer.id) == col(RoundEntry.designer_id))
        .where(col(RoundEntry.round_id) == round_id)
        .order_by(col(RoundEntry.id))
    )
    return list(result.all())


async def list_pairs(*, session: AsyncSession, round_id: int) -> list[RoundPair]:
    result = await session.exec(
        select(RoundPair).where(col(RoundPair.round_id) == round_id).order_by(col(RoundPair.id))
    )
    return list(result.all())


async def replace_pairs(
    *, session: AsyncSession, round_id: int, pairs: Sequence[RoundPair]
) -> None:
    """The round's proposal becomes ``pairs`` (a new proposal replaces the last)."""
    await session.exec(delete(RoundPair).where(col(RoundPair.round_id) == round_id))
    for pair in pairs:
        session.add(pair)
    await session.flush()
