"""Send the outbox (:mod:`services.outbox`) with the bot, within Telegram's limits.

One background task per process, started from the Application's ``post_init``: it drains due
rows, then waits until the next row is due, a commit in this process enqueues something
(:data:`services.outbox.wakeup`), or ``poll_interval`` passes (rows enqueued by other processes).
Several processes can run senders on one PostgreSQL: claims never overlap.

Per row: the reply is rendered like the dialogue's (:func:`bot.telegram.transport.render.plan`,
long texts split), each message waits for its slot in
:class:`~bot.telegram.transport.limits.RateLimits`, and the outcome is committed at once:

* sent → ``sent`` with Telegram's message id;
* 429 ``RetryAfter`` → the row waits exactly ``retry_after`` and the whole sender pauses as long;
* 403 ``Forbidden`` → the chat blocked the bot: the row and that chat's other unsent rows end
  ``blocked`` and the ``on_blocked`` hook runs (to tell the coordinators);
* any other error → retried with exponential backoff, ``failed`` after ``policy.max_attempts``.

A row whose own chat is not allowed another message yet (1 a second to a person, 20 a minute to
a group) is handed back to the table with the time it may go, so one busy chat never holds up
the others; only the overall limit (30 a second), which holds every chat alike, is waited out.
Logs name the row id and kind only, never the text. A reply split into several messages is one
row: if a later part fails, a retry sends the earlier parts again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import func
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import Application
from telegram.warnings import PTBDeprecationWarning

from bot.telegram.transport.limits import RateLimits
from bot.telegram.transport.render import plan
from services import outbox
from services.followups.courtesy import WorkingHours
from storage.models import Outbox, OutboxStatus

log = logging.getLogger(__name__)

__all__ = ["Clock", "OnFailed", "OutboxSender", "SystemClock"]


class Clock(Protocol):
    def now(self) -> datetime: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


# (session, row, now): called in the transaction that marks a row failed after its last retry.
OnFailed = Callable[[AsyncSession, Outbox, datetime], Awaitable[None]]


class _Blocked(Exception):
    pass


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Clock | None = None,
        limits: RateLimits | None = None,
        policy: outbox.RetryPolicy | None = None,
        on_blocked: outbox.OnBlocked | None = None,
        on_failed: OnFailed | None = None,
        hours: WorkingHours | None = None,
        batch_size: int = 50,
        lease: timedelta = outbox.DEFAULT_LEASE,
        max_wait: float = 5.0,
        poll_interval: float = 30.0,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.clock = clock or SystemClock()
        self.limits = limits or RateLimits()
        self.policy = policy or outbox.RetryPolicy()
        self.on_blocked = on_blocked
        self.on_failed = on_failed
        # Rows marked working_hours_only wait outside these (check-ins); None: no such rule.
        self.hours = hours
        self.batch_size = batch_size
        self.lease = lease
        # Wait at most this long in a batch for a chat's next slot; later, the row goes back.
        self.max_wait = max_wait
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None

    # -- life ---------------------------------------------------------------------------------

    def start(self, application: Application) -> None:
        """Run in the background for as long as ``application`` runs (from ``post_init``)."""
        self._unsubscribe = outbox.wakeup.subscribe(self.notify)
        self._task = application.create_task(self._run(), name="outbox-sender")

    async def stop(self, *, grace: float = 10.0) -> None:
        """Stop the background task (from ``post_shutdown``).

        The row being sent is finished and recorded; claimed rows not yet tried go back to the
        table at once. Only a send that hangs past ``grace`` seconds is cancelled (its row is
        then retried after the lease).
        """
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=grace)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None

    def notify(self) -> None:
        """Something was enqueued: look at the table now."""
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self.drain()
                delay = await self.seconds_until_next_due()
            except Exception as error:  # the database went away: try again later
                log.warning("outbox sender: %s; retrying", type(error).__name__)
                delay = self.poll_interval
            timeout = self.poll_interval if delay is None else min(delay, self.poll_interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(timeout, 0.05))

    # -- work ---------------------------------------------------------------------------------

    async def drain(self) -> int:
        """Send batches until nothing is due now; returns how many rows were claimed."""
        total = 0
        while not self._stopping and (claimed := await self.send_batch()):
            total += claimed
        return total

    async def run_until_idle(self) -> int:
        """Drain, and wait on the clock for rows due later, until the table has nothing left
        to send, or :meth:`stop` is called (tests with a fake clock; a benchmark; a script
        flushing the outbox)."""
        total = 0
        while not self._stopping:
            total += await self.drain()
            delay = await self.seconds_until_next_due()
            if delay is None or self._stopping:
                break
            await self.clock.sleep(max(delay, 0.0))
        return total

    async def seconds_until_next_due(self) -> float | None:
        """Seconds until the earliest unsent row is due (≤ 0: now); ``None`` if there is none."""
        async with self.sessions() as session:
            earliest = (
                await session.exec(
                    select(func.min(col(Outbox.not_before))).where(
                        col(Outbox.status).in_(
                            [OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]
                        )
                    )
                )
            ).one()
        if earliest is None:
            return None
        return (earliest - self.clock.now()).total_seconds()

    async def send_batch(self) -> int:
        """Claim one batch of due rows and deal with each; returns how many were claimed."""
        started = self.clock.now()
        async with self.sessions() as session:
            rows = await outbox.claim_due(
                session=session, now=started, limit=self.batch_size, lease=self.lease
            )
            await session.commit()
        waiting = list(rows)
        blocked: set[int] = set()
        while waiting:
            now = self.clock.now()
            if now - started > self.lease / 2:  # keep well inside the lease: hand the rest back
                await self._release(waiting, now)
                break
            held: set[int] = set()  # chats with an earlier row still waiting (keeps the order)
            later: list[Outbox] = []
            for position, row in enumerate(waiting):
                if self._stopping:  # shutting down: what was not tried goes back unchanged
                    await self._release(later + waiting[position:], self.clock.now())
                    return len(rows)
                if row.chat_id in blocked:
                    continue  # cancelled by mark_blocked already
                if self._outside_hours(row):
                    await self._release([row], self.clock.now(), courtesy=True)
                    continue
                if row.chat_id in held or self._ready_at(row.chat_id) > self._seconds():
                    held.add(row.chat_id)
                    later.append(row)
                    continue
                if await self._deliver(row):
                    blocked.add(row.chat_id)
            waiting = [row for row in later if row.chat_id not in blocked]
            # Rows held back by their own chat's limit (a maker with several check-ins due at
            # once: 1 a second) go back to the table now, so the next batch can bring other
            # chats' rows instead of this one waiting on them; only the overall limit, which
            # holds every chat alike, is waited out here.
            moment = self._seconds()
            busy = [r for r in waiting if self.limits.chat_ready_at(r.chat_id, moment) > moment]
            if busy:
                await self._release(busy, self.clock.now())
                waiting = [row for row in waiting if row not in busy]
            if not waiting:
                break
            wait = min(self._ready_at(row.chat_id) for row in waiting) - self._seconds()
            if wait > self.max_wait:
                await self._release(waiting, self.clock.now())
                break
            await self.clock.sleep(max(wait, 0.0))
        return len(rows)

    def _seconds(self) -> float:
        return self.clock.now().timestamp()

    def _ready_at(self, chat_id: int) -> float:
        return self.limits.ready_at(chat_id, self._seconds())

    def _outside_hours(self, row: Outbox) -> bool:
        return (
            row.working_hours_only
            and self.hours is not None
            and not self.hours.allows(self.clock.now())
        )

    async def _release(self, rows: list[Outbox], now: datetime, *, courtesy: bool = False) -> None:
        async with self.sessions() as session:
            for row in rows:
                ready = self.limits.ready_at(row.chat_id, now.timestamp())
                not_before = max(now, datetime.fromtimestamp(ready, UTC))
                if courtesy and self.hours is not None:  # the next opening of working hours
                    not_before = max(not_before, self.hours.next_opening(now))
                await outbox.release(session=session, row=row, not_before=not_before)
            await session.commit()

    async def _deliver(self, row: Outbox) -> bool:
        """Send one row and record the outcome; ``True`` if its chat blocked the bot."""
        try:
            message_id = await self._send(row)
        except _Blocked as error:
            async with self.sessions() as session:
                await outbox.mark_blocked(
                    session=session,
                    row=row,
                    now=self.clock.now(),
                    error=str(error.__cause__ or error),
                    on_blocked=self.on_blocked,
                )
                await session.commit()
            return True
        except RetryAfter as error:
            seconds = _retry_after_seconds(error)
            now = self.clock.now()
            self.limits.pause_until(now.timestamp() + seconds)
            log.info("outbox row %s (%s): Telegram asks to wait %s s", row.id, row.kind, seconds)
            await self._retry(row, now, "RetryAfter", retry_after=timedelta(seconds=seconds))
        except Exception as error:  # TelegramError, network, or a bug: back off, never crash
            log.warning("outbox row %s (%s) not sent: %s", row.id, row.kind, type(error).__name__)
            detail = str(error) if isinstance(error, TelegramError) else ""
            await self._retry(row, self.clock.now(), f"{type(error).__name__}: {detail}"[:500])
        else:
            async with self.sessions() as session:
                await outbox.mark_sent(
                    session=session,
                    row=row,
                    now=self.clock.now(),
                    telegram_message_id=message_id,
                )
                await session.commit()
        return False

    async def _retry(
        self, row: Outbox, now: datetime, error: str, retry_after: timedelta | None = None
    ) -> None:
        async with self.sessions() as session:
            status = await outbox.mark_retry(
                session=session,
                row=row,
                now=now,
                error=error,
                policy=self.policy,
                retry_after=retry_after,
            )
            if status == OutboxStatus.FAILED.value and self.on_failed is not None:
                row.last_error = error
                await self.on_failed(session, row, now)
            await session.commit()

    async def _send(self, row: Outbox) -> int | None:
        """Every message of the row's reply, each in its rate-limit slot; the last one's id."""
        message_id: int | None = None
        for part in plan(outbox.reply_of(row.payload), None):
            ready = self.limits.ready_at(row.chat_id, self._seconds())
            if ready > self._seconds():
                await self.clock.sleep(ready - self._seconds())
            self.limits.record(row.chat_id, self._seconds())
            send: Callable[[], Awaitable[Message]]
            if part.photo_file_id is not None:
                send = _bound(
                    self.bot.send_photo,
                    chat_id=row.chat_id,
                    photo=part.photo_file_id,
                    caption=part.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=part.markup,
                )
            else:
                send = _bound(
                    self.bot.send_message,
                    chat_id=row.chat_id,
                    text=part.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=part.markup,
                )
            try:
                message = await send()
            except Forbidden as error:
                raise _Blocked() from error
            message_id = message.message_id
        return message_id


def _bound(
    method: Callable[..., Awaitable[Message]], **kwargs: object
) -> Callable[[], Awaitable[Message]]:
    return lambda: method(**kwargs)


def _retry_after_seconds(error: RetryAfter) -> float:
    """PTB gives ``retry_after`` as seconds or a ``timedelta`` (PTB_TIMEDELTA) and warns that
    the int form goes away; either is fine here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        delay: object = error.retry_after
    if isinstance(delay, timedelta):
        return delay.total_seconds()
    return float(delay)  # type: ignore[arg-type]
