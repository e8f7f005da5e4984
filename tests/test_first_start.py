"""scripts/first_start.py: how the lines before the chat are counted (the clone and the set-up
themselves run as ``make first-start-check``, about a minute: not part of the suite)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from bot.terminal_chat import plain
from services.dialogue.texts import Texts

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "first_start", ROOT / "scripts" / "first_start.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_chat_begins_at_the_terminal_greeting_in_either_language() -> None:
    first_start = _script()
    openings = first_start.chat_openings()
    for language in ("sv", "en"):
        texts = Texts(language)
        output = "\n".join(
            [
                "Setting up .venv (first run …)",
                "Set up.",
                plain(texts("terminal.seeded", count=65)),
                plain(texts("terminal.hello", count=60)),
                plain(texts("name.prompt")),
                plain(texts("terminal.bye")),
            ]
        )
        assert first_start.lines_before_chat(output, openings) == [
            "Setting up .venv (first run …)",
            "Set up.",
            plain(texts("terminal.seeded", count=65)),
        ]


def test_output_without_the_chat_is_not_counted_as_a_quiet_start() -> None:
    first_start = _script()
    failure = "Set-up failed. The end of .venv/setup.log:\nERROR: No matching distribution\n"
    assert first_start.lines_before_chat(failure, first_start.chat_openings()) is None
