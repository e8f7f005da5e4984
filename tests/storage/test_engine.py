from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.engine import (
    UnsupportedDatabaseURL,
    create_engine,
    display_url,
    normalise_url,
    session_factory,
)
from storage.models import Hub


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://bot:pw@db:5432/spok", "postgresql+asyncpg://bot:pw@db:5432/spok"),
        ("postgres://bot:pw@db/spok", "postgresql+asyncpg://bot:pw@db/spok"),
        ("postgresql+asyncpg://bot@db/spok", "postgresql+asyncpg://bot@db/spok"),
        ("sqlite:////srv/spok.db", "sqlite+aiosqlite:////srv/spok.db"),
        ("sqlite+aiosqlite:///data/spok.db", "sqlite+aiosqlite:///data/spok.db"),
    ],
)
def test_normalise_url_selects_the_async_driver(url: str, expected: str) -> None:
    assert normalise_url(url).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    "url", ["mysql://bot@db/spok", "postgresql+psycopg2://bot@db/spok", "not a url"]
)
def test_unsupported_url_is_a_clear_error(url: str) -> None:
    with pytest.raises(UnsupportedDatabaseURL) as raised:
        create_engine(url)
    message = str(raised.value)
    assert "sqlite+aiosqlite" in message or "not a database URL" in message


def test_display_url_hides_the_password() -> None:
    shown = display_url("postgresql://bot:s3cret@db/spok")
    assert "s3cret" not in shown
    assert "bot:***@db/spok" in shown


async def test_sqlite_parent_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "data" / "spok.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert path.exists()


async def test_sqlite_pragmas_are_set_on_every_connection(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}")
    try:
        # Two connections held at once: the pool must open two, and both get the pragmas.
        async with engine.connect() as first, engine.connect() as second:
            for connection in (first, second):
                pragmas = {
                    name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
                    for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
                }
                assert pragmas == {
                    "journal_mode": "wal",
                    "busy_timeout": 5000,
                    "foreign_keys": 1,
                    "synchronous": 1,  # NORMAL
                }
    finally:
        await engine.dispose()


async def test_sqlite_in_memory_is_one_shared_database() -> None:
    engine = create_engine("sqlite+aiosqlite://")
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            await connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        async with engine.connect() as connection:
            assert (await connection.exec_driver_sql("SELECT x FROM t")).scalar_one() == 1
    finally:
        await engine.dispose()


async def test_sessions_keep_attributes_after_commit(
    session_maker: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    assert session_factory(engine).kw["expire_on_commit"] is False
    async with session_maker() as session:
        assert isinstance(session, AsyncSession)
        hub = Hub(slug="vast", name="Västra Götaland", counties=["14"])
        session.add(hub)
        await session.commit()
        # No lazy reload (which would need I/O outside an await) after the commit.
        assert hub.id is not None
        assert hub.name == "Västra Götaland"
