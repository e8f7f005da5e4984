"""What several services need to reach people: the hub's coordinators, a maker's hub and
opaque button tokens. Shared by the introduction lifecycle and the follow-ups, so neither
imports the other's internals."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.registry import coordinator_chats, hub_of_maker
from services.messages import Reply
from services.outbox import enqueue
from storage.models import ActionToken, Designer, Maker

__all__ = ["ACTION_TOKEN_LENGTH", "designer_label", "maker_hub_id", "new_token", "notify_hub"]


async def notify_hub(
    session: AsyncSession,
    *,
    hub_id: int | None,
    reply: Reply,
    kind: str,
    key: str,
    now: datetime,
    admin_ids: Collection[int],
    working_hours_only: bool = False,
) -> None:
    """Enqueue ``reply`` to each of the hub's coordinator chats (admins as the last resort),
    once per chat however often it is called with the same ``key``."""
    if hub_id is None:
        chats = sorted(admin_ids)
    else:
        chats = await coordinator_chats(session=session, hub_id=hub_id, fallback_ids=admin_ids)
    for chat in chats:
        await enqueue(
            session=session,
            chat_id=chat,
            reply=reply,
            kind=kind,
            now=now,
            dedupe_key=f"{key}:{chat}",
            working_hours_only=working_hours_only,
        )


async def maker_hub_id(session: AsyncSession, maker: Maker) -> int | None:
    """The hub that coordinates ``maker`` (its own, or the one covering its county)."""
    try:
        return (await hub_of_maker(session=session, maker=maker)).id
    except LookupError:
        return None


# What every button of a bot-initiated message carries: token_urlsafe(12), 16 characters
# (the dialogue's own buttons carry 11, so a handler can tell them apart without a look-up).
ACTION_TOKEN_LENGTH = 16


def new_token(
    session: AsyncSession,
    *,
    action: str,
    now: datetime,
    introduction_id: int | None = None,
    request_id: int | None = None,
    maker_id: int | None = None,
    allowed_user_id: int | None = None,
    hub_id: int | None = None,
    follow_up_id: int | None = None,
) -> str:
    """Add an :class:`~storage.models.ActionToken` (in the caller's transaction); its value is
    what the button carries."""
    value = secrets.token_urlsafe(12)
    assert len(value) == ACTION_TOKEN_LENGTH
    session.add(
        ActionToken(
            token=value,
            action=action,
            introduction_id=introduction_id,
            request_id=request_id,
            maker_id=maker_id,
            allowed_user_id=allowed_user_id,
            hub_id=hub_id,
            follow_up_id=follow_up_id,
            created_at=now,
        )
    )
    return value


def designer_label(designer: Designer | None) -> str:
    """How coordinators see a designer: name and company, or "–"."""
    if designer is None:
        return "–"
    return ", ".join(v for v in (designer.name, designer.company) if v) or "–"
