"""The hub-and-roles use cases the bot offers, each one transaction: redeem an invite, create
one, bind a hub's coordinator chat, follow a group that became a supergroup.

Each method runs in the caller's ``session`` when given one (the Telegram edge's: the
update's own transaction, committed by the edge with the update's done mark) and in a
transaction of its own otherwise.

The Telegram handlers only parse the update, call one method here and render the result; every
permission is decided by :mod:`services.hubs.access`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access, access_for, log_refusal
from services.hubs.invites import (
    DEFAULT_INVITE_DAYS,
    InviteCreated,
    InviteRefusal,
    Redemption,
    create_coordinator_invite,
    create_maker_invite,
    redeem_invite,
)
from services.hubs.registry import HubSpec, ensure_hubs
from storage.models import Hub
from storage.repositories.hubs import get_hub, get_hub_by_slug, move_hub_chat

__all__ = ["BindResult", "BindStatus", "HubDesk", "start_hub_desk"]


class BindStatus(StrEnum):
    BOUND = "bound"
    NOT_ALLOWED = "not_allowed"
    UNKNOWN_HUB = "unknown_hub"
    CHOOSE_HUB = "choose_hub"  # no slug given and the person coordinates several hubs


@dataclass(frozen=True, slots=True)
class BindResult:
    status: BindStatus
    hub_name: str = ""


@dataclass(frozen=True)
class HubDesk:
    sessions: async_sessionmaker[AsyncSession]
    admin_ids: frozenset[int] = frozenset()
    invite_lifetime: timedelta = timedelta(days=DEFAULT_INVITE_DAYS)
    bot_username: str | None = None  # for invite links; None: the transport asks Telegram

    @asynccontextmanager
    async def _unit(self, session: AsyncSession | None) -> AsyncIterator[AsyncSession]:
        """The caller's session (it commits), or one of our own, committed at the end."""
        if session is not None:
            yield session
            return
        async with self.sessions() as own:
            yield own
            await own.commit()

    async def access(self, user_id: int) -> Access:
        async with self.sessions() as session:
            return await access_for(
                session=session, telegram_user_id=user_id, admin_ids=self.admin_ids
            )

    async def redeem(
        self, *, user_id: int, token: str, now: datetime, session: AsyncSession | None = None
    ) -> Redemption:
        async with self._unit(session) as unit:
            return await redeem_invite(session=unit, token=token, telegram_user_id=user_id, now=now)

    async def invite_maker(
        self,
        *,
        user_id: int,
        maker_external_id: str,
        now: datetime,
        session: AsyncSession | None = None,
    ) -> InviteCreated | InviteRefusal:
        async with self._unit(session) as session:
            access = await access_for(
                session=session, telegram_user_id=user_id, admin_ids=self.admin_ids
            )
            outcome = await create_maker_invite(
                session=session,
                access=access,
                maker_external_id=maker_external_id,
                now=now,
                lifetime=self.invite_lifetime,
            )
        return outcome

    async def invite_coordinator(
        self,
        *,
        user_id: int,
        hub_slug: str | None,
        now: datetime,
        session: AsyncSession | None = None,
    ) -> InviteCreated | InviteRefusal:
        async with self._unit(session) as session:
            access = await access_for(
                session=session, telegram_user_id=user_id, admin_ids=self.admin_ids
            )
            outcome = await create_coordinator_invite(
                session=session,
                access=access,
                hub_slug=hub_slug,
                now=now,
                lifetime=self.invite_lifetime,
            )
        return outcome

    async def bind_chat(
        self,
        *,
        user_id: int,
        chat_id: int,
        hub_slug: str | None,
        session: AsyncSession | None = None,
    ) -> BindResult:
        """Make ``chat_id`` (a group) the hub's coordinator chat: ``hub_slug``, or without it
        the one hub the person coordinates."""
        async with self._unit(session) as session:
            access = await access_for(
                session=session, telegram_user_id=user_id, admin_ids=self.admin_ids
            )
            if not access.is_staff:
                log_refusal(access, "bind_hub_chat", chat_id=chat_id)
                return BindResult(BindStatus.NOT_ALLOWED)
            hub: Hub | None
            if hub_slug:
                hub = await get_hub_by_slug(session=session, slug=hub_slug)
            elif len(access.coordinator_hub_ids) == 1 and not access.is_admin:
                (hub_id,) = access.coordinator_hub_ids
                hub = await get_hub(session=session, hub_id=hub_id)
            else:
                return BindResult(BindStatus.CHOOSE_HUB)
            if hub is None:
                return BindResult(BindStatus.UNKNOWN_HUB)
            if not access.can_bind_hub_chat(hub.id):
                log_refusal(access, "bind_hub_chat", hub_id=hub.id, chat_id=chat_id)
                return BindResult(BindStatus.NOT_ALLOWED)
            hub.telegram_chat_id = chat_id
            session.add(hub)
            return BindResult(BindStatus.BOUND, hub.name)

    async def chat_migrated(
        self, *, old_chat_id: int, new_chat_id: int, session: AsyncSession | None = None
    ) -> list[str]:
        """A group became a supergroup (new id): hubs bound to it follow. The slugs moved."""
        async with self._unit(session) as session:
            moved = await move_hub_chat(
                session=session, old_chat_id=old_chat_id, new_chat_id=new_chat_id
            )
            slugs = [hub.slug for hub in moved]
        return slugs


async def start_hub_desk(
    sessions: async_sessionmaker[AsyncSession],
    *,
    hubs: Sequence[HubSpec],
    admin_ids: Collection[int] = (),
    invite_lifetime: timedelta = timedelta(days=DEFAULT_INVITE_DAYS),
    bot_username: str | None = None,
) -> HubDesk:
    """Bring the hubs in the database up to ``hubs`` (the seed or ``HUBS_FILE``), then the desk.

    Several bot processes may start at once on one database: if another one created a hub
    between our look-up and our insert, the unique slug refuses ours; the sync then runs again
    and finds the hubs there.
    """
    for attempt in range(2):
        async with sessions() as session:
            try:
                await ensure_hubs(session=session, hubs=hubs)
                await session.commit()
                break
            except IntegrityError:
                await session.rollback()
                if attempt:
                    raise
    return HubDesk(sessions, frozenset(admin_ids), invite_lifetime, bot_username)
