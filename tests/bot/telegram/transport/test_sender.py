"""The outbox sender against a recording Bot API, on a clock the tests move (no sleeping)."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot
from telegram.request import RequestData

from bot.bench.offline import ApiCall, RecordingRequest
from bot.commands.run import outbox_starter
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.transport.sender import OutboxSender
from services import outbox
from services.limits import NoLimits, SendLimiter
from services.messages import Button, FileRef, Reply
from services.runtime import Runtime, start_runtime
from storage.engine import create_engine, session_factory
from storage.models import Outbox
from tests.bot.telegram.conftest import TOKEN
from tests.fakes.clock import T0, FakeClock

GROUP = -1001234567890


class TimedRequest(RecordingRequest):
    """Records when (on the fake clock) each message reached which chat; fails on request."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.delivered: list[tuple[int, datetime, str]] = []  # (chat, time, text or caption)
        self.next_failures: list[tuple[int, str, dict[str, Any] | None]] = []  # one-shot
        self.failing_chats: dict[int, tuple[int, str]] = {}  # every send to the chat fails
        self.arrived = asyncio.Event()
        self.on_delivery: Callable[[int], None] | None = None  # called with the count so far

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if api_method not in ("sendMessage", "sendPhoto") or request_data is None:
            return await super().do_request(url, method, request_data, *args, **kwargs)
        params = dict(request_data.parameters)
        chat_id = int(params["chat_id"])
        failure: tuple[int, str, dict[str, Any] | None] | None = None
        if self.next_failures:
            failure = self.next_failures.pop(0)
        elif chat_id in self.failing_chats:
            failure = (*self.failing_chats[chat_id], None)
        if failure is not None:
            self.calls.append(ApiCall(api_method, params))
            status, description, parameters = failure
            body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
            if parameters:
                body["parameters"] = parameters
            return status, json.dumps(body).encode()
        self.delivered.append((chat_id, self.clock.now(), params.get("text") or params["caption"]))
        self.arrived.set()
        if self.on_delivery is not None:
            self.on_delivery(len(self.delivered))
        return await super().do_request(url, method, request_data, *args, **kwargs)

    def times(self, chat_id: int) -> list[float]:
        return [(t - T0).total_seconds() for c, t, _ in self.delivered if c == chat_id]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def request_(clock: FakeClock) -> TimedRequest:
    return TimedRequest(clock)


@pytest.fixture
async def bot(request_: TimedRequest) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, request=request_) as bot:
        yield bot


def _sender(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], clock: FakeClock, **kwargs: Any
) -> OutboxSender:
    return OutboxSender(bot, sessions, clock=clock, **kwargs)


async def _enqueue(
    sessions: async_sessionmaker[AsyncSession],
    messages: list[tuple[int, Reply]],
    *,
    now: datetime = T0,
    kind: str = "brief",
) -> None:
    async with sessions() as session:
        for chat_id, reply in messages:
            await outbox.enqueue(
                session=session,
                chat_id=chat_id,
                reply=reply,
                kind=kind,
                now=now,
                recipient_user_id=chat_id if chat_id > 0 else None,
            )
        await session.commit()


async def _statuses(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[int, str]]:
    async with sessions() as session:
        rows = (await session.exec(select(Outbox).order_by(col(Outbox.id)))).all()
    return [(row.chat_id, row.status) for row in rows]


async def test_a_brief_goes_out_as_the_dialogue_renders_it(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    brief = Reply(
        "<b>Ny förfrågan</b>\n" + "x" * 1500,
        buttons=((Button("Intresserad", "i:1"),),),
        photo_file_id="photo-1",
    )
    await _enqueue(session_maker, [(42, brief)])

    assert await _sender(bot, session_maker, clock).run_until_idle() == 1

    photo, text = request_.sent()
    assert photo.method == "sendPhoto" and photo.params["photo"] == "photo-1"
    assert photo.params["caption"] == "<b>Ny förfrågan</b>"
    assert photo.params["parse_mode"] == text.params["parse_mode"] == "HTML"
    assert "reply_markup" not in photo.params  # the keyboard rides on the last part
    assert text.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Intresserad", "callback_data": "i:1"}]]
    }
    async with session_maker() as session:
        (row,) = (await session.exec(select(Outbox))).all()
    assert (row.status, row.sent_at, row.attempts) == ("sent", T0 + timedelta(seconds=1), 1)
    assert row.telegram_message_id is not None


async def test_a_briefs_files_follow_its_text_in_the_same_row(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    brief = Reply(
        "<b>Ny förfrågan</b>",
        buttons=((Button("Intresserad", "i:1"),),),
        files=(FileRef("file-pdf", "📎 Fil 1 av 2"), FileRef("file-jpg", "📎 Fil 2 av 2", True)),
    )
    await _enqueue(session_maker, [(42, brief)])

    assert await _sender(bot, session_maker, clock).run_until_idle() == 1

    calls = [c for c in request_.calls if c.method in ("sendMessage", "sendDocument", "sendPhoto")]
    text, document, photo = calls
    assert (text.method, document.method, photo.method) == (
        "sendMessage",
        "sendDocument",
        "sendPhoto",
    )
    assert text.params["reply_markup"]  # the answer buttons stay on the brief's text
    assert (document.params["document"], document.params["caption"]) == (
        "file-pdf",
        "📎 Fil 1 av 2",
    )
    assert (photo.params["photo"], photo.params["caption"]) == ("file-jpg", "📎 Fil 2 av 2")
    assert "reply_markup" not in document.params and "reply_markup" not in photo.params
    assert await _statuses(session_maker) == [(42, "sent")]


async def test_retry_after_delays_exactly_that_long(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    await _enqueue(session_maker, [(1, Reply("a")), (2, Reply("b"))])
    request_.next_failures.append((429, "Too Many Requests", {"retry_after": 7}))

    await _sender(bot, session_maker, clock).run_until_idle()

    # Chat 1 was told to wait 7 s; the whole bot waited with it (flood control is per bot).
    assert request_.times(1) == [7.0]
    assert request_.times(2) == [7.0]
    assert await _statuses(session_maker) == [(1, "sent"), (2, "sent")]
    async with session_maker() as session:
        first = (await session.exec(select(Outbox).where(Outbox.chat_id == 1))).one()
    assert (first.attempts, first.last_error) == (1, None)


async def test_a_blocked_chat_is_marked_and_the_hook_runs_once(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    await _enqueue(session_maker, [(5, Reply("1")), (5, Reply("2")), (6, Reply("3"))])
    await _enqueue(session_maker, [(5, Reply("later"))], now=T0 + timedelta(days=1))
    request_.failing_chats[5] = (403, "Forbidden: bot was blocked by the user")
    hooked: list[tuple[int, int | None]] = []

    async def on_blocked(session: AsyncSession, chat_id: int, user_id: int | None) -> None:
        hooked.append((chat_id, user_id))

    await _sender(bot, session_maker, clock, on_blocked=on_blocked).run_until_idle()

    assert [call.params["chat_id"] for call in request_.sent()].count(5) == 1
    assert hooked == [(5, 5)]
    assert await _statuses(session_maker) == [
        (5, "blocked"),
        (5, "blocked"),
        (6, "sent"),
        (5, "blocked"),
    ]


async def test_transient_errors_back_off_then_fail(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    await _enqueue(session_maker, [(9, Reply("x")), (10, Reply("y"))])
    request_.failing_chats[9] = (502, "Bad Gateway")
    policy = outbox.RetryPolicy(max_attempts=3, base=timedelta(seconds=10))

    await _sender(bot, session_maker, clock, policy=policy).run_until_idle()

    attempts = [call for call in request_.sent() if call.params["chat_id"] == 9]
    assert len(attempts) == 3
    assert request_.times(10) == [0.0]  # the failing chat held nobody up
    assert clock.now() == T0 + timedelta(seconds=30)  # tried at 0, 10 and 30 s
    assert await _statuses(session_maker) == [(9, "failed"), (10, "sent")]


async def test_one_private_chat_gets_one_message_a_second_in_order(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    await _enqueue(session_maker, [(42, Reply(f"m{i}")) for i in range(100)])

    await _sender(bot, session_maker, clock).run_until_idle()

    assert request_.times(42) == [float(i) for i in range(100)]
    assert [text for _, _, text in request_.delivered] == [f"m{i}" for i in range(100)]


async def test_a_group_gets_twenty_messages_a_minute(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    await _enqueue(session_maker, [(GROUP, Reply(f"g{i}")) for i in range(25)])

    await _sender(bot, session_maker, clock).run_until_idle()

    times = request_.times(GROUP)
    assert len(times) == 25
    assert sum(t < 60 for t in times) == 20
    assert all(t >= 60 for t in times[20:])
    assert [text for _, _, text in request_.delivered] == [f"g{i}" for i in range(25)]
    assert all(later - earlier >= 60 for earlier, later in zip(times, times[20:], strict=False))


async def test_many_chats_get_at_most_thirty_messages_a_second(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    await _enqueue(session_maker, [(1000 + i, Reply("hej")) for i in range(100)])

    await _sender(bot, session_maker, clock).run_until_idle()

    times = sorted(t for _, t, _ in request_.delivered)
    assert len(times) == 100
    for index, start in enumerate(times):  # any one-second window holds at most 30
        assert sum(start <= t < start + timedelta(seconds=1) for t in times[index:]) <= 30
    assert times[-1] - times[0] < timedelta(seconds=4)  # and no slower than that


async def test_limits_can_be_switched_off(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    await _enqueue(session_maker, [(42, Reply(f"m{i}")) for i in range(10)])

    await _sender(bot, session_maker, clock, limits=NoLimits()).run_until_idle()

    assert request_.times(42) == [0.0] * 10


async def test_a_new_sender_sends_what_a_crashed_one_left_exactly_once(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    await _enqueue(session_maker, [(1, Reply("claimed")), (2, Reply("waiting"))])
    lease = timedelta(minutes=2)
    async with session_maker() as session:  # a sender claims the first row, then dies
        await outbox.claim_due(session=session, now=T0, limit=1, lease=lease)
        await session.commit()

    await _sender(bot, session_maker, clock, lease=lease).run_until_idle()

    assert request_.times(2) == [0.0]
    assert request_.times(1) == [lease.total_seconds()]  # after the dead sender's lease
    assert await _statuses(session_maker) == [(1, "sent"), (2, "sent")]


async def test_two_senders_on_two_engines_send_each_row_exactly_once(
    database_url: str,
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    """Two processes' senders drain one table concurrently (limits off so they race hard)."""
    await _enqueue(session_maker, [(1000 + i, Reply(f"n{i}")) for i in range(300)])
    other_engine = create_engine(database_url)
    try:
        senders = [
            _sender(bot, sessions, clock, limits=NoLimits(), batch_size=20)
            for sessions in (session_maker, session_factory(other_engine))
        ]
        claimed = await asyncio.gather(*(sender.drain() for sender in senders))
    finally:
        await other_engine.dispose()
    assert sum(claimed) == 300 and all(claimed)  # both took part
    texts = sorted(text for _, _, text in request_.delivered)
    assert texts == sorted(f"n{i}" for i in range(300))  # every row once, none twice
    assert set(await _statuses(session_maker)) == {(1000 + i, "sent") for i in range(300)}


async def test_stopping_hands_untried_rows_back_and_a_new_sender_finishes(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    # Ten people, so nothing waits on a chat's own limit (that goes back to the table at once).
    await _enqueue(session_maker, [(42 + i, Reply(f"m{i}")) for i in range(10)])
    sender = _sender(bot, session_maker, clock)
    stopping: list[asyncio.Task[None]] = []

    def stop_after_three(count: int) -> None:
        if count == 3:
            stopping.append(asyncio.get_running_loop().create_task(sender.stop()))

    request_.on_delivery = stop_after_three
    await sender.drain()
    await asyncio.gather(*stopping)

    async with session_maker() as session:
        rows = (await session.exec(select(Outbox).order_by(col(Outbox.id)))).all()
    assert [row.status for row in rows] == ["sent"] * 3 + ["pending"] * 7
    # Back as they were, due at once.
    assert all(row.attempts == 0 and row.not_before <= clock.now() for row in rows[3:])

    request_.on_delivery = None
    await _sender(bot, session_maker, clock).run_until_idle()
    assert [text for _, _, text in request_.delivered] == [f"m{i}" for i in range(10)]


async def test_the_bot_sends_the_outbox_in_the_background(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """Wired as ``spok-bot run`` wires it: started in post_init, woken by a commit in this
    process (the poll interval is an hour), stopped in post_shutdown."""
    request = TimedRequest(FakeClock())

    async def start() -> Runtime:
        return await start_runtime(database_url)

    app = build_application(
        TOKEN,
        start,
        request=request,
        with_updater=False,
        start_outbox=outbox_starter(Settings(_env_file=None)),
    )
    async with app:
        await app.start()
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        try:
            await asyncio.sleep(0)  # let the sender find the table empty and wait
            await _enqueue(session_maker, [(42, Reply("hej"))], now=datetime.now(UTC))
            await asyncio.wait_for(request.arrived.wait(), timeout=10)
        finally:
            await app.post_shutdown(app)
            await app.stop()
    assert [text for _, _, text in request.delivered] == ["hej"]
    async with session_maker() as session:
        (row,) = (await session.exec(select(Outbox))).all()
    assert row.status == "sent"


async def test_a_busy_chat_goes_back_to_the_table_and_others_are_not_held_up(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    """Five messages to one person (1 a second) and one to somebody else queued after them:
    the batch sends the first of the five and the other person's at once, and hands the four
    back due at the person's next slots instead of waiting for them."""
    await _enqueue(session_maker, [(42, Reply(f"m{i}")) for i in range(5)] + [(7, Reply("x"))])
    sender = _sender(bot, session_maker, clock)
    start = clock.now()
    await sender.drain()
    assert [(chat, text) for chat, _, text in request_.delivered] == [(42, "m0"), (7, "x")]
    assert clock.now() == start  # nothing waited
    await sender.run_until_idle()
    assert [text for chat, _, text in request_.delivered if chat == 42] == [
        f"m{i}" for i in range(5)
    ]
    times = [at for chat, at, _ in request_.delivered if chat == 42]
    assert all(b - a >= timedelta(seconds=1) for a, b in itertools.pairwise(times))


async def test_a_reply_comes_as_a_short_burst_and_a_notification_waits_its_second(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    await _enqueue(session_maker, [(42, Reply(f"r{i}")) for i in range(3)], kind="reply")
    await _enqueue(session_maker, [(42, Reply("notice"))])

    await _sender(bot, session_maker, clock).run_until_idle()

    assert [text for _, _, text in request_.delivered] == ["r0", "r1", "r2", "notice"]
    assert request_.times(42) == [0.0, 0.0, 0.0, 1.0]


class FlakySessions:
    """The sender's sessions, unreachable (as a database that went away) for the next ``n``
    transactions once :meth:`fail_next` says so."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.failures = 0
        self.failed = 0

    def fail_next(self, n: int) -> None:
        self.failures = n

    def __call__(self) -> Any:
        if self.failures:
            self.failures -= 1
            self.failed += 1
            return _Unreachable()
        return self.sessions()


class _Unreachable:
    async def __aenter__(self) -> AsyncSession:
        refused = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        raise OperationalError("connect", {}, refused)

    async def __aexit__(self, *exc: object) -> None:
        pass


async def test_a_sent_message_is_marked_after_a_brief_outage_and_never_sent_again(
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    """The database goes away for the next three transactions right after Telegram accepted
    the first message: the sender keeps trying to mark it sent instead of leaving it to its
    lease, so nothing is sent twice, however long the sender runs on."""
    await _enqueue(session_maker, [(42, Reply("hej")), (7, Reply("då"))])
    flaky = FlakySessions(session_maker)
    request_.on_delivery = lambda count: flaky.fail_next(3) if count == 1 else None
    lease = timedelta(minutes=2)
    sender = _sender(bot, cast(async_sessionmaker[AsyncSession], flaky), clock, lease=lease)

    await sender.run_until_idle()
    clock.current += lease * 3  # long past every lease
    await sender.run_until_idle()

    assert flaky.failed == 3
    assert [text for _, _, text in request_.delivered] == ["hej", "då"]
    assert await _statuses(session_maker) == [(42, "sent"), (7, "sent")]


async def test_a_429_seen_by_one_process_pauses_the_other(
    database_url: str,
    engine: AsyncEngine,
    session_maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clock: FakeClock,
    request_: TimedRequest,
) -> None:
    """Two processes (two engines), their limits shared through the database: the first is
    told to wait 7 s; the second, sending to somebody else, waits as long."""
    await _enqueue(session_maker, [(1, Reply("a")), (2, Reply("b"))])
    request_.next_failures.append((429, "Too Many Requests", {"retry_after": 7}))
    other_engine = create_engine(database_url)
    try:
        first, second = (
            _sender(
                bot,
                session_factory(e),
                clock,
                limits=SendLimiter.on_database(e, clock=clock),
                batch_size=1,
            )
            for e in (engine, other_engine)
        )
        assert await first.send_batch() == 1  # row a: 429
        await second.run_until_idle()  # row b, then a again
    finally:
        await other_engine.dispose()

    assert request_.times(2) == [7.0]
    assert request_.times(1) == [7.0]
    assert await _statuses(session_maker) == [(1, "sent"), (2, "sent")]
