"""The coordinators' catalogue desk on Telegram, ahead of the designer dialogue: a spreadsheet
sent as a document (a dry run with Apply / Cancel), ``/export [csv]``, ``/maker <search>`` (a
card with pause / unlist / relist / invite buttons), ``/stale`` and ``/outreach``.

Every decision is the desk's (services.catalogue.desk, services.catalogue.listing →
services.hubs.access); these only parse, download, call and reply. Documents from anyone who is not
a coordinator or an admin go on to the dialogue untouched (a designer may send a sketch); the
commands answer them that they are for coordinators. Everything is private-chat only, so a
catalogue with contact details never lands in a group.

The dry run is sent as a reply to the uploaded document; Apply finds the document again through
that reply (``callback_query.message.reply_to_message``), downloads it and has the desk plan it
afresh (see services.catalogue.desk). Nothing is kept in memory, so a restart in between changes
nothing.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import PurePosixPath

from telegram import (
    CallbackQuery,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.ext._utils.types import CCT

from bot.telegram.catalogue.commands import COMMANDS, DeskCommands
from bot.telegram.catalogue.problem_texts import problem_text
from bot.telegram.catalogue.render import report_text
from bot.telegram.catalogue.replies import (
    MAX_TEXT,
    answer,
    download,
    drop_buttons,
    reply,
    send,
    send_card,
)
from bot.telegram.catalogue.texts import desk_html, desk_text
from bot.telegram.context import BotServices
from services.catalogue.desk import CatalogueDesk, UploadChoice, UploadDone, UploadPlanned
from services.catalogue.listing import ListingDesk
from services.catalogue.reader import CatalogueFileError
from services.catalogue.tokens import DATA_PREFIX, DeskRefusal, button_data, parse_button
from services.hubs.invites import InviteRefusal
from services.messages import split_text

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A document is taken for a catalogue by its name or type; anything else (a sketch as a PDF)
# goes on to the dialogue, coordinators being designers too at times.
# .numbers and .xls are taken too, to be answered "save it as .xlsx or .csv".
SPREADSHEET_SUFFIXES = frozenset({".csv", ".xlsx", ".xls", ".ods", ".numbers", ".txt", ".tsv"})
SPREADSHEET_TYPES = frozenset(
    {
        "text/csv",
        "text/plain",
        "text/comma-separated-values",
        "text/tab-separated-values",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.apple.numbers",
        "application/x-iwork-numbers-sffnumbers",
    }
)
# Refusals worth a message besides the button's toast: the coordinator has to do something.
_TELL_IN_CHAT = (DeskRefusal.FILE_GONE, DeskRefusal.EXPIRED)


class CatalogueHandlers:
    def __init__(self, services: BotServices) -> None:
        self.services = services

    def handlers(self) -> list[BaseHandler[Update, CCT, None]]:
        messages = filters.UpdateType.MESSAGE
        names = "|".join(COMMANDS)
        return [
            MessageHandler(filters.ChatType.PRIVATE & messages & filters.Document.ALL, self.upload),
            MessageHandler(messages & filters.Regex(rf"^/({names})(@\w+)?(\s|$)"), self.command),
            CallbackQueryHandler(self.pressed, pattern=rf"^{re.escape(DATA_PREFIX)}"),
        ]

    # -- the upload --------------------------------------------------------------------------

    async def upload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        desk, message = self.services.catalogue, update.message
        if desk is None or message is None or message.from_user is None:
            return
        document = message.document
        if document is None or not looks_like_spreadsheet(document):
            return  # a sketch or a brief: the dialogue's
        if not await desk.is_staff(message.from_user.id):
            return  # a designer's file: the dialogue's
        language = message.from_user.language_code
        source = document.file_name or "katalog"
        if document.file_size is not None and document.file_size > MAX_UPLOAD_BYTES:
            await reply(message, _too_big(language))
            raise ApplicationHandlerStop
        # Telegram lets a bot download at most 20 MB, so this is bounded even when it did not
        # say how big the file is; then the size is checked here, before anything reads it.
        data = await download(document)
        if data is None:
            await reply(message, desk_text("press.file_gone", language))
            raise ApplicationHandlerStop
        if len(data) > MAX_UPLOAD_BYTES:
            log.info("an upload without a reported size was %d bytes", len(data))
            await reply(message, _too_big(language))
            raise ApplicationHandlerStop
        outcome = await desk.plan_upload(
            user_id=message.from_user.id, data=data, source=source, now=self.services.clock()
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
            reason = problem_text("file", outcome.code, language, outcome.params)
            source = (document_message.document and document_message.document.file_name) or ""
            source = html.escape(source, quote=False)
            await reply(
                chat_message, desk_html("upload.unusable", language, source=source, reason=reason)
            )
            return
        if isinstance(outcome, DeskRefusal):
            await reply(chat_message, desk_text(f"press.{outcome.value}", language))
            return
        if isinstance(outcome, UploadDone):
            if outcome.report is None:
                await reply(chat_message, desk_text("upload.cancelled", language))
            else:
                await reply(chat_message, report_text(outcome.report, language, applied=True))
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
        parts = split_text(text, MAX_TEXT)
        for number, part in enumerate(parts, start=1):
            # Every part answers the document: Apply finds the file through that reply.
            await send(
                chat_message.get_bot(),
                chat_message.chat.id,
                part,
                markup=markup if number == len(parts) else None,
                reply_to=document_message.message_id,
            )

    # -- buttons -----------------------------------------------------------------------------

    async def pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        desk, listings, query = (
            self.services.catalogue,
            self.services.listings,
            update.callback_query,
        )
        if desk is None or listings is None or query is None:
            return
        parsed = parse_button(query.data or "")
        if parsed is None:
            await answer(query, desk_text("press.unknown", query.from_user.language_code))
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
            return await download(document) if document is not None else None

        outcome = await desk.press_upload(
            user_id=user.id,
            token=token,
            choice=choice,
            fetch=fetch,
            source=(document.file_name if document is not None else None) or "katalog",
            now=self.services.clock(),
        )
        if isinstance(outcome, DeskRefusal):
            log.info("desk button %s for user %s", outcome.value, user.id)
            await answer(query, desk_text(f"press.{outcome.value}", language))
            if outcome in _TELL_IN_CHAT and message is not None:
                await drop_buttons(message)
                await reply(message, desk_text(f"press.{outcome.value}", language))
            return
        await answer(query, None)
        if message is None:
            return
        await drop_buttons(message)
        await self._show_upload(message, original or message, outcome, language)

    async def _press_maker(
        self, query: CallbackQuery, listings: ListingDesk, token: str, choice: str
    ) -> None:
        user, language = query.from_user, query.from_user.language_code
        outcome = await listings.press(
            user_id=user.id, token=token, choice=choice, now=self.services.clock()
        )
        if isinstance(outcome, DeskRefusal):
            log.info("desk button %s for user %s", outcome.value, user.id)
            await answer(query, desk_text(f"press.{outcome.value}", language))
            return
        if isinstance(outcome, InviteRefusal):
            await answer(query, desk_text(f"invite.{outcome.value}", language))
            return
        await answer(query, None)
        if isinstance(query.message, Message):
            await drop_buttons(query.message)
        username = self.services.bot_username or query.get_bot().username
        await send_card(query.get_bot(), user.id, outcome, language, username=username)

    # -- commands ----------------------------------------------------------------------------

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        desk, listings, message = self.services.catalogue, self.services.listings, update.message
        if desk is None or listings is None or message is None or message.from_user is None:
            return
        text = message.text or ""
        first = text.split()[0]
        name, argument = first.lstrip("/").split("@")[0], text[len(first) :].strip()
        if message.chat.type != "private":
            await reply(message, desk_text("private_only", message.from_user.language_code))
            raise ApplicationHandlerStop
        await DeskCommands(desk, listings).run(
            message,
            name,
            argument,
            now=self.services.clock(),
            username=self.services.bot_username or context.bot.username,
        )
        raise ApplicationHandlerStop


def _too_big(language: str | None) -> str:
    return desk_text("upload.too_big", language, limit=MAX_UPLOAD_BYTES // (1024 * 1024))


def looks_like_spreadsheet(document: Document) -> bool:
    suffix = PurePosixPath(document.file_name or "").suffix.lower()
    return suffix in SPREADSHEET_SUFFIXES or (document.mime_type or "") in SPREADSHEET_TYPES


__all__ = [
    "COMMANDS",
    "MAX_UPLOAD_BYTES",
    "CatalogueHandlers",
]
