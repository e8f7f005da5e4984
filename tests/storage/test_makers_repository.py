from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus
from storage.models import Maker
from storage.repositories.makers import (
    CATALOGUE_FIELDS,
    MakerCreate,
    UpsertOutcome,
    compare_makers,
    count_makers,
    get_maker_by_external_id,
    list_makers,
    maker_values,
    upsert_maker,
    upsert_makers,
    write_makers,
)

LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)


def catalogue_row(external_id: str = "m-1", **overrides: Any) -> MakerCreate:
    values: dict[str, object] = {
        "external_id": external_id,
        "name": "Plåtslageriet i Borås",
        "place_name": "Borås",
        "municipality_code": "1490",
        "lat": 57.721,
        "lon": 12.9401,
        "materials": ["stålplåt", "aluminium"],
        "processes": ["laserskärning", "bockning"],
        "volumes": ["pilot", "production"],
        "description": "Tunnplåt i små och stora serier.",
        "contact_name": "Kim",
        "email": "kim@example.se",
        "phone": "+46 33 00 00 00",
        "website": "https://example.se",
    }
    return MakerCreate.model_validate(values | overrides)


async def _upsert(
    session_maker: async_sessionmaker[AsyncSession], maker_in: MakerCreate
) -> tuple[Maker, UpsertOutcome]:
    async with session_maker() as session:
        result = await upsert_maker(session=session, maker_in=maker_in)
        await session.commit()
    return result


async def _stored(session_maker: async_sessionmaker[AsyncSession], external_id: str) -> Maker:
    async with session_maker() as session:
        maker = await get_maker_by_external_id(session=session, external_id=external_id)
    assert maker is not None
    return maker


def test_catalogue_fields_are_what_an_import_sets() -> None:
    assert set(CATALOGUE_FIELDS) == {
        "external_id", "name", "place_name", "municipality_code", "lat", "lon", "materials",
        "processes", "volumes", "volume_words", "description", "contact_name", "email", "phone",
        "website",
        "status", "paused_until",
        "min_order", "lead_time_days", "offers", "works_with", "equipment", "portfolio_url",
    }  # fmt: skip


async def test_upsert_creates_then_leaves_an_identical_row_alone(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    created, outcome = await _upsert(session_maker, catalogue_row())
    assert outcome is UpsertOutcome.CREATED
    assert created.id is not None
    first_updated_at = (await _stored(session_maker, "m-1")).updated_at

    again, outcome = await _upsert(session_maker, catalogue_row())

    assert outcome is UpsertOutcome.UNCHANGED
    assert again.id == created.id
    assert (await _stored(session_maker, "m-1")).updated_at == first_updated_at


async def test_volume_order_and_duplicates_are_not_a_change(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    await _upsert(session_maker, catalogue_row(volumes=["production", "pilot"]))
    _, outcome = await _upsert(
        session_maker, catalogue_row(volumes=["pilot", "production", "pilot"])
    )
    assert outcome is UpsertOutcome.UNCHANGED
    assert (await _stored(session_maker, "m-1")).volumes == ["pilot", "production"]


async def test_upsert_updates_catalogue_fields_and_keeps_what_the_bot_learned(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    maker, _ = await _upsert(session_maker, catalogue_row())
    async with session_maker() as session:
        stored = await get_maker_by_external_id(session=session, external_id="m-1")
        assert stored is not None
        stored.telegram_user_id = 8_000_000_000
        stored.freshness_penalty = 0.5
        stored.last_confirmed = date(2025, 5, 1)
        stored.updated_at = LONG_AGO
        session.add(stored)
        await session.commit()

    updated, outcome = await _upsert(
        session_maker, catalogue_row(materials=["stålplåt", "rostfritt"], phone=None)
    )

    assert outcome is UpsertOutcome.UPDATED
    assert updated.id == maker.id
    stored = await _stored(session_maker, "m-1")
    assert stored.materials == ["stålplåt", "rostfritt"]
    assert stored.phone is None
    assert stored.updated_at > LONG_AGO
    assert stored.telegram_user_id == 8_000_000_000
    assert stored.freshness_penalty == 0.5
    assert stored.last_confirmed == date(2025, 5, 1)
    assert stored.created_at == maker.created_at


async def test_pausing_and_relisting(session_maker: async_sessionmaker[AsyncSession]) -> None:
    await _upsert(session_maker, catalogue_row())

    _, outcome = await _upsert(
        session_maker, catalogue_row(status="paused", paused_until=date(2025, 9, 1))
    )
    assert outcome is UpsertOutcome.UPDATED
    paused = await _stored(session_maker, "m-1")
    assert (paused.status, paused.paused_until) == ("paused", date(2025, 9, 1))
    assert not paused.to_profile().is_available(date(2025, 8, 31))
    assert paused.to_profile().is_available(date(2025, 9, 2))

    # Back to listed: the pause date goes with the pause, even if the row still carries it.
    _, outcome = await _upsert(
        session_maker, catalogue_row(status="listed", paused_until=date(2025, 9, 1))
    )
    assert outcome is UpsertOutcome.UPDATED
    relisted = await _stored(session_maker, "m-1")
    assert (relisted.status, relisted.paused_until) == ("listed", None)

    _, outcome = await _upsert(session_maker, catalogue_row(status=MakerStatus.LISTED))
    assert outcome is UpsertOutcome.UNCHANGED


async def test_upsert_does_not_commit(session_maker: async_sessionmaker[AsyncSession]) -> None:
    async with session_maker() as session:
        await upsert_maker(session=session, maker_in=catalogue_row())
        assert await count_makers(session=session) == 1
        await session.rollback()
        assert await count_makers(session=session) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "archived"), ("volumes", ["mass production"]), ("municipality_code", "148")],
)
def test_catalogue_rows_are_validated(field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        catalogue_row(**{field: value})


def test_pause_date_is_dropped_unless_paused() -> None:
    assert catalogue_row(status="unlisted", paused_until=date(2025, 9, 1)).paused_until is None
    assert catalogue_row(status="paused").paused_until is None  # paused until further notice


async def test_list_and_count(session: AsyncSession) -> None:
    for external_id, status in [("m-3", "listed"), ("m-1", "paused"), ("m-2", "unlisted")]:
        await upsert_maker(session=session, maker_in=catalogue_row(external_id, status=status))

    assert await count_makers(session=session) == 3
    assert [m.external_id for m in await list_makers(session=session)] == ["m-1", "m-2", "m-3"]
    available = await list_makers(
        session=session, statuses=[MakerStatus.LISTED, MakerStatus.PAUSED]
    )
    assert [m.external_id for m in available] == ["m-1", "m-3"]
    assert await list_makers(session=session, statuses=[]) == []
    assert await get_maker_by_external_id(session=session, external_id="nope") is None


def _mixed_batch() -> list[MakerCreate]:
    """Against a catalogue of m-1 … m-4 (m-4 paused): one unchanged, one changed, one
    relisted (its pause date goes), one paused, two new."""
    return [
        catalogue_row("m-1"),
        catalogue_row("m-2", materials=["rostfritt"], phone=None),
        catalogue_row("m-4", status="listed", paused_until=date(2025, 9, 1)),
        catalogue_row("m-3", status="paused", paused_until=date(2025, 9, 1)),
        catalogue_row("m-5"),
        catalogue_row("m-6", name="Ny"),
    ]


async def _seed_four(session: AsyncSession) -> None:
    for external_id in ("m-1", "m-2", "m-3"):
        await upsert_maker(session=session, maker_in=catalogue_row(external_id))
    paused = catalogue_row("m-4", status="paused", paused_until=date(2025, 8, 1))
    await upsert_maker(session=session, maker_in=paused)
    learned = await get_maker_by_external_id(session=session, external_id="m-2")
    assert learned is not None
    learned.telegram_user_id, learned.freshness_penalty = 8_000_000_000, 0.5
    learned.updated_at = LONG_AGO
    session.add(learned)
    await session.commit()


def _catalogue(makers: list[Maker]) -> list[tuple[Any, ...]]:
    return [
        (*(getattr(m, name) for name in CATALOGUE_FIELDS), m.telegram_user_id, m.freshness_penalty)
        for m in makers
    ]


async def test_many_rows_upsert_exactly_as_one_at_a_time(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        await _seed_four(session)
        seeded = {m.external_id: m.updated_at for m in await list_makers(session=session)}
        one_by_one = [
            (await upsert_maker(session=session, maker_in=maker_in))[1]
            for maker_in in _mixed_batch()
        ]
        expected = _catalogue(await list_makers(session=session))
        await session.rollback()

    async with session_maker() as session:
        writes = await compare_makers(session=session, makers_in=_mixed_batch(), batch=4)
        await write_makers(session=session, writes=writes)
        outcomes = writes.outcomes
        await session.commit()
    async with session_maker() as session:
        stored = await list_makers(session=session)

    assert (
        outcomes
        == one_by_one
        == [
            UpsertOutcome.UNCHANGED,
            UpsertOutcome.UPDATED,
            UpsertOutcome.UPDATED,
            UpsertOutcome.UPDATED,
            UpsertOutcome.CREATED,
            UpsertOutcome.CREATED,
        ]
    )
    assert _catalogue(stored) == expected
    by_id = {m.external_id: m for m in stored}
    assert by_id["m-1"].updated_at == seeded["m-1"]  # unchanged: not written
    assert by_id["m-2"].updated_at > LONG_AGO and by_id["m-2"].telegram_user_id == 8_000_000_000
    assert by_id["m-5"].created_at > LONG_AGO and by_id["m-5"].hub_id is None


async def test_many_rows_upserted_refresh_the_makers_the_session_holds(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        await _seed_four(session)
        held = await get_maker_by_external_id(session=session, external_id="m-2")
        assert held is not None and held.materials == ["stålplåt", "aluminium"]

        await upsert_makers(session=session, makers_in=_mixed_batch())
        again = await get_maker_by_external_id(session=session, external_id="m-2")

        assert again is held and again.materials == ["rostfritt"]


async def test_maker_values_are_the_catalogue_as_plain_values(session: AsyncSession) -> None:
    await _seed_four(session)

    values = await maker_values(session=session, partition=3)

    stored = await list_makers(session=session)
    assert [v["external_id"] for v in values] == [m.external_id for m in stored]
    for row, maker in zip(values, stored, strict=True):
        assert row == {
            **{name: getattr(maker, name) for name in CATALOGUE_FIELDS},
            "id": maker.id,
            "hub_id": maker.hub_id,
        }
