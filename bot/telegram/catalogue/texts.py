"""What the coordinators' catalogue desk says (uploads, /export, /maker, /stale, /outreach), in
Swedish and English: the ``desk`` section of ``services/data/catalogue.{sv,en}.toml``.

Values are Telegram HTML; every placeholder value is escaped (names come from spreadsheets and
from coordinators' typing) unless it is already rendered HTML (:func:`desk_html`).
"""

from __future__ import annotations

from bot.telegram.transport.texts import language_for
from services.catalogue.messages import CatalogueTexts
from services.messages import Html


def desk_text(key: str, language_code: str | None, **values: object) -> str:
    """The message ``key`` in the person's language, placeholders HTML-escaped."""
    return str(CatalogueTexts(language_for(language_code))(f"desk.{key}", **values))


def desk_html(key: str, language_code: str | None, **values: str) -> str:
    """Like :func:`desk_text`, for values that are already HTML (rendered problems)."""
    texts = CatalogueTexts(language_for(language_code))
    return str(texts(f"desk.{key}", **{name: Html(value) for name, value in values.items()}))
