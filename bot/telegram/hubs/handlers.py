"""Hub and role commands, ahead of the designer dialogue: ``/start <invite>``, ``/invite``,
``/bindhub``, and a group becoming a supergroup.

They run in an earlier handler group than the dialogue. A handler that dealt with the update
stops it there (``ApplicationHandlerStop``); anything else (``/start`` without an invite, every
other message) goes on to the dialogue unchanged. Without a hub desk (a runtime that has none,
as in some tests) they step aside entirely. Every decision is the desk's (services.hubs.desk →
services.hubs.access); these only parse, call and reply.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.ext._utils.types import CCT

from bot.telegram.context import BotServices
from bot.telegram.hubs.texts import hub_text
from bot.telegram.transport.render import send_replies
from services.hubs.desk import BindStatus
from services.hubs.invites import InviteCreated, invite_link, looks_like_invite
from services.messages import Reply
from storage.models import InviteKind

log = logging.getLogger(__name__)


class HubHandlers:
    def __init__(self, services: BotServices) -> None:
        self.services = services

    def handlers(self) -> list[BaseHandler[Update, CCT, None]]:
        messages = filters.UpdateType.MESSAGE
        private = filters.ChatType.PRIVATE & messages
        handlers: list[BaseHandler[Update, CCT, None]] = [
            MessageHandler(filters.StatusUpdate.MIGRATE, self.migrated),
            MessageHandler(private & filters.Regex(r"^/start(@\w+)?\s+\S"), self.start),
            MessageHandler(messages & filters.Regex(r"^/invite(@\w+)?(\s|$)"), self.invite),
            MessageHandler(messages & filters.Regex(r"^/bindhub(@\w+)?(\s|$)"), self.bind_hub),
        ]
        return handlers

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/start <token>``: an invite is redeemed here; any other payload is the dialogue's."""
        desk, message = self.services.hub_desk, update.message
        if desk is None or message is None or message.from_user is None:
            return
        payload = _arguments(message)[0]
        if not looks_like_invite(payload):
            return
        user = message.from_user
        async with self.services.transaction() as session:
            outcome = await desk.redeem(
                user_id=user.id, token=payload, now=self.services.clock(), session=session
            )
        log.info("invite redeemed by user %s: %s", user.id, outcome.status.value)
        await _reply(
            message,
            hub_text(f"redeem.{outcome.status.value}", user.language_code, name=outcome.name),
        )
        raise ApplicationHandlerStop

    async def invite(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/invite maker <external id>`` or ``/invite coordinator [hub slug]``, in private."""
        desk, message = self.services.hub_desk, update.message
        if desk is None or message is None or message.from_user is None:
            return
        user = message.from_user
        language = user.language_code
        if message.chat.type != "private":
            await _reply(message, hub_text("invite.private_only", language))
            raise ApplicationHandlerStop
        arguments = _arguments(message)
        kind, target = [*arguments, "", ""][:2]
        now = self.services.clock()
        if kind not in (InviteKind.MAKER, InviteKind.COORDINATOR) or (
            kind == InviteKind.MAKER and not target
        ):
            await _reply(message, hub_text("invite.usage", language))
            raise ApplicationHandlerStop
        async with self.services.transaction() as session:
            if kind == InviteKind.MAKER:
                outcome = await desk.invite_maker(
                    user_id=user.id, maker_external_id=target, now=now, session=session
                )
            else:
                outcome = await desk.invite_coordinator(
                    user_id=user.id, hub_slug=target or None, now=now, session=session
                )
        if isinstance(outcome, InviteCreated):
            username = desk.bot_username or context.bot.username
            text = hub_text(
                f"invite.created_{outcome.kind.value}",
                language,
                name=outcome.target_name,
                expires=outcome.expires_at.date().isoformat(),
                link=invite_link(username, outcome.token),
            )
        else:
            text = hub_text(f"invite.{outcome.value}", language, target=target)
        await _reply(message, text)
        raise ApplicationHandlerStop

    async def bind_hub(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/bindhub [hub slug]`` in a group: the group becomes the hub's coordinator chat."""
        desk, message = self.services.hub_desk, update.message
        if desk is None or message is None or message.from_user is None:
            return
        user = message.from_user
        if message.chat.type not in ("group", "supergroup"):
            await _reply(message, hub_text("bindhub.group_only", user.language_code))
            raise ApplicationHandlerStop
        target = [*_arguments(message), ""][0]
        async with self.services.transaction() as session:
            result = await desk.bind_chat(
                user_id=user.id, chat_id=message.chat.id, hub_slug=target or None, session=session
            )
        if result.status == BindStatus.BOUND:
            log.info("hub chat bound by user %s to chat %s", user.id, message.chat.id)
        text = hub_text(
            f"bindhub.{result.status.value}",
            user.language_code,
            name=result.hub_name,
            target=target,
        )
        await _reply(message, text)
        raise ApplicationHandlerStop

    async def migrated(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup: Telegram says so in both chats; either moves its hubs."""
        desk, message = self.services.hub_desk, update.message
        if desk is None or message is None:
            return
        if message.migrate_to_chat_id is not None:
            old, new = message.chat.id, message.migrate_to_chat_id
        elif message.migrate_from_chat_id is not None:
            old, new = message.migrate_from_chat_id, message.chat.id
        else:  # pragma: no cover - the MIGRATE filter passes only these
            return
        async with self.services.transaction() as session:
            moved = await desk.chat_migrated(old_chat_id=old, new_chat_id=new, session=session)
        if moved:
            log.info("chat %s became %s; hubs moved: %s", old, new, ", ".join(moved))
        raise ApplicationHandlerStop


def _arguments(message: Message) -> list[str]:
    """The words after the command (``/invite maker m-12`` → ``["maker", "m-12"]``)."""
    return (message.text or "").split()[1:]


async def _reply(message: Message, text: str) -> None:
    """``text`` in the message's chat (queued with the update's effects under the inbox)."""
    language = message.from_user.language_code if message.from_user else None
    await send_replies(
        message.get_bot(), message.chat.id, (Reply(text),), language_code=language, update_id=None
    )
