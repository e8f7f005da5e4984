"""``spok-bot demo seed``: the bundled catalogue through the ordinary importer, idempotently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli import main
from services.demo import demo_catalogue, seed_demo
from storage.repositories.makers import count_makers

MIN_DEMO_MAKERS = 60


def test_the_demo_catalogue_has_every_column() -> None:
    table = demo_catalogue()

    assert len(table.rows) >= MIN_DEMO_MAKERS
    assert table.ignored_headers == ()
    assert len(table.columns) == 17  # the fuller listing too, without equipment


async def test_seed_imports_every_demo_maker_and_is_idempotent(session: AsyncSession) -> None:
    first = await seed_demo(session=session)

    assert first.rejected == (), first.to_text()
    assert first.counts()["created"] >= MIN_DEMO_MAKERS
    assert await count_makers(session=session) == first.counts()["created"]

    second = await seed_demo(session=session)
    assert second.counts()["unchanged"] == first.counts()["created"]
    assert second.counts()["created"] == second.counts()["updated"] == 0


def test_demo_seed_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}")

    assert main(["demo", "seed"]) == 0
    assert "0 rejected" in capsys.readouterr().out
    assert main(["demo", "seed", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts["unchanged"] == counts["rows"] >= MIN_DEMO_MAKERS
