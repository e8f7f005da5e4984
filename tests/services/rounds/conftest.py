"""A database with the demo catalogue and a designer dialogue on it (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.demo import seed_demo
from services.dialogue.engine import DesignerDialogue
from services.matchmaking import Matchmaker
from tests.services.dialogue.driver import fixed_clock


@pytest.fixture
async def matchmaker(session_maker: async_sessionmaker[AsyncSession]) -> Matchmaker:
    async with session_maker() as session:
        await seed_demo(session=session)
        return await Matchmaker.load(session=session)


@pytest.fixture
def dialogue(
    session_maker: async_sessionmaker[AsyncSession], matchmaker: Matchmaker
) -> DesignerDialogue:
    return DesignerDialogue(session_maker, matchmaker, clock=fixed_clock)
