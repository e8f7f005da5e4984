"""``spok-bot demo seed``: load the bundled demo catalogue so the bot has makers to match."""

from __future__ import annotations

import argparse
from typing import Any

from bot.commands._runtime import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_REJECTED,
    DatabaseUnavailable,
    fail,
    run_with_session,
)
from bot.commands.makers import print_report
from bot.settings import Settings
from services.demo import seed_demo


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="demo data for trying the bot out",
        description="Demo data for trying the bot out.",
    )
    actions = parser.add_subparsers(dest="demo_action", metavar="ACTION", required=True)
    seed = actions.add_parser(
        "seed",
        help="import the bundled demo catalogue of fictional makers",
        description=(
            "Import the bundled demo catalogue (fictional makers across Sweden) through the "
            "same importer as 'makers import'. Running it again changes nothing."
        ),
        epilog="exit status: 0 imported, 3 some demo rows rejected, 1 database unavailable.",
    )
    seed.add_argument("--json", action="store_true", help="print the report as JSON")
    seed.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
    seed.set_defaults(handler=seed_command)


def seed_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        report = run_with_session(
            settings, lambda session: seed_demo(session=session, dry_run=args.dry_run)
        )
    except DatabaseUnavailable as error:
        fail("demo seed", str(error))
        return EXIT_FAILURE
    print_report(report, as_json=args.json)
    return EXIT_OK if report.all_accepted else EXIT_REJECTED
