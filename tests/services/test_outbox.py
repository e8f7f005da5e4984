"""The outbox on a real database (SQLite and PostgreSQL): enqueue, claim, and the outcomes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services import outbox
from services.messages import Button, Reply
from storage.engine import create_engine, session_factory
from storage.models import Outbox, OutboxStatus

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
BRIEF = Reply(
    "<b>Ny förfrågan</b>",
    buttons=((Button("Intresserad", "i:1"), Button("Inte nu", "n:1")),),
    photo_file_id="photo-1",
)


async def _enqueue(session: AsyncSession, chat_id: int = 42, **kwargs: object) -> bool:
    return await outbox.enqueue(
        session=session, chat_id=chat_id, reply=Reply("hej"), kind="brief", now=T0, **kwargs
    )


async def _rows(sessions: async_sessionmaker[AsyncSession]) -> list[Outbox]:
    async with sessions() as session:
        return list((await session.exec(select(Outbox).order_by(col(Outbox.id)))).all())


async def test_a_rolled_back_enqueue_leaves_nothing(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        assert await _enqueue(session)
        await session.rollback()
    assert await _rows(session_maker) == []


async def test_enqueued_reply_round_trips_through_the_payload(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        await outbox.enqueue(
            session=session,
            chat_id=42,
            reply=BRIEF,
            kind="brief",
            now=T0,
            recipient_user_id=42,
        )
        await session.commit()
    (row,) = await _rows(session_maker)
    assert outbox.reply_of(row.payload) == BRIEF
    assert (row.status, row.attempts, row.not_before, row.recipient_user_id) == (
        "pending",
        0,
        T0,
        42,
    )


async def test_the_same_dedupe_key_is_stored_once(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        assert await _enqueue(session, dedupe_key="brief:7:3")
        await session.commit()
    async with session_maker() as session:
        assert not await _enqueue(session, dedupe_key="brief:7:3")
        assert await _enqueue(session, dedupe_key="brief:7:4")
        assert await _enqueue(session)  # no key: never deduplicated
        assert await _enqueue(session)
        await session.commit()
    assert len(await _rows(session_maker)) == 4


async def test_claim_takes_due_rows_once_and_again_after_the_lease(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        await _enqueue(session, chat_id=1)
        await _enqueue(session, chat_id=2, not_before=T0 + timedelta(hours=1))
        await session.commit()
    lease = timedelta(minutes=2)
    async with session_maker() as session:
        (claimed,) = await outbox.claim_due(session=session, now=T0, limit=10, lease=lease)
        await session.commit()
    assert (claimed.chat_id, claimed.status, claimed.attempts) == (1, "sending", 1)
    assert claimed.not_before == T0 + lease
    async with session_maker() as session:  # held by its (now crashed) sender
        assert await outbox.claim_due(session=session, now=T0 + lease / 2, limit=10) == []
    async with session_maker() as session:  # the lease ended: taken again, never lost
        again = await outbox.claim_due(session=session, now=T0 + lease, limit=10, lease=lease)
        await session.commit()
    assert [(row.id, row.attempts) for row in again] == [(claimed.id, 2)]


async def test_claims_respect_the_limit_in_order(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        for chat_id in range(1, 6):
            await _enqueue(session, chat_id=chat_id)
        await session.commit()
    async with session_maker() as session:
        first = await outbox.claim_due(session=session, now=T0, limit=3)
        second = await outbox.claim_due(session=session, now=T0, limit=3)
        await session.commit()
    assert [row.chat_id for row in first] == [1, 2, 3]
    assert [row.chat_id for row in second] == [4, 5]


async def test_concurrent_claimers_never_share_a_row(
    database_url: str, engine: AsyncEngine
) -> None:
    """Two engines (two processes' pools) claim concurrently; every row goes to exactly one."""
    sessions = session_factory(engine)
    async with sessions() as session:
        for chat_id in range(300):
            await _enqueue(session, chat_id=chat_id)
        await session.commit()
    other = create_engine(database_url)
    try:

        async def claimer(sessions: async_sessionmaker[AsyncSession]) -> list[int]:
            taken: list[int] = []
            while True:
                async with sessions() as session:
                    rows = await outbox.claim_due(session=session, now=T0, limit=7)
                    await session.commit()
                if not rows:
                    return taken
                taken += [row.id for row in rows if row.id is not None]
                await asyncio.sleep(0)

        results = await asyncio.gather(
            *(claimer(session_factory(e)) for e in (engine, other, engine, other))
        )
    finally:
        await other.dispose()
    everything = [row_id for taken in results for row_id in taken]
    assert len(everything) == len(set(everything)) == 300
    assert all(row.status == "sending" for row in await _rows(sessions))


async def test_mark_sent_records_the_message_and_skips_a_cancelled_row(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        await _enqueue(session, chat_id=1)
        await _enqueue(session, chat_id=1)
        await session.commit()
    async with session_maker() as session:
        first, second = await outbox.claim_due(session=session, now=T0, limit=10)
        assert await outbox.mark_sent(session=session, row=first, now=T0, telegram_message_id=9)
        await outbox.mark_blocked(session=session, row=second, now=T0, error="Forbidden")
        assert not await outbox.mark_sent(
            session=session, row=second, now=T0, telegram_message_id=10
        )
        await session.commit()
    rows = await _rows(session_maker)
    assert [(r.status, r.telegram_message_id, r.sent_at) for r in rows] == [
        ("sent", 9, T0),
        ("blocked", None, None),
    ]


async def test_transient_failures_back_off_then_fail(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    policy = outbox.RetryPolicy(max_attempts=3, base=timedelta(seconds=10))
    async with session_maker() as session:
        await _enqueue(session)
        await session.commit()
    now, statuses, waits = T0, [], []
    for _ in range(3):
        async with session_maker() as session:
            (row,) = await outbox.claim_due(session=session, now=now, limit=1)
            status = await outbox.mark_retry(
                session=session, row=row, now=now, error="TimedOut: ", policy=policy
            )
            await session.commit()
        (stored,) = await _rows(session_maker)
        statuses.append(status)
        waits.append((stored.not_before - now).total_seconds())
        now = stored.not_before
    assert statuses == ["pending", "pending", "failed"]
    assert waits[:2] == [10.0, 20.0]
    (stored,) = await _rows(session_maker)
    assert (stored.attempts, stored.last_error) == (3, "TimedOut: ")
    async with session_maker() as session:
        assert await outbox.claim_due(session=session, now=now + timedelta(days=1), limit=1) == []


async def test_retry_after_waits_exactly_that_long_without_counting_an_attempt(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    policy = outbox.RetryPolicy(max_attempts=1)
    async with session_maker() as session:
        await _enqueue(session)
        await session.commit()
    for _ in range(3):  # more 429s than max_attempts: being told to wait is not a failure
        async with session_maker() as session:
            (row,) = await outbox.claim_due(session=session, now=T0, limit=1)
            status = await outbox.mark_retry(
                session=session,
                row=row,
                now=T0,
                error="RetryAfter",
                policy=policy,
                retry_after=timedelta(seconds=0),
            )
            await session.commit()
        assert status == "pending"
    async with session_maker() as session:
        (row,) = await outbox.claim_due(session=session, now=T0, limit=1)
        await outbox.mark_retry(
            session=session,
            row=row,
            now=T0,
            error="RetryAfter",
            policy=policy,
            retry_after=timedelta(seconds=17),
        )
        await session.commit()
    (stored,) = await _rows(session_maker)
    assert (stored.status, stored.attempts, stored.not_before) == (
        "pending",
        0,
        T0 + timedelta(seconds=17),
    )


async def test_blocked_cancels_that_chats_unsent_rows_and_calls_the_hook(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        await _enqueue(session, chat_id=5, recipient_user_id=5)
        await _enqueue(session, chat_id=5, not_before=T0 + timedelta(days=7))
        await _enqueue(session, chat_id=6)
        await session.commit()
    calls: list[tuple[int, int | None]] = []

    async def on_blocked(session: AsyncSession, chat_id: int, user_id: int | None) -> None:
        calls.append((chat_id, user_id))
        await outbox.enqueue(
            session=session,
            chat_id=-100,
            reply=Reply("blocked"),
            kind="coordinator_notice",
            now=T0,
            dedupe_key=f"blocked:{chat_id}",
        )

    async with session_maker() as session:
        first, _ = await outbox.claim_due(session=session, now=T0, limit=2)
        assert first.chat_id == 5
        cancelled = await outbox.mark_blocked(
            session=session, row=first, now=T0, error="Forbidden", on_blocked=on_blocked
        )
        await session.commit()
    assert cancelled == 1
    assert calls == [(5, 5)]
    assert [(r.chat_id, r.status) for r in await _rows(session_maker)] == [
        (5, "blocked"),
        (5, "blocked"),
        (6, "sending"),
        (-100, "pending"),
    ]


async def test_wakeup_rings_after_commit_only(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    rings: list[int] = []
    unsubscribe = outbox.wakeup.subscribe(lambda: rings.append(1))
    try:
        async with session_maker() as session:
            await _enqueue(session)
            await _enqueue(session)
            assert rings == []
            await session.rollback()
            assert rings == []
            await _enqueue(session)
            await session.commit()
            assert rings == [1]
            await session.commit()  # nothing enqueued since: no ring
            assert rings == [1]
    finally:
        unsubscribe()


def test_payloads_refuse_reply_keyboards() -> None:
    with pytest.raises(ValueError):
        outbox.payload_of(Reply("where?", ask_location=True))


def test_status_values_are_the_documented_ones() -> None:
    assert [s.value for s in OutboxStatus] == [
        "pending",
        "sending",
        "sent",
        "failed",
        "blocked",
        "cancelled",
    ]
