"""Alembic, driven from code: no ``alembic.ini`` needed, the scripts ship inside the package.

Every command and every start upgrades first; a database already at the newest revision is
told apart with one query, without importing Alembic (and its Mako templates), so that a
quick command stays quick.

>>> import asyncio
>>> asyncio.run(upgrade("sqlite+aiosqlite:///data/spok.db"))  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from storage.engine import create_engine, normalise_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Serialises concurrent upgrades on PostgreSQL (say the bot starting while `db upgrade` runs):
# the second waits, then finds the schema at head. Any constant works; this is b"spok-mig".
_PG_MIGRATION_LOCK = 0x73706F6B2D6D6967


def alembic_config(url: str | None = None) -> Config:
    """A Config pointing at the packaged migration scripts (and at ``url`` if given)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        rendered = normalise_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


@cache
def head_revision() -> str:
    """The newest revision shipped with this code: the one no other script revises.

    Read from the scripts' own ``revision`` / ``down_revision`` lines rather than through
    Alembic; tests/storage/test_migrations.py checks that Alembic agrees.
    """
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = _ASSIGNED.search(source)
        down = re.search(r"^down_revision[^=]*=\s*(.+)$", source, re.M)
        if revision is None or down is None:
            raise RuntimeError(f"{script.name} names no revision")
        revisions.add(revision.group(1))
        revised.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - revised
    if len(heads) != 1:
        raise RuntimeError(f"the migration scripts have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


_ASSIGNED = re.compile(r"^revision[^=]*=\s*['\"]([^'\"]+)['\"]", re.M)


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision``; a no-op when it is already there."""
    engine = create_engine(url)
    try:
        if revision == "head":
            async with engine.connect() as connection:
                if await connection.run_sync(_stored_revision) == head_revision():
                    return
        config = alembic_config(url)
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, config, revision)
    finally:
        await engine.dispose()


def upgrade_sync(url: str, revision: str = "head") -> None:
    """:func:`upgrade` for callers without a running event loop (scripts, sync code)."""
    asyncio.run(upgrade(url, revision))


def _upgrade(connection: Connection, config: Config, revision: str) -> None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at; ``None`` for a database never migrated."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_stored_revision)
    finally:
        await engine.dispose()


def _stored_revision(connection: Connection) -> str | None:
    """What ``alembic_version`` holds; ``None`` for a database never migrated."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


async def autogenerate_revision(url: str, message: str) -> Path:
    """Write the next migration script from the difference between the models and ``url``.

    For developers after changing ``storage/models.py``; the database at ``url`` must be at
    head. Review the generated file: autogenerate misses renames and server-side details.
    """
    from alembic.script import ScriptDirectory

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
    from alembic import command

    config.attributes["connection"] = connection
    result = command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
    scripts = result if isinstance(result, list) else [result]
    if not scripts or scripts[0] is None:
        raise RuntimeError("alembic wrote no revision")
    return Path(scripts[0].path)
