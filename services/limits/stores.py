"""Where the sends that still count are kept: in this process (:class:`MemoryStore`, for SQLite,
which runs one bot process) or in the database every process shares (:class:`DatabaseStore`).

Both answer the same three calls: :meth:`grant` (judge one message and, if it may go, count it
as in flight), :meth:`finish` (its answer came) and :meth:`pause` (a 429 stops the whole bot).

**The database store** decides one grant at a time across all processes. On PostgreSQL a grant
is one statement, ``telegram_send_grant()`` (created by migration 0009): under the row lock of
``telegram_send_state`` (an upsert, so the row needs no seeding) it reads the database's clock
(``clock_timestamp()``, after the lock: one clock for every process, on any machine), judges the
overall window and the chat's own by the rule of :func:`~services.limits.rules.judge`, and
counts the new send; ``telegram_send_finish()`` records an answer. Both commit without waiting
for the disk (``synchronous_commit`` off: a send a moment old is not worth a flush, and the row
lock is held that much shorter), each statement its own transaction: 2 statements a send.
On SQLite (tests of two "processes" on one file) the same rule runs in Python inside a
transaction that takes the same row's lock first. Every :data:`PRUNE_EVERY` grants, rows a
minute old are deleted.
"""

from __future__ import annotations

import itertools
from typing import Any, Protocol

from sqlalchemy import and_, delete, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import col

from services.clock import Clock, SystemClock
from services.limits.rules import MINUTE, SECOND, Ask, Counted, TelegramLimits, Verdict, judge
from storage.models import TelegramSend, TelegramSendState

__all__ = ["PRUNE_EVERY", "DatabaseStore", "MemoryStore", "SendStore"]

PRUNE_EVERY = 64
_STATE_ID = 1


class SendStore(Protocol):
    async def grant(self, ask: Ask, limits: TelegramLimits) -> tuple[Verdict, int | None, float]:
        """Judge ``ask`` now; if it may go, count it as in flight. Returns the verdict, the new
        send's id (``None`` if not granted) and the store's "now" (seconds)."""
        ...

    async def finish(self, send_id: int, ends_at: float) -> None:
        """The send's answer came at ``ends_at`` (store clock)."""
        ...

    async def pause(self, until: float) -> None:
        """Nothing is granted before ``until`` (store clock), by any process."""
        ...


class MemoryStore:
    """The sends of this process only (SQLite runs one process; tests on a fake clock)."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()
        self._sends: dict[int, Counted] = {}
        self._recent: list[int] = []  # ids that may still count for the overall window
        self._by_chat: dict[int, list[int]] = {}
        self._ids = itertools.count(1)
        self._paused_until = 0.0
        self._grants = 0

    async def grant(self, ask: Ask, limits: TelegramLimits) -> tuple[Verdict, int | None, float]:
        now = self.clock.now().timestamp()
        self._grants += 1
        if self._grants % (PRUNE_EVERY * 16) == 0:
            self._prune(now)
        _, chat_period = limits.chat_window(ask.chat_id, reply=ask.reply)
        self._recent = self._still_counting(self._recent, SECOND, now)
        chat = self._by_chat.setdefault(ask.chat_id, [])
        chat[:] = self._still_counting(chat, chat_period, now)
        counted = [self._sends[i] for i in set(self._recent) | set(chat)]
        verdict = judge(limits, counted, self._paused_until, ask, now)
        if not verdict.granted:
            return verdict, None, now
        send_id = next(self._ids)
        self._sends[send_id] = Counted(ask.chat_id, now + limits.in_flight_for, in_flight=True)
        self._recent.append(send_id)
        chat.append(send_id)
        return verdict, send_id, now

    async def finish(self, send_id: int, ends_at: float) -> None:
        send = self._sends.get(send_id)
        if send is not None:
            self._sends[send_id] = Counted(send.chat_id, ends_at)

    async def pause(self, until: float) -> None:
        self._paused_until = max(self._paused_until, until)

    def _still_counting(self, ids: list[int], period: float, now: float) -> list[int]:
        return [i for i in ids if i in self._sends and self._sends[i].ends_at + period > now]

    def _prune(self, now: float) -> None:
        old = [i for i, send in self._sends.items() if send.ends_at + MINUTE <= now]
        for send_id in old:
            del self._sends[send_id]
        for chat_id in [c for c, ids in self._by_chat.items() if not self._still_there(ids)]:
            del self._by_chat[chat_id]

    def _still_there(self, ids: list[int]) -> bool:
        ids[:] = [i for i in ids if i in self._sends]
        return bool(ids)


class DatabaseStore:
    """The sends of every process on this database (see the module's docstring).

    ``clock`` replaces the database's clock (tests that move time by hand); on SQLite, where
    there is no such clock worth sharing, the system's is used.
    """

    def __init__(self, engine: AsyncEngine, *, clock: Clock | None = None) -> None:
        self.engine = engine
        self._autocommitting = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._postgres = engine.dialect.name == "postgresql"
        self._clock = clock if clock is not None or self._postgres else SystemClock()

    async def grant(self, ask: Ask, limits: TelegramLimits) -> tuple[Verdict, int | None, float]:
        if self._postgres:
            return await self._grant_in_postgres(ask, limits)
        async with self.engine.begin() as connection:
            return await self._grant_here(connection, ask, limits)

    async def finish(self, send_id: int, ends_at: float) -> None:
        statement: Any = (
            _FINISH.bindparams(id=send_id, ends=ends_at)
            if self._postgres
            else update(TelegramSend)
            .where(col(TelegramSend.id) == send_id)
            .values(ends_at=ends_at, in_flight=False)
        )
        async with self._autocommit() as connection:
            await connection.execute(statement)

    async def pause(self, until: float) -> None:
        later = func.greatest if self._postgres else func.max  # SQLite's max() of two values
        async with self._autocommit() as connection:
            await connection.execute(
                self._upsert()
                .values(id=_STATE_ID, grants=0, paused_until=until)
                .on_conflict_do_update(
                    index_elements=[col(TelegramSendState.id)],
                    set_={"paused_until": later(col(TelegramSendState.paused_until), until)},
                )
            )

    async def _grant_in_postgres(
        self, ask: Ask, limits: TelegramLimits
    ) -> tuple[Verdict, int | None, float]:
        """One round trip: the function the migration 0009 created (the same rule as
        :func:`~services.limits.rules.judge`, decided under the state row's lock)."""
        chat_limit, chat_period = limits.chat_window(ask.chat_id, reply=ask.reply)
        now = None if self._clock is None else self._clock.now().timestamp()
        async with self._autocommit() as connection:
            row = (
                await connection.execute(
                    _GRANT,
                    {
                        "chat": ask.chat_id,
                        "chat_limit": chat_limit,
                        "chat_period": chat_period,
                        "overall_limit": limits.overall_per_second,
                        "in_flight_for": limits.in_flight_for,
                        "now": now,
                        "prune_every": PRUNE_EVERY,
                    },
                )
            ).one()
        verdict = Verdict(granted=row.granted, ready_at=row.ready_at, by_chat=row.by_chat)
        return verdict, row.send_id, row.db_now

    async def _grant_here(
        self, connection: AsyncConnection, ask: Ask, limits: TelegramLimits
    ) -> tuple[Verdict, int | None, float]:
        """The rule in Python, in a transaction that first takes the state row's lock (SQLite:
        its one writer)."""
        grants, paused_until = await self._lock(connection)
        assert self._clock is not None
        now = self._clock.now().timestamp()
        _, chat_period = limits.chat_window(ask.chat_id, reply=ask.reply)
        ends = col(TelegramSend.ends_at)
        rows = await connection.execute(
            select(col(TelegramSend.chat_id), ends, col(TelegramSend.in_flight)).where(
                or_(
                    ends > now - SECOND - _SLACK,
                    and_(
                        col(TelegramSend.chat_id) == ask.chat_id,
                        ends > now - chat_period - _SLACK,
                    ),
                )
            )
        )
        counted = [Counted(chat, at, flying) for chat, at, flying in rows.all()]
        verdict = judge(limits, counted, paused_until, ask, now)
        if grants % PRUNE_EVERY == 0:
            await connection.execute(delete(TelegramSend).where(ends < now - MINUTE - SECOND))
        if not verdict.granted:
            return verdict, None, now
        inserted = await connection.execute(
            TelegramSend.__table__.insert()  # type: ignore[attr-defined]
            .values(chat_id=ask.chat_id, ends_at=now + limits.in_flight_for, in_flight=True)
            .returning(col(TelegramSend.id))
        )
        return verdict, int(inserted.scalar_one()), now

    async def _lock(self, connection: AsyncConnection) -> tuple[int, float]:
        """Take the state row's lock (creating the row if it is missing); returns how many
        grants there were and the bot-wide pause."""
        statement = (
            self._upsert()
            .values(id=_STATE_ID, grants=1, paused_until=0.0)
            .on_conflict_do_update(
                index_elements=[col(TelegramSendState.id)],
                set_={"grants": col(TelegramSendState.grants) + 1},
            )
            .returning(col(TelegramSendState.grants), col(TelegramSendState.paused_until))
        )
        grants, paused_until = (await connection.execute(statement)).one()
        return int(grants), float(paused_until)

    def _autocommit(self) -> Any:
        """A connection whose every statement is its own transaction (no BEGIN/COMMIT)."""
        return self._autocommitting.connect()

    def _upsert(self) -> Any:
        table = TelegramSendState.__table__  # type: ignore[attr-defined]
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)


_FINISH = text("SELECT telegram_send_finish(CAST(:id AS bigint), CAST(:ends AS double precision))")
_SLACK = 0.001  # the reads take a little more than the windows: the rule decides exactly
_GRANT = text(
    "SELECT granted, ready_at, by_chat, send_id, db_now FROM telegram_send_grant("
    "CAST(:chat AS bigint), :chat_limit, CAST(:chat_period AS double precision), "
    ":overall_limit, CAST(:in_flight_for AS double precision), "
    "CAST(:now AS double precision), :prune_every)"
)
