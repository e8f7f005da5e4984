"""Small factories for hubs, makers and coordinators in role and invite tests."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.registry import SEED_HUBS, ensure_hubs
from storage.models import Hub, Maker
from storage.repositories.hubs import add_coordinator
from storage.repositories.makers import MakerCreate, upsert_maker

# Municipalities: Borås (Västra Götaland, 14), Malmö (Skåne, 12), Kiruna (Norrbotten, 25: no hub).
BORAS, MALMO, KIRUNA = "1490", "1280", "2584"


async def seeded_hubs(session: AsyncSession) -> dict[str, Hub]:
    """The built-in hubs, committed, by slug."""
    hubs = await ensure_hubs(session=session, hubs=SEED_HUBS)
    await session.commit()
    return {hub.slug: hub for hub in hubs}


async def listed_maker(
    session: AsyncSession,
    external_id: str,
    *,
    municipality_code: str = BORAS,
    telegram_user_id: int | None = None,
) -> Maker:
    """A listed maker, committed."""
    maker, _ = await upsert_maker(
        session=session,
        maker_in=MakerCreate(
            external_id=external_id,
            name=f"Verkstad {external_id}",
            municipality_code=municipality_code,
            lat=57.7,
            lon=12.9,
        ),
    )
    maker.telegram_user_id = telegram_user_id
    session.add(maker)
    await session.commit()
    return maker


async def coordinator_of(session: AsyncSession, hub: Hub, telegram_user_id: int) -> None:
    assert hub.id is not None
    await add_coordinator(
        session=session, hub_id=hub.id, telegram_user_id=telegram_user_id, added_by=None
    )
    await session.commit()
