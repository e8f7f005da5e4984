"""What a redelivered update may not change: every table's rows, as a comparable snapshot.

The inbox itself and Telegram's shared send limits are left out (a redelivery is recorded as
such nowhere, and the limits count sends, which the Bot API calls already show)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

IGNORED = {"inbox", "telegram_sends", "telegram_send_state", "alembic_version"}


async def snapshot(database: AsyncEngine | async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    """Every table's rows (sorted, as text), except :data:`IGNORED`."""
    engine = database if isinstance(database, AsyncEngine) else database.kw["bind"]
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
        state: dict[str, Any] = {}
        for table in sorted(set(tables) - IGNORED):
            rows = (await connection.execute(text(f'SELECT * FROM "{table}"'))).all()
            state[table] = sorted(repr(tuple(row)) for row in rows)
    return state
