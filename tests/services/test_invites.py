"""Invite links: who may create them, and redemption: single use, expiry, unknown tokens."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access, access_for
from services.hubs.invites import (
    InviteCreated,
    InviteRefusal,
    RedeemStatus,
    create_coordinator_invite,
    create_maker_invite,
    invite_link,
    looks_like_invite,
    redeem_invite,
)
from storage.models import Hub, InviteKind, Maker
from storage.repositories.hubs import list_coordinators
from tests.fakes.roles import MALMO, coordinator_of, listed_maker, seeded_hubs

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ADMIN, VG_COORDINATOR, NEWCOMER, SOMEONE_ELSE = 1, 2, 10, 11


async def _access(session: AsyncSession, user_id: int) -> Access:
    return await access_for(session=session, telegram_user_id=user_id, admin_ids={ADMIN})


async def _world(session: AsyncSession) -> tuple[dict[str, Hub], Maker, Maker]:
    hubs = await seeded_hubs(session)
    await coordinator_of(session, hubs["vastra-gotaland"], VG_COORDINATOR)
    boras = await listed_maker(session, "m-boras")  # Västra Götaland
    malmo = await listed_maker(session, "m-malmo", municipality_code=MALMO)  # Skåne
    return hubs, boras, malmo


async def test_a_coordinator_invites_a_maker_of_their_hub(session: AsyncSession) -> None:
    await _world(session)
    access = await _access(session, VG_COORDINATOR)
    created = await create_maker_invite(
        session=session, access=access, maker_external_id="m-boras", now=NOW
    )
    assert isinstance(created, InviteCreated)
    assert created.kind == InviteKind.MAKER
    assert created.target_name == "Verkstad m-boras"
    assert created.expires_at == NOW + timedelta(days=7)
    assert looks_like_invite(created.token)
    assert len(created.token) <= 64
    link = invite_link("spok_bot", created.token)
    assert link == f"https://t.me/spok_bot?start={created.token}"


async def test_a_coordinator_may_not_invite_another_hubs_maker_or_coordinator(
    session: AsyncSession,
) -> None:
    await _world(session)
    access = await _access(session, VG_COORDINATOR)
    foreign = await create_maker_invite(
        session=session, access=access, maker_external_id="m-malmo", now=NOW
    )
    other_hub = await create_coordinator_invite(
        session=session, access=access, hub_slug="skane", now=NOW
    )
    assert foreign == other_hub == InviteRefusal.NOT_ALLOWED


async def test_strangers_and_makers_may_not_invite(session: AsyncSession) -> None:
    await _world(session)
    await listed_maker(session, "m-own", telegram_user_id=SOMEONE_ELSE)
    for user_id in (NEWCOMER, SOMEONE_ELSE):
        access = await _access(session, user_id)
        maker = await create_maker_invite(
            session=session, access=access, maker_external_id="m-own", now=NOW
        )
        coordinator = await create_coordinator_invite(
            session=session, access=access, hub_slug="vastra-gotaland", now=NOW
        )
        assert maker == coordinator == InviteRefusal.NOT_ALLOWED


async def test_an_admin_invites_for_any_hub_but_must_name_it(session: AsyncSession) -> None:
    await _world(session)
    access = await _access(session, ADMIN)
    maker = await create_maker_invite(
        session=session, access=access, maker_external_id="m-malmo", now=NOW
    )
    assert isinstance(maker, InviteCreated)
    unnamed = await create_coordinator_invite(
        session=session, access=access, hub_slug=None, now=NOW
    )
    assert unnamed == InviteRefusal.CHOOSE_HUB
    named = await create_coordinator_invite(
        session=session, access=access, hub_slug="skane", now=NOW
    )
    assert isinstance(named, InviteCreated) and named.target_name == "SPOK Skåne"
    unknown = await create_coordinator_invite(
        session=session, access=access, hub_slug="atlantis", now=NOW
    )
    assert unknown == InviteRefusal.UNKNOWN_HUB
    no_maker = await create_maker_invite(
        session=session, access=access, maker_external_id="nobody", now=NOW
    )
    assert no_maker == InviteRefusal.UNKNOWN_MAKER


async def test_redeeming_a_maker_invite_binds_the_listing_once(session: AsyncSession) -> None:
    _, boras, _ = await _world(session)
    access = await _access(session, VG_COORDINATOR)
    created = await create_maker_invite(
        session=session, access=access, maker_external_id="m-boras", now=NOW
    )
    assert isinstance(created, InviteCreated)
    await session.commit()

    later = NOW + timedelta(days=1)
    first = await redeem_invite(
        session=session, token=created.token, telegram_user_id=NEWCOMER, now=later
    )
    await session.commit()
    assert (first.status, first.name) == (RedeemStatus.LINKED_MAKER, "Verkstad m-boras")
    await session.refresh(boras)
    assert boras.telegram_user_id == NEWCOMER
    assert (await _access(session, NEWCOMER)).maker_ids == {boras.id}

    again = await redeem_invite(
        session=session, token=created.token, telegram_user_id=NEWCOMER, now=later
    )
    stolen = await redeem_invite(
        session=session, token=created.token, telegram_user_id=SOMEONE_ELSE, now=later
    )
    assert again.status == RedeemStatus.ALREADY_YOURS
    assert stolen.status == RedeemStatus.USED
    await session.refresh(boras)
    assert boras.telegram_user_id == NEWCOMER


async def test_a_coordinator_invite_adds_a_coordinator_of_the_inviters_hub(
    session: AsyncSession,
) -> None:
    hubs, _, _ = await _world(session)
    access = await _access(session, VG_COORDINATOR)
    created = await create_coordinator_invite(
        session=session, access=access, hub_slug=None, now=NOW
    )
    assert isinstance(created, InviteCreated)
    assert created.target_name == "SPOK Västra Götaland"
    await session.commit()

    outcome = await redeem_invite(
        session=session, token=created.token, telegram_user_id=NEWCOMER, now=NOW
    )
    await session.commit()
    assert (outcome.status, outcome.name) == (RedeemStatus.NOW_COORDINATOR, created.target_name)
    hub_id = hubs["vastra-gotaland"].id
    assert hub_id is not None
    rows = await list_coordinators(session=session, hub_id=hub_id)
    assert [(row.telegram_user_id, row.added_by) for row in rows] == [
        (VG_COORDINATOR, None),
        (NEWCOMER, VG_COORDINATOR),
    ]
    assert (await _access(session, NEWCOMER)).can_coordinate(hub_id)


async def test_an_expired_invite_binds_nothing(session: AsyncSession) -> None:
    _, boras, _ = await _world(session)
    access = await _access(session, ADMIN)
    created = await create_maker_invite(
        session=session,
        access=access,
        maker_external_id="m-boras",
        now=NOW,
        lifetime=timedelta(days=2),
    )
    assert isinstance(created, InviteCreated)
    await session.commit()
    just_in_time = NOW + timedelta(days=2) - timedelta(seconds=1)
    too_late = NOW + timedelta(days=2)

    expired = await redeem_invite(
        session=session, token=created.token, telegram_user_id=NEWCOMER, now=too_late
    )
    assert (expired.status, expired.name) == (RedeemStatus.EXPIRED, "Verkstad m-boras")
    await session.refresh(boras)
    assert boras.telegram_user_id is None
    in_time = await redeem_invite(
        session=session, token=created.token, telegram_user_id=NEWCOMER, now=just_in_time
    )
    assert in_time.status == RedeemStatus.LINKED_MAKER


async def test_an_unknown_token_is_unknown(session: AsyncSession) -> None:
    await _world(session)
    outcome = await redeem_invite(
        session=session, token="inv_never-issued", telegram_user_id=NEWCOMER, now=NOW
    )
    assert outcome.status == RedeemStatus.UNKNOWN
    assert not looks_like_invite("hub-vg")
    assert not looks_like_invite("inv_with space")


async def test_two_people_racing_for_one_invite_one_wins(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        await _world(session)
        created = await create_coordinator_invite(
            session=session, access=await _access(session, ADMIN), hub_slug="skane", now=NOW
        )
        assert isinstance(created, InviteCreated)
        await session.commit()

    async def redeem(user_id: int) -> RedeemStatus:
        async with session_maker() as session:
            outcome = await redeem_invite(
                session=session, token=created.token, telegram_user_id=user_id, now=NOW
            )
            await session.commit()
            return outcome.status

    statuses = await asyncio.gather(redeem(NEWCOMER), redeem(SOMEONE_ELSE))
    assert sorted(statuses) == sorted([RedeemStatus.NOW_COORDINATOR, RedeemStatus.USED])


async def test_a_new_maker_invite_moves_the_listing_to_the_new_account(
    session: AsyncSession,
) -> None:
    """A maker who changed phones gets a new invite; the old account no longer answers."""
    _, boras, _ = await _world(session)
    boras.telegram_user_id = SOMEONE_ELSE
    session.add(boras)
    await session.commit()
    created = await create_maker_invite(
        session=session,
        access=await _access(session, VG_COORDINATOR),
        maker_external_id="m-boras",
        now=NOW,
    )
    assert isinstance(created, InviteCreated)
    outcome = await redeem_invite(
        session=session, token=created.token, telegram_user_id=NEWCOMER, now=NOW
    )
    await session.commit()
    assert outcome.status == RedeemStatus.LINKED_MAKER
    assert (await _access(session, NEWCOMER)).maker_ids == {boras.id}
    assert (await _access(session, SOMEONE_ELSE)).maker_ids == frozenset()
