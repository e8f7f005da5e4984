"""The receiving edge: an update is committed before PTB acknowledges it (webhook and polling
hand it to the durable queue), handled once from the inbox in one transaction with its effects
and its queued replies, and taken again by another worker when the one handling it died."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import func
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.error import NetworkError
from telegram.ext import Application

from bot.bench.offline import RecordingRequest
from bot.telegram.app import build_application
from bot.telegram.transport.clean_application import CleanInputApplication
from bot.telegram.transport.inbox import REPLY_LEASE, DurableUpdateQueue, InboxEdge
from bot.telegram.transport.sender import OutboxSender
from bot.telegram.transport.texts import text as transport_text
from services.dialogue.contract import Incoming, Outcome
from services.inbox import InboxUnavailable
from services.messages import Reply
from services.runtime import Runtime
from storage.engine import session_factory
from storage.models import InboxUpdate, Outbox, ProcessedUpdate, utcnow
from tests.bot.telegram.conftest import TOKEN
from tests.fakes.clock import FakeClock
from tests.fakes.updates import TelegramUser

ALVA = TelegramUser(4242, language_code="sv", first_name="Alva")


class EffectDialogue:
    """Writes one row per handled update into the session it is given (its effect) and
    answers "ok"; ``hold`` makes it stop halfway (after writing) until released."""

    def __init__(self) -> None:
        self.hold: asyncio.Event | None = None
        self.reached = asyncio.Event()
        self.fail = False
        self.disconnect = 0  # this many first attempts lose the database connection

    async def handle(self, incoming: Incoming, *, session: AsyncSession | None = None) -> Outcome:
        assert session is not None, "the edge hands the update's session in"
        assert incoming.update_id is not None
        session.add(ProcessedUpdate(source="effect", update_id=incoming.update_id))
        await session.flush()
        self.reached.set()
        if self.hold is not None:
            await self.hold.wait()
        if self.fail:
            raise RuntimeError("a bug in a step")
        if self.disconnect:
            self.disconnect -= 1
            raise DBAPIError("SELECT 1", None, ConnectionResetError(), connection_invalidated=True)
        return Outcome(replies=(Reply(f"ok {incoming.update_id}"),))


@asynccontextmanager
async def running(
    engine: AsyncEngine, dialogue: EffectDialogue, **options: Any
) -> AsyncIterator[tuple[Application, RecordingRequest]]:  # type: ignore[type-arg]
    request = RecordingRequest()

    async def start() -> Runtime:
        return Runtime(dialogue, engine=engine)

    app = build_application(TOKEN, start, request=request, with_updater=False, **options)
    async with app:
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        try:
            yield app, request
        finally:
            await app.post_shutdown(app)


def edge_of(app: Application) -> InboxEdge:  # type: ignore[type-arg]
    assert isinstance(app, CleanInputApplication) and app.edge is not None
    return app.edge


async def effects(engine: AsyncEngine) -> int:
    async with session_factory(engine)() as session:
        query = select(func.count()).where(col(ProcessedUpdate.source) == "effect")
        return int((await session.exec(query)).one())


async def inbox_rows(engine: AsyncEngine) -> list[tuple[int, str]]:
    async with session_factory(engine)() as session:
        rows = (await session.exec(select(InboxUpdate).order_by(col(InboxUpdate.id)))).all()
    return [(row.update_id, row.status) for row in rows]


async def reply_rows(engine: AsyncEngine) -> list[str]:
    async with session_factory(engine)() as session:
        rows = (await session.exec(select(Outbox).order_by(col(Outbox.id)))).all()
    return [row.status for row in rows if row.kind == "reply"]


def texts(request: RecordingRequest) -> list[str]:
    return [str(call.params.get("text")) for call in request.sent()]


async def test_an_update_is_handled_once_and_its_reply_sent_after_the_commit(
    engine: AsyncEngine,
) -> None:
    dialogue = EffectDialogue()
    update = ALVA.text("hej")
    async with running(engine, dialogue) as (app, request):
        await app.process_update(Update.de_json(update, app.bot))
        await app.process_update(Update.de_json(update, app.bot))  # delivered again
    assert await effects(engine) == 1
    assert texts(request) == [f"ok {update['update_id']}"]
    assert await inbox_rows(engine) == [(update["update_id"], "done")]
    assert await reply_rows(engine) == ["sent"]


async def test_the_durable_queue_commits_before_put_returns_and_refuses_when_it_cannot(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PTB's webhook answers and its poller confirms only after ``put`` returned."""
    dialogue = EffectDialogue()
    async with running(engine, dialogue, inbox_worker=False) as (app, _):
        queue = app.update_queue
        assert isinstance(queue, DurableUpdateQueue)
        update = ALVA.text("hej")
        await queue.put(Update.de_json(update, app.bot))
        assert await inbox_rows(engine) == [(update["update_id"], "pending")]
        assert queue.empty()  # nothing waits in memory: the database has it

        async def unavailable(raw: object) -> bool:
            raise InboxUnavailable("OperationalError")

        monkeypatch.setattr(edge_of(app).inbox, "receive", unavailable)
        with pytest.raises(NetworkError):  # the webhook answers 500, the poller asks again
            await queue.put(Update.de_json(ALVA.text("nästa"), app.bot))


async def test_a_webhook_delivery_is_in_the_inbox_when_telegram_gets_its_answer(
    engine: AsyncEngine,
) -> None:
    dialogue = EffectDialogue()
    dialogue.hold = asyncio.Event()  # handling waits: only the receiving side has run
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = RecordingRequest()

    async def start() -> Runtime:
        return Runtime(dialogue, engine=engine)

    app = build_application(TOKEN, start, request=request, inbox_worker=True)
    update = ALVA.text("hej")
    async with app:
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1", port=port, url_path="hook", secret_token="s3cret"
        )
        try:
            async with httpx.AsyncClient() as client:
                answer = await client.post(
                    f"http://127.0.0.1:{port}/hook",
                    content=json.dumps(update),
                    headers={
                        "Content-Type": "application/json",
                        "X-Telegram-Bot-Api-Secret-Token": "s3cret",
                    },
                )
            assert answer.status_code == 200
            rows = await inbox_rows(engine)
            assert rows and rows[0][0] == update["update_id"]  # committed before the answer
            await dialogue.reached.wait()
            dialogue.hold.set()
        finally:
            await app.updater.stop()
            await app.post_shutdown(app)
    assert await effects(engine) == 1
    assert await inbox_rows(engine) == [(update["update_id"], "done")]
    assert texts(request) == [f"ok {update['update_id']}"]


async def test_an_update_whose_worker_died_before_the_commit_is_handled_by_another(
    engine: AsyncEngine,
) -> None:
    """Process A takes the update and writes its effect, then dies before committing; process
    B (another Application on the same database) takes it: one effect, one reply."""
    update = ALVA.text("hej")
    first = EffectDialogue()
    first.hold = asyncio.Event()  # never released: A dies halfway
    async with running(engine, first) as (app_a, request_a):
        handling = asyncio.create_task(app_a.process_update(Update.de_json(update, app_a.bot)))
        await first.reached.wait()
        handling.cancel()  # the process is gone: its transaction rolled back, its claim free
        with pytest.raises(asyncio.CancelledError):
            await handling
    assert await effects(engine) == 0
    assert await inbox_rows(engine) == [(update["update_id"], "pending")]

    second = EffectDialogue()
    async with running(engine, second) as (app_b, request_b):
        assert await edge_of(app_b).handle_one() is True
        assert await edge_of(app_b).handle_one() is False  # nothing else pending
    assert await effects(engine) == 1
    assert await inbox_rows(engine) == [(update["update_id"], "done")]
    assert texts(request_a) == []
    assert texts(request_b) == [f"ok {update['update_id']}"]


async def test_a_failing_handler_leaves_no_effect_and_the_person_is_told(
    engine: AsyncEngine,
) -> None:
    dialogue = EffectDialogue()
    dialogue.fail = True
    update = ALVA.text("hej")
    async with running(engine, dialogue) as (app, request):
        await app.process_update(Update.de_json(update, app.bot))
    assert await effects(engine) == 0
    assert await inbox_rows(engine) == [(update["update_id"], "failed")]
    assert texts(request) == [transport_text("went_wrong", "sv")]


async def test_replies_left_unsent_by_a_process_that_died_after_its_commit_are_sent_once(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit holds the reply, claimed for the handling process; the process dies before
    sending it. Once that claim's lease ended, any process's outbox sender sends it, once."""
    dialogue = EffectDialogue()
    update = ALVA.text("hej")
    async with running(engine, dialogue) as (app, request):
        edge = edge_of(app)
        assert edge.sender is not None

        async def died(rows: object, *, started: object) -> None:
            raise SystemExit  # stands for the process ending here

        monkeypatch.setattr(edge.sender, "send_claimed", died)
        with pytest.raises(SystemExit):
            await app.process_update(Update.de_json(update, app.bot))
        assert await reply_rows(engine) == ["sending"]
        assert texts(request) == []
        monkeypatch.undo()
        later = FakeClock(utcnow())
        other = OutboxSender(app.bot, session_factory(engine), clock=later)  # another process
        assert await other.drain() == 0  # still the dead process's, until its lease ends
        await later.sleep(REPLY_LEASE.total_seconds() + 1)
        assert await other.drain() == 1
        assert await other.drain() == 0
    assert await effects(engine) == 1
    assert await reply_rows(engine) == ["sent"]
    assert texts(request) == [f"ok {update['update_id']}"]


async def test_a_lost_database_connection_leaves_the_update_pending_and_it_is_tried_again(
    engine: AsyncEngine,
) -> None:
    dialogue = EffectDialogue()
    dialogue.disconnect = 1
    update = ALVA.text("hej")
    async with running(engine, dialogue) as (app, request):
        await app.process_update(Update.de_json(update, app.bot))
    assert await effects(engine) == 1
    assert await inbox_rows(engine) == [(update["update_id"], "done")]
    assert texts(request) == [f"ok {update['update_id']}"]
