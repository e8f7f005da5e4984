"""The coordinators' catalogue desk on Telegram, ahead of the designer dialogue: a spreadsheet
sent as a document (a dry run with Apply / Cancel), ``/export [csv]``, ``/maker <search>`` (a
card with pause / unlist / relist / invite buttons), ``/stale`` and ``/outreach``.

Every decision is the desk's (services.catalogue_desk, services.listing_desk →
services.access); these only parse, download, call and reply. Documents from anyone who is not
a coordinator or an admin go on to the dialogue untouched (a designer may send a sketch); the
commands answer them that they are for coordinators. Everything is private-chat only, so a
catalogue with contact details never lands in a group.

The dry run is sent as a reply to the uploaded document; Apply finds the document again through
that reply (``callback_query.message.reply_to_message``), downloads it and has the desk plan it
afresh (see services.catalogue_desk). Nothing is kept in memory, so a restart in between changes
nothing.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from telegram import (
    Bot,
    CallbackQuery,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.telegram.catalogue_problem_texts import FILE_PROBLEMS, problem_text
from bot.telegram.catalogue_render import (
    card_reply,
    matches_text,
    outreach_logged_text,
    outreach_text,
    report_text,
    stale_text,
)
from bot.telegram.catalogue_texts import desk_html, desk_text
from services.catalogue.reader import CatalogueFileError, CatalogueFormat
from services.catalogue_desk import CatalogueDesk, UploadChoice, UploadDone, UploadPlanned
from services.desk_tokens import DATA_PREFIX, DeskRefusal, button_data, parse_button
from services.dialogue.contract import split_text
from services.hub_desk import HubDesk
from services.invites import InviteRefusal
from services.listing_desk import ListingDesk, MakerCard
from services.outreach import OutreachSyntaxError
from storage.models import utcnow

log = logging.getLogger(__name__)

# Before the introduction lifecycle's buttons (-3), the maker (-2) and hub (-1) commands.
CATALOGUE_HANDLER_GROUP = -4
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
COMMANDS = ("export", "maker", "stale", "outreach")
_MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)


@dataclass
class CatalogueSlot:
    """Where the handlers find the desks (built on the runtime's hub desk and matchmaker in
    post_init, emptied in post_shutdown) and the clock."""

    desk: CatalogueDesk | None = None
    listings: ListingDesk | None = None
    bot_username: str | None = None
    clock: Callable[[], datetime] = field(default=lambda: utcnow())

    def fill(self, runtime: object) -> None:
        hub_desk = getattr(runtime, "hub_desk", None)
        if not isinstance(hub_desk, HubDesk):
            self.desk = self.listings = None
            return
        matchmaker = getattr(runtime, "matchmaker", None)
        index = matchmaker if callable(getattr(matchmaker, "apply", None)) else None
        self.desk = CatalogueDesk(
            hub_desk.sessions, hub_desk.admin_ids, index, hub_desk.invite_lifetime
        )
        self.listings = ListingDesk(self.desk)
        self.bot_username = hub_desk.bot_username


class CatalogueHandlers:
    def __init__(self, slot: CatalogueSlot) -> None:
        self.slot = slot

    def install(self, application: Application) -> None:
        messages = filters.UpdateType.MESSAGE
        names = "|".join(COMMANDS)
        handlers = [
            MessageHandler(filters.ChatType.PRIVATE & messages & filters.Document.ALL, self.upload),
            MessageHandler(messages & filters.Regex(rf"^/({names})(@\w+)?(\s|$)"), self.command),
            CallbackQueryHandler(self.pressed, pattern=rf"^{re.escape(DATA_PREFIX)}"),
        ]
        for handler in handlers:
            application.add_handler(handler, CATALOGUE_HANDLER_GROUP)

    # -- the upload --------------------------------------------------------------------------

    async def upload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        desk, message = self.slot.desk, update.message
        if desk is None or message is None or message.from_user is None:
            return
        document = message.document
        if document is None or not await desk.is_staff(message.from_user.id):
            return  # a designer's file: the dialogue's
        language = message.from_user.language_code
        source = document.file_name or "katalog"
        if document.file_size is not None and document.file_size > MAX_UPLOAD_BYTES:
            await _reply(message, desk_text("upload.too_big", language, limit=5))
            raise ApplicationHandlerStop
        data = await _download(document)
        if data is None:
            await _reply(message, desk_text("press.file_gone", language))
            raise ApplicationHandlerStop
        outcome = await desk.plan_upload(
            user_id=message.from_user.id, data=data, source=source, now=self.slot.clock()
        )
        await self._show_upload(message, message, outcome, language)
        raise ApplicationHandlerStop

    async def _show_upload(
        self,
        chat_message: Message,
        document_message: Message,
        outcome: UploadPlanned | UploadDone | DeskRefusal | CatalogueFileError,
        language: str | None,
    ) -> None:
        if isinstance(outcome, CatalogueFileError):
            reason = problem_text(FILE_PROBLEMS, outcome.code, language, outcome.params)
            source = (document_message.document and document_message.document.file_name) or ""
            source = html.escape(source, quote=False)
            await _reply(
                chat_message, desk_html("upload.unusable", language, source=source, reason=reason)
            )
            return
        if isinstance(outcome, DeskRefusal):
            await _reply(chat_message, desk_text(f"press.{outcome.value}", language))
            return
        if isinstance(outcome, UploadDone):
            if outcome.report is None:
                await _reply(chat_message, desk_text("upload.cancelled", language))
            else:
                await _reply(chat_message, report_text(outcome.report, language, applied=True))
            return
        text = report_text(outcome.report, language)
        if outcome.replanned:
            text = desk_text("upload.replanned", language) + "\n\n" + text
        markup = None
        if outcome.token is not None:
            markup = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            desk_text("button.apply", language),
                            callback_data=button_data(outcome.token, UploadChoice.APPLY),
                        ),
                        InlineKeyboardButton(
                            desk_text("button.cancel", language),
                            callback_data=button_data(outcome.token, UploadChoice.CANCEL),
                        ),
                    ]
                ]
            )
        parts = split_text(text, _MAX_TEXT)
        for number, part in enumerate(parts, start=1):
            # Every part answers the document: Apply finds the file through that reply.
            await _send(
                chat_message,
                part,
                markup=markup if number == len(parts) else None,
                reply_to=document_message.message_id,
            )

    # -- buttons -----------------------------------------------------------------------------

    async def pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        desk, listings, query = self.slot.desk, self.slot.listings, update.callback_query
        if desk is None or listings is None or query is None:
            return
        parsed = parse_button(query.data or "")
        if parsed is None:
            await _answer(query, desk_text("press.unknown", query.from_user.language_code))
            raise ApplicationHandlerStop
        token, choice = parsed
        if choice in (UploadChoice.APPLY, UploadChoice.CANCEL):
            await self._press_upload(query, desk, token, choice)
        else:
            await self._press_maker(query, listings, token, choice)
        raise ApplicationHandlerStop

    async def _press_upload(
        self, query: CallbackQuery, desk: CatalogueDesk, token: str, choice: str
    ) -> None:
        user, language = query.from_user, query.from_user.language_code
        message = query.message if isinstance(query.message, Message) else None
        original = message.reply_to_message if message is not None else None
        document = original.document if original is not None else None
        if original is not None and (
            original.from_user is None or original.from_user.id != user.id
        ):
            document = None  # only the uploader's own file

        async def fetch() -> bytes | None:
            return await _download(document) if document is not None else None

        outcome = await desk.press_upload(
            user_id=user.id,
            token=token,
            choice=choice,
            fetch=fetch,
            source=(document.file_name if document is not None else None) or "katalog",
            now=self.slot.clock(),
        )
        if isinstance(outcome, DeskRefusal):
            log.info("desk button %s for user %s", outcome.value, user.id)
            await _answer(query, desk_text(f"press.{outcome.value}", language))
            return
        await _answer(query, None)
        if message is None:
            return
        await _drop_buttons(message)
        await self._show_upload(message, original or message, outcome, language)

    async def _press_maker(
        self, query: CallbackQuery, listings: ListingDesk, token: str, choice: str
    ) -> None:
        user, language = query.from_user, query.from_user.language_code
        outcome = await listings.press(
            user_id=user.id, token=token, choice=choice, now=self.slot.clock()
        )
        if isinstance(outcome, DeskRefusal):
            log.info("desk button %s for user %s", outcome.value, user.id)
            await _answer(query, desk_text(f"press.{outcome.value}", language))
            return
        if isinstance(outcome, InviteRefusal):
            await _answer(query, desk_text(f"invite.{outcome.value}", language))
            return
        await _answer(query, None)
        if isinstance(query.message, Message):
            await _drop_buttons(query.message)
        username = self.slot.bot_username or query.get_bot().username
        await self._send_card(query.get_bot(), user.id, outcome, language, username)

    async def _send_card(
        self, bot: Bot, chat_id: int, card: MakerCard, language: str | None, username: str
    ) -> None:
        text, rows = card_reply(card, language, today=self.slot.clock().date(), username=username)
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in rows
            ]
        )
        try:
            await bot.send_message(
                chat_id=chat_id,
                text=text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                disable_web_page_preview=True,
            )
        except TelegramError as error:
            log.warning("a desk message was not sent: %s", type(error).__name__)

    # -- commands ----------------------------------------------------------------------------

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        desk, listings, message = self.slot.desk, self.slot.listings, update.message
        if desk is None or listings is None or message is None or message.from_user is None:
            return
        user = message.from_user
        language = user.language_code
        text = message.text or ""
        name = text.split()[0].lstrip("/").split("@")[0]
        argument = text[len(text.split()[0]) :].strip()
        if message.chat.type != "private":
            await _reply(message, desk_text("private_only", language))
            raise ApplicationHandlerStop
        now = self.slot.clock()
        if name == "export":
            await self._export(message, desk, argument, language, now)
        elif name == "maker":
            if not argument:
                await _refuse_or(message, desk, desk_text("maker.usage", language))
                raise ApplicationHandlerStop
            found = await listings.find(user_id=user.id, query=argument, now=now)
            if isinstance(found, DeskRefusal):
                await _reply(message, desk_text("not_staff", language))
            elif found.card is not None:
                username = self.slot.bot_username or context.bot.username
                await self._send_card(context.bot, message.chat.id, found.card, language, username)
            else:
                await _reply(message, matches_text(found.matches, argument, language))
        elif name == "stale":
            stale = await listings.stale(user_id=user.id)
            if isinstance(stale, DeskRefusal):
                await _reply(message, desk_text("not_staff", language))
            else:
                await _reply(message, stale_text(stale, language))
        else:
            await self._outreach(message, desk, argument, language, now)
        raise ApplicationHandlerStop

    async def _export(
        self,
        message: Message,
        desk: CatalogueDesk,
        argument: str,
        language: str | None,
        now: datetime,
    ) -> None:
        wanted = argument.lower().lstrip(".")
        if wanted not in ("", "xlsx", "excel", "csv"):
            await _refuse_or(message, desk, desk_text("export.usage", language))
            return
        fmt = CatalogueFormat.CSV if wanted == "csv" else CatalogueFormat.XLSX
        assert message.from_user is not None
        files = await desk.export(user_id=message.from_user.id, fmt=fmt, today=now.date())
        if isinstance(files, DeskRefusal):
            await _reply(message, desk_text("not_staff", language))
            return
        if fmt is CatalogueFormat.XLSX:
            captions = [desk_text("export.caption", language, count=files[0].rows)]
        else:
            captions = [
                desk_text("export.caption_csv", language, count=files[0].rows),
                desk_text("export.caption_outreach", language, count=files[1].rows),
            ]
        for file, caption in zip(files, captions, strict=True):
            try:
                await message.reply_document(
                    InputFile(file.content, filename=file.filename), caption=caption
                )
            except TelegramError as error:
                log.warning("an export was not sent: %s", type(error).__name__)

    async def _outreach(
        self,
        message: Message,
        desk: CatalogueDesk,
        argument: str,
        language: str | None,
        now: datetime,
    ) -> None:
        assert message.from_user is not None
        user_id = message.from_user.id
        if ";" in argument:
            logged = await desk.add_outreach(user_id=user_id, text=argument, now=now)
            if isinstance(logged, DeskRefusal):
                text = desk_text("not_staff", language)
            elif isinstance(logged, OutreachSyntaxError):
                key = "usage" if logged.code == "no_company" else logged.code
                text = desk_text(f"outreach.{key}", language, value=logged.value)
            else:
                text = outreach_logged_text(logged, language)
            await _reply(message, text)
            return
        found = await desk.find_outreach(user_id=user_id, query=argument)
        if isinstance(found, DeskRefusal):
            await _reply(message, desk_text("not_staff", language))
        else:
            await _reply(message, outreach_text(found, language, searched=bool(argument)))


async def _refuse_or(message: Message, desk: CatalogueDesk, text: str) -> None:
    """Usage help for staff; the plain refusal for everybody else."""
    assert message.from_user is not None
    language = message.from_user.language_code
    staff = await desk.is_staff(message.from_user.id)
    await _reply(message, text if staff else desk_text("not_staff", language))


async def _download(document: Document) -> bytes | None:
    try:
        file = await document.get_file()
        return bytes(await file.download_as_bytearray())
    except TelegramError as error:
        log.info("a document could not be downloaded: %s", type(error).__name__)
        return None


async def _drop_buttons(message: Message) -> None:
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramError as error:
        log.info("buttons not removed: %s", type(error).__name__)


async def _reply(message: Message, text: str) -> None:
    for part in split_text(text, _MAX_TEXT):
        await _send(message, part)


async def _send(
    message: Message,
    text: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
) -> None:
    try:
        await message.get_bot().send_message(
            chat_id=message.chat.id,
            text=text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            reply_to_message_id=reply_to,
            disable_web_page_preview=True,
        )
    except TelegramError as error:
        log.warning("a desk message was not sent: %s", type(error).__name__)


async def _answer(query: CallbackQuery, notice: str | None) -> None:
    try:
        await query.answer(text=notice)
    except TelegramError as error:  # an old query Telegram no longer accepts: nothing to do
        log.info("callback query not answered: %s", type(error).__name__)


__all__ = [
    "CATALOGUE_HANDLER_GROUP",
    "MAX_UPLOAD_BYTES",
    "CatalogueHandlers",
    "CatalogueSlot",
]
