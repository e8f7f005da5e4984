"""``spok-bot run``: start the bot; without a Telegram token, the terminal search."""

from __future__ import annotations

import argparse

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands._runtime import EXIT_FAILURE, EXIT_OK, DatabaseUnavailable, fail, run_with_session
from bot.settings import Settings
from bot.terminal import TerminalSearch
from services.demo import seed_demo
from services.matchmaking import Matchmaker
from storage.repositories.makers import count_makers

EXIT_NOT_AVAILABLE = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "run",
        help="start the bot (without TELEGRAM_BOT_TOKEN: the terminal search)",
        description=(
            "Start the bot. Without TELEGRAM_BOT_TOKEN it opens the terminal search on the "
            "configured database, loading the demo catalogue first if the catalogue is empty."
        ),
    )
    parser.add_argument(
        "--language", choices=("sv", "en"), default="sv", help="terminal language (default: sv)"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token:
        fail(
            "run",
            "the Telegram side is not built yet (it is the designer-conversation issue); "
            "unset TELEGRAM_BOT_TOKEN to use the terminal search",
        )
        return EXIT_NOT_AVAILABLE

    async def load(session: AsyncSession) -> Matchmaker:
        if await count_makers(session=session) == 0:
            report = await seed_demo(session=session)
            print(f"The catalogue was empty: loaded {len(report.rows)} fictional demo makers.")
        return await Matchmaker.load(session=session)

    try:
        matchmaker = run_with_session(settings, load)
    except DatabaseUnavailable as error:
        fail("run", str(error))
        return EXIT_FAILURE
    TerminalSearch(matchmaker, read=input, write=print, language=args.language).run()
    return EXIT_OK
