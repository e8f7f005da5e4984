"""What a transport hands the dialogue, and what it gets back.

A transport (Telegram handlers, the terminal chat, a test) turns whatever arrived into one
:class:`Incoming` and renders the :class:`Outcome` it gets back. It decides nothing itself: all
state lives in the database behind :meth:`Dialogue.handle`, so a restart or a second process
continues exactly where the conversation was.

Button data is opaque (a short token, at most 64 bytes as Telegram requires) and only means
something to the conversation of the person who was shown the button; a token from an earlier
step, or from someone else's message, changes nothing and gets a kind ``notice``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from services.messages import Reply

# -- what arrives ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Command:
    name: str  # without the slash: "start", "new", "myrequests", "cancel", "help", …
    argument: str = ""  # the rest of the line ("/start <payload>")


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Photo:
    file_id: str  # Telegram's file reference; the picture itself is never downloaded
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Location:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Press:
    data: str  # the button's opaque data


@dataclass(frozen=True, slots=True)
class Unsupported:
    kind: str  # "sticker", "voice", "document", "video", "contact", "poll", …


Event = Command | Text | Photo | Location | Press | Unsupported


@dataclass(frozen=True, slots=True)
class Person:
    """Who wrote: Telegram's numeric user id (the terminal uses a fixed local id)."""

    user_id: int
    language_code: str | None = None  # Telegram's IETF tag ("sv", "en-GB"), if any
    first_name: str = ""


@dataclass(frozen=True, slots=True)
class Incoming:
    person: Person
    chat_id: int
    event: Event
    # The transport's id for this delivery (Telegram's update_id); the same id twice has no
    # second effect. None for transports that never redeliver (the terminal).
    update_id: int | None = None
    source: str = "telegram"  # keeps update ids of different transports apart


# -- what goes back --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    replies: tuple[Reply, ...] = ()
    # For a button press: the short answer Telegram shows on the button (a toast), if any.
    notice: str | None = None
    duplicate: bool = False  # this update_id was handled before; nothing was done
    step: str = ""  # the conversation's step after handling (for tests and logs)
    language: str = ""  # the conversation's language after handling ("sv", "en")
    # Work that needs the caller's commit first (scrubbing an erasure from the database's
    # files), when the caller's session was used; None otherwise.
    after_commit: Callable[[], Awaitable[object]] | None = None


class Dialogue(Protocol):
    async def handle(
        self, incoming: Incoming, *, session: AsyncSession | None = None
    ) -> Outcome: ...


__all__ = [
    "Command",
    "Dialogue",
    "Event",
    "Incoming",
    "Location",
    "Outcome",
    "Person",
    "Photo",
    "Press",
    "Text",
    "Unsupported",
]
