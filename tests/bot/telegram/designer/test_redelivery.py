"""Telegram may deliver an update again (a webhook answer it never got, a restart before the
poller confirmed a batch). The whole designer journey, every update delivered twice with the
same update id: the second delivery changes nothing in the database and sends nothing."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.bench.scripted import Sent, SimulatedPerson, designer_journey, play
from services.limits import SendLimiter
from services.runtime import start_runtime
from tests.bot.telegram.conftest import running_bot
from tests.bot.telegram.designer.test_journey import sent_since
from tests.fakes.clock import FakeClock
from tests.fakes.redelivery import snapshot


async def test_every_update_of_the_journey_delivered_twice_has_one_effect(
    database_url: str,
) -> None:
    runtime = await start_runtime(database_url, seed_demo_if_empty=True)
    runtime.limits = SendLimiter.in_memory(clock=FakeClock())
    assert runtime.engine is not None
    person = SimulatedPerson(5151, language_code="sv", first_name="Alva")
    async with running_bot(runtime) as (app, request):

        async def deliver_twice(update: dict[str, Any], expect: str) -> list[Sent]:
            mark = len(request.calls)
            await app.process_update(Update.de_json(update, app.bot))
            answer = sent_since(request, mark, person.user_id)
            assert runtime.engine is not None
            before, calls = await snapshot(runtime.engine), len(request.calls)
            await app.process_update(Update.de_json(update, app.bot))
            assert request.calls[calls:] == [], update
            assert await snapshot(runtime.engine) == before, update
            return answer

        await play(person, designer_journey("sv"), deliver_twice, language="sv")
    async with runtime.engine.connect() as connection:
        rows = await connection.exec_driver_sql("SELECT count(*) FROM introductions")
        assert rows.scalar() == 2
