"""/privacy in full: a designer sees everything stored about them and takes it as a file,
corrects a detail, and erases it; afterwards no table, and on SQLite no byte of the database
files, holds their personal data or free text, while the funder report for the period already
reported stays the same. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import make_url, update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.contract import Document
from services.dialogue.engine import DesignerDialogue
from services.dialogue.flow import CONSENT_VERSION
from services.dialogue.texts import Texts
from services.insight.periods import period_between
from services.insight.report import Report, funder_report
from services.insight.scope import Scope
from storage.models import Designer as DesignerRow
from storage.models import (
    FollowUp,
    Introduction,
    Maker,
    MatchRequest,
    RequestAttachment,
    metadata,
)
from tests.services.dialogue.driver import (
    FIXED_NOW,
    Designer,
    ask_introductions,
    skip_deadline_and_budget,
)

SV = Texts("sv")
NAME = "Zelmira Kvastberg"
CORRECTED = "Zelmira Kvastberg-Lind"
COMPANY = "Kvastbergs Textilateljé"
EMAIL = "zelmira.kvastberg@example.se"
PHONE = "070-174 06 77"  # from the range reserved for fiction
ORG_NUMBER = "556677-8899"
FIRST = "Stickade mössor i ull med zelmiraflätor, som provexemplar"
SECOND = "Svarvade ljusstakar i ek, kvastbergsprofilen i skiss"
PERSONAL = [NAME, CORRECTED, "Kvastberg", COMPANY, EMAIL, PHONE, "1740677", FIRST, SECOND]
PERSONAL += ["zelmiraflätor", "zelmiraflator", "kvastbergsprofilen"]
# The first request's drawing: its file name and Telegram's id for it ("Kvastberg" covers both).
DRAWING = Document("kvastberg-file-1", "kvastberg-unique-1", "kvastberg_ritning.pdf", None, 12_345)


async def _profile_and_two_requests(designer: Designer) -> None:
    await designer.command("start")
    for answer in (NAME, COMPANY, f"{EMAIL}, {PHONE}", ORG_NUMBER):
        await designer.say(answer)
    assert (await designer.press_key(SV, "button.accept")).step == "describe"
    for text in (FIRST, SECOND):
        await designer.say(text)
        # "som provexemplar" says the stage: the volume is not asked again.
        if (await designer.press_key(SV, "button.continue")).step == "volume":
            await designer.press_key(SV, "volume.prototype")
            await designer.press_key(SV, "button.skip")
        await designer.say("Borås")
        await designer.press_key(SV, "radius.all")
        if text == FIRST:  # a complete brief: when, a budget and a drawing
            assert (await designer.say("före midsommar")).step == "budget"
            assert (await designer.say("ca 5000 kr")).step == "summary"
            assert (await designer.send(DRAWING)).step == "attach_consent"
            assert (await designer.press_key(SV, "button.file_as_is")).step == "summary"
        else:
            await skip_deadline_and_budget(designer, SV)
        assert (await designer.press_key(SV, "button.search")).step == "results", text
        await designer.press("1. ")
        assert (await ask_introductions(designer, SV, 1)).step == "idle"
        await designer.command("new")


async def _the_maker_said_yes_and_they_met(sessions: async_sessionmaker[AsyncSession]) -> str:
    """The first introduction made, and the designer's answer to the 7-day check-in."""
    async with sessions() as session:
        introduction = (
            await session.exec(select(Introduction).order_by(Introduction.id))  # type: ignore[arg-type]
        ).first()
        assert introduction is not None and introduction.id is not None
        made = FIXED_NOW + timedelta(hours=2)
        await session.exec(
            update(Introduction)
            .where(Introduction.id == introduction.id)  # type: ignore[arg-type]
            .values(status="interested", introduced_at=made, outcome="met", outcome_at=made)
        )
        session.add(
            FollowUp(
                introduction_id=introduction.id,
                kind="checkin.contact",
                side="designer",
                due_at=made + timedelta(days=7),
                status="answered",
                dedupe_key=f"checkin.contact:{introduction.id}:designer",
                answer="met",
                answered_at=made + timedelta(days=7, hours=1),
            )
        )
        await session.commit()

        maker = await session.get(Maker, introduction.maker_id)
        assert maker is not None
        return maker.name


async def _report(sessions: async_sessionmaker[AsyncSession]) -> Report:
    async with sessions() as session:
        period = period_between(date(2026, 11, 1), date(2026, 11, 30))
        return await funder_report(
            session=session, scope=Scope(hubs=(), everything=True, all_hubs=()), period=period
        )


async def _every_row(sessions: async_sessionmaker[AsyncSession]) -> str:
    async with sessions() as session:
        connection = await session.connection()
        dumped = []
        for table in metadata.sorted_tables:
            rows = (await connection.execute(table.select())).all()
            dumped.append(f"{table.name}: {[tuple(row) for row in rows]!r}")
        return "\n".join(dumped)


def _forms(text: str) -> list[bytes]:
    """How ``text`` can lie in a file: UTF-8, and as JSON escapes it (``\\u00e9``)."""
    escaped = json.dumps(text)[1:-1]
    return [text.encode(), escaped.encode(), text.casefold().encode()]


async def test_see_export_correct_and_erase_everything(
    dialogue: DesignerDialogue,
    session_maker: async_sessionmaker[AsyncSession],
    database_url: str,
    tmp_path: Path,
) -> None:
    designer = Designer(dialogue)
    await _profile_and_two_requests(designer)
    maker = await _the_maker_said_yes_and_they_met(session_maker)
    before = await _report(session_maker)
    assert before.total.funnel.requests == 2 and before.total.funnel.interested == 1

    # See: exactly what is stored.
    outcome = await designer.command("privacy")
    assert outcome.step == "privacy"
    shown = designer.text
    for value in (NAME, COMPANY, EMAIL, PHONE, ORG_NUMBER, CONSENT_VERSION, FIRST, SECOND, maker):
        assert value in shown, value
    assert FIXED_NOW.strftime("%Y-%m-%d %H:%M") in shown  # when they consented
    assert "24 juni 2027" in shown and "5\u00a0000 kr" in shown  # the deadline, the budget
    assert "kvastberg_ritning.pdf" in shown  # and the file that went with the brief
    assert SV("privacy.requests", count=2) in shown
    assert SV("privacy.introductions", count=2) in shown
    assert SV("privacy.checkins", count=1) in shown and "Vi har träffats" in shown
    assert SV("intro_status.interested") in shown and SV("outcome.met") in shown

    # Take it as a file.
    await designer.press_key(SV, "button.export")
    (document,) = [reply.document for reply in designer.last.replies if reply.document]
    exported = json.loads(document.data)
    assert (exported["name"], exported["email"], exported["phone"]) == (NAME, EMAIL, PHONE)
    assert exported["consent_version"] == CONSENT_VERSION
    assert [r["text"] for r in exported["requests"]] == [FIRST, SECOND]
    first = exported["requests"][0]
    assert (first["deadline"], first["deadline_text"]) == ("2027-06-24", "före midsommar")
    assert (first["budget_min_sek"], first["budget_max_sek"]) == (5000, 5000)
    assert first["budget_text"] == "ca 5000 kr"
    (drawing,) = first["attachments"]
    assert drawing["file_name"] == "kvastberg_ritning.pdf" and drawing["size"] == 12_345
    assert drawing["metadata_policy"] == "as_is_with_consent"
    assert exported["requests"][1]["attachments"] == []
    assert len(exported["introductions"]) == 2
    assert exported["checkins"][0]["answer"] == "met"

    # Correct the name, field by field: nothing else changes.
    await designer.press_key(SV, "button.correct")
    await designer.press_key(SV, "button.correct_name")
    assert designer.last.step == "name" and NAME in designer.text
    assert (await designer.say(CORRECTED)).step == "privacy"
    assert CORRECTED in designer.text
    async with session_maker() as session:
        (row,) = (await session.exec(select(DesignerRow))).all()
        assert (row.name, row.email, row.company) == (CORRECTED, EMAIL, COMPANY)

    # Erase.
    await designer.press_key(SV, "button.delete")
    assert (await designer.press_key(SV, "button.delete_yes")).step == "start"
    everything = await _every_row(session_maker)
    for value in PERSONAL:
        assert value.casefold() not in everything.casefold(), value
    async with session_maker() as session:
        assert (await session.exec(select(DesignerRow))).all() == []
        requests = (await session.exec(select(MatchRequest))).all()
    # The anonymised facts stay: dates, materials, municipality, stage, outcome.
    assert len(requests) == 2 and {r.municipality_code for r in requests} == {"1490"}
    assert {r.volume_stage for r in requests} == {"prototype"} and requests[0].materials
    assert all(r.created_at == FIXED_NOW and r.designer_id is None for r in requests)
    # The deadline and budget keep their figures, lose the designer's words; no file is left.
    first_request = min(requests, key=lambda r: r.id or 0)
    assert first_request.deadline == date(2027, 6, 24) and first_request.deadline_text is None
    assert (first_request.budget_min_sek, first_request.budget_text) == (5000, None)
    async with session_maker() as session:
        assert (await session.exec(select(RequestAttachment))).all() == []
    assert await _report(session_maker) == before  # what was reported does not change

    url = make_url(database_url)
    if url.drivername.startswith("sqlite"):
        files = [Path(str(url.database)), Path(f"{url.database}-wal")]
        raw = b"".join(path.read_bytes() for path in files if path.exists())
        assert b"Sadelgjorden" in raw or maker.encode() in raw  # the files are readable at all
        for value in PERSONAL:
            for form in _forms(value):
                assert form not in raw, (value, form)


async def test_before_consent_privacy_shows_the_draft_and_that_nothing_is_stored(
    dialogue: DesignerDialogue,
) -> None:
    designer = Designer(dialogue)
    await designer.command("start")
    await designer.say(NAME)
    assert (await designer.command("privacy")).step == "privacy"
    assert SV("privacy.draft", fields=NAME) in designer.text
    labels = [button.label for button in designer.buttons]
    assert SV("button.export") not in labels and SV("button.delete") in labels
    assert (await designer.press_key(SV, "button.back")).step == "company"


async def test_a_correction_can_be_cancelled_and_checks_like_the_form(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await designer.command("start")
    for answer in (NAME, COMPANY, EMAIL, "-"):
        await designer.say(answer)
    await designer.press_key(SV, "button.accept")
    await designer.command("privacy")
    await designer.press_key(SV, "button.correct")
    await designer.press_key(SV, "button.correct_name")
    assert (await designer.command("cancel")).step == "privacy"
    await designer.press_key(SV, "button.correct")
    await designer.press_key(SV, "button.correct_contact")
    assert (await designer.say("zelmira@gmial.com")).step == "contact"  # did you mean …?
    await designer.press(SV("button.email_suggested", email="zelmira@gmail.com"))
    assert designer.last.step == "privacy"
    await designer.press_key(SV, "button.correct")
    await designer.press_key(SV, "button.correct_org_number")
    assert (await designer.say("811218-9876")).step == "org_number"  # a personnummer: no
    assert (await designer.say(ORG_NUMBER)).step == "privacy"
    assert (await designer.press_key(SV, "button.back")).step == "describe"
    async with session_maker() as session:
        (row,) = (await session.exec(select(DesignerRow))).all()
    assert (row.name, row.company, row.email, row.phone, row.org_number) == (
        NAME,
        COMPANY,
        "zelmira@gmail.com",
        None,
        ORG_NUMBER,
    )
