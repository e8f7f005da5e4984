"""A scripted designer: the updates a person sends through one whole request, in Swedish or
English, and a player that presses the buttons the bot actually showed.

The benchmark walks many of them at once; the flow and end-to-end tests walk one and check each
answer. Moves name what the person does and which catalogue text the answer must contain, never
button data (that is opaque and changes every step).
"""

from __future__ import annotations

import itertools
import string
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.dialogue.texts import Texts, catalogue

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


class SimulatedPerson:
    """Builds the Update JSON Telegram would deliver for one person in a private chat."""

    def __init__(self, user_id: int, *, language_code: str | None, first_name: str) -> None:
        self.user_id = user_id
        self.language_code = language_code
        self.first_name = first_name

    def sender(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    def message(self, **content: Any) -> dict[str, Any]:
        message = {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": self.chat(),
            "from": self.sender(),
            **content,
        }
        return {"update_id": next(_update_ids), "message": message}

    def text(self, text: str) -> dict[str, Any]:
        return self.message(text=text)

    def command(self, name: str, argument: str = "") -> dict[str, Any]:
        text = f"/{name} {argument}".rstrip()
        entity = {"type": "bot_command", "offset": 0, "length": len(name) + 1}
        return self.message(text=text, entities=[entity])

    def location(self, lat: float, lon: float) -> dict[str, Any]:
        return self.message(location={"latitude": lat, "longitude": lon})

    def press(self, data: str, on_message: dict[str, Any]) -> dict[str, Any]:
        """Press the button with ``data`` under ``on_message`` (a message the bot sent)."""
        query = {
            "id": f"{self.user_id}-{next(_update_ids)}",
            "from": self.sender(),
            "chat_instance": f"chat-{self.user_id}",
            "message": on_message,
            "data": data,
        }
        return {"update_id": next(_update_ids), "callback_query": query}


@dataclass(frozen=True)
class Sent:
    """One message the bot sent to the person (as the Bot API call's parameters had it)."""

    text: str
    markup: dict[str, Any] | None = None

    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    def as_message(self, chat: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": chat,
            "text": self.text,
        }
        if self.markup and "inline_keyboard" in self.markup:
            message["reply_markup"] = self.markup
        return message


@dataclass(frozen=True)
class Move:
    """One thing the person does, and the catalogue text the bot's answer must contain."""

    kind: str  # "command", "text", "location", "tap" (button label from the catalogue key in
    # ``value``), "tap_prefix" (the first button whose label starts with ``value``)
    value: str
    expect: str  # catalogue key
    values: dict[str, object] = field(default_factory=dict)  # placeholders of the tap label
    expect_values: dict[str, object] | None = None  # placeholders of the expected text
    point: tuple[float, float] = (0.0, 0.0)


def designer_journey(language: str) -> list[Move]:
    """From /start to asking for introductions to two makers: knitted wool hats near Borås,
    wanted by March on a budget, sent past the nudge (no drawing)."""
    sv = language == "sv"
    return [
        Move("command", "start", "name.prompt"),
        Move("text", "Alva Ek", "company.prompt"),
        Move("text", "Ek & Ull <Design> AB", "contact.prompt"),
        Move("text", "alva@example.se 070-123 45 67", "org_number.prompt"),
        Move("tap", "button.skip", "button.accept"),
        Move("tap", "button.accept", "describe.prompt"),
        Move("text", "stickade mössor i ull" if sv else "knitted wool hats", "button.continue"),
        Move("tap", "button.continue", "volume.pilot"),
        Move("tap", "volume.pilot", "quantity.prompt"),
        Move("text", "50", "location.prompt"),
        Move("location", "Borås", "radius.100", point=(57.721, 12.940)),
        Move("tap", "radius.100", "deadline.prompt"),
        Move("text", "till mars" if sv else "by March", "budget.prompt"),
        Move("text", "10-20 tkr", "button.search"),
        Move("tap", "button.search", "results.pick_hint"),
        Move("tap_prefix", "☐ 1.", "button.ask", expect_values={"count": 1}),
        Move("tap_prefix", "☐ 2.", "button.ask", expect_values={"count": 2}),
        Move(
            "tap",
            "button.ask",
            "button.send_anyway",
            values={"count": 2},
            expect_values={"count": 2},
        ),
        Move("tap", "button.send_anyway", "introductions.sent", values={"count": 2}),
    ]


def marker(texts: Texts, key: str, values: dict[str, object] | None = None) -> str:
    """Text that the message ``key`` shows whatever its placeholders hold: the message itself
    when ``values`` fill it, else its longest literal stretch."""
    messages = catalogue(texts.language)
    raw = messages.get(key) or messages[f"{key}.other"]  # a message with plural forms
    if values is not None or not _placeholders(raw):
        return str(texts(key, **(values or {})))
    chunks = [literal for literal, *_ in string.Formatter().parse(raw)]
    return max(chunks, key=len).strip()


def _placeholders(raw: str) -> bool:
    return any(name for _, name, _, _ in string.Formatter().parse(raw))


def answer_shows(answer: Sequence[Sent], wanted: str) -> bool:
    return any(
        wanted in sent.text or any(b["text"] == wanted for b in sent.buttons()) for sent in answer
    )


class JourneyError(AssertionError):
    pass


# Delivers one update and returns what the bot sent to that chat in answer; ``expect`` tells a
# transport that cannot see when handling ends (the end-to-end tests) what to wait for.
Deliver = Callable[[dict[str, Any], str], Awaitable[list[Sent]]]


async def play(
    person: SimulatedPerson,
    moves: Sequence[Move],
    deliver: Deliver,
    *,
    language: str,
) -> list[list[Sent]]:
    """Walk ``moves``; raises :class:`JourneyError` when an answer lacks what was expected."""
    texts = Texts(language)
    answers: list[list[Sent]] = []
    last: list[Sent] = []
    for number, move in enumerate(moves, start=1):
        update = update_for(person, move, texts, last)
        wanted = marker(texts, move.expect, move.expect_values)
        answer = await deliver(update, wanted)
        if not answer_shows(answer, wanted):
            shown = [sent.text[:80] for sent in answer]
            raise JourneyError(
                f"move {number} ({move.kind} {move.value}): no {wanted!r} in {shown}"
            )
        answers.append(answer)
        last = answer
    return answers


def update_for(
    person: SimulatedPerson, move: Move, texts: Texts, last: Sequence[Sent]
) -> dict[str, Any]:
    """The update the person sends for ``move``, pressing a button of ``last`` (the bot's
    previous answer) where the move is a tap."""
    if move.kind == "command":
        return person.command(move.value)
    if move.kind == "text":
        return person.text(move.value)
    if move.kind == "location":
        return person.location(*move.point)
    if move.kind == "tap":
        label = str(texts(move.value, **move.values))
        return _press(person, last, lambda text: text == label, label)
    if move.kind == "tap_prefix":
        return _press(person, last, lambda text: text.startswith(move.value), move.value)
    raise ValueError(move.kind)


def _press(
    person: SimulatedPerson, last: Sequence[Sent], fits: Callable[[str], bool], what: str
) -> dict[str, Any]:
    for sent in reversed(last):
        for button in sent.buttons():
            if fits(button["text"]):
                return person.press(button["callback_data"], sent.as_message(person.chat()))
    raise JourneyError(f"no button {what!r} in the bot's last answer")
