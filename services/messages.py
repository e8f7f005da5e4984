"""The vocabulary every feature speaks: what to send (:class:`Reply`, :class:`Button`), how to
split it for Telegram (:func:`split_text`) and the one text mechanism (:class:`Texts`).

User-facing text lives in TOML catalogues, ``services/data/<name>.<language>.toml``, read with
the standard library's ``tomllib``: flat dotted keys, ``{placeholder}`` values, comments for
translators, no compile step and nothing to install. A message that shows a count has plural
forms, chosen by its ``count`` value (see :func:`plural_form`)::

    [myrequests.introductions]
    one = "{count} presentation"
    other = "{count} presentationer"
 Values are HTML for Telegram's parse mode;
every placeholder value is escaped with :func:`html.escape` unless it is :class:`Html` (text
already rendered). Each feature's texts are a subclass of :class:`Texts` naming its catalogue.
"""

from __future__ import annotations

import html
import string
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import ClassVar

MAX_BUTTON_DATA_BYTES = 64
MAX_MESSAGE_CHARS = 4096  # Telegram's limit; transports split longer text (see split_text)

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str  # opaque, <= MAX_BUTTON_DATA_BYTES bytes
    # A stable short choice a text transport offers for this button instead of a running
    # number (a maker's number in the results: 7 is maker 7 on every page).
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A file sent with a reply (``Reply.text`` is its caption): the terminal writes it to
    disk, Telegram sends it as a document."""

    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to send. ``text`` is HTML for Telegram's parse mode: user text in it is
    already escaped; the terminal strips the few tags used (<b>, <i>)."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()  # inline keyboard rows
    ask_location: bool = False  # offer a "share location" reply keyboard
    remove_keyboard: bool = False  # take a previous reply keyboard away
    photo_file_id: str | None = None  # send this photo with ``text`` as its caption
    document: Document | None = None  # send this file with ``text`` as its caption
    # Send a file already on Telegram (a designer's attachment) by its id, ``text`` as caption.
    document_file_id: str | None = None


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split a long message at line breaks (or spaces) so no part exceeds ``limit`` characters.

    >>> [len(p) for p in split_text("a" * 5000, 4096)]
    [4096, 904]
    >>> split_text("kort")
    ['kort']
    """
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut])
        rest = rest[cut:].lstrip("\n ") if cut < limit else rest[cut:]
    parts.append(rest)
    return [p for p in parts if p] or [""]


class Html(str):
    """Markup that is already safe for Telegram's HTML parse mode: inserted as it is."""

    __slots__ = ()


def language_for(code: str | None) -> str:
    """Telegram's IETF tag to a catalogue: ``"sv"``, ``"sv-SE"`` → sv; anything else → en."""
    if code and code.strip().lower().startswith("sv"):
        return "sv"
    return "en"


def placeholders(message: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(message) if field}


@cache
def load_catalogue(name: str, language: str) -> dict[str, str]:
    """``services/data/<name>.<language>.toml``, flattened to dotted keys (``KeyError`` for an
    unknown language)."""
    if language not in LANGUAGES:
        raise KeyError(language)
    path = files("services") / "data" / f"{name}.{language}.toml"
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


PLURAL_FORMS = ("one", "other")


def plural_form(language: str, count: int) -> str:
    """The CLDR plural category of ``count`` in ``language``: Swedish and English both say
    "1 presentation / 2 presentationer", "1 row / 0 rows", so ``one`` is exactly 1.

    >>> [plural_form("sv", n) for n in (0, 1, 2)]
    ['other', 'one', 'other']
    """
    return "one" if count == 1 else "other"


def render(template: str, values: dict[str, object]) -> Html:
    """``template`` filled in, each value HTML-escaped unless it is :class:`Html` already."""
    safe = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in values.items()
    }
    return Html(template.format_map(safe))


class Texts:
    """The messages of one catalogue in one language: ``texts("results.km", km=12)``.

    Subclasses name their catalogue (``CATALOGUE``); an unknown language reads Swedish.
    """

    CATALOGUE: ClassVar[str] = "dialogue"

    def __init__(self, language: str | None) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._messages = load_catalogue(self.CATALOGUE, self.language)

    def __call__(self, key: str, **values: object) -> Html:
        return render(self._template(key, values), values)

    def plain(self, key: str, **values: object) -> str:
        """The message unescaped (for charts, spreadsheets and other non-HTML output)."""
        return self._template(key, values).format_map(values)

    def has(self, key: str) -> bool:
        return key in self._messages or f"{key}.other" in self._messages

    def _template(self, key: str, values: dict[str, object]) -> str:
        """``key``'s message; for a message with plural forms, the one its ``count`` takes."""
        message = self._messages.get(key)
        if message is not None:
            return message
        if f"{key}.other" not in self._messages:
            raise KeyError(key)
        count = values.get("count")
        if not isinstance(count, int):
            raise TypeError(f"{key!r} has plural forms: give it an integer count=")
        return (
            self._messages.get(f"{key}.{plural_form(self.language, count)}")
            or (self._messages[f"{key}.other"])
        )
