"""Build the PTB ``Application`` and run it by long polling or behind a webhook.

The dialogue runtime (database engine and all) is started in ``post_init`` and closed in
``post_shutdown``, so it lives exactly as long as the bot's event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot.telegram.catalogue.handlers import CatalogueHandlers, CatalogueSlot
from bot.telegram.designer.handlers import DialogueHandlers, DialogueSlot
from bot.telegram.followups.handlers import FollowUpHandlers, FollowUpJob, FollowUpSlot
from bot.telegram.hubs.handlers import HubHandlers, HubSlot
from bot.telegram.insight.handlers import InsightHandlers, InsightSlot
from bot.telegram.introductions.handlers import (
    TICK_INTERVAL,
    IntroductionHandlers,
    IntroductionSlot,
    IntroductionTicker,
)
from bot.telegram.makers.handlers import MakerHandlers, MakerSlot
from bot.telegram.transport import texts
from bot.telegram.transport.order import PerChatOrder
from bot.telegram.transport.sender import OutboxSender
from services.dialogue.contract import Dialogue
from services.followups import FollowUpPolicy

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
TELEGRAM_API = "https://api.telegram.org"


class DialogueRuntime(Protocol):
    @property
    def dialogue(self) -> Dialogue: ...

    async def close(self) -> None: ...


StartRuntime = Callable[[], Awaitable[DialogueRuntime]]
# Builds the outbox sender on the started runtime's database (see bot/telegram/transport/sender.py).
StartOutbox = Callable[[Application, DialogueRuntime], OutboxSender]


@dataclass(frozen=True)
class ApiAddress:
    base_url: str
    base_file_url: str


def api_address(configured: str | None) -> ApiAddress:
    """Bot API and file addresses from ``TELEGRAM_API_BASE_URL`` ("…/bot" or the server root).

    >>> api_address("http://127.0.0.1:8081/bot")
    ApiAddress(base_url='http://127.0.0.1:8081/bot', base_file_url='http://127.0.0.1:8081/file/bot')
    >>> api_address(None).base_url
    'https://api.telegram.org/bot'
    """
    root = (configured or TELEGRAM_API).rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return ApiAddress(base_url=f"{root}/bot", base_file_url=f"{root}/file/bot")


def build_application(
    token: str,
    start_runtime: StartRuntime,
    *,
    api_base_url: str | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    with_updater: bool = True,
    start_outbox: StartOutbox | None = None,
    clock: Callable[[], datetime] | None = None,
    tick_interval: timedelta = TICK_INTERVAL,
    followup_policy: FollowUpPolicy | None = None,
    followup_interval: timedelta = timedelta(minutes=1),
) -> Application:
    """The bot: handlers installed, runtime started on init and closed on shutdown.

    ``request`` replaces the HTTP client (tests and the benchmark record instead of sending).
    ``start_outbox`` builds the outbox sender, run in the background while the bot runs.
    ``clock`` dates the introduction lifecycle's transitions and its periodic tick (every
    ``tick_interval`` on the JobQueue) and the follow-ups (dispatched every
    ``followup_interval`` under ``followup_policy``); tests pass one they can move.
    """
    keep_secrets_out_of_logs()
    address = api_address(api_base_url)
    slot = DialogueSlot()
    hubs = HubSlot()
    makers = MakerSlot()
    introductions = IntroductionSlot()
    followups = FollowUpSlot(policy=followup_policy or FollowUpPolicy())
    insight = InsightSlot()
    catalogue = CatalogueSlot()
    if clock is not None:
        makers.clock = introductions.clock = followups.clock = insight.clock = clock
        catalogue.clock = clock
    runtime: list[DialogueRuntime] = []
    senders: list[OutboxSender] = []

    async def post_init(application: Application) -> None:
        started = await start_runtime()
        runtime.append(started)
        slot.dialogue = started.dialogue
        hubs.fill(started)
        makers.fill(started)
        introductions.fill(started)
        followups.fill(started)
        insight.fill(started)
        catalogue.fill(started)
        if start_outbox is not None:
            sender = start_outbox(application, started)
            sender.start(application)
            senders.append(sender)
        await set_command_menus(application)

    async def post_shutdown(application: Application) -> None:
        slot.dialogue = None
        hubs.fill(None)
        makers.fill(None)
        introductions.fill(None)
        followups.fill(None)
        insight.fill(None)
        catalogue.fill(None)
        while senders:
            await senders.pop().stop()
        while runtime:
            await runtime.pop().close()

    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(address.base_url)
        .base_file_url(address.base_file_url)
        .concurrent_updates(PerChatOrder())
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    if not with_updater:
        builder = builder.updater(None)
    application = builder.build()
    DialogueHandlers(slot).install(application)
    HubHandlers(hubs).install(application)  # runs first: its own handler group
    MakerHandlers(makers).install(application)  # likewise, a group of its own
    IntroductionHandlers(introductions).install(application)  # lifecycle buttons and relays
    IntroductionTicker(introductions, tick_interval).install(application)
    FollowUpHandlers(followups).install(application)  # check-in buttons, /checkins, /followups
    FollowUpJob(followups, followup_interval).install(application)
    InsightHandlers(insight).install(application)  # /stats, /unmet, /map, /report; the digest
    CatalogueHandlers(catalogue).install(application)  # coordinators' desk: a group of its own
    return application


def keep_secrets_out_of_logs() -> None:
    """PTB logs every request URL (which holds the token) and its parameters (message text,
    contact details) at DEBUG; whatever LOG_LEVEL says, the library logs from INFO up."""
    library = logging.getLogger("telegram")
    if library.getEffectiveLevel() < logging.INFO:
        library.setLevel(logging.INFO)


async def set_command_menus(application: Application) -> None:
    """The command menu in Swedish for Swedish clients and in English for everyone else."""
    for language, commands in texts.COMMANDS.items():
        menu = [BotCommand(name, description) for name, description in commands]
        code = None if language == texts.DEFAULT_LANGUAGE else language
        await application.bot.set_my_commands(
            menu, scope=BotCommandScopeDefault(), language_code=code
        )


def run_polling(application: Application) -> None:
    """Long polling until SIGINT/SIGTERM; updates that waited while the bot was down are kept."""
    application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)


def run_webhook(
    application: Application,
    *,
    webhook_url: str,
    secret: str,
    listen: str,
    port: int,
) -> None:
    """Serve the webhook on ``listen:port`` at the path of ``webhook_url`` (behind a TLS proxy).

    PTB's webhook server answers 403 to any request without the right
    ``X-Telegram-Bot-Api-Secret-Token`` header.
    """
    application.run_webhook(
        listen=listen,
        port=port,
        url_path=urlsplit(webhook_url).path.lstrip("/"),
        webhook_url=webhook_url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
    )
