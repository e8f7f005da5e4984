"""The designer dialogue in a terminal: the same replies as on Telegram, as plain lines.

Buttons become numbered choices (typing the number presses the button; in the results the
makers keep their own numbers and the other choices are lettered), "share location"
becomes "type a place", a file the bot sends (the /privacy export) is written to the current
folder, and the HTML meant for Telegram is stripped. Lines are read from
stdin, so a script can drive a whole request; the end of input ends the chat kindly. The
conversation lives in the database like a Telegram one, under a fixed local person id, so
the next ``spok-bot chat`` continues where this one stopped.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.commands._runtime import EXIT_FAILURE, EXIT_OK, EXIT_UNUSABLE, fail
from bot.settings import Settings
from services.dialogue.contract import (
    Command,
    Dialogue,
    Event,
    Incoming,
    Outcome,
    Person,
    Press,
    Text,
)
from services.dialogue.texts import Texts
from services.hubs.registry import HubConfigError, HubSpec
from services.messages import Button
from services.runtime import start_runtime
from storage.engine import UnsupportedDatabaseURL, display_url

TERMINAL_USER_ID = -1  # Telegram's user ids are positive: this one can never clash
TERMINAL_SOURCE = "terminal"
QUIT_COMMANDS = frozenset({"quit", "exit", "sluta", "avsluta"})
_TAGS = re.compile(r"</?(?:b|i|s|u|code|pre)>")

ReadLine = Callable[[], str]  # like input(): a line, EOFError at the end
Write = Callable[[str], None]


def plain(text: str) -> str:
    """Telegram HTML as terminal text: the few tags dropped, entities unescaped."""
    return html.unescape(_TAGS.sub("", text))


class TerminalChat:
    def __init__(
        self,
        dialogue: Dialogue,
        *,
        read: ReadLine,
        write: Write,
        language: str = "sv",
        files: Path | None = None,
    ) -> None:
        self._dialogue = dialogue
        self._files = files or Path.cwd()  # where files the bot sends (/privacy's export) go
        self._read = read
        self._write = write
        self._texts = Texts(language)
        self._person = Person(user_id=TERMINAL_USER_ID, language_code=language)
        self._choices: dict[str, Button] = {}  # what to type → the button it presses

    async def run(self) -> None:
        await self._send(Command("start"))
        while True:
            try:
                line = await asyncio.to_thread(self._read)
            except (EOFError, KeyboardInterrupt):
                break
            line = line.strip()
            if not line:
                continue
            event = self._event(line)
            if event is None:
                break
            await self._send(event)
        self._write(plain(self._texts("terminal.bye")))

    def _event(self, line: str) -> Event | None:
        if line.startswith("/"):
            name, _, argument = line[1:].partition(" ")
            if name.lower() in QUIT_COMMANDS:
                return None
            return Command(name.lower(), argument.strip())
        button = self._choices.get(line.casefold())
        if button is not None:
            return Press(button.data)
        return Text(line)

    async def _send(self, event: Event) -> None:
        outcome = await self._dialogue.handle(
            Incoming(
                person=self._person,
                chat_id=TERMINAL_USER_ID,
                event=event,
                source=TERMINAL_SOURCE,
            )
        )
        self._render(outcome)

    def _render(self, outcome: Outcome) -> None:
        if outcome.language:  # /language changes the terminal's own hints too
            self._texts = Texts(outcome.language)
        if outcome.notice:
            self._write(f"({plain(outcome.notice)})")
        screen = [b for reply in outcome.replies for row in reply.buttons for b in row]
        choices = _choice_keys(screen)
        self._choices = dict(zip(choices, screen, strict=True))
        shown = iter(choices)
        for reply in outcome.replies:
            text = plain(reply.text)
            if reply.photo_file_id:
                text = f"{plain(self._texts('terminal.photo'))} {text}"
            self._write(text)
            if reply.document is not None:
                self._files.mkdir(parents=True, exist_ok=True)
                path = self._files / reply.document.filename
                path.write_bytes(reply.document.data)
                self._write(plain(self._texts("terminal.saved", path=str(path))))
            for row in reply.buttons:
                for button in row:
                    self._write(f"  {next(shown)}) {plain(button.label)}")
            if reply.ask_location:
                self._write(plain(self._texts("terminal.location")))


def _choice_keys(buttons: list[Button]) -> list[str]:
    """What to type for each button: 1, 2, 3 …; where some buttons have a stable key of their
    own (the makers' numbers in the results: 7 is maker 7 on every page) those keep it and the
    others are lettered a, b, c …, so a number never means anything but that maker.

    >>> _choice_keys([Button("Ja", "x"), Button("Nej", "y")])
    ['1', '2']
    >>> _choice_keys([Button("6. Ek", "x", "6"), Button("Visa fler", "y"), Button("Sök", "z")])
    ['6', 'a', 'b']
    """
    if not any(button.key for button in buttons):
        return [str(number) for number in range(1, len(buttons) + 1)]
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    return [button.key or next(letters) for button in buttons]


def run_terminal_chat(
    settings: Settings,
    *,
    language: str | None = None,
    seed_demo_if_empty: bool = True,
    read: ReadLine = input,
    write: Write = print,
    files: Path | None = None,
) -> int:
    """Chat with the designer dialogue on the configured database; the exit status.

    With ``seed_demo_if_empty`` an empty catalogue is first filled with the fictional demo
    makers, so a newcomer sees real-looking results at once.
    """
    try:
        hubs = settings.hubs()
    except HubConfigError as error:
        fail("chat", str(error))
        return EXIT_UNUSABLE
    return asyncio.run(
        _chat(
            settings.resolved_database_url(),
            hubs=hubs,
            language=language or "sv",
            seed_demo_if_empty=seed_demo_if_empty,
            read=read,
            write=write,
            files=files,
            reciprocal=settings.reciprocal_ranking,
            weekly_cap=settings.weekly_brief_cap,
        )
    )


async def _chat(
    url: str,
    *,
    hubs: Sequence[HubSpec],
    language: str,
    seed_demo_if_empty: bool,
    read: ReadLine,
    write: Write,
    files: Path | None = None,
    reciprocal: bool = True,
    weekly_cap: int = 3,
) -> int:
    texts = Texts(language)
    try:
        # A terminal session is a try-out: it must not brief real makers sharing the database.
        runtime = await start_runtime(
            url,
            seed_demo_if_empty=seed_demo_if_empty,
            notify=False,
            hubs=hubs,
            reciprocal=reciprocal,
            weekly_cap=weekly_cap,
        )
    except (OSError, SQLAlchemyError, UnsupportedDatabaseURL) as error:
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
        fail("chat", f"cannot open the database {display_url(url)}: {detail}")
        return EXIT_FAILURE
    try:
        if runtime.seeded:
            write(plain(texts("terminal.seeded", count=runtime.seeded)))
        listed = runtime.matchmaker.index.available_count() if runtime.matchmaker else 0
        write(plain(texts("terminal.hello", count=listed)))
        chat = TerminalChat(
            runtime.dialogue, read=read, write=write, language=language, files=files
        )
        await chat.run()
    finally:
        await runtime.close()
    return EXIT_OK
