"""Configuration: every setting is documented in .env.example, bad values are named."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings, parse_admin_ids

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_env_example() -> None:
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert {name.upper() for name in Settings.model_fields} <= documented


def test_follow_up_settings_build_the_policy() -> None:
    settings = Settings(
        _env_file=None,
        checkin_days="5, 20, 60",
        checkin_hours="08:30-16:00",
        freshness_weeks=6,
        outbox_lease_seconds=30,
    )
    policy = settings.followup_policy()
    assert policy.checkin_days == (5, 20, 60)
    assert (policy.hours.start, policy.hours.end) == (time(8, 30), time(16, 0))
    assert policy.freshness_weeks == 6
    assert settings.outbox_lease() == timedelta(seconds=30)
    assert Settings(_env_file=None, checkin_hours="always").followup_policy().hours.always


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("CHECKIN_DAYS", "30,7", "three increasing day counts"),
        ("CHECKIN_DAYS", "a week", "three whole day counts"),
        ("CHECKIN_HOURS", "17-9", "start before they end"),
        ("FRESHNESS_WEEKS", "0", "greater than or equal to 1"),
    ],
)
def test_a_bad_setting_is_named_and_nothing_runs(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    value: str,
    said: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the working copy
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert main(["db", "current"]) == 2
    err = capsys.readouterr().err
    assert f"spok-bot: configuration: {name}: " in err and said in err
    assert "Traceback" not in err
    assert not (tmp_path / "spok.db").exists()


def test_admin_ids_are_numeric_ids_only() -> None:
    assert parse_admin_ids("") == frozenset()
    assert parse_admin_ids(None) == frozenset()
    assert parse_admin_ids("12345678, 87654321") == {12345678, 87654321}
    with pytest.raises(ValueError, match="not a numeric Telegram user id"):
        parse_admin_ids("12345678,@alva")
