"""The one place that reads configuration (environment variables and ``.env``).

Everything else receives a :class:`Settings` instance; nothing reads ``os.environ`` at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    log_level: str = "INFO"

    def resolved_database_url(self) -> str:
        """The database to use: ``DATABASE_URL`` or the embedded SQLite file in ``DATA_DIR``."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'spok.db').resolve()}"


def load_settings() -> Settings:
    return Settings()
