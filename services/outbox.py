"""The notification outbox: Telegram messages stored with the change that caused them.

A service that changes state (a brief to a maker, a contact card, a coordinator notice) calls
:func:`enqueue` in its own transaction, so the message exists exactly when the change is
committed: a rollback leaves no message, a restart loses none. A sender
(:mod:`bot.telegram.transport.sender`) then works the table:

1. :func:`claim_due` takes due rows in one atomic statement and marks them ``sending`` with a
   lease (``not_before = now + lease``), committed at once;
2. it sends each row, then records the outcome in a short transaction of its own:
   :func:`mark_sent`, :func:`mark_retry` (429, transient errors), :func:`mark_blocked` (403) or
   :func:`release` (not sent yet because of the rate limits).

**At-least-once.** A sender that dies between Telegram accepting a message and
:func:`mark_sent` committing leaves the row ``sending``; when the lease ends, :func:`claim_due`
takes it again and the message goes out a second time. The window is one row per sender (rows
are marked one by one, right after their send) and the repeat comes no sooner than the lease.
Claimed rows that were never attempted are simply sent after the lease, never lost. Every
``mark_*`` only changes a row that is still ``sending``, so a row cancelled meanwhile stays so.

**Replies and notifications.** A row whose ``kind`` is ``reply`` or starts with ``reply.``
(:data:`REPLY_KIND`, :func:`is_reply`) answers the person's own message: the sender lets such a
reply come as a short burst in that chat, as Telegram allows; every other row is a notification
and keeps to one message a second per person (:mod:`services.limits`).

**Follow-ups.** A row whose ``kind`` starts with ``followup.`` carries a check-in
(:mod:`services.followups`, whose row points at it by ``outbox_id``); every outcome recorded
here is mirrored onto that :class:`~storage.models.FollowUp` in the same transaction (attempts,
last error, ``sent`` / ``failed`` / ``cancelled``), so the follow-up table stays the one place a
coordinator looks. Rows marked ``working_hours_only`` are held by the sender outside the
courtesy hours.

Nothing here commits: the caller owns the transaction.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, event, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.messages import Button, Document, Reply
from storage.models import FollowUp, FollowUpStatus, Outbox, OutboxStatus

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_LEASE",
    "FOLLOW_UP_KIND_PREFIX",
    "REPLY_KIND",
    "OnBlocked",
    "RetryPolicy",
    "Wakeup",
    "chain_blocked",
    "claim_due",
    "claim_ids",
    "enqueue",
    "enqueue_many",
    "enqueue_replies",
    "is_reply",
    "language_of",
    "mark_blocked",
    "mark_retry",
    "mark_sent",
    "payload_of",
    "picked_once",
    "release",
    "reply_of",
    "reply_payload_of",
    "wakeup",
]

# How long a claimed row belongs to its sender: longer than a batch takes to send (the sender
# defers rows it cannot send within a few seconds, so a batch is short), and the earliest a
# crashed sender's rows go out again.
DEFAULT_LEASE = timedelta(minutes=2)

FOLLOW_UP_KIND_PREFIX = "followup."
REPLY_KIND = "reply"


def is_reply(row: Outbox) -> bool:
    """Whether ``row`` answers the person's own message (a short burst is allowed)."""
    return row.kind == REPLY_KIND or row.kind.startswith(f"{REPLY_KIND}.")


# (session, chat_id, recipient_user_id): called in the transaction that marks a chat blocked, so
# the caller can record the person as unreachable and enqueue a notice for the coordinators.
OnBlocked = Callable[[AsyncSession, int, int | None], Awaitable[None]]


def chain_blocked(*hooks: OnBlocked) -> OnBlocked:
    """One ``OnBlocked`` hook that runs ``hooks`` in order, in the same transaction."""

    async def chained(session: AsyncSession, chat_id: int, recipient_user_id: int | None) -> None:
        for hook in hooks:
            await hook(session, chat_id, recipient_user_id)

    return chained


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff for transient failures: ``base``, ``2·base``, … up to ``cap``;
    the row fails after ``max_attempts`` attempts."""

    max_attempts: int = 5
    base: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(hours=1)

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt.

        >>> [RetryPolicy().delay(n).total_seconds() for n in (1, 2, 3)]
        [10.0, 20.0, 40.0]
        """
        return min(self.base * 2 ** max(attempts - 1, 0), self.cap)


# -- waking an in-process sender ------------------------------------------------------------


class Wakeup:
    """Rings the senders of this process after a commit that enqueued something.

    Only a hint to send sooner: senders also look at the table periodically, so a message
    committed by another process (or with no sender listening) still goes out.
    """

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` on every ring; returns the function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def ring(self) -> None:
        for listener in list(self._listeners):
            listener()


wakeup = Wakeup()
_RING_ON_COMMIT = "outbox_ring_on_commit"


def _ring_after_commit(session: AsyncSession) -> None:
    sync_session = session.sync_session
    if _RING_ON_COMMIT in sync_session.info:
        sync_session.info[_RING_ON_COMMIT] = True
        return
    sync_session.info[_RING_ON_COMMIT] = True

    def after_commit(committed: Any) -> None:
        if committed.info.pop(_RING_ON_COMMIT, False):
            wakeup.ring()
        committed.info[_RING_ON_COMMIT] = False

    def after_rollback(rolled_back: Any) -> None:
        rolled_back.info[_RING_ON_COMMIT] = False

    event.listen(sync_session, "after_commit", after_commit)
    event.listen(sync_session, "after_rollback", after_rollback)


# -- payloads -------------------------------------------------------------------------------


def payload_of(reply: Reply) -> dict[str, object]:
    """What the table stores for ``reply`` (JSON)."""
    if reply.ask_location or reply.remove_keyboard:
        raise ValueError("the outbox sends inline keyboards only, not reply keyboards")
    return {
        "text": reply.text,
        "buttons": [[{"label": b.label, "data": b.data} for b in row] for row in reply.buttons],
        "photo_file_id": reply.photo_file_id,
    }


def reply_payload_of(reply: Reply, language_code: str | None) -> dict[str, object]:
    """What the table stores for a direct reply to a person's own update (kind ``reply``):
    everything a handler's reply may hold, reply keyboards and a file included.
    ``language_code`` words the share-location keyboard."""
    payload: dict[str, object] = {
        "text": reply.text,
        "buttons": [[{"label": b.label, "data": b.data} for b in row] for row in reply.buttons],
        "photo_file_id": reply.photo_file_id,
    }
    if reply.ask_location:
        payload["ask_location"] = True
    if reply.remove_keyboard:
        payload["remove_keyboard"] = True
    if language_code:
        payload["language"] = language_code
    if reply.document is not None:
        payload["document"] = {
            "filename": reply.document.filename,
            "data": base64.b64encode(reply.document.data).decode("ascii"),
        }
    return payload


def reply_of(payload: dict[str, Any]) -> Reply:
    """The reply a stored payload describes (inverse of :func:`payload_of` and
    :func:`reply_payload_of`)."""
    document = payload.get("document")
    return Reply(
        text=str(payload.get("text", "")),
        buttons=tuple(
            tuple(Button(str(b["label"]), str(b["data"])) for b in row)
            for row in payload.get("buttons") or ()
        ),
        ask_location=bool(payload.get("ask_location", False)),
        remove_keyboard=bool(payload.get("remove_keyboard", False)),
        photo_file_id=payload.get("photo_file_id"),
        document=(
            Document(str(document["filename"]), base64.b64decode(str(document["data"])))
            if isinstance(document, dict)
            else None
        ),
    )


def language_of(payload: dict[str, Any]) -> str | None:
    """The language a stored reply's own keyboard texts are worded in (None: the default)."""
    language = payload.get("language")
    return str(language) if language else None


# -- writing --------------------------------------------------------------------------------


async def enqueue(
    *,
    session: AsyncSession,
    chat_id: int,
    reply: Reply,
    kind: str,
    now: datetime,
    dedupe_key: str | None = None,
    recipient_user_id: int | None = None,
    not_before: datetime | None = None,
    working_hours_only: bool = False,
) -> bool:
    """Add a message to send to ``chat_id`` no sooner than ``not_before`` (default ``now``).

    Written in the caller's transaction. With a ``dedupe_key`` the same logical notification
    is stored once however often it is enqueued; returns ``False`` when it already was.
    ``working_hours_only`` holds it to the courtesy hours (see the sender).
    """
    inserted = await enqueue_many(
        session=session,
        messages=[
            {
                "chat_id": chat_id,
                "recipient_user_id": recipient_user_id,
                "kind": kind,
                "payload": payload_of(reply),
                "dedupe_key": dedupe_key,
                "not_before": not_before or now,
                "working_hours_only": working_hours_only,
            }
        ],
        now=now,
    )
    return inserted == 1


async def enqueue_many(
    *, session: AsyncSession, messages: list[dict[str, Any]], now: datetime
) -> int:
    """:func:`enqueue` for many messages in one statement (the follow-up dispatcher's batches).

    Each message is a dict of :class:`~storage.models.Outbox` columns with at least
    ``chat_id``, ``kind`` and ``payload``; returns how many were new (for several messages,
    as far as the driver reports it: asyncpg's batches report none, so 0).
    """
    if not messages:
        return 0
    defaults: dict[str, Any] = {
        "recipient_user_id": None,
        "dedupe_key": None,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "not_before": now,
        "created_at": now,
        "working_hours_only": False,
    }
    rows = [defaults | message for message in messages]
    dialect = session.get_bind().dialect.name
    statement: Any
    if dialect == "postgresql":
        statement = postgresql.insert(Outbox).on_conflict_do_nothing(index_elements=["dedupe_key"])
    elif dialect == "sqlite":
        statement = sqlite.insert(Outbox).on_conflict_do_nothing(index_elements=["dedupe_key"])
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        statement = insert(Outbox)
    connection = await session.connection()  # Core executemany: reports rowcount
    result = await connection.execute(statement, rows)
    inserted = max(int(result.rowcount or 0), 0)
    if inserted or len(rows) > 1:
        _ring_after_commit(session)
    return inserted


async def enqueue_replies(
    *,
    session: AsyncSession,
    chat_id: int,
    replies: Sequence[Reply],
    language_code: str | None,
    now: datetime,
    recipient_user_id: int | None = None,
    claimed_for: timedelta | None = None,
) -> list[Outbox]:
    """Queue the replies to a person's own update (kind ``reply``, in order), in the caller's
    transaction: the update's, so they exist exactly when its effects do. Returns the rows.

    With ``claimed_for`` the rows are written already claimed (``sending``, their lease
    ending then), for the caller to send right after its commit without claiming them again;
    if it dies first, any sender takes them once the lease ended. No wake-up rings: the
    caller sends them itself, and the sender's periodic look finds any it could not.
    """
    if not replies:
        return []
    claimed = claimed_for is not None
    rows = [
        {
            "chat_id": chat_id,
            "recipient_user_id": recipient_user_id,
            "kind": REPLY_KIND,
            "payload": reply_payload_of(reply, language_code),
            "dedupe_key": None,
            "status": (OutboxStatus.SENDING if claimed else OutboxStatus.PENDING).value,
            "attempts": 1 if claimed else 0,
            "not_before": now + claimed_for if claimed_for is not None else now,
            "created_at": now,
            "working_hours_only": False,
        }
        for reply in replies
    ]
    statement = (
        insert(Outbox)
        .values(rows)
        .returning(Outbox)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    result = await session.exec(statement)
    return sorted(result.scalars(), key=lambda row: row.id or 0)


async def claim_ids(
    *, session: AsyncSession, ids: Sequence[int], now: datetime, lease: timedelta = DEFAULT_LEASE
) -> list[Outbox]:
    """Claim these rows (still ``pending``) for this sender, as :func:`claim_due` would; rows
    another sender took meanwhile are left to it. In id order."""
    if not ids:
        return []
    statement = (
        update(Outbox)
        .where(col(Outbox.id).in_(list(ids)), col(Outbox.status) == OutboxStatus.PENDING.value)
        .values(
            status=OutboxStatus.SENDING.value,
            not_before=now + lease,
            attempts=col(Outbox.attempts) + 1,
        )
        .returning(Outbox)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    rows = list((await session.exec(statement)).scalars())
    return sorted(rows, key=lambda row: row.id or 0)


def picked_once(ids: Select[Any]) -> Select[Any]:
    """``SELECT id FROM (ids)`` evaluated exactly once, for ``WHERE id IN (…)`` of a claim.

    As a plain subquery PostgreSQL may plan ``UPDATE … WHERE id IN (SELECT … LIMIT n FOR
    UPDATE SKIP LOCKED)`` as a loop that re-runs the subquery for every row, and each re-run
    skips the rows just locked and returns others: the claim takes more than ``n`` rows. A
    ``MATERIALIZED`` CTE picks the ids once.
    """
    picked = ids.cte("picked").prefix_with("MATERIALIZED", dialect="postgresql")
    return select(picked.c.id)


async def claim_due(
    *, session: AsyncSession, now: datetime, limit: int, lease: timedelta = DEFAULT_LEASE
) -> list[Outbox]:
    """Claim up to ``limit`` due rows for this sender, oldest first; commit right after.

    Due: ``pending`` rows whose ``not_before`` has come, and ``sending`` rows whose lease ended
    (their sender died). One statement: on PostgreSQL the candidate rows are locked with
    ``FOR UPDATE SKIP LOCKED``, so concurrent senders take disjoint rows; SQLite runs it under
    its single writer lock. Each claim counts as an attempt, so a message that crashes the
    sender every time still ends ``failed``.
    """
    due = (
        select(Outbox.id)
        .where(
            col(Outbox.status).in_([OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]),
            col(Outbox.not_before) <= now,
        )
        .order_by(col(Outbox.not_before), col(Outbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Outbox)
        .where(
            col(Outbox.id).in_(picked_once(due)),
            col(Outbox.status).in_([OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]),
        )
        .values(
            status=OutboxStatus.SENDING.value,
            not_before=now + lease,
            attempts=col(Outbox.attempts) + 1,
        )
        .returning(Outbox)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    rows = list((await session.exec(statement)).scalars())
    return sorted(rows, key=lambda row: row.id or 0)


async def _finish(session: AsyncSession, row_id: int, **values: object) -> bool:
    """Update a row this sender still holds; ``False`` if it was cancelled meanwhile."""
    result = await session.exec(
        update(Outbox)
        .where(col(Outbox.id) == row_id, col(Outbox.status) == OutboxStatus.SENDING.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


async def _mirror(session: AsyncSession, row: Outbox, **values: object) -> None:
    """Copy a delivery outcome onto the follow-up the row carries (still ``queued`` only: an
    answer or a cancellation that came first is kept)."""
    if not row.kind.startswith(FOLLOW_UP_KIND_PREFIX):
        return
    await session.exec(
        update(FollowUp)
        .where(
            col(FollowUp.outbox_id) == row.id,
            col(FollowUp.status) == FollowUpStatus.QUEUED.value,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def mark_sent(
    *, session: AsyncSession, row: Outbox, now: datetime, telegram_message_id: int | None
) -> bool:
    assert row.id is not None
    finished = await _finish(
        session,
        row.id,
        status=OutboxStatus.SENT.value,
        sent_at=now,
        telegram_message_id=telegram_message_id,
        last_error=None,
    )
    if finished:
        await _mirror(
            session, row, status=FollowUpStatus.SENT.value, sent_at=now, attempts=row.attempts
        )
    return finished


async def release(*, session: AsyncSession, row: Outbox, not_before: datetime) -> bool:
    """Hand a claimed row back unsent (the rate limits say later); the claim is not counted."""
    assert row.id is not None
    return await _finish(
        session,
        row.id,
        status=OutboxStatus.PENDING.value,
        not_before=not_before,
        attempts=max(row.attempts - 1, 0),
    )


async def mark_retry(
    *,
    session: AsyncSession,
    row: Outbox,
    now: datetime,
    error: str,
    policy: RetryPolicy,
    retry_after: timedelta | None = None,
) -> str:
    """Record a failed attempt; returns the row's new status.

    With ``retry_after`` (Telegram's 429) the row waits exactly that long and the attempt is
    not counted: being told to slow down says nothing about the message. Otherwise it backs
    off exponentially and fails after ``policy.max_attempts`` attempts.
    """
    assert row.id is not None
    if retry_after is not None:
        status, not_before, attempts = OutboxStatus.PENDING, now + retry_after, row.attempts - 1
    elif row.attempts >= policy.max_attempts:
        status, not_before, attempts = OutboxStatus.FAILED, now, row.attempts
    else:
        status, not_before, attempts = OutboxStatus.PENDING, now + policy.delay(row.attempts), None
    values: dict[str, object] = {"status": status.value, "not_before": not_before}
    values["last_error"] = error
    if attempts is not None:
        values["attempts"] = max(attempts, 0)
    if await _finish(session, row.id, **values):
        mirrored: dict[str, object] = {
            "last_error": error,
            "attempts": values.get("attempts", row.attempts),
        }
        if status is OutboxStatus.FAILED:
            mirrored["status"] = FollowUpStatus.FAILED.value
        await _mirror(session, row, **mirrored)
    if status is OutboxStatus.FAILED:
        log.warning("outbox row %s (%s) failed after %s attempts", row.id, row.kind, row.attempts)
    return status.value


async def mark_blocked(
    *,
    session: AsyncSession,
    row: Outbox,
    now: datetime,
    error: str,
    on_blocked: OnBlocked | None = None,
) -> int:
    """The chat blocked the bot (403): this row and every other unsent row to that chat end
    ``blocked``, and ``on_blocked`` runs in the same transaction. Returns how many others."""
    assert row.id is not None
    if await _finish(session, row.id, status=OutboxStatus.BLOCKED.value, last_error=error):
        await _mirror(session, row, status=FollowUpStatus.CANCELLED.value, last_error=error)
    others = await session.exec(
        update(Outbox)
        .where(
            col(Outbox.chat_id) == row.chat_id,
            col(Outbox.id) != row.id,
            col(Outbox.status).in_([OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]),
        )
        .values(status=OutboxStatus.BLOCKED.value, last_error=f"cancelled: {error}")
        .execution_options(synchronize_session=False)
    )
    await session.exec(  # check-ins whose messages were among them end with them
        update(FollowUp)
        .where(
            col(FollowUp.status) == FollowUpStatus.QUEUED.value,
            col(FollowUp.outbox_id).in_(
                select(Outbox.id).where(
                    col(Outbox.chat_id) == row.chat_id,
                    col(Outbox.status) == OutboxStatus.BLOCKED.value,
                )
            ),
        )
        .values(status=FollowUpStatus.CANCELLED.value, last_error=f"cancelled: {error}")
        .execution_options(synchronize_session=False)
    )
    log.info("outbox row %s (%s): chat blocked the bot; other rows cancelled", row.id, row.kind)
    if on_blocked is not None:
        await on_blocked(session, row.chat_id, row.recipient_user_id)
    return int(others.rowcount or 0)
