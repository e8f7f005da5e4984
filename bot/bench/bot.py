"""``spok-bot bench bot``: how long the bot takes per update, without the network.

A real ``Application`` runs on :class:`~bot.bench.offline.RecordingRequest` (every Bot API
call answered instantly) and the real dialogue on a scratch database. N simulated designers walk
the scripted request (:func:`~bot.bench.scripted.designer_journey`) at the same time, each
sending its next update as soon as the previous one was answered. Timed per update: from
``process_update`` starting to the last reply having been sent. The baseline, in the same run,
is the same transport with a dialogue that answers at once (what PTB and rendering cost alone).

Between two updates a designer pauses for a think time (uniform between half and one and a half
times ``think_ms``; people read and type, so 1 s is quick). ``think_ms=0`` is the worst case: all
designers send their next update the instant the previous one was answered, so 50 designers
keep 50 updates in flight at all times.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from telegram import Update
from telegram.ext import Application

from bot.bench.offline import RecordingRequest, running_offline
from bot.bench.scripted import Sent, SimulatedPerson, designer_journey, play
from services.dialogue.contract import Incoming, Outcome
from services.messages import Button, Reply
from services.runtime import Runtime, start_runtime
from storage.engine import display_url, normalise_url

TOKEN = "1:bench-token-never-sent"
TARGET_P95_MS = 50.0
BASELINE_UPDATES = 4  # per designer: the instant dialogue varies little
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class BotBenchResult:
    database: str  # "sqlite" or "postgresql"
    designers: int
    think_ms: float
    updates: int
    median_ms: float
    p95_ms: float
    max_ms: float
    baseline_median_ms: float
    baseline_p95_ms: float
    seconds: float

    @property
    def target_met(self) -> bool:
        return self.p95_ms <= TARGET_P95_MS


def as_dict(result: BotBenchResult) -> dict[str, Any]:
    return {**asdict(result), "target_p95_ms": TARGET_P95_MS, "target_met": result.target_met}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _timed_deliverer(
    app: Application,
    request: RecordingRequest,
    chat_id: int,
    latencies: list[float] | None,
    think_ms: float = 0.0,
) -> Callable[[dict[str, Any], str], Any]:
    pauses = random.Random(chat_id)

    async def deliver(update: dict[str, Any], expect: str) -> list[Sent]:
        if think_ms > 0:  # the person reads the last answer and types (simulated time)
            await asyncio.sleep(think_ms * pauses.uniform(0.5, 1.5) / 1000)
        mark = len(request.calls)
        parsed = Update.de_json(update, app.bot)
        started = time.perf_counter()
        await app.process_update(parsed)
        if latencies is not None:
            latencies.append((time.perf_counter() - started) * 1000)
        return [
            Sent(c.params.get("text") or c.params.get("caption", ""), c.params.get("reply_markup"))
            for c in request.calls[mark:]
            if c.method in ("sendMessage", "sendPhoto") and c.params.get("chat_id") == chat_id
        ]

    return deliver


async def _walk(
    app: Application,
    request: RecordingRequest,
    first_user_id: int,
    designers: int,
    latencies: list[float] | None,
    think_ms: float = 0.0,
) -> None:
    async def one(number: int) -> None:
        language = "sv" if number % 2 == 0 else "en"
        person = SimulatedPerson(first_user_id + number, language_code=language, first_name="Bo")
        deliver = _timed_deliverer(app, request, person.user_id, latencies, think_ms)
        await play(person, designer_journey(language), deliver, language=language)

    await asyncio.gather(*(one(number) for number in range(designers)))


async def _baseline(designers: int, updates_each: int, think_ms: float) -> list[float]:
    reply = Reply("<b>ok</b>", buttons=((Button("Nästa", "next"),),))

    class Instant:
        async def handle(self, incoming: Incoming, *, session: object = None) -> Outcome:
            return Outcome(replies=(reply,))

    latencies: list[float] = []
    async with running_offline(Runtime(Instant()), token=TOKEN) as (app, request):

        async def one(number: int) -> None:
            person = SimulatedPerson(900_000 + number, language_code="sv", first_name="Bo")
            deliver = _timed_deliverer(app, request, person.user_id, latencies, think_ms)
            for _ in range(updates_each):
                await deliver(person.text("hej"), "")

        await asyncio.gather(*(one(number) for number in range(designers)))
    return latencies


async def bench_database(
    database_url: str, database: str, designer_counts: list[int], *, think_ms: float
) -> list[BotBenchResult]:
    """Every designer count on one database (migrated and seeded with the demo catalogue)."""
    # Dozens of designers ask the same makers within seconds: with a hub's weekly cap their
    # picks would be taken back; the bench measures latency, the reciprocal reads included.
    runtime = await start_runtime(database_url, seed_demo_if_empty=True, weekly_cap=1_000_000)
    results = []
    try:
        async with running_offline(runtime, token=TOKEN) as (app, request):
            await _walk(app, request, 1_000, 1, None)  # warm-up: caches, first queries
            first_user = 10_000
            for designers in designer_counts:
                latencies: list[float] = []
                started = time.perf_counter()
                await _walk(app, request, first_user, designers, latencies, think_ms)
                seconds = time.perf_counter() - started
                first_user += designers
                request.clear()
                baseline = await _baseline(designers, BASELINE_UPDATES, think_ms)
                results.append(
                    BotBenchResult(
                        database=database,
                        designers=designers,
                        think_ms=think_ms,
                        updates=len(latencies),
                        median_ms=statistics.median(latencies),
                        p95_ms=percentile(latencies, 0.95),
                        max_ms=max(latencies),
                        baseline_median_ms=statistics.median(baseline),
                        baseline_p95_ms=percentile(baseline, 0.95),
                        seconds=seconds,
                    )
                )
    finally:
        await runtime.close()
    return results


async def bench_sqlite(designer_counts: list[int], *, think_ms: float) -> list[BotBenchResult]:
    with tempfile.TemporaryDirectory(prefix="spok-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        return await bench_database(url, "sqlite", designer_counts, think_ms=think_ms)


class PostgresUnavailable(Exception):
    pass


async def bench_postgres(
    server_url: str, designer_counts: list[int], *, think_ms: float
) -> list[BotBenchResult]:
    """On a scratch database created on ``server_url``'s server and dropped afterwards."""
    async with scratch_postgres(server_url) as url:
        return await bench_database(url, "postgresql", designer_counts, think_ms=think_ms)


@asynccontextmanager
async def scratch_postgres(server_url: str) -> AsyncIterator[str]:
    """The URL of a new, empty database on ``server_url``'s server, dropped afterwards;
    :class:`PostgresUnavailable` when the server cannot be reached."""
    server = normalise_url(server_url)
    name = f"spok_bench_{secrets.token_hex(4)}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        await admin.dispose()
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise PostgresUnavailable(f"{display_url(server)}: {detail}") from None
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def row(result: BotBenchResult) -> str:
    verdict = "met" if result.target_met else "MISSED"
    return (
        f"{result.database:<10} {result.designers:>3} designer(s), "
        f"think {result.think_ms:.0f} ms | {result.updates:>4} updates | "
        f"median {result.median_ms:6.1f} ms, p95 {result.p95_ms:6.1f} ms, "
        f"max {result.max_ms:6.1f} ms | transport alone: median "
        f"{result.baseline_median_ms:.2f} ms, p95 {result.baseline_p95_ms:.2f} ms | "
        f"p95 <= {TARGET_P95_MS:.0f} ms: {verdict}"
    )
