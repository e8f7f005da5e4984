"""``spok-bot chat``: the designer dialogue in a terminal, driven by a script through stdin."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.settings import Settings
from bot.terminal_chat import plain, run_terminal_chat
from services.dialogue.texts import Texts

SV = Texts("sv")

# One whole request, typed as a designer would: answers and the numbers of buttons.
SCRIPT = [
    "Anna Svensson",
    "Studio Anna AB",
    "anna@example.se",
    "1",  # Hoppa över (org number)
    "1",  # ✓ Jag godkänner
    "stickade mössor i ull",
    "4",  # 1 ✓ Textil, 2 ✓ Stickning, 3 + Lägg till material, 4 Fortsätt
    "2",  # Pilotserie / småserie
    "200",
    "Borås",
    "3",  # 25, 50, 100 km, within the county, all of Sweden
    "till mars",  # when (or 1-3 quick choices, 4 skip)
    "1",  # Hoppa över (budget)
    "9",  # edit: description, materials, volume, place, distance, when, budget, files; 9 search
    "1",  # pick the best maker
    "b",  # 1-5 the makers by number (two fits, three "kanske"); a refine, b ask
    "2",  # the nudge (no drawing): 1 add one, 2 send anyway
]


def test_a_script_drives_a_whole_request(tmp_path: Path) -> None:
    database = tmp_path / "spok.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input="\n".join(SCRIPT) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert plain(SV("terminal.seeded", count=65)) in out
    assert "  1) Hoppa över" in out  # buttons are numbered choices
    assert plain(SV("terminal.location")) in out  # "share location" becomes "type a place"
    assert "<b>" not in out and "&amp;" not in out
    assert "1. Maskstickeriet" in out
    assert plain(SV("introductions.saved", count=1, names="Maskstickeriet", number=1)) in out
    assert out.rstrip().endswith(plain(SV("terminal.bye")))

    with sqlite3.connect(database) as connection:
        requests = connection.execute(
            "SELECT status, text, volume_stage, quantity, place_name, radius_km FROM requests"
        ).fetchall()
        introductions = connection.execute("SELECT status FROM introductions").fetchall()
        designers = connection.execute("SELECT name, consent_version FROM designers").fetchall()
        queued = connection.execute("SELECT count(*) FROM outbox").fetchone()
    assert requests == [("submitted", "stickade mössor i ull", "pilot", 200, "Borås", 100.0)]
    # Saved, but a terminal try-out briefs nobody: real makers may share the database.
    assert introductions == [("requested",)] and queued == (0,)
    assert designers[0][0] == "Anna Svensson" and designers[0][1]


def test_the_next_chat_continues_where_the_last_one_stopped(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}")
    lines: list[str] = []

    def chat(*answers: str, language: str = "sv") -> int:
        pending = iter(answers)

        def read() -> str:
            try:
                return next(pending)
            except StopIteration:
                raise EOFError from None

        lines.clear()
        return run_terminal_chat(settings, language=language, read=read, write=lines.append)

    assert chat("Anna", "Studio & <Co>") == 0
    assert "Studio & <Co>" not in "\n".join(lines)  # nothing echoed yet, but nothing broke
    assert chat("", "/help", "🙂") == 0
    out = "\n".join(lines)
    assert plain(SV("welcome_back")) in out
    assert plain(SV("contact.prompt")) in out  # name and company were kept
    assert "/myrequests" in out and plain(SV("text.unusable")) in out
    assert lines[-1] == plain(SV("terminal.bye"))


def test_the_terminals_own_hints_follow_a_change_of_language(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}")
    answers = iter(["/language", "2"])  # 1 Svenska, 2 English
    lines: list[str] = []

    def read() -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    assert run_terminal_chat(settings, language="sv", read=read, write=lines.append) == 0
    assert plain(Texts("en")("language.changed")) in lines
    assert lines[-1] == plain(Texts("en")("terminal.bye"))


def test_the_privacy_export_is_written_to_a_file(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}")
    # Name, company skipped, email, org number skipped, consent; /privacy: 1 export.
    answers = iter(["Anna", "-", "anna@example.se", "-", "1", "/privacy", "1"])
    lines: list[str] = []

    def read() -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    code = run_terminal_chat(
        settings, language="sv", read=read, write=lines.append, files=tmp_path / "out"
    )
    assert code == 0
    (exported,) = (tmp_path / "out").glob("spok-mina-uppgifter-*.json")
    assert json.loads(exported.read_text("utf-8"))["email"] == "anna@example.se"
    assert plain(SV("terminal.saved", path=str(exported))) in lines


def test_plain_strips_the_html_meant_for_telegram() -> None:
    assert plain("<b>1. Snickeri &amp; Co</b> <i>(ek)</i> &lt;3") == "1. Snickeri & Co (ek) <3"
