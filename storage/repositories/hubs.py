"""Hubs and their coordinators: lookups by slug, id and chat, and the coordinator roster."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Coordinator, Hub

__all__ = [
    "add_coordinator",
    "get_hub",
    "get_hub_by_chat",
    "get_hub_by_slug",
    "hub_ids_coordinated_by",
    "list_coordinators",
    "list_hubs",
    "move_hub_chat",
]


async def list_hubs(*, session: AsyncSession) -> list[Hub]:
    """Every hub, ordered by slug."""
    result = await session.exec(select(Hub).order_by(col(Hub.slug)))
    return list(result.all())


async def get_hub(*, session: AsyncSession, hub_id: int) -> Hub | None:
    return await session.get(Hub, hub_id)


async def get_hub_by_slug(*, session: AsyncSession, slug: str) -> Hub | None:
    result = await session.exec(select(Hub).where(Hub.slug == slug))
    return result.first()


async def get_hub_by_chat(*, session: AsyncSession, chat_id: int) -> Hub | None:
    result = await session.exec(select(Hub).where(Hub.telegram_chat_id == chat_id))
    return result.first()


async def move_hub_chat(*, session: AsyncSession, old_chat_id: int, new_chat_id: int) -> list[Hub]:
    """Point every hub bound to ``old_chat_id`` at ``new_chat_id`` (a group became a
    supergroup); the hubs that moved. Flushes, does not commit."""
    result = await session.exec(select(Hub).where(Hub.telegram_chat_id == old_chat_id))
    moved = list(result.all())
    for hub in moved:
        hub.telegram_chat_id = new_chat_id
        session.add(hub)
    if moved:
        await session.flush()
    return moved


async def hub_ids_coordinated_by(*, session: AsyncSession, telegram_user_id: int) -> list[int]:
    """The ids of the hubs this Telegram account coordinates, ascending."""
    result = await session.exec(
        select(Coordinator.hub_id)
        .where(Coordinator.telegram_user_id == telegram_user_id)
        .order_by(col(Coordinator.hub_id))
    )
    return list(result.all())


async def list_coordinators(*, session: AsyncSession, hub_id: int) -> list[Coordinator]:
    """A hub's coordinators, in the order they were added."""
    result = await session.exec(
        select(Coordinator)
        .where(Coordinator.hub_id == hub_id)
        .order_by(col(Coordinator.added_at), col(Coordinator.id))
    )
    return list(result.all())


async def add_coordinator(
    *, session: AsyncSession, hub_id: int, telegram_user_id: int, added_by: int | None
) -> tuple[Coordinator, bool]:
    """Make ``telegram_user_id`` a coordinator of the hub; ``(row, created)``. Adding someone
    who already is one returns their row unchanged. Flushes, does not commit."""
    result = await session.exec(
        select(Coordinator).where(
            Coordinator.hub_id == hub_id, Coordinator.telegram_user_id == telegram_user_id
        )
    )
    existing = result.first()
    if existing is not None:
        return existing, False
    coordinator = Coordinator(hub_id=hub_id, telegram_user_id=telegram_user_id, added_by=added_by)
    session.add(coordinator)
    await session.flush()
    return coordinator, True
