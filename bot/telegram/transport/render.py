"""Send the dialogue's replies: HTML, inline keyboards, the share-location keyboard, photos,
files.

Long texts are split with :func:`~services.dialogue.contract.split_text` so no message fails for
length; the keyboard goes under the last part, where the person reads on. A person who blocked the
bot, or a message Telegram refuses, is logged (update id only) and never breaks the handler.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot.telegram.transport import texts
from bot.telegram.transport.scope import after_commit, current_scope
from services.messages import Reply, split_text
from services.outbox import enqueue_replies

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
MAX_CAPTION_CHARS = int(MessageLimit.CAPTION_LENGTH)  # 1,024
MAX_TEXT_CHARS = int(MessageLimit.MAX_TEXT_LENGTH)  # 4,096


class RecipientGone(Exception):
    """The person blocked the bot or deleted their account: stop sending to them."""


@dataclass(frozen=True)
class Outgoing:
    """One Bot API message: a photo with a caption, or a text."""

    text: str
    markup: Markup | None = None
    photo_file_id: str | None = None


def inline_keyboard(reply: Reply) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button.label, callback_data=button.data) for button in row]
            for row in reply.buttons
        ]
    )


def location_keyboard(language_code: str | None) -> ReplyKeyboardMarkup:
    share = KeyboardButton(texts.text("share_location", language_code), request_location=True)
    return ReplyKeyboardMarkup([[share]], one_time_keyboard=True, resize_keyboard=True)


def plan(reply: Reply, language_code: str | None) -> list[Outgoing]:
    """The messages one reply becomes, each within Telegram's limits.

    A message carries one keyboard. Inline buttons go under the last part; when the reply also
    asks for the location, a short extra message brings the share-location keyboard (a reply
    keyboard cannot ride on a message that has inline buttons).
    """
    if reply.photo_file_id is None:
        caption, parts = None, split_text(reply.text, MAX_TEXT_CHARS)
    else:
        caption, *rest = split_text(reply.text, MAX_CAPTION_CHARS)
        remainder = "\n".join(rest)
        parts = split_text(remainder, MAX_TEXT_CHARS) if remainder else []
    messages = [Outgoing(caption, photo_file_id=reply.photo_file_id)] if caption is not None else []
    messages += [Outgoing(part) for part in parts]
    markup: Markup | None = None
    extra: list[Outgoing] = []
    if reply.buttons:
        markup = inline_keyboard(reply)
        if reply.ask_location:
            extra.append(
                Outgoing(
                    texts.text("location_hint", language_code), location_keyboard(language_code)
                )
            )
    elif reply.ask_location:
        markup = location_keyboard(language_code)
    elif reply.remove_keyboard:
        markup = ReplyKeyboardRemove()
    last = messages[-1]
    messages[-1] = Outgoing(last.text, markup, last.photo_file_id)
    return messages + extra


async def send_replies(
    bot: Bot,
    chat_id: int,
    replies: tuple[Reply, ...],
    *,
    language_code: str | None,
    update_id: int | None,
) -> int:
    """Send every reply in order; returns how many messages went out.

    While an update is handled from the inbox (:mod:`bot.telegram.transport.scope`) nothing
    goes out here: the replies are queued in the update's own transaction (outbox rows of kind
    ``reply``) and the edge sends them once it committed, so a process that dies in between
    loses none. Returns 0 then.
    """
    scope = current_scope()
    if scope is not None:
        scope.replies += await enqueue_replies(
            session=scope.session,
            chat_id=chat_id,
            replies=replies,
            language_code=language_code,
            now=scope.now,
            claimed_for=scope.reply_lease,
        )
        return 0
    sent = 0
    try:
        for reply in replies:
            sent += await _send_reply(bot, chat_id, reply, language_code=language_code)
    except RecipientGone:
        log.info("update %s: the person blocked the bot; replies dropped", update_id)
    return sent


async def _send_reply(bot: Bot, chat_id: int, reply: Reply, *, language_code: str | None) -> int:
    if reply.document is not None:  # a file (the /privacy export), its text as the caption
        return await _deliver(
            bot.send_document,
            chat_id=chat_id,
            document=InputFile(reply.document.data, filename=reply.document.filename),
            caption=reply.text[:MAX_CAPTION_CHARS] or None,
            parse_mode=ParseMode.HTML,
        )
    sent = 0
    for message in plan(reply, language_code):
        if message.photo_file_id is not None:
            sent += await _deliver(
                bot.send_photo,
                chat_id=chat_id,
                photo=message.photo_file_id,
                caption=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=message.markup,
            )
        else:
            sent += await _deliver(
                bot.send_message,
                chat_id=chat_id,
                text=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=message.markup,
            )
    return sent


async def _deliver(send: Callable[..., Awaitable[object]], **kwargs: object) -> int:
    """One Bot API call; 1 if sent, 0 if refused. The bot's rate limiter
    (:mod:`bot.telegram.transport.limits`) already waited for the slot and, after a 429, for the
    pause and one more try."""
    try:
        await send(**kwargs)
        return 1
    except Forbidden:
        raise RecipientGone() from None
    except RetryAfter:
        log.warning("a message was not sent: still rate limited")
        return 0
    except TelegramError as error:
        # The class names the problem (BadRequest, TimedOut, NetworkError); its message could
        # quote the text we tried to send, so it is not logged.
        log.warning("a message was not sent: %s", type(error).__name__)
        return 0


async def answer_query(query: CallbackQuery, notice: str | None) -> None:
    """Answer a button press (``notice`` as its toast); a query Telegram no longer accepts (too
    old) needs nothing more. While the update is handled from the inbox, the answer waits for
    its commit (no Bot API call inside the update's transaction)."""
    scope = current_scope()
    if scope is not None:

        async def later() -> None:
            await _answer(query, notice)

        after_commit(scope.session, later)
        return
    await _answer(query, notice)


async def _answer(query: CallbackQuery, notice: str | None) -> None:
    try:
        await query.answer(text=notice)
    except TelegramError as error:
        log.info("callback query not answered: %s", type(error).__name__)
