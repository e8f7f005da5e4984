"""``spok-bot hubs list|sync``: the hubs in the database, and bringing them up to the
configured list (``HUBS_FILE``, else the built-in SPOK hubs; the bot also syncs at start)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.commands._runtime import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_UNUSABLE,
    DatabaseUnavailable,
    fail,
    run_with_session,
    terminal_text,
)
from bot.settings import Settings
from services.hubs.registry import HubConfigError, HubOverview, ensure_hubs, hub_overview


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "hubs",
        help="list the hubs, or sync them with the configuration",
        description="SPOK's regional hubs: the counties each covers, its chat, its coordinators.",
    )
    actions = parser.add_subparsers(dest="hubs_action", metavar="ACTION", required=True)
    lister = actions.add_parser("list", help="list the hubs in the database")
    lister.set_defaults(handler=list_command)
    syncer = actions.add_parser(
        "sync",
        help="create or update the hubs from HUBS_FILE (else the built-in hubs)",
        description=(
            "Create or update hubs by slug from HUBS_FILE, or the built-in SPOK hubs when it is "
            "not set. Bound chats and coordinators are kept; hubs no longer listed are kept."
        ),
    )
    syncer.set_defaults(handler=sync_command)


def list_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        overview = run_with_session(settings, lambda session: hub_overview(session=session))
    except DatabaseUnavailable as error:
        fail("hubs list", str(error))
        return EXIT_FAILURE
    _print(overview)
    if not overview:
        print("No hubs yet: run 'spok-bot hubs sync' (the bot also does at start).")
    return EXIT_OK


def sync_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        hubs = settings.hubs()
    except HubConfigError as error:
        fail("hubs sync", str(error))
        return EXIT_UNUSABLE

    async def sync(session: Any) -> list[HubOverview]:
        await ensure_hubs(session=session, hubs=hubs)
        await session.commit()
        return await hub_overview(session=session)

    try:
        overview = run_with_session(settings, sync)
    except DatabaseUnavailable as error:
        fail("hubs sync", str(error))
        return EXIT_FAILURE
    _print(overview)
    return EXIT_OK


def _print(overview: list[HubOverview]) -> None:
    for hub in overview:
        print(terminal_text(hub.to_text()))
