"""Complete briefs through the dialogue: a deadline and a budget, asked once and editable;
files, accepted, refused with a reason, or passed on only with the designer's consent; and the
nudge before sending, only when something makers need is missing, never a wall."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from services.dialogue.contract import Document, Photo
from services.dialogue.engine import DesignerDialogue
from services.dialogue.texts import Texts
from storage.models import Introduction, MatchRequest, RequestAttachment
from tests.services.dialogue.driver import Designer

SV = Texts("sv")
EN = Texts("en")
# The tests' clock is 2026-11-25: "till mars" is 31 March 2027, six weeks is 6 January.


def _pdf(name: str = "ritning.pdf", *, size: int = 150_000, unique: str | None = None) -> Document:
    return Document(f"file-{name}", unique or f"unique-{name}", name, "application/pdf", size)


async def _to_radius(
    designer: Designer, texts: Texts = SV, text: str = "stickade mössor i ull"
) -> None:
    """Profile, a description with no deadline, a pilot series of 200 near Borås: the distance."""
    await designer.command("start")
    for answer in ("Anna Svensson", "Studio Anna AB", "anna@example.se, 070-174 06 05"):
        await designer.say(answer)
    await designer.press_key(texts, "button.skip")
    await designer.press_key(texts, "button.accept")
    await designer.say(text)
    if (await designer.press_key(texts, "button.continue")).step == "volume":
        await designer.press_key(texts, "volume.pilot")
        await designer.say("200")
    if designer.last.step == "location":
        await designer.say("Borås")
    assert designer.last.step == "radius"


async def _requests(sessions: async_sessionmaker[AsyncSession]) -> list[MatchRequest]:
    async with sessions() as session:
        return list((await session.exec(select(MatchRequest))).all())


async def _attachments(sessions: async_sessionmaker[AsyncSession]) -> list[RequestAttachment]:
    async with sessions() as session:
        rows = await session.exec(select(RequestAttachment).order_by(col(RequestAttachment.id)))
        return list(rows.all())


async def _pick_and_ask(designer: Designer, texts: Texts = SV) -> str:
    """Search, pick the first maker, ask; the step reached (``nudge`` or ``idle``)."""
    assert (await designer.press_key(texts, "button.search")).step == "results"
    await designer.press("1. ")
    return (await designer.press(texts("button.ask", count=1))).step


async def test_deadline_and_budget_are_asked_once_saved_shown_and_editable(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await _to_radius(designer)
    assert (await designer.press_key(SV, "radius.100")).step == "deadline"
    assert SV("deadline.prompt") in designer.text
    # Words nobody can read are asked again, with examples; nothing is made up.
    assert (await designer.say("när det passar")).step == "deadline"
    assert SV("deadline.unreadable") in designer.text
    assert (await designer.say("till mars")).step == "budget"
    assert "senast 31 mars 2027 (”till mars”)" in designer.text
    assert (await designer.say("fem kronor och en kaka")).step == "budget"
    assert SV("budget.unreadable") in designer.text
    assert (await designer.say("10-20 tkr")).step == "summary"
    assert "31 mars 2027" in designer.text and "10\u00a0000–20\u00a0000 kr" in designer.text

    # Editable from the summary, like every other part; an edit returns to the summary.
    assert (await designer.press_key(SV, "button.edit_deadline")).step == "deadline"
    assert (await designer.say("inom 6 veckor")).step == "summary"
    assert "senast 6 januari 2027" in designer.text
    assert (await designer.press_key(SV, "button.edit_budget")).step == "budget"
    assert (await designer.say("max 50 000 kr")).step == "summary"
    assert "högst 50\u00a0000 kr" in designer.text
    # An edit of the distance does not ask the deadline and budget again.
    await designer.press_key(SV, "button.edit_radius")
    assert (await designer.press_key(SV, "radius.50")).step == "summary"

    assert await _pick_and_ask(designer) == "nudge"  # no drawing
    await designer.press(SV("button.send_anyway", count=1))
    (request,) = await _requests(session_maker)
    assert (request.deadline, request.deadline_text) == (date(2027, 1, 6), "inom 6 veckor")
    assert (request.budget_min_sek, request.budget_max_sek) == (None, 50_000)
    assert request.budget_text == "max 50 000 kr"


async def test_skipping_leaves_them_empty_and_a_quick_choice_sets_a_deadline(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue, language_code="en")
    await _to_radius(designer, EN, "knitted wool hats")
    await designer.press_key(EN, "radius.100")
    assert (await designer.say("skip")).step == "budget"
    assert (await designer.say("none")).step == "summary"
    assert designer.text.count(EN("summary.not_given")) >= 3  # when, budget, files
    await designer.press_key(EN, "button.edit_deadline")
    assert (await designer.press_key(EN, "deadline.choice.asap")).step == "summary"
    assert "as soon as possible" in designer.text
    await designer.press_key(EN, "button.edit_deadline")
    assert (await designer.press_key(EN, "deadline.choice.quarter")).step == "summary"
    assert "by 23 February 2027" in designer.text  # 90 days on
    await _pick_and_ask(designer, EN)
    await designer.press(EN("button.send_anyway", count=1))
    (request,) = await _requests(session_maker)
    assert request.deadline == date(2027, 2, 23) and request.deadline_text == "Within three months"
    assert request.budget_min_sek is None and request.budget_text is None


async def test_a_deadline_in_the_description_is_taken_and_not_asked_again(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await _to_radius(designer, SV, "20 st pallkragar i ek, klart till mars")
    # The quantity and the deadline came with the description: straight on to the budget.
    assert (await designer.press_key(SV, "radius.100")).step == "budget"
    assert (await designer.press_key(SV, "button.skip")).step == "summary"
    assert "31 mars 2027" in designer.text and SV("summary.from_text") in designer.text
    # A new description without one takes it away again.
    await designer.press_key(SV, "button.edit_text")
    await designer.say("20 st pallkragar i ek")
    assert (await designer.press_key(SV, "button.continue")).step == "summary"
    assert "31 mars 2027" not in designer.text
    await designer.press_key(SV, "button.edit_text")
    await designer.say("20 st pallkragar i ek, leverans före midsommar")
    await designer.press_key(SV, "button.continue")
    assert "24 juni 2027" in designer.text
    assert await _pick_and_ask(designer) == "nudge"
    await designer.press(SV("button.send_anyway", count=1))
    (request,) = await _requests(session_maker)
    assert request.deadline == date(2027, 6, 24)


async def test_a_document_goes_only_with_consent_a_photo_at_once(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await _to_radius(designer)
    await designer.press_key(SV, "radius.100")
    await designer.say("till mars")
    await designer.press_key(SV, "button.skip")

    # A PDF at the summary: the designer is told exactly what goes, and chooses.
    assert (await designer.send(_pdf())).step == "attach_consent"
    assert SV("attach.consent", name="ritning.pdf") in designer.text
    assert "egenskaper" in designer.text and "filnamn" in designer.text
    assert (await designer.press_key(SV, "button.file_as_is")).step == "summary"
    assert "ritning.pdf" in designer.text
    # Declined: it does not go.
    assert (await designer.send(_pdf("privat.dwg"))).step == "attach_consent"
    assert (await designer.press_key(SV, "button.file_drop")).step == "summary"
    assert SV("attach.dropped", name="privat.dwg") in designer.text
    assert "privat.dwg" not in designer.last.replies[-1].text  # the summary's files
    # A photo: Telegram re-encoded it (no EXIF), so it goes without asking.
    photo = Photo("photo-1", "", file_unique_id="unique-photo-1", size=300_000)
    assert (await designer.send(photo)).step == "summary"
    assert SV("attach.added", name="foto", count=2) in designer.text

    assert await _pick_and_ask(designer) == "idle"  # quantity, deadline, drawing: no nudge
    rows = await _attachments(session_maker)
    assert [(a.kind, a.file_name, a.metadata_policy) for a in rows] == [
        ("pdf", "ritning.pdf", "as_is_with_consent"),
        ("photo", None, "reencoded_by_telegram"),
    ]
    (request,) = await _requests(session_maker)
    assert {a.request_id for a in rows} == {request.id}
    assert rows[0].file_id == "file-ritning.pdf" and rows[0].size == 150_000
    assert rows[0].mime == "application/pdf" and rows[0].file_unique_id == "unique-ritning.pdf"


async def test_files_are_refused_with_a_reason_too_big_wrong_kind_twice_too_many(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await _to_radius(designer)
    await designer.press_key(SV, "radius.100")
    await designer.press_key(SV, "button.skip")
    await designer.press_key(SV, "button.skip")
    assert (await designer.press_key(SV, "button.edit_files")).step == "attach"
    assert SV("attach.prompt", max=5, limit="20", listed="") in designer.text

    too_big = _pdf("stor.pdf", size=MAX_ATTACHMENT_BYTES + 1)
    assert (await designer.send(too_big)).step == "attach"
    assert SV("attach.too_big", name="stor.pdf", size="20.0", limit="20") in designer.text
    sheet = Document("f-x", "u-x", "budget.xlsx", "application/vnd.ms-excel", 1000)
    assert (await designer.send(sheet)).step == "attach"
    assert SV("attach.wrong_kind", name="budget.xlsx", max=5) in designer.text
    # CAD files often come as application/octet-stream: the extension decides.
    for name in ("del.STEP", "del2.stp", "plan.dxf", "hus.dwg"):
        cad = Document(f"f-{name}", f"u-{name}", name, "application/octet-stream", 9000)
        assert (await designer.send(cad)).step == "attach_consent"
        assert (await designer.press_key(SV, "button.file_as_is")).step == "attach"
    assert (await designer.send(_pdf("del.STEP", unique="u-del.STEP"))).step == "attach"
    assert SV("attach.again", name="del.STEP") in designer.text
    assert (await designer.send(_pdf())).step == "attach_consent"
    await designer.press_key(SV, "button.file_as_is")
    assert (await designer.send(_pdf("sjätte.pdf"))).step == "attach"
    assert SV("attach.full", max=MAX_ATTACHMENTS) in designer.text
    # Files elsewhere are answered with where to send them; the state does not change.
    assert (await designer.press_key(SV, "button.attach_done")).step == "summary"
    await designer.press_key(SV, "button.search")
    assert (await designer.send(_pdf("sent.pdf"))).step == "results"
    assert SV("attach.not_here") in designer.text

    await designer.press("1. ")
    await designer.press(SV("button.ask", count=1))
    await designer.press(SV("button.send_anyway", count=1))  # the deadline is missing
    rows = await _attachments(session_maker)
    assert [a.kind for a in rows] == ["step", "step", "dxf", "dwg", "pdf"]
    assert all(a.metadata_policy == "as_is_with_consent" for a in rows)


async def test_the_nudge_names_only_what_is_missing_and_can_be_bypassed(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await _to_radius(designer)
    await designer.press_key(SV, "radius.100")
    await designer.press_key(SV, "button.skip")
    await designer.press_key(SV, "button.skip")
    assert await _pick_and_ask(designer) == "nudge"
    # Quantity was given (200): only the deadline and a drawing are named, each with a button.
    items = ", ".join(SV(f"nudge.item.{item}") for item in ("deadline", "drawing"))
    assert SV("nudge.prompt", items=items) in designer.text
    labels = [b.label for b in designer.buttons]
    assert SV("button.nudge_quantity") not in labels
    assert SV("button.nudge_deadline") in labels and SV("button.send_anyway", count=1) in labels
    # Adding the deadline returns to the nudge, which now names only the drawing.
    assert (await designer.press_key(SV, "button.nudge_deadline")).step == "deadline"
    assert (await designer.say("inom 6 veckor")).step == "nudge"
    assert SV("nudge.prompt", items=SV("nudge.item.drawing")) in designer.text
    assert (await designer.press_key(SV, "button.nudge_drawing")).step == "attach"
    await designer.send(Photo("photo-9", "", file_unique_id="u-photo-9", size=1000))
    assert (await designer.press_key(SV, "button.attach_done")).step == "nudge"
    assert SV("nudge.complete") in designer.text
    assert (await designer.press(SV("button.ask", count=1))).step == "idle"
    async with session_maker() as session:
        assert len((await session.exec(select(Introduction))).all()) == 1
    (request,) = await _requests(session_maker)
    assert request.deadline == date(2027, 1, 6)

    # The nudge comes once per request: asked again after /new, and "send anyway" sends.
    await designer.command("new")
    await designer.say("svarvade skålar i björk")
    if (await designer.press_key(SV, "button.continue")).step == "volume":
        await designer.press_key(SV, "volume.prototype")  # a one-off: no quantity needed
        await designer.press_key(SV, "button.skip")
    if designer.last.step == "location":
        await designer.say("Borås")
    await designer.press_key(SV, "radius.all")
    await designer.press_key(SV, "button.skip")
    await designer.press_key(SV, "button.skip")
    assert await _pick_and_ask(designer) == "nudge"
    items = ", ".join(SV(f"nudge.item.{item}") for item in ("deadline", "drawing"))
    assert SV("nudge.prompt", items=items) in designer.text
    assert (await designer.press(SV("button.send_anyway", count=1))).step == "idle"
    async with session_maker() as session:
        assert len((await session.exec(select(Introduction))).all()) == 2


async def test_a_drawing_with_a_caption_describes_the_job_and_goes_with_it(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await designer.command("start")
    for answer in ("Anna Svensson", "Studio Anna AB", "anna@example.se"):
        await designer.say(answer)
    await designer.press_key(SV, "button.skip")
    assert (await designer.press_key(SV, "button.accept")).step == "describe"
    drawing = Document("f-1", "u-1", "beslag.dxf", None, 8_000, caption="laserskurna beslag i stål")
    assert (await designer.send(drawing)).step == "attach_consent"
    assert (await designer.press_key(SV, "button.file_as_is")).step == "capabilities"
    assert "Metall" in designer.text  # the caption was read as the description
    # Declining a file while describing keeps the designer where they were.
    await designer.command("new")
    assert (await designer.send(_pdf("skiss.pdf"))).step == "attach_consent"
    assert (await designer.press_key(SV, "button.file_drop")).step == "describe"
    assert SV("describe.prompt") in designer.text
