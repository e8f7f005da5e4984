"""Column types round-trip the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import ClientKind, MakerProfile, MakerStatus, Offer, VolumeStage
from storage.models import (
    Designer,
    FollowUp,
    FollowUpStatus,
    Hub,
    Introduction,
    ListingChangeStatus,
    Maker,
    MakerCreate,
    MakerListingChange,
    MatchRequest,
    RequestStatus,
)

TELEGRAM_USER_ID = 8_000_000_000  # beyond 32 bits, as new Telegram ids are
TELEGRAM_GROUP_ID = -1_001_234_567_890  # supergroup chat ids are negative and 64-bit
STOCKHOLM_SUMMER = timezone(timedelta(hours=2))


def make_maker(external_id: str = "m-1", **overrides: Any) -> Maker:
    values: dict[str, Any] = {
        "external_id": external_id,
        "name": "Snickeri Ek & Björk AB",
        "place_name": "Göteborg",
        "municipality_code": "1480",
        "lat": 57.7089,
        "lon": 11.9746,
        "materials": ["ek, björk", "massivt trä"],
        "processes": ["CNC-fräsning", "ytbehandling"],
        "volumes": ["prototype", "pilot"],
        "description": "Möbler i massivt trä.",
    }
    return Maker(**(values | overrides))


async def test_json_lists_round_trip(session_maker: async_sessionmaker[AsyncSession]) -> None:
    async with session_maker() as session:
        session.add(make_maker())
        session.add(Hub(slug="vast", name="Väst", counties=["14", "13"]))
        await session.commit()

    async with session_maker() as session:
        maker = (await session.exec(select(Maker))).one()
        hub = (await session.exec(select(Hub))).one()
    assert maker.materials == ["ek, björk", "massivt trä"]
    assert maker.processes == ["CNC-fräsning", "ytbehandling"]
    assert maker.volumes == ["prototype", "pilot"]
    assert hub.counties == ["14", "13"]


async def test_datetimes_come_back_timezone_aware_utc(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    local = datetime(2025, 6, 1, 9, 30, tzinfo=STOCKHOLM_SUMMER)
    async with session_maker() as session:
        session.add(FollowUp(kind="freshness", due_at=local, dedupe_key="k"))
        await session.commit()

    async with session_maker() as session:
        follow_up = (await session.exec(select(FollowUp))).one()
    assert follow_up.due_at == local
    assert follow_up.due_at.tzinfo is UTC
    assert follow_up.due_at.hour == 7
    assert follow_up.created_at.tzinfo is UTC
    assert abs(datetime.now(UTC) - follow_up.created_at) < timedelta(minutes=1)
    assert follow_up.sent_at is None


async def test_due_follow_ups_compare_as_instants(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    """Values written in different offsets order by instant (SQLite compares stored text)."""
    now = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    async with session_maker() as session:
        session.add_all(
            [
                # 13:30 in Stockholm is 11:30 UTC: due.
                FollowUp(
                    kind="a",
                    due_at=datetime(2025, 6, 1, 13, 30, tzinfo=STOCKHOLM_SUMMER),
                    dedupe_key="a",
                ),
                FollowUp(kind="b", due_at=now + timedelta(minutes=1), dedupe_key="b"),
                FollowUp(kind="c", due_at=now, status=FollowUpStatus.SENT, dedupe_key="c"),
            ]
        )
        await session.commit()

    async with session_maker() as session:
        due = await session.exec(
            select(FollowUp.kind)
            .where(FollowUp.status == FollowUpStatus.PENDING)
            .where(col(FollowUp.due_at) <= now.astimezone(STOCKHOLM_SUMMER))
        )
        assert due.all() == ["a"]


async def test_naive_datetimes_are_refused(session: AsyncSession) -> None:
    session.add(FollowUp(kind="a", due_at=datetime(2025, 6, 1, 12, 0), dedupe_key="a"))
    with pytest.raises(StatementError, match="naive datetime"):
        await session.flush()


async def test_telegram_ids_are_64_bit(session_maker: async_sessionmaker[AsyncSession]) -> None:
    async with session_maker() as session:
        session.add(Designer(telegram_user_id=TELEGRAM_USER_ID, name="Alva"))
        session.add(make_maker(telegram_user_id=TELEGRAM_USER_ID + 1))
        session.add(Hub(slug="norr", name="Norr", telegram_chat_id=TELEGRAM_GROUP_ID))
        await session.commit()

    async with session_maker() as session:
        designer = (
            await session.exec(
                select(Designer).where(Designer.telegram_user_id == TELEGRAM_USER_ID)
            )
        ).one()
        maker = (await session.exec(select(Maker))).one()
        hub = (await session.exec(select(Hub))).one()
    assert designer.name == "Alva"
    assert maker.telegram_user_id == TELEGRAM_USER_ID + 1
    assert hub.telegram_chat_id == TELEGRAM_GROUP_ID


async def test_designer_telegram_id_is_unique(session: AsyncSession) -> None:
    session.add(Designer(telegram_user_id=TELEGRAM_USER_ID))
    await session.flush()
    session.add(Designer(telegram_user_id=TELEGRAM_USER_ID))
    with pytest.raises(IntegrityError):
        await session.flush()


async def _request_and_maker(session: AsyncSession) -> tuple[MatchRequest, Maker]:
    designer = Designer(telegram_user_id=TELEGRAM_USER_ID)
    maker = make_maker()
    session.add_all([designer, maker])
    await session.flush()
    request = MatchRequest(
        designer_id=designer.id,
        text="50 pallar i ek",
        materials=["wood.oak"],
        volume_stage=VolumeStage.PILOT,
        quantity=50,
        status=RequestStatus.SUBMITTED,
    )
    session.add(request)
    await session.flush()
    return request, maker


async def test_one_introduction_per_request_and_maker(session: AsyncSession) -> None:
    request, maker = await _request_and_maker(session)
    assert request.id is not None and maker.id is not None
    session.add(Introduction(request_id=request.id, maker_id=maker.id))
    await session.flush()
    session.add(Introduction(request_id=request.id, maker_id=maker.id))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_foreign_keys_are_enforced(session: AsyncSession) -> None:
    request, _ = await _request_and_maker(session)
    assert request.id is not None
    session.add(Introduction(request_id=request.id, maker_id=999_999))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_deleting_a_request_deletes_its_introductions_and_follow_ups(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        request, maker = await _request_and_maker(session)
        assert request.id is not None and maker.id is not None
        introduction = Introduction(request_id=request.id, maker_id=maker.id)
        session.add(introduction)
        await session.flush()
        session.add(
            FollowUp(
                introduction_id=introduction.id,
                kind="nudge",
                due_at=datetime.now(UTC),
                dedupe_key="nudge",
            )
        )
        await session.commit()
        await session.delete(request)
        await session.commit()

    async with session_maker() as session:
        assert (await session.exec(select(Introduction))).all() == []
        assert (await session.exec(select(FollowUp))).all() == []
        assert len((await session.exec(select(Maker))).all()) == 1


async def test_updated_at_moves_when_a_row_changes(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        maker = make_maker(updated_at=datetime(2025, 1, 1, tzinfo=UTC))
        session.add(maker)
        await session.commit()
        maker.freshness_penalty = 0.5
        await session.commit()
    assert maker.updated_at > datetime(2025, 1, 1, tzinfo=UTC)


def test_maker_converts_to_a_profile() -> None:
    maker = make_maker(
        status="paused",
        paused_until=date(2025, 8, 1),
        last_confirmed=date(2025, 3, 1),
        freshness_penalty=0.25,
    )
    assert maker.to_profile() == MakerProfile(
        id="m-1",
        name="Snickeri Ek & Björk AB",
        lat=57.7089,
        lon=11.9746,
        municipality_code="1480",
        materials=("ek, björk", "massivt trä"),
        processes=("CNC-fräsning", "ytbehandling"),
        volumes=frozenset({VolumeStage.PROTOTYPE, VolumeStage.PILOT}),
        description="Möbler i massivt trä.",
        status=MakerStatus.PAUSED,
        paused_until=date(2025, 8, 1),
        last_confirmed=date(2025, 3, 1),
        freshness_penalty=0.25,
        town="Göteborg",  # the place as the catalogue names it
    )


def test_a_fuller_listing_reaches_the_profile() -> None:
    profile = make_maker(
        min_order=50,
        lead_time_days=21,
        offers=["parts", "surface_treatment"],
        works_with=["students", "companies"],
        equipment="5-axlig CNC, kantpress 100 t",
        portfolio_url="https://example.se/jobb",
    ).to_profile()
    assert (profile.min_order, profile.lead_time_days) == (50, 21)
    assert profile.offers == frozenset({Offer.PARTS, Offer.SURFACE_TREATMENT})
    assert profile.works_with == frozenset({ClientKind.STUDENTS, ClientKind.COMPANIES})
    assert profile.equipment == "5-axlig CNC, kantpress 100 t"
    assert profile.portfolio_url == "https://example.se/jobb"


def test_an_unstated_fuller_listing_is_unknown_not_empty_handed() -> None:
    profile = make_maker().to_profile()
    assert profile.min_order is None and profile.lead_time_days is None
    assert profile.offers == frozenset() and profile.works_with == frozenset()


def test_offers_and_clients_are_a_set_in_a_fixed_order() -> None:
    maker_in = MakerCreate.model_validate(
        {
            "external_id": "m-1",
            "name": "Ek AB",
            "municipality_code": "1480",
            "lat": 57.7,
            "lon": 11.9,
            "offers": ["craft", "parts", "craft"],
            "works_with": ["public_sector", "students"],
        }
    )
    assert maker_in.offers == ["parts", "craft"]
    assert maker_in.works_with == ["students", "public_sector"]
    with pytest.raises(ValueError):
        MakerCreate.model_validate(maker_in.model_dump() | {"offers": ["everything"]})
    with pytest.raises(ValueError):
        MakerCreate.model_validate(maker_in.model_dump() | {"min_order": -1})


async def test_a_listing_change_keeps_old_and_new_values(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        maker = make_maker()
        session.add(maker)
        await session.flush()
        assert maker.id is not None
        session.add(
            MakerListingChange(
                maker_id=maker.id,
                changes={"offers": {"old": [], "new": ["parts"]}},
                proposed_by=TELEGRAM_USER_ID,
                proposed_at=datetime(2026, 12, 6, 9, tzinfo=UTC),
            )
        )
        await session.commit()
    async with session_maker() as session:
        change = (await session.exec(select(MakerListingChange))).one()
    assert change.status == ListingChangeStatus.PENDING
    assert change.changes == {"offers": {"old": [], "new": ["parts"]}}
    assert change.proposed_by == TELEGRAM_USER_ID


def test_profile_conversion_is_defensive_about_unknown_values() -> None:
    profile = make_maker(status="archived", volumes=["pilot", "mass"]).to_profile()
    assert profile.status is MakerStatus.UNLISTED
    assert profile.volumes == frozenset({VolumeStage.PILOT})


async def test_profile_from_a_stored_maker(session_maker: async_sessionmaker[AsyncSession]) -> None:
    async with session_maker() as session:
        session.add(make_maker())
        await session.commit()
    async with session_maker() as session:
        profile = (await session.exec(select(Maker))).one().to_profile()
    assert profile.id == "m-1"
    assert profile.status is MakerStatus.LISTED
    assert profile.is_available(date(2025, 1, 1))
