"""The catalogue desk's commands: ``/export [csv]``, ``/maker <search>``, ``/stale`` and
``/outreach [entry or search]``. Each parses its argument, calls one desk method and replies;
the desk decides who may (services.catalogue.desk, services.catalogue.listing)."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InputFile, Message
from telegram.error import TelegramError

from bot.telegram.catalogue.render import (
    matches_text,
    outreach_logged_text,
    outreach_text,
    stale_text,
)
from bot.telegram.catalogue.replies import reply, send_card
from bot.telegram.catalogue.texts import desk_text
from bot.telegram.transport.texts import language_for
from services.catalogue.desk import CatalogueDesk
from services.catalogue.listing import ListingDesk
from services.catalogue.outreach import OutreachSyntaxError
from services.catalogue.reader import CatalogueFormat
from services.catalogue.tokens import DeskRefusal

log = logging.getLogger(__name__)

COMMANDS = ("export", "maker", "stale", "outreach")


class DeskCommands:
    def __init__(self, desk: CatalogueDesk, listings: ListingDesk) -> None:
        self.desk = desk
        self.listings = listings

    async def run(
        self, message: Message, name: str, argument: str, *, now: datetime, username: str
    ) -> None:
        assert message.from_user is not None
        language = message.from_user.language_code
        if name == "export":
            await self.export(message, argument, language, now)
        elif name == "maker":
            await self.maker(message, argument, language, now, username)
        elif name == "stale":
            stale = await self.listings.stale(user_id=message.from_user.id)
            if isinstance(stale, DeskRefusal):
                await reply(message, desk_text("not_staff", language))
            else:
                await reply(message, stale_text(stale, language))
        else:
            await self.outreach(message, argument, language, now)

    async def export(
        self, message: Message, argument: str, language: str | None, now: datetime
    ) -> None:
        assert message.from_user is not None
        wanted = argument.lower().lstrip(".")
        if wanted not in ("", "xlsx", "excel", "csv"):
            await self._usage_or_refusal(message, "export.usage")
            return
        fmt = CatalogueFormat.CSV if wanted == "csv" else CatalogueFormat.XLSX
        files = await self.desk.export(
            user_id=message.from_user.id,
            fmt=fmt,
            today=now.date(),
            language=language_for(language),
        )
        if isinstance(files, DeskRefusal):
            await reply(message, desk_text("not_staff", language))
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

    async def maker(
        self, message: Message, argument: str, language: str | None, now: datetime, username: str
    ) -> None:
        assert message.from_user is not None
        if not argument:
            await self._usage_or_refusal(message, "maker.usage")
            return
        found = await self.listings.find(user_id=message.from_user.id, query=argument, now=now)
        if isinstance(found, DeskRefusal):
            await reply(message, desk_text("not_staff", language))
        elif found.card is not None:
            await send_card(
                message.get_bot(),
                message.chat.id,
                found.card,
                language,
                username=username,
            )
        else:
            await reply(message, matches_text(found.matches, argument, language))

    async def outreach(
        self, message: Message, argument: str, language: str | None, now: datetime
    ) -> None:
        """With a ``;`` an entry to log; without, a search (nothing: the latest entries)."""
        assert message.from_user is not None
        user_id = message.from_user.id
        if ";" in argument:
            logged = await self.desk.add_outreach(user_id=user_id, text=argument, now=now)
            if isinstance(logged, DeskRefusal):
                text = desk_text("not_staff", language)
            elif isinstance(logged, OutreachSyntaxError):
                key = "usage" if logged.code == "no_company" else logged.code
                text = desk_text(f"outreach.{key}", language, value=logged.value)
            else:
                text = outreach_logged_text(logged, language)
            await reply(message, text)
            return
        found = await self.desk.find_outreach(user_id=user_id, query=argument)
        if isinstance(found, DeskRefusal):
            await reply(message, desk_text("not_staff", language))
        else:
            await reply(message, outreach_text(found, language, searched=bool(argument)))

    async def _usage_or_refusal(self, message: Message, usage_key: str) -> None:
        """How to use the command for staff; the plain refusal for everybody else."""
        assert message.from_user is not None
        language = message.from_user.language_code
        staff = await self.desk.is_staff(message.from_user.id)
        await reply(message, desk_text(usage_key if staff else "not_staff", language))
