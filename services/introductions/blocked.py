"""People who blocked the bot, and forgetting a designer: what is cancelled, who is told."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.notices import designer_label, maker_hub_id, notify_hub
from services.introductions.model import HUB_LANGUAGE
from services.introductions.texts import IntroTexts
from services.messages import Reply
from services.outbox import OnBlocked
from storage.models import (
    Designer,
    Introduction,
    IntroductionRelay,
    Maker,
    MatchRequest,
    Outbox,
    utcnow,
)


async def person_blocked(
    session: AsyncSession,
    chat_id: int,
    recipient_user_id: int | None,
    *,
    admin_ids: Collection[int] = (),
    now: datetime | None = None,
) -> None:
    """The outbox's :data:`~services.outbox.OnBlocked` hook: the designer or maker behind a
    private chat that blocked the bot is marked unreachable, and their hub is told (once per
    time they become unreachable). Group chats and unknown people change nothing. (The bot
    chains :func:`services.followups.blocked_hook` after it: their check-ins are cancelled.)"""
    user_id = recipient_user_id if recipient_user_id is not None else chat_id
    if user_id <= 0:  # group chats have negative ids
        return
    when = now or utcnow()
    t = IntroTexts(HUB_LANGUAGE)
    designer = (
        await session.exec(select(Designer).where(col(Designer.telegram_user_id) == user_id))
    ).first()
    if designer is not None and designer.unreachable_at is None:
        designer.unreachable_at = when
        session.add(designer)
        latest = (
            await session.exec(
                select(MatchRequest)
                .where(
                    col(MatchRequest.designer_id) == designer.id,
                    col(MatchRequest.hub_id).is_not(None),
                )
                .order_by(col(MatchRequest.created_at).desc(), col(MatchRequest.id).desc())
            )
        ).first()
        if latest is not None:
            await notify_hub(
                session,
                hub_id=latest.hub_id,
                reply=Reply(t("hub.unreachable_designer", name=designer_label(designer))),
                kind="intro.unreachable",
                key=f"unreachable:designer:{designer.id}:{when.isoformat()}",
                now=when,
                admin_ids=admin_ids,
            )
    makers = (await session.exec(select(Maker).where(col(Maker.telegram_user_id) == user_id))).all()
    for maker in makers:
        if maker.unreachable_at is not None:
            continue
        maker.unreachable_at = when
        session.add(maker)
        await notify_hub(
            session,
            hub_id=await maker_hub_id(session, maker),
            reply=Reply(t("hub.unreachable_maker", name=maker.name)),
            kind="intro.unreachable",
            key=f"unreachable:maker:{maker.id}:{when.isoformat()}",
            now=when,
            admin_ids=admin_ids,
        )
    await session.flush()


def blocked_hook(
    admin_ids: Collection[int] = (), clock: Callable[[], datetime] = utcnow
) -> OnBlocked:
    """:func:`person_blocked` with the admins as the notice's last resort, dated by ``clock``
    (the sender's), for the sender."""

    async def hook(session: AsyncSession, chat_id: int, recipient_user_id: int | None) -> None:
        await person_blocked(session, chat_id, recipient_user_id, admin_ids=admin_ids, now=clock())

    return hook


# Kinds of outbox rows keyed on an introduction, a request or a relay (see the dedupe keys above).
_INTRODUCTION_KEYS = (
    "brief", "contact:designer", "contact:maker", "made", "declined", "reminder", "unanswered",
)  # fmt: skip
_REQUEST_KEYS = ("request", "unmet")


async def forget_designer(
    *, session: AsyncSession, designer_id: int, telegram_user_id: int
) -> None:
    """Before a designer's data is erased: drop every outbox row about them.

    Queued rows would otherwise still go out (a contact card, a relayed text), sent rows keep
    a copy of what they said, and on SQLite the erased rows' ids are given to the next
    request, whose notices would then look like duplicates of these and never be sent.
    """
    request_ids = list(
        (
            await session.exec(
                select(MatchRequest.id).where(col(MatchRequest.designer_id) == designer_id)
            )
        ).all()
    )
    introduction_ids = list(
        (
            await session.exec(
                select(Introduction.id).where(col(Introduction.request_id).in_(request_ids))
            )
        ).all()
    )
    relay_ids = list(
        (
            await session.exec(
                select(IntroductionRelay.id).where(
                    col(IntroductionRelay.introduction_id).in_(introduction_ids)
                )
            )
        ).all()
    )
    keys = [f"{kind}:{i}" for kind in _INTRODUCTION_KEYS for i in introduction_ids]
    keys += [f"{kind}:{i}" for kind in _REQUEST_KEYS for i in request_ids]
    keys += [f"relay:{i}" for i in relay_ids]
    keys.append(f"unreachable:designer:{designer_id}")
    about_them = [col(Outbox.dedupe_key) == key for key in keys]
    about_them += [col(Outbox.dedupe_key).startswith(f"{key}:") for key in keys]
    about_them += [
        col(Outbox.chat_id) == telegram_user_id,
        col(Outbox.recipient_user_id) == telegram_user_id,
    ]
    await session.exec(delete(Outbox).where(or_(*about_them)))


async def mark_reachable(*, session: AsyncSession, telegram_user_id: int) -> None:
    """Whoever writes to the bot or presses its buttons can be written to again (a person who
    once blocked the bot and came back is no longer handled as unreachable)."""
    for table in (Designer, Maker):
        await session.exec(
            update(table)
            .where(col(table.telegram_user_id) == telegram_user_id)
            .where(col(table.unreachable_at).is_not(None))
            .values(unreachable_at=None)
        )
