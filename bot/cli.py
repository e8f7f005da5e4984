"""``spok-bot`` command line: one parser, one module per sub-command group.

A sub-command's module (and whatever it needs: the database, the matcher, the bot) is imported
only when that sub-command runs, so ``spok-bot --help`` and a quick ``spok-bot match`` do not
pay for the others.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_USAGE = 2

# Every sub-command: its module (with ``register(subparsers)``) and the line ``--help`` shows;
# tests/bot/test_cli.py checks that each module registers exactly this name and line.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": (
        "bot.commands.run",
        "start the bot (without TELEGRAM_BOT_TOKEN: the conversation in the terminal)",
    ),
    "chat": ("bot.commands.chat", "the designer conversation in the terminal (buttons as numbers)"),
    "db": ("bot.commands.db", "database maintenance"),
    "makers": ("bot.commands.makers", "import or export the maker catalogue"),
    "hubs": ("bot.commands.hubs", "list the hubs, or sync them with the configuration"),
    "match": ("bot.commands.match", "rank listed makers for a request"),
    "demo": ("bot.commands.demo", "demo data for trying the bot out"),
    "bench": ("bot.commands.bench", "run a benchmark"),
    "evaluate": ("bot.commands.evaluate", "score ranking quality on the labelled evaluation sets"),
    "simulate": (
        "bot.commands.simulate",
        "simulate a hub's market: today's ranking against the reciprocal one",
    ),
    "report": (
        "bot.commands.report",
        "write the funder report (funnel and outcomes per month) as CSV or XLSX",
    ),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, with ``command``'s own arguments (its module imported); every other
    sub-command is listed by name and help line only. ``None``: the names only."""
    parser = argparse.ArgumentParser(
        prog="spok-bot",
        description=(
            "SPOK matchmaking bot: matches designers with local makers. "
            "DATABASE_URL selects the database for every command (default: SQLite in DATA_DIR)."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, help_line) in COMMANDS.items():
        if name == command:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=help_line)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv`` (the first word that is no option), if it is one."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_in(words))
    args = parser.parse_args(words)
    from pydantic import ValidationError

    from bot.settings import load_settings

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
