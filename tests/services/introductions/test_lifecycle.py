"""The introduction lifecycle through its services, with the outbox rows inspected.

A designer in Borås (hub Västra Götaland) asks for introductions to a maker on Telegram and a
maker without it. Times are injected; nothing sleeps.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.introductions import (
    PressOutcome,
    PressStatus,
    mark_reachable,
    person_blocked,
    press,
    relay,
    submit_request,
    tick,
)
from services.matchmaking import Matchmaker
from services.privacy import erase
from storage.models import (
    ActionToken,
    Designer,
    Introduction,
    IntroductionEvent,
    IntroductionRelay,
    IntroductionStatus,
    Maker,
    MatchRequest,
    Outbox,
    RequestAttachment,
    RequestStatus,
)
from storage.repositories.makers import MakerCreate, upsert_maker
from tests.fakes.roles import BORAS, coordinator_of, seeded_hubs

ADMIN, VG_COORDINATOR, SKANE_COORDINATOR = 1, 2, 3
DESIGNER, MAKER, OTHER_MAKER = 100, 200, 201
ADMINS = frozenset({ADMIN})
# Friday 27 November 2026, 10:00 in Stockholm.
FRIDAY = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
DESIGNER_CONTACTS = ("alva@formbyran.example", "070-111 22 33", "Alva Ek", "Formbyrån AB")
MAKER_CONTACTS = ("bo@ringo.example", "031-44 55 66", "Bo Ringö")


@dataclass
class World:
    request: MatchRequest
    designer: Designer
    online: Maker  # on Telegram (MAKER)
    offline: Maker  # without Telegram: the hub answers for it
    other: Maker  # on Telegram (OTHER_MAKER), not asked


async def _maker(
    session: AsyncSession, external_id: str, name: str, telegram_user_id: int | None, **extra: str
) -> Maker:
    maker, _ = await upsert_maker(
        session=session,
        maker_in=MakerCreate(
            external_id=external_id,
            name=name,
            place_name="Borås",
            municipality_code=BORAS,
            lat=57.72,
            lon=12.94,
            materials=["rostfritt stål", "plåt"],
            processes=["laserskärning", "bockning"],
            volumes=["prototype", "pilot"],
            **extra,  # type: ignore[arg-type]
        ),
    )
    maker.telegram_user_id = telegram_user_id
    session.add(maker)
    await session.commit()
    return maker


async def _world(session: AsyncSession, *, language: str = "sv", photo: bool = True) -> World:
    hubs = await seeded_hubs(session)
    await coordinator_of(session, hubs["vastra-gotaland"], VG_COORDINATOR)
    await coordinator_of(session, hubs["skane"], SKANE_COORDINATOR)
    online = await _maker(
        session,
        "m-ringo",
        "Ringö Metall",
        MAKER,
        contact_name=MAKER_CONTACTS[2],
        email=MAKER_CONTACTS[0],
        phone=MAKER_CONTACTS[1],
    )
    offline = await _maker(session, "m-offline", "Plåtslageriet", None, email="plat@example.se")
    other = await _maker(session, "m-other", "Bockverket", OTHER_MAKER)
    await _maker(session, "m-spare", "Laserhuset", None)
    designer = Designer(
        telegram_user_id=DESIGNER,
        name=DESIGNER_CONTACTS[2],
        company=DESIGNER_CONTACTS[3],
        email=DESIGNER_CONTACTS[0],
        phone=DESIGNER_CONTACTS[1],
        language=language,
    )
    session.add(designer)
    await session.flush()
    request = MatchRequest(
        designer_id=designer.id,
        text="Laserskurna plåtdetaljer i rostfritt stål",
        photo_file_id="photo-1" if photo else None,
        materials=["metal"],
        processes=["laser_cutting"],
        volume_stage="pilot",
        quantity=200,
        place_name="Borås",
        municipality_code=BORAS,
        lat=57.72,
        lon=12.94,
        status=RequestStatus.SUBMITTED.value,
    )
    session.add(request)
    await session.flush()
    assert request.id is not None and online.id is not None and offline.id is not None
    session.add(Introduction(request_id=request.id, maker_id=online.id))
    session.add(Introduction(request_id=request.id, maker_id=offline.id))
    await session.commit()
    return World(request, designer, online, offline, other)


async def _submit(session: AsyncSession, world: World, now: datetime = FRIDAY) -> None:
    assert world.request.id is not None
    await submit_request(session=session, request_id=world.request.id, now=now, admin_ids=ADMINS)
    await session.commit()


async def _rows(session: AsyncSession, *, chat_id: int | None = None) -> list[Outbox]:
    statement = select(Outbox).order_by(col(Outbox.id))
    if chat_id is not None:
        statement = statement.where(col(Outbox.chat_id) == chat_id)
    return list((await session.exec(statement)).all())


def _text(row: Outbox) -> str:
    return str(row.payload["text"])


def _button(row: Outbox | dict[str, object], label: str) -> str:
    payload = row.payload if isinstance(row, Outbox) else row
    for line in payload["buttons"]:  # type: ignore[attr-defined]
        for button in line:
            if label in button["label"]:
                return str(button["data"])
    raise AssertionError(f"no button {label!r} in {payload}")


async def _intro(session: AsyncSession, maker: Maker) -> Introduction:
    result = await session.exec(
        select(Introduction)
        .where(col(Introduction.maker_id) == maker.id)
        .execution_options(populate_existing=True)
    )
    return result.one()


async def _press(
    session: AsyncSession,
    token: str,
    user_id: int,
    now: datetime = FRIDAY,
    matchmaker: Matchmaker | None = None,
) -> PressOutcome:
    outcome = await press(
        session=session,
        token=token,
        user_id=user_id,
        admin_ids=ADMINS,
        now=now,
        matchmaker=matchmaker,
    )
    await session.commit()
    return outcome


def _contains_any(text: str, needles: tuple[str, ...]) -> bool:
    return any(needle in text for needle in needles)


async def test_submit_sends_anonymised_briefs_and_tells_the_hub_once(session: AsyncSession) -> None:
    world = await _world(session)
    await _submit(session, world)
    await _submit(session, world)  # again: nothing is doubled

    request = await session.get(MatchRequest, world.request.id, populate_existing=True)
    assert request is not None and request.hub_id is not None
    for maker in (world.online, world.offline):
        introduction = await _intro(session, maker)
        assert introduction.status == IntroductionStatus.BRIEF_SENT
        assert introduction.brief_sent_at == FRIDAY

    rows = await _rows(session)
    assert [(row.chat_id, row.kind) for row in rows] == [
        (MAKER, "intro.brief"),
        (VG_COORDINATOR, "intro.brief_hub"),
        (VG_COORDINATOR, "intro.new_request"),
    ]
    brief = rows[0]
    assert brief.payload["photo_file_id"] == "photo-1"
    assert "Laserskurna plåtdetaljer" in _text(brief)
    assert "200 st" in _text(brief) and "Borås" in _text(brief)
    assert [b["label"] for line in brief.payload["buttons"] for b in line] == [  # type: ignore[attr-defined]
        "✅ Intresserad",
        "Inte nu",
        "❓ Ställ en fråga",
    ]
    on_behalf = rows[1]
    assert "<pre>" in _text(on_behalf) and "plat@example.se" in _text(on_behalf)
    assert "Plåtslageriet" in _text(rows[2]) and "Ringö Metall" in _text(rows[2])
    # No designer contact data anywhere before anyone said Interested.
    for row in rows:
        assert not _contains_any(json.dumps(row.payload, ensure_ascii=False), DESIGNER_CONTACTS)
    events = (await session.exec(select(IntroductionEvent))).all()
    assert sorted(e.event for e in events) == ["brief_sent", "brief_sent"]


async def test_the_files_follow_each_brief_to_the_maker_and_to_the_hub_once(
    session: AsyncSession,
) -> None:
    world = await _world(session, photo=False)
    assert world.request.id is not None
    world.request.deadline = date(2027, 3, 31)
    world.request.deadline_text = "till mars, ring 070-111 22 33 eller alva@formbyran.example"
    world.request.budget_min_sek, world.request.budget_max_sek = 10_000, 20_000
    session.add(world.request)
    for kind, file_id, name in (("pdf", "file-pdf", "detalj.pdf"), ("photo", "file-photo", None)):
        session.add(
            RequestAttachment(
                request_id=world.request.id,
                file_id=file_id,
                file_unique_id=f"u-{file_id}",
                kind=kind,
                file_name=name,
                metadata_policy="as_is_with_consent" if kind == "pdf" else "reencoded_by_telegram",
            )
        )
    await session.commit()
    await _submit(session, world)
    await _submit(session, world)  # again: no file twice

    # The files ride in the brief's own row, after its text: never before it or without it.
    (brief,) = [row.payload for row in await _rows(session, chat_id=MAKER)]
    assert "<b>Klart:</b> senast 31 mars 2027" in str(brief["text"])
    assert "<b>Budget:</b> 10\u00a0000–20\u00a0000 kr" in str(brief["text"])
    assert "📎 2 bifogade filer följer nedan." in str(brief["text"])
    number = world.request.id
    assert brief["files"] == [
        {
            "file_id": "file-pdf",
            "caption": f"📎 Fil 1 av 2 till förfrågan nr {number}",
            "photo": False,
        },
        {
            "file_id": "file-photo",
            "caption": f"📎 Fil 2 av 2 till förfrågan nr {number}",
            "photo": True,
        },
    ]
    # The maker without Telegram: the hub gets the files to forward with the copy.
    on_behalf = next(r for r in await _rows(session) if r.kind == "intro.brief_hub")
    files = on_behalf.payload["files"]
    assert [f["file_id"] for f in files] == ["file-pdf", "file-photo"]  # type: ignore[index, union-attr]
    assert "för Plåtslageriet" in files[0]["caption"]  # type: ignore[index]
    notice = next(r for r in await _rows(session) if r.kind == "intro.new_request")
    assert "<b>Bifogat:</b> detalj.pdf, foto" in _text(notice)
    # The designer's own words pass the contact filter like the description does.
    assert "(”till mars, ring […] eller […]”)" in str(brief["text"])
    for row in await _rows(session):
        assert not _contains_any(json.dumps(row.payload, ensure_ascii=False), DESIGNER_CONTACTS)


async def test_interested_sends_both_contact_cards_and_tells_the_hub(session: AsyncSession) -> None:
    world = await _world(session, language="en")
    await _submit(session, world)
    brief = (await _rows(session, chat_id=MAKER))[0]
    before = len(await _rows(session))

    outcome = await _press(session, _button(brief, "Intresserad"), MAKER)
    assert outcome.status is PressStatus.DONE
    introduction = await _intro(session, world.online)
    assert introduction.status == IntroductionStatus.INTERESTED

    new = (await _rows(session))[before:]
    assert [(row.chat_id, row.kind) for row in new] == [
        (DESIGNER, "intro.contact"),
        (MAKER, "intro.contact"),
        (VG_COORDINATOR, "intro.made"),
    ]
    to_designer, to_maker, _made = new
    assert "would like to help you" in _text(to_designer)  # the designer's language
    assert all(contact in _text(to_designer) for contact in MAKER_CONTACTS)
    assert all(contact in _text(to_maker) for contact in DESIGNER_CONTACTS)
    event = (
        await session.exec(
            select(IntroductionEvent).where(col(IntroductionEvent.event) == "interested")
        )
    ).one()
    assert event.actor_user_id == MAKER and event.at == FRIDAY
    assert "consent" in event.detail

    # Pressing again, or the other answer, changes nothing.
    again = await _press(session, _button(brief, "Intresserad"), MAKER)
    assert again.status is PressStatus.ALREADY
    other = await _press(session, _button(brief, "Inte nu"), MAKER)
    assert other.status is PressStatus.ALREADY
    assert len(await _rows(session)) == before + 3
    assert (await _intro(session, world.online)).status == IntroductionStatus.INTERESTED


async def test_not_now_tells_the_designer_kindly_with_alternatives(session: AsyncSession) -> None:
    world = await _world(session)
    await _submit(session, world)
    matchmaker = await Matchmaker.load(session=session)
    brief = (await _rows(session, chat_id=MAKER))[0]

    choose = await _press(session, _button(brief, "Inte nu"), MAKER)
    assert choose.status is PressStatus.DONE
    assert (await _intro(session, world.online)).status == IntroductionStatus.BRIEF_SENT
    reasons = choose.replies[0]
    labels = [b.label for line in reasons.buttons for b in line]
    assert labels == ["Fullbokade", "Inte vår typ av jobb", "Volymen passar inte", "Annat skäl"]
    before = len(await _rows(session))
    fully_booked = reasons.buttons[0][0].data
    outcome = await _press(session, fully_booked, MAKER, matchmaker=matchmaker)
    assert outcome.status is PressStatus.DONE

    introduction = await _intro(session, world.online)
    assert introduction.status == IntroductionStatus.DECLINED
    assert introduction.decline_reason == "fully_booked"
    new = (await _rows(session))[before:]
    assert [(row.chat_id, row.kind) for row in new] == [
        (DESIGNER, "intro.news"),
        (VG_COORDINATOR, "intro.declined"),
    ]
    news, hub = new
    assert "Ringö Metall har tyvärr inte möjlighet" in _text(news)
    assert "fullbokade" in _text(hub)
    # Alternatives: makers not asked yet, never the maker's contacts.
    assert "Bockverket" in _text(news) and "Laserhuset" in _text(news)
    assert "Plåtslageriet" not in _text(news)
    assert not _contains_any(_text(news), MAKER_CONTACTS)

    # The designer asks for an alternative: a new introduction with its brief.
    introduce = _button(news, "Bockverket")
    assert (await _press(session, introduce, MAKER)).status is PressStatus.REFUSED
    asked = await _press(session, introduce, DESIGNER, matchmaker=matchmaker)
    assert asked.status is PressStatus.DONE
    assert (await _intro(session, world.other)).status == IntroductionStatus.BRIEF_SENT
    assert [row.kind for row in await _rows(session, chat_id=OTHER_MAKER)] == ["intro.brief"]
    twice = await _press(session, introduce, DESIGNER, matchmaker=matchmaker)
    assert twice.status is PressStatus.ALREADY
    assert len(await _rows(session, chat_id=OTHER_MAKER)) == 1


async def test_a_question_is_relayed_both_ways_without_contacts(session: AsyncSession) -> None:
    world = await _world(session)
    await _submit(session, world)
    brief = (await _rows(session, chat_id=MAKER))[0]
    assert await relay(session=session, from_user_id=MAKER, text="hej", now=FRIDAY) is None

    prompt = await _press(session, _button(brief, "fråga"), MAKER)
    assert prompt.status is PressStatus.DONE and prompt.replies
    asked = await relay(session=session, from_user_id=MAKER, text="Vilken stålsort?", now=FRIDAY)
    await session.commit()
    assert asked is not None
    question = (await _rows(session, chat_id=DESIGNER))[-1]
    assert "Vilken stålsort?" in _text(question)
    assert not _contains_any(_text(question), (*MAKER_CONTACTS, "Ringö"))

    later = FRIDAY + timedelta(hours=1)
    answered = await relay(session=session, from_user_id=DESIGNER, text="316L <tack>", now=later)
    await session.commit()
    assert answered is not None
    answer = (await _rows(session, chat_id=MAKER))[-1]
    assert "316L &lt;tack&gt;" in _text(answer)
    assert not _contains_any(_text(answer), DESIGNER_CONTACTS)
    # The maker can answer from there; the relay is closed on both sides.
    assert _button(answer, "Intresserad")
    assert await relay(session=session, from_user_id=DESIGNER, text="mer", now=later) is None
    assert await relay(session=session, from_user_id=MAKER, text="mer", now=later) is None
    events = (await session.exec(select(IntroductionEvent.event))).all()
    assert {"question", "answer"} <= set(events)


async def test_no_answer_reminds_after_three_working_days_then_unanswered(
    session: AsyncSession,
) -> None:
    world = await _world(session)
    await _submit(session, world)  # Friday
    tuesday = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    wednesday = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    friday_after = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

    for now in (tuesday, wednesday - timedelta(minutes=1)):
        assert (await tick(session=session, now=now, admin_ids=ADMINS)).reminded == 0
    report = await tick(session=session, now=wednesday, admin_ids=ADMINS)
    await session.commit()
    assert report.reminded == 2 and report.unanswered == 0
    assert (await _rows(session, chat_id=MAKER))[-1].kind == "intro.reminder"
    kinds = [row.kind for row in await _rows(session, chat_id=VG_COORDINATOR)]
    assert kinds[-1] == "intro.reminder"  # the maker without Telegram: the hub reminds
    again = await tick(session=session, now=wednesday + timedelta(hours=5), admin_ids=ADMINS)
    assert again.reminded == 0  # one reminder only

    not_yet = await tick(session=session, now=friday_after - timedelta(minutes=1))
    assert not_yet.unanswered == 0
    report = await tick(session=session, now=friday_after, admin_ids=ADMINS)
    await session.commit()
    assert report.unanswered == 2
    assert (await _intro(session, world.online)).status == IntroductionStatus.UNANSWERED
    designer_rows = await _rows(session, chat_id=DESIGNER)
    assert [row.kind for row in designer_rows] == ["intro.news", "intro.news"]
    assert "inte svarat" in _text(designer_rows[0])
    hub_kinds = [row.kind for row in await _rows(session, chat_id=VG_COORDINATOR)]
    assert hub_kinds.count("intro.unanswered") == 2
    events = (await session.exec(select(IntroductionEvent.event))).all()
    assert sorted(events).count("reminded") == 2 and sorted(events).count("unanswered") == 2


async def test_a_holiday_pushes_the_reminder(session: AsyncSession) -> None:
    world = await _world(session)
    tuesday = datetime(2026, 6, 16, 8, 0, tzinfo=UTC)  # Fri 19 June is midsommarafton
    await _submit(session, world, now=tuesday)
    friday = datetime(2026, 6, 19, 8, 0, tzinfo=UTC)
    monday = datetime(2026, 6, 22, 8, 0, tzinfo=UTC)
    assert (await tick(session=session, now=friday)).reminded == 0
    assert (await tick(session=session, now=monday)).reminded == 2


async def test_a_coordinator_records_the_answer_for_a_maker_without_telegram(
    session: AsyncSession,
) -> None:
    world = await _world(session)
    await _submit(session, world)
    on_behalf = next(r for r in await _rows(session) if r.kind == "intro.brief_hub")
    assert "fråga" not in json.dumps(on_behalf.payload["buttons"], ensure_ascii=False)
    outcome = await _press(session, _button(on_behalf, "Intresserad"), VG_COORDINATOR)
    assert outcome.status is PressStatus.DONE
    assert (await _intro(session, world.offline)).status == IntroductionStatus.INTERESTED
    # The coordinator gets the designer's card to pass on; the designer gets the maker's.
    cards = [r for r in await _rows(session) if r.kind == "intro.contact"]
    assert sorted(r.chat_id for r in cards) == [VG_COORDINATOR, DESIGNER]
    event = (
        await session.exec(
            select(IntroductionEvent).where(col(IntroductionEvent.event) == "interested")
        )
    ).one()
    assert event.actor_user_id == VG_COORDINATOR and event.detail["on_behalf"] is True


async def test_only_the_addressed_maker_or_the_hub_may_answer(
    session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    world = await _world(session)
    await _submit(session, world)
    brief = (await _rows(session, chat_id=MAKER))[0]
    on_behalf = next(r for r in await _rows(session) if r.kind == "intro.brief_hub")
    interested = _button(brief, "Intresserad")
    hub_interested = _button(on_behalf, "Intresserad")
    hub_not_now = _button(on_behalf, "Inte nu")
    before = len(await _rows(session))

    caplog.set_level(logging.WARNING, logger="services.hubs.access")
    for token, user in [
        (interested, OTHER_MAKER),  # another maker
        (interested, VG_COORDINATOR),  # addressed to the maker, not to the hub
        (interested, DESIGNER),
        (hub_interested, SKANE_COORDINATOR),  # a coordinator of another hub
        (hub_interested, MAKER),  # a maker, not a coordinator
        ("forged-" + interested[7:], MAKER),  # forged
        ("", MAKER),
    ]:
        outcome = await _press(session, token, user)
        assert outcome.status is PressStatus.REFUSED, (token, user)
    refusals = [r for r in caplog.records if "refused press" in r.getMessage()]
    assert len(refusals) == 7
    assert len(await _rows(session)) == before
    assert (await _intro(session, world.online)).status == IntroductionStatus.BRIEF_SENT
    assert (await _intro(session, world.offline)).status == IntroductionStatus.BRIEF_SENT

    # The addressed maker and an admin (for the hub) may; a replay changes nothing.
    assert (await _press(session, interested, MAKER)).status is PressStatus.DONE
    assert (await _press(session, hub_not_now, ADMIN)).status is PressStatus.DONE
    assert (await _press(session, hub_interested, ADMIN)).status is PressStatus.DONE
    after = len(await _rows(session))
    assert (await _press(session, hub_interested, VG_COORDINATOR)).status is PressStatus.ALREADY
    assert (await _press(session, interested, MAKER)).status is PressStatus.ALREADY
    assert len(await _rows(session)) == after


async def test_a_maker_whose_listing_moved_to_another_account_is_refused(
    session: AsyncSession,
) -> None:
    world = await _world(session)
    await _submit(session, world)
    brief = (await _rows(session, chat_id=MAKER))[0]
    maker = await session.get(Maker, world.online.id)
    assert maker is not None
    maker.telegram_user_id = 999
    session.add(maker)
    await session.commit()
    outcome = await _press(session, _button(brief, "Intresserad"), MAKER)
    assert outcome.status is PressStatus.REFUSED


async def test_an_unmet_request_tells_the_hub(session: AsyncSession) -> None:
    world = await _world(session)
    request = await session.get(MatchRequest, world.request.id)
    assert request is not None
    request.status = RequestStatus.UNMET.value
    session.add(request)
    for introduction in (await session.exec(select(Introduction))).all():
        await session.delete(introduction)
    await session.commit()
    await _submit(session, world)
    await _submit(session, world)
    rows = await _rows(session)
    assert [(row.chat_id, row.kind) for row in rows] == [(VG_COORDINATOR, "intro.unmet")]
    assert "utan bra matchning" in _text(rows[0])


async def test_a_person_who_blocked_the_bot_is_unreachable_and_the_hub_is_told(
    session: AsyncSession,
) -> None:
    world = await _world(session)
    await _submit(session, world)
    before = len(await _rows(session))
    now = FRIDAY + timedelta(hours=2)
    for _ in range(2):  # the second 403 changes nothing more
        await person_blocked(session, MAKER, MAKER, admin_ids=ADMINS, now=now)
        await person_blocked(session, DESIGNER, None, admin_ids=ADMINS, now=now)
        await person_blocked(session, -100123, None, admin_ids=ADMINS, now=now)  # a group
        await session.commit()
    maker = await session.get(Maker, world.online.id, populate_existing=True)
    designer = await session.get(Designer, world.designer.id, populate_existing=True)
    assert maker is not None and maker.unreachable_at == now
    assert designer is not None and designer.unreachable_at == now
    new = (await _rows(session))[before:]
    assert [(row.chat_id, row.kind) for row in new] == [
        (VG_COORDINATOR, "intro.unreachable"),
        (VG_COORDINATOR, "intro.unreachable"),
    ]
    assert "Ringö Metall" in _text(new[0]) and "Alva Ek" in _text(new[1])

    # The next brief for the unreachable maker goes to the hub instead.
    assert world.request.id is not None and world.other.id is not None
    other_request = MatchRequest(
        designer_id=world.designer.id, text="Bockade plåtar", municipality_code=BORAS
    )
    session.add(other_request)
    await session.flush()
    assert other_request.id is not None and maker.id is not None
    session.add(Introduction(request_id=other_request.id, maker_id=maker.id))
    await session.commit()
    await submit_request(session=session, request_id=other_request.id, now=now)
    await session.commit()
    assert len(await _rows(session, chat_id=MAKER)) == 1  # only the first brief
    assert (await _rows(session))[-2].kind == "intro.brief_hub"


async def test_coordinators_of_the_hub_open_the_request_from_its_notice(
    session: AsyncSession,
) -> None:
    world = await _world(session)
    await _submit(session, world)
    notice = next(r for r in await _rows(session) if r.kind == "intro.new_request")
    open_request = _button(notice, "Öppna förfrågan")
    before = len(await _rows(session))

    for user in (SKANE_COORDINATOR, MAKER, DESIGNER):
        assert (await _press(session, open_request, user)).status is PressStatus.REFUSED
    for user in (VG_COORDINATOR, VG_COORDINATOR, ADMIN):  # repeatable: opening changes nothing
        outcome = await _press(session, open_request, user)
        assert outcome.status is PressStatus.DONE
        text = outcome.replies[0].text
        assert "Ringö Metall: väntar på svar" in text and "Plåtslageriet" in text
        assert all(contact in text for contact in DESIGNER_CONTACTS)
    assert len(await _rows(session)) == before


async def test_two_answers_at_once_change_the_introduction_once(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(session)
    await _submit(session, world)
    brief = (await _rows(session, chat_id=MAKER))[0]
    interested = _button(brief, "Intresserad")
    reasons = (await _press(session, _button(brief, "Inte nu"), MAKER)).replies[0]
    decline = reasons.buttons[0][0].data

    async def answer(token: str) -> PressStatus:
        async with session_maker() as own:
            outcome = await press(
                session=own, token=token, user_id=MAKER, admin_ids=ADMINS, now=FRIDAY
            )
            await own.commit()
            return outcome.status

    statuses = await asyncio.gather(answer(interested), answer(decline))
    assert sorted(statuses) == [PressStatus.ALREADY, PressStatus.DONE]
    events = (await session.exec(select(IntroductionEvent.event))).all()
    assert len([e for e in events if e in ("interested", "declined")]) == 1


async def test_erasing_the_designer_keeps_the_introductions_but_not_who_they_were(
    session: AsyncSession,
) -> None:
    world = await _world(session)
    await _submit(session, world)
    brief = (await _rows(session, chat_id=MAKER))[0]
    await _press(session, _button(brief, "fråga"), MAKER)
    await _press(session, _button(brief, "Intresserad"), MAKER)
    assert world.designer.id is not None
    await erase(session=session, designer=world.designer)
    await session.commit()
    statuses = (await session.exec(select(Introduction.status))).all()
    assert "interested" in statuses  # a fact the statistics count: it stays
    tokens = (await session.exec(select(ActionToken.allowed_user_id))).all()
    actors = (await session.exec(select(IntroductionEvent.actor_user_id))).all()
    writers = (await session.exec(select(IntroductionRelay.writer_user_id))).all()
    assert DESIGNER not in [*tokens, *actors, *writers]


async def test_erasing_the_designer_drops_what_the_outbox_holds_about_them(
    session: AsyncSession,
) -> None:
    world = await _world(session)
    await _submit(session, world)
    brief = (await _rows(session, chat_id=MAKER))[0]
    await _press(session, _button(brief, "Intresserad"), MAKER)  # contact cards queued
    assert any(DESIGNER_CONTACTS[0] in _text(row) for row in await _rows(session))
    assert world.designer.id is not None
    await erase(session=session, designer=world.designer)
    await session.commit()
    remaining = await _rows(session)
    for contact in DESIGNER_CONTACTS:  # email, phone, name, company: in no row at all
        assert not any(contact in _text(row) for row in remaining), contact
    assert not [row for row in remaining if row.chat_id == DESIGNER]
    # The next request may get the erased rows' ids (SQLite): its brief must still go out.
    world = await _world_again(session, world)
    await _submit(session, world)
    assert [row for row in await _rows(session, chat_id=MAKER) if "brief" in str(row.dedupe_key)]


async def _world_again(session: AsyncSession, world: World) -> World:
    """A second designer asking the same makers (after the first one's data was erased)."""
    designer = Designer(telegram_user_id=DESIGNER + 1, name="Nora", company="Nora AB")
    session.add(designer)
    await session.flush()
    request = MatchRequest(
        designer_id=designer.id,
        text="Laserskurna plåtdetaljer",
        materials=["metal"],
        processes=["laser_cutting"],
        place_name="Borås",
        municipality_code=BORAS,
        lat=57.72,
        lon=12.94,
        status=RequestStatus.SUBMITTED.value,
    )
    session.add(request)
    await session.flush()
    assert request.id is not None and world.online.id is not None
    session.add(Introduction(request_id=request.id, maker_id=world.online.id))
    await session.commit()
    return World(request, designer, world.online, world.offline, world.other)


async def test_a_person_who_comes_back_is_reachable_again(session: AsyncSession) -> None:
    world = await _world(session)
    await person_blocked(session, MAKER, MAKER, admin_ids=ADMINS, now=FRIDAY)
    await session.commit()
    await session.refresh(world.online)
    assert world.online.unreachable_at is not None
    await mark_reachable(session=session, telegram_user_id=MAKER)
    await session.commit()
    await session.refresh(world.online)
    assert world.online.unreachable_at is None


async def test_a_question_relay_lapses_and_a_second_tap_keeps_one(session: AsyncSession) -> None:
    world = await _world(session)
    await _submit(session, world)
    brief = (await _rows(session, chat_id=MAKER))[0]
    await _press(session, _button(brief, "fråga"), MAKER)
    await _press(session, _button(brief, "fråga"), MAKER)
    open_relays = (
        await session.exec(
            select(IntroductionRelay).where(col(IntroductionRelay.closed_at).is_(None))
        )
    ).all()
    assert len(open_relays) == 1
    # Two days later the maker's text is not taken as the question any more.
    later = FRIDAY + timedelta(days=2)
    assert await relay(session=session, from_user_id=MAKER, text="Vilken färg?", now=later) is None
