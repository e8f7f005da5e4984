"""Authorisation: every rule of services.hubs.access, read from the database by Telegram user id."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access, Role, access_for
from tests.fakes.roles import MALMO, coordinator_of, listed_maker, seeded_hubs

ADMIN, COORDINATOR, MAKER, STRANGER = 1, 2, 3, 4


async def test_roles_come_from_the_database_and_the_configured_admins(
    session: AsyncSession,
) -> None:
    hubs = await seeded_hubs(session)
    await coordinator_of(session, hubs["vastra-gotaland"], COORDINATOR)
    maker = await listed_maker(session, "m-1", telegram_user_id=MAKER)
    admins = frozenset({ADMIN})

    async def access(user_id: int) -> Access:
        return await access_for(session=session, telegram_user_id=user_id, admin_ids=admins)

    assert (await access(ADMIN)).roles == {Role.DESIGNER, Role.ADMIN}
    coordinator = await access(COORDINATOR)
    assert coordinator.roles == {Role.DESIGNER, Role.COORDINATOR}
    assert coordinator.coordinator_hub_ids == {hubs["vastra-gotaland"].id}
    maker_access = await access(MAKER)
    assert maker_access.roles == {Role.DESIGNER, Role.MAKER}
    assert maker_access.maker_ids == {maker.id}
    assert (await access(STRANGER)).roles == {Role.DESIGNER}


def test_an_admin_may_act_for_any_hub_and_any_maker() -> None:
    admin = Access(user_id=ADMIN, is_admin=True)
    for hub_id in (1, 2, None):
        assert admin.can_coordinate(hub_id)
        assert admin.can_invite_maker(hub_id)
        assert admin.can_invite_coordinator(hub_id)
        assert admin.can_bind_hub_chat(hub_id)
        assert admin.can_answer_for_maker(99, hub_id)
    assert admin.is_staff


def test_a_coordinator_may_act_for_their_own_hub_only() -> None:
    coordinator = Access(user_id=COORDINATOR, coordinator_hub_ids=frozenset({1}))
    assert coordinator.is_staff
    assert coordinator.can_coordinate(1)
    assert coordinator.can_invite_maker(1)
    assert coordinator.can_invite_coordinator(1)
    assert coordinator.can_bind_hub_chat(1)
    assert coordinator.can_answer_for_maker(99, 1)  # a maker of their hub without Telegram
    for other in (2, None):
        assert not coordinator.can_coordinate(other)
        assert not coordinator.can_invite_maker(other)
        assert not coordinator.can_invite_coordinator(other)
        assert not coordinator.can_bind_hub_chat(other)
        assert not coordinator.can_answer_for_maker(99, other)


def test_a_maker_may_answer_for_their_own_listing_only() -> None:
    maker = Access(user_id=MAKER, maker_ids=frozenset({7}))
    assert maker.can_answer_for_maker(7, 1)
    assert maker.can_answer_for_maker(7, None)
    assert not maker.can_answer_for_maker(8, 1)
    assert not maker.is_staff
    assert not maker.can_coordinate(1)
    assert not maker.can_invite_maker(1)
    assert not maker.can_bind_hub_chat(1)


def test_a_stranger_may_do_nothing_but_be_a_designer() -> None:
    stranger = Access(user_id=STRANGER)
    assert stranger.roles == {Role.DESIGNER}
    assert not stranger.is_staff
    assert not stranger.can_coordinate(1)
    assert not stranger.can_coordinate(None)
    assert not stranger.can_answer_for_maker(7, 1)
    assert not stranger.can_invite_coordinator(1)
    assert not stranger.can_bind_hub_chat(1)


async def test_a_maker_account_is_not_a_coordinator_of_its_hub(session: AsyncSession) -> None:
    hubs = await seeded_hubs(session)
    own = await listed_maker(session, "m-1", municipality_code=MALMO, telegram_user_id=MAKER)
    other = await listed_maker(session, "m-2", municipality_code=MALMO)
    access = await access_for(session=session, telegram_user_id=MAKER, admin_ids=())
    assert own.id is not None and other.id is not None
    assert access.can_answer_for_maker(own.id, hubs["skane"].id)
    assert not access.can_answer_for_maker(other.id, hubs["skane"].id)
    assert not access.can_coordinate(hubs["skane"].id)
