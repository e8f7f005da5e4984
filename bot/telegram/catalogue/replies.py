"""Telegram I/O for the catalogue desk: replies (split to Telegram's length), button toasts,
removing a spent keyboard, downloading a document, a maker's card. Failures are logged by
kind only and never break a handler."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    CallbackQuery,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import TelegramError

from bot.telegram.catalogue.render import card_reply
from services.catalogue.listing import MakerCard
from services.messages import split_text

log = logging.getLogger(__name__)

MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)


async def reply(message: Message, text: str) -> None:
    """``text`` in ``message``'s chat, in as many messages as it needs."""
    for part in split_text(text, MAX_TEXT):
        await send(message.get_bot(), message.chat.id, part)


async def send(
    bot: Bot,
    chat_id: int,
    text: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
) -> None:
    try:
        await bot.send_message(
            chat_id=chat_id,
            text=text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            reply_to_message_id=reply_to,
            allow_sending_without_reply=True,  # the document may be deleted meanwhile
            disable_web_page_preview=True,
        )
    except TelegramError as error:
        log.warning("a desk message was not sent: %s", type(error).__name__)


async def send_card(
    bot: Bot, chat_id: int, card: MakerCard, language: str | None, *, username: str
) -> None:
    """A maker's card with its buttons (``username``: the bot's, for an invite link)."""
    text, rows = card_reply(card, language, username=username)
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )
    await send(bot, chat_id, text, markup=markup)


async def answer(query: CallbackQuery, notice: str | None) -> None:
    try:
        await query.answer(text=notice)
    except TelegramError as error:  # an old query Telegram no longer accepts: nothing to do
        log.info("callback query not answered: %s", type(error).__name__)


async def drop_buttons(message: Message) -> None:
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramError as error:
        log.info("buttons not removed: %s", type(error).__name__)


async def download(document: Document) -> bytes | None:
    """The document's content, or ``None`` when Telegram no longer has it."""
    try:
        file = await document.get_file()
        return bytes(await file.download_as_bytearray())
    except TelegramError as error:
        log.info("a document could not be downloaded: %s", type(error).__name__)
        return None
