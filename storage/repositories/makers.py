"""Maker listings: the catalogue import's upsert and the lookups the matching needs."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus
from storage.models import Maker, MakerCreate, utcnow

__all__ = [
    "CATALOGUE_FIELDS",
    "MakerCreate",
    "UpsertOutcome",
    "count_makers",
    "get_maker_by_external_id",
    "list_makers",
    "upsert_maker",
]

# The columns a catalogue import owns; everything else on Maker is learned by the bot.
CATALOGUE_FIELDS: tuple[str, ...] = tuple(MakerCreate.model_fields)


class UpsertOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


async def upsert_maker(
    *, session: AsyncSession, maker_in: MakerCreate
) -> tuple[Maker, UpsertOutcome]:
    """Create or update the maker with ``maker_in.external_id`` from a catalogue row.

    UNCHANGED when every catalogue field already matches: nothing is written and
    ``updated_at`` keeps its value, so re-importing the same file is a no-op. Fields the bot
    maintains (``last_confirmed``, ``freshness_penalty``, ``hub_id``, ``telegram_user_id``)
    are never touched. Leaving "paused" clears ``paused_until`` (see :class:`MakerCreate`).

    Flushes (so a created maker has its ``id``) but does not commit.
    """
    maker = await get_maker_by_external_id(session=session, external_id=maker_in.external_id)
    if maker is None:
        maker = Maker.model_validate(maker_in.model_dump())
        session.add(maker)
        await session.flush()
        return maker, UpsertOutcome.CREATED

    changed = {
        name: value
        for name, value in maker_in.model_dump().items()
        if getattr(maker, name) != value
    }
    if not changed:
        return maker, UpsertOutcome.UNCHANGED
    for name, value in changed.items():
        setattr(maker, name, value)
    if maker.status != MakerStatus.PAUSED:
        maker.paused_until = None
    maker.updated_at = utcnow()
    session.add(maker)
    await session.flush()
    return maker, UpsertOutcome.UPDATED


async def get_maker_by_external_id(*, session: AsyncSession, external_id: str) -> Maker | None:
    result = await session.exec(select(Maker).where(Maker.external_id == external_id))
    return result.first()


async def list_makers(
    *, session: AsyncSession, statuses: Collection[str] | None = None
) -> list[Maker]:
    """All makers, or those whose status is in ``statuses``, ordered by external id."""
    query = select(Maker).order_by(col(Maker.external_id))
    if statuses is not None:
        query = query.where(col(Maker.status).in_([str(status) for status in statuses]))
    result = await session.exec(query)
    return list(result.all())


async def count_makers(*, session: AsyncSession) -> int:
    result = await session.exec(select(func.count()).select_from(Maker))
    return result.one()
