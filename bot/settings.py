"""The one place that reads configuration (environment variables and ``.env``).

Everything else receives a :class:`Settings` instance; nothing reads ``os.environ`` at import time.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from services.followups import FollowUpPolicy
    from services.hubs.registry import HubSpec

# Every command reads the settings, so this module stays light: what a setting turns into
# (the follow-up policy, the hubs) is imported when it is asked for, not on ``spok-bot --help``.


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; empty means SQLite in DATA_DIR.",
    )
    data_dir: Path = Field(default=Path("data"), description="Where the embedded SQLite lives.")
    telegram_bot_token: str | None = Field(default=None, repr=False)
    telegram_api_base_url: str | None = Field(
        default=None,
        description="A self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot.",
    )
    webhook_url: str | None = Field(
        default=None, description="Public HTTPS URL Telegram posts updates to (run --webhook)."
    )
    webhook_listen: str = Field(default="127.0.0.1", description="Address the webhook binds.")
    webhook_port: int = Field(default=8443, description="Port the webhook listens on.")
    webhook_secret: str | None = Field(
        default=None,
        repr=False,
        description="Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (run --webhook).",
    )
    telegram_bot_username: str | None = Field(
        default=None,
        description="The bot's @username for invite links; empty: asked from Telegram at start.",
    )
    admin_telegram_ids: str = Field(
        default="",
        description="Numeric Telegram user ids of admins (all hubs), comma-separated.",
    )
    hubs_file: Path | None = Field(
        default=None, description="A TOML list of hubs replacing the built-in SPOK hubs."
    )
    invite_days: int = Field(default=7, ge=1, le=365, description="How long an invite link works.")
    checkin_days: str = Field(
        default="7,30,90",
        description="Days after an introduction for the contact, prototype and order check-ins.",
    )
    freshness_weeks: int = Field(
        default=8, ge=1, le=104, description="Weeks between makers' 'still taking requests?'."
    )
    freshness_answer_days: int = Field(
        default=14, ge=1, le=90, description="Days to answer that before the listing is stale."
    )
    checkin_hours: str = Field(
        default="09:00-17:00",
        description="Stockholm hours on Swedish working days for check-ins; 'always' lifts it.",
    )
    followup_interval_seconds: float = Field(
        default=60.0, gt=0, le=3600, description="How often the follow-up dispatcher runs."
    )
    outbox_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        le=3600,
        description="How long a claimed message belongs to its sender before another may send it.",
    )
    reciprocal_ranking: bool = Field(
        default=True,
        description="Order equally able makers by how likely they are to say yes, and brief "
        "nobody beyond their weekly cap; false: the capability ranking alone.",
    )
    weekly_brief_cap: int = Field(
        default=3,
        ge=1,
        le=1000,
        description="Briefs a maker gets in any 7 days unless its hub set another (/maker).",
    )
    log_level: str = "INFO"

    @field_validator("checkin_days")
    @classmethod
    def _three_increasing_days(cls, value: str) -> str:
        _checkin_days(value)
        return value

    @field_validator("checkin_hours")
    @classmethod
    def _working_hours(cls, value: str) -> str:
        from services.followups.courtesy import WorkingHours

        WorkingHours.parse(value)
        return value

    @field_validator("admin_telegram_ids")
    @classmethod
    def _numeric_admin_ids(cls, value: str) -> str:
        parse_admin_ids(value)  # a name or @username would silently grant nothing
        return value

    def admin_ids(self) -> frozenset[int]:
        return parse_admin_ids(self.admin_telegram_ids)

    def invite_lifetime(self) -> timedelta:
        return timedelta(days=self.invite_days)

    def hubs(self) -> tuple[HubSpec, ...]:
        """The configured hubs: ``HUBS_FILE`` if set (``HubConfigError`` if unusable), else the
        built-in SPOK hubs."""
        from services.hubs.registry import SEED_HUBS, load_hubs_file

        if self.hubs_file is not None:
            return load_hubs_file(self.hubs_file)
        return SEED_HUBS

    def followup_policy(self) -> FollowUpPolicy:
        from services.followups import FollowUpPolicy, WorkingHours

        return FollowUpPolicy(
            checkin_days=_checkin_days(self.checkin_days),
            freshness_weeks=self.freshness_weeks,
            freshness_answer_days=self.freshness_answer_days,
            hours=WorkingHours.parse(self.checkin_hours),
        )

    def outbox_lease(self) -> timedelta:
        return timedelta(seconds=self.outbox_lease_seconds)

    def resolved_database_url(self) -> str:
        """The database to use: ``DATABASE_URL`` or the embedded SQLite file in ``DATA_DIR``."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'spok.db').resolve()}"


def _checkin_days(text: str) -> tuple[int, int, int]:
    """``"7,30,90"`` → ``(7, 30, 90)``; three increasing positive whole days."""
    try:
        days = tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise ValueError(
            f"CHECKIN_DAYS must be three whole day counts like 7,30,90: {text!r}"
        ) from None
    if len(days) != 3 or days[0] <= 0 or not days[0] < days[1] < days[2]:
        raise ValueError(f"CHECKIN_DAYS must be three increasing day counts like 7,30,90: {text!r}")
    return days[0], days[1], days[2]


def parse_admin_ids(text: str | None) -> frozenset[int]:
    """``ADMIN_TELEGRAM_IDS``: numeric Telegram user ids, comma-separated (spaces allowed).

    >>> sorted(parse_admin_ids(" 42, 7 ,"))
    [7, 42]
    >>> parse_admin_ids("@alva")
    Traceback (most recent call last):
    ...
    ValueError: ADMIN_TELEGRAM_IDS: '@alva' is not a numeric Telegram user id
    """
    ids = set()
    for part in (text or "").split(","):
        item = part.strip()
        if not item:
            continue
        if not item.lstrip("-").isdigit():
            raise ValueError(f"ADMIN_TELEGRAM_IDS: {item!r} is not a numeric Telegram user id")
        ids.add(int(item))
    return frozenset(ids)


def load_settings() -> Settings:
    return Settings()
