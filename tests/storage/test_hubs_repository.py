"""Hub lookups, the coordinator roster (one row per hub and person) and chat migration."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Coordinator
from storage.repositories.hubs import (
    add_coordinator,
    get_hub_by_chat,
    get_hub_by_slug,
    hub_ids_coordinated_by,
    list_coordinators,
    move_hub_chat,
)
from tests.fakes.roles import seeded_hubs


async def test_adding_a_coordinator_twice_keeps_one_row(session: AsyncSession) -> None:
    hubs = await seeded_hubs(session)
    skane, halland = hubs["skane"].id, hubs["halland"].id
    assert skane is not None and halland is not None
    first, created = await add_coordinator(
        session=session, hub_id=skane, telegram_user_id=5, added_by=1
    )
    again, created_again = await add_coordinator(
        session=session, hub_id=skane, telegram_user_id=5, added_by=2
    )
    await add_coordinator(session=session, hub_id=halland, telegram_user_id=5, added_by=None)
    await session.commit()
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.added_by == 1
    assert await hub_ids_coordinated_by(session=session, telegram_user_id=5) == sorted(
        [skane, halland]
    )
    assert [c.telegram_user_id for c in await list_coordinators(session=session, hub_id=skane)] == [
        5
    ]


async def test_the_database_refuses_a_duplicate_coordinator_row(session: AsyncSession) -> None:
    hubs = await seeded_hubs(session)
    hub_id = hubs["skane"].id
    assert hub_id is not None
    session.add(Coordinator(hub_id=hub_id, telegram_user_id=5))
    session.add(Coordinator(hub_id=hub_id, telegram_user_id=5))
    with pytest.raises(IntegrityError):
        await session.commit()


async def test_a_migrated_group_takes_its_hubs_along(session: AsyncSession) -> None:
    hubs = await seeded_hubs(session)
    for slug in ("skane", "blekinge"):
        hubs[slug].telegram_chat_id = -4001
        session.add(hubs[slug])
    hubs["halland"].telegram_chat_id = -4002
    session.add(hubs["halland"])
    await session.commit()

    moved = await move_hub_chat(session=session, old_chat_id=-4001, new_chat_id=-1004001)
    await session.commit()
    assert sorted(hub.slug for hub in moved) == ["blekinge", "skane"]
    found = await get_hub_by_chat(session=session, chat_id=-1004001)
    assert found is not None and found.slug in {"skane", "blekinge"}
    assert await get_hub_by_chat(session=session, chat_id=-4001) is None
    halland = await get_hub_by_slug(session=session, slug="halland")
    assert halland is not None and halland.telegram_chat_id == -4002
    assert await move_hub_chat(session=session, old_chat_id=-9, new_chat_id=-10) == []
