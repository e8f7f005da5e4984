"""A real PTB Application on a recording request: real updates in, recorded Bot API calls out."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.bench.offline import RecordingRequest, running_offline
from services.dialogue.contract import Dialogue, Incoming, Outcome
from services.runtime import Runtime

TOKEN = "123456:TEST-token-never-logged"


@dataclass
class ScriptedDialogue:
    """Answers each event with whatever ``respond`` returns; remembers what it was given."""

    respond: Callable[[Incoming], Outcome]
    seen: list[Incoming] = field(default_factory=list)

    async def handle(self, incoming: Incoming, *, session: object = None) -> Outcome:
        self.seen.append(incoming)
        return self.respond(incoming)


@dataclass
class FakeRuntime:
    """A runtime with a dialogue only: no database, so the role-checked features step aside."""

    dialogue: Dialogue
    closed: bool = False
    hub_desk: None = None
    matchmaker: None = None
    limits: None = None  # no limits: these tests count replies, not their timing
    engine: None = None  # no database: no inbox either, updates go straight to the handlers

    async def close(self) -> None:
        self.closed = True


def running_bot(
    runtime: Runtime, request: RecordingRequest | None = None
) -> AbstractAsyncContextManager[tuple[Application, RecordingRequest]]:  # type: ignore[type-arg]
    """The bot's Application with the hooks run_polling would call, minus the polling."""
    return running_offline(runtime, token=TOKEN, request=request)


async def feed(app: Application, update: dict[str, Any]) -> None:  # type: ignore[type-arg]
    await app.process_update(Update.de_json(update, app.bot))


# -- the chaos tests' counts, printed in pytest's summary whether they pass or fail -------------

_CHAOS_LINES = pytest.StashKey[list[str]]()


@pytest.fixture
def chaos_report(pytestconfig: pytest.Config) -> list[str]:
    """Lines appended here are printed in a "chaos" section at the end of the run."""
    return pytestconfig.stash.setdefault(_CHAOS_LINES, [])


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = config.stash.get(_CHAOS_LINES, [])
    if lines:
        terminalreporter.section("chaos")
        for line in lines:
            terminalreporter.write_line(line)
