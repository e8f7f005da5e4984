"""``spok-bot hubs list|sync`` through the real command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture
def cli_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    """Settings from the environment only (no developer ``.env``), on the test database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("HUBS_FILE", raising=False)
    return database_url


def test_sync_creates_the_built_in_hubs_and_list_shows_them(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["hubs", "list"]) == 0
    assert "No hubs yet" in capsys.readouterr().out

    assert main(["hubs", "sync"]) == 0
    assert main(["hubs", "sync"]) == 0  # idempotent
    capsys.readouterr()
    assert main(["hubs", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    assert "skane: SPOK Skåne — Skåne län; no chat bound; 0 coordinators" in lines
    assert any(line.startswith("sverige: SPOK Sverige — all of Sweden") for line in lines)


@pytest.mark.parametrize("start", [["run"], ["chat"]])
def test_hubs_exist_after_the_first_start_in_the_terminal(
    cli_database: str,
    start: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # the chat opens and ends at once
    assert main(start) == 0
    capsys.readouterr()
    assert main(["hubs", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6 and any(
        line.startswith("vastra-gotaland: SPOK Västra Götaland") for line in lines
    )


def test_sync_uses_hubs_file_and_refuses_an_unusable_one(
    cli_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "hubs.toml"
    path.write_text('[[hubs]]\nslug = "norr"\nname = "SPOK Norr"\ncounties = ["99"]\n')
    monkeypatch.setenv("HUBS_FILE", str(path))
    assert main(["hubs", "sync"]) == 2
    assert "unknown county code '99'" in capsys.readouterr().err

    path.write_text(
        '[[hubs]]\nslug = "norr"\nname = "SPOK Norr"\ncounties = ["25"]\n'
        '[[hubs]]\nslug = "hela"\nname = "SPOK Hela Sverige"\n'
    )
    assert main(["hubs", "sync"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "hela: SPOK Hela Sverige — all of Sweden (national fallback); no chat bound; "
        "0 coordinators",
        "norr: SPOK Norr — Norrbottens län; no chat bound; 0 coordinators",
    ]
