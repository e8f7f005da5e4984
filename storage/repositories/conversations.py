"""Dialogue state: one conversation row per person, and the deliveries already handled.

The service owns the transaction; these functions never commit. :func:`claim_update` and
:func:`lock_conversation` are written so that two bot processes on one PostgreSQL serialise on
the person's row, and so that SQLite's single writer is taken by the transaction's first
statement (a write), never upgraded from a read lock halfway through.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Conversation, Designer, ProcessedUpdate

__all__ = [
    "claim_update",
    "lock_conversation",
    "lock_conversation_with_designer",
    "prune_processed_updates",
    "save_conversation",
]


def _insert_ignoring_conflicts(session: AsyncSession, table: Any, index: list[str]) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=index)
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=index)
    return insert(table)  # pragma: no cover - only SQLite and PostgreSQL are supported


async def claim_update(*, session: AsyncSession, source: str, update_id: int, at: datetime) -> bool:
    """Record that ``(source, update_id)`` is being handled; ``False`` if it was before."""
    statement = _insert_ignoring_conflicts(
        session, ProcessedUpdate, ["source", "update_id"]
    ).values(source=source, update_id=update_id, processed_at=at)
    result = await session.exec(statement)
    return bool(result.rowcount)


async def lock_conversation(
    *,
    session: AsyncSession,
    telegram_user_id: int,
    chat_id: int,
    language: str,
    step: str,
    at: datetime,
) -> Conversation:
    """The person's conversation, locked until the transaction ends; created if missing.

    One statement: an insert that, when the row exists, touches it instead
    (``ON CONFLICT … DO UPDATE``), which locks it on PostgreSQL, and returns it. On SQLite it
    is a write, so the transaction holds the write lock before anything is read.
    """
    dialect = session.get_bind().dialect.name
    values = {
        "telegram_user_id": telegram_user_id,
        "chat_id": chat_id,
        "language": language,
        "step": step,
        "data": {},
        "version": 0,
        "created_at": at,
        "updated_at": at,
    }
    if dialect == "postgresql":
        upsert: Any = postgresql.insert(Conversation)
    elif dialect == "sqlite":
        upsert = sqlite.insert(Conversation)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(dialect)
    statement = (
        upsert.values(**values)
        .on_conflict_do_update(
            index_elements=["telegram_user_id"],
            set_={"telegram_user_id": upsert.excluded.telegram_user_id},
        )
        .returning(Conversation)
        .execution_options(populate_existing=True)
    )
    return (await session.exec(statement)).scalars().one()


async def lock_conversation_with_designer(
    *,
    session: AsyncSession,
    telegram_user_id: int,
    chat_id: int,
    language: str,
    step: str,
    at: datetime,
) -> tuple[Conversation, Designer | None]:
    """:func:`lock_conversation` and the person's designer row (if any) at once.

    PostgreSQL: one statement, the upsert in a CTE joined to ``designers``. SQLite cannot put
    an ``INSERT`` in a ``WITH``: the upsert, then a look-up (two statements in-process).
    """
    if session.get_bind().dialect.name != "postgresql":
        conversation = await lock_conversation(
            session=session,
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            language=language,
            step=step,
            at=at,
        )
        designer = (
            await session.exec(
                select(Designer).where(col(Designer.telegram_user_id) == telegram_user_id)
            )
        ).first()
        return conversation, designer
    upsert = postgresql.insert(Conversation)
    locked = (
        upsert.values(
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            language=language,
            step=step,
            data={},
            version=0,
            created_at=at,
            updated_at=at,
        )
        .on_conflict_do_update(
            index_elements=["telegram_user_id"],
            set_={"telegram_user_id": upsert.excluded.telegram_user_id},
        )
        .returning(*sa_inspect(Conversation).local_table.columns)
        .cte("locked")
    )
    conversation_row = aliased(Conversation, locked)
    statement = (
        select(conversation_row, Designer)
        .outerjoin(Designer, col(Designer.telegram_user_id) == conversation_row.telegram_user_id)
        .execution_options(populate_existing=True)
    )
    conversation, designer = (await session.exec(statement)).one()
    return conversation, designer


async def save_conversation(
    *, session: AsyncSession, conversation: Conversation, at: datetime
) -> None:
    conversation.updated_at = at
    conversation.version += 1
    session.add(conversation)
    await session.flush()


async def prune_processed_updates(*, session: AsyncSession, before: datetime) -> int:
    """Forget deliveries handled before ``before`` (Telegram redelivers for at most a day)."""
    result = await session.exec(
        delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before)
    )
    return int(result.rowcount or 0)
