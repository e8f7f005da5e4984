"""The lifecycle's handlers in the Application: the tick is scheduled on the JobQueue, and
without a database behind them (a runtime with no hub desk) they step aside for the dialogue."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from bot.bench.offline import RecordingRequest
from bot.commands.run import outbox_starter
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.introductions.handlers import TICK_INTERVAL, TICK_JOB_NAME
from services.dialogue.contract import Outcome, Press, Text
from services.messages import Reply
from services.outbox import enqueue
from services.runtime import Runtime, start_runtime
from storage.engine import session_factory
from storage.models import Maker, Outbox, utcnow
from tests.bot.telegram.conftest import (
    TOKEN,
    FakeRuntime,
    ScriptedDialogue,
    feed,
    running_bot,
)
from tests.fakes.roles import listed_maker, seeded_hubs
from tests.fakes.updates import TelegramUser

ALVA = TelegramUser(77, language_code="sv")
ADMIN_ID = 11


async def test_the_tick_runs_every_few_minutes_on_the_job_queue() -> None:
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=(Reply("ok"),)))
    async with running_bot(FakeRuntime(dialogue)) as (app, _):
        assert app.job_queue is not None
        (job,) = app.job_queue.get_jobs_by_name(TICK_JOB_NAME)
        assert job.trigger.interval == TICK_INTERVAL  # type: ignore[attr-defined]
        assert timedelta(minutes=1) <= TICK_INTERVAL <= timedelta(minutes=15)
        await job.run(app)  # no database behind it: nothing to do, nothing fails


async def test_without_a_hub_desk_buttons_and_texts_go_to_the_dialogue() -> None:
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=(Reply("dialogue"),)))
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.text("hej"))
        await feed(app, ALVA.press("AbCdEfGhIjKlMnOp"))
    events = [incoming.event for incoming in dialogue.seen]
    assert isinstance(events[0], Text) and isinstance(events[1], Press)
    assert [c.params["text"] for c in request.sent()] == ["dialogue", "dialogue"]


async def test_the_bots_outbox_sender_marks_a_maker_who_blocked_it_unreachable(
    tmp_path: Path,
) -> None:
    """``spok-bot run``'s sender: a 403 marks the maker unreachable and the hub (no group, no
    coordinators: the admins) is told, through the outbox."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'blocked.db'}"
    runtime = await start_runtime(url)
    sessions = session_factory(runtime.engine)
    async with sessions() as session:
        await seeded_hubs(session)
        await listed_maker(session, "m-gone", telegram_user_id=ALVA.user_id)
        await enqueue(
            session=session,
            chat_id=ALVA.user_id,
            recipient_user_id=ALVA.user_id,
            reply=Reply("brief"),
            kind="intro.brief",
            now=utcnow(),
        )
        await session.commit()
    request = RecordingRequest()
    request.failures["sendMessage"] = (403, "Forbidden: bot was blocked by the user")
    app = build_application(TOKEN, lambda: _same(runtime), request=request, with_updater=False)
    try:
        async with app:
            sender = outbox_starter(Settings(_env_file=None, admin_telegram_ids=str(ADMIN_ID)))(
                app, runtime
            )
            await sender.drain()
        async with sessions() as session:
            maker = (await session.exec(select(Maker))).one()
            notices = list(
                (await session.exec(select(Outbox).where(Outbox.chat_id == ADMIN_ID))).all()
            )
        assert maker.unreachable_at is not None
        assert notices and "m-gone" in str(notices[0].payload["text"])
    finally:
        await runtime.close()


async def _same(runtime: Runtime) -> Runtime:
    return runtime
