"""The handlers: each turns one kind of update into an ``Incoming``, hands it to the dialogue and
renders the ``Outcome``. About ten lines each; the conversation itself lives in the dialogue."""

from __future__ import annotations

import contextlib
import logging
import traceback
from html import escape

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.ext._utils.types import CCT

from bot.telegram.context import BotServices
from bot.telegram.transport import texts
from bot.telegram.transport.incoming import incoming_from_message, incoming_from_press, update_kind
from bot.telegram.transport.render import answer_query, send_replies
from bot.telegram.transport.scope import FailureNotice, after_commit, current_scope
from services.dialogue.contract import Incoming, Outcome
from services.messages import Reply

log = logging.getLogger(__name__)


class DialogueHandlers:
    def __init__(self, services: BotServices) -> None:
        self.services = services

    async def message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        incoming = incoming_from_message(update)
        if incoming is None:
            return
        outcome = await self._handle(incoming)
        await _send(context, incoming, outcome)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None  # the CallbackQueryHandler only passes those
        if query.message is not None and query.message.chat.type != ChatType.PRIVATE:
            # The designer conversation lives in private chats only; a button in a group that
            # no handler before this one claimed (a forged or expired one) gets a short answer
            # and nothing is written into the group.
            log.info("button in a non-private chat refused for user %s", query.from_user.id)
            await answer_query(query, None)
            return
        incoming = incoming_from_press(update)
        outcome: Outcome | None = None
        try:
            if incoming is not None:
                outcome = await self._handle(incoming)
        finally:
            # Always answered, even when handling failed, so the button stops spinning.
            await answer_query(query, outcome.notice if outcome else None)
        if incoming is not None and outcome is not None:
            await _send(context, incoming, outcome)

    async def _handle(self, incoming: Incoming) -> Outcome:
        """The dialogue's step, in the update's own transaction when the edge handles it from
        the inbox (which then holds the exactly-once rule and commits)."""
        scope = current_scope()
        if scope is None:
            return await self.services.dialogue().handle(incoming)
        outcome = await self.services.dialogue().handle(incoming, session=scope.session)
        if outcome.after_commit is not None:
            after_commit(scope.session, outcome.after_commit)
        return outcome

    def handlers(self) -> list[BaseHandler[Update, CCT, None]]:
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        return [MessageHandler(private, self.message), CallbackQueryHandler(self.button)]


async def _send(context: ContextTypes.DEFAULT_TYPE, incoming: Incoming, outcome: Outcome) -> None:
    if outcome.duplicate:  # handled before: its replies went out then
        return
    await send_replies(
        context.bot,
        incoming.chat_id,
        outcome.replies,
        language_code=incoming.person.language_code,
        update_id=incoming.update_id,
    )


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log which update failed and where, never what it said: no message text, contact data or
    token ends up in the log (the exception's message could quote any of them, so only its class
    and the stack of code lines are written)."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    stack = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    log.error(
        "update %s (%s) failed: %s\n%s",
        update_id,
        update_kind(update),
        type(error).__name__,
        stack.rstrip(),
    )
    if isinstance(update, Update) and update.effective_chat and update.effective_user:
        language = update.effective_user.language_code
        scope = current_scope()
        if scope is not None:  # the edge rolls the update back, then queues this
            went_wrong = Reply(escape(texts.text("went_wrong", language)))
            scope.failure_notice = FailureNotice(update.effective_chat.id, went_wrong, language)
            return
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                update.effective_chat.id, texts.text("went_wrong", language)
            )
