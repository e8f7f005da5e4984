"""``spok-bot bench bot``: what ``spok-bot run`` costs per update, on its own wiring.

The bot is built exactly as ``spok-bot run`` builds it — :func:`bot.commands.run.dialogue_starter`
and :func:`~bot.commands.run.outbox_starter` (so :func:`services.runtime.start_runtime` with the
hubs and the hub desk, and the outbox sender), the ``Application`` of
:func:`bot.telegram.app.build_application` with every handler group and job — started as
``run_polling`` starts it (initialize, post_init, start) and fed as PTB's poller and webhook feed
it: each update is put on the Application's ``update_queue``. Only the Bot API is replaced, by
an in-process transport that answers every call at once (:class:`Transport`).

Telegram's limits are taken exactly as in production (on PostgreSQL each send's grant is a
statement in the shared table) but set so high that they never hold a message back: the
transport is not Telegram, and 50 designers answered within a second each would otherwise
measure Telegram's 30 messages a second, not the bot.

Per database, in one run:

1. **statements**: one designer per language walks the scripted request alone; after each
   update the bench waits until its whole answer was sent and the database has been quiet for
   a moment, and counts the SQL statements, transactions and connection checkouts (each a
   pre-ping round trip on PostgreSQL) the engine saw meanwhile (SQLAlchemy engine events). An
   *ordinary dialogue update* is any step but the three that do more by design: ``/start``
   (creates the conversation), the search (ranks the makers) and asking for introductions
   (creates them and the makers' briefs).
2. **throughput**: N designers (``--throughput-designers``) with no think time: updates per
   second of this one process.
3. **latency**: each ``--designers`` count with ``--think-ms`` between a designer's updates:
   median, p95 and max from putting the update on the queue to the last message of its answer
   being sent.

The baseline, in the same run and on the same transport and feed: a minimal PTB bot (an
``Application`` with one echo handler), for throughput and latency.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import random
import secrets
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from telegram import Update
from telegram.error import NetworkError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.ext import CallbackQueryHandler as ButtonHandler
from telegram.request import RequestData

from bot.bench.offline import RecordingRequest
from bot.bench.scripted import (
    Move,
    Sent,
    SimulatedPerson,
    answer_shows,
    designer_journey,
    marker,
    update_for,
)
from bot.settings import Settings
from bot.telegram.transport import texts as transport_texts
from services.dialogue.texts import Texts
from services.limits import SendLimiter, TelegramLimits
from services.runtime import Runtime
from storage.engine import display_url, normalise_url

TOKEN = "1:bench-token-never-sent"
TARGET_P95_MS = 50.0
TARGET_STATEMENTS = 4
TARGET_TRANSACTIONS = 1
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
LANGUAGES = ("sv", "en")
# The moves (catalogue keys they expect) that do more than an ordinary step, by design.
_NOT_ORDINARY = {"name.prompt", "results.pick_hint", "introductions.sent"}
QUIET_S = 0.15  # no statement and no message for this long: the update is done
IDLE_S = 2.0  # how long the background is watched with nobody writing
ANSWER_TIMEOUT_S = 30.0
BASELINE_UPDATES = 19  # per designer, as many as a journey
# Limits no bench reaches: every grant is asked for as in production, none waits.
UNBOUNDED = TelegramLimits(
    overall_per_second=10**9,
    private_per_second=10**9,
    reply_burst=10**9,
    group_per_minute=10**9,
)


# -- what is counted ----------------------------------------------------------------------------


# What a transaction did, told by the tables it touched (see :func:`phase_of`).
RECEIVE, HANDLE, DELIVER, POLL, OTHER = (
    "receive",
    "handle",
    "deliver",
    "inbox poll",
    "other",
)
PHASES = (RECEIVE, HANDLE, DELIVER, POLL, OTHER)


@dataclass
class Tally:
    """Statements, transactions and checkouts so far; statements and transactions also by
    phase (counted when a transaction ends). ``POLL`` is background: the inbox's workers
    looking for updates other processes stored, whether or not one is being handled."""

    statements: int = 0
    transactions: int = 0
    checkouts: int = 0
    phase_statements: Counter[str] = field(default_factory=Counter)
    phase_transactions: Counter[str] = field(default_factory=Counter)

    def snapshot(self) -> Tally:
        return Tally(
            self.statements,
            self.transactions,
            self.checkouts,
            Counter(self.phase_statements),
            Counter(self.phase_transactions),
        )

    def since(self, before: Tally) -> Tally:
        return Tally(
            self.statements - before.statements,
            self.transactions - before.transactions,
            self.checkouts - before.checkouts,
            self.phase_statements - before.phase_statements,
            self.phase_transactions - before.phase_transactions,
        )

    @property
    def foreground(self) -> tuple[int, int]:
        """(statements, transactions) without the background polls."""
        return (
            sum(n for phase, n in self.phase_statements.items() if phase != POLL),
            sum(n for phase, n in self.phase_transactions.items() if phase != POLL),
        )


def phase_of(statements: Sequence[str]) -> str:
    """``receive``: the update stored (only inserts into ``inbox``); ``inbox poll``: a worker
    looking for work (only ``inbox``, no insert: on PostgreSQL the claim that found nothing);
    ``handle``: the update's own transaction (a claim with the handlers' statements);
    ``deliver``: sending replies (``outbox``, the shared limits); ``other``: the rest (jobs)."""
    heads = [" ".join(statement.split()).lower() for statement in statements]
    if not heads:
        return OTHER
    inbox = [head for head in heads if " inbox" in head]
    if inbox and len(inbox) == len(heads):
        return RECEIVE if all(head.startswith("insert into inbox") for head in heads) else POLL
    if inbox:
        return HANDLE
    if all(" outbox" in head or "telegram_send" in head for head in heads):
        return DELIVER
    return OTHER


def count_statements(engine: AsyncEngine, tally: Tally) -> None:
    """Every statement, transaction and connection checkout on ``engine`` into ``tally``."""
    sync = engine.sync_engine
    open_transactions: dict[int, list[str]] = {}

    @event.listens_for(sync, "before_cursor_execute")
    def statement(connection: Any, cursor: Any, sql: str, *args: Any) -> None:
        tally.statements += 1
        open_transactions.setdefault(id(connection), []).append(sql)

    @event.listens_for(sync, "begin")
    def begin(connection: Any) -> None:
        tally.transactions += 1
        open_transactions[id(connection)] = []

    def end(connection: Any) -> None:
        statements = open_transactions.pop(id(connection), [])
        phase = phase_of(statements)
        tally.phase_statements[phase] += len(statements)
        tally.phase_transactions[phase] += 1

    event.listen(sync, "commit", end)
    event.listen(sync, "rollback", end)

    @event.listens_for(sync.pool, "checkout")
    def checkout(*args: Any) -> None:
        tally.checkouts += 1


@dataclass(frozen=True)
class StepCost:
    move: str  # what the designer did (see :func:`label`)
    ordinary: bool
    statements: int  # every statement but the background polls
    transactions: int
    checkouts: int  # every one, the polls' included
    by_phase: dict[str, tuple[int, int]]  # phase → (statements, transactions)
    messages: int


_WENT_WRONG = frozenset(transport_texts.text("went_wrong", language) for language in LANGUAGES)


# -- the transport ------------------------------------------------------------------------------


class Transport(RecordingRequest):
    """The in-process Bot API (every call answered at once), which also tells a waiting
    designer when a message reached their chat."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[int, list[Sent]] = defaultdict(list)
        self.changed = asyncio.Event()
        self.messages = 0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        answer = await super().do_request(url, method, request_data)
        call = self.calls.pop()  # keep nothing: a long run would hold every call
        if call.method in ("sendMessage", "sendPhoto"):
            chat = int(call.params.get("chat_id") or 0)
            text_ = call.params.get("text") or call.params.get("caption", "")
            self.answers[chat].append(Sent(text_, call.params.get("reply_markup")))
            self.messages += 1
            self.changed.set()
        return answer

    async def answer(self, chat: int, mark: int, count: int, wanted: str | None) -> list[Sent]:
        """Until ``chat`` got at least ``count`` messages after its first ``mark``, one of them
        showing ``wanted``; those messages."""
        answers = self.answers[chat]
        if any(sent.text in _WENT_WRONG for sent in answers[mark:]):
            raise JourneyBroken("something went wrong")

        def done() -> bool:
            shown = wanted is None or answer_shows(answers[mark:], wanted)
            return len(answers) - mark >= count and shown

        async with asyncio.timeout(ANSWER_TIMEOUT_S):
            while not done():
                self.changed.clear()
                await self.changed.wait()
                if any(sent.text in _WENT_WRONG for sent in answers[mark:]):
                    raise JourneyBroken("something went wrong")
        return answers[mark:]


# -- the bot as ``spok-bot run`` builds it ------------------------------------------------------


@asynccontextmanager
async def running_as_run(
    database_url: str, transport: Transport, tally: Tally, settings: Settings
) -> AsyncIterator[Application]:
    """The production Application on ``database_url`` with ``settings`` (hubs, admins,
    policies), started as ``run_polling`` starts it (minus the polling: the caller puts updates
    on its ``update_queue``)."""
    from bot.commands.run import dialogue_starter, outbox_starter
    from bot.telegram.app import build_application

    # Dozens of designers ask the same makers within seconds: with a hub's weekly cap their
    # picks would be taken back; the bench measures what an update costs, not the cap.
    settings = settings.model_copy(update={"database_url": database_url, "weekly_brief_cap": 1000})
    start = dialogue_starter(database_url, settings)

    async def started() -> Runtime:
        runtime = await start()
        assert runtime.engine is not None
        runtime.limits = unbounded_limits(runtime.engine)
        count_statements(runtime.engine, tally)
        return runtime

    app = build_application(
        TOKEN,
        started,
        request=transport,
        with_updater=False,
        inbox_worker=True,  # as run's updater implies: the inbox's workers handle the updates
        start_outbox=outbox_starter(settings),
        followup_policy=settings.followup_policy(),
    )
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


def unbounded_limits(engine: AsyncEngine) -> SendLimiter:
    """Production's limiter on ``engine`` (the shared table on PostgreSQL), never binding."""
    if engine.dialect.name == "postgresql":
        return SendLimiter.on_database(engine, limits=UNBOUNDED)
    return SendLimiter.in_memory(limits=UNBOUNDED)


# -- designers ----------------------------------------------------------------------------------

Deliver = Callable[[SimulatedPerson, dict[str, Any]], Awaitable[None]]


@dataclass
class Trouble:
    """``refused``: deliveries the bot would not take (its queue raised ``NetworkError``: the
    inbox could not commit them, e.g. SQLite's write lock busy past its timeout); the webhook
    answers 500 and the poller asks again from the same offset, so Telegram delivers them
    again, and so does the bench after :data:`REDELIVER_AFTER_S`. ``broken``: journeys that
    stopped because an answer was "something went wrong" or did not come within
    :data:`ANSWER_TIMEOUT_S`."""

    refused: int = 0
    broken: int = 0


class JourneyBroken(Exception):
    pass


REDELIVER_AFTER_S = 0.1


def feeder(app: Application, trouble: Trouble) -> Deliver:
    async def put(person: SimulatedPerson, update: dict[str, Any]) -> None:
        while True:
            try:
                await app.update_queue.put(Update.de_json(update, app.bot))
                return
            except NetworkError:
                trouble.refused += 1
                await asyncio.sleep(REDELIVER_AFTER_S)

    return put


async def walk(
    person: SimulatedPerson,
    deliver: Deliver,
    transport: Transport,
    expected: Sequence[int],
    *,
    think_ms: float,
    latencies: list[float],
) -> None:
    """One designer's whole request; each update waits for its whole answer (``expected``
    messages, the one the move names among them)."""
    language = person.language_code or "sv"
    texts = Texts(language)
    pauses = random.Random(person.user_id)
    last: list[Sent] = []
    for number, move in enumerate(designer_journey(language)):
        if think_ms > 0:  # the person reads the last answer and types
            await asyncio.sleep(think_ms * pauses.uniform(0.5, 1.5) / 1000)
        update = update_for(person, move, texts, last)
        wanted = marker(texts, move.expect, move.expect_values)
        answers = transport.answers[person.user_id]
        mark = len(answers)
        started = time.perf_counter()
        await deliver(person, update)
        last = await transport.answer(person.user_id, mark, expected[number], wanted)
        latencies.append((time.perf_counter() - started) * 1000)
        del answers[:mark]  # keep the chat's answers short


async def step_costs(
    app: Application,
    transport: Transport,
    tally: Tally,
    first_user: int,
) -> dict[str, list[StepCost]]:
    """Each language's journey walked alone, every update measured on its own."""
    costs: dict[str, list[StepCost]] = {}
    deliver = feeder(app, Trouble())
    for number, language in enumerate(LANGUAGES):
        person = SimulatedPerson(first_user + number, language_code=language, first_name="Bo")
        texts = Texts(language)
        answers = transport.answers[person.user_id]
        last: list[Sent] = []
        steps: list[StepCost] = []
        for move in designer_journey(language):
            update = update_for(person, move, texts, last)
            wanted = marker(texts, move.expect, move.expect_values)
            mark = len(answers)
            before = tally.snapshot()
            await deliver(person, update)
            await transport.answer(person.user_id, mark, 1, wanted)
            await quiet(tally, transport)
            cost = tally.since(before)
            statements, transactions = cost.foreground
            steps.append(
                StepCost(
                    move=label(move),
                    ordinary=move.expect not in _NOT_ORDINARY,
                    statements=statements,
                    transactions=transactions,
                    checkouts=cost.checkouts,
                    by_phase={
                        phase: (cost.phase_statements[phase], cost.phase_transactions[phase])
                        for phase in PHASES
                        if cost.phase_transactions[phase]
                    },
                    messages=len(answers) - mark,
                )
            )
            last = answers[mark:]
        costs[language] = steps
    return costs


def label(move: Move) -> str:
    """``/start``, ``text→company.prompt`` (a text and the question it answers), ``tap
    button.accept``."""
    if move.kind == "command":
        return f"/{move.value}"
    if move.kind in ("text", "location"):
        return f"{move.kind}→{move.expect}"
    return f"tap {move.value}"


async def quiet(tally: Tally, transport: Transport) -> None:
    """Until neither a statement nor a message came for :data:`QUIET_S`."""
    while True:
        statements, messages = tally.statements, transport.messages
        await asyncio.sleep(QUIET_S)
        if (tally.statements, transport.messages) == (statements, messages):
            return


async def designers_walk(
    app: Application,
    transport: Transport,
    expected: dict[str, list[int]],
    *,
    first_user: int,
    designers: int,
    think_ms: float,
    trouble: Trouble,
) -> tuple[list[float], float]:
    """``designers`` walking at once; their update latencies and the seconds it took. A
    journey that breaks off is counted in ``trouble`` and ends there."""
    latencies: list[float] = []
    deliver = feeder(app, trouble)

    async def one(person: SimulatedPerson) -> None:
        try:
            await walk(
                person,
                deliver,
                transport,
                expected[person.language_code or "sv"],
                think_ms=think_ms,
                latencies=latencies,
            )
        except (JourneyBroken, TimeoutError):
            trouble.broken += 1

    people = [
        SimulatedPerson(
            first_user + n, language_code=LANGUAGES[n % len(LANGUAGES)], first_name="Bo"
        )
        for n in range(designers)
    ]
    started = time.perf_counter()
    await asyncio.gather(*(one(person) for person in people))
    return latencies, time.perf_counter() - started


# -- the minimal PTB bot ------------------------------------------------------------------------


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None:
        await message.reply_text(message.text or "ok")


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()


@asynccontextmanager
async def minimal_bot(transport: Transport) -> AsyncIterator[Application]:
    """An Application with one echo handler (and one for buttons), PTB's defaults otherwise."""
    app = ApplicationBuilder().token(TOKEN).request(transport).updater(None).build()
    app.add_handler(MessageHandler(filters.ALL, _echo))
    app.add_handler(ButtonHandler(_pressed))
    async with app:
        await app.start()
        try:
            yield app
        finally:
            await app.stop()


async def baseline_walk(
    app: Application,
    transport: Transport,
    *,
    first_user: int,
    designers: int,
    think_ms: float,
) -> tuple[list[float], float]:
    latencies: list[float] = []

    async def one(number: int) -> None:
        person = SimulatedPerson(first_user + number, language_code="sv", first_name="Bo")
        pauses = random.Random(person.user_id)
        answers = transport.answers[person.user_id]
        for _ in range(BASELINE_UPDATES):
            if think_ms > 0:
                await asyncio.sleep(think_ms * pauses.uniform(0.5, 1.5) / 1000)
            mark = len(answers)
            started = time.perf_counter()
            await app.update_queue.put(Update.de_json(person.text("hej"), app.bot))
            await transport.answer(person.user_id, mark, 1, None)
            latencies.append((time.perf_counter() - started) * 1000)
            del answers[:]

    started = time.perf_counter()
    await asyncio.gather(*(one(number) for number in range(designers)))
    return latencies, time.perf_counter() - started


# -- one database -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    designers: int
    think_ms: float
    updates: int
    median_ms: float
    p95_ms: float
    max_ms: float
    baseline_median_ms: float
    baseline_p95_ms: float
    refused: int = 0  # deliveries the bot's queue refused (see Trouble)
    broken: int = 0  # journeys that broke off (see Trouble)

    @property
    def target_met(self) -> bool:
        return self.p95_ms <= TARGET_P95_MS and not self.broken


@dataclass(frozen=True)
class BotBenchResult:
    database: str  # "sqlite" or "postgresql"
    steps: dict[str, list[StepCost]]  # per language, per update of the journey
    ordinary_statements: float  # median over ordinary dialogue updates
    ordinary_transactions: float
    ordinary_checkouts: float
    ordinary_by_phase: dict[str, tuple[float, float]]  # phase → median (statements, txns)
    walk_statements: float  # per update over the whole walk, every step included
    walk_transactions: float
    idle_polls_per_second: float  # background: the inbox's workers looking for work
    throughput_designers: int
    throughput_updates: int
    updates_per_second: float
    throughput_refused: int  # deliveries the bot's queue refused meanwhile (see Trouble)
    throughput_broken: int  # journeys that broke off (see Trouble)
    baseline_updates_per_second: float
    latencies: list[Latency]
    profile: dict[str, float] | None = None  # share of CPU time by package (--profile)

    @property
    def statements_met(self) -> bool:
        return (
            self.ordinary_statements <= TARGET_STATEMENTS
            and self.ordinary_transactions <= TARGET_TRANSACTIONS
        )


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:  # every journey broke off at its first update
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


async def bench_database(
    database_url: str,
    database: str,
    designer_counts: Sequence[int],
    *,
    think_ms: float,
    throughput_designers: int,
    settings: Settings,
    profile: bool = False,
) -> BotBenchResult:
    """Every measurement on one database (migrated, hubs synced, demo catalogue seeded)."""
    from services.runtime import start_runtime

    seeding = await start_runtime(database_url, seed_demo_if_empty=True)
    await seeding.close()
    tally = Tally()
    transport = Transport()
    async with running_as_run(database_url, transport, tally, settings) as app:
        await quiet(tally, transport)  # the jobs' first round after start
        before = tally.snapshot()
        await asyncio.sleep(IDLE_S)  # nobody writes: what runs anyway
        idle = tally.since(before).phase_statements[POLL] / IDLE_S
        steps = await step_costs(app, transport, tally, first_user=1_000)
        expected = {lang: [step.messages for step in steps[lang]] for lang in LANGUAGES}
        ordinary = [step for lang in LANGUAGES for step in steps[lang] if step.ordinary]
        every = [step for lang in LANGUAGES for step in steps[lang]]
        profiler = cProfile.Profile() if profile else None
        if profiler is not None:
            profiler.enable()
        throughput_trouble = Trouble()
        _, seconds = await designers_walk(
            app,
            transport,
            expected,
            first_user=10_000,
            designers=throughput_designers,
            think_ms=0,
            trouble=throughput_trouble,
        )
        if profiler is not None:
            profiler.disable()
        updates = throughput_designers * len(expected["sv"])
        first_user = 20_000
        walks = []
        for designers in designer_counts:
            trouble = Trouble()
            latencies, _ = await designers_walk(
                app,
                transport,
                expected,
                first_user=first_user,
                designers=designers,
                think_ms=think_ms,
                trouble=trouble,
            )
            first_user += designers
            walks.append((designers, latencies, trouble))
    baseline_transport = Transport()
    async with minimal_bot(baseline_transport) as baseline:
        _, baseline_seconds = await baseline_walk(
            baseline,
            baseline_transport,
            first_user=900_000,
            designers=throughput_designers,
            think_ms=0,
        )
        baseline_rate = throughput_designers * BASELINE_UPDATES / baseline_seconds
        results = []
        for designers, latencies, trouble in walks:
            baseline_latencies, _ = await baseline_walk(
                baseline,
                baseline_transport,
                first_user=950_000,
                designers=designers,
                think_ms=think_ms,
            )
            results.append(
                Latency(
                    designers=designers,
                    think_ms=think_ms,
                    updates=len(latencies),
                    median_ms=percentile(latencies, 0.5),
                    p95_ms=percentile(latencies, 0.95),
                    max_ms=max(latencies, default=float("nan")),
                    baseline_median_ms=statistics.median(baseline_latencies),
                    baseline_p95_ms=percentile(baseline_latencies, 0.95),
                    refused=trouble.refused,
                    broken=trouble.broken,
                )
            )
    return BotBenchResult(
        database=database,
        steps=steps,
        ordinary_statements=statistics.median(step.statements for step in ordinary),
        ordinary_transactions=statistics.median(step.transactions for step in ordinary),
        ordinary_checkouts=statistics.median(step.checkouts for step in ordinary),
        ordinary_by_phase={
            phase: (
                statistics.median(step.by_phase.get(phase, (0, 0))[0] for step in ordinary),
                statistics.median(step.by_phase.get(phase, (0, 0))[1] for step in ordinary),
            )
            for phase in PHASES
            if phase != POLL and any(phase in step.by_phase for step in ordinary)
        },
        idle_polls_per_second=idle,
        walk_statements=sum(step.statements for step in every) / len(every),
        walk_transactions=sum(step.transactions for step in every) / len(every),
        throughput_designers=throughput_designers,
        throughput_updates=updates,
        updates_per_second=updates / seconds,
        throughput_refused=throughput_trouble.refused,
        throughput_broken=throughput_trouble.broken,
        baseline_updates_per_second=baseline_rate,
        latencies=results,
        profile=cpu_by_package(profiler) if profiler is not None else None,
    )


# -- where the time goes ------------------------------------------------------------------------

_PACKAGES = (
    ("sqlalchemy", "sqlalchemy"),
    ("sqlmodel", "sqlalchemy"),
    ("asyncpg", "driver"),
    ("aiosqlite", "driver"),
    ("sqlite3", "driver"),
    ("telegram", "python-telegram-bot"),
    ("asyncio", "asyncio"),
    ("json", "json"),
    ("/services/", "services"),
    ("/storage/", "storage"),
    ("/matching/", "matching"),
    ("/bot/bench/", "bench (the simulated designers)"),
    ("/bot/", "bot"),
)


def cpu_by_package(profiler: cProfile.Profile) -> dict[str, float]:
    """Share of the profiled time spent in each package's own code (tottime), the event loop's
    idle wait apart."""
    stats = pstats.Stats(profiler)
    spent: Counter[str] = Counter()
    for (path, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        spent[_package(str(path), str(name))] += row[2]
    total = sum(spent.values()) or 1.0
    return {package: round(seconds / total, 3) for package, seconds in spent.most_common()}


def _package(path: str, name: str) -> str:
    if path == "~":  # a C function: attribute it by its name
        if "select.epoll" in name or "select.select" in name:
            return "waiting (the event loop idle: the database, SQLite's thread)"
        if "sqlite3" in name or "asyncpg" in name:
            return "driver"
        return "builtins"
    for needle, package in _PACKAGES:
        if needle in path:
            return package
    return "other"


# -- the databases ------------------------------------------------------------------------------


async def bench_sqlite(
    designer_counts: Sequence[int],
    *,
    think_ms: float,
    throughput_designers: int,
    settings: Settings,
    profile: bool = False,
) -> BotBenchResult:
    with tempfile.TemporaryDirectory(prefix="spok-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        return await bench_database(
            url,
            "sqlite",
            designer_counts,
            think_ms=think_ms,
            throughput_designers=throughput_designers,
            settings=settings,
            profile=profile,
        )


class PostgresUnavailable(Exception):
    pass


async def bench_postgres(
    server_url: str,
    designer_counts: Sequence[int],
    *,
    think_ms: float,
    throughput_designers: int,
    settings: Settings,
    profile: bool = False,
) -> BotBenchResult:
    """On a scratch database created on ``server_url``'s server and dropped afterwards."""
    async with scratch_postgres(server_url) as url:
        return await bench_database(
            url,
            "postgresql",
            designer_counts,
            think_ms=think_ms,
            throughput_designers=throughput_designers,
            settings=settings,
            profile=profile,
        )


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


# -- printing -----------------------------------------------------------------------------------


def as_dict(result: BotBenchResult) -> dict[str, Any]:
    payload = asdict(result)
    payload["statements_met"] = result.statements_met
    payload["targets"] = {
        "statements": TARGET_STATEMENTS,
        "transactions": TARGET_TRANSACTIONS,
        "p95_ms": TARGET_P95_MS,
    }
    for latency, row in zip(result.latencies, payload["latencies"], strict=True):
        row["target_met"] = latency.target_met
    return payload


def lines(result: BotBenchResult) -> list[str]:
    db = result.database
    verdict = "met" if result.statements_met else "MISSED"
    share = result.updates_per_second / result.baseline_updates_per_second
    phases = ", ".join(
        f"{phase} {statements:g}/{transactions:g}"
        for phase, (statements, transactions) in result.ordinary_by_phase.items()
    )
    rows = [
        f"{db}: per ordinary dialogue update (median of "
        f"{sum(s.ordinary for lang in LANGUAGES for s in result.steps[lang])}): "
        f"{result.ordinary_statements:g} statements in {result.ordinary_transactions:g} "
        f"transactions ({phases}), {result.ordinary_checkouts:g} connection checkouts | "
        f"whole journey: {result.walk_statements:.1f} statements, "
        f"{result.walk_transactions:.1f} transactions per update | <= {TARGET_STATEMENTS} and "
        f"{TARGET_TRANSACTIONS}: {verdict}",
        f"{db}: background, nobody writing: {result.idle_polls_per_second:.1f} inbox polls/s",
        f"{db}: per step (statements/transactions): "
        + ", ".join(
            f"{step.move} {step.statements}/{step.transactions}" for step in result.steps["sv"]
        ),
        f"{db}: throughput, {result.throughput_designers} designers, no think time: "
        f"{result.updates_per_second:.0f} updates/s in this process "
        f"({result.throughput_refused} deliveries refused and delivered again, "
        f"{result.throughput_broken} journeys broken off) | minimal PTB bot: "
        f"{result.baseline_updates_per_second:.0f} updates/s ({share:.1%})",
    ]
    for latency in result.latencies:
        met = "met" if latency.target_met else "MISSED"
        rows.append(
            f"{db}: {latency.designers} designer(s), think {latency.think_ms:.0f} ms | "
            f"{latency.updates} updates ({latency.refused} deliveries refused and delivered "
            f"again, {latency.broken} journeys broken off) | median {latency.median_ms:.1f} ms, "
            f"p95 {latency.p95_ms:.1f} ms, max {latency.max_ms:.1f} ms | minimal PTB bot: median "
            f"{latency.baseline_median_ms:.2f} ms, p95 {latency.baseline_p95_ms:.2f} ms | "
            f"p95 <= {TARGET_P95_MS:.0f} ms: {met}"
        )
    if result.profile is not None:
        rows.append(
            f"{db}: time by package during the throughput walk: "
            + ", ".join(f"{package} {part:.0%}" for package, part in result.profile.items())
        )
    return rows
