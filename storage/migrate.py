"""Alembic, driven from code: no ``alembic.ini`` needed, the scripts ship inside the package.

>>> import asyncio
>>> asyncio.run(upgrade("sqlite+aiosqlite:///data/spok.db"))  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from storage.engine import create_engine, normalise_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Serialises concurrent upgrades on PostgreSQL (say the bot starting while `db upgrade` runs):
# the second waits, then finds the schema at head. Any constant works; this is b"spok-mig".
_PG_MIGRATION_LOCK = 0x73706F6B2D6D6967


def alembic_config(url: str | None = None) -> Config:
    """A Config pointing at the packaged migration scripts (and at ``url`` if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        rendered = normalise_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision shipped with this code."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships 0001
        raise RuntimeError(f"no migration scripts found in {MIGRATIONS_DIR}")
    return head


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision``; a no-op when it is already there."""
    config = alembic_config(url)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, config, revision)
    finally:
        await engine.dispose()


def upgrade_sync(url: str, revision: str = "head") -> None:
    """:func:`upgrade` for callers without a running event loop (scripts, sync code)."""
    asyncio.run(upgrade(url, revision))


def _upgrade(connection: Connection, config: Config, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at; ``None`` for a database never migrated."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current_revision)
    finally:
        await engine.dispose()


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def autogenerate_revision(url: str, message: str) -> Path:
    """Write the next migration script from the difference between the models and ``url``.

    For developers after changing ``storage/models.py``; the database at ``url`` must be at
    head. Review the generated file: autogenerate misses renames and server-side details.
    """
    config = alembic_config(url)
    script = ScriptDirectory.from_config(config)
    rev_id = f"{len(list(script.walk_revisions())) + 1:04d}"
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            written = await connection.run_sync(_revision, config, message, rev_id)
    finally:
        await engine.dispose()
    return written


def _revision(connection: Connection, config: Config, message: str, rev_id: str) -> Path:
    config.attributes["connection"] = connection
    result = command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
    scripts = result if isinstance(result, list) else [result]
    if not scripts or scripts[0] is None:
        raise RuntimeError("alembic wrote no revision")
    return Path(scripts[0].path)
