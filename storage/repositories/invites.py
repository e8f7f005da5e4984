"""Invite links: stored tokens, looked up for redemption under a row lock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Invite

__all__ = ["add_invite", "get_invite_for_update", "mark_invite_used"]


async def add_invite(*, session: AsyncSession, invite: Invite) -> Invite:
    """Store a new invite. Flushes (so it has its id), does not commit."""
    session.add(invite)
    await session.flush()
    return invite


async def get_invite_for_update(*, session: AsyncSession, token: str) -> Invite | None:
    """The invite with ``token``, its row locked until the transaction ends (PostgreSQL), so
    two redemptions of one token cannot both succeed. SQLite serialises writers anyway."""
    result = await session.exec(select(Invite).where(Invite.token == token).with_for_update())
    return result.first()


async def mark_invite_used(
    *, session: AsyncSession, invite_id: int, used_by: int, used_at: datetime
) -> bool:
    """Claim the invite for ``used_by``; False when it was already used. One conditional
    UPDATE, so of two concurrent redemptions exactly one wins on either database."""
    statement = (
        update(Invite)
        .where(col(Invite.id) == invite_id, col(Invite.used_at).is_(None))
        .values(used_at=used_at, used_by=used_by)
    )
    result = await session.exec(statement)
    return result.rowcount == 1
