"""Clean input end to end, through the bot's real Application and services on SQLite and
PostgreSQL: NUL and escape sequences in messages, a caption, button data and a catalogue cell
never reach the database or another person, and the conversation goes on as if they had not
been typed."""

from __future__ import annotations

import codecs
import copy
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import JSON, String, Text, select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application

from bot.bench.offline import RecordingRequest, running_offline
from bot.bench.scripted import Move, Sent, SimulatedPerson, designer_journey, play
from bot.telegram.transport import texts as transport_texts
from services.hubs.registry import SEED_HUBS
from services.runtime import Runtime, start_runtime
from storage.engine import create_engine
from storage.models import Designer, MatchRequest, metadata
from tests.bot.telegram.catalogue.catalogue_support import buttons

TOKEN = "123456:TEST-token-never-logged"
ADMIN = 1
CONTROLS = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} - {"\n", "\t"}


@pytest.fixture
async def runtime(database_url: str) -> AsyncIterator[Runtime]:
    started = await start_runtime(
        database_url, seed_demo_if_empty=True, hubs=SEED_HUBS, admin_ids={ADMIN}
    )
    yield started
    await started.close()


@pytest.fixture
async def inspect(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


def _dirty(update: dict[str, Any]) -> dict[str, Any]:
    """The update as a client that slips NUL and escapes in would send it: after the first two
    characters of a text (a command too: its entity then covers the NUL), in button data, and
    the description as a photo whose caption has them."""
    update = copy.deepcopy(update)
    message = update.get("message")
    if message is not None and "text" in message:
        text = message["text"]
        if text.startswith(("stickade", "knitted")):  # the description: as a photo's caption
            del message["text"]
            message["photo"] = [{"file_id": "sketch", "file_unique_id": "s", "width": 9,
                                 "height": 9}]  # fmt: skip
            message["caption"] = "\x1b[31m" + text[:4] + "\x00" + text[4:]
        else:
            message["text"] = text[:2] + "\x00\x1b" + text[2:]
            for entity in message.get("entities", []):
                entity["length"] += 2
    query = update.get("callback_query")
    if query is not None:
        query["data"] = query["data"][:3] + "\x00" + query["data"][3:]
    return update


async def _walk(app: Application, request: RecordingRequest, person: SimulatedPerson) -> None:  # type: ignore[type-arg]
    async def deliver(update: dict[str, Any], expect: str) -> list[Sent]:
        mark = len(request.calls)
        await app.process_update(Update.de_json(_dirty(update), app.bot))
        return [
            Sent(c.params.get("text") or c.params.get("caption", ""), c.params.get("reply_markup"))
            for c in request.calls[mark:]
            if c.method in ("sendMessage", "sendPhoto")
            and c.params.get("chat_id") == person.user_id
        ]  # fmt: skip

    # The description comes as a photo here, so nothing is missing and no nudge comes.
    *moves, _, _ = designer_journey("sv")
    ask = Move("tap", "button.ask", "introductions.sent", values={"count": 2})
    await play(person, [*moves, ask], deliver, language="sv")


def _is_text(column_type: Any) -> bool:
    """Text or JSON, also behind a type decorator (SQLModel's ``str`` is AutoString)."""
    return isinstance(getattr(column_type, "impl", column_type), String | Text | JSON)


async def _strings_in_database(engine: AsyncEngine) -> list[tuple[str, str]]:
    """Every text and JSON value stored in any table, as (table.column, text)."""
    found: list[tuple[str, str]] = []
    async with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if _is_text(c.type)]
            if not columns:
                continue
            for row in await connection.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        found.append((f"{table.name}.{column.name}", str(value)))
    return found


async def test_nul_and_escapes_in_messages_captions_and_buttons_never_reach_the_database(
    runtime: Runtime, inspect: AsyncEngine
) -> None:
    person = SimulatedPerson(5_000, language_code="sv", first_name="Al\x00va\x1b]0;x\x07")
    async with running_offline(runtime, token=TOKEN) as (app, request):
        await _walk(app, request, person)  # every answer as if nothing had been slipped in

    sent = [str(c.params.get("text") or c.params.get("caption") or "") for c in request.sent()]
    assert transport_texts.text("went_wrong", "sv") not in sent
    assert not [text for text in sent if CONTROLS & set(text)]
    stored = await _strings_in_database(inspect)
    assert {"designers.name", "requests.text", "conversations.data"} <= {c for c, _ in stored}
    assert not [(column, text) for column, text in stored if CONTROLS & set(text)]
    async with inspect.connect() as connection:
        designer = (await connection.execute(select(Designer.name, Designer.company))).one()
        described = (await connection.execute(select(MatchRequest.text))).scalar_one()
    assert tuple(designer) == ("Alva Ek", "Ek & Ull <Design> AB")
    assert described == "[31mstickade mössor i ull"  # the escape's ESC is gone, the rest is text


def _catalogue_with_controls() -> bytes:
    """A catalogue with a few stray control characters among ordinary rows (a file of mostly
    control characters is refused as no spreadsheet at all)."""
    rows = [
        "id;namn;kommun;material;anteckning\x1b[2J",
        "ctl-1;Nollans\x00 Snickeri;Borås;ek;",
        "ctl-2;\x1b[31mRöda Verkstan\x1b[0m;Borås;björk\x00;",
        *(f"ok-{n};Verkstad {n};Borås;ek;inget att anmärka" for n in range(20)),
    ]
    return codecs.BOM_UTF8 + "\r\n".join(rows).encode()


async def test_a_catalogue_cell_with_nul_or_an_escape_is_stored_and_shown_clean(
    runtime: Runtime, inspect: AsyncEngine
) -> None:
    admin = SimulatedPerson(ADMIN, language_code="sv", first_name="Ada")
    data = _catalogue_with_controls()
    async with running_offline(runtime, token=TOKEN) as (app, request):
        request.files["katalog"] = data
        document = {"file_id": "katalog", "file_unique_id": "k", "file_name": "k.csv"}
        upload = admin.message(document={**document, "file_size": len(data)})
        await app.process_update(Update.de_json(upload, app.bot))
        (dry_run,) = [c for c in request.sent() if buttons(c)]
        apply = buttons(dry_run)[0]["callback_data"]
        report = {**upload["message"], "message_id": 99, "reply_to_message": upload["message"]}
        await app.process_update(Update.de_json(admin.press(apply, report), app.bot))
        await app.process_update(Update.de_json(admin.command("maker", "ctl-2"), app.bot))

    shown = [str(c.params.get("text", "")) for c in request.sent()]
    assert "Röda Verkstan" in shown[0] and "Röda Verkstan" in shown[-1]  # the dry run, the card
    assert not [text for text in shown if CONTROLS & set(text)]
    stored = await _strings_in_database(inspect)
    assert not [(column, text) for column, text in stored if CONTROLS & set(text)]
    names = {text for column, text in stored if column == "makers.name"}
    assert {"Nollans Snickeri", "[31mRöda Verkstan[0m"} <= names
