"""Where the sends that still count are kept: in this process (:class:`MemoryStore`, for SQLite,
which runs one bot process) or in the database every process shares (:class:`DatabaseStore`).

Both answer the same three calls: :meth:`grant` (judge one message and, if it may go, count it
as in flight), :meth:`finish` (its answer came) and :meth:`pause` (a 429 stops the whole bot).

**The database store** decides one grant at a time across all processes: each grant is one
short transaction that first takes the row lock of ``telegram_send_state`` (an upsert, so the
row needs no seeding), reads the clock of the database there (PostgreSQL's
``clock_timestamp()``, after the lock: one clock for every process, on any machine), reads the
sends that still count for the overall window and the chat's own one, and inserts the new send.
Statements: the upsert, the read, the insert, within BEGIN/COMMIT; a finished send is one
UPDATE without a transaction. Every :data:`PRUNE_EVERY` grants, rows a minute old are deleted.
"""

from __future__ import annotations

import itertools
from typing import Any, Protocol

from sqlalchemy import Float, and_, cast, delete, func, or_, select, update
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
        self._postgres = engine.dialect.name == "postgresql"
        self._clock = clock if clock is not None or self._postgres else SystemClock()

    async def grant(self, ask: Ask, limits: TelegramLimits) -> tuple[Verdict, int | None, float]:
        async with self.engine.begin() as connection:
            grants, paused_until, database_now = await self._lock(connection)
            now = database_now if self._clock is None else self._clock.now().timestamp()
            _, chat_period = limits.chat_window(ask.chat_id, reply=ask.reply)
            ends = col(TelegramSend.ends_at)
            rows = await connection.execute(
                select(col(TelegramSend.chat_id), ends, col(TelegramSend.in_flight)).where(
                    or_(
                        ends > now - SECOND,
                        and_(col(TelegramSend.chat_id) == ask.chat_id, ends > now - chat_period),
                    )
                )
            )
            counted = [Counted(chat, at, flying) for chat, at, flying in rows.all()]
            verdict = judge(limits, counted, paused_until, ask, now)
            send_id: int | None = None
            if verdict.granted:
                inserted = await connection.execute(
                    TelegramSend.__table__.insert()  # type: ignore[attr-defined]
                    .values(chat_id=ask.chat_id, ends_at=now + limits.in_flight_for, in_flight=True)
                    .returning(col(TelegramSend.id))
                )
                send_id = int(inserted.scalar_one())
            if grants % PRUNE_EVERY == 0:
                await connection.execute(delete(TelegramSend).where(ends < now - MINUTE - SECOND))
        return verdict, send_id, now

    async def finish(self, send_id: int, ends_at: float) -> None:
        async with self.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(
                update(TelegramSend)
                .where(col(TelegramSend.id) == send_id)
                .values(ends_at=ends_at, in_flight=False)
            )

    async def pause(self, until: float) -> None:
        later = func.greatest if self._postgres else func.max  # SQLite's max() of two values
        async with self.engine.begin() as connection:
            await connection.execute(
                self._upsert()
                .values(id=_STATE_ID, grants=0, paused_until=until)
                .on_conflict_do_update(
                    index_elements=[col(TelegramSendState.id)],
                    set_={"paused_until": later(col(TelegramSendState.paused_until), until)},
                )
            )

    async def _lock(self, connection: AsyncConnection) -> tuple[int, float, float]:
        """Take the state row's lock (creating the row if it is missing); returns how many
        grants there were, the bot-wide pause and the database's clock (0 on SQLite)."""
        now: Any = (
            cast(func.extract("epoch", func.clock_timestamp()), Float)
            if self._postgres
            else cast(0.0, Float)
        )
        statement = (
            self._upsert()
            .values(id=_STATE_ID, grants=1, paused_until=0.0)
            .on_conflict_do_update(
                index_elements=[col(TelegramSendState.id)],
                set_={"grants": col(TelegramSendState.grants) + 1},
            )
            .returning(col(TelegramSendState.grants), col(TelegramSendState.paused_until), now)
        )
        grants, paused_until, database_now = (await connection.execute(statement)).one()
        return int(grants), float(paused_until), float(database_now)

    def _upsert(self) -> Any:
        table = TelegramSendState.__table__  # type: ignore[attr-defined]
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)
