"""The async engine and session factory for SQLite (aiosqlite) or PostgreSQL (asyncpg)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import URL, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlmodel.ext.asyncio.session import AsyncSession

SQLITE_DRIVER = "sqlite+aiosqlite"
POSTGRES_DRIVER = "postgresql+asyncpg"
_SQLITE_SCHEMES = {"sqlite", SQLITE_DRIVER}
_POSTGRES_SCHEMES = {"postgresql", "postgres", POSTGRES_DRIVER}

# Applied to every SQLite connection. WAL lets the bot and a second process (the CLI, the
# scheduler) read while one writes; busy_timeout makes a writer wait for the lock instead of
# failing at once; SQLite leaves foreign keys off unless asked; NORMAL is durable enough in WAL;
# secure_delete overwrites deleted and replaced content with zeros, so erased personal data is
# not left in free space of the file (see scrub for the WAL).
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA secure_delete=ON",
)
SCRUB_ATTEMPTS = 5


PG_CONNECT_TIMEOUT_SECONDS = 10
# A pooled connection older than this is replaced at its next checkout (servers and proxies
# drop idle connections; recycling costs nothing per checkout, unlike a liveness ping).
PG_POOL_RECYCLE_SECONDS = 300
# The inbox's lease (storage.repositories.inbox): a transaction left idle this long, by a
# process that hangs without dying, is ended by the server, and its claims are free again.
# A process that dies frees them at once (its connection closes). Longer than any handler
# waits inside an update's transaction (a large catalogue's download and parse).
INBOX_LEASE_SECONDS = 300


class UnsupportedDatabaseURL(ValueError):
    """The URL names a database this application does not run on."""


def normalise_url(url: str | URL) -> URL:
    """The async-driver form of ``url``: ``sqlite+aiosqlite`` or ``postgresql+asyncpg``.

    Accepts ``sqlite://``, ``postgresql://`` and Heroku-style ``postgres://`` as well.

    >>> normalise_url("postgres://bot@db/spok").render_as_string()
    'postgresql+asyncpg://bot@db/spok'
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UnsupportedDatabaseURL(f"not a database URL: {url!s}") from exc
    if parsed.drivername in _SQLITE_SCHEMES:
        return parsed.set(drivername=SQLITE_DRIVER)
    if parsed.drivername in _POSTGRES_SCHEMES:
        return parsed.set(drivername=POSTGRES_DRIVER)
    raise UnsupportedDatabaseURL(
        f"unsupported database URL scheme {parsed.drivername!r}: use "
        "sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host/dbname"
    )


def display_url(url: str | URL) -> str:
    """``url`` without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def is_sqlite_memory(url: URL) -> bool:
    return url.drivername == SQLITE_DRIVER and url.database in (None, "", ":memory:")


def create_engine(url: str | URL) -> AsyncEngine:
    """An async engine for ``url``; see :func:`normalise_url` for the accepted schemes.

    For a SQLite file the parent directory is created if missing, and every connection gets
    :data:`SQLITE_PRAGMAS`.
    """
    parsed = normalise_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.drivername == SQLITE_DRIVER:
        if is_sqlite_memory(parsed):
            # One shared connection, or every checkout would see a different empty database.
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        elif parsed.database and not parsed.database.startswith("file:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    else:
        # No liveness ping per checkout (a round trip for every transaction): connections are
        # recycled by age, and a connection found dead when used is invalidated by SQLAlchemy
        # and the work tried again by its caller (the inbox edge, the outbox sender, the jobs).
        kwargs["pool_recycle"] = PG_POOL_RECYCLE_SECONDS
        kwargs["connect_args"] = {
            # Fail within seconds, not asyncpg's default minute, when the server is unreachable.
            "timeout": PG_CONNECT_TIMEOUT_SECONDS,
            "server_settings": {
                "idle_in_transaction_session_timeout": str(INBOX_LEASE_SECONDS * 1000)
            },
        }
    engine = create_async_engine(parsed, **kwargs)
    if parsed.drivername == SQLITE_DRIVER:
        event.listen(engine.sync_engine, "connect", _apply_sqlite_pragmas)
    return engine


def _apply_sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


async def scrub(engine: AsyncEngine, tables: Sequence[str]) -> bool:
    """After deleted or overwritten personal data was committed: leave no copy in the files.

    SQLite: with ``secure_delete`` the database file holds no deleted bytes, but the WAL still
    has the pages as they were before; a ``TRUNCATE`` checkpoint copies the WAL into the file
    and empties it. It waits for readers (the busy timeout) and is tried a few times; ``False``
    if readers kept it from finishing (the next checkpoint does it).

    PostgreSQL: an ``UPDATE`` or ``DELETE`` leaves the old row version in the table until
    ``VACUUM`` removes it; this runs a plain ``VACUUM`` of ``tables`` at once rather than
    waiting for autovacuum. What stays after that (freed space not yet reused, WAL segments not
    yet recycled, backups) is described in the README's privacy section.
    """
    if engine.dialect.name == "sqlite":
        for _ in range(SCRUB_ATTEMPTS):
            async with engine.connect() as connection:
                result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                busy = result.one()[0]
            if not busy:
                return True
        return False
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in tables:
            await autocommit.exec_driver_sql(f'VACUUM "{table}"')
    return True


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded attributes after commit (no lazy reload in async code)."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
