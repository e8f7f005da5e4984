"""The update being handled from the inbox: its transaction, and what it leaves for after.

:mod:`bot.telegram.transport.inbox` sets a scope around ``Application.process_update`` for each
update it claims; every handler that runs for that update reads it here (in the same task):

* ``session``: the update's one transaction. Handlers write their effects in it and never
  commit; the edge marks the update done in it and commits once
  (:meth:`bot.telegram.context.BotServices.transaction`).
* ``replies``: the outbox rows (kind ``reply``) its replies were queued as, already claimed
  for ``reply_lease`` (:func:`bot.telegram.transport.render.send_replies`); the edge sends
  them after the commit.
* :func:`after_commit`: work that needs the commit first (scrubbing an erasure from the
  files, handing a changed listing to the running ranking).
* ``error`` / ``failure_notice``: set when a handler raised; the edge rolls everything back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from services.messages import Reply
from storage.models import Outbox

log = logging.getLogger(__name__)

__all__ = ["FailureNotice", "UpdateScope", "after_commit", "current_scope", "run_after_commit"]


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
    reply_lease: timedelta | None = None  # queued replies are claimed for this long
    replies: list[Outbox] = field(default_factory=list)
    error: BaseException | None = None
    failure_notice: FailureNotice | None = None


_AFTER_COMMIT = "spok_after_commit"


def after_commit(session: AsyncSession, work: Callable[[], Awaitable[object]]) -> None:
    """Run ``work`` once ``session``'s transaction committed (whoever commits it: the edge or
    :meth:`~bot.telegram.context.BotServices.transaction`); dropped on a rollback."""
    session.info.setdefault(_AFTER_COMMIT, []).append(work)


def forget_after_commit(session: AsyncSession) -> None:
    session.info.pop(_AFTER_COMMIT, None)


async def run_after_commit(session: AsyncSession) -> None:
    """What :func:`after_commit` deferred, in order; a failure is logged, never raised."""
    for work in session.info.pop(_AFTER_COMMIT, []):
        try:
            await work()
        except Exception as error:
            log.warning("after commit: %s", type(error).__name__)


_current: ContextVar[UpdateScope | None] = ContextVar("spok_update_scope", default=None)


def current_scope() -> UpdateScope | None:
    """The scope of the update this task is handling from the inbox, if any."""
    return _current.get()


def enter(scope: UpdateScope) -> object:
    return _current.set(scope)


def leave(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
