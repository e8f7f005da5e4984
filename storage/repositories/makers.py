"""Maker listings: the catalogue import's upsert and the lookups the matching needs."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, update
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus
from storage.models import Maker, MakerCreate, utcnow

__all__ = [
    "CATALOGUE_FIELDS",
    "MakerCreate",
    "MakerWrites",
    "UpsertOutcome",
    "compare_makers",
    "count_makers",
    "get_maker_by_external_id",
    "list_makers",
    "maker_values",
    "upsert_maker",
    "upsert_makers",
    "write_makers",
]

# The columns a catalogue import owns; everything else on Maker is learned by the bot.
CATALOGUE_FIELDS: tuple[str, ...] = tuple(MakerCreate.model_fields)
_MAKERS: Table = Maker.__table__  # type: ignore[attr-defined]


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


@dataclass(frozen=True, slots=True)
class MakerWrites:
    """What :func:`write_makers` will write, as :func:`compare_makers` found it."""

    outcomes: list[UpsertOutcome]  # in the order of the rows compared
    created: list[dict[str, Any]]
    changed: list[dict[str, Any]]  # every catalogue field, the row's id as ``row_id``
    external_ids: frozenset[str]


async def upsert_makers(
    *, session: AsyncSession, makers_in: Sequence[MakerCreate]
) -> list[UpsertOutcome]:
    """:func:`upsert_maker` for many rows (each outcome in ``makers_in``'s order):
    :func:`compare_makers`, then :func:`write_makers`. Does not commit."""
    writes = await compare_makers(session=session, makers_in=makers_in)
    await write_makers(session=session, writes=writes)
    return writes.outcomes


async def compare_makers(
    *, session: AsyncSession, makers_in: Sequence[MakerCreate], batch: int = 500
) -> MakerWrites:
    """Read the current rows of ``makers_in`` (``batch`` at a time) and work out, as
    :func:`upsert_maker` does, which are new, changed or unchanged; writes nothing, so on
    SQLite it takes no lock."""
    fields = (*CATALOGUE_FIELDS, "id")
    learned = {  # the columns an import never sets, as a new maker starts them
        name: info.get_default(call_default_factory=True)
        for name, info in Maker.model_fields.items()
        if name not in fields
    }
    columns = [_MAKERS.c[name] for name in fields]
    connection = await session.connection()  # Core: no ORM object per row
    outcomes: list[UpsertOutcome] = []
    created: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    now = utcnow()
    for start in range(0, len(makers_in), batch):
        chunk = makers_in[start : start + batch]
        ids = [maker_in.external_id for maker_in in chunk]
        found = await connection.execute(
            select_columns(*columns).where(_MAKERS.c.external_id.in_(ids))
        )
        current = {row["external_id"]: row for row in found.mappings()}
        for maker_in in chunk:
            values = maker_in.model_dump()
            row = current.get(maker_in.external_id)
            if row is None:
                created.append({**learned, "created_at": now, "updated_at": now, **values})
                outcomes.append(UpsertOutcome.CREATED)
            elif any(row[name] != value for name, value in values.items()):
                changed.append({**values, "updated_at": now, "row_id": row["id"]})
                outcomes.append(UpsertOutcome.UPDATED)
            else:
                outcomes.append(UpsertOutcome.UNCHANGED)
    external_ids = frozenset(maker_in.external_id for maker_in in makers_in)
    return MakerWrites(outcomes, created, changed, external_ids)


async def write_makers(*, session: AsyncSession, writes: MakerWrites) -> None:
    """Insert the new rows and update the changed ones, one statement each whatever their
    number, so the write lock (SQLite's is the whole database's) is held for as long as the
    database takes and not one turn of the event loop per row. Makers this session holds
    are expired (read again on next use). Does not commit."""
    connection = await session.connection()
    if writes.created:
        await connection.execute(insert(_MAKERS), writes.created)
    if writes.changed:
        # Every catalogue field of a changed row, those that did not change as they are.
        # MakerCreate has already cleared paused_until unless the maker is paused.
        await connection.execute(
            update(_MAKERS).where(_MAKERS.c.id == bindparam("row_id")), writes.changed
        )
    for held in list(session.identity_map.values()):
        if isinstance(held, Maker) and held.external_id in writes.external_ids:
            session.expire(held)


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


async def maker_values(*, session: AsyncSession, partition: int = 250) -> list[dict[str, Any]]:
    """Every maker's catalogue fields and hub as plain values, a snapshot of the catalogue
    cheap to send to another process (``Maker.model_construct(**values)`` makes a maker of
    it again, once the ORM's mappers are configured).

    Read ``partition`` rows at a time with the event loop free in between: read at once, as
    ORM objects, 20,000 makers hold the loop for over a second."""
    columns = [col(getattr(Maker, name)) for name in (*CATALOGUE_FIELDS, "id", "hub_id")]
    query = select_columns(*columns).order_by(col(Maker.external_id))
    result = await session.stream(query)
    values: list[dict[str, Any]] = []
    async for rows in result.mappings().partitions(partition):
        values += (dict(row) for row in rows)
    return values


async def count_makers(*, session: AsyncSession) -> int:
    result = await session.exec(select(func.count()).select_from(Maker))
    return result.one()
