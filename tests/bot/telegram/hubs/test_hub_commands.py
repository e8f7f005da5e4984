"""Invites, /bindhub and supergroup migration through the real Application, before the
dialogue: real updates in, recorded Bot API calls out, a real database behind the hub desk."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bench.offline import RecordingRequest
from bot.telegram.hubs.texts import hub_text
from services.catalogue.worker import ParseWorker
from services.dialogue.contract import Command, Outcome
from services.hubs.desk import HubDesk, start_hub_desk
from services.hubs.registry import SEED_HUBS
from services.messages import Reply
from storage.models import Hub, Maker
from storage.repositories.hubs import get_hub_by_slug, hub_ids_coordinated_by
from storage.repositories.makers import get_maker_by_external_id
from tests.bot.telegram.conftest import ScriptedDialogue, feed, running_bot
from tests.fakes.redelivery import snapshot
from tests.fakes.roles import coordinator_of, listed_maker
from tests.fakes.updates import TelegramUser

ADMIN = TelegramUser(1, language_code="en", first_name="Ada")
KARIN = TelegramUser(2, language_code="sv", first_name="Karin")  # coordinates Västra Götaland
MAJA = TelegramUser(3, language_code="sv", first_name="Maja")  # a maker, once invited
SAM = TelegramUser(4, language_code="en-GB", first_name="Sam")  # nobody in particular
GROUP = {"id": -4001, "type": "group", "title": "SPOK VG koordinatorer"}
LINK = re.compile(r"https://t\.me/spok_test_bot\?start=(inv_[A-Za-z0-9_-]+)")


@dataclass
class HubRuntime:
    """A runtime with a hub desk on the test database and a scripted designer dialogue."""

    hub_desk: HubDesk
    matchmaker: None = None
    limits: None = None
    engine: None = None  # the inbox uses the hub desk's database
    dialogue: ScriptedDialogue = field(
        default_factory=lambda: ScriptedDialogue(lambda _: Outcome(replies=(Reply("dialogue"),)))
    )
    parse_worker: ParseWorker = field(default_factory=ParseWorker)  # never started: no uploads

    async def close(self) -> None:
        pass


@pytest.fixture
async def runtime(session_maker: async_sessionmaker[AsyncSession]) -> HubRuntime:
    desk = await start_hub_desk(session_maker, hubs=SEED_HUBS, admin_ids={ADMIN.user_id})
    async with session_maker() as session:
        hub = await get_hub_by_slug(session=session, slug="vastra-gotaland")
        assert hub is not None
        await coordinator_of(session, hub, KARIN.user_id)
        await listed_maker(session, "m-boras")
    return HubRuntime(desk)


def in_chat(update: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
    return {**update, "message": {**update["message"], "chat": chat}}


def texts_to(request: RecordingRequest, chat_id: int) -> list[str]:
    return [c.params["text"] for c in request.sent() if int(c.params["chat_id"]) == chat_id]


async def _hub(runtime: HubRuntime, slug: str) -> Hub:
    async with runtime.hub_desk.sessions() as session:
        hub = await get_hub_by_slug(session=session, slug=slug)
    assert hub is not None
    return hub


async def _maker(runtime: HubRuntime, external_id: str) -> Maker:
    async with runtime.hub_desk.sessions() as session:
        maker = await get_maker_by_external_id(session=session, external_id=external_id)
    assert maker is not None
    return maker


async def test_a_coordinator_invites_a_maker_who_opens_the_link(runtime: HubRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("invite", "maker m-boras"))
        (reply,) = texts_to(request, KARIN.user_id)
        match = LINK.search(reply)
        assert match is not None, reply
        token = match.group(1)
        assert "Verkstad m-boras" in reply

        await feed(app, MAJA.command("start", token))
        await feed(app, SAM.command("start", token))
        await feed(app, SAM.command("start", "inv_not-a-real-token"))

    assert texts_to(request, MAJA.user_id) == [
        hub_text("redeem.linked_maker", "sv", name="Verkstad m-boras")
    ]
    assert texts_to(request, SAM.user_id) == [
        hub_text("redeem.used", "en", name="Verkstad m-boras"),
        hub_text("redeem.unknown", "en"),
    ]
    assert (await _maker(runtime, "m-boras")).telegram_user_id == MAJA.user_id
    assert runtime.dialogue.seen == []  # invites never reach the designer dialogue


async def test_start_without_an_invite_is_the_dialogues(runtime: HubRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, SAM.command("start"))
        await feed(app, SAM.command("start", "hub-vg"))
    assert [incoming.event for incoming in runtime.dialogue.seen] == [
        Command("start", ""),
        Command("start", "hub-vg"),
    ]
    assert texts_to(request, SAM.user_id) == ["dialogue", "dialogue"]


async def test_an_admin_invites_a_coordinator_of_any_named_hub(runtime: HubRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, ADMIN.command("invite", "coordinator"))
        await feed(app, ADMIN.command("invite", "coordinator skane"))
        choose, created = texts_to(request, ADMIN.user_id)
        match = LINK.search(created)
        assert match is not None
        await feed(app, SAM.command("start", match.group(1)))
    assert choose == hub_text("invite.choose_hub", "en")
    assert texts_to(request, SAM.user_id) == [
        hub_text("redeem.now_coordinator", "en", name="SPOK Skåne")
    ]
    async with runtime.hub_desk.sessions() as session:
        hub_ids = await hub_ids_coordinated_by(session=session, telegram_user_id=SAM.user_id)
    assert hub_ids == [(await _hub(runtime, "skane")).id]


async def test_strangers_cannot_invite_and_the_refusal_is_logged_without_text(
    runtime: HubRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(runtime) as (app, request):
        await feed(app, SAM.command("invite", "maker m-boras"))
        await feed(app, SAM.command("invite", "coordinator vastra-gotaland"))
        await feed(app, KARIN.command("invite", "maker nobody-123"))
        await feed(app, KARIN.command("invite", "help me"))
        await feed(app, in_chat(KARIN.command("invite", "maker m-boras"), GROUP))
    not_allowed = hub_text("invite.not_allowed", "en")
    assert texts_to(request, SAM.user_id) == [not_allowed, not_allowed]
    assert texts_to(request, KARIN.user_id) == [
        hub_text("invite.unknown_maker", "sv", target="nobody-123"),
        hub_text("invite.usage", "sv"),
    ]
    assert texts_to(request, GROUP["id"]) == [hub_text("invite.private_only", "sv")]
    refusals = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused")]
    assert len(refusals) == 2
    assert all(f"user {SAM.user_id}" in line for line in refusals)
    assert any("invite_maker" in line for line in refusals)
    assert not any("m-boras" in r.getMessage() for r in caplog.records)


async def test_bindhub_by_a_coordinator_binds_the_group(runtime: HubRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, in_chat(KARIN.command("bindhub"), GROUP))
        await feed(app, KARIN.command("bindhub", "vastra-gotaland"))  # in private
    assert texts_to(request, GROUP["id"]) == [
        hub_text("bindhub.bound", "sv", name="SPOK Västra Götaland")
    ]
    assert texts_to(request, KARIN.user_id) == [hub_text("bindhub.group_only", "sv")]
    assert (await _hub(runtime, "vastra-gotaland")).telegram_chat_id == GROUP["id"]


async def test_bindhub_by_a_non_coordinator_is_refused(
    runtime: HubRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(runtime) as (app, request):
        await feed(app, in_chat(SAM.command("bindhub", "vastra-gotaland"), GROUP))
        await feed(app, in_chat(KARIN.command("bindhub", "skane"), GROUP))  # not her hub
        await feed(app, in_chat(KARIN.command("bindhub", "atlantis"), GROUP))
    en, sv = "en", "sv"
    assert texts_to(request, GROUP["id"]) == [
        hub_text("bindhub.not_allowed", en),
        hub_text("bindhub.not_allowed", sv),
        hub_text("bindhub.unknown_hub", sv, target="atlantis"),
    ]
    assert (await _hub(runtime, "vastra-gotaland")).telegram_chat_id is None
    assert (await _hub(runtime, "skane")).telegram_chat_id is None
    refusals = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused")]
    assert [line.split(" for user ")[1].split()[0] for line in refusals] == [
        str(SAM.user_id),
        str(KARIN.user_id),
    ]
    assert all("bind_hub_chat" in line for line in refusals)


def _service_message(chat: dict[str, Any], **content: Any) -> dict[str, Any]:
    update = KARIN.message(**content)
    return in_chat(update, chat)


@pytest.mark.parametrize("announced_in", ["old group", "new supergroup"])
async def test_a_group_that_becomes_a_supergroup_keeps_its_hub(
    runtime: HubRuntime, announced_in: str
) -> None:
    supergroup = {"id": -1004001, "type": "supergroup", "title": GROUP["title"]}
    async with running_bot(runtime) as (app, request):
        await feed(app, in_chat(KARIN.command("bindhub"), GROUP))
        if announced_in == "old group":
            await feed(app, _service_message(GROUP, migrate_to_chat_id=supergroup["id"]))
        else:
            await feed(app, _service_message(supergroup, migrate_from_chat_id=GROUP["id"]))
        # Telegram sends both; the second finds nothing left to move.
        await feed(app, _service_message(supergroup, migrate_from_chat_id=GROUP["id"]))
        await feed(app, in_chat(KARIN.command("bindhub"), supergroup))
    assert (await _hub(runtime, "vastra-gotaland")).telegram_chat_id == supergroup["id"]
    assert runtime.dialogue.seen == []
    assert len(texts_to(request, supergroup["id"])) == 1  # the /bindhub reply, no chatter


async def test_a_redelivered_invite_or_redeem_does_nothing_and_sends_nothing(
    runtime: HubRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    invite = KARIN.command("invite", "maker m-boras")
    async with running_bot(runtime) as (app, request):
        await feed(app, invite)
        (reply,) = texts_to(request, KARIN.user_id)
        match = LINK.search(reply)
        assert match is not None, reply
        redeem = MAJA.command("start", match.group(1))
        await feed(app, redeem)
        before, calls = await snapshot(session_maker), len(request.calls)
        await feed(app, invite)  # both delivered again by Telegram, same update ids
        await feed(app, redeem)
        assert request.calls[calls:] == []
        assert await snapshot(session_maker) == before
    assert texts_to(request, MAJA.user_id) == [
        hub_text("redeem.linked_maker", "sv", name="Verkstad m-boras")
    ]
