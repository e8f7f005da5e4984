"""Who may do what: every permission decision, by numeric Telegram user id, in one place.

Roles:

* **designer** – anyone; nothing here is needed to describe a request;
* **maker** – a Telegram account bound to a maker listing (``Maker.telegram_user_id``), by an
  invite; answers for that listing only;
* **coordinator** – of one or more hubs (table ``coordinators``); acts for that hub's makers and
  chat only;
* **admin** – every hub; configured (``ADMIN_TELEGRAM_IDS``), never stored, so an admin cannot
  be created or removed through the bot.

Names, usernames and chats never grant anything: a Telegram user id is the only identity.
Refusals are logged with the user id and the action, never with what the person wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Maker
from storage.repositories.hubs import hub_ids_coordinated_by

__all__ = ["Access", "Role", "access_for", "log_refusal"]

log = logging.getLogger(__name__)


class Role(StrEnum):
    DESIGNER = "designer"
    MAKER = "maker"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Access:
    """What one Telegram account may do, read once per update."""

    user_id: int
    is_admin: bool = False
    coordinator_hub_ids: frozenset[int] = frozenset()
    maker_ids: frozenset[int] = frozenset()  # the listings this account answers for

    @property
    def roles(self) -> frozenset[Role]:
        roles = {Role.DESIGNER}
        if self.maker_ids:
            roles.add(Role.MAKER)
        if self.coordinator_hub_ids:
            roles.add(Role.COORDINATOR)
        if self.is_admin:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    @property
    def is_staff(self) -> bool:
        """A coordinator of some hub, or an admin: may use the coordinator commands at all."""
        return self.is_admin or bool(self.coordinator_hub_ids)

    def can_coordinate(self, hub_id: int | None) -> bool:
        """Act for the hub: invite its makers and coordinators, bind its chat, see its requests.
        A hub-less thing (``None``) is an admin's only."""
        if self.is_admin:
            return True
        return hub_id is not None and hub_id in self.coordinator_hub_ids

    def can_answer_for_maker(self, maker_id: int, maker_hub_id: int | None) -> bool:
        """Answer a brief for this maker: the maker's own account, or whoever coordinates the
        maker's hub (for makers without Telegram)."""
        return maker_id in self.maker_ids or self.can_coordinate(maker_hub_id)

    def can_invite_maker(self, maker_hub_id: int | None) -> bool:
        return self.can_coordinate(maker_hub_id)

    def can_invite_coordinator(self, hub_id: int | None) -> bool:
        return self.can_coordinate(hub_id)

    def can_bind_hub_chat(self, hub_id: int | None) -> bool:
        return self.can_coordinate(hub_id)


async def access_for(
    *, session: AsyncSession, telegram_user_id: int, admin_ids: Collection[int]
) -> Access:
    """Read what ``telegram_user_id`` may do from the database and the configured admins."""
    hub_ids = await hub_ids_coordinated_by(session=session, telegram_user_id=telegram_user_id)
    makers = await session.exec(
        select(Maker.id).where(col(Maker.telegram_user_id) == telegram_user_id)
    )
    return Access(
        user_id=telegram_user_id,
        is_admin=telegram_user_id in admin_ids,
        coordinator_hub_ids=frozenset(hub_ids),
        maker_ids=frozenset(maker_id for maker_id in makers.all() if maker_id is not None),
    )


def log_refusal(access: Access, action: str, **ids: int | str | None) -> None:
    """Record a refused action: who (user id), what (action name) and on which ids — never
    the text of a message."""
    detail = " ".join(f"{name}={value}" for name, value in sorted(ids.items()))
    log.warning("refused %s for user %s %s", action, access.user_id, detail)
