"""Send the outbox (:mod:`services.outbox`) with the bot, within Telegram's limits.

One background task per process, started from the Application's ``post_init``: it drains due
rows, then waits until the next row is due, a commit in this process enqueues something
(:data:`services.outbox.wakeup`), or ``poll_interval`` passes (rows enqueued by other processes).
Several processes can run senders on one PostgreSQL: claims never overlap, and the limits are
one set for all of them (:mod:`services.limits`, the same limiter the bot's direct replies use).

Per row: the reply is rendered like the dialogue's (:func:`bot.telegram.transport.render.plan`,
long texts split), each message takes its slot from the limiter, and the outcome is committed at
once:

* sent → ``sent`` with Telegram's message id;
* 429 ``RetryAfter`` → the row waits exactly ``retry_after``, and every process pauses as long;
* 403 ``Forbidden`` → the chat blocked the bot: the row and that chat's other unsent rows end
  ``blocked`` and the ``on_blocked`` hook runs (to tell the coordinators);
* any other error → retried with exponential backoff, ``failed`` after ``policy.max_attempts``.

A row whose own chat is not allowed another message yet (1 a second to a person, 20 a minute to
a group) is handed back to the table with the time it may go, so one busy chat never holds up
the others; only the overall limit (30 a second), which holds every chat alike, is waited out,
up to ``max_wait``. A row of kind ``reply`` (:func:`services.outbox.is_reply`) may come as a
short burst in its chat; every other row is a notification.

**Recording the outcome.** A message Telegram accepted must be marked ``sent``, or the lease
ends and another claim sends it again. So when the database is briefly unreachable the sender
keeps trying to record an outcome (with backoff) until the batch's lease would end, instead of
giving up at the first error. Logs name the row id and kind only, never the text. A reply split
into several messages is one row: if a later part fails, a retry sends the earlier parts again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

from bot.telegram.transport.limits import retry_after_seconds
from bot.telegram.transport.render import MAX_CAPTION_CHARS, plan
from services import outbox
from services.clock import Clock, SystemClock
from services.followups.courtesy import WorkingHours
from services.limits import Busy, SendLimiter, SendSlots, Slot, holding, wait_for_slot
from storage.models import Outbox, OutboxStatus

log = logging.getLogger(__name__)

__all__ = ["Clock", "OnFailed", "OutboxSender", "SystemClock"]  # Clock: services.clock


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
        limits: SendSlots | None = None,
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
        # Shared with the bot's direct replies; without one, limits for this sender alone.
        self.limits = limits or SendLimiter.in_memory(clock=self.clock)
        self.policy = policy or outbox.RetryPolicy()
        self.on_blocked = on_blocked
        self.on_failed = on_failed
        # Rows marked working_hours_only wait outside these (check-ins); None: no such rule.
        self.hours = hours
        self.batch_size = batch_size
        self.lease = lease
        # Wait at most this long in a batch for the overall limit (or a 429's pause); longer,
        # the rest of the batch goes back to the table. A busy chat's rows go back at once.
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

    @property
    def stopping(self) -> bool:
        return self._stopping

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
        await self._work(rows, started, chat_wait=0)
        return len(rows)

    async def send_rows(self, ids: list[int]) -> int:
        """Send these rows now (the replies an update just committed), in order, within the
        limits; a reply waits up to ``max_wait`` for its chat's slot. Rows another sender took
        meanwhile are its to send; rows handed back are the background sender's (it is rung).
        Returns how many were claimed here."""
        if not ids:
            return 0
        started = self.clock.now()
        async with self.sessions() as session:
            rows = await outbox.claim_ids(session=session, ids=ids, now=started, lease=self.lease)
            await session.commit()
        if await self._work(rows, started, chat_wait=self.max_wait):
            outbox.wakeup.ring()
        return len(rows)

    async def send_claimed(self, rows: list[Outbox], *, started: datetime) -> None:
        """Send rows written already claimed by this process at ``started`` (the replies an
        update queued, see :func:`services.outbox.enqueue_replies`), as :meth:`send_rows`."""
        if await self._work(rows, started, chat_wait=self.max_wait):
            outbox.wakeup.ring()

    async def _work(self, rows: list[Outbox], started: datetime, *, chat_wait: float) -> bool:
        """Deal with each claimed row; ``True`` if some went back to the table."""
        lease_ends = started + self.lease
        back: list[tuple[Outbox, datetime]] = []  # handed back unsent, due again then
        blocked: set[int] = set()
        waiting: dict[int, datetime] = {}  # chats handed back (later rows keep their order)

        def the_rest(position: int, due: datetime) -> list[tuple[Outbox, datetime]]:
            """Rows from ``position`` on, due at ``due`` (a chat's own later time if it has
            one: its rows keep their order)."""
            return [
                (r, max(due, waiting.get(r.chat_id, due)))
                for r in rows[position:]
                if r.chat_id not in blocked
            ]

        try:
            for position, row in enumerate(rows):
                now = self.clock.now()
                if self._stopping or now - started > self.lease / 2:
                    # Shutting down, or keeping well inside the lease: the rest goes back.
                    back += the_rest(position, now)
                    break
                if row.chat_id in blocked:
                    continue  # cancelled by mark_blocked already
                if row.chat_id in waiting:
                    back.append((row, waiting[row.chat_id]))
                    continue
                if self._outside_hours(row):
                    assert self.hours is not None
                    back.append((row, self.hours.next_opening(now)))
                    continue
                slot = await self.limits.acquire(
                    row.chat_id,
                    reply=outbox.is_reply(row),
                    chat_wait=chat_wait,
                    wait=self.max_wait,
                )
                if isinstance(slot, Busy):
                    due = self.clock.now() + timedelta(seconds=slot.retry_in)
                    if slot.by_chat:  # a maker with several check-ins due at once: 1 a second
                        waiting[row.chat_id] = due
                        back.append((row, due))
                        continue
                    # The overall limit or a 429 pause: it holds every row alike.
                    back += the_rest(position, due)
                    break
                if await self._deliver(row, slot, lease_ends):
                    blocked.add(row.chat_id)
        finally:
            if back:
                await self._hand_back(back, lease_ends)
        return bool(back)

    def _outside_hours(self, row: Outbox) -> bool:
        return (
            row.working_hours_only
            and self.hours is not None
            and not self.hours.allows(self.clock.now())
        )

    async def _hand_back(self, rows: list[tuple[Outbox, datetime]], lease_ends: datetime) -> None:
        async def write(session: AsyncSession) -> None:
            for row, not_before in rows:
                await outbox.release(session=session, row=row, not_before=not_before)

        await self._record("hand-back", rows[0][0], write, until=lease_ends)

    async def _deliver(self, row: Outbox, slot: Slot, lease_ends: datetime) -> bool:
        """Send one row and record the outcome; ``True`` if its chat blocked the bot."""
        try:
            message_id = await self._send(row, slot)
        except _Blocked as error:
            now = self.clock.now()
            reason = str(error.__cause__ or error)

            async def blocked(session: AsyncSession) -> None:
                await outbox.mark_blocked(
                    session=session, row=row, now=now, error=reason, on_blocked=self.on_blocked
                )

            await self._record("blocked", row, blocked, until=lease_ends)
            return True
        except RetryAfter as error:
            seconds = retry_after_seconds(error)
            log.info("outbox row %s (%s): Telegram asks to wait %s s", row.id, row.kind, seconds)
            await self._retry(
                row,
                self.clock.now(),
                "RetryAfter",
                lease_ends,
                retry_after=timedelta(seconds=seconds),
            )
        except Exception as error:  # TelegramError, network, or a bug: back off, never crash
            log.warning("outbox row %s (%s) not sent: %s", row.id, row.kind, type(error).__name__)
            detail = str(error) if isinstance(error, TelegramError) else ""
            await self._retry(
                row, self.clock.now(), f"{type(error).__name__}: {detail}"[:500], lease_ends
            )
        else:
            now = self.clock.now()

            async def sent(session: AsyncSession) -> None:
                await outbox.mark_sent(
                    session=session, row=row, now=now, telegram_message_id=message_id
                )

            await self._record("sent", row, sent, until=lease_ends)
        return False

    async def _retry(
        self,
        row: Outbox,
        now: datetime,
        error: str,
        lease_ends: datetime,
        retry_after: timedelta | None = None,
    ) -> None:
        async def write(session: AsyncSession) -> None:
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

        await self._record("retry", row, write, until=lease_ends)

    async def _record(
        self,
        what: str,
        row: Outbox,
        write: Callable[[AsyncSession], Awaitable[None]],
        *,
        until: datetime,
    ) -> None:
        """Commit ``write`` in a transaction of its own; while the database is unreachable,
        try again with backoff until ``until`` (the batch's lease end), then give up (the row
        is then claimed again after its lease: at least once, never lost)."""
        backoff = 0.05
        while True:
            try:
                async with self.sessions() as session:
                    await write(session)
                    await session.commit()
                return
            except (DBAPIError, OSError, TimeoutError) as error:
                if self.clock.now() + timedelta(seconds=backoff) >= until:
                    log.error(
                        "outbox row %s (%s): %s not recorded before its lease ends: %s",
                        row.id,
                        row.kind,
                        what,
                        type(error).__name__,
                    )
                    raise
                log.warning(
                    "outbox row %s (%s): %s not recorded yet (%s); trying again",
                    row.id,
                    row.kind,
                    what,
                    type(error).__name__,
                )
                await self.clock.sleep(backoff)
                backoff = min(backoff * 2, 2.0)

    async def _send(self, row: Outbox, first: Slot) -> int | None:
        """Every message of the row's reply, each in a slot of its own; the last one's id."""
        message_id: int | None = None
        reply = outbox.is_reply(row)
        try:
            content = outbox.reply_of(row.payload)
            parts = [] if content.document else plan(content, outbox.language_of(row.payload))
        except Exception:
            await self.limits.release(first)  # never used
            raise
        if content.document is not None:  # a file, its text as the caption
            document = content.document
            send_file = _bound(
                self.bot.send_document,
                chat_id=row.chat_id,
                document=InputFile(document.data, filename=document.filename),
                caption=content.text[:MAX_CAPTION_CHARS] or None,
                parse_mode=ParseMode.HTML,
            )
            try:
                with holding(first):
                    return (await send_file()).message_id
            except RetryAfter as error:
                await self.limits.retry_after(first, retry_after_seconds(error))
                raise
            except Forbidden as error:
                raise _Blocked() from error
            finally:
                await self.limits.release(first)
        for index, part in enumerate(parts):
            slot = (
                first if index == 0 else await wait_for_slot(self.limits, row.chat_id, reply=reply)
            )
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
                with holding(slot):  # the bot's own rate limiter must not ask again
                    message = await send()
            except RetryAfter as error:
                await self.limits.retry_after(slot, retry_after_seconds(error))
                raise
            except Forbidden as error:
                raise _Blocked() from error
            finally:
                await self.limits.release(slot)
            message_id = message.message_id
        return message_id


def _bound(
    method: Callable[..., Awaitable[Message]], **kwargs: object
) -> Callable[[], Awaitable[Message]]:
    return lambda: method(**kwargs)
