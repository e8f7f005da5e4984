"""``spok-bot db upgrade`` / ``db current``, through the real argument parser."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import pytest

from bot.commands import db
from bot.settings import load_settings
from storage.migrate import current_revision, head_revision


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """Settings from the environment only: no developer ``.env`` from the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def run_db(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="spok-bot")
    db.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["db", *argv])
    code: int = args.handler(args, load_settings())
    return code


def test_db_upgrade_migrates_database_url(
    environment: pytest.MonkeyPatch, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("DATABASE_URL", database_url)

    assert run_db("upgrade") == 0
    assert f"revision {head_revision()} (head)" in capsys.readouterr().out
    assert asyncio.run(current_revision(database_url)) == head_revision()

    assert run_db("upgrade") == 0  # again: nothing to do, same answer
    assert f"revision {head_revision()} (head)" in capsys.readouterr().out


def test_db_upgrade_defaults_to_sqlite_in_data_dir(
    environment: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_db("current") == 0
    assert "no schema yet" in capsys.readouterr().out

    assert run_db("upgrade") == 0
    assert (tmp_path / "data" / "spok.db").is_file()

    assert run_db("current") == 0
    assert f"revision {head_revision()} (head)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://bot:s3cret@127.0.0.1:1/spok", "Connect call failed"),
        ("mysql://bot@localhost/spok", "unsupported database URL scheme"),
    ],
)
def test_db_upgrade_reports_an_unusable_database_without_a_traceback(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, reason: str
) -> None:
    environment.setenv("DATABASE_URL", url)

    assert run_db("upgrade") == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("spok-bot db: error: cannot upgrade the database at ")
    assert reason in captured.err
    assert "Traceback" not in captured.err
    assert "s3cret" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_spok_bot_db_upgrade_through_the_cli(
    environment: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = pytest.importorskip(
        "bot.cli", reason="bot.cli imports command modules not written yet", exc_type=ImportError
    )
    environment.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")

    assert cli.main(["db", "upgrade"]) == 0
    assert f"revision {head_revision()} (head)" in capsys.readouterr().out
