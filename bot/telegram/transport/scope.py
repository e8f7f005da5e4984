"""The update being handled from the inbox: its transaction, and what it leaves for after.

:mod:`bot.telegram.transport.inbox` sets a scope around ``Application.process_update`` for each
update it claims; every handler that runs for that update reads it here (in the same task):

* ``session``: the update's one transaction. Handlers write their effects in it and never
  commit; the edge marks the update done in it and commits once
  (:meth:`bot.telegram.context.BotServices.transaction`).
* ``reply_ids``: the outbox rows (kind ``reply``) its replies were queued as
  (:func:`bot.telegram.transport.render.send_replies`); the edge sends them after the commit.
* ``after_commit``: work that needs the commit first (scrubbing an erasure from the files).
* ``error`` / ``failure_notice``: set when a handler raised; the edge rolls everything back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.messages import Reply

__all__ = ["FailureNotice", "UpdateScope", "current_scope"]


@dataclass(frozen=True)
class FailureNotice:
    """What to tell the person when their update failed ("something went wrong")."""

    chat_id: int
    reply: Reply
    language_code: str | None


@dataclass
class UpdateScope:
    session: AsyncSession
    update_id: int
    now: datetime  # when the edge took it (the services' clock): dates its queued replies
    reply_ids: list[int] = field(default_factory=list)
    after_commit: list[Callable[[], Awaitable[object]]] = field(default_factory=list)
    error: BaseException | None = None
    failure_notice: FailureNotice | None = None


_current: ContextVar[UpdateScope | None] = ContextVar("spok_update_scope", default=None)


def current_scope() -> UpdateScope | None:
    """The scope of the update this task is handling from the inbox, if any."""
    return _current.get()


def enter(scope: UpdateScope) -> object:
    return _current.set(scope)


def leave(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
