"""Database fixtures shared by every test package.

Each test that uses ``database_url`` (directly or through ``engine`` / ``session``) runs twice:
``[sqlite]`` on a file in ``tmp_path`` and ``[postgresql]`` on a database of its own on the
server at ``TEST_POSTGRES_URL``. Without a reachable server the PostgreSQL half is skipped,
unless ``CI=true``, where it fails. ``-m "not postgres"`` deselects it.

    async def test_something(session: AsyncSession) -> None:
        ...  # a database at head with no rows; commit or not, nothing outlives the test

    def test_a_command(database_url: str, engine: AsyncEngine) -> None:
        ...  # the same database: hand database_url to a CLI, inspect through engine

    async def test_migrations(database_url: str) -> None:
        ...  # without engine/session: an empty, never migrated database

Speed: a migrated database is not built per test. SQLite copies a file migrated once per
session; PostgreSQL reuses databases that were migrated once, emptied after each test with
``DELETE`` (sequences reset) and dropped instead if the test changed their schema.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import asyncpg  # type: ignore[import-untyped]
import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import URL
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.engine import create_engine, display_url, normalise_url, session_factory
from storage.migrate import upgrade
from storage.models import metadata

# Property tests draw the same examples on every run, so CI never fails on a new random draw,
# and have no per-example deadline: a shared 2-core machine makes wall-clock limits flaky.
# HYPOTHESIS_PROFILE=default explores new examples locally.
hypothesis_settings.register_profile("repeatable", deadline=None, derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

DEFAULT_TEST_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TEST_DATABASE_PREFIX = "spok_test_"
# Fixtures that need the schema; when a test uses one, database_url starts out migrated.
_MIGRATED_FIXTURES = {"engine"}

T = TypeVar("T")


def _run_isolated(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on a private loop in a worker thread.

    Keeps database administration off pytest-asyncio's per-test event loop, so the fixtures
    below can be plain fixtures of any scope.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


# --- PostgreSQL -------------------------------------------------------------------------------

# Everything a test could change about the schema, hashed; compared before a database is reused.
_SCHEMA_FINGERPRINT = """
SELECT md5(
    coalesce((SELECT string_agg(
        table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '
            || coalesce(character_maximum_length::text, '') || ' '
            || coalesce(column_default, ''),
        ',' ORDER BY table_name, column_name)
     FROM information_schema.columns WHERE table_schema = 'public'), '')
    || '|' || coalesce((SELECT string_agg(indexdef, ',' ORDER BY indexname)
                        FROM pg_indexes WHERE schemaname = 'public'), '')
    || '|' || coalesce((SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ','
                                          ORDER BY conname)
                        FROM pg_constraint WHERE connamespace = 'public'::regnamespace), '')
    || '|' || coalesce((SELECT string_agg(version_num, ',') FROM alembic_version), '')
)
"""


class PostgresDatabases:
    """Creates, recycles and drops this test session's databases on the server."""

    def __init__(self, server: URL) -> None:
        self.server = server
        self._spare: list[str] = []  # migrated, emptied, unused
        self._fingerprint: str | None = None  # of a freshly migrated database

    def url(self, name: str) -> str:
        return self.server.set(database=name).render_as_string(hide_password=False)

    def acquire(self, *, migrated: bool) -> str:
        if migrated and self._spare:
            return self._spare.pop()
        name = f"{TEST_DATABASE_PREFIX}{os.getpid()}_{secrets.token_hex(4)}"
        _run_isolated(_execute(self.server, f'CREATE DATABASE "{name}"'))
        if migrated:
            _run_isolated(upgrade(self.url(name)))
            if self._fingerprint is None:
                self._fingerprint = _run_isolated(_fetch_fingerprint(self._dsn(name)))
        return name

    def release(self, name: str, *, migrated: bool) -> None:
        if migrated and self._fingerprint is not None:
            try:
                _run_isolated(_empty_if_unchanged(self._dsn(name), self._fingerprint))
            except Exception:  # schema changed, or something still holds a lock: start over
                pass
            else:
                self._spare.append(name)
                return
        self._drop(name)

    def close(self) -> None:
        while self._spare:
            self._drop(self._spare.pop())

    def _drop(self, name: str) -> None:
        _run_isolated(_execute(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _dsn(self, name: str) -> str:
        return _asyncpg_dsn(self.server.set(database=name))


def _asyncpg_dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _execute(url: URL, *statements: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(url), timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _fetch_fingerprint(dsn: str) -> str:
    connection = await asyncpg.connect(dsn, timeout=5)
    try:
        fingerprint: str = await connection.fetchval(_SCHEMA_FINGERPRINT)
        return fingerprint
    finally:
        await connection.close()


async def _empty_if_unchanged(dsn: str, expected_fingerprint: str) -> None:
    connection = await asyncpg.connect(dsn, timeout=5)
    try:
        # Connections the test leaked would otherwise see the next test's rows.
        await connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        if await connection.fetchval(_SCHEMA_FINGERPRINT) != expected_fingerprint:
            raise RuntimeError("the test changed the schema")
        # DELETE, children first, beats TRUNCATE (new files, fsync) by far on tables this small.
        async with connection.transaction():
            await connection.execute("SET LOCAL lock_timeout = '2s'")
            for table in reversed(metadata.sorted_tables):
                await connection.execute(f'DELETE FROM "{table.name}"')
            await connection.execute(
                "SELECT setval(oid::regclass, 1, false) FROM pg_class "
                "WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"
            )
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_server() -> URL:
    """The admin URL of the test PostgreSQL server; skips (or fails on CI) when it is down."""
    url = normalise_url(os.environ.get("TEST_POSTGRES_URL") or DEFAULT_TEST_POSTGRES_URL)
    try:
        _run_isolated(_execute(url, "SELECT 1"))
    except Exception as exc:
        reason = (
            f"PostgreSQL not reachable at {display_url(url)} ({type(exc).__name__}: {exc}); "
            "set TEST_POSTGRES_URL"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def postgres_databases(postgres_server: URL) -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_server)
    try:
        yield databases
    finally:
        databases.close()


# --- SQLite -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session, copied for each test."""
    path = tmp_path_factory.mktemp("sqlite-template") / "spok.db"
    # Disposing the engine checkpoints the WAL, so the one file holds the whole schema.
    _run_isolated(upgrade(_sqlite_url(path)))
    assert not path.with_name("spok.db-wal").exists()
    return path


# --- what tests use ---------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database of this test's own: empty, or at head if the test uses ``engine``."""
    migrated = not _MIGRATED_FIXTURES.isdisjoint(request.fixturenames)
    if request.param == "sqlite":
        path = tmp_path / "test-database" / "spok.db"
        path.parent.mkdir()
        if migrated:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield _sqlite_url(path)
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    name = databases.acquire(migrated=migrated)
    try:
        yield databases.url(name)
    finally:
        databases.release(name, migrated=migrated)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on ``database_url``, migrated to head."""
    await upgrade(database_url)  # a quick no-op unless the template is out of date
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """For tests that need several sessions, e.g. to read back what another one committed."""
    return session_factory(engine)


@pytest.fixture
async def session(session_maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with session_maker() as session:
        yield session
