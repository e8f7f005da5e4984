"""Buttons of the coordinators' catalogue desk, and which hub a maker belongs to.

A desk button's data is ``cat:<token>:<choice>``: the token is an :class:`ActionToken` row
(``action`` ``cat.upload:<plan fingerprint>`` or ``cat.maker``) addressed to the one person
who got the message (``allowed_user_id``); the choice says which of that message's buttons
was pressed (Apply or Cancel; pause, unlist, relist or invite). One token per message, used
once: the first press of any of its buttons spends it, so a message's buttons cannot be
replayed, and someone else's are refused (and logged). The ``cat:`` prefix keeps these apart
from the introduction lifecycle's buttons (whose data is the bare token) and the maker
commands' ``mk:`` buttons; data stays under Telegram's 64 bytes (about 24).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access, log_refusal
from services.hubs.registry import HubMap
from storage.models import ActionToken

__all__ = [
    "DATA_PREFIX",
    "TOKEN_LIFETIME",
    "DeskRefusal",
    "HubMap",
    "button_data",
    "claim",
    "issue",
    "parse_button",
    "token_row",
]

DATA_PREFIX = "cat:"
TOKEN_LIFETIME = timedelta(days=2)  # a dry run or a card older than this is asked for anew


class DeskRefusal(StrEnum):
    NOT_STAFF = "not_staff"  # not a coordinator or an admin at all
    NOT_ALLOWED = "not_allowed"  # someone else's button, or another hub's maker
    UNKNOWN = "unknown"  # no such button (forged, or from before a database reset)
    USED = "used"  # the button's message was already acted on
    EXPIRED = "expired"
    UNKNOWN_MAKER = "unknown_maker"
    FILE_GONE = "file_gone"  # the uploaded document can no longer be fetched


def button_data(token: str, choice: str) -> str:
    return f"{DATA_PREFIX}{token}:{choice}"


def parse_button(data: str) -> tuple[str, str] | None:
    """``(token, choice)`` from a desk button's data, ``None`` for anything else."""
    if not data.startswith(DATA_PREFIX):
        return None
    token, _, choice = data[len(DATA_PREFIX) :].partition(":")
    if not token or not choice or len(token) > 32:
        return None
    return token, choice


async def issue(
    session: AsyncSession,
    *,
    action: str,
    user_id: int,
    now: datetime,
    hub_id: int | None = None,
    maker_id: int | None = None,
) -> str:
    value = secrets.token_urlsafe(12)
    session.add(
        ActionToken(
            token=value,
            action=action,
            allowed_user_id=user_id,
            hub_id=hub_id,
            maker_id=maker_id,
            created_at=now,
        )
    )
    await session.flush()
    return value


async def token_row(
    session: AsyncSession,
    *,
    token: str,
    action_prefix: str,
    access: Access,
    now: datetime,
) -> ActionToken | DeskRefusal:
    """The token's row if ``access``'s person may press it now, else why not (logged)."""
    row = (await session.exec(select(ActionToken).where(col(ActionToken.token) == token))).first()
    if row is None or not row.action.startswith(action_prefix):
        log_refusal(access, "desk_button", token="unknown")
        return DeskRefusal.UNKNOWN
    if row.allowed_user_id != access.user_id or not access.is_staff:
        log_refusal(access, "desk_button", token_id=row.id, button=row.action.split(":")[0])
        return DeskRefusal.NOT_ALLOWED
    if row.used_at is not None:
        return DeskRefusal.USED
    if now - row.created_at > TOKEN_LIFETIME:
        return DeskRefusal.EXPIRED
    return row


async def claim(session: AsyncSession, row: ActionToken, now: datetime) -> bool:
    """Spend the token, once: ``False`` when a concurrent press got there first."""
    result = await session.exec(
        update(ActionToken)
        .where(col(ActionToken.id) == row.id, col(ActionToken.used_at).is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)
