"""The Application's rate limiter: every message a handler sends takes a slot from the
runtime's limits (a reply: a short burst is allowed), a 429 is shared and tried once more, and
a send that already holds its slot (the outbox sender's) is not limited twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.telegram.transport.limits import SharedRateLimiter
from services.limits import SendLimiter, Slot, holding
from tests.fakes.clock import FakeClock


class Api:
    """The Bot API call PTB hands the rate limiter: records when (fake clock) it ran."""

    def __init__(self, clock: FakeClock, failures: list[Exception] | None = None) -> None:
        self.clock = clock
        self.failures = failures or []
        self.calls: list[float] = []

    async def __call__(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(self.clock.seconds())
        if self.failures:
            raise self.failures.pop(0)
        return {"message_id": len(self.calls)}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock: FakeClock) -> SharedRateLimiter:
    rate_limiter = SharedRateLimiter()
    rate_limiter.use(SendLimiter.in_memory(clock=clock))
    return rate_limiter


async def send(limiter: SharedRateLimiter, api: Api, endpoint: str, chat_id: object) -> Any:
    return await limiter.process_request(api, (), {}, endpoint, {"chat_id": chat_id}, None)


async def test_a_reply_bursts_three_messages_then_waits_for_its_chat(
    limiter: SharedRateLimiter, clock: FakeClock
) -> None:
    api = Api(clock)
    for _ in range(4):
        await send(limiter, api, "sendMessage", 42)
    await send(limiter, api, "sendPhoto", "7")  # somebody else: at once
    assert api.calls == [0.0, 0.0, 0.0, 1.0, 1.0]


async def test_calls_that_put_no_message_in_a_chat_pass_as_they_are(
    limiter: SharedRateLimiter, clock: FakeClock
) -> None:
    api = Api(clock)
    for _ in range(5):
        await limiter.process_request(api, (), {}, "answerCallbackQuery", {}, None)
        await send(limiter, api, "getFile", 42)
    assert api.calls == [0.0] * 10


async def test_a_429_pauses_every_sender_and_the_message_is_tried_once_more(
    limiter: SharedRateLimiter, clock: FakeClock
) -> None:
    api = Api(clock, failures=[RetryAfter(timedelta(seconds=7))])
    assert await send(limiter, api, "sendMessage", 42) == {"message_id": 2}
    await send(limiter, api, "sendMessage", 43)
    assert api.calls == [0.0, 7.0, 7.0]


async def test_a_second_429_reaches_the_caller(
    limiter: SharedRateLimiter, clock: FakeClock
) -> None:
    api = Api(clock, failures=[RetryAfter(timedelta(seconds=2)), RetryAfter(timedelta(seconds=2))])
    with pytest.raises(RetryAfter):
        await send(limiter, api, "sendMessage", 42)
    assert api.calls == [0.0, 2.0]


async def test_a_send_that_holds_its_slot_is_not_limited_again(
    limiter: SharedRateLimiter, clock: FakeClock
) -> None:
    api = Api(clock)
    with holding(Slot(42, None, 0.0, 0.0)):
        for _ in range(5):
            await send(limiter, api, "sendMessage", 42)
    assert api.calls == [0.0] * 5


async def test_without_a_runtime_there_are_no_limits_yet(clock: FakeClock) -> None:
    api = Api(clock, failures=[RetryAfter(timedelta(0))])
    assert await send(SharedRateLimiter(), api, "sendMessage", 42) == {"message_id": 2}
    assert len(api.calls) == 2
