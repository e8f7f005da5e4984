"""Hubs: the seed, a HUBS_FILE, the idempotent sync and whose a request is."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.registry import (
    NATIONAL_SLUG,
    SEED_HUBS,
    HubConfigError,
    HubSpec,
    coordinator_chats,
    ensure_hubs,
    hub_for_county,
    hub_for_request,
    hub_of_maker,
    load_hubs_file,
    validate_hubs,
)
from storage.models import Hub
from storage.repositories.hubs import list_hubs
from tests.fakes.roles import BORAS, KIRUNA, MALMO, coordinator_of, listed_maker, seeded_hubs


def test_the_seed_covers_the_five_regional_hubs_and_a_national_fallback() -> None:
    counties = {hub.name: hub.counties for hub in validate_hubs(SEED_HUBS)}
    assert counties == {
        "SPOK Västra Götaland": ("14",),
        "SPOK Skåne": ("12",),
        "SPOK Blekinge": ("10",),
        "SPOK Halland": ("13",),
        "SPOK Stockholm": ("01",),
        "SPOK Sverige": (),
    }


def test_a_county_goes_to_its_hub_else_to_the_national_fallback() -> None:
    hubs = [Hub(slug=s.slug, name=s.name, counties=list(s.counties)) for s in SEED_HUBS]
    assert hub_for_county(hubs=hubs, county_code="12").slug == "skane"
    assert hub_for_county(hubs=hubs, county_code="25").slug == NATIONAL_SLUG
    assert hub_for_county(hubs=hubs, county_code=None).slug == NATIONAL_SLUG
    with pytest.raises(LookupError):
        hub_for_county(hubs=hubs[:1], county_code="25")


@pytest.mark.parametrize(
    ("hubs", "problem"),
    [
        ([HubSpec("a", "A", ("14",))], "exactly one hub must cover no county"),
        ([HubSpec("a", "A"), HubSpec("b", "B")], "exactly one hub must cover no county"),
        ([HubSpec("a", "A"), HubSpec("a", "B", ("14",))], "appears twice"),
        ([HubSpec("a", "A"), HubSpec("b", "B", ("99",))], "unknown county code '99'"),
        ([HubSpec("a", "A", ("14",)), HubSpec("b", "B", ("14",))], "county 14 is in both"),
        ([HubSpec("a b", "A")], "use letters, digits"),
        ([HubSpec("a", " ")], "has no name"),
    ],
)
def test_unusable_hub_lists_are_refused_with_the_reason(hubs: list[HubSpec], problem: str) -> None:
    with pytest.raises(HubConfigError, match=problem):
        validate_hubs(hubs)


def test_hubs_file_replaces_the_seed(tmp_path: Path) -> None:
    path = tmp_path / "hubs.toml"
    path.write_text(
        '[[hubs]]\nslug = "norr"\nname = "SPOK Norr"\ncounties = ["25", "24"]\n\n'
        '[[hubs]]\nslug = "sverige"\nname = "SPOK Sverige"\n',
        encoding="utf-8",
    )
    assert load_hubs_file(path) == (
        HubSpec("norr", "SPOK Norr", ("25", "24")),
        HubSpec("sverige", "SPOK Sverige", ()),
    )


@pytest.mark.parametrize(
    "content",
    ["not toml = = 1", "[[other]]\nx = 1\n", '[[hubs]]\nname = "no slug"\n'],
)
def test_an_unusable_hubs_file_is_one_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "hubs.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(HubConfigError, match=r"hubs\.toml"):
        load_hubs_file(path)
    with pytest.raises(HubConfigError, match="cannot read"):
        load_hubs_file(tmp_path / "missing.toml")


async def test_ensure_hubs_is_an_idempotent_upsert_by_slug(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        first = await seeded_hubs(session)
        first["skane"].telegram_chat_id = -100777
        session.add(first["skane"])
        await session.commit()
    renamed = [
        HubSpec("skane", "SPOK Skåne och Blekinge", ("12", "10")),
        HubSpec("sverige", "SPOK Sverige", ()),
    ]
    async with session_maker() as session:
        again = await ensure_hubs(session=session, hubs=SEED_HUBS)
        await session.commit()
        assert {hub.slug: hub.id for hub in again} == {s: h.id for s, h in first.items()}
        await ensure_hubs(session=session, hubs=renamed)
        await session.commit()
    async with session_maker() as session:
        hubs = {hub.slug: hub for hub in await list_hubs(session=session)}
    assert len(hubs) == len(SEED_HUBS)  # hubs no longer configured are kept
    assert hubs["skane"].name == "SPOK Skåne och Blekinge"
    assert hubs["skane"].counties == ["12", "10"]
    assert hubs["skane"].telegram_chat_id == -100777  # a bound chat survives a sync


async def test_a_request_belongs_to_the_hub_of_its_county(session: AsyncSession) -> None:
    await seeded_hubs(session)
    assert (await hub_for_request(session=session, municipality_code=BORAS)).slug == (
        "vastra-gotaland"
    )
    assert (await hub_for_request(session=session, municipality_code=MALMO)).slug == "skane"
    for nowhere in (KIRUNA, None, "12"):
        hub = await hub_for_request(session=session, municipality_code=nowhere)
        assert hub.slug == NATIONAL_SLUG


async def test_a_maker_belongs_to_its_set_hub_else_to_its_countys(session: AsyncSession) -> None:
    hubs = await seeded_hubs(session)
    maker = await listed_maker(session, "m-1", municipality_code=MALMO)
    assert (await hub_of_maker(session=session, maker=maker)).slug == "skane"
    maker.hub_id = hubs["halland"].id
    assert (await hub_of_maker(session=session, maker=maker)).slug == "halland"


async def test_notices_go_to_the_hub_chat_else_coordinators_else_admins(
    session: AsyncSession,
) -> None:
    hubs = await seeded_hubs(session)
    skane = hubs["skane"]
    assert skane.id is not None
    assert await coordinator_chats(session=session, hub_id=skane.id, fallback_ids={9, 8}) == [8, 9]
    await coordinator_of(session, skane, 21)
    await coordinator_of(session, skane, 22)
    assert await coordinator_chats(session=session, hub_id=skane.id, fallback_ids={9}) == [21, 22]
    skane.telegram_chat_id = -100555
    session.add(skane)
    await session.commit()
    assert await coordinator_chats(session=session, hub_id=skane.id, fallback_ids={9}) == [-100555]
