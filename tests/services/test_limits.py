"""Telegram's limits: the pure decision, and the limiter on this process's memory and on a
database shared by two "processes" (two engines), on a clock the tests move."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from services.limits import Busy, SendLimiter, Slot, TelegramLimits
from services.limits.rules import Ask, Counted, judge
from storage.engine import create_engine
from tests.conftest import PostgresDatabases
from tests.fakes.clock import FakeClock

GROUP = -1001234567890
LIMITS = TelegramLimits()
EPSILON = 1e-9  # float rounding of sums of seconds


# -- the decision ---------------------------------------------------------------------------


def test_a_person_gets_the_next_notification_a_second_after_the_last_answer() -> None:
    sent = [Counted(42, ends_at=10.25)]
    assert judge(LIMITS, sent, 0.0, Ask(42), now=11.0).ready_at == 11.25
    assert judge(LIMITS, sent, 0.0, Ask(42), now=11.25).granted
    assert judge(LIMITS, sent, 0.0, Ask(7), now=10.5).granted  # somebody else: at once


def test_a_reply_may_bring_three_messages_at_once_then_waits() -> None:
    sent = [Counted(42, ends_at=10.0), Counted(42, ends_at=10.1)]
    assert judge(LIMITS, sent, 0.0, Ask(42, reply=True), now=10.2).granted
    sent.append(Counted(42, ends_at=10.2))
    verdict = judge(LIMITS, sent, 0.0, Ask(42, reply=True), now=10.3)
    assert (verdict.granted, verdict.ready_at, verdict.by_chat) == (False, 11.0, True)


def test_a_send_in_flight_counts_until_its_answer_and_a_dead_ones_until_its_limit() -> None:
    flying = [Counted(42, ends_at=30.0, in_flight=True)]  # granted at 10, in flight for 20 s
    verdict = judge(LIMITS, flying, 0.0, Ask(42), now=12.0)
    assert not verdict.granted
    assert verdict.ready_at == 13.0  # the earliest it could be: if the answer came now
    assert not judge(LIMITS, flying, 0.0, Ask(42), now=30.5).granted
    assert judge(LIMITS, flying, 0.0, Ask(42), now=31.0).granted


def test_the_overall_window_and_a_pause_hold_everybody() -> None:
    sent = [Counted(1000 + i, ends_at=5.0 + i / 100) for i in range(30)]
    verdict = judge(LIMITS, sent, 0.0, Ask(1), now=5.5)
    assert (verdict.granted, verdict.ready_at, verdict.by_chat) == (False, 6.0, False)
    assert judge(LIMITS, sent[1:], 0.0, Ask(1), now=5.5).granted
    paused = judge(LIMITS, [], 20.0, Ask(1), now=5.5)
    assert (paused.granted, paused.ready_at, paused.by_chat) == (False, 20.0, False)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-3, max_value=12),  # chat (negative: a group)
            st.booleans(),  # a reply
            st.floats(min_value=0.0, max_value=0.3),  # when it asks, after the previous ask
            st.floats(min_value=0.0, max_value=0.4),  # how long its request takes
            st.floats(min_value=0.0, max_value=1.0),  # where in that time Telegram counts it
        ),
        min_size=1,
        max_size=120,
    )
)
def test_wherever_telegram_counts_a_send_no_window_is_exceeded(
    sends: list[tuple[int, bool, float, float, float]],
) -> None:
    """Sends granted one after another, each answered some time later (in flight until then)
    and counted by Telegram anywhere between its grant and its answer: no second holds more
    than the overall limit, no group more than its limit a minute, no person more than a
    reply's burst a second, and nothing granted before a notification reaches that person
    within the second before it."""
    limits = TelegramLimits(overall_per_second=5, group_per_minute=4)  # small: more collisions
    granted: list[tuple[int, bool, float, float, float]] = []  # chat, reply, grant, end, arrival
    now = 0.0
    for chat, reply, pause, takes, where in sends:
        now += pause
        while True:
            counted = [
                Counted(c, end) if end <= now else Counted(c, g + limits.in_flight_for, True)
                for c, _, g, end, _ in granted
            ]
            verdict = judge(limits, counted, 0.0, Ask(chat, reply), now)
            if verdict.granted:
                break
            assert verdict.ready_at > now
            now = verdict.ready_at
        granted.append((chat, reply, now, now + takes, now + takes * where))
    times = sorted(arrival for *_, arrival in granted)
    assert all(b - a >= 1.0 - EPSILON for a, b in zip(times, times[5:], strict=False))
    for chat in {chat for chat, *_ in granted}:
        to_chat = [(reply, arrival) for c, reply, _, _, arrival in granted if c == chat]
        at = sorted(arrival for _, arrival in to_chat)
        if chat < 0:
            assert all(b - a >= 60.0 - EPSILON for a, b in zip(at, at[4:], strict=False))
            continue
        assert all(b - a >= 1.0 - EPSILON for a, b in zip(at, at[3:], strict=False))
        for index, (reply, arrival) in enumerate(to_chat):
            if not reply:
                earlier = [other for _, other in to_chat[:index]]
                assert all(arrival - other >= 1.0 - EPSILON for other in earlier)


# -- the limiter, this process only ----------------------------------------------------------


async def _send(limiter: SendLimiter, clock: FakeClock, chat: int, *, reply: bool = False,
                takes: float = 0.0) -> float:  # fmt: skip
    """Acquire, "send" for ``takes`` seconds, release; returns when it was granted."""
    slot = await limiter.acquire(chat, reply=reply)
    assert isinstance(slot, Slot)
    granted = clock.seconds()
    if takes:
        await clock.sleep(takes)
    await limiter.release(slot)
    return granted


async def test_notifications_to_one_person_go_a_second_after_each_answer() -> None:
    clock = FakeClock()
    limiter = SendLimiter.in_memory(clock=clock)
    times = [await _send(limiter, clock, 42, takes=0.25) for _ in range(4)]
    assert times == [0.0, 1.25, 2.5, 3.75]


async def test_a_reply_bursts_three_messages_then_one_a_second() -> None:
    clock = FakeClock()
    limiter = SendLimiter.in_memory(clock=clock)
    times = [await _send(limiter, clock, 42, reply=True) for _ in range(5)]
    assert times == [0.0, 0.0, 0.0, 1.0, 1.0]


async def test_a_group_gets_twenty_a_minute() -> None:
    clock = FakeClock()
    limiter = SendLimiter.in_memory(clock=clock)
    times = [await _send(limiter, clock, GROUP) for _ in range(25)]
    assert times[:20] == [0.0] * 20 and times[20:] == [60.0] * 5


async def test_a_busy_chat_is_reported_at_once_when_the_caller_will_not_wait() -> None:
    clock = FakeClock()
    limiter = SendLimiter.in_memory(clock=clock)
    await _send(limiter, clock, 42, takes=0.5)
    busy = await limiter.acquire(42, chat_wait=0)
    assert busy == Busy(retry_in=1.0, by_chat=True)
    assert isinstance(await limiter.acquire(7, chat_wait=0), Slot)  # others are not held
    assert clock.seconds() == 0.5


async def test_concurrent_senders_get_thirty_a_second_in_the_order_they_asked() -> None:
    clock = FakeClock()
    limiter = SendLimiter.in_memory(clock=clock)
    granted: list[tuple[int, float]] = []

    async def one(chat: int) -> None:
        granted.append((chat, await _send(limiter, clock, chat)))

    await asyncio.gather(*(one(1000 + i) for i in range(70)))
    assert [chat for chat, _ in granted] == [1000 + i for i in range(70)]
    times = [at for _, at in granted]
    assert times == [0.0] * 30 + [1.0] * 30 + [2.0] * 10


async def test_a_retry_after_pauses_everything_that_long() -> None:
    clock = FakeClock()
    limiter = SendLimiter.in_memory(clock=clock)
    slot = await limiter.acquire(1)
    assert isinstance(slot, Slot)
    await limiter.retry_after(slot, 7)
    await limiter.release(slot)
    assert await limiter.acquire(3, wait=5) == Busy(retry_in=7.0, by_chat=False)
    assert clock.seconds() == 0.0  # told at once, not after waiting
    assert await _send(limiter, clock, 2) == 7.0


# -- shared by two processes on one database -------------------------------------------------


@pytest.fixture
async def second_engine(engine: AsyncEngine, database_url: str) -> AsyncIterator[AsyncEngine]:
    """Another process's connection pool on the same database."""
    other = create_engine(database_url)
    try:
        yield other
    finally:
        await other.dispose()


def _pair(engine: AsyncEngine, other: AsyncEngine, clock: FakeClock) -> list[SendLimiter]:
    return [SendLimiter.on_database(e, clock=clock) for e in (engine, other)]


async def test_two_processes_share_one_persons_second(
    engine: AsyncEngine, second_engine: AsyncEngine
) -> None:
    clock = FakeClock()
    first, second = _pair(engine, second_engine, clock)
    assert await _send(first, clock, 42, takes=0.25) == 0.0
    assert await second.acquire(42, chat_wait=0) == Busy(retry_in=1.0, by_chat=True)
    assert await _send(second, clock, 42) == 1.25
    assert await _send(first, clock, 42) == 2.25


async def test_two_processes_share_the_overall_and_the_group_windows(
    engine: AsyncEngine, second_engine: AsyncEngine
) -> None:
    clock = FakeClock()
    limiters = _pair(engine, second_engine, clock)
    times = [await _send(limiters[i % 2], clock, 1000 + i) for i in range(45)]
    assert times == [0.0] * 30 + [1.0] * 15
    group = [await _send(limiters[i % 2], clock, GROUP) for i in range(21)]
    assert group == [1.0] * 15 + [2.0] * 5 + [61.0]  # the overall window is shared too


async def test_a_429_in_one_process_pauses_the_other(
    engine: AsyncEngine, second_engine: AsyncEngine
) -> None:
    clock = FakeClock()
    first, second = _pair(engine, second_engine, clock)
    slot = await first.acquire(1)
    assert isinstance(slot, Slot)
    await clock.sleep(0.5)
    await first.retry_after(slot, 7)
    await first.release(slot)
    assert await second.acquire(2, wait=5) == Busy(retry_in=7.0, by_chat=False)
    assert await _send(second, clock, 2) == 7.5


async def test_a_process_that_died_mid_send_holds_its_chat_until_the_in_flight_limit(
    engine: AsyncEngine, second_engine: AsyncEngine
) -> None:
    clock = FakeClock()
    dead, alive = _pair(engine, second_engine, clock)
    assert isinstance(await dead.acquire(42), Slot)  # never released
    assert await _send(alive, clock, 7) == 0.0
    assert await _send(alive, clock, 42) == LIMITS.in_flight_for + 1.0


@pytest.fixture
async def postgres_engines(
    postgres_databases: PostgresDatabases,
) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Two processes' pools on one migrated PostgreSQL database."""
    name = await asyncio.to_thread(postgres_databases.acquire, migrated=True)
    engines = (
        create_engine(postgres_databases.url(name)),
        create_engine(postgres_databases.url(name)),
    )
    try:
        yield engines
    finally:
        for one in engines:
            await one.dispose()
        await asyncio.to_thread(postgres_databases.release, name, migrated=True)


@pytest.mark.postgres
async def test_on_postgresql_the_database_clock_decides(
    postgres_engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    first, second = (SendLimiter.on_database(e) for e in postgres_engines)
    slot = await first.acquire(42)
    assert isinstance(slot, Slot)
    await first.release(slot)
    busy = await second.acquire(42, chat_wait=0)
    # A second after the answer, which the first process dates (never too early) from just
    # before it asked: a little over a second from now.
    assert isinstance(busy, Busy) and busy.by_chat and 0.9 < busy.retry_in < 1.5
    assert isinstance(await second.acquire(7, chat_wait=0), Slot)
