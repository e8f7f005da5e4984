"""Telegram's limits held across real ``spok-bot run`` processes on one PostgreSQL, counted where
Telegram would count them: at the local fake Bot API (loopback only), which time-stamps every
call on one clock for all processes.

These tests send for real, so they are few and bounded (about 25 s and 15 s): the rules
themselves are tested on a clock the tests move (``tests/services/test_limits.py``,
``test_sender.py``).
"""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import threading
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.bench.fake_bot_api import Call, FakeBotApi
from bot.bench.scripted import SimulatedPerson
from services import outbox
from services.messages import Reply
from storage.engine import create_engine, session_factory
from storage.models import Outbox, OutboxStatus
from tests.bot.telegram.test_end_to_end import (
    TOKEN,
    free_port,
    post_update,
    start_bot,
    start_webhook_bot,
    stop_bot,
    wait_until_listening,
)
from tests.conftest import PostgresDatabases

pytestmark = pytest.mark.postgres

OVERALL = 30  # messages in any second, all chats
GROUP_PER_MINUTE = 20
PRIVATE_CHATS = 38
PER_PRIVATE_CHAT = 14  # 532 messages, one a second each at most
GROUPS = (-1_001_000_000_001, -1_001_000_000_002)
PER_GROUP = 34  # 68 messages: 20 a minute each at most, the other 14 wait their minute
RETRY_AFTER_S = 3
# Sends granted before the 429's pause was recorded may still arrive after the 429: the other
# process's send in flight, and one it was granted in the moment before the pause was written
# (each sender sends one message at a time). Without sharing, ~40 would.
GRANTED_BEFORE_THE_PAUSE = 2


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN) as api:
        yield api


@pytest.fixture
async def postgres_url(postgres_databases: PostgresDatabases) -> AsyncIterator[str]:
    name = await asyncio.to_thread(postgres_databases.acquire, migrated=True)
    try:
        yield postgres_databases.url(name)
    finally:  # the bots are stopped by then
        await asyncio.to_thread(postgres_databases.release, name, migrated=True)


async def enqueue(url: str, messages: list[tuple[int, str]]) -> None:
    """Notifications (kind ``brief``), due now, in this order."""
    engine = create_engine(url)
    try:
        now = datetime.now(UTC)
        async with session_factory(engine)() as session:
            await outbox.enqueue_many(
                session=session,
                messages=[
                    {"chat_id": chat, "kind": "brief", "payload": outbox.payload_of(Reply(text))}
                    for chat, text in messages
                ],
                now=now,
            )
            await session.commit()
    finally:
        await engine.dispose()


async def unsent(url: str) -> Counter[int]:
    """Unsent outbox rows by chat."""
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            rows = (await session.exec(select(Outbox))).all()
    finally:
        await engine.dispose()
    return Counter(row.chat_id for row in rows if row.status != OutboxStatus.SENT.value)


async def wait(api: FakeBotApi, condition: Callable[[], bool], *, within: float) -> None:
    await asyncio.to_thread(api.wait_for, lambda _: condition(), timeout=within)


def busiest(times: list[float], window: float) -> int:
    """The most sends in any half-open window of ``window`` seconds."""
    ordered = sorted(times)
    most = 0
    start = 0
    for end, at in enumerate(ordered):
        while ordered[start] <= at - window:
            start += 1
        most = max(most, end - start + 1)
    return most


def by_chat(calls: list[Call]) -> dict[int, list[float]]:
    times: dict[int, list[float]] = defaultdict(list)
    for call in calls:
        times[int(call.params["chat_id"])].append(call.at)
    return times


async def test_two_processes_sending_600_messages_keep_every_limit_and_share_a_429(
    tmp_path: Path, api: FakeBotApi, postgres_url: str
) -> None:
    """38 people get 14 notifications each and two groups 34 each, from two processes at once;
    when 200 have arrived, Telegram answers one send with 429 retry_after 3 s."""
    private = list(range(71_000, 71_000 + PRIVATE_CHATS))
    rounds = max(PER_PRIVATE_CHAT, PER_GROUP)
    messages = [
        (chat, f"{chat}:{n}")
        for n in range(rounds)
        for chat in [*private, *GROUPS]
        if n < (PER_GROUP if chat < 0 else PER_PRIVATE_CHAT)
    ]
    assert len(messages) == 600
    await enqueue(postgres_url, messages)

    def expected_now() -> int:
        """Every private message, and each group's 20 of its first minute less a send Telegram
        refused there (it reached Telegram, so it counts in the group's minute)."""
        refused = Counter(int(call.params["chat_id"]) for call in api.refused())
        groups = sum(GROUP_PER_MINUTE - refused[group] for group in GROUPS)
        return PRIVATE_CHATS * PER_PRIVATE_CHAT + groups

    bots = [start_bot(tmp_path, api, postgres_url, log_name=f"bot{n}.log") for n in range(2)]
    try:
        await wait(api, lambda: len(api.sent()) >= 200, within=60)
        api.fail_next(
            "sendMessage",
            429,
            f"Too Many Requests: retry after {RETRY_AFTER_S}",
            {"retry_after": RETRY_AFTER_S},
        )
        await wait(api, lambda: len(api.sent()) >= expected_now(), within=90)
    finally:
        logs = []
        for number, bot in enumerate(bots):
            logs.append(await asyncio.to_thread(stop_bot, bot, tmp_path, f"bot{number}.log"))

    sent = api.sent()
    [refusal] = api.refused()
    texts = Counter(call.params["text"] for call in sent)
    assert len(sent) == expected_now() and set(texts.values()) == {1}, "each sent exactly once"
    # The refused send reached Telegram too: it is counted with the others.
    times = [call.at for call in [*sent, refusal]]
    span = max(times) - min(times)
    assert busiest(times, 1.0) <= OVERALL, f"{len(times)} sends in {span:.1f} s"
    chats = by_chat([*sent, refusal])
    for chat in private:  # notifications: never two to one person within a second
        gaps = [b - a for a, b in itertools.pairwise(sorted(chats[chat]))]
        assert min(gaps) >= 1.0, (chat, min(gaps))
    for group in GROUPS:  # 20 a minute: the others wait their minute in the outbox
        assert busiest(chats[group], 60.0) <= GROUP_PER_MINUTE
        assert len(chats[group]) == GROUP_PER_MINUTE
    delivered = by_chat(sent)
    assert await unsent(postgres_url) == Counter(
        {group: PER_GROUP - len(delivered[group]) for group in GROUPS}
    )
    # The 429: nothing from either process once the pause was shared, until it ended.
    paused = [t for t in times if refusal.at < t < refusal.at + RETRY_AFTER_S]
    assert len(paused) <= GRANTED_BEFORE_THE_PAUSE, f"{len(paused)} sends during the pause"
    assert any(t >= refusal.at + RETRY_AFTER_S for t in times)  # and sending went on after
    assert sum("Telegram asks to wait" in log for log in logs) == 1
    print(
        f"\n{len(times)} sends (one refused) in {span:.1f} s ({len(times) / span:.1f}/s with a "
        f"{RETRY_AFTER_S} s pause); busiest second {busiest(times, 1.0)}"
    )


async def test_80_designers_pressing_start_at_once_get_their_replies_within_the_limits(
    tmp_path: Path, api: FakeBotApi, postgres_url: str
) -> None:
    """Two webhook processes behind a load balancer get 80 /start within half a second (each
    answered with two messages, 160 sends) while their outbox senders deliver 100
    notifications: replies and notifications share one limit."""
    notices = [(72_000 + n, f"notice {n}") for n in range(100)]
    await enqueue(postgres_url, notices)
    ports = [free_port()]
    while len(ports) < 2:
        port = free_port()
        if port not in ports:
            ports.append(port)
    hooks = [f"http://127.0.0.1:{port}/hook" for port in ports]
    processes: list[subprocess.Popen[bytes]] = []
    designers = [
        SimulatedPerson(73_000 + n, language_code="sv", first_name=f"D{n}") for n in range(80)
    ]
    try:
        for number, (port, hook) in enumerate(zip(ports, hooks, strict=True)):
            processes.append(
                start_webhook_bot(tmp_path, api, postgres_url, port, hook, f"bot{number}.log")
            )
        for port, process in zip(ports, processes, strict=True):
            await asyncio.to_thread(wait_until_listening, port, process, 30)

        updates = [designer.command("start") for designer in designers]
        ready = threading.Barrier(len(updates))

        def press(number: int) -> tuple[int, float, float]:
            """One designer's /start, all 80 at once: the HTTP status, when it left and when
            the bot had it."""
            ready.wait()
            left = time.monotonic()
            return post_update(hooks[number % 2], updates[number]), left, time.monotonic()

        with ThreadPoolExecutor(max_workers=len(updates)) as pool:
            presses = await asyncio.to_thread(lambda: list(pool.map(press, range(len(updates)))))
        statuses = [status for status, _, _ in presses]
        # The presses leave within half a second; each is answered once the bot committed it
        # to its inbox (a database commit each, so the answers take longer than the presses).
        pressed_in = max(left for _, left, _ in presses) - min(left for _, left, _ in presses)
        answered_in = max(at for *_, at in presses) - min(left for _, left, _ in presses)
        assert statuses == [200] * 80

        def replied() -> bool:
            to = Counter(int(call.params["chat_id"]) for call in api.sent())
            return all(to[d.user_id] == 2 for d in designers) and len(api.sent()) >= 260

        await wait(api, replied, within=60)
    finally:
        for number, process in enumerate(processes):
            await asyncio.to_thread(stop_bot, process, tmp_path, f"bot{number}.log")

    assert pressed_in < 0.5, f"the 80 presses took {pressed_in:.2f} s"
    sent = api.sent()
    times = [call.at for call in sent]
    assert len(sent) == 260
    assert busiest(times, 1.0) <= OVERALL
    chats = by_chat(sent)
    for designer in designers:  # the reply's two messages may come together: a short burst
        assert len(chats[designer.user_id]) == 2
    print(
        f"\n80 /start pressed within {pressed_in:.2f} s, all committed and answered within "
        f"{answered_in:.2f} s; {len(sent)} sends in "
        f"{max(times) - min(times):.1f} s; busiest second {busiest(times, 1.0)}"
    )
