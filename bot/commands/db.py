"""``spok-bot db``: database maintenance (``upgrade`` applies the migrations, ``current`` shows
where the database is)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from bot.settings import Settings
from storage.engine import UnsupportedDatabaseURL, display_url
from storage.migrate import current_revision, head_revision, upgrade

EXIT_OK = 0
EXIT_FAILED = 1

# What a database that is down, missing, misnamed or refusing us raises; anything else is a bug
# and keeps its traceback.
_DATABASE_ERRORS = (OSError, SQLAlchemyError, CommandError, UnsupportedDatabaseURL)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "db",
        help="database maintenance",
        description="Database maintenance for DATABASE_URL (default: SQLite in DATA_DIR).",
    )
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade_parser = actions.add_parser(
        "upgrade", help="apply all pending migrations (safe to run again)"
    )
    upgrade_parser.set_defaults(handler=upgrade_command)
    current_parser = actions.add_parser("current", help="show the database's schema revision")
    current_parser.set_defaults(handler=current_command)


def upgrade_command(args: argparse.Namespace, settings: Settings) -> int:
    url = settings.resolved_database_url()
    try:
        asyncio.run(upgrade(url))
        revision = asyncio.run(current_revision(url))
    except _DATABASE_ERRORS as exc:
        return _fail(f"cannot upgrade the database at {display_url(url)}: {_reason(exc)}")
    print(f"Database at {display_url(url)} is at revision {revision} (head).")
    return EXIT_OK


def current_command(args: argparse.Namespace, settings: Settings) -> int:
    url = settings.resolved_database_url()
    try:
        revision = asyncio.run(current_revision(url))
    except _DATABASE_ERRORS as exc:
        return _fail(f"cannot read the database at {display_url(url)}: {_reason(exc)}")
    head = head_revision()
    if revision is None:
        state = "has no schema yet; run `spok-bot db upgrade`"
    elif revision == head:
        state = f"is at revision {revision} (head)"
    else:
        state = f"is at revision {revision}; head is {head}, run `spok-bot db upgrade`"
    print(f"Database at {display_url(url)} {state}.")
    return EXIT_OK


def _reason(exc: BaseException) -> str:
    """The driver's own message, without SQLAlchemy's statement dump and help link."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    message = str(exc).strip().splitlines()
    return message[0] if message else type(exc).__name__


def _fail(message: str) -> int:
    print(f"spok-bot db: error: {message}", file=sys.stderr)
    return EXIT_FAILED
