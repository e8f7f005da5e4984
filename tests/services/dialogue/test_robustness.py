"""The issue's robustness points: restarts, redelivery, stray input, old buttons, two processes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.contract import (
    Command,
    Document,
    Event,
    Incoming,
    Location,
    Photo,
    Press,
    Text,
    Unsupported,
)
from services.dialogue.engine import DesignerDialogue
from services.dialogue.texts import Texts
from services.matchmaking import Matchmaker
from storage.engine import create_engine, session_factory
from storage.models import Conversation, Introduction, MatchRequest
from tests.services.dialogue.driver import Designer, fixed_clock

SV = Texts("sv")
Action = Callable[[Designer], Awaitable[Any]]


def _say(text: str) -> Action:
    return lambda d: d.say(text)


def _key(key: str) -> Action:
    return lambda d: d.press_key(SV, key)


def _press(label: str) -> Action:
    return lambda d: d.press(label)


def _command(name: str) -> Action:
    return lambda d: d.command(name)


def _file(name: str) -> Action:
    return lambda d: d.send(Document(f"file-{name}", f"unique-{name}", name, None, 50_000))


# Each action and the step it leads to: every step of a request, and the detours.
SCRIPT: list[tuple[Action, str]] = [
    (_command("start"), "name"),
    (_say("Anna"), "company"),
    (_say("Studio Anna AB"), "contact"),
    (_say("anna@example.se"), "org_number"),
    (_key("button.skip"), "consent"),
    (_key("button.accept"), "describe"),
    (_say("stickade mössor i ull"), "capabilities"),
    (_key("button.add_material"), "add_material"),
    (_key("button.back"), "capabilities"),
    (_key("button.continue"), "volume"),
    (_key("volume.pilot"), "quantity"),
    (_key("button.skip"), "location"),
    (_say("Göterborg"), "place_choice"),
    (_press("Göteborg"), "radius"),
    (_key("radius.100"), "deadline"),
    (_say("till mars"), "budget"),
    (_say("10-20 tkr"), "summary"),
    (_key("button.edit_files"), "attach"),
    (_file("ritning.pdf"), "attach_consent"),
    (_key("button.file_as_is"), "attach"),
    (_key("button.attach_done"), "summary"),
    (_key("button.search"), "results"),
    (_command("language"), "language"),
    (_press("Svenska"), "results"),
    (_command("privacy"), "privacy"),
    (_key("button.delete"), "delete_confirm"),
    (_key("button.delete_no"), "results"),
    (_press("1. "), "results"),
    (_press("Be om presentation"), "nudge"),  # no quantity: named once
    (_press("Skicka ändå"), "idle"),
]

# The other ways: declining consent, starting again, a request nothing fits.
OTHER_SCRIPT: list[tuple[Action, str]] = [
    *SCRIPT[:5],
    (_key("button.decline"), "declined"),
    (_key("button.start_again"), "name"),
    *SCRIPT[1:6],
    (_say("qwzx blorfian vromp"), "capabilities"),
    (_key("button.continue"), "volume"),
    (_key("volume.prototype"), "quantity"),
    (_key("button.skip"), "location"),
    (_key("button.all_sweden"), "deadline"),
    (_key("button.skip"), "budget"),
    (_key("button.skip"), "summary"),
    (_key("button.search"), "no_match"),
    (_command("cancel"), "idle"),
    (_command("cancel"), "idle"),
    (_command("new"), "describe"),
]
SCRIPTS = pytest.mark.parametrize("script", [SCRIPT, OTHER_SCRIPT], ids=["journey", "detours"])

# Input no step can use: each gets an answer and changes nothing.
STRAY: list[Event] = [
    Unsupported("sticker"),
    Unsupported("voice"),
    Unsupported("document"),
    Text("🙂👍"),
    Text("x" * 5000),  # over Telegram's limit (at the describe step it is kept: not stray)
    Text("    "),
    Text("<>&*_`[]~"),
    Command("nonsense"),
]


async def _snapshot(sessions: async_sessionmaker[AsyncSession], user_id: int) -> tuple[Any, ...]:
    async with sessions() as session:
        result = await session.exec(
            select(Conversation).where(Conversation.telegram_user_id == user_id)
        )
        row = result.one()
        return row.step, row.data, row.language


@SCRIPTS
async def test_a_restart_at_every_step_resumes_exactly_there(
    database_url: str,
    session_maker: async_sessionmaker[AsyncSession],
    matchmaker: Matchmaker,
    script: list[tuple[Action, str]],
) -> None:
    engines = []
    try:
        designer = Designer(DesignerDialogue(session_maker, matchmaker, clock=fixed_clock))
        for action, step in script:
            assert (await action(designer)).step == step
            before = await _snapshot(session_maker, designer.person.user_id)
            # A new process: its own engine, a new dialogue; nothing carried over but the DB.
            engine = create_engine(database_url)
            engines.append(engine)
            designer.dialogue = DesignerDialogue(
                session_factory(engine), matchmaker, clock=fixed_clock
            )
            if step == "declined":  # nothing was kept: /start begins afresh, /help shows it
                assert (await designer.command("help")).step == step
            else:
                assert (await designer.command("start")).step == step
                assert SV("welcome_back") in designer.text
            assert await _snapshot(session_maker, designer.person.user_id) == before
    finally:
        for engine in engines:
            await engine.dispose()


@SCRIPTS
async def test_stray_input_at_every_step_is_answered_and_changes_nothing(
    dialogue: DesignerDialogue,
    session_maker: async_sessionmaker[AsyncSession],
    script: list[tuple[Action, str]],
) -> None:
    designer = Designer(dialogue)
    user = designer.person.user_id
    for action, step in script:
        assert (await action(designer)).step == step
        before = await _snapshot(session_maker, user)
        stray = [*STRAY] if step != "describe" else [e for e in STRAY if e != Text("x" * 5000)]
        if step not in ("location", "place_choice"):
            stray.append(Location(57.7, 11.9))
        if step not in ("describe", "attach", "summary", "nudge"):  # these take pictures
            stray.append(Photo("file-1", "ekbord"))
        if step not in ("describe", "attach", "summary", "nudge"):  # and files
            stray.append(Document("doc-1", "unique-doc-1", "ritning.pdf", None, 1000))
        for event in stray:
            outcome = await designer.send(event)
            assert outcome.replies, (step, event)
            assert outcome.step == step, (step, event)
            assert await _snapshot(session_maker, user) == before, (step, event)


async def test_old_and_foreign_buttons_change_nothing(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    stranger = Designer(dialogue, user_id=777)
    await stranger.command("start")
    user = designer.person.user_id
    for action, step in SCRIPT:
        earlier = list(designer.buttons)
        await action(designer)
        current = {b.data for b in designer.buttons}
        before = await _snapshot(session_maker, user)
        for button in earlier:
            if button.data in current:
                continue  # the same step kept this button (e.g. a re-shown prompt)
            outcome = await designer.send(Press(button.data))
            assert outcome.notice == SV("notice.stale")
            assert outcome.step == step
            assert await _snapshot(session_maker, user) == before
        stranger_before = await _snapshot(session_maker, 777)
        for button in designer.buttons:
            outcome = await stranger.send(Press(button.data))
            assert outcome.notice is not None and outcome.step == "name"
        assert await _snapshot(session_maker, 777) == stranger_before
        assert await _snapshot(session_maker, user) == before


async def test_the_same_update_twice_has_no_second_effect(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    for action, _ in SCRIPT[:-1]:
        await action(designer)
    ask = designer.button("Skicka ändå")
    first = await designer.send(Press(ask.data), update_id=5)
    assert first.step == "idle" and not first.duplicate
    again = await designer.send(Press(ask.data), update_id=5)
    assert again.duplicate and again.replies == ()
    # The same number from another transport is a different update.
    other = await dialogue.handle(
        Incoming(designer.person, 1, Command("help"), update_id=5, source="terminal")
    )
    assert not other.duplicate
    async with session_maker() as session:
        assert len((await session.exec(select(MatchRequest))).all()) == 1
        assert len((await session.exec(select(Introduction))).all()) == 1


async def test_two_processes_serve_alternating_and_concurrent_updates(
    database_url: str, matchmaker: Matchmaker, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        dialogues = [
            DesignerDialogue(session_factory(engine), matchmaker, clock=fixed_clock)
            for engine in engines
        ]
        designer = Designer(dialogues[0])
        for number, (action, step) in enumerate(SCRIPT[:7]):
            designer.dialogue = dialogues[number % 2]
            assert (await action(designer)).step == step
        person = designer.person

        # Both processes get the same delivery at once: exactly one handles it.
        same = Incoming(person, person.user_id, Text("hej"), update_id=9001)
        outcomes = await asyncio.gather(*(d.handle(same) for d in dialogues))
        assert sorted(o.duplicate for o in outcomes) == [False, True]

        # Two different updates at once: they take turns on the conversation's row.
        before = await _snapshot(session_maker, person.user_id)
        assert before[0] == "capabilities"
        presses = [
            Incoming(person, person.user_id, Press(designer.button(label).data), update_id=n)
            for n, label in ((9002, SV("button.continue")), (9003, SV("button.add_material")))
        ]
        outcomes = await asyncio.gather(
            *(d.handle(i) for d, i in zip(dialogues, presses, strict=True))
        )
        notices = [o.notice for o in outcomes]
        # The first to get the row moves on; the other's button is then an earlier step's.
        assert notices.count(SV("notice.stale")) == 1
        step = (await _snapshot(session_maker, person.user_id))[0]
        assert step in ("volume", "add_material")
        assert step == next(o.step for o in outcomes if o.notice is None)
        async with session_maker() as session:
            row = (
                await session.exec(
                    select(Conversation).where(Conversation.telegram_user_id == person.user_id)
                )
            ).one()
        assert row.version == 7 + 1 + 2  # every handled update saved once, in turn
    finally:
        for engine in engines:
            await engine.dispose()
