"""``spok-bot`` command line: one parser, one module per sub-command group."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.commands import bench, chat, db, demo, evaluate, hubs, makers, match, report, run
from bot.settings import load_settings

EXIT_OK = 0
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spok-bot",
        description=(
            "SPOK matchmaking bot: matches designers with local makers. "
            "DATABASE_URL selects the database for every command (default: SQLite in DATA_DIR)."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (run, chat, db, makers, hubs, match, demo, bench, evaluate, report):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ValidationError as error:  # a bad variable in the environment or .env: say which
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"]).upper()
            message = str(problem["msg"]).removeprefix("Value error, ")
            print(f"spok-bot: configuration: {name}: {message}", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Library chatter (HTTP requests carry the bot token in their URL; migrations log every
    # step) stays out of an operator's terminal unless it is a warning.
    for noisy in ("httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Below WARNING these print SQL statements with their parameters: people's contact details.
    for private in ("sqlalchemy", "aiosqlite", "asyncpg"):
        logging.getLogger(private).setLevel(logging.WARNING)
    handler = args.handler
    try:
        code: int = handler(args, settings)
    except BrokenPipeError:
        # The reader went away ("spok-bot match --json | head"): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
