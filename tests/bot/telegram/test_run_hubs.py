"""``spok-bot run`` and hubs: a broken HUBS_FILE stops the start; the runtime the bot starts
has the configured hubs synced and a hub desk with the configured admins."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.run import dialogue_starter
from bot.settings import Settings
from services.hubs.registry import SEED_HUBS
from services.runtime import Runtime
from storage.repositories.hubs import list_hubs


def test_a_broken_hubs_file_is_reported_before_the_bot_goes_online(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "hubs.toml"
    path.write_text('[[hubs]]\nslug = "norr"\nname = "SPOK Norr"\ncounties = ["25"]\n')
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("HUBS_FILE", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["run"]) == 2
    assert "exactly one hub must cover no county" in capsys.readouterr().err


def test_admin_ids_must_be_numeric(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_TELEGRAM_IDS", "12345, @ada")
    with pytest.raises(ValueError, match="not a numeric Telegram user id"):
        Settings(_env_file=None)  # type: ignore[call-arg]


async def test_the_bots_runtime_syncs_the_hubs_and_carries_the_hub_desk(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("HUBS_FILE", "TELEGRAM_BOT_USERNAME"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ADMIN_TELEGRAM_IDS", "11, 12")
    monkeypatch.setenv("INVITE_DAYS", "3")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    runtime = await dialogue_starter(database_url, settings)()
    try:
        assert isinstance(runtime, Runtime)
        desk = runtime.hub_desk
        assert desk is not None
        assert desk.admin_ids == {11, 12}
        assert desk.invite_lifetime.days == 3
        assert desk.bot_username is None  # asked from Telegram (getMe) when a link is made
        async with desk.sessions() as session:
            hubs = await list_hubs(session=session)
        assert {hub.slug for hub in hubs} == {spec.slug for spec in SEED_HUBS}
        assert (await desk.access(11)).is_admin
    finally:
        await runtime.close()
