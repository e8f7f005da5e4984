"""Bot processes starting at the same time on one database all get their hubs."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

import services.hubs.desk
from services.hubs.registry import SEED_HUBS
from storage.engine import create_engine, session_factory
from storage.models import Hub


async def test_a_hub_created_by_another_process_meanwhile_is_not_an_error(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = session_factory(engine)
    real_ensure = services.hubs.desk.ensure_hubs
    raced = False

    async def ensure_after_a_rival(**kwargs: object) -> object:
        nonlocal raced
        if not raced:  # another process commits the same hubs between our look-up and insert
            raced = True
            async with sessions() as rival:
                await real_ensure(session=rival, hubs=SEED_HUBS)
                await rival.commit()
            session = kwargs["session"]
            for spec in SEED_HUBS:
                session.add(Hub(slug=spec.slug, name=spec.name, counties=list(spec.counties)))  # type: ignore[attr-defined]
            await session.flush()  # type: ignore[attr-defined]
        return await real_ensure(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.hubs.desk, "ensure_hubs", ensure_after_a_rival)
    await services.hubs.desk.start_hub_desk(sessions, hubs=SEED_HUBS)
    async with sessions() as session:
        slugs = sorted((await session.exec(select(Hub.slug))).all())
    assert slugs == sorted(spec.slug for spec in SEED_HUBS)


async def test_two_desks_starting_together(database_url: str, engine: AsyncEngine) -> None:
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        await asyncio.gather(
            *(
                services.hubs.desk.start_hub_desk(session_factory(e), hubs=SEED_HUBS)
                for e in engines
            )
        )
    finally:
        for other in engines:
            await other.dispose()
    async with session_factory(engine)() as session:
        assert len((await session.exec(select(Hub.slug))).all()) == len(SEED_HUBS)
