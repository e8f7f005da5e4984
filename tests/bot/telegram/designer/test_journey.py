"""The whole designer journey through a real Application, the real dialogue and a real database,
in Swedish and in English: /start to asking for introductions to two makers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from telegram import Update

from bot.bench.offline import RecordingRequest
from bot.bench.scripted import Sent, SimulatedPerson, designer_journey, play
from services.limits import SendLimiter
from services.runtime import start_runtime
from tests.bot.telegram.conftest import running_bot
from tests.fakes.clock import FakeClock


def sent_since(request: RecordingRequest, mark: int, chat_id: int) -> list[Sent]:
    return [
        Sent(
            call.params.get("text") or call.params.get("caption", ""),
            call.params.get("reply_markup"),
        )
        for call in request.calls[mark:]
        if call.method in ("sendMessage", "sendPhoto") and call.params["chat_id"] == chat_id
    ]


@pytest.mark.parametrize(("language", "telegram_code"), [("sv", "sv"), ("en", "en-GB")])
async def test_designer_journey(tmp_path: Path, language: str, telegram_code: str) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}"
    runtime = await start_runtime(url, seed_demo_if_empty=True)
    # Telegram's limits on a clock of the test's: the script answers faster than any person.
    runtime.limits = SendLimiter.in_memory(clock=FakeClock())
    person = SimulatedPerson(5150, language_code=telegram_code, first_name="Alva")
    async with running_bot(runtime) as (app, request):

        async def deliver(update: dict[str, Any], expect: str) -> list[Sent]:
            mark = len(request.calls)
            await app.process_update(Update.de_json(update, app.bot))
            return sent_since(request, mark, person.user_id)

        answers = await play(person, designer_journey(language), deliver, language=language)
        # Every button press was answered; the location question brought the share keyboard.
        presses = sum(1 for move in designer_journey(language) if move.kind.startswith("tap"))
        assert len(request.sent("answerCallbackQuery")) == presses
        location_answer = answers[9]
        assert any(
            (sent.markup or {}).get("keyboard", [[{}]])[0][0].get("request_location")
            for sent in location_answer
        )
        assert all(call.params.get("parse_mode") == "HTML" for call in request.sent())
    engine = runtime.engine
    async with engine.connect() as connection:
        introductions = (
            await connection.execute(text("SELECT count(*) FROM introductions"))
        ).scalar()
    assert introductions == 2
