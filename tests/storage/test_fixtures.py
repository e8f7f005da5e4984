"""The shared database fixtures hand every test a clean database, even when they reuse one."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Hub, metadata


@pytest.mark.parametrize("attempt", [1, 2])
async def test_every_test_starts_with_empty_tables_and_fresh_ids(
    session: AsyncSession, attempt: int
) -> None:
    for table in metadata.sorted_tables:
        count = (await session.exec(select(func.count()).select_from(table))).one()
        assert count == 0, f"{table.name} has rows left by another test"

    hub = Hub(slug="same-slug-every-time", name=f"Attempt {attempt}")
    session.add(hub)
    await session.commit()
    assert hub.id == 1
