"""Different chats are handled concurrently; one chat's updates strictly in arrival order."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.bench.offline import RecordingRequest
from bot.telegram.app import build_application
from services.dialogue.contract import Incoming, Outcome, Text
from services.runtime import Runtime
from tests.bot.telegram.conftest import TOKEN, FakeRuntime
from tests.fakes.updates import TelegramUser

WAIT_S = 5


class GatedDialogue:
    """Holds Alva's first message until released; records the order things were handled in."""

    def __init__(self) -> None:
        self.release_first = asyncio.Event()
        self.first_started = asyncio.Event()
        self.handled: list[str] = []
        self.all_handled = asyncio.Event()
        self.bo_handled = asyncio.Event()

    async def handle(self, incoming: Incoming, *, session: object = None) -> Outcome:
        assert isinstance(incoming.event, Text)
        label = incoming.event.text
        if label == "alva-1":
            self.first_started.set()
            await asyncio.wait_for(self.release_first.wait(), WAIT_S)
        self.handled.append(label)
        if label == "bo-1":
            self.bo_handled.set()
        if len(self.handled) == 3:
            self.all_handled.set()
        return Outcome()


async def test_per_chat_order_and_cross_chat_concurrency() -> None:
    dialogue = GatedDialogue()
    runtime = FakeRuntime(dialogue)

    async def start() -> Runtime:
        return runtime

    app = build_application(TOKEN, start, request=RecordingRequest(), with_updater=False)
    alva, bo = TelegramUser(1, first_name="Alva"), TelegramUser(2, first_name="Bo")
    async with app:
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        try:
            for update in (alva.text("alva-1"), alva.text("alva-2")):
                await app.update_queue.put(Update.de_json(update, app.bot))
            await asyncio.wait_for(dialogue.first_started.wait(), WAIT_S)
            await app.update_queue.put(Update.de_json(bo.text("bo-1"), app.bot))
            # Bo is answered while Alva's first message is still being handled ...
            await asyncio.wait_for(dialogue.bo_handled.wait(), WAIT_S)
            assert dialogue.handled == ["bo-1"]
            # ... and Alva's second waits for her first.
            dialogue.release_first.set()
            await asyncio.wait_for(dialogue.all_handled.wait(), WAIT_S)
            assert dialogue.handled == ["bo-1", "alva-1", "alva-2"]
        finally:
            await app.stop()
