"""``spok-bot bench followups``: claiming and delivering due check-ins, database to fake Telegram.

On a scratch database (a SQLite file in a temporary folder; a PostgreSQL database created and
dropped) N due check-ins are seeded in bulk: fictional designers and makers with Telegram ids,
their requests and introductions, and for each introduction the 7-day check-in to both sides.
Then, in this order and on the same rows:

1. **baselines**: a read-only ``SELECT`` of the due rows and everything their messages need
   (follow-up ⋈ introduction ⋈ request ⋈ designer ⋈ maker), in batches, writing nothing; and
   the dispatcher itself with one row per transaction, time-boxed (each on a connection pool
   of its own, so nothing they leave in PostgreSQL's plan cache reaches the measured claim);
2. **claim**: :func:`services.followups.dispatch_due` batch after batch (claim, build the
   message and its button token, queue it in the outbox, one transaction each) until nothing is
   due — rows per second and the median batch;
3. **limiting on**: :class:`~bot.telegram.transport.sender.OutboxSender` with Telegram's
   limits (30 a second overall, 1 a second per chat) against the local fake Bot API, time-boxed
   (all 100,000 would take most of an hour): on PostgreSQL the limits every bot process shares
   in the database, on SQLite this process's (as the bot runs them); the fake API time-stamps
   every send, so the achieved rate and the busiest second (overall and per chat) are counted
   where Telegram would count them (``spok-bot bench limits`` measures what sharing costs);
4. **limiting off**: the same sender with limiting off delivers every message that is left —
   messages per second, end to end over HTTP — and every follow-up must arrive exactly once and
   end ``sent``.

The fake Bot API runs in a process of its own by default: in a thread of this process its HTTP
handling competes with the sender for the GIL and the delivery rate measures that contention,
not the bot (``--fake-api thread`` shows the difference).
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import secrets
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot

from bot.bench.bot import DEFAULT_POSTGRES_URL, PostgresUnavailable, percentile
from bot.bench.fake_bot_api import FakeBotApi, chat_and_button
from bot.telegram.transport.sender import OutboxSender
from services.followups import FollowUpPolicy, WorkingHours, dispatch_due
from services.limits import NoLimits, SendLimiter
from storage.engine import create_engine, display_url, normalise_url, session_factory
from storage.migrate import upgrade
from storage.models import (
    ActionToken,
    Designer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Introduction,
    IntroductionStatus,
    Maker,
    MatchRequest,
    RequestStatus,
)

__all__ = [
    "DEFAULT_POSTGRES_URL",
    "FollowUpBenchResult",
    "PostgresUnavailable",
    "as_dict",
    "bench_postgres",
    "bench_sqlite",
    "lines",
    "seed_due_checkins",
]

TOKEN = "1:bench-followups-token"
CLAIM_TARGET_PER_S = 2_000.0
OVERALL_PER_SECOND = 30  # Telegram's limits, as services.limits enforces them
CHAT_PER_SECOND = 1
INTRODUCTIONS_PER_MAKER = 10
DESIGNER_CHATS = 3_000_000_000  # fictional private chat ids: designers from here,
MAKER_CHATS = 4_000_000_000  # makers from here
SEED_CHUNK = 5_000
SIDES = ("designer", "maker")
SINGLE_ROW_SECONDS = 2.0  # the one-row-per-transaction baseline is time-boxed
SINGLE_ROW_MAX = 1_000


# -- seeding ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    follow_ups: int
    introductions: int
    designers: int
    makers: int


async def seed_due_checkins(
    sessions: async_sessionmaker[AsyncSession],
    count: int,
    *,
    now: datetime,
    first_chat: int = 0,
    makers_per: int = INTRODUCTIONS_PER_MAKER,
    clustered: bool = False,
) -> Seeded:
    """``count`` due 7-day check-ins in bulk, on a database with no follow-ups yet.

    Each introduction has a designer of its own and shares its maker with ``makers_per - 1``
    others: spread over the whole run (introduction ``i`` has maker ``i % makers``), or
    ``clustered`` (``makers_per`` introductions in a row share one, so that maker's check-ins
    fall due together and its chat's limit, 1 message a second, holds them back). Both sides
    have Telegram chats, so the dispatcher queues a message for every row. Check-ins come in
    pairs (designer side, maker side); an odd ``count`` ends with a designer side alone. Due
    times are a millisecond apart, a day ago. ``first_chat`` shifts the fictional chat ids
    (several seeds in one database). The database is analysed afterwards: PostgreSQL plans the
    claim differently without statistics (see ``oversized_batches``)."""
    introductions = (count + 1) // 2
    makers = max(1, -(-introductions // makers_per))
    async with sessions() as session:
        base = {
            table: await _next_id(session, table)
            for table in (Designer, Maker, MatchRequest, Introduction, FollowUp)
        }
        introduced = now - timedelta(days=8)
        maker_template = Maker(
            external_id="x", name="x", municipality_code="0180", lat=59.33, lon=18.06
        ).model_dump(exclude={"id"})
        maker_rows = [
            maker_template
            | {
                "id": base[Maker] + i,
                "external_id": f"bench-{first_chat}-{i}",
                "name": f"Verkstad {i}",
                "telegram_user_id": MAKER_CHATS + first_chat + i,
                "created_at": introduced,
                "updated_at": introduced,
            }
            for i in range(makers)
        ]
        designer_rows = [
            {
                "id": base[Designer] + i,
                "telegram_user_id": DESIGNER_CHATS + first_chat + i,
                "name": f"Formgivare {i}",
                "language": "sv" if i % 2 == 0 else "en",
                "created_at": introduced,
            }
            for i in range(introductions)
        ]
        request_template = MatchRequest(text="x").model_dump(exclude={"id"})
        request_rows = [
            request_template
            | {
                "id": base[MatchRequest] + i,
                "designer_id": base[Designer] + i,
                "text": f"Fictional request {i}: 200 stools in oiled oak",
                "status": RequestStatus.SUBMITTED.value,
                "created_at": introduced,
                "updated_at": introduced,
            }
            for i in range(introductions)
        ]
        introduction_template = Introduction(request_id=0, maker_id=0).model_dump(exclude={"id"})
        introduction_rows = [
            introduction_template
            | {
                "id": base[Introduction] + i,
                "request_id": base[MatchRequest] + i,
                "maker_id": base[Maker] + (i // makers_per if clustered else i % makers),
                "status": IntroductionStatus.INTERESTED.value,
                "introduced_at": introduced,
                "created_at": introduced,
                "updated_at": introduced,
            }
            for i in range(introductions)
        ]
        due = now - timedelta(days=1)
        kind = FollowUpKind.CHECKIN_CONTACT.value
        follow_up_rows = [
            {
                "id": base[FollowUp] + n,
                "introduction_id": base[Introduction] + n // 2,
                "kind": kind,
                "side": SIDES[n % 2],
                "due_at": due + timedelta(milliseconds=n),
                "status": FollowUpStatus.PENDING.value,
                "attempts": 0,
                "created_at": introduced,
                "dedupe_key": f"{kind}:{base[Introduction] + n // 2}:{SIDES[n % 2]}",
            }
            for n in range(count)
        ]
        for table, rows in (
            (Maker, maker_rows),
            (Designer, designer_rows),
            (MatchRequest, request_rows),
            (Introduction, introduction_rows),
            (FollowUp, follow_up_rows),
        ):
            for start in range(0, len(rows), SEED_CHUNK):
                await session.exec(insert(table), params=rows[start : start + SEED_CHUNK])
        if session.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequences
            for table in (Designer, Maker, MatchRequest, Introduction, FollowUp):
                name = table.__tablename__
                await (await session.connection()).execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT max(id) FROM {name}))"
                    )
                )
        await session.commit()
    async with sessions() as session:  # statistics, as a table this size would have by now
        await (await session.connection()).execute(text("ANALYZE"))
        await session.commit()
    return Seeded(count, introductions, introductions, makers)


async def _next_id(session: AsyncSession, table: Any) -> int:
    highest = (await session.exec(select(func.max(col(table.id))))).one()
    return int(highest or 0) + 1


# -- the fake Bot API, in a thread or a process of its own -------------------------------------


@dataclass(frozen=True)
class Send:
    chat_id: int
    button: str | None
    at: float  # when it arrived at the fake API, seconds since the epoch


# The fake API stamps calls with time.monotonic() (one clock for all processes on a machine).
_EPOCH_OFFSET = time.time() - time.monotonic()


class FakeApi(Protocol):
    base_url: str
    where: str

    def sends(self) -> list[Send]: ...


class _ThreadApi:
    where = "thread"

    def __init__(self, api: FakeBotApi) -> None:
        self._api = api
        self.base_url = api.base_url

    def sends(self) -> list[Send]:
        return [_send(c.params, c.at) for c in self._api.sent()]


class _ProcessApi:
    where = "process"

    def __init__(self, connection: Connection, base_url: str) -> None:
        self._connection = connection
        self.base_url = base_url

    def sends(self) -> list[Send]:
        self._connection.send("sends")
        records: list[tuple[dict[str, Any], float]] = self._connection.recv()
        return [_send(params, at) for params, at in records]


def _send(params: dict[str, Any], at: float) -> Send:
    return Send(int(params["chat_id"]), params.get("button"), at + _EPOCH_OFFSET)


def _serve(token: str, connection: Connection) -> None:  # pragma: no cover - child process
    with FakeBotApi(token, keep=chat_and_button) as api:
        connection.send(api.base_url)
        while (command := connection.recv()) != "stop":
            if command == "sends":
                connection.send([(c.params, c.at) for c in api.sent()])


@contextmanager
def fake_api(where: str) -> Iterator[FakeApi]:
    """The fake Bot API (loopback only) in a ``"thread"`` of this process or a ``"process"``."""
    if where == "thread":
        with FakeBotApi(TOKEN, keep=chat_and_button) as api:
            yield _ThreadApi(api)
        return
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_serve, args=(TOKEN, theirs), daemon=True)
    child.start()
    try:
        if not ours.poll(30):
            raise RuntimeError("the fake Bot API process did not start")
        yield _ProcessApi(ours, ours.recv())
    finally:
        with suppress(OSError):
            ours.send("stop")
        child.join(10)
        if child.is_alive():
            child.kill()
            child.join()


# -- measuring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpBenchResult:
    database: str
    rows: int
    batch_size: int
    clustered: bool
    fake_api: str  # "process" or "thread"
    seed_s: float
    # baselines
    select_rows_per_s: float
    single_rows: int
    single_rows_per_s: float
    # claim: dispatch_due batches
    claimed: int
    claim_s: float
    claim_rows_per_s: float
    claim_median_batch_ms: float
    claim_p95_batch_ms: float
    # dispatch_due calls (baseline and batches) that claimed more rows than their limit
    oversized_batches: int
    # delivery with limiting on, time-boxed
    limited_seconds: float
    limited_sent: int
    limited_per_s: float
    limited_max_per_second: int  # the busiest clock second at the fake API, all chats
    limited_max_to_one_chat_per_second: int  # the busiest clock second for one chat
    limited_shortest_span_s: float | None  # the least time any LIMIT + 1 sends in a row took
    limited_min_gap_one_chat_s: float | None  # the closest two sends to one chat
    # delivery with limiting off, everything left
    delivered: int
    delivery_s: float
    delivery_per_s: float
    distinct_follow_ups: int
    duplicates: int
    follow_ups_sent: int

    @property
    def claim_target_met(self) -> bool:
        return self.claim_rows_per_s >= CLAIM_TARGET_PER_S

    @property
    def within_limits(self) -> bool:
        return (
            self.limited_max_per_second <= OVERALL_PER_SECOND
            and self.limited_max_to_one_chat_per_second <= CHAT_PER_SECOND
        )


def as_dict(result: FollowUpBenchResult) -> dict[str, Any]:
    return {
        **asdict(result),
        "claim_target_rows_per_s": CLAIM_TARGET_PER_S,
        "claim_target_met": result.claim_target_met,
        "within_limits": result.within_limits,
    }


def busiest_second(times: Sequence[float]) -> int:
    """The most events in one clock second (``times`` in seconds since the epoch).

    >>> busiest_second([10.2, 10.9, 11.0, 11.5, 11.99])
    3
    """
    return max(Counter(int(moment) for moment in times).values(), default=0)


def shortest_span(times: Sequence[float], events: int) -> float | None:
    """The least time from the first to the last of any ``events`` consecutive events
    (``times`` sorted); ``None`` if there are fewer.

    >>> round(shortest_span([0.0, 0.4, 1.0, 1.1], 3), 3)
    0.7
    """
    spans = [times[i + events - 1] - times[i] for i in range(len(times) - events + 1)]
    return min(spans, default=None)


def _policy(batch_size: int) -> FollowUpPolicy:
    return FollowUpPolicy(hours=WorkingHours(always=True), batch_size=batch_size)


async def _select_baseline(sessions: async_sessionmaker[AsyncSession], batch_size: int) -> float:
    """Read the due rows and what their messages need (introduction, request, designer; the
    batch's makers), batch by batch, writing nothing."""
    now = datetime.now(UTC)
    rows = 0
    after: tuple[datetime, int] | None = None
    started = time.perf_counter()
    while True:
        async with sessions() as session:
            query = (
                select(FollowUp, Introduction, MatchRequest, Designer)
                .join(Introduction, col(Introduction.id) == col(FollowUp.introduction_id))
                .join(MatchRequest, col(MatchRequest.id) == col(Introduction.request_id))
                .join(Designer, col(Designer.id) == col(MatchRequest.designer_id))
                .where(
                    col(FollowUp.status) == FollowUpStatus.PENDING.value,
                    col(FollowUp.due_at) <= now,
                )
                .order_by(col(FollowUp.due_at), col(FollowUp.id))
                .limit(batch_size)
            )
            if after is not None:
                query = query.where(
                    (col(FollowUp.due_at) > after[0])
                    | ((col(FollowUp.due_at) == after[0]) & (col(FollowUp.id) > after[1]))
                )
            batch = (await session.exec(query)).all()
            maker_ids = sorted({introduction.maker_id for _, introduction, _, _ in batch})
            (await session.exec(select(Maker).where(col(Maker.id).in_(maker_ids)))).all()
        if not batch:
            break
        rows += len(batch)
        last = batch[-1][0]
        assert last.id is not None
        after = (last.due_at, last.id)
    return rows / (time.perf_counter() - started)


async def _single_row_baseline(
    sessions: async_sessionmaker[AsyncSession], total: int
) -> tuple[int, float, int]:
    """The dispatcher with one row per transaction (what per-row claiming costs), on at most
    a tenth of the rows and for a couple of seconds."""
    policy = _policy(1)
    most = max(1, min(SINGLE_ROW_MAX, total // 10))
    rows = oversized = 0
    started = time.perf_counter()
    while rows < most and time.perf_counter() - started < SINGLE_ROW_SECONDS:
        async with sessions() as session:
            report = await dispatch_due(session, now=datetime.now(UTC), policy=policy, limit=1)
            await session.commit()
        if not report.claimed:
            break
        rows += report.claimed
        oversized += report.claimed > 1
    return rows, rows / (time.perf_counter() - started), oversized


async def _claim_all(
    sessions: async_sessionmaker[AsyncSession], batch_size: int
) -> tuple[int, float, list[float], int]:
    policy = _policy(batch_size)
    claimed = oversized = 0
    batches: list[float] = []
    started = time.perf_counter()
    while True:
        batch_started = time.perf_counter()
        async with sessions() as session:
            report = await dispatch_due(session, now=datetime.now(UTC), policy=policy)
            await session.commit()
        if report.claimed:
            batches.append((time.perf_counter() - batch_started) * 1000)
        claimed += report.claimed
        oversized += report.claimed > batch_size
        if report.claimed < batch_size:
            break
    return claimed, time.perf_counter() - started, batches, oversized


async def _deliver_limited(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], api: FakeApi, seconds: float
) -> tuple[list[Send], float]:
    """Send with Telegram's limits for ``seconds``, then stop the sender as the bot would: the
    limits in the database on PostgreSQL (as every bot process shares them), in memory on
    SQLite (one process)."""
    before = len(api.sends())
    postgres = engine.dialect.name == "postgresql"
    limits = SendLimiter.on_database(engine) if postgres else SendLimiter.in_memory()
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        sender = OutboxSender(bot, sessions, limits=limits)
        started = time.perf_counter()
        work = asyncio.create_task(sender.run_until_idle())
        with suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(work), timeout=seconds)
        await sender.stop()  # what was claimed but not tried goes back to the table
        await work
        elapsed = time.perf_counter() - started
    return api.sends()[before:], elapsed


async def _deliver_unlimited(
    sessions: async_sessionmaker[AsyncSession], api: FakeApi
) -> tuple[int, float]:
    before = len(api.sends())
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        sender = OutboxSender(bot, sessions, limits=NoLimits())
        started = time.perf_counter()
        await sender.run_until_idle()  # rows handed back for a chat's next slot come due soon
        elapsed = time.perf_counter() - started
    return len(api.sends()) - before, elapsed


async def _follow_ups_by_button(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Each check-in's button token → its follow-up id."""
    async with sessions() as session:
        rows = await session.exec(
            select(col(ActionToken.token), col(ActionToken.follow_up_id)).where(
                col(ActionToken.follow_up_id).is_not(None)
            )
        )
        return {token: int(follow_up) for token, follow_up in rows.all() if follow_up}


async def _count_sent(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        count = await session.exec(
            select(func.count())
            .select_from(FollowUp)
            .where(col(FollowUp.status) == FollowUpStatus.SENT.value)
        )
        return int(count.one())


def _token_of(button: str | None) -> str | None:
    parts = (button or "").split(":")
    return parts[1] if len(parts) == 3 and parts[0] == "fu" else None


@asynccontextmanager
async def _engine_for(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(url)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def bench_database(
    url: str,
    database: str,
    *,
    rows: int,
    batch_size: int,
    limited_seconds: float,
    api_where: str,
    clustered: bool = False,
) -> FollowUpBenchResult:
    await upgrade(url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        started = time.perf_counter()
        await seed_due_checkins(sessions, rows, now=datetime.now(UTC), clustered=clustered)
        seed_s = time.perf_counter() - started
        # The baselines run on engines of their own: on PostgreSQL, asyncpg's prepared statements
        # are per connection, and one-row claims on the measured pool turn the claim's cached
        # plan generic (a due_at index scan past every claimed row: quadratic, ~1,300 rows/s).
        async with _engine_for(url) as baseline:
            select_per_s = await _select_baseline(baseline, batch_size)
        async with _engine_for(url) as baseline:
            single_rows, single_per_s, oversized = await _single_row_baseline(baseline, rows)
        claimed, claim_s, batches, oversized_claims = await _claim_all(sessions, batch_size)
        with fake_api(api_where) as api:
            limited, limited_s = await _deliver_limited(engine, sessions, api, limited_seconds)
            delivered, delivery_s = await _deliver_unlimited(sessions, api)
            every_send = api.sends()
        by_button = await _follow_ups_by_button(sessions)
        arrivals = Counter(by_button.get(_token_of(s.button) or "") for s in every_send)
        arrivals.pop(None, None)
        follow_ups_sent = await _count_sent(sessions)
    finally:
        await engine.dispose()
    times = sorted(s.at for s in limited)
    to_chat: dict[int, list[float]] = defaultdict(list)
    for send in sorted(limited, key=lambda s: s.at):
        to_chat[send.chat_id].append(send.at)
    gaps = [b - a for ts in to_chat.values() for a, b in itertools.pairwise(ts)]
    total_claimed = single_rows + claimed
    return FollowUpBenchResult(
        database=database,
        rows=rows,
        batch_size=batch_size,
        clustered=clustered,
        fake_api=api_where,
        seed_s=seed_s,
        select_rows_per_s=select_per_s,
        single_rows=single_rows,
        single_rows_per_s=single_per_s,
        claimed=total_claimed,
        claim_s=claim_s,
        claim_rows_per_s=claimed / claim_s if claim_s else 0.0,
        claim_median_batch_ms=statistics.median(batches) if batches else 0.0,
        claim_p95_batch_ms=percentile(batches, 0.95) if batches else 0.0,
        oversized_batches=oversized + oversized_claims,
        limited_seconds=limited_s,
        limited_sent=len(limited),
        limited_per_s=len(limited) / limited_s if limited_s else 0.0,
        limited_max_per_second=busiest_second(times),
        limited_max_to_one_chat_per_second=max(map(busiest_second, to_chat.values()), default=0),
        limited_shortest_span_s=shortest_span(times, OVERALL_PER_SECOND + 1),
        limited_min_gap_one_chat_s=min(gaps) if gaps else None,
        delivered=delivered,
        delivery_s=delivery_s,
        delivery_per_s=delivered / delivery_s if delivery_s else 0.0,
        distinct_follow_ups=len(arrivals),
        duplicates=sum(n - 1 for n in arrivals.values()),
        follow_ups_sent=follow_ups_sent,
    )


async def bench_sqlite(
    *, rows: int, batch_size: int, limited_seconds: float, api_where: str, clustered: bool = False
) -> FollowUpBenchResult:
    with tempfile.TemporaryDirectory(prefix="spok-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        return await bench_database(
            url,
            "sqlite",
            rows=rows,
            batch_size=batch_size,
            limited_seconds=limited_seconds,
            api_where=api_where,
            clustered=clustered,
        )


@asynccontextmanager
async def scratch_postgres(server_url: str) -> AsyncIterator[str]:
    """A database of its own on ``server_url``'s server, dropped afterwards."""
    server = normalise_url(server_url)
    name = f"spok_bench_{secrets.token_hex(4)}"
    admin: AsyncEngine = create_async_engine(server, isolation_level="AUTOCOMMIT")
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


async def bench_postgres(
    server_url: str,
    *,
    rows: int,
    batch_size: int,
    limited_seconds: float,
    api_where: str,
    clustered: bool = False,
) -> FollowUpBenchResult:
    async with scratch_postgres(server_url) as url:
        return await bench_database(
            url,
            "postgresql",
            rows=rows,
            batch_size=batch_size,
            limited_seconds=limited_seconds,
            api_where=api_where,
            clustered=clustered,
        )


# -- printing ---------------------------------------------------------------------------------


_LIMITS_WHERE = {"sqlite": "in memory", "postgresql": "shared in the database"}


def lines(r: FollowUpBenchResult) -> list[str]:
    verdict = "met" if r.claim_target_met else "MISSED"
    gap = "-" if r.limited_min_gap_one_chat_s is None else f"{r.limited_min_gap_one_chat_s:.3f} s"
    span = "-" if r.limited_shortest_span_s is None else f"{r.limited_shortest_span_s:.3f} s"
    exactly_once = (
        "each exactly once"
        if r.duplicates == 0 and r.distinct_follow_ups == r.claimed
        else f"{r.distinct_follow_ups:,} distinct, {r.duplicates} duplicate(s)"
    )
    return [
        f"{r.database}: {r.rows:,} due check-ins (seeded in {r.seed_s:.1f} s; "
        f"{INTRODUCTIONS_PER_MAKER} introductions a maker, "
        f"{'clustered' if r.clustered else 'spread'}); fake Bot API in its own {r.fake_api}",
        f"  claim (dispatch_due, {r.batch_size} a transaction): {r.claim_rows_per_s:,.0f} rows/s, "
        f"batch median {r.claim_median_batch_ms:.1f} ms, p95 {r.claim_p95_batch_ms:.1f} ms "
        f"({r.claimed:,} claimed) | >= {CLAIM_TARGET_PER_S:,.0f} rows/s: {verdict}"
        + (
            f" | WARNING: {r.oversized_batches} transaction(s) claimed more rows than asked"
            if r.oversized_batches
            else ""
        ),
        f"  baselines: read-only SELECT of the same rows and what they need "
        f"{r.select_rows_per_s:,.0f} rows/s; dispatch_due one row a transaction "
        f"{r.single_rows_per_s:,.0f} rows/s ({r.single_rows} rows)",
        f"  delivery, limiting on ({_LIMITS_WHERE[r.database]}, {r.limited_seconds:.1f} s): "
        f"{r.limited_sent:,} messages, "
        f"{r.limited_per_s:.1f} msg/s | at the fake API, busiest second: "
        f"{r.limited_max_per_second} (limit {OVERALL_PER_SECOND}), to one chat "
        f"{r.limited_max_to_one_chat_per_second} (limit {CHAT_PER_SECOND}) | "
        f"{'within the limits' if r.within_limits else 'OVER THE LIMITS'}; "
        f"any {OVERALL_PER_SECOND + 1} sends in a row took >= {span}, "
        f"two to one chat >= {gap} apart",
        f"  delivery, limiting off: {r.delivered:,} messages in {r.delivery_s:.1f} s, "
        f"{r.delivery_per_s:,.0f} msg/s | {exactly_once}; "
        f"{r.follow_ups_sent:,} follow-ups 'sent'",
    ]
