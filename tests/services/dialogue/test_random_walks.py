"""Random sequences of input through the dialogue: no exception, and always a defined step."""

from __future__ import annotations

import asyncio
import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as event_note
from hypothesis import strategies as st
from sqlmodel import select

from services.demo import seed_demo
from services.dialogue.contract import Command, Event, Location, Photo, Press, Text, Unsupported
from services.dialogue.engine import DesignerDialogue
from services.dialogue.state import Step
from services.matchmaking import Matchmaker
from storage.engine import create_engine, session_factory
from storage.models import Conversation
from tests.services.dialogue.driver import Designer, fixed_clock
from tests.services.dialogue.test_robustness import SCRIPT

STEPS = {step.value for step in Step}
USEFUL_TEXT = [
    "Anna",
    "Studio AB",
    "anna@example.se",
    "070-174 06 05",
    "556677-8899",
    "stickade mössor i ull",
    "ekbord, 12 st",
    "småserie",
    "200",
    "Borås",
    "Göterborg",
    "Viken",
    "Skåne",
]
COMMANDS = ["start", "new", "cancel", "help", "language", "privacy", "myrequests", "bogus"]

# ("press", n) presses the n-th button of the last replies (wrapping); the rest are sent as is.
events = st.one_of(
    st.integers(min_value=0, max_value=20).map(lambda n: ("press", n)),
    st.integers(min_value=0, max_value=20).map(lambda n: ("press", n)),
    st.sampled_from(COMMANDS).map(Command),
    st.sampled_from(USEFUL_TEXT).map(Text),
    st.text(max_size=40).map(Text),
    st.builds(Photo, st.just("file-1"), st.sampled_from(["", "lampa i glas", "🙂"])),
    st.builds(Location, st.floats(), st.floats()),
    st.builds(Location, st.floats(55, 69), st.floats(11, 24)),
    st.sampled_from(["sticker", "voice", "document", "video"]).map(Unsupported),
    st.just(Press("not-a-token")),
)


@pytest.fixture(scope="module")
def walk_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("walks") / "spok.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="module")
def walk_matchmaker(walk_database: str) -> Matchmaker:
    async def load() -> Matchmaker:
        engine = create_engine(walk_database)
        try:
            async with session_factory(engine)() as session:
                await seed_demo(session=session)
                return await Matchmaker.load(session=session)
        finally:
            await engine.dispose()

    return asyncio.run(load())


_people = itertools.count(10_000)


async def _walk(url: str, matchmaker: Matchmaker, prefix: int, sequence: list[object]) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    dialogue = DesignerDialogue(sessions, matchmaker, clock=fixed_clock)
    designer = Designer(dialogue, user_id=next(_people), first_name="<Anna>")
    try:
        for action, _ in SCRIPT[:prefix]:  # start somewhere along a real journey
            await action(designer)
        for item in sequence:
            buttons = [b.data for b in designer.buttons]
            if isinstance(item, tuple):
                event: Event = Press(buttons[item[1] % len(buttons)] if buttons else "x")
            else:
                event = item  # type: ignore[assignment]
            outcome = await designer.send(event)
            assert outcome.step in STEPS
            event_note(f"reached {outcome.step}")
            assert outcome.replies and not outcome.duplicate
        async with sessions() as session:
            row = (
                await session.exec(
                    select(Conversation).where(
                        Conversation.telegram_user_id == designer.person.user_id
                    )
                )
            ).first()
            assert row is None or row.step in STEPS
    finally:
        await engine.dispose()


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(prefix=st.integers(0, len(SCRIPT)), sequence=st.lists(events, max_size=25))
def test_random_input_never_breaks_the_dialogue(
    walk_database: str, walk_matchmaker: Matchmaker, prefix: int, sequence: list[object]
) -> None:
    asyncio.run(_walk(walk_database, walk_matchmaker, prefix, sequence))
