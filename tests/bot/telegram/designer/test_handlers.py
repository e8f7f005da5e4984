"""Each kind of update reaches the dialogue as the right event; each reply is rendered right."""

from __future__ import annotations

import json
import logging

import pytest

from bot.bench.offline import RecordingRequest
from bot.telegram.transport import texts
from services.dialogue.contract import (
    Command,
    Incoming,
    Location,
    Outcome,
    Person,
    Photo,
    Press,
    Text,
    Unsupported,
)
from services.dialogue.contract import Document as DocumentEvent
from services.messages import Button, Document, Reply
from tests.bot.telegram.conftest import TOKEN, FakeRuntime, ScriptedDialogue, feed, running_bot
from tests.fakes.updates import TelegramUser, in_group

ALVA = TelegramUser(4242, language_code="sv", first_name="Alva")


def echo(incoming: Incoming) -> Outcome:
    return Outcome(replies=(Reply(text=f"<b>ok</b> {type(incoming.event).__name__}"),))


async def test_each_update_kind_becomes_its_event() -> None:
    dialogue = ScriptedDialogue(echo)
    async with running_bot(FakeRuntime(dialogue)) as (app, _):
        start = ALVA.command("start", "hub-vg")
        await feed(app, start)
        await feed(app, ALVA.text("Stickade mössor i ull <3 & mer"))
        await feed(app, ALVA.photo(caption="skiss"))
        await feed(app, ALVA.location(57.7, 11.97))
        await feed(app, ALVA.press("v1:abc"))
        for update in (ALVA.sticker(), ALVA.voice(), ALVA.document(), ALVA.video()):
            await feed(app, update)
    events = [incoming.event for incoming in dialogue.seen]
    assert events == [
        Command("start", "hub-vg"),
        Text("Stickade mössor i ull <3 & mer"),
        Photo(file_id="photo-1280", caption="skiss", file_unique_id="u1280"),
        Location(57.7, 11.97),
        Press("v1:abc"),
        Unsupported("sticker"),
        Unsupported("voice"),
        DocumentEvent(file_id="d1", file_unique_id="u-d1"),
        Unsupported("video"),
    ]
    first = dialogue.seen[0]
    assert first.update_id == start["update_id"]
    assert first.source == "telegram"
    assert first.chat_id == 4242
    assert first.person == Person(user_id=4242, language_code="sv", first_name="Alva")


async def test_a_venue_counts_as_its_location() -> None:
    dialogue = ScriptedDialogue(echo)
    point = {"latitude": 57.72, "longitude": 12.94}
    venue = {"location": point, "title": "Textilmuseet", "address": "Druveforsvägen 8"}
    async with running_bot(FakeRuntime(dialogue)) as (app, _):
        await feed(app, ALVA.message(venue=venue, location=point))
    assert dialogue.seen[0].event == Location(57.72, 12.94)


async def test_command_addressed_to_the_bot_by_name() -> None:
    dialogue = ScriptedDialogue(echo)
    update = ALVA.command("NEW")
    update["message"]["text"] = "/NEW@spok_test_bot"
    update["message"]["entities"][0]["length"] = len("/NEW@spok_test_bot")
    async with running_bot(FakeRuntime(dialogue)) as (app, _):
        await feed(app, update)
    assert dialogue.seen[0].event == Command("new", "")


async def test_group_chats_are_ignored() -> None:
    dialogue = ScriptedDialogue(echo)
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, in_group(ALVA.text("hej")))
    assert dialogue.seen == []
    assert request.sent() == []


async def test_a_dialogue_button_pressed_in_a_group_writes_nothing_there() -> None:
    dialogue = ScriptedDialogue(echo)
    group = {"id": -100123, "type": "group", "title": "Verkstan"}
    pressed = ALVA.press("stale-or-forged", {"message_id": 7, "date": 0, "chat": group})
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, pressed)
    assert dialogue.seen == []
    assert request.sent() == []  # nothing sent into the group
    assert [c.method for c in request.calls if c.method == "answerCallbackQuery"] == [
        "answerCallbackQuery"
    ]


async def test_reply_is_html_with_an_inline_keyboard() -> None:
    buttons = ((Button("Trä", "t:wood"), Button("Metall", "t:metal")), (Button("Klart", "ok"),))
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=(Reply("<b>Jag förstod</b>", buttons),)))
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.text("ekbord"))
    (call,) = request.sent()
    assert call.method == "sendMessage"
    assert call.params["parse_mode"] == "HTML"
    assert call.params["text"] == "<b>Jag förstod</b>"
    keyboard = call.params["reply_markup"]["inline_keyboard"]
    data = [[b["callback_data"] for b in row] for row in keyboard]
    assert data == [["t:wood", "t:metal"], ["ok"]]
    assert keyboard[0][0]["text"] == "Trä"


@pytest.mark.parametrize(("language", "label"), [("sv", "Dela min plats"), ("en-GB", "Share")])
async def test_ask_location_offers_a_share_location_keyboard(language: str, label: str) -> None:
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=(Reply("Var?", ask_location=True),)))
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, TelegramUser(7, language_code=language).text("Göteborg?"))
    markup = request.sent()[0].params["reply_markup"]
    (button,) = markup["keyboard"][0]
    assert button["request_location"] is True
    assert label in button["text"]
    assert markup["one_time_keyboard"] is True
    assert markup["resize_keyboard"] is True


async def test_a_reply_with_a_file_is_sent_as_a_document_with_its_caption() -> None:
    export = Document("spok-mina-uppgifter-2026-11-25.json", b'{"name": "Alva"}\n')
    replies = (Reply("<b>Allt vi sparar</b>", document=export), Reply("Vad vill du göra?"))
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=replies))
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.press("export"))
    document, message = request.sent("sendDocument", "sendMessage")
    assert document.method == "sendDocument"
    assert document.params["caption"] == "<b>Allt vi sparar</b>"
    (upload,) = document.files.values()
    assert upload[0] == "spok-mina-uppgifter-2026-11-25.json"
    assert upload[1] == b'{"name": "Alva"}\n'
    assert message.params["text"] == "Vad vill du göra?"


async def test_remove_keyboard() -> None:
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=(Reply("Tack", remove_keyboard=True),)))
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.location(57.7, 11.9))
    assert request.sent()[0].params["reply_markup"] == {"remove_keyboard": True}


async def test_button_press_is_answered_with_the_notice_then_replied_to() -> None:
    outcome = Outcome(replies=(Reply("Nästa steg"),), notice="Den knappen är gammal")
    dialogue = ScriptedDialogue(lambda _: outcome)
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.press("old"))
        await feed(app, ALVA.text("x"))
    methods = [c.method for c in request.calls if c.method not in ("getMe", "setMyCommands")]
    assert methods[:2] == ["answerCallbackQuery", "sendMessage"]
    assert request.sent("answerCallbackQuery")[0].params["text"] == "Den knappen är gammal"


async def test_a_press_without_notice_is_still_answered() -> None:
    dialogue = ScriptedDialogue(lambda _: Outcome())
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.press("v1"))
    (answer,) = request.sent("answerCallbackQuery")
    assert "text" not in answer.params
    assert request.sent() == []


async def test_duplicate_sends_nothing() -> None:
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=(Reply("igen"),), duplicate=True))
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.text("hej"))
    assert request.sent() == []


async def test_long_text_is_split_under_the_limit_with_the_keyboard_last() -> None:
    text = "\n".join(f"rad {i} " + "å" * 90 for i in range(120))  # ~11,000 characters
    reply = Reply(text, buttons=((Button("Visa fler", "more"),),))
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=(reply,)))
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.text("visa"))
    sent = request.sent()
    assert len(sent) == 3
    assert all(len(call.params["text"]) <= 4096 for call in sent)
    assert "".join(call.params["text"] for call in sent).replace("\n", "") == text.replace("\n", "")
    assert [("reply_markup" in call.params) for call in sent] == [False, False, True]


async def test_photo_caption_over_1024_continues_as_messages() -> None:
    reply = Reply("Din skiss: " + "ord " * 600, photo_file_id="photo-1280")
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=(reply,)))
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.text("sammanfattning"))
    photo, *rest = request.sent()
    assert photo.method == "sendPhoto"
    assert photo.params["photo"] == "photo-1280"
    assert len(photo.params["caption"]) <= 1024
    assert photo.params["parse_mode"] == "HTML"
    assert rest and all(call.method == "sendMessage" for call in rest)
    words = (photo.params["caption"] + " " + " ".join(c.params["text"] for c in rest)).split()
    assert words == reply.text.split()


async def test_blocked_person_does_not_crash_the_handler(caplog: pytest.LogCaptureFixture) -> None:
    request = RecordingRequest()
    request.failures["sendMessage"] = (403, "Forbidden: bot was blocked by the user")
    replies = (Reply("ett"), Reply("två"))
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=replies))
    with caplog.at_level(logging.INFO):
        async with running_bot(FakeRuntime(dialogue), request) as (app, _):
            await feed(app, ALVA.text("hej"))
    assert len(request.sent()) == 1  # stopped after the first refusal
    assert "blocked" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_refused_message_does_not_stop_the_next() -> None:
    request = RecordingRequest()
    request.failures["sendPhoto"] = (400, "Bad Request: wrong file identifier")
    replies = (Reply("bild", photo_file_id="gone"), Reply("sedan text"))
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=replies))
    async with running_bot(FakeRuntime(dialogue), request) as (app, _):
        await feed(app, ALVA.text("hej"))
    assert [c.method for c in request.sent()] == ["sendPhoto", "sendMessage"]


async def test_failures_are_logged_without_text_contact_or_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret_text = "Alva Ek, alva@example.se, 070-123 45 67"

    def broken(incoming: Incoming) -> Outcome:
        raise ValueError(f"could not store {secret_text}")

    dialogue = ScriptedDialogue(broken)
    press = ALVA.press("v1:x")
    text = ALVA.text(secret_text)
    with caplog.at_level(logging.DEBUG):
        async with running_bot(FakeRuntime(dialogue)) as (app, request):
            await feed(app, text)
            await feed(app, press)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2
    assert f"update {text['update_id']} (message) failed: ValueError" in errors[0]
    assert f"update {press['update_id']} (callback_query) failed: ValueError" in errors[1]
    assert secret_text not in caplog.text
    assert "alva@example.se" not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text
    # The press was answered anyway, and both got a short apology.
    assert len(request.sent("answerCallbackQuery")) == 1
    assert len(request.sent("sendMessage")) == 2


async def test_menus_in_swedish_and_english_and_runtime_closed() -> None:
    runtime = FakeRuntime(ScriptedDialogue(echo))
    async with running_bot(runtime) as (_, request):
        menus = {
            call.params.get("language_code"): call.params["commands"]
            for call in request.sent("setMyCommands")
        }
    assert runtime.closed
    assert set(menus) == {"sv", None}
    for commands in menus.values():
        names = [json.loads(c)["command"] if isinstance(c, str) else c["command"] for c in commands]
        assert names == ["new", "myrequests", "cancel", "help", "language", "checkins", "privacy"]
    sv = {c["command"]: c["description"] for c in menus["sv"]}
    assert sv["privacy"].startswith("Vad vi sparar")


async def test_location_question_with_inline_buttons_brings_the_location_keyboard_after() -> None:
    reply = Reply("Var finns du?", buttons=((Button("Hela Sverige", "all"),),), ask_location=True)
    dialogue = ScriptedDialogue(lambda _: Outcome(replies=(reply,)))
    async with running_bot(FakeRuntime(dialogue)) as (app, request):
        await feed(app, ALVA.text("klart"))
    question, hint = request.sent()
    assert question.params["text"] == "Var finns du?"
    assert question.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "all"
    assert hint.params["reply_markup"]["keyboard"][0][0]["request_location"] is True


def test_the_command_menu_is_the_same_in_both_languages() -> None:
    assert [name for name, _ in texts.commands("sv")] == [name for name, _ in texts.commands("en")]
    assert all(description.strip() for name, description in texts.commands("sv"))
