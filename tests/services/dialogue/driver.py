"""A scripted designer for dialogue tests: sends events, presses buttons by their label."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime

from services.dialogue.contract import (
    Command,
    Dialogue,
    Event,
    Incoming,
    Location,
    Outcome,
    Person,
    Photo,
    Press,
    Text,
)
from services.dialogue.texts import Texts
from services.messages import MAX_BUTTON_DATA_BYTES, Button

FIXED_NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
_update_ids = itertools.count(1000)


def fixed_clock() -> datetime:
    return FIXED_NOW


class Designer:
    def __init__(
        self,
        dialogue: Dialogue,
        *,
        user_id: int = 4242,
        language_code: str | None = "sv",
        first_name: str = "Anna",
        update_ids: Callable[[], int] | None = None,
    ) -> None:
        self.dialogue = dialogue
        self.person = Person(user_id=user_id, language_code=language_code, first_name=first_name)
        self.last = Outcome()
        self._update_ids = update_ids or (lambda: next(_update_ids))

    @property
    def buttons(self) -> list[Button]:
        return [b for reply in self.last.replies for row in reply.buttons for b in row]

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.last.replies)

    async def send(self, event: Event, *, update_id: int | None = None) -> Outcome:
        incoming = Incoming(
            person=self.person,
            chat_id=self.person.user_id,
            event=event,
            update_id=self._update_ids() if update_id is None else update_id,
        )
        outcome = await self.dialogue.handle(incoming)
        for reply in outcome.replies:
            for row in reply.buttons:
                for button in row:
                    assert len(button.data.encode()) <= MAX_BUTTON_DATA_BYTES, button
        if not outcome.duplicate:
            self.last = outcome
        return outcome

    async def say(self, text: str) -> Outcome:
        return await self.send(Text(text))

    async def command(self, name: str) -> Outcome:
        return await self.send(Command(name))

    async def photo(self, file_id: str, caption: str = "") -> Outcome:
        return await self.send(Photo(file_id, caption))

    async def location(self, lat: float, lon: float) -> Outcome:
        return await self.send(Location(lat, lon))

    def button(self, label: str) -> Button:
        found = [b for b in self.buttons if label in b.label]
        assert found, f"no button {label!r} among {[b.label for b in self.buttons]}"
        return found[0]

    async def press(self, label: str) -> Outcome:
        return await self.send(Press(self.button(label).data))

    async def press_key(self, texts: Texts, key: str, **values: object) -> Outcome:
        return await self.press(texts(key, **values))


async def skip_deadline_and_budget(designer: Designer, texts: Texts) -> Outcome:
    """At the deadline question: skip it and the budget question (to the summary)."""
    assert (await designer.press_key(texts, "button.skip")).step == "budget"
    return await designer.press_key(texts, "button.skip")


async def journey_to_results(
    designer: Designer,
    texts: Texts,
    *,
    text: str = "stickade mössor i ull",
    place: str = "Borås",
    radius: str = "radius.100",
    deadline: str | None = None,
    budget: str | None = None,
) -> None:
    """From nothing to the result list, checking the step after each answer (the deadline
    and the budget are skipped unless given)."""
    assert (await designer.command("start")).step == "name"
    assert (await designer.say("Anna Svensson")).step == "company"
    assert (await designer.say("Studio Anna AB")).step == "contact"
    assert (await designer.say("anna@example.se, 070-174 06 05")).step == "org_number"
    assert (await designer.press_key(texts, "button.skip")).step == "consent"
    assert (await designer.press_key(texts, "button.accept")).step == "describe"
    assert (await designer.say(text)).step == "capabilities"
    assert (await designer.press_key(texts, "button.continue")).step == "volume"
    assert (await designer.press_key(texts, "volume.pilot")).step == "quantity"
    assert (await designer.say("200")).step == "location"
    assert (await designer.say(place)).step == "radius"
    assert (await designer.press_key(texts, radius)).step == "deadline"
    if deadline is None:
        assert (await designer.press_key(texts, "button.skip")).step == "budget"
    else:
        assert (await designer.say(deadline)).step == "budget"
    if budget is None:
        assert (await designer.press_key(texts, "button.skip")).step == "summary"
    else:
        assert (await designer.say(budget)).step == "summary"
    assert (await designer.press_key(texts, "button.search")).step == "results"


async def ask_introductions(designer: Designer, texts: Texts, count: int) -> Outcome:
    """Ask for the picked makers' introductions, past the nudge if it comes."""
    outcome = await designer.press(texts("button.ask", count=count))
    if outcome.step == "nudge":
        outcome = await designer.press(texts("button.send_anyway", count=count))
    return outcome
