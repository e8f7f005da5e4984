"""The bot's own Bot API calls within Telegram's limits: the Application's rate limiter.

Every call a handler makes (a dialogue reply, a report document, "something went wrong") passes
PTB's rate-limiter hook. Calls that put a message in a chat take a slot from the same limiter
the outbox sender uses (:class:`services.limits.SendLimiter`: one set of limits for every
process on PostgreSQL, this process's on SQLite) as *replies*: answering a person's own message,
a few messages may come as a short burst in that chat. Other calls (answering a button, getting
a file) pass as they are. A send made while its task already holds a slot for that chat (the
outbox sender's, :func:`services.limits.holding`) is not limited twice.

A 429 ``RetryAfter`` is shared with every process (:meth:`SendSlots.retry_after`) and the
message is tried once more after the pause; a second 429 reaches the caller. Until the runtime
has started (and in tests without one) there is no limiter: a 429 then waits here, at most
:data:`MAX_UNSHARED_WAIT` seconds, before the one retry.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
import zlib
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from services.limits import SendSlots, held_for, wait_for_slot

log = logging.getLogger(__name__)

__all__ = ["MAX_UNSHARED_WAIT", "MESSAGE_METHODS", "SharedRateLimiter", "retry_after_seconds"]

# Bot API methods that put a message into a chat (Telegram's limits count these).
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "sendVideoNote",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendSticker",
        "sendInvoice",
        "sendGame",
        "sendPaidMedia",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    }
)
MAX_UNSHARED_WAIT = 30.0

Callback = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]


class SharedRateLimiter(BaseRateLimiter[None]):
    """Built with the Application; :meth:`use` hands it the runtime's limiter once started."""

    def __init__(self) -> None:
        self.slots: SendSlots | None = None

    def use(self, slots: SendSlots | None) -> None:
        self.slots = slots

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = _chat_key(data.get("chat_id"))
        if endpoint not in MESSAGE_METHODS or chat_id is None or held_for(chat_id):
            return await callback(*args, **kwargs)
        for attempt in (1, 2):
            slots = self.slots
            if slots is None:
                try:
                    return await callback(*args, **kwargs)
                except RetryAfter as error:
                    if attempt == 2:
                        raise
                    await asyncio.sleep(min(retry_after_seconds(error), MAX_UNSHARED_WAIT))
                continue
            slot = await wait_for_slot(slots, chat_id, reply=True)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                await slots.retry_after(slot, retry_after_seconds(error))
                if attempt == 2:
                    raise
            finally:
                await slots.release(slot)
        raise AssertionError("unreachable")  # pragma: no cover


def retry_after_seconds(error: RetryAfter) -> float:
    """PTB gives ``retry_after`` as seconds or a ``timedelta`` (PTB_TIMEDELTA) and warns that
    the int form goes away; either is fine here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        delay: object = error.retry_after
    if isinstance(delay, timedelta):
        return delay.total_seconds()
    return float(delay)  # type: ignore[arg-type]


def _chat_key(chat_id: object) -> int | None:
    """The numeric chat id; a channel's ``@username`` gets a stable negative stand-in (counted
    like a group)."""
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, str):
        text = chat_id.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        if text:
            return -1 - zlib.crc32(text.lower().encode())
    return None
