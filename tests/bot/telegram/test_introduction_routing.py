"""The lifecycle's handlers in the Application: the tick is scheduled on the JobQueue, and
without a database behind them (a runtime with no hub desk) they step aside for the dialogue."""

from __future__ import annotations

from datetime import timedelta

from bot.telegram.introduction_handlers import TICK_INTERVAL, TICK_JOB_NAME
from services.dialogue.contract import Outcome, Press, Reply, Text
from tests.bot.telegram.conftest import FakeRuntime, ScriptedDialogue, feed, running_bot
from tests.fakes.updates import TelegramUser

ALVA = TelegramUser(77, language_code="sv")


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
