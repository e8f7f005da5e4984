"""Follow-up check-ins across real ``spok-bot run`` processes, counted at the local fake Bot API
(loopback only): never lost by a restart or a ``kill -9``, never doubled by two processes.

Each check-in's message carries a button token of its own (``fu:<token>:<answer>``), and the
``action_tokens`` table maps the token to its follow-up, so the fake API's record says exactly
which follow-up arrived how often. Rows are seeded in bulk with
:func:`bot.bench.followups.seed_due_checkins` (7-day check-ins due a day ago, every
person a chat of their own), and the bots run with ``CHECKIN_HOURS=always`` so the courtesy hours
never hold them back, and ``FOLLOWUP_INTERVAL_SECONDS=1``.

**The double-send bound.** The dispatcher claims rows and queues their messages in one
transaction, so a kill before its commit leaves them ``pending`` and after it every message is in
the outbox. The outbox sender marks each message ``sent`` in its own transaction right after
Telegram accepted it (see :mod:`services.outbox`), so a ``kill -9`` can repeat at most the one
message in flight: **at most one duplicate per killed process**, sent again no sooner than the
outbox lease (``OUTBOX_LEASE_SECONDS``) after its claim. Messages claimed but not yet tried are
sent after the lease, once.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bench.fake_bot_api import Call, FakeBotApi, first_button
from bot.bench.followups import seed_due_checkins
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import (
    ActionToken,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Outbox,
    OutboxStatus,
)
from tests.conftest import PostgresDatabases

TOKEN = "515151:followups-processes-token"
CHECK_IN = FollowUpKind.CHECKIN_CONTACT.value  # what seed_due_checkins plants
EXIT_TIMEOUT_S = 30
DOUBLE_SENDS_PER_KILL = 1  # the message in flight when the sender died (see the docstring)
LEASE_S = 4  # short, so a killed process's claims come back within the test
BOT_ENV = {
    "CHECKIN_HOURS": "always",
    "FOLLOWUP_INTERVAL_SECONDS": "1",
    "OUTBOX_LEASE_SECONDS": str(LEASE_S),
}
_SETTINGS_PREFIXES = (
    "TELEGRAM_",
    "WEBHOOK_",
    "DATABASE_",
    "DATA_DIR",
    "CHECKIN_",
    "FOLLOWUP_",
    "FRESHNESS_",
    "OUTBOX_",
    "ADMIN_",
    "HUBS_",
)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN) as api:
        yield api


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}"
    await upgrade(url)
    return url


@pytest.fixture
async def postgres_url(postgres_databases: PostgresDatabases) -> AsyncIterator[str]:
    name = await asyncio.to_thread(postgres_databases.acquire, migrated=True)
    try:
        yield postgres_databases.url(name)
    finally:  # the bots are stopped by then: nothing holds the database
        await asyncio.to_thread(postgres_databases.release, name, migrated=True)


@pytest.fixture
async def sessions(
    request: pytest.FixtureRequest,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the test's database (``sqlite_url`` or ``postgres_url``, whichever it uses)."""
    name = "postgres_url" if "postgres_url" in request.fixturenames else "sqlite_url"
    engine = create_engine(request.getfixturevalue(name))
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


# -- the processes ------------------------------------------------------------------------------


class Bot:
    """One ``spok-bot run`` process, its output in a log file of its own."""

    def __init__(self, tmp_path: Path, api: FakeBotApi, database_url: str, name: str) -> None:
        self.log_path = tmp_path / f"{name}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(_SETTINGS_PREFIXES)}
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=api.base_url,
            DATABASE_URL=database_url,
            LOG_LEVEL="INFO",
            **BOT_ENV,
        )
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"],
                cwd=tmp_path,  # no stray .env
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> str:
        """SIGTERM, as a service manager stops the bot; it must exit cleanly."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        assert code == 0, self.log()[-3000:]
        return self.log()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(timeout=EXIT_TIMEOUT_S) == -signal.SIGKILL

    def ensure_stopped(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


async def stop_all(bots: list[Bot]) -> list[str]:
    logs = []
    for bot in bots:
        logs.append(await asyncio.to_thread(bot.stop))
    return logs


# -- what arrived -------------------------------------------------------------------------------


def check_in_tokens(calls: list[Call]) -> list[str]:
    """The button token of every check-in message among ``calls``, once per send."""
    tokens = []
    for call in calls:
        if call.method not in ("sendMessage", "sendPhoto"):
            continue
        parts = (first_button(call.params) or "").split(":")
        if len(parts) == 3 and parts[0] == "fu":
            tokens.append(parts[1])
    return tokens


async def wait_for_arrivals(api: FakeBotApi, distinct: int, within: float) -> None:
    """Until ``distinct`` different check-ins arrived at the fake API."""
    await asyncio.to_thread(
        api.wait_for, lambda calls: len(set(check_in_tokens(calls))) >= distinct, timeout=within
    )


async def arrivals_by_follow_up(
    api: FakeBotApi, sessions: async_sessionmaker[AsyncSession]
) -> Counter[int]:
    """How often each follow-up's message arrived (every token must be a follow-up's)."""
    async with sessions() as session:
        rows = await session.exec(
            select(col(ActionToken.token), col(ActionToken.follow_up_id)).where(
                col(ActionToken.follow_up_id).is_not(None)
            )
        )
        follow_up_of = {token: follow_up for token, follow_up in rows.all()}
    tokens = check_in_tokens(api.sent())
    assert set(tokens) <= follow_up_of.keys()
    return Counter(int(follow_up_of[token] or 0) for token in tokens)


async def check_ins(sessions: async_sessionmaker[AsyncSession]) -> dict[int, FollowUp]:
    """The seeded check-ins by id (the bots also plan makers' freshness checks, not yet due)."""
    async with sessions() as session:
        query = select(FollowUp).where(col(FollowUp.kind) == CHECK_IN)
        return {row.id or 0: row for row in (await session.exec(query)).all()}


async def count_sent(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        query = select(func.count()).where(
            col(FollowUp.kind) == CHECK_IN, col(FollowUp.status) == FollowUpStatus.SENT.value
        )
        return int((await session.exec(query)).one())


async def count_outbox(sessions: async_sessionmaker[AsyncSession], status: OutboxStatus) -> int:
    async with sessions() as session:
        query = select(func.count()).where(col(Outbox.status) == status.value)
        return int((await session.exec(query)).one())


async def poll(condition: Callable[[], Awaitable[bool]], *, within: float, what: str) -> None:
    """Until ``condition`` holds (a database state another process commits), or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await condition():
        if loop.time() > deadline:
            raise TimeoutError(f"not within {within} s: {what}")
        await asyncio.sleep(0.1)  # the other process gives no signal to wait on


async def wait_all_sent(sessions: async_sessionmaker[AsyncSession], count: int) -> None:
    """Telegram's answer comes before the sender commits ``sent``: wait for the commit."""

    async def done() -> bool:
        return await count_sent(sessions) >= count

    await poll(done, within=30, what=f"{count} follow-ups marked sent")


def claimed_in(log: str) -> int:
    """Rows this process's dispatcher claimed, from its cycle log lines."""
    return sum(int(n) for n in re.findall(r"follow-ups: .*?(\d+) claimed", log))


# -- the tests ----------------------------------------------------------------------------------


@pytest.mark.postgres
async def test_two_processes_on_one_postgres_send_each_of_500_check_ins_exactly_once(
    tmp_path: Path,
    api: FakeBotApi,
    postgres_url: str,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # The two processes share Telegram's 30 messages a second: 500 take about 17 s.
    rows = 500
    await seed_due_checkins(sessions, rows, now=datetime.now(UTC), makers_per=1)
    bots = [Bot(tmp_path, api, postgres_url, f"bot{n}") for n in range(2)]
    try:
        await wait_for_arrivals(api, rows, within=90)
        await wait_all_sent(sessions, rows)
    finally:
        for bot in bots:
            if bot.process.poll() is not None:
                pytest.fail(f"{bot.log_path.name} exited early:\n{bot.log()[-3000:]}")
        logs = await stop_all(bots)
        for bot in bots:
            bot.ensure_stopped()
    arrived = await arrivals_by_follow_up(api, sessions)
    follow_ups = await check_ins(sessions)
    assert set(arrived) == set(follow_ups) and len(follow_ups) == rows
    doubled = {follow_up: n for follow_up, n in arrived.items() if n != 1}
    assert not doubled, f"sent more than once: {doubled}"
    assert {row.status for row in follow_ups.values()} == {FollowUpStatus.SENT.value}
    # Each row was claimed by exactly one of the two dispatchers.
    assert sum(claimed_in(log) for log in logs) == rows


async def test_kill_9_while_sending_loses_no_check_in(
    tmp_path: Path,
    api: FakeBotApi,
    sqlite_url: str,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The first process is killed with some check-ins sent and others claimed but unsent; the
    second sends every one that is left, after the lease, and repeats at most the one in flight.
    """
    rows = 200
    await seed_due_checkins(sessions, rows, now=datetime.now(UTC), makers_per=1)
    first = Bot(tmp_path, api, sqlite_url, "first")
    second: Bot | None = None
    try:
        # The sender claims 50 messages a batch and sends 30 a second: the 30th is mid-batch.
        await wait_for_arrivals(api, 30, within=30)
        first.kill()
        assert len(set(check_in_tokens(api.sent()))) < rows, "the kill came too late"
        assert await count_outbox(sessions, OutboxStatus.SENDING) > 0, "no batch was cut short"
        second = Bot(tmp_path, api, sqlite_url, "second")
        await wait_for_arrivals(api, rows, within=60)
        await wait_all_sent(sessions, rows)
        await asyncio.to_thread(second.stop)
    finally:
        first.ensure_stopped()
        if second is not None:
            second.ensure_stopped()
    arrived = await arrivals_by_follow_up(api, sessions)
    follow_ups = await check_ins(sessions)
    assert set(arrived) == set(follow_ups) and len(follow_ups) == rows  # none lost
    duplicates = sum(n - 1 for n in arrived.values())
    assert duplicates <= DOUBLE_SENDS_PER_KILL, {k: n for k, n in arrived.items() if n > 1}
    assert {row.status for row in follow_ups.values()} == {FollowUpStatus.SENT.value}


async def test_check_in_due_while_stopped_is_sent_once_after_the_restart(
    tmp_path: Path,
    api: FakeBotApi,
    sqlite_url: str,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A check-in fell due while no bot ran: the next start sends it; the start after that (a
    dispatcher cycle later, proven by a second check-in it sends) does not send it again."""
    now = datetime.now(UTC)
    await seed_due_checkins(sessions, 1, now=now)  # due a day ago, nobody running
    [first_id] = await check_ins(sessions)
    bot = Bot(tmp_path, api, sqlite_url, "first")
    try:
        await wait_for_arrivals(api, 1, within=30)
        await wait_all_sent(sessions, 1)
        first_log = await asyncio.to_thread(bot.stop)
    finally:
        bot.ensure_stopped()
    assert claimed_in(first_log) == 1
    # Due while stopped again: a second check-in, to someone else.
    await seed_due_checkins(sessions, 1, now=now, first_chat=1)
    bot = Bot(tmp_path, api, sqlite_url, "second")
    try:
        await wait_for_arrivals(api, 2, within=30)
        await wait_all_sent(sessions, 2)
        second_log = await asyncio.to_thread(bot.stop)
    finally:
        bot.ensure_stopped()
    assert claimed_in(second_log) == 1  # the new one only
    arrived = await arrivals_by_follow_up(api, sessions)
    follow_ups = await check_ins(sessions)
    assert arrived == Counter(dict.fromkeys(follow_ups, 1))
    assert arrived[first_id] == 1
    assert len(api.sent()) == 2  # nothing else went out either
    assert follow_ups[first_id].status == FollowUpStatus.SENT.value
    assert follow_ups[first_id].attempts == 1
