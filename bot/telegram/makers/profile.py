"""A maker edits their own listing from /profile; the hub's coordinators approve or reject.

* ``mk:edit:<maker id>:<field>`` (the buttons under /profile, and the desk card's Photos
  button) starts an edit; the next text or photos from that person are the new value, until
  it is submitted (``mk:draft:…``: Done, Remove it, Cancel);
* ``lst:<token>:a|r`` is a coordinator's Approve or Reject, in a private chat or the hub's
  group; the answer goes where the button was, and its buttons are taken away.

Every decision is :class:`services.makers.edits.ListingEdits`' (who may edit, who may decide,
what the ranking sees); these only parse the update, call it and reply. A text or photo from
someone with no edit open goes on to the next feature untouched.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.ext._utils.types import CCT

from bot.telegram.context import BotServices
from bot.telegram.transport.render import answer_query, send_replies
from services.makers.edits import (
    DECIDE_PREFIX,
    DRAFT_PREFIX,
    EDIT_PREFIX,
    EditOutcome,
    parse_decision,
    parse_edit,
)

log = logging.getLogger(__name__)


class ProfileEditHandlers:
    def __init__(self, services: BotServices) -> None:
        self.services = services

    def handlers(self) -> list[BaseHandler[Update, CCT, None]]:
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        typed = (filters.TEXT & ~filters.COMMAND) | filters.PHOTO
        return [
            CallbackQueryHandler(self.edit_pressed, pattern=rf"^{re.escape(EDIT_PREFIX)}"),
            CallbackQueryHandler(self.draft_pressed, pattern=rf"^{re.escape(DRAFT_PREFIX)}"),
            CallbackQueryHandler(self.decision_pressed, pattern=rf"^{re.escape(DECIDE_PREFIX)}"),
            MessageHandler(private & typed, self.value_sent),
        ]

    async def edit_pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        edits, query = self.services.profiles, update.callback_query
        if edits is None or query is None:
            return
        parsed = parse_edit(query.data or "")
        user = query.from_user
        if parsed is None:
            outcome = EditOutcome()
        else:
            maker_id, field = parsed
            outcome = await edits.begin(
                user_id=user.id,
                maker_id=maker_id,
                field=field,
                now=self.services.clock(),
                language=user.language_code or "",
            )
        await self._answer(update, context, outcome, chat_id=user.id)

    async def draft_pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        edits, query = self.services.profiles, update.callback_query
        if edits is None or query is None:
            return
        user = query.from_user
        outcome = await edits.finish(
            user_id=user.id,
            choice=(query.data or "").removeprefix(DRAFT_PREFIX),
            now=self.services.clock(),
            language=user.language_code or "",
        )
        await self._answer(update, context, outcome, chat_id=user.id)

    async def decision_pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        edits, query = self.services.profiles, update.callback_query
        if edits is None or query is None:
            return
        parsed = parse_decision(query.data or "")
        user = query.from_user
        if parsed is None:
            outcome = EditOutcome()
        else:
            token, choice = parsed
            outcome = await edits.decide(
                user_id=user.id,
                token=token,
                choice=choice,
                now=self.services.clock(),
                language=user.language_code or "",
            )
        chat_id = query.message.chat.id if query.message is not None else user.id
        if outcome.replies and query.message is not None:
            try:  # decided: its buttons go (other coordinators' copies say "decided")
                await context.bot.edit_message_reply_markup(
                    chat_id=chat_id, message_id=query.message.message_id, reply_markup=None
                )
            except TelegramError as error:
                log.info("buttons not removed: %s", type(error).__name__)
        await self._answer(update, context, outcome, chat_id=chat_id)

    async def value_sent(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        edits, message = self.services.profiles, update.message
        if edits is None or message is None or message.from_user is None:
            return
        user = message.from_user
        now, language = self.services.clock(), user.language_code or ""
        if message.photo:
            largest = max(message.photo, key=lambda size: size.width * size.height)
            outcome = await edits.take_photo(
                user_id=user.id, file_id=largest.file_id, now=now, language=language
            )
        else:
            outcome = await edits.take_text(
                user_id=user.id, text=message.text or "", now=now, language=language
            )
        if outcome is None:
            return  # no edit open: the message is the next feature's
        await send_replies(
            context.bot,
            message.chat.id,
            outcome.replies,
            language_code=user.language_code,
            update_id=update.update_id,
        )
        raise ApplicationHandlerStop

    async def _answer(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        outcome: EditOutcome,
        *,
        chat_id: int,
    ) -> None:
        query = update.callback_query
        assert query is not None
        await answer_query(query, outcome.notice or None)
        await send_replies(
            context.bot,
            chat_id,
            outcome.replies,
            language_code=query.from_user.language_code,
            update_id=update.update_id,
        )
        raise ApplicationHandlerStop


__all__ = ["ProfileEditHandlers"]
