"""Whose figures a coordinator may read: their hub's; an admin any hub's or all of them.

Every insight command resolves its scope here first, so the rule lives in one place (the
permission itself is :meth:`services.hubs.access.Access.can_coordinate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access, log_refusal
from services.hubs.registry import county_of_municipality, hub_for_county
from storage.models import Hub, Maker
from storage.repositories.hubs import get_hub_by_chat, list_hubs

__all__ = [
    "ALL_HUBS",
    "Scope",
    "ScopeRefusal",
    "hub_id_of_maker",
    "hub_makers",
    "resolve_scope",
    "split_target",
]

ALL_HUBS = frozenset({"all", "alla"})


class ScopeRefusal(StrEnum):
    NOT_STAFF = "not_staff"  # a designer or maker: these commands are for coordinators
    NOT_ALLOWED = "not_allowed"  # another hub's coordinator, or "all" without being an admin
    UNKNOWN_HUB = "unknown_hub"
    CHOOSE_HUB = "choose_hub"  # coordinates several hubs and named none
    NOT_A_HUB_CHAT = "not_a_hub_chat"  # a group that is no hub's chat: everyone there would see
    ONLY_THIS_HUB = "only_this_hub"  # another hub (or all) asked for in a hub's chat


@dataclass(frozen=True, slots=True)
class Scope:
    """The hubs a report covers (``everything``: all hubs, also requests of no hub)."""

    hubs: tuple[Hub, ...]
    everything: bool
    all_hubs: tuple[Hub, ...]  # every hub, to place makers that have none set

    @property
    def hub_ids(self) -> frozenset[int]:
        return frozenset(hub.id for hub in self.hubs if hub.id is not None)

    @property
    def counties(self) -> frozenset[str]:
        """County codes of the region to draw; empty for all of Sweden."""
        if self.everything or any(not hub.counties for hub in self.hubs):
            return frozenset()
        return frozenset(code for hub in self.hubs for code in hub.counties)

    def name(self, all_label: str) -> str:
        return all_label if self.everything else ", ".join(hub.name for hub in self.hubs)


def split_target(argument: str) -> tuple[str | None, str]:
    """``"skane 2026-10"`` → ``("skane", "2026-10")``; a period alone has no target (periods
    start with a digit, hub slugs and "all" do not).

    >>> split_target("alla 30d"), split_target("2026-10"), split_target("")
    (('alla', '30d'), (None, '2026-10'), (None, ''))
    """
    words = argument.split()
    if words and not words[0][0].isdigit():
        return words[0].lower(), " ".join(words[1:])
    return None, " ".join(words)


async def resolve_scope(
    *,
    session: AsyncSession,
    access: Access,
    target: str | None,
    group_chat_id: int | None = None,
) -> Scope | ScopeRefusal:
    """The hubs ``access`` asks about: ``target`` (a slug or "all"), else the one hub the
    person coordinates; an admin naming none gets all hubs.

    Asked in a group (``group_chat_id``), the figures are seen by everyone there: only a hub's
    own chat gets them, and only that hub's, whoever asks.
    """
    if not access.is_staff:
        log_refusal(access, "insight")
        return ScopeRefusal.NOT_STAFF
    hubs = tuple(await list_hubs(session=session))
    if group_chat_id is not None:
        chat_hub = await get_hub_by_chat(session=session, chat_id=group_chat_id)
        if chat_hub is None:
            return ScopeRefusal.NOT_A_HUB_CHAT
        if target is not None and target != chat_hub.slug:
            return ScopeRefusal.ONLY_THIS_HUB
        if not access.can_coordinate(chat_hub.id):
            log_refusal(access, "insight", hub_id=chat_hub.id, chat_id=group_chat_id)
            return ScopeRefusal.NOT_ALLOWED
        return Scope((chat_hub,), False, hubs)
    if target in ALL_HUBS:
        if not access.is_admin:
            log_refusal(access, "insight_all")
            return ScopeRefusal.NOT_ALLOWED
        return Scope(hubs, True, hubs)
    if target is not None:
        found = [hub for hub in hubs if hub.slug == target]
        if not found:
            return ScopeRefusal.UNKNOWN_HUB
        if not access.can_coordinate(found[0].id):
            log_refusal(access, "insight", hub_id=found[0].id)
            return ScopeRefusal.NOT_ALLOWED
        return Scope((found[0],), False, hubs)
    if access.is_admin:
        return Scope(hubs, True, hubs)
    if len(access.coordinator_hub_ids) == 1:
        mine = [hub for hub in hubs if hub.id in access.coordinator_hub_ids]
        if mine:
            return Scope((mine[0],), False, hubs)
    return ScopeRefusal.CHOOSE_HUB


def hub_id_of_maker(maker: Maker, hubs: Sequence[Hub]) -> int | None:
    """The maker's hub: the one set on the listing, else the hub of its county."""
    if maker.hub_id is not None:
        return maker.hub_id
    try:
        return hub_for_county(
            hubs=hubs, county_code=county_of_municipality(maker.municipality_code)
        ).id
    except LookupError:
        return None


async def hub_makers(
    *, session: AsyncSession, scope: Scope, statuses: Sequence[str] | None = None
) -> list[Maker]:
    """The makers of the scope's hubs (with ``statuses``: only those), by catalogue id."""
    query = select(Maker).order_by(col(Maker.external_id))
    if statuses is not None:
        query = query.where(col(Maker.status).in_(list(statuses)))
    makers = list((await session.exec(query)).all())
    if scope.everything:
        return makers
    ids = scope.hub_ids
    return [maker for maker in makers if hub_id_of_maker(maker, scope.all_hubs) in ids]
