"""/checkins: a designer or maker turns their introduction check-ins off and on. Turning them
off also withdraws a check-in already waiting in the outbox; makers still get the freshness
question, which keeps their listing current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.followups.schedule import person_condition, withdraw
from storage.models import Designer, FollowUpStatus, Maker

__all__ = ["CheckinsState", "set_checkins"]


@dataclass(frozen=True, slots=True)
class CheckinsState:
    known: bool  # the account is a designer or a maker at all
    on: bool
    is_maker: bool
    language: str | None


async def set_checkins(
    *, session: AsyncSession, user_id: int, on: bool | None, now: datetime
) -> CheckinsState:
    """Turn the person's check-ins on or off (``None``: just tell the state)."""
    designer = (
        await session.exec(select(Designer).where(col(Designer.telegram_user_id) == user_id))
    ).first()
    makers = list(
        (await session.exec(select(Maker).where(col(Maker.telegram_user_id) == user_id))).all()
    )
    people: list[Designer | Maker] = [*([designer] if designer else []), *makers]
    if not people:
        return CheckinsState(known=False, on=True, is_maker=False, language=None)
    if on is not None:
        for person in people:
            person.checkins_off_at = None if on else (person.checkins_off_at or now)
            session.add(person)
        await session.flush()
    if on is False:  # what is already waiting in the outbox is not sent either
        theirs = person_condition(
            designer_ids=[designer.id] if designer is not None and designer.id else [],
            maker_ids=[maker.id for maker in makers if maker.id is not None],
            freshness=False,
        )
        await withdraw(
            session,
            theirs,
            reason="check-ins off",
            status=FollowUpStatus.SKIPPED,
            only_queued=True,
        )
    state = all(person.checkins_off_at is None for person in people)
    return CheckinsState(
        known=True,
        on=state,
        is_maker=bool(makers),
        language=designer.language if designer else None,
    )
