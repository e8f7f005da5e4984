from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from storage.engine import create_engine
from storage.migrate import (
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from storage.models import metadata

REPO_ROOT = Path(__file__).resolve().parents[2]


def _schema_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _schema_snapshot(connection: Connection) -> dict[str, Any]:
    inspector = inspect(connection)
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), i["unique"])
                for i in inspector.get_indexes(table)
            ),
            "foreign_keys": sorted(
                (fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
        }
        for table in sorted(inspector.get_table_names())
    }


async def test_upgrade_creates_exactly_the_models_schema(database_url: str) -> None:
    assert await current_revision(database_url) is None

    await upgrade(database_url)

    assert await current_revision(database_url) == head_revision() == "0010_inbox"
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_schema_differences) == []
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert tables == set(metadata.tables) | {"alembic_version"}


async def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    await upgrade(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO hubs (slug, name, counties, created_at) "
                    "VALUES ('gbg', 'Göteborg', '[]', CURRENT_TIMESTAMP)"
                )
            )
            before = await connection.run_sync(_schema_snapshot)

        await upgrade(database_url)

        async with engine.connect() as connection:
            assert await connection.run_sync(_schema_snapshot) == before
            hubs = (await connection.execute(text("SELECT slug FROM hubs"))).scalars().all()
    finally:
        await engine.dispose()
    assert hubs == ["gbg"]
    assert await current_revision(database_url) == head_revision()


async def test_downgrade_to_base_removes_everything_and_upgrade_restores_it(
    database_url: str,
) -> None:
    await upgrade(database_url)
    config = alembic_config(database_url)

    def downgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(downgrade)
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert tables == {"alembic_version"}

    await upgrade(database_url)
    assert await current_revision(database_url) == head_revision()


def test_migration_scripts_are_package_data() -> None:
    """Every file the migrations need matches the ``package-data`` globs in pyproject.toml."""
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["storage"]
    storage_dir = MIGRATIONS_DIR.parent
    needed = {
        path
        for path in MIGRATIONS_DIR.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    # setuptools expands the globs like Path.glob: "*" does not cross directories.
    shipped = {path for pattern in globs for path in storage_dir.glob(pattern)}
    assert {
        MIGRATIONS_DIR / "env.py",
        MIGRATIONS_DIR / "script.py.mako",
        MIGRATIONS_DIR / "versions" / "0001_initial.py",
    } <= needed
    assert needed - shipped == set()


def test_the_shipped_head_is_the_one_alembic_finds() -> None:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
