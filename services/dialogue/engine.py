"""The designer dialogue behind the transport contract: one database transaction per update.

Nothing about a conversation is kept in process memory. Each :meth:`DesignerDialogue.handle`

1. records ``(source, update_id)`` as processed -- a delivery seen before changes nothing (on
   Telegram the edge's inbox holds that rule for every feature and hands the update's
   transaction in: steps 1 and 4 are then the edge's, see :mod:`services.inbox`);
2. takes the person's conversation row, locked (``SELECT … FOR UPDATE`` on PostgreSQL, so two
   bot processes serving one conversation take turns; on SQLite the transaction's first
   statement is a write, which takes the single writer lock);
3. runs the step (:mod:`services.dialogue.flow`) and saves the new state;
4. commits, and only then returns the replies.

If anything fails the transaction rolls back, the update is not marked processed, and a
redelivery starts from the same state.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.contract import Incoming, Outcome
from services.dialogue.flow import Turn
from services.dialogue.state import Step
from services.matchmaking import Matchmaker
from services.messages import Reply, language_for
from services.privacy import ERASED_TABLES
from storage.engine import scrub
from storage.repositories.conversations import (
    claim_update,
    lock_conversation_with_designer,
    save_conversation,
)

__all__ = ["DesignerDialogue", "Step"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DesignerDialogue:
    """Implements :class:`services.dialogue.contract.Dialogue` for designers."""

    def __init__(
        self,
        session_maker: async_sessionmaker[AsyncSession],
        matchmaker: Matchmaker,
        *,
        clock: Callable[[], datetime] = _utcnow,
        admin_ids: Collection[int] = (),
        notify: bool = True,
    ) -> None:
        self._session_maker = session_maker
        self._matchmaker = matchmaker
        self._clock = clock
        # Hub notices fall back to the admins when a hub has no chat and no coordinators.
        self._admin_ids = tuple(admin_ids)
        # False for the terminal chat: its requests are saved, but no brief or hub notice is
        # queued for real makers and coordinators who may share the database.
        self._notify = notify

    async def handle(self, incoming: Incoming, *, session: AsyncSession | None = None) -> Outcome:
        """Handle one update. With ``session`` (the Telegram edge's: the update's own
        transaction, see :mod:`services.inbox`) the step runs in it and nothing is committed
        or claimed here: the edge holds the exactly-once rule and commits; an erasure's scrub
        comes back as ``Outcome.after_commit``. Without, a transaction of its own, claiming
        ``(source, update_id)`` first."""
        if session is not None:
            turn, before = await self._step(session, incoming)
            after = self._scrub if turn.erased else None
            return self._outcome(turn, before, after_commit=after)
        async with self._session_maker() as own, own.begin():
            if incoming.update_id is not None and not await claim_update(
                session=own,
                source=incoming.source,
                update_id=incoming.update_id,
                at=self._clock(),
            ):
                return Outcome(duplicate=True)
            turn, before = await self._step(own, incoming)
        if turn.erased:  # committed: now leave no copy of it in the database's files
            await self._scrub()
        return self._outcome(turn, before)

    async def _step(self, session: AsyncSession, incoming: Incoming) -> tuple[Turn, Step]:
        now = self._clock()
        person = incoming.person
        conversation, designer = await lock_conversation_with_designer(
            session=session,
            telegram_user_id=person.user_id,
            chat_id=incoming.chat_id,
            language=language_for(person.language_code),
            step=Step.START.value,
            at=now,
        )
        if designer is not None and designer.unreachable_at is not None:
            designer.unreachable_at = None  # they wrote to us: we can write to them again
        turn = Turn(
            session=session,
            matchmaker=self._matchmaker,
            conversation=conversation,
            designer=designer,
            first_name=person.first_name,
            now=now,
            admin_ids=self._admin_ids,
            notify=self._notify,
        )
        before = turn.step
        await turn.run(incoming.event)
        conversation.step = turn.step.value
        conversation.data = turn.data.dump()
        conversation.language = turn.language
        conversation.chat_id = incoming.chat_id
        await save_conversation(session=session, conversation=conversation, at=now)
        return turn, before

    async def _scrub(self) -> None:
        await scrub(self._session_maker.kw["bind"], ERASED_TABLES)

    @staticmethod
    def _outcome(
        turn: Turn, before: Step, *, after_commit: Callable[[], Awaitable[object]] | None = None
    ) -> Outcome:
        replies = _keyboard_removed(before, turn.step, tuple(turn.replies))
        return Outcome(
            replies=replies,
            notice=turn.notice,
            step=turn.step.value,
            language=turn.language,
            after_commit=after_commit,
        )


# Steps at which the "share location" reply keyboard is on screen.
_LOCATION_STEPS = frozenset({Step.LOCATION, Step.PLACE_CHOICE})


def _keyboard_removed(before: Step, after: Step, replies: tuple[Reply, ...]) -> tuple[Reply, ...]:
    """Leaving the location steps by any way (a command, a button) takes the keyboard away."""
    if before not in _LOCATION_STEPS or after in _LOCATION_STEPS or not replies:
        return replies
    if any(reply.remove_keyboard for reply in replies):
        return replies
    return (replace(replies[0], remove_keyboard=True), *replies[1:])
