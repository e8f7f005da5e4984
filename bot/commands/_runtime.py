"""What the database-touching commands share: open the database, run one coroutine, exit codes."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.settings import Settings
from storage.engine import UnsupportedDatabaseURL, create_engine, display_url, session_factory
from storage.migrate import upgrade

EXIT_OK = 0
EXIT_FAILURE = 1  # the database could not be opened or written
EXIT_UNUSABLE = 2  # bad arguments or an input file that cannot be used at all
EXIT_REJECTED = 3  # the input was used, but some rows were rejected

T = TypeVar("T")


class DatabaseUnavailable(Exception):
    """Migrating or talking to the database failed; the message is one line for operators."""


def run_with_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Bring the database to the latest schema, then run ``work`` with one session."""
    return asyncio.run(_with_session(settings.resolved_database_url(), work))


async def _with_session(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    try:
        await upgrade(url)
        engine = create_engine(url)
    except (OSError, SQLAlchemyError, UnsupportedDatabaseURL) as error:
        detail = _first_line(error)
        raise DatabaseUnavailable(
            f"cannot open the database {display_url(url)}: {detail}"
        ) from None
    try:
        async with session_factory(engine)() as session:
            return await work(session)
    except (OSError, SQLAlchemyError) as error:
        detail = _first_line(error)
        raise DatabaseUnavailable(f"database error on {display_url(url)}: {detail}") from None
    finally:
        await engine.dispose()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def fail(command: str, message: str) -> None:
    """Print ``spok-bot <command>: error: <message>`` on stderr, like argparse does."""
    print(terminal_text(f"spok-bot {command}: error: {message}"), file=sys.stderr)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def terminal_text(text: str) -> str:
    """``text`` safe to print on an operator's terminal: a control character other than a line
    feed or a tab (ESC starts the sequences that move the cursor, recolour or retitle the
    window) is shown as Python would write it (``\\x1b``), never sent as itself.

    Names and other catalogue fields are cleaned where they come in (the Telegram edge, the
    catalogue reader); this covers whatever reached the database before that, or by hand.

    >>> terminal_text("Ek\\x1b[2J\\tAB\\n")
    'Ek\\\\x1b[2J\\tAB\\n'
    """
    return _CONTROL.sub(lambda found: ascii(found.group())[1:-1], text)
