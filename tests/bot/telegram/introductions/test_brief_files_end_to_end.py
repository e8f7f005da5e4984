"""A complete brief end to end, through the real Application and the local fake Bot API: the
designer adds a deadline, a budget, a drawing (as a file, after consenting to pass it on as it
is) and a photo; files of the wrong kind or too big are refused with a reason. The maker gets
the brief, then the files by Telegram's ids, and nothing that identifies the designer; the
coordinators see the deadline, the budget and the files' names."""

from __future__ import annotations

import json
from typing import Any

from bot.bench.scripted import designer_journey, play
from services.dialogue.texts import Texts
from tests.bot.telegram.introductions.test_introductions_end_to_end import (
    DESIGNER_EMAIL,
    GROUP,
    KARIN,
    MAJA,
    Bench,
    database_url,
    invite,
    press,
    running,
    staff_the_hub,
    texts,
)
from tests.fakes.updates import TelegramUser

__all__ = ["database_url"]  # the fixture, shared with the introductions' end-to-end tests

DT = Texts("sv")
ALVA = TelegramUser(9004, language_code="sv", first_name="Alva")  # the designer
# What identifies Alva: her profile (designer_journey) and a caption she wrote on her photo.
SECRETS = (DESIGNER_EMAIL, "070-123 45 67", "0701234567", "Alva Ek", "Ek & Ull", "Ek &amp; Ull")


def _calls_to(bench: Bench, chat_id: int, since: int) -> list[Any]:
    methods = ("sendMessage", "sendPhoto", "sendDocument")
    return [
        call
        for call in bench.api.calls[since:]
        if call.method in methods
        and call.error_code is None
        and int(call.params.get("chat_id", 0)) == chat_id
    ]


async def test_the_maker_gets_the_files_after_the_brief_and_nothing_about_the_designer(
    database_url: str,
) -> None:
    async with running(database_url) as bench:
        await staff_the_hub(bench)
        token = await invite(bench, KARIN, "maker demo-005")
        await bench.deliver(MAJA.command("start", token))

        # Alva's request up to the summary: till mars, 10-20 tkr (the scripted journey).
        moves = designer_journey("sv")
        to_summary = next(i for i, move in enumerate(moves) if move.value == "10-20 tkr")
        await play(ALVA, moves[: to_summary + 1], bench.deliver, language="sv")

        drawing = ALVA.document(
            "drawing-1",
            file_name="mössa_ritning.pdf",
            file_size=200_000,
            mime_type="application/pdf",
        )
        answer = await bench.deliver(drawing)
        assert DT("attach.consent", name="mössa_ritning.pdf") in texts(answer)
        answer = await bench.deliver(press(ALVA, answer, DT("button.file_as_is")))
        assert DT("attach.added", name="mössa_ritning.pdf", count=1) in texts(answer)

        huge = ALVA.document("huge", file_name="modell.step", file_size=25 * 1024 * 1024)
        answer = await bench.deliver(huge)
        assert DT("attach.too_big", name="modell.step", size="25", limit="20") in texts(answer)
        sheet = ALVA.document("sheet", file_name="kalkyl.xlsx", file_size=4_000)
        answer = await bench.deliver(sheet)
        assert DT("attach.wrong_kind", name="kalkyl.xlsx", max=5) in texts(answer)

        # A photo with her name and number in its caption: the photo goes, the caption not.
        answer = await bench.deliver(ALVA.photo(caption="Alva Ek, ring 070-123 45 67"))
        assert DT("attach.added", name="foto", count=2) in texts(answer)

        maker_mark, group_mark = bench.api.mark(), bench.api.mark()
        answer = await bench.deliver(press(ALVA, answer, DT("button.search")))
        first = next(
            b["text"] for item in answer for b in item.buttons() if b["text"].startswith("☐ 1.")
        )
        answer = await bench.deliver(press(ALVA, answer, first))
        # Quantity, deadline and a drawing are there: no nudge, the request goes.
        answer = await bench.deliver(press(ALVA, answer, DT("button.ask", count=1)))
        assert "Maskstickeriet" in texts(answer)

        calls = _calls_to(bench, MAJA.user_id, maker_mark)
        assert [call.method for call in calls] == ["sendMessage", "sendDocument", "sendPhoto"]
        brief, document, photo = (call.params for call in calls)
        assert "stickade mössor i ull" in brief["text"]
        assert "<b>Klart:</b> senast 31 mars 2027 (”till mars”)" in brief["text"]
        assert "<b>Budget:</b> 10\u00a0000–20\u00a0000 kr" in brief["text"]
        assert "📎 2 bifogade filer följer nedan." in brief["text"]
        assert document["document"] == "drawing-1"
        assert document["caption"].startswith("📎 Fil 1 av 2 till förfrågan nr ")
        assert photo["photo"] == "photo-1280" and "Fil 2 av 2" in photo["caption"]
        assert "reply_markup" not in document and "reply_markup" not in photo
        for call in calls:
            sent = json.dumps(call.params, ensure_ascii=False)
            for secret in (*SECRETS, "Alva"):
                assert secret not in sent, (call.method, secret)

        # The coordinators' notice names the deadline, the budget and the files.
        group = [
            call.params.get("text", "")
            for call in bench.api.calls[group_mark:]
            if call.method == "sendMessage" and int(call.params["chat_id"]) == GROUP["id"]
        ]
        notice = next(text for text in group if "Ny förfrågan" in text)
        assert "31 mars 2027" in notice and "10\u00a0000–20\u00a0000 kr" in notice
        assert "<b>Bifogat:</b> mössa_ritning.pdf, foto" in notice
