"""Build the PTB ``Application`` and run it by long polling or behind a webhook.

All the wiring is here: the services (:class:`~services.runtime.Runtime`, started in
``post_init`` and closed in ``post_shutdown``, so they live exactly as long as the bot's event
loop) reach every feature through one typed :class:`~bot.telegram.context.BotServices`, and
:func:`handler_groups` is the one ordered table of features, each with the reason for its place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import Application, ApplicationBuilder, BaseHandler
from telegram.ext._utils.types import CCT
from telegram.request import BaseRequest

from bot.telegram.catalogue.handlers import CatalogueHandlers
from bot.telegram.context import BotServices
from bot.telegram.designer.handlers import DialogueHandlers, log_error
from bot.telegram.followups.handlers import FollowUpHandlers, FollowUpJob
from bot.telegram.hubs.handlers import HubHandlers
from bot.telegram.insight.handlers import InsightHandlers
from bot.telegram.introductions.handlers import (
    TICK_INTERVAL,
    IntroductionHandlers,
    IntroductionTicker,
)
from bot.telegram.makers.handlers import MakerHandlers
from bot.telegram.transport import texts
from bot.telegram.transport.clean_application import CleanInputApplication
from bot.telegram.transport.inbox import DurableUpdateQueue, InboxEdge
from bot.telegram.transport.limits import SharedRateLimiter
from bot.telegram.transport.order import PerChatOrder
from bot.telegram.transport.sender import OutboxSender
from services.followups import FollowUpPolicy
from services.runtime import Runtime

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
TELEGRAM_API = "https://api.telegram.org"

StartRuntime = Callable[[], Awaitable[Runtime]]
# Builds the outbox sender on the started runtime's database (see transport/sender.py).
StartOutbox = Callable[[Application, Runtime], OutboxSender]


class Feature(Protocol):
    def handlers(self) -> list[BaseHandler[Update, CCT, None]]: ...


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
    inbox_worker: bool | None = None,
) -> Application:
    """The bot: handlers installed, runtime started on init and closed on shutdown.

    ``request`` replaces the HTTP client (tests and the benchmark record instead of sending).
    ``start_outbox`` builds the outbox sender, run in the background while the bot runs.
    ``clock`` dates the introduction lifecycle's transitions and its periodic tick (every
    ``tick_interval`` on the JobQueue) and the follow-ups (dispatched every
    ``followup_interval`` under ``followup_policy``); tests pass one they can move.

    Every update goes through the durable inbox (:mod:`bot.telegram.transport.inbox`) once the
    runtime has a database: PTB's webhook and poller commit it before acknowledging, and
    ``inbox_worker`` (default: whenever there is an updater to receive updates) handles what
    they stored, and what another process left, in the background; without it, only updates
    fed to ``process_update`` are handled (tests and benchmarks, in the caller's task).
    """
    keep_secrets_out_of_logs()
    address = api_address(api_base_url)
    services = BotServices(followup_policy=followup_policy or FollowUpPolicy())
    if clock is not None:
        services.clock = clock
    runtime: list[Runtime] = []
    senders: list[OutboxSender] = []
    # Every message a handler sends takes its slot from the runtime's limits (once started).
    rate_limiter = SharedRateLimiter()
    edge = InboxEdge(services)
    background = with_updater if inbox_worker is None else inbox_worker

    async def post_init(application: Application) -> None:
        started = await start_runtime()
        runtime.append(started)
        services.start(started)
        rate_limiter.use(started.limits)
        edge.start(application, started, background=background)
        if start_outbox is not None:
            sender = start_outbox(application, started)
            sender.start(application)
            senders.append(sender)
        await set_command_menus(application)

    async def post_stop(application: Application) -> None:
        # Updates being handled finish (and send their replies) while the bot can still send.
        await edge.stop()

    async def post_shutdown(application: Application) -> None:
        await edge.stop()
        services.stop()
        while senders:
            await senders.pop().stop()
        rate_limiter.use(None)  # the runtime's database closes next
        while runtime:
            await runtime.pop().close()

    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(address.base_url)
        .base_file_url(address.base_file_url)
        .concurrent_updates(PerChatOrder())
        .rate_limiter(rate_limiter)
        .application_class(CleanInputApplication)  # control characters out of every update
        .update_queue(DurableUpdateQueue(edge))  # committed before Telegram is answered
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    if not with_updater:
        builder = builder.updater(None)
    application = builder.build()
    assert isinstance(application, CleanInputApplication)
    application.edge = edge
    insight = InsightHandlers(services)
    for group, (feature, _why) in enumerate(handler_groups(services, insight)):
        application.add_handlers(feature.handlers(), group=group)
    application.add_error_handler(log_error)
    IntroductionTicker(services, tick_interval).install(application)
    FollowUpJob(services, followup_interval).install(application)
    insight.install_jobs(application)
    return application


def handler_groups(services: BotServices, insight: InsightHandlers) -> list[tuple[Feature, str]]:
    """Every feature's handlers, in the order PTB tries them, each in a group of its own.

    PTB runs at most one handler per group, trying groups in order; a handler that dealt with
    an update raises ``ApplicationHandlerStop`` so no later group sees it, and one that does not
    recognise it returns and lets the next group try. So the order is the whole routing: the
    narrowest, role-checked features first, the designer dialogue (which takes any private
    message or button) last.
    """
    return [
        (FollowUpHandlers(services), "check-in buttons (fu:…), /checkins, /followups"),
        (
            CatalogueHandlers(services),
            "coordinators' documents, desk commands and cat:… buttons, "
            "before the dialogue, which would take a document as an unsupported message",
        ),
        (
            IntroductionHandlers(services),
            "lifecycle buttons (known tokens only) and relayed "
            "questions: before the dialogue, which would take the text as its own",
        ),
        (insight, "/stats, /unmet, /map, /report, in private and hub groups"),
        (MakerHandlers(services), "makers' /requests, /pause, /resume, /profile"),
        (
            HubHandlers(services),
            "/start with an invite, /invite, /bindhub, group migration; "
            "/start without an invite goes on to the dialogue",
        ),
        (
            DialogueHandlers(services),
            "the designer conversation: every other private message and button",
        ),
    ]


def keep_secrets_out_of_logs() -> None:
    """PTB logs every request URL (which holds the token) and its parameters (message text,
    contact details) at DEBUG; whatever LOG_LEVEL says, the library logs from INFO up."""
    library = logging.getLogger("telegram")
    if library.getEffectiveLevel() < logging.INFO:
        library.setLevel(logging.INFO)


async def set_command_menus(application: Application) -> None:
    """The command menu in Swedish for Swedish clients and in English for everyone else."""
    for language in texts.LANGUAGES:
        menu = [BotCommand(name, description) for name, description in texts.commands(language)]
        code = None if language == texts.DEFAULT_MENU_LANGUAGE else language
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
