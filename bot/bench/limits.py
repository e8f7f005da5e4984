"""``spok-bot bench limits``: what holding Telegram's limits across processes costs.

On a scratch PostgreSQL database, outbox senders in processes of their own deliver
notifications to the local fake Bot API (in a process of its own, loopback only), every chat a
different person so only the overall limit can bind. In one run, each case on a freshly filled
outbox:

1. **off**: no limits, one and two processes, every message: the senders' own ceiling;
2. **shared, not binding**: the limits in the database (:class:`~services.limits.SendLimiter`
   on PostgreSQL, as the bot runs) with limits so high they never hold a message back, one and
   two processes, every message: what asking the database for each slot costs;
3. **shared, Telegram's limits**: the same with 30 a second, one and two processes, time-boxed:
   the rate achieved and the busiest second at the fake API;
4. **one process, limits in memory**: what a single elected sender would do (no statements for
   the limits at all), time-boxed.

Round trips to the database (statements, BEGIN, COMMIT, the pool's ping) are counted on the
connections of every sender process (the limiter has a connection pool of its own so its
share is counted apart), and each grant's time is measured where it is asked. Sends are
counted and time-stamped at the fake API, where Telegram would count them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection as Pipe
from typing import Any

from sqlalchemy import Connection, delete, event, func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from telegram import Bot

from bot.bench.bot import DEFAULT_POSTGRES_URL, PostgresUnavailable, percentile
from bot.bench.followups import TOKEN, busiest_second, fake_api, scratch_postgres, shortest_span
from bot.telegram.transport.sender import OutboxSender
from services import outbox
from services.limits import NoLimits, SendLimiter, SendSlots, TelegramLimits
from services.limits.rules import Ask, Verdict
from services.limits.stores import DatabaseStore
from services.messages import Reply
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Outbox, OutboxStatus, TelegramSend, TelegramSendState, utcnow

__all__ = [
    "DEFAULT_POSTGRES_URL",
    "CaseResult",
    "PostgresUnavailable",
    "as_dict",
    "bench_limits",
    "lines",
]

OVERALL_PER_SECOND = 30
FIRST_CHAT = 5_000_000_000  # fictional private chat ids
# "Not binding": limits no sender here can reach, so only the cost of asking remains.
UNBOUND = TelegramLimits(
    overall_per_second=1_000_000,
    private_per_second=1_000_000,
    reply_burst=1_000_000,
    group_per_minute=1_000_000,
)


@dataclass(frozen=True)
class CaseResult:
    case: str  # off, shared-unbound, shared, memory
    processes: int
    messages: int  # delivered in this case
    seconds: float  # first to last arrival at the fake API
    per_s: float
    statements_per_send: float  # every round trip of the sender processes to the database
    limiter_statements_per_send: float  # of which for the limits
    grant_median_ms: float | None
    grant_p95_ms: float | None
    busiest_second: int  # the most sends in any one clock second at the fake API
    shortest_31_s: float | None  # the least time any 31 sends in a row took


@dataclass(frozen=True)
class _Report:
    statements: int
    limiter_statements: int
    grants_ms: list[float]


def as_dict(result: CaseResult) -> dict[str, Any]:
    return asdict(result)


# -- one sender process --------------------------------------------------------------------


def _sender_process(url: str, base_url: str, connection: Pipe) -> None:  # pragma: no cover
    """A sender process for every case in turn: the parent names the case, or "exit"."""
    while (case := connection.recv()) != "exit":
        connection.send(asyncio.run(_send(url, base_url, case, connection)))


async def _send(
    url: str, base_url: str, case: str, connection: Pipe
) -> _Report:  # pragma: no cover - runs in a child process
    """Ready → wait for "go" → send until "stop" → the counts."""
    engine, limiter_engine = create_engine(url), create_engine(url)
    counts = Counter[str]()
    _count_statements(engine, counts, "outbox")
    _count_statements(limiter_engine, counts, "limiter")
    grants: list[float] = []
    limits: SendSlots
    if case == "off":
        limits = NoLimits()
    elif case == "memory":
        limits = SendLimiter.in_memory()
    else:
        store = _TimedStore(DatabaseStore(limiter_engine), grants)
        limits = SendLimiter(store, limits=UNBOUND if case == "shared-unbound" else None)
    try:
        async with Bot(TOKEN, base_url=base_url) as bot:
            sender = OutboxSender(bot, session_factory(engine), limits=limits)
            await sender.seconds_until_next_due()  # connected
            connection.send("ready")
            await asyncio.to_thread(connection.recv)  # go
            work = asyncio.create_task(_drain_until_stopped(sender))
            await asyncio.to_thread(connection.recv)  # the parent says when to stop
            await sender.stop()  # what was claimed but not tried goes back, as the bot does
            await work
    finally:
        await engine.dispose()
        await limiter_engine.dispose()
    return _Report(counts["outbox"] + counts["limiter"], counts["limiter"], grants)


async def _drain_until_stopped(sender: OutboxSender) -> None:  # pragma: no cover - child
    while not sender.stopping:
        await sender.drain()
        await asyncio.sleep(0.02)  # rows handed back come due again soon


def _count_statements(engine: AsyncEngine, counts: Counter[str], key: str) -> None:
    """Every round trip to the server: SQL statements, BEGIN and COMMIT/ROLLBACK (none on an
    autocommit connection), and the pool's ping when a connection is checked out."""

    def statement(*_: object) -> None:
        counts[key] += 1

    def transaction(connection: Connection, *_: object) -> None:
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            counts[key] += 1

    sync = engine.sync_engine
    event.listen(sync, "before_cursor_execute", statement)
    for name in ("begin", "commit", "rollback"):
        event.listen(sync, name, transaction)
    event.listen(sync.pool, "checkout", statement)


class _TimedStore:
    """The database store, each grant timed where it is asked."""

    def __init__(self, store: DatabaseStore, into: list[float]) -> None:
        self.store = store
        self.into = into

    async def grant(self, ask: Ask, limits: TelegramLimits) -> tuple[Verdict, int | None, float]:
        started = time.perf_counter()
        try:
            return await self.store.grant(ask, limits)
        finally:
            self.into.append((time.perf_counter() - started) * 1000)

    async def finish(self, send_id: int, ends_at: float) -> None:
        await self.store.finish(send_id, ends_at)

    async def pause(self, until: float) -> None:
        await self.store.pause(until)


# -- a case ---------------------------------------------------------------------------------


async def _fill(engine: AsyncEngine, messages: int) -> None:
    """An outbox of ``messages`` notifications due now, each to a person of its own; the
    limits' table empty."""
    sessions = session_factory(engine)
    async with sessions() as session:
        for table in (Outbox, TelegramSend, TelegramSendState):
            await session.exec(delete(table))
        now = utcnow()
        for start in range(0, messages, 5_000):
            await outbox.enqueue_many(
                session=session,
                messages=[
                    {
                        "chat_id": FIRST_CHAT + n,
                        "kind": "brief",
                        "payload": outbox.payload_of(Reply(f"hej {n}")),
                    }
                    for n in range(start, min(messages, start + 5_000))
                ],
                now=now,
            )
        await session.commit()


async def _sent(engine: AsyncEngine) -> int:
    async with session_factory(engine)() as session:
        query = select(func.count()).where(col(Outbox.status) == OutboxStatus.SENT.value)
        return int((await session.exec(query)).one())


async def _case(
    engine: AsyncEngine,
    api: Any,
    workers: list[Pipe],
    case: str,
    *,
    messages: int,
    seconds: float | None,
) -> CaseResult:
    """Deliver with one sender in each of ``workers`` until every message arrived
    (``seconds`` None) or for ``seconds``."""
    await _fill(engine, messages)
    before = len(api.sends())
    for pipe in workers:
        pipe.send(case)
    for pipe in workers:  # every sender connected
        if not await asyncio.to_thread(pipe.poll, 60) or pipe.recv() != "ready":
            raise RuntimeError("a sender process did not start")
    for pipe in workers:
        pipe.send("go")
    deadline = time.time() + (seconds if seconds is not None else 600.0)
    while time.time() < deadline:  # the senders say nothing: look at the table
        if await _sent(engine) >= messages:
            break
        await asyncio.sleep(0.1)
    for pipe in workers:
        pipe.send("stop")
    reports: list[_Report] = [await asyncio.to_thread(pipe.recv) for pipe in workers]
    sends = api.sends()[before:]
    times = sorted(send.at for send in sends)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    grants = [ms for report in reports for ms in report.grants_ms]
    count = max(len(sends), 1)
    return CaseResult(
        case=case,
        processes=len(workers),
        messages=len(sends),
        seconds=span,
        per_s=len(sends) / span if span else 0.0,
        statements_per_send=sum(r.statements for r in reports) / count,
        limiter_statements_per_send=sum(r.limiter_statements for r in reports) / count,
        grant_median_ms=statistics.median(grants) if grants else None,
        grant_p95_ms=percentile(grants, 0.95) if grants else None,
        busiest_second=busiest_second(times),
        shortest_31_s=shortest_span(times, OVERALL_PER_SECOND + 1),
    )


async def bench_limits(
    server_url: str, *, messages: int, limited_seconds: float
) -> list[CaseResult]:
    """Every case in order, on one scratch database (see the module docstring)."""
    results: list[CaseResult] = []
    async with scratch_postgres(server_url) as url:
        await upgrade(url)
        engine = create_engine(url)
        try:
            with fake_api("process") as api, _workers(url, api.base_url, 2) as workers:
                for case, processes, seconds in (
                    ("off", 1, None),
                    ("off", 2, None),
                    ("shared-unbound", 1, None),
                    ("shared-unbound", 2, None),
                    ("shared", 1, limited_seconds),
                    ("shared", 2, limited_seconds),
                    ("memory", 1, limited_seconds),
                ):
                    results.append(
                        await _case(
                            engine,
                            api,
                            workers[:processes],
                            case,
                            messages=messages,
                            seconds=seconds,
                        )
                    )
        finally:
            await engine.dispose()
    return results


@contextmanager
def _workers(url: str, base_url: str, count: int) -> Iterator[list[Pipe]]:
    """``count`` sender processes (spawned once: starting one takes seconds)."""
    context = multiprocessing.get_context("spawn")
    pipes, children = [], []
    try:
        for _ in range(count):
            ours, theirs = context.Pipe()
            child = context.Process(
                target=_sender_process, args=(url, base_url, theirs), daemon=True
            )
            child.start()
            pipes.append(ours)
            children.append(child)
        yield pipes
    finally:
        for pipe in pipes:
            with suppress(OSError):
                pipe.send("exit")
        for child in children:
            child.join(30)
            if child.is_alive():
                child.kill()
                child.join()


# -- printing -------------------------------------------------------------------------------

_CASES = {
    "off": "limits off",
    "shared-unbound": "shared in the database, never binding",
    "shared": "shared in the database, Telegram's limits",
    "memory": "in one process's memory (an elected sender), Telegram's limits",
}


def lines(results: list[CaseResult]) -> list[str]:
    out = []
    for r in results:
        grant = (
            f"grant median {r.grant_median_ms:.2f} ms, p95 {r.grant_p95_ms:.2f} ms | "
            if r.grant_median_ms is not None and r.grant_p95_ms is not None
            else ""
        )
        span = "-" if r.shortest_31_s is None else f"{r.shortest_31_s:.3f} s"
        out.append(
            f"{_CASES[r.case]}, {r.processes} process{'es' if r.processes > 1 else ''}: "
            f"{r.messages:,} messages in {r.seconds:.1f} s, {r.per_s:,.1f} msg/s | "
            f"database round trips per send {r.statements_per_send:.2f} "
            f"(limits {r.limiter_statements_per_send:.2f}) | {grant}"
            f"busiest second {r.busiest_second}, any {OVERALL_PER_SECOND + 1} in a row "
            f">= {span}"
        )
    return out
