"""A designer joining a round through its link (``/start round_<token>``).

The designer dialogue asks :func:`round_for_link` when the link is opened and again, through
:func:`join`, when the brief is sent: a round takes entries only while it is open and its
sign-up window is on, so a brief finished after the window closed is refused politely (and
kept as a draft the designer can search with as usual).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Designer, MatchRequest, Round, RoundEntry, RoundStatus
from storage.repositories.rounds import add_entry, get_round, get_round_by_token

__all__ = ["LINK_PREFIX", "JoinRefusal", "RoundInvite", "join", "joinable", "round_for_link"]

LINK_PREFIX = "round_"


class JoinRefusal(StrEnum):
    UNKNOWN = "unknown"  # no such round (a mistyped or made-up link)
    NOT_YET = "not_yet"  # sign-up has not opened
    CLOSED = "closed"  # sign-up is over
    ALREADY = "already"  # this designer is in the round already


@dataclass(frozen=True, slots=True)
class RoundInvite:
    round_id: int
    theme: str
    closes_at: datetime


def _check(round_: Round | None, now: datetime) -> RoundInvite | JoinRefusal:
    if round_ is None or round_.id is None or round_.status == RoundStatus.DRAFT:
        return JoinRefusal.UNKNOWN
    if round_.status != RoundStatus.OPEN or now >= round_.closes_at:
        return JoinRefusal.CLOSED
    if now < round_.opens_at:
        return JoinRefusal.NOT_YET
    return RoundInvite(round_.id, round_.theme, round_.closes_at)


async def round_for_link(
    *, session: AsyncSession, payload: str, now: datetime
) -> RoundInvite | JoinRefusal:
    """The round a ``/start`` payload names, if it takes entries now."""
    token = payload.removeprefix(LINK_PREFIX)
    if not token or len(token) > 32:
        return JoinRefusal.UNKNOWN
    return _check(await get_round_by_token(session=session, token=token), now)


async def joinable(
    *, session: AsyncSession, round_id: int, designer: Designer | None, now: datetime
) -> RoundInvite | JoinRefusal:
    """Whether the round takes this designer's brief now."""
    checked = _check(await get_round(session=session, round_id=round_id), now)
    if isinstance(checked, JoinRefusal):
        return checked
    if designer is not None and designer.id is not None:
        existing = await session.exec(
            select(RoundEntry.id).where(
                col(RoundEntry.round_id) == round_id, col(RoundEntry.designer_id) == designer.id
            )
        )
        if existing.first() is not None:
            return JoinRefusal.ALREADY
    return checked


async def join(
    *,
    session: AsyncSession,
    round_id: int,
    request: MatchRequest,
    designer: Designer | None,
    now: datetime,
) -> RoundInvite | JoinRefusal:
    """Enter the saved ``request`` in the round, if it still takes the designer's brief."""
    checked = await joinable(session=session, round_id=round_id, designer=designer, now=now)
    if isinstance(checked, JoinRefusal):
        return checked
    assert request.id is not None
    await add_entry(
        session=session,
        entry=RoundEntry(
            round_id=round_id,
            designer_id=designer.id if designer is not None else None,
            request_id=request.id,
            created_at=now,
        ),
    )
    return checked
