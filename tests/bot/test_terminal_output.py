"""No escape sequence from a catalogue or the database reaches an operator's terminal through
``spok-bot makers import``, ``hubs list`` or ``match``: the reader drops control characters
from every cell (headers too), and the command line shows any left in the database as
``\\x1b`` instead of sending them."""

from __future__ import annotations

import asyncio
import codecs
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col

from bot.cli import main
from storage.engine import create_engine, session_factory
from storage.models import Hub, Maker

ESC = "\x1b"


@pytest.fixture
def cli_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    """Settings from the environment only (no developer ``.env``), on the test database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("HUBS_FILE", raising=False)
    return database_url


def _csv(tmp_path: Path, *rows: str) -> str:
    filler = [f"ok-{n};Verkstad {n};Borås;ek;" for n in range(20)]  # controls stay few
    path = tmp_path / "katalog.csv"
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join([*rows, *filler]).encode())
    return str(path)


def _by_hand(database_url: str, statement: object) -> None:
    """Write straight to the database, past every check (as data from before them would be)."""

    async def write() -> None:
        engine = create_engine(database_url)
        async with session_factory(engine)() as session:
            await session.exec(statement)  # type: ignore[call-overload]
            await session.commit()
        await engine.dispose()

    asyncio.run(write())


def test_an_imported_name_or_header_with_an_escape_prints_without_it(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(
        tmp_path,
        "id;namn;kommun;material;\x1b[8manteckning\x07",
        "esc-1;\x1b[2J\x1b[31mRöda Verkstan;Atlantisstad\x1b[0m;ek;",  # rejected: shown
    )

    assert main(["makers", "import", path]) == 3
    out = capsys.readouterr().out

    assert ESC not in out and "\x07" not in out
    assert "Ignored columns: [8manteckning" in out
    assert "Atlantisstad[0m" in out  # the rejected cell, quoted without its escape


def test_a_file_without_a_header_quotes_its_first_row_without_escapes(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path, "\x1b[2J\x1b[1mHej;\x9b31mdå")

    assert main(["makers", "import", path]) == 2
    err = capsys.readouterr().err

    assert "[2J[1mHej" in err and ESC not in err and "\x9b" not in err


def test_hubs_list_and_match_show_an_escape_in_the_database_instead_of_sending_it(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "seed"]) == 0
    assert main(["hubs", "sync"]) == 0
    _by_hand(cli_database, update(Hub).where(col(Hub.slug) == "skane").values(name="Skåne\x1b[2J"))
    _by_hand(cli_database, update(Maker).values(name=Maker.name + "\x1b]0;x\x07"))
    capsys.readouterr()

    assert main(["hubs", "list"]) == 0
    listed = capsys.readouterr().out
    assert main(["match", "--text", "stickade mössor", "--location", "Borås"]) == 0
    matched = capsys.readouterr().out

    assert "skane: Skåne\\x1b[2J — Skåne län" in listed and ESC not in listed
    assert "\\x1b]0;x\\x07" in matched and ESC not in matched and "\x07" not in matched
