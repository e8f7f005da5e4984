"""The inbox table: incoming updates, stored once, claimed per chat in order, marked handled.

The service (:mod:`services.inbox`) owns the transactions; nothing here commits.

* :func:`store_update` inserts an update unless its ``(source, update_id)`` is there already
  (one statement; ``False`` for a redelivery).
* :func:`claim_next` returns the oldest pending update of a chat no one else is handling. On
  PostgreSQL it locks the row (``FOR UPDATE SKIP LOCKED``) for the rest of the caller's
  transaction: that lock *is* the claim, so a process that dies (its connection closes, the
  server rolls its transaction back) frees its updates at once, and one that hangs idle in a
  transaction is cut off by the server's ``idle_in_transaction_session_timeout`` (the lease,
  :data:`storage.engine.INBOX_LEASE_SECONDS`). Only a chat's oldest pending update can be taken,
  so while one process holds a chat's update, no process takes that chat's next one. SQLite runs
  one process: the caller keeps the chats it is handling out with ``exclude``.
* :func:`mark_done` / :func:`mark_failed` end an update, in the transaction of its effects (or,
  for a failure, in one of its own after the effects were rolled back).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import InboxStatus, InboxUpdate, Outbox, OutboxStatus

REPLY_KIND = "reply"  # services.outbox.REPLY_KIND (storage does not import services)

__all__ = [
    "claim_next",
    "count_inbox",
    "mark_done",
    "mark_failed",
    "prune_inbox",
    "store_update",
]


async def store_update(
    *,
    session: AsyncSession,
    source: str,
    update_id: int,
    chat_key: int,
    payload: dict[str, Any],
    at: datetime,
) -> bool:
    """Add the update as pending; ``False`` (and nothing written) if it was stored before."""
    values = {
        "source": source,
        "update_id": update_id,
        "chat_key": chat_key,
        "payload": payload,
        "status": InboxStatus.PENDING.value,
        "received_at": at,
    }
    dialect = session.get_bind().dialect.name
    statement: Any
    if dialect == "postgresql":
        statement = postgresql.insert(InboxUpdate).on_conflict_do_nothing(
            index_elements=["source", "update_id"]
        )
    elif dialect == "sqlite":
        statement = sqlite.insert(InboxUpdate).on_conflict_do_nothing(
            index_elements=["source", "update_id"]
        )
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        statement = insert(InboxUpdate)
    result = await session.exec(statement.values(**values))
    return bool(result.rowcount)


async def claim_next(
    *,
    session: AsyncSession,
    chat_key: int | None = None,
    exclude: Collection[int] = (),
    done_at: datetime | None = None,
    replies_after: datetime | None = None,
) -> InboxUpdate | None:
    """The oldest pending update of a chat (``chat_key``'s, or any), oldest chat first.

    One statement. PostgreSQL: the row stays locked until the caller's transaction ends, and
    rows other transactions hold are skipped; with ``done_at`` the same statement already marks
    it done (``UPDATE … RETURNING``): the caller's transaction holds the update's effects, so
    the mark stands or falls with them. ``exclude``: chats this process is handling (SQLite,
    where there are no row locks, and while a chat's replies are being sent). With
    ``replies_after`` (now), a chat whose earlier replies are still on their way (see
    :func:`_replying`) waits, so the replies of a chat's updates arrive in order even when
    two processes handle them.
    """
    heads = select(func.min(InboxUpdate.id)).where(
        col(InboxUpdate.status) == InboxStatus.PENDING.value
    )
    if chat_key is not None:
        heads = heads.where(col(InboxUpdate.chat_key) == chat_key)
    heads = heads.group_by(col(InboxUpdate.chat_key))
    query = select(InboxUpdate).where(
        col(InboxUpdate.status) == InboxStatus.PENDING.value,
        col(InboxUpdate.id).in_(heads),
    )
    if exclude:
        query = query.where(col(InboxUpdate.chat_key).not_in(list(exclude)))
    if replies_after is not None:
        query = query.where(~_replying(replies_after))
    query = query.order_by(col(InboxUpdate.id)).limit(1)
    if session.get_bind().dialect.name != "postgresql":
        return (await session.exec(query.execution_options(populate_existing=True))).first()
    query = query.with_for_update(skip_locked=True, of=InboxUpdate)
    if done_at is None:
        return (await session.exec(query.execution_options(populate_existing=True))).first()
    picked = query.with_only_columns(col(InboxUpdate.id)).scalar_subquery()
    claim = (
        update(InboxUpdate)
        .where(col(InboxUpdate.id) == picked)
        .values(status=InboxStatus.DONE.value, done_at=done_at)
        .returning(InboxUpdate)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return (await session.exec(claim)).scalars().first()


def _replying(now: datetime) -> Any:
    """The chat has replies not yet tried (pending, never attempted: just committed, or handed
    back to wait for the chat's slot) or being sent under a live lease. A reply that failed
    once does not hold the chat up (its retries take minutes)."""
    return exists(
        select(Outbox.id).where(
            col(Outbox.chat_id) == col(InboxUpdate.chat_key),
            col(Outbox.kind) == REPLY_KIND,
            or_(
                and_(
                    col(Outbox.status) == OutboxStatus.PENDING.value,
                    col(Outbox.attempts) == 0,
                ),
                and_(
                    col(Outbox.status) == OutboxStatus.SENDING.value,
                    col(Outbox.not_before) > now,
                ),
            ),
        )
    )


async def mark_done(*, session: AsyncSession, row_id: int, at: datetime) -> bool:
    """The update was handled (in this transaction); ``False`` if it was not pending."""
    return await _end(session, row_id, InboxStatus.DONE, at)


async def mark_failed(*, session: AsyncSession, row_id: int, at: datetime) -> bool:
    """The update's handler failed; its effects were rolled back and it is not tried again."""
    return await _end(session, row_id, InboxStatus.FAILED, at)


async def _end(session: AsyncSession, row_id: int, status: InboxStatus, at: datetime) -> bool:
    result = await session.exec(
        update(InboxUpdate)
        .where(
            col(InboxUpdate.id) == row_id,
            col(InboxUpdate.status) == InboxStatus.PENDING.value,
        )
        .values(status=status.value, done_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


async def prune_inbox(*, session: AsyncSession, before: datetime) -> int:
    """Forget handled updates received before ``before`` (Telegram redelivers for a day)."""
    result = await session.exec(
        delete(InboxUpdate).where(
            col(InboxUpdate.received_at) < before,
            col(InboxUpdate.status) != InboxStatus.PENDING.value,
        )
    )
    return int(result.rowcount or 0)


async def count_inbox(*, session: AsyncSession) -> dict[str, int]:
    """Rows by status (operators, tests, the chaos test)."""
    rows = await session.exec(
        select(InboxUpdate.status, func.count()).group_by(col(InboxUpdate.status))
    )
    return {str(status): int(count) for status, count in rows.all()}
