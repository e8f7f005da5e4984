"""``spok-bot chat``: the designer conversation in the terminal, without Telegram."""

from __future__ import annotations

import argparse

from bot.settings import Settings
from bot.terminal_chat import run_terminal_chat


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "chat",
        help="the designer conversation in the terminal (buttons as numbers)",
        description=(
            "Chat with the bot as a designer in the terminal, on the configured database: "
            "buttons are numbered choices, a place is typed instead of shared. Reads lines "
            "from stdin, so a script can drive it. An empty catalogue is first filled with "
            "the fictional demo makers unless --no-demo is given."
        ),
    )
    parser.add_argument(
        "--language", choices=("sv", "en"), default="sv", help="chat language (default: sv)"
    )
    parser.add_argument(
        "--no-demo", action="store_true", help="do not load the demo catalogue when it is empty"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    return run_terminal_chat(settings, language=args.language, seed_demo_if_empty=not args.no_demo)
