"""The receiving edge: every update committed before Telegram hears it arrived, then handled
once, from the database, in one transaction with its effects (:mod:`services.inbox`).

**Receiving: PTB's own webhook server and poller, made durable.** Both hand each update to the
Application's ``update_queue`` and await ``put`` before they acknowledge: the webhook handler
answers 200 after ``put`` returns, the poller asks for the next offset (which confirms the
batch) after the batch's ``put`` calls returned. :class:`DurableUpdateQueue` is that queue: its
``put`` commits the update to the inbox and returns only then, so nothing of PTB's receiving
side had to be rewritten. When the database cannot take it, ``put`` raises a ``NetworkError``:
the webhook answers 500 (Telegram delivers again later) and the poller asks again from the same
offset. Anything else put on the queue (PTB's stop signal) goes through as before.

**Handling.** :class:`InboxEdge` runs workers (at most ``concurrency`` at once, each with a
connection of its own). A worker claims the oldest pending update of a chat nobody is
handling, sets the :mod:`~bot.telegram.transport.scope` and runs PTB's dispatch
(``Application.process_update``) for it: the handlers write into the scope's session and queue
their replies there; the worker marks the update done in the same transaction and commits
once, then sends the replies it queued (through the outbox sender's code, within the shared
limits) before the chat's next update is taken; a chat whose replies are still on their way
(in this or another process) waits for them, so its replies arrive in order. A handler that
raised: everything is rolled back, the update is marked ``failed`` and the person told
something went wrong. A lost database connection: rolled back, the update stays pending and
is tried again.

Updates fed straight to ``Application.process_update`` (tests, benchmarks) take the same path:
stored (a redelivery stops there), then handled at once in the caller's task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.error import NetworkError

from bot.telegram.transport import scope as update_scope
from bot.telegram.transport.clean import clean_update
from bot.telegram.transport.scope import UpdateScope
from bot.telegram.transport.sender import OutboxSender
from services.inbox import Inbox, InboxUnavailable, chat_key_of, is_disconnect
from storage.engine import session_factory
from storage.models import InboxUpdate, Outbox

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.telegram.context import BotServices
    from services.runtime import Runtime

log = logging.getLogger(__name__)

__all__ = ["DurableUpdateQueue", "InboxEdge"]

DEFAULT_CONCURRENCY = 8
POLL_INTERVAL = 1.0  # how often idle workers look for updates other processes stored
RETRY_PAUSE = 0.2  # after a lost connection, before the update is tried again
# How long the replies a worker is sending are its own: if it dies meanwhile, another process
# sends them after this (and that chat's next update waits no longer). Sending a reply takes
# well under it; a batch gives back what is left after half of it.
REPLY_LEASE = timedelta(seconds=20)


class _HandlerFailed(Exception):
    pass


class InboxEdge:
    """Stores incoming updates and handles them from the inbox (see the module docstring).

    Inactive (``inbox`` is ``None``) until :meth:`start` with a runtime that has a database;
    without one (tests with a scripted dialogue) updates go straight to PTB's dispatch.
    """

    def __init__(
        self,
        services: BotServices,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        self.services = services
        self.concurrency = concurrency
        self.poll_interval = poll_interval
        self.inbox: Inbox | None = None
        self.sender: OutboxSender | None = None
        self.application: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._busy: set[int] = set()  # chats this process is handling (or replying in)
        self._freed: dict[int, asyncio.Event] = {}  # set when a busy chat is free again
        self._claiming = asyncio.Lock()
        self._workers: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False

    # -- life ---------------------------------------------------------------------------------

    def start(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        runtime: Runtime,
        *,
        background: bool,
    ) -> None:
        """From ``post_init``. ``background``: also look for pending updates (stored before a
        crash, or by another process's receiving side) and handle what the queue stores."""
        # The runtime's database; feature tests' runtimes have only the hub desk's.
        engine = runtime.engine
        sessions = session_factory(engine) if engine is not None else self.services.sessions
        if sessions is None:
            return
        self.application = application
        self.inbox = Inbox(sessions, clock=self.services.clock)
        self.sender = OutboxSender(
            application.bot,
            sessions,
            limits=runtime.limits,
            clock=_ServicesClock(self.services),
            lease=REPLY_LEASE,
        )
        self._stopping = False
        if background:
            self._loop_task = asyncio.get_running_loop().create_task(self._run(), name="inbox-edge")

    async def stop(self, *, grace: float = 10.0) -> None:
        """From ``post_stop`` (and ``post_shutdown``): no new claims; updates being handled
        finish, for up to ``grace`` seconds; one still running then is cancelled (rolled
        back: it stays pending for the next start or another process)."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        if self._workers:
            _, running = await asyncio.wait(set(self._workers), timeout=grace)
            for task in running:
                task.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)
        self.inbox = self.sender = self.application = None

    @property
    def active(self) -> bool:
        return self.inbox is not None

    # -- receiving ----------------------------------------------------------------------------

    async def receive(self, raw: dict[str, Any]) -> bool:
        """Commit the update (already cleaned); ``False`` for a redelivery. Wakes a worker."""
        assert self.inbox is not None
        stored = await self.inbox.receive(raw)
        if stored:
            self._more()
        else:
            log.info("update %s delivered again: already in the inbox", raw.get("update_id"))
        return stored

    async def process_now(self, update: Update) -> None:
        """An update fed straight to ``process_update``: stored, then its chat's pending
        updates handled in this task (a redelivery does nothing at all)."""
        raw = update.to_dict()
        if not await self.receive(raw):
            return
        key = chat_key_of(raw)
        while True:
            if await self.handle_one(chat_key=key):
                continue
            if key not in self._busy:
                return  # nothing of this chat is pending here (or another process holds it)
            freed = self._freed.setdefault(key, asyncio.Event())
            await freed.wait()  # a background worker of this process has it: wait for it

    # -- handling -----------------------------------------------------------------------------

    def _more(self) -> None:
        """There may be work: start one more worker if allowed (it starts others as it
        finds work)."""
        if self._loop_task is None or self._stopping:
            return
        if len(self._workers) < self.concurrency:
            task = asyncio.get_running_loop().create_task(self._worker(), name="inbox-worker")
            self._workers.add(task)
            task.add_done_callback(self._workers.discard)

    async def _run(self) -> None:
        """Looks for pending updates at start and every ``poll_interval`` (updates another
        process stored, or left when it died)."""
        while not self._stopping:
            self._more()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval)
            self._wake.clear()

    async def _worker(self) -> None:
        while not self._stopping:
            try:
                if not await self.handle_one(on_claim=self._more):
                    return
            except Exception as error:  # never let a worker die silently
                log.error("inbox worker: %s", type(error).__name__)
                await asyncio.sleep(RETRY_PAUSE)

    async def handle_one(self, *, chat_key: int | None = None, on_claim: Any = None) -> bool:
        """Claim one update and handle it in one transaction; ``False`` if none was free."""
        inbox, application = self.inbox, self.application
        if inbox is None or application is None:
            return False
        async with inbox.sessions() as session:
            try:
                row = await self._claim(session, inbox, chat_key)
            except Exception as error:
                if not is_disconnect(error):
                    raise
                log.warning("inbox: claim failed (%s); trying again", type(error).__name__)
                await asyncio.sleep(RETRY_PAUSE)
                return True
            if row is None:
                await session.rollback()
                return False
            chat, update_id = row.chat_key, row.update_id  # read now: a rollback expires the row
            try:
                if on_claim is not None:
                    on_claim()
                replies = await self._handle(session, inbox, application, row)
            except BaseException:
                self._free(chat)
                raise
        # The connection is back in the pool before the replies wait for their slots (under
        # load, workers holding idle connections would keep arriving updates from committing);
        # the chat stays this worker's until they went out.
        try:
            if replies is not None:
                await self._send_claimed(replies, update_id)
        finally:
            self._free(chat)
        return True

    def _free(self, chat: int) -> None:
        self._busy.discard(chat)
        freed = self._freed.pop(chat, None)
        if freed is not None:
            freed.set()

    async def _claim(
        self, session: AsyncSession, inbox: Inbox, chat_key: int | None
    ) -> InboxUpdate | None:
        async with self._claiming if inbox.sqlite else contextlib.nullcontext():
            await session.begin()
            row = await inbox.claim(session, chat_key=chat_key, exclude=tuple(self._busy))
            if row is not None:
                self._busy.add(row.chat_key)
            return row

    async def _handle(
        self,
        session: AsyncSession,
        inbox: Inbox,
        application: Application[Any, Any, Any, Any, Any, Any],
        row: InboxUpdate,
    ) -> _Replies | None:
        """Handle ``row`` in ``session``'s transaction and commit; the replies it queued (to
        send once the session is closed), or ``None``."""
        assert row.id is not None
        row_id, update_id = row.id, row.update_id  # read now: a rollback expires the row
        scope = UpdateScope(session, update_id, now=self.services.clock(), reply_lease=REPLY_LEASE)
        try:
            update = Update.de_json(row.payload, application.bot)
            token = update_scope.enter(scope)
            try:
                await application.process_update(update)
            finally:
                update_scope.leave(token)
            if scope.error is not None:
                raise _HandlerFailed() from scope.error
            await inbox.done(session, row)
            await session.commit()
        except Exception as error:
            await _rollback(session)
            update_scope.forget_after_commit(session)
            cause = scope.error if isinstance(error, _HandlerFailed) else error
            if cause is not None and is_disconnect(cause):
                log.warning(
                    "update %s: database connection lost (%s); it stays pending",
                    update_id,
                    type(cause).__name__,
                )
                await asyncio.sleep(RETRY_PAUSE)
                return None
            if not isinstance(error, _HandlerFailed):
                log.error("update %s not handled: %s", update_id, type(error).__name__)
            await self._failed(inbox, row_id, scope)
            return None
        await update_scope.run_after_commit(session)
        return _Replies(scope.replies, scope.now) if scope.replies else None

    async def _failed(self, inbox: Inbox, row_id: int, scope: UpdateScope) -> None:
        """Mark the update failed and queue "something went wrong", in one transaction."""
        notice = scope.failure_notice
        tell = None if notice is None else (notice.chat_id, notice.reply, notice.language_code)
        try:
            ids = await inbox.failed(row_id, tell=tell, now=scope.now)
        except Exception as error:  # left pending: tried again
            log.warning("update %s: failure not recorded: %s", scope.update_id, type(error))
            return
        await self._send(ids, scope.update_id)

    async def _send_claimed(self, replies: _Replies, update_id: int) -> None:
        if self.sender is None:
            return
        try:
            await self.sender.send_claimed(replies.rows, started=replies.claimed_at)
        except Exception as error:  # claimed for REPLY_LEASE: then any sender sends them
            log.warning("update %s: replies left to the sender: %s", update_id, type(error))

    async def _send(self, ids: list[int], update_id: int) -> None:
        if not ids or self.sender is None:
            return
        try:
            await self.sender.send_rows(ids)
        except Exception as error:  # queued: the background sender sends them
            log.warning("update %s: replies left to the sender: %s", update_id, type(error))


@dataclass(frozen=True)
class _Replies:
    """The replies an update queued, claimed for this process at ``claimed_at``."""

    rows: list[Outbox]
    claimed_at: datetime


async def _rollback(session: AsyncSession) -> None:
    with contextlib.suppress(Exception):
        await session.rollback()


class _ServicesClock:
    """The services' clock as the sender's (tests move it)."""

    def __init__(self, services: BotServices) -> None:
        self.services = services

    def now(self) -> Any:
        return self.services.clock()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class DurableUpdateQueue(asyncio.Queue):
    """The Application's update queue, whose ``put`` commits an update to the inbox before
    it returns (so before PTB acknowledges it); see the module docstring."""

    def __init__(self, edge: InboxEdge) -> None:
        super().__init__()
        self.edge = edge

    async def put(self, item: object) -> None:
        if not isinstance(item, Update) or not self.edge.active:
            await super().put(item)
            return
        try:
            await self.edge.receive(clean_update(item.to_dict()))
        except InboxUnavailable as error:
            raise NetworkError(f"the inbox is unavailable: {error}") from error
