"""Invite links: a coordinator (or admin) invites a maker to their listing or a person to
coordinate a hub; the invited person opens ``https://t.me/<bot>?start=<token>``.

Tokens are single use and expire (``INVITE_DAYS``, default 7). Telegram deep-link payloads
allow ``A-Z a-z 0-9 _ -`` and at most 64 characters; a token is ``inv_`` and
``secrets.token_urlsafe(16)`` (22 characters), so ``/start`` can tell an invite from anything
else. Every function takes ``now`` so tests drive the clock.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access, log_refusal
from services.hubs.registry import hub_of_maker
from storage.models import Invite, InviteKind, Maker
from storage.repositories.hubs import add_coordinator, get_hub, get_hub_by_slug
from storage.repositories.invites import add_invite, get_invite_for_update, mark_invite_used
from storage.repositories.makers import get_maker_by_external_id

__all__ = [
    "DEFAULT_INVITE_DAYS",
    "TOKEN_PREFIX",
    "InviteCreated",
    "InviteRefusal",
    "RedeemStatus",
    "Redemption",
    "create_coordinator_invite",
    "create_maker_invite",
    "invite_link",
    "looks_like_invite",
    "new_token",
    "redeem_invite",
]

DEFAULT_INVITE_DAYS = 7
TOKEN_PREFIX = "inv_"
_TOKEN_SHAPE = re.compile(rf"{TOKEN_PREFIX}[A-Za-z0-9_-]{{1,60}}")


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(16)


def looks_like_invite(payload: str) -> bool:
    """Whether a ``/start`` payload is meant as an invite token (known or not)."""
    return _TOKEN_SHAPE.fullmatch(payload) is not None


def invite_link(bot_username: str, token: str) -> str:
    """>>> invite_link("spok_bot", "inv_abc")
    'https://t.me/spok_bot?start=inv_abc'
    """
    return f"https://t.me/{bot_username.lstrip('@')}?start={token}"


@dataclass(frozen=True, slots=True)
class InviteCreated:
    token: str
    kind: InviteKind
    target_name: str  # the maker's or the hub's name
    expires_at: datetime


class InviteRefusal(StrEnum):
    NOT_ALLOWED = "not_allowed"  # not a coordinator of that hub, nor an admin
    UNKNOWN_MAKER = "unknown_maker"
    UNKNOWN_HUB = "unknown_hub"
    CHOOSE_HUB = "choose_hub"  # several hubs (or an admin): name the hub


async def create_maker_invite(
    *,
    session: AsyncSession,
    access: Access,
    maker_external_id: str,
    now: datetime,
    lifetime: timedelta = timedelta(days=DEFAULT_INVITE_DAYS),
) -> InviteCreated | InviteRefusal:
    """An invite binding whoever opens it to the maker listing ``maker_external_id``; only a
    coordinator of the maker's hub or an admin may create one. Flushes; the caller commits."""
    if not access.is_staff:
        log_refusal(access, "invite_maker")
        return InviteRefusal.NOT_ALLOWED
    maker = await get_maker_by_external_id(session=session, external_id=maker_external_id)
    if maker is None or maker.id is None:
        return InviteRefusal.UNKNOWN_MAKER
    hub = await hub_of_maker(session=session, maker=maker)
    if not access.can_invite_maker(hub.id):
        log_refusal(access, "invite_maker", maker_id=maker.id, hub_id=hub.id)
        return InviteRefusal.NOT_ALLOWED
    invite = await _store(session, access, InviteKind.MAKER, now, lifetime, maker_id=maker.id)
    return InviteCreated(invite.token, InviteKind.MAKER, maker.name, invite.expires_at)


async def create_coordinator_invite(
    *,
    session: AsyncSession,
    access: Access,
    hub_slug: str | None,
    now: datetime,
    lifetime: timedelta = timedelta(days=DEFAULT_INVITE_DAYS),
) -> InviteCreated | InviteRefusal:
    """An invite making whoever opens it a coordinator of a hub: ``hub_slug``, or without it
    the one hub the inviter coordinates. Only that hub's coordinators and admins may."""
    if not access.is_staff:
        log_refusal(access, "invite_coordinator")
        return InviteRefusal.NOT_ALLOWED
    if hub_slug:
        hub = await get_hub_by_slug(session=session, slug=hub_slug)
        if hub is None:
            return InviteRefusal.UNKNOWN_HUB
    elif len(access.coordinator_hub_ids) == 1 and not access.is_admin:
        (hub_id,) = access.coordinator_hub_ids
        hub = await get_hub(session=session, hub_id=hub_id)
        if hub is None:  # pragma: no cover - coordinators rows cascade with their hub
            return InviteRefusal.UNKNOWN_HUB
    else:
        return InviteRefusal.CHOOSE_HUB
    if not access.can_invite_coordinator(hub.id):
        log_refusal(access, "invite_coordinator", hub_id=hub.id)
        return InviteRefusal.NOT_ALLOWED
    invite = await _store(session, access, InviteKind.COORDINATOR, now, lifetime, hub_id=hub.id)
    return InviteCreated(invite.token, InviteKind.COORDINATOR, hub.name, invite.expires_at)


async def _store(
    session: AsyncSession,
    access: Access,
    kind: InviteKind,
    now: datetime,
    lifetime: timedelta,
    *,
    maker_id: int | None = None,
    hub_id: int | None = None,
) -> Invite:
    invite = Invite(
        token=new_token(),
        kind=kind.value,
        maker_id=maker_id,
        hub_id=hub_id,
        created_by=access.user_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    return await add_invite(session=session, invite=invite)


class RedeemStatus(StrEnum):
    LINKED_MAKER = "linked_maker"  # this account now answers for the maker listing
    NOW_COORDINATOR = "now_coordinator"
    ALREADY_YOURS = "already_yours"  # this person used this invite before: nothing to do
    USED = "used"  # someone else used it
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # no such token (mistyped, or its listing/hub was removed)


@dataclass(frozen=True, slots=True)
class Redemption:
    status: RedeemStatus
    name: str = ""  # the maker's or the hub's name, when known


async def redeem_invite(
    *, session: AsyncSession, token: str, telegram_user_id: int, now: datetime
) -> Redemption:
    """Use the invite ``token`` for ``telegram_user_id``: bind the maker listing to the account
    (replacing an earlier binding: the coordinator chose to re-invite) or add the account as a
    coordinator of the hub. Single use, also under concurrency. Flushes; the caller commits."""
    invite = await get_invite_for_update(session=session, token=token)
    if invite is None or invite.id is None:
        return Redemption(RedeemStatus.UNKNOWN)
    name = await _target_name(session, invite)
    if invite.used_at is not None:
        status = RedeemStatus.ALREADY_YOURS if invite.used_by == telegram_user_id else None
        return Redemption(status or RedeemStatus.USED, name)
    if now >= invite.expires_at:
        return Redemption(RedeemStatus.EXPIRED, name)
    if not await mark_invite_used(
        session=session, invite_id=invite.id, used_by=telegram_user_id, used_at=now
    ):
        return Redemption(RedeemStatus.USED, name)
    if invite.kind == InviteKind.MAKER and invite.maker_id is not None:
        maker = await session.get(Maker, invite.maker_id)
        if maker is None:  # pragma: no cover - invites cascade with their maker
            return Redemption(RedeemStatus.UNKNOWN)
        maker.telegram_user_id = telegram_user_id
        maker.unreachable_at = None  # a fresh link: the maker is on Telegram again
        session.add(maker)
        await session.flush()
        return Redemption(RedeemStatus.LINKED_MAKER, maker.name)
    if invite.kind == InviteKind.COORDINATOR and invite.hub_id is not None:
        await add_coordinator(
            session=session,
            hub_id=invite.hub_id,
            telegram_user_id=telegram_user_id,
            added_by=invite.created_by,
        )
        return Redemption(RedeemStatus.NOW_COORDINATOR, name)
    return Redemption(RedeemStatus.UNKNOWN)  # pragma: no cover - a kind this code never wrote


async def _target_name(session: AsyncSession, invite: Invite) -> str:
    if invite.maker_id is not None:
        maker = await session.get(Maker, invite.maker_id)
        return maker.name if maker else ""
    if invite.hub_id is not None:
        hub = await get_hub(session=session, hub_id=invite.hub_id)
        return hub.name if hub else ""
    return ""
