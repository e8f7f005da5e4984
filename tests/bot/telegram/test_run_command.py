"""``spok-bot run``: without a token the terminal conversation; with one, settings are checked
before the bot goes online."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.telegram.app import api_address
from services.dialogue.texts import Texts


@pytest.fixture
def fresh_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for key in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path


@pytest.mark.parametrize("language", ["sv", "en"])
def test_without_a_token_run_opens_the_terminal_chat_on_the_demo_catalogue(
    fresh_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("/quit\n"))
    assert main(["run", "--language", language]) == 0
    out = capsys.readouterr().out
    assert Texts(language)("name.prompt") in out  # the designer conversation began
    assert (fresh_dir / "data" / "spok.db").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "--webhook needs TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "1:x"}, "--webhook needs WEBHOOK_URL"),
        ({"TELEGRAM_BOT_TOKEN": "1:x", "WEBHOOK_URL": "https://b.example/h"}, "WEBHOOK_SECRET"),
        (
            {
                "TELEGRAM_BOT_TOKEN": "1:x",
                "WEBHOOK_URL": "https://b.example/h",
                "WEBHOOK_SECRET": "has spaces!",
            },
            "WEBHOOK_SECRET must be",
        ),
    ],
)
def test_webhook_settings_are_checked_first(
    fresh_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    message: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["run", "--webhook"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "has spaces" not in err


def test_unusable_database_is_reported_before_going_online(
    fresh_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("DATABASE_URL", "mysql://nobody@127.0.0.1/none")
    assert main(["run"]) == 1
    assert "cannot open the database" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("configured", "base", "files"),
    [
        (None, "https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        (
            "http://127.0.0.1:8081/bot",
            "http://127.0.0.1:8081/bot",
            "http://127.0.0.1:8081/file/bot",
        ),
        ("http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
    ],
)
def test_self_hosted_bot_api_address(configured: str | None, base: str, files: str) -> None:
    address = api_address(configured)
    assert (address.base_url, address.base_file_url) == (base, files)
