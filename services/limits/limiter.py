"""The one small interface both sending paths call: the outbox sender (notifications) and the
bot's direct replies (through the Application's rate limiter, ``bot.telegram.transport.limits``).

::

    slot = await limiter.acquire(chat_id, reply=True)  # waits until the message may go
    try:
        with holding(slot):
            await bot.send_message(chat_id, text)
    except RetryAfter as error:  # 429: every process pauses
        await limiter.retry_after(slot, seconds)
    finally:
        await limiter.release(slot)  # its answer came: from now on it counts one more period

A :class:`SendLimiter` asks its store one message at a time, in the order the tasks of this
process asked (a lock), and while the overall window is full the task at the head sleeps until
the store says it may be granted, holding the others back with it, since the same window holds
them all; a task held back by its own chat steps aside and lets the others through. Times of
the store (the database's clock) never meet this process's clock: a send's end is its grant time
plus the time this process measured from just *before* it asked until the answer came, which is
at least as late as the true end.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from services.clock import Clock, SystemClock
from services.limits.rules import Ask, TelegramLimits, Verdict
from services.limits.stores import DatabaseStore, MemoryStore, SendStore

log = logging.getLogger(__name__)

__all__ = [
    "Busy",
    "LimitsUnavailable",
    "NoLimits",
    "SendLimiter",
    "SendSlots",
    "Slot",
    "held_for",
    "holding",
    "wait_for_slot",
]

# The smallest wait: asyncio may wake a moment early, and the store then says "not yet".
_MIN_WAIT = 0.001
_HINTS_KEPT = 10_000  # chats remembered as busy before the expired ones are dropped


@dataclass(frozen=True)
class Slot:
    """Permission to send one message to ``chat_id`` now."""

    chat_id: int
    send_id: int | None  # the store's row (None: limits off)
    granted_at: float  # store clock
    asked_at: float  # this process's clock, read before the store was asked


@dataclass(frozen=True)
class Busy:
    """Not now: ask again in ``retry_in`` seconds at the earliest; ``by_chat``: the chat's own
    limit holds it back (the overall one or a 429 pause otherwise)."""

    retry_in: float
    by_chat: bool


class LimitsUnavailable(Exception):
    """The shared limits could not be read for a while (the database is unreachable)."""


class SendSlots(Protocol):
    async def acquire(
        self,
        chat_id: int,
        *,
        reply: bool = False,
        chat_wait: float | None = None,
        wait: float | None = None,
    ) -> Slot | Busy:
        """A slot for one message to ``chat_id``, waiting as long as it takes; :class:`Busy`
        instead if its chat would hold it back longer than ``chat_wait`` seconds, or the
        overall limit longer than ``wait`` in all. ``reply``: answering the person's own
        message (a short burst is allowed)."""
        ...

    async def release(self, slot: Slot) -> None:
        """The message's answer came (or it was never sent). Never raises."""
        ...

    async def retry_after(self, slot: Slot, seconds: float) -> None:
        """Telegram answered this slot's message with 429: nothing goes out, from any process,
        for ``seconds``."""
        ...


class SendLimiter:
    def __init__(
        self,
        store: SendStore,
        *,
        limits: TelegramLimits | None = None,
        clock: Clock | None = None,
        unreachable_for: float = 10.0,
    ) -> None:
        self.store = store
        self.limits = limits or TelegramLimits()
        self.clock = clock or SystemClock()
        # How long the store may fail before acquire gives up (a brief outage is waited out).
        self.unreachable_for = unreachable_for
        self._turn = asyncio.Lock()
        self._chat_free: dict[Ask, float] = {}  # see _remember

    @classmethod
    def in_memory(
        cls, *, clock: Clock | None = None, limits: TelegramLimits | None = None
    ) -> SendLimiter:
        """Limits for this process alone (SQLite: one bot process)."""
        return cls(MemoryStore(clock), limits=limits, clock=clock)

    @classmethod
    def on_database(
        cls,
        engine: AsyncEngine,
        *,
        clock: Clock | None = None,
        limits: TelegramLimits | None = None,
    ) -> SendLimiter:
        """Limits shared by every process on ``engine``'s database (``clock`` replaces the
        database's: tests)."""
        return cls(DatabaseStore(engine, clock=clock), limits=limits, clock=clock)

    async def acquire(
        self,
        chat_id: int,
        *,
        reply: bool = False,
        chat_wait: float | None = None,
        wait: float | None = None,
    ) -> Slot | Busy:
        ask = Ask(chat_id, reply)
        asked = self._local()
        while True:
            early = self._chat_free.get(ask, 0.0) - self._local()
            if early > 0:  # the store said so already: no need to ask it again before then
                if chat_wait is not None and early > chat_wait:
                    return Busy(early, by_chat=True)
                await self.clock.sleep(early)
            async with self._turn:
                while True:
                    before = self._local()
                    verdict, send_id, now = await self._grant(ask)
                    if verdict.granted:
                        self._chat_free.pop(ask, None)
                        return Slot(chat_id, send_id, now, before)
                    delay = max(verdict.ready_at - now, _MIN_WAIT)
                    if verdict.by_chat:
                        self._remember(ask, self._local() + delay)
                        if chat_wait is not None and delay > chat_wait:
                            return Busy(delay, by_chat=True)
                        break  # wait outside the turn: other chats may go meanwhile
                    if wait is not None and self._local() - asked + delay > wait:
                        return Busy(delay, by_chat=False)
                    await self.clock.sleep(delay)  # the same window holds everyone here

    def _remember(self, ask: Ask, free_at: float) -> None:
        """``ask``'s chat is not free before ``free_at`` (this process's clock): a lower bound
        from the store, so asking before then could only be refused."""
        if len(self._chat_free) > _HINTS_KEPT:
            now = self._local()
            self._chat_free = {a: t for a, t in self._chat_free.items() if t > now}
        self._chat_free[ask] = max(self._chat_free.get(ask, 0.0), free_at)

    async def release(self, slot: Slot) -> None:
        if slot.send_id is None:
            return
        limit, period = self.limits.chat_window(slot.chat_id, reply=False)
        if limit == 1:  # a person's next notification: a full period after this answer
            self._remember(Ask(slot.chat_id), self._local() + period)
        try:
            await self.store.finish(slot.send_id, self._store_now(slot))
        except (DBAPIError, OSError, TimeoutError) as error:
            # It stays in flight until the store's in-flight limit: later than needed, never
            # too early. Raising here could keep a sent message from being marked sent.
            log.warning("send %s not marked finished: %s", slot.send_id, type(error).__name__)

    async def retry_after(self, slot: Slot, seconds: float) -> None:
        until = self._store_now(slot) + seconds
        try:
            await self.store.pause(until)
        except (DBAPIError, OSError, TimeoutError) as error:
            log.warning("429 pause not shared: %s", type(error).__name__)

    async def _grant(self, ask: Ask) -> tuple[Verdict, int | None, float]:
        """The store's answer; a store that fails (the database unreachable for a moment) is
        asked again with backoff for up to ``unreachable_for`` seconds."""
        failing_since: float | None = None
        backoff = 0.05
        while True:
            try:
                return await self.store.grant(ask, self.limits)
            except (DBAPIError, OSError, TimeoutError) as error:
                now = self._local()
                failing_since = now if failing_since is None else failing_since
                if now - failing_since >= self.unreachable_for:
                    raise LimitsUnavailable(type(error).__name__) from error
                log.warning("send limits unreachable (%s); asking again", type(error).__name__)
                await self.clock.sleep(backoff)
                backoff = min(backoff * 2, 1.0)

    def _store_now(self, slot: Slot) -> float:
        """Now on the store's clock, never earlier than the truth (see the module docstring)."""
        return slot.granted_at + (self._local() - slot.asked_at)

    def _local(self) -> float:
        return self.clock.now().timestamp()


async def wait_for_slot(slots: SendSlots, chat_id: int, *, reply: bool = False) -> Slot:
    """A slot for ``chat_id``, however long it takes (no time limit: never :class:`Busy`)."""
    slot = await slots.acquire(chat_id, reply=reply)
    if isinstance(slot, Busy):  # pragma: no cover - only with a time limit
        raise RuntimeError("a slot without a time limit came back busy")
    return slot


class NoLimits:
    """Limiting off: every slot at once (benchmarks' baseline, tests of other things)."""

    async def acquire(
        self,
        chat_id: int,
        *,
        reply: bool = False,
        chat_wait: float | None = None,
        wait: float | None = None,
    ) -> Slot | Busy:
        return Slot(chat_id, None, 0.0, 0.0)

    async def release(self, slot: Slot) -> None:
        pass

    async def retry_after(self, slot: Slot, seconds: float) -> None:
        pass


_held: ContextVar[Slot | None] = ContextVar("spok_send_slot", default=None)


@contextmanager
def holding(slot: Slot) -> Iterator[None]:
    """Sends made inside already have their slot (see :func:`held_for`)."""
    token = _held.set(slot)
    try:
        yield
    finally:
        _held.reset(token)


def held_for(chat_id: int) -> bool:
    """Whether the running task holds a slot for ``chat_id`` (so a rate limiter on the Bot
    API client must not ask for another one)."""
    slot = _held.get()
    return slot is not None and slot.chat_id == chat_id
