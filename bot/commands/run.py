"""``spok-bot run``: the Telegram bot (long polling, or ``--webhook``); without a token, the
designer conversation in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import re
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.ext import Application

from bot.commands._runtime import EXIT_FAILURE, EXIT_OK, fail
from bot.settings import Settings
from bot.telegram.app import StartOutbox, StartRuntime, build_application
from bot.telegram.app import run_polling as serve_polling
from bot.telegram.app import run_webhook as serve_webhook
from bot.telegram.transport.sender import OutboxSender
from bot.terminal_chat import run_terminal_chat
from services.clock import Clock, SystemClock
from services.followups import blocked_hook as followups_blocked
from services.followups import delivery_failed
from services.hubs.registry import HubConfigError
from services.introductions import blocked_hook
from services.limits import SendLimiter
from services.outbox import chain_blocked
from services.runtime import Runtime, start_runtime
from storage.engine import UnsupportedDatabaseURL, display_url, session_factory
from storage.migrate import upgrade
from storage.models import Outbox

EXIT_NOT_AVAILABLE = 2
# Telegram's rule for secret tokens: 1-256 characters, letters, digits, _ and -.
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "run",
        help="start the bot (without TELEGRAM_BOT_TOKEN: the conversation in the terminal)",
        description=(
            "Start the Telegram bot with TELEGRAM_BOT_TOKEN: long polling, or with --webhook a "
            "webhook server on WEBHOOK_LISTEN:WEBHOOK_PORT for WEBHOOK_URL (WEBHOOK_SECRET "
            "required). TELEGRAM_API_BASE_URL selects a self-hosted Bot API server. Without a "
            "token it opens the designer conversation in the terminal (as 'spok-bot chat') on "
            "the configured database, loading the demo catalogue first if it is empty."
        ),
    )
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates on a webhook instead of long polling",
    )
    parser.add_argument(
        "--language",
        choices=("sv", "en"),
        default="sv",
        help="terminal chat language (default: sv)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    token = settings.telegram_bot_token
    if token:
        return run_telegram(settings, token=token, webhook=args.webhook)
    if args.webhook:
        fail("run", "--webhook needs TELEGRAM_BOT_TOKEN")
        return EXIT_NOT_AVAILABLE
    return run_terminal(settings, language=args.language)


def run_telegram(settings: Settings, *, token: str, webhook: bool) -> int:
    if webhook:
        problem = _webhook_problem(settings)
        if problem:
            fail("run", problem)
            return EXIT_NOT_AVAILABLE
    try:  # a broken HUBS_FILE is reported before the bot goes online
        settings.hubs()
    except HubConfigError as error:
        fail("run", str(error))
        return EXIT_NOT_AVAILABLE
    url = settings.resolved_database_url()
    try:  # a database that cannot be opened is reported before the bot goes online
        asyncio.run(upgrade(url))
    except (OSError, SQLAlchemyError, UnsupportedDatabaseURL) as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        fail("run", f"cannot open the database {display_url(url)}: {first_line}")
        return EXIT_FAILURE
    application = build_application(
        token,
        dialogue_starter(url, settings),
        api_base_url=settings.telegram_api_base_url,
        start_outbox=outbox_starter(settings),
        followup_policy=settings.followup_policy(),
        followup_interval=timedelta(seconds=settings.followup_interval_seconds),
    )
    if webhook:
        assert settings.webhook_url is not None and settings.webhook_secret is not None
        serve_webhook(
            application,
            webhook_url=settings.webhook_url,
            secret=settings.webhook_secret,
            listen=settings.webhook_listen,
            port=settings.webhook_port,
        )
    else:
        serve_polling(application)
    return EXIT_OK


def _webhook_problem(settings: Settings) -> str | None:
    if not settings.webhook_url:
        return "--webhook needs WEBHOOK_URL (the public address Telegram posts updates to)"
    if not settings.webhook_secret:
        return "--webhook needs WEBHOOK_SECRET (see .env.example)"
    if not _SECRET_SHAPE.fullmatch(settings.webhook_secret):
        return "WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
    return None


def dialogue_starter(database_url: str, settings: Settings) -> StartRuntime:
    """Starts the dialogue runtime on ``database_url`` (the catalogue is the operator's: an
    empty one is not filled with demo makers), with the hubs synced to the configured ones and
    the hub desk (invites, roles, hub chats) on the same database."""

    async def start() -> Runtime:
        return await start_runtime(
            database_url,
            admin_ids=settings.admin_ids(),
            hubs=settings.hubs(),
            invite_lifetime=settings.invite_lifetime(),
            bot_username=settings.telegram_bot_username,
            reciprocal=settings.reciprocal_ranking,
            weekly_cap=settings.weekly_brief_cap,
        )

    return start


def outbox_starter(settings: Settings, clock: Clock | None = None) -> StartOutbox:
    """Sends the outbox on the dialogue runtime's database while the bot runs. A person who
    blocked the bot is marked unreachable, their check-ins are cancelled and their hub told
    (the admins as a last resort); a check-in that fails after every retry is reported to the
    hub; check-ins wait for the courtesy hours; the limits are the runtime's, shared with the
    bot's direct replies (and on PostgreSQL with every other process). ``clock`` dates all of it
    (default: the system's)."""
    admin_ids = settings.admin_ids()
    time = clock or SystemClock()

    async def failed(session: AsyncSession, row: Outbox, now: datetime) -> None:
        await delivery_failed(session, row, now=now, admin_ids=admin_ids)

    def start(application: Application, runtime: Runtime) -> OutboxSender:
        assert runtime.engine is not None, "the outbox needs the runtime's database"
        return OutboxSender(
            application.bot,
            session_factory(runtime.engine),
            clock=time,
            on_blocked=chain_blocked(blocked_hook(admin_ids, time.now), followups_blocked),
            on_failed=failed,
            hours=settings.followup_policy().hours,
            lease=settings.outbox_lease(),
            # A clock of the caller's (tests) dates the limits too: this sender's own, then.
            limits=runtime.limits if clock is None else SendLimiter.in_memory(clock=clock),
        )

    return start


def run_terminal(settings: Settings, *, language: str) -> int:
    """No token: the same designer conversation in the terminal, on the demo catalogue if the
    catalogue is empty (what ``spok-bot chat`` runs)."""
    return run_terminal_chat(settings, language=language)
