"""The durable inbox: nothing Telegram was told arrived is ever lost, nothing is handled twice.

Every incoming update goes through three steps, each a transaction:

1. :meth:`Inbox.receive` commits the update (its JSON, cleaned of control characters) before
   Telegram is told it arrived: the webhook answers only after it, polling moves its offset
   only after it (:mod:`bot.telegram.transport.inbox`). ``(source, update_id)`` is unique, so a
   redelivery is not stored again and is never handled again: the edge's one exactly-once rule,
   for every handler family alike.
2. :meth:`Inbox.claim` takes the oldest pending update of a chat nobody else is handling, in
   the transaction that handles it (on PostgreSQL a row lock that a dead process's server-side
   rollback releases; see :mod:`storage.repositories.inbox`).
3. The handlers write their effects, and the replies they cause (outbox rows of kind
   ``reply``), into that same transaction; :meth:`Inbox.done` marks the update handled in it,
   and it commits once. A process that dies before the commit leaves the update pending with
   no effect, and it is handled again (by this or another process); one that dies after it has
   the replies queued in the outbox, which sends them.

A handler that raises has its transaction rolled back; :meth:`Inbox.failed` then marks the
update ``failed`` in a transaction of its own (it is not retried: the person is told
something went wrong, as before). A lost database connection is no handler failure: the
update stays pending and is tried again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.messages import Reply
from services.outbox import enqueue_replies
from storage.models import InboxUpdate
from storage.repositories.inbox import (
    claim_next,
    count_inbox,
    mark_done,
    mark_failed,
    prune_inbox,
    store_update,
)

log = logging.getLogger(__name__)

__all__ = [
    "KEEP_HANDLED",
    "TELEGRAM",
    "Inbox",
    "InboxUnavailable",
    "chat_key_of",
    "is_disconnect",
]

TELEGRAM = "telegram"
# Telegram keeps an unconfirmed update for at most 24 hours; a week of keys is plenty.
KEEP_HANDLED = timedelta(days=7)


class InboxUnavailable(Exception):
    """The update could not be stored (the database stayed unreachable): do not acknowledge."""


def chat_key_of(update: Mapping[str, Any]) -> int:
    """Whose turn an update waits for: its chat, else its sender, else 0 (one queue).

    The same rule as PTB's ``effective_chat`` / ``effective_user``: a button under a message
    belongs to that message's chat.

    >>> chat_key_of({"update_id": 1, "message": {"chat": {"id": -5}, "from": {"id": 7}}})
    -5
    >>> chat_key_of({"update_id": 2, "callback_query": {"from": {"id": 7}}})
    7
    >>> chat_key_of({"update_id": 3})
    0
    """
    for kind, body in update.items():
        if kind == "update_id" or not isinstance(body, Mapping):
            continue
        message = body.get("message") if kind == "callback_query" else body
        if isinstance(message, Mapping):
            chat = message.get("chat")
            if isinstance(chat, Mapping) and isinstance(chat.get("id"), int):
                return int(chat["id"])
        for key in ("from", "user"):
            person = body.get(key)
            if isinstance(person, Mapping) and isinstance(person.get("id"), int):
                return int(person["id"])
        chat = body.get("chat")
        if isinstance(chat, Mapping) and isinstance(chat.get("id"), int):
            return int(chat["id"])
    return 0


def is_disconnect(error: BaseException) -> bool:
    """Whether ``error`` is the database connection going away (worth trying again), not a
    fault of the update."""
    if isinstance(error, DBAPIError):
        return bool(error.connection_invalidated) or isinstance(
            error.orig, OSError | ConnectionError
        )
    return isinstance(error, OSError | ConnectionError | TimeoutError)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Inbox:
    """The inbox on one database (``sessions``), for one ``source`` of update ids."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        source: str = TELEGRAM,
        clock: Callable[[], datetime] = _utcnow,
        store_attempts: int = 5,
    ) -> None:
        self.sessions = sessions
        self.source = source
        self.clock = clock
        self.store_attempts = store_attempts
        self.sqlite = sessions.kw["bind"].dialect.name == "sqlite"

    async def receive(self, update: Mapping[str, Any]) -> bool:
        """Commit ``update`` (Telegram's JSON, already cleaned); ``False`` for a redelivery.

        A brief outage is waited out (a few tries with backoff); after that
        :class:`InboxUnavailable`, and the caller must not acknowledge the update.
        """
        update_id = int(update["update_id"])
        backoff = 0.05
        for attempt in range(1, self.store_attempts + 1):
            try:
                async with self.sessions() as session, session.begin():
                    return await store_update(
                        session=session,
                        source=self.source,
                        update_id=update_id,
                        chat_key=chat_key_of(update),
                        payload=dict(update),
                        at=self.clock(),
                    )
            except Exception as error:
                if not is_disconnect(error) or attempt == self.store_attempts:
                    log.error("update %s not stored: %s", update_id, type(error).__name__)
                    raise InboxUnavailable(type(error).__name__) from error
                log.warning("update %s not stored yet (%s)", update_id, type(error).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 1.0)
        raise AssertionError("unreachable")  # pragma: no cover

    async def claim(
        self,
        session: AsyncSession,
        *,
        chat_key: int | None = None,
        exclude: Collection[int] = (),
    ) -> InboxUpdate | None:
        """The next update to handle in ``session``'s transaction (see the module docstring).

        On PostgreSQL the claim already marks it done, in the same statement (one round trip
        for claim and mark: the mark commits with the effects or not at all); on SQLite the
        claim is a plain read, so the single write lock is taken by the handler's first write,
        not held while a handler waits for something else, and :meth:`done` marks it. A chat
        whose earlier replies are still on their way waits for them (their order)."""
        now = self.clock()
        return await claim_next(
            session=session,
            chat_key=chat_key,
            exclude=exclude,
            done_at=None if self.sqlite else now,
            replies_after=now,
        )

    async def done(self, session: AsyncSession, row: InboxUpdate) -> None:
        """Mark ``row`` handled, in the transaction that holds its effects (already done by
        the claim on PostgreSQL)."""
        assert row.id is not None
        if self.sqlite:
            await mark_done(session=session, row_id=row.id, at=self.clock())

    async def failed(
        self,
        row_id: int,
        *,
        tell: tuple[int, Reply, str | None] | None = None,
        now: datetime | None = None,
    ) -> list[int]:
        """Mark the update failed in a transaction of its own (its effects were rolled back)
        and queue ``tell`` (chat, reply, language: "something went wrong") in it; returns the
        queued reply's outbox ids (none if the update was not pending any more)."""
        at = now or self.clock()
        async with self.sessions() as session, session.begin():
            if not await mark_failed(session=session, row_id=row_id, at=at):
                return []
            if tell is None:
                return []
            chat_id, reply, language_code = tell
            rows = await enqueue_replies(
                session=session,
                chat_id=chat_id,
                replies=[reply],
                language_code=language_code,
                now=at,
            )
            return [row.id for row in rows if row.id is not None]

    async def prune(self, *, keep: timedelta = KEEP_HANDLED) -> int:
        async with self.sessions() as session, session.begin():
            return await prune_inbox(session=session, before=self.clock() - keep)

    async def counts(self) -> dict[str, int]:
        async with self.sessions() as session:
            return await count_inbox(session=session)
