"""A matchmaking round through the bot: a coordinator opens it with /round (theme, sign-up
window, 8 makers with capacities), 12 designers join through its link with their briefs, the
window closes (the job), the proposal is the best pairing there is and respects capacity, the
coordinator swaps one designer and approves, the briefs go out through the normal lifecycle,
and a maker's yes exchanges the contact cards (double opt-in unchanged). The real Application
talks HTTP to the local fake Bot API, on a real database with the demo catalogue; one movable
clock, nothing sleeps (the harness is the introductions' end-to-end test's).
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.bench.scripted import Move, SimulatedPerson, play
from bot.telegram.rounds.handlers import CLOSE_JOB_NAME
from services.dialogue.texts import Texts
from services.insight.periods import period_between
from services.insight.report import ReportFormat, funder_report, report_bytes
from services.insight.scope import Scope
from services.insight.texts import InsightTexts
from services.introductions.calendar import STOCKHOLM
from services.introductions.texts import IntroTexts
from services.rounds.texts import RoundTexts
from storage.engine import session_factory
from storage.models import (
    Introduction,
    Maker,
    MatchRequest,
    Round,
    RoundEntry,
    RoundMaker,
    RoundPair,
)
from storage.repositories.hubs import list_hubs
from tests.bot.telegram.introductions.test_introductions_end_to_end import (
    GROUP,
    KARIN,
    MAJA,
    Bench,
    database_url,
    in_group,
    invite,
    press,
    running,
    staff_the_hub,
    texts,
)

__all__ = ["database_url"]  # the fixture: the demo catalogue in a fresh SQLite database

R = RoundTexts("sv")
D = Texts("sv")
T = IntroTexts("sv")
INSIGHT = InsightTexts("sv")
LINK = re.compile(r"\?start=(round_[A-Za-z0-9_-]+)")

# Eight of Västra Götaland's demo makers and the designers each may take in this round.
CAPACITIES = {
    "demo-005": 2,  # Maskstickeriet: knitting in wool
    "demo-007": 2,  # Snickeriet vid Tidan: furniture in solid wood
    "demo-002": 1,  # Ringö Metall: laser cutting, sheet metal
    "demo-011": 1,  # Vänerporslin Ateljé: slip-cast porcelain
    "demo-018": 1,  # Keramikstudion Kålltorp: thrown stoneware
    "demo-030": 1,  # Smältpunkten Glasstudio: fused glass
    "demo-015": 2,  # Ateljé Sömnad & Form: sewing
    "demo-036": 2,  # Kölsvinet Båtsnickeri: boats, and furniture in oak
}
BRIEFS = [
    "stickade mössor i ull",
    "stickad pläd i merinoull",
    "stickade vantar i ull",
    "matbord i massiv ek",
    "stolar i ask",
    "laserskurna lampdetaljer i stål",
    "porslinskoppar gjutna i gips",
    "drejade muggar i stengods",
    "skålar i smält planglas",
    "sydda förkläden i linne",
    "en bänk i massiv ek",
    "bronsgjutning av en skulptur",  # none of the round's makers casts metal: unmet
]
DESIGNERS = [
    SimulatedPerson(9100 + n, language_code="sv", first_name=f"Formgivare{n}")
    for n in range(len(BRIEFS))
]
LATE = SimulatedPerson(9199, language_code="sv", first_name="Sen")


def brief_journey(brief: str, number: int) -> list[Move]:
    """After the round's link: the profile, consent and the brief, to the round's button."""
    return [
        Move("text", f"Formgivare {number}", "company.prompt"),
        Move("tap", "button.skip", "contact.prompt"),
        Move("text", f"formgivare{number}@example.se", "org_number.prompt"),
        Move("tap", "button.skip", "button.accept"),
        Move("tap", "button.accept", "describe.prompt"),
        Move("text", brief, "button.continue"),
        Move("tap", "button.continue", "volume.prototype"),
        Move("tap", "volume.prototype", "quantity.prompt"),
        Move("tap", "button.skip", "location.prompt"),
        Move("location", "Borås", "radius.all", point=(57.721, 12.940)),
        Move("tap", "radius.all", "deadline.prompt"),
        Move("tap", "button.skip", "budget.prompt"),
        Move("tap", "button.skip", "button.join_round"),
        Move("tap", "button.join_round", "round.joined"),
    ]


async def join_with_brief(bench: Bench, person: SimulatedPerson, link: str, n: int) -> None:
    opened = await bench.deliver(person.command("start", link))
    assert "matchningsomgången" in texts(opened) and D("name.prompt") in texts(opened)
    await play(person, brief_journey(BRIEFS[n], n), bench.deliver, language="sv")


async def rows(bench: Bench, model: Any) -> list[Any]:
    async with session_factory(bench.runtime.engine)() as session:
        return list((await session.exec(select(model).order_by(col(model.id)))).all())


def best_total_by_search(scores: list[dict[int, float]], capacity: dict[int, int]) -> float:
    """Try every pairing (each designer: one of its eligible makers, or nobody) within the
    capacities: exact, and small here because each brief fits only a few makers."""
    best = 0.0
    load = dict.fromkeys(capacity, 0)

    def walk(designer: int, total: float) -> None:
        nonlocal best
        if designer == len(scores):
            best = max(best, total)
            return
        walk(designer + 1, total)
        for maker, score in scores[designer].items():
            if load[maker] < capacity[maker]:
                load[maker] += 1
                walk(designer + 1, total + score)
                load[maker] -= 1

    walk(0, 0.0)
    return best


async def open_round(bench: Bench) -> tuple[int, str, list[Any]]:
    """Karin (Västra Götaland's coordinator, the hub staffed) opens the round; its number,
    link and card."""
    closes = (bench.clock.now() + timedelta(days=7)).astimezone(STOCKHOLM).date().isoformat()
    created = await bench.deliver(KARIN.command("round", f"new Vinterns produkter; {closes}"))
    match = re.search(r"Omgång nr (\d+)", texts(created))
    assert match is not None, texts(created)
    number = int(match.group(1))
    spec = " ".join(f"{maker}:{places}" for maker, places in CAPACITIES.items())
    card = await bench.deliver(KARIN.command("round", f"makers {number} {spec}"))
    assert "Tillverkare: 8 (12 platser)" in texts(card)
    opened = await bench.deliver(press(KARIN, card, R.plain("button.open")))
    link = LINK.search(texts(opened))
    assert link is not None, texts(opened)
    return number, link.group(1), opened


async def test_a_round_of_12_designers_and_8_makers_from_round_to_a_makers_yes(
    database_url: str,
) -> None:
    async with running(database_url) as bench:
        await staff_the_hub(bench)
        token = await invite(bench, KARIN, "maker demo-005")
        assert "Maskstickeriet" in texts(await bench.deliver(MAJA.command("start", token)))
        number, link, _ = await open_round(bench)

        for n, designer in enumerate(DESIGNERS):
            await join_with_brief(bench, designer, link, n)
        (round_,) = await rows(bench, Round)
        assert len(await rows(bench, RoundEntry)) == 12

        # The window closes: the job proposes and sends the card to the hub's group.
        bench.clock.move_to(round_.closes_at + timedelta(minutes=1))
        mark = bench.api.mark()
        assert bench.app.job_queue is not None
        (job,) = bench.app.job_queue.get_jobs_by_name(CLOSE_JOB_NAME)
        await job.run(bench.app)
        await bench.flush()
        proposal = bench.to(GROUP["id"], since=mark)
        assert "Anmälan har stängt" in texts(proposal)
        assert R.plain("button.approve") in {b["text"] for s in proposal for b in s.buttons()}

        # Joining after the window closed is refused politely.
        late = await bench.deliver(LATE.command("start", link))
        assert D("round.closed") in texts(late)
        assert len(await rows(bench, RoundEntry)) == 12

        # The proposal: optimal (an exhaustive search over the eligible pairs agrees), within
        # every maker's capacity, and the brief nobody in the round fits is listed unmet.
        pairs = await rows(bench, RoundPair)
        places = {p.maker_id: p.capacity for p in await rows(bench, RoundMaker)}
        load: dict[int, int] = {}
        for pair in pairs:
            load[pair.maker_id] = load.get(pair.maker_id, 0) + 1
        assert all(load[maker] <= places[maker] for maker in load)
        scores = await eligible_scores(bench)
        assert sum(p.score for p in pairs) == pytest.approx(
            best_total_by_search(scores, places), abs=1e-6
        )
        # 12 briefs, 12 places, yet two unmet: three knitting briefs for Maskstickeriet's 2
        # places, and the bronze casting fits nobody in the round. The three furniture briefs
        # share Snickeriet vid Tidan's 2 places and Kölsvinet's 2, the best total deciding who
        # goes where.
        assert len(pairs) == 10
        entries = await rows(bench, RoundEntry)
        requests = {r.id: r for r in await rows(bench, MatchRequest)}
        paired = {p.entry_id for p in pairs}
        unmet = [requests[e.request_id].text for e in entries if e.id not in paired]
        assert "bronsgjutning av en skulptur" in unmet
        assert f"fullt): {len(unmet)}" in texts(proposal)

        # Karin moves a designer to another eligible maker with a place left, then approves.
        movable = [b["text"] for s in proposal for b in s.buttons() if b["text"].startswith("Byt")]
        options: list[Any] = []
        for label in movable:
            options = await bench.deliver(press(KARIN, proposal, label))
            if any(b["text"] != R.plain("button.back") for s in options for b in s.buttons()):
                break
        choice = next(
            b["text"] for s in options for b in s.buttons() if b["text"] != R.plain("button.back")
        )
        swapped = await bench.deliver(press(KARIN, options, choice))
        assert "bytt" in texts(swapped)
        mark = bench.api.mark()
        approved = await bench.deliver(press(KARIN, swapped, R.plain("button.approve")))
        assert "Godkänt" in texts(approved)
        assert all(p.status == "approved" for p in await rows(bench, RoundPair))

        # Every pair became an introduction, briefed at once through the normal lifecycle.
        introductions = await rows(bench, Introduction)
        assert len(introductions) == len(pairs)
        assert all(i.status == "brief_sent" for i in introductions)
        makers = {m.id: m for m in await rows(bench, Maker)}
        knitting = [i for i in introductions if makers[i.maker_id].external_id == "demo-005"]
        assert 1 <= len(knitting) <= 2
        briefs = bench.to(MAJA.user_id, since=mark)
        assert len([s for s in briefs if "Ny förfrågan via SPOK" in s.text]) == len(knitting)
        for secret in ("formgivare", "@example.se"):
            assert secret not in texts(briefs).lower().replace("spok", "")
        told = {d.user_id: texts(bench.to(d.user_id, since=mark)) for d in DESIGNERS}
        assert sum("har gått till" in text for text in told.values()) == len(pairs)
        assert sum("ingen av omgångens tillverkare" in text for text in told.values()) == len(unmet)

        # Maja says yes to her first brief: only now do both sides get each other's contacts.
        request_of = {i.id: requests[i.request_id] for i in introductions}
        first = request_of[knitting[0].id]
        designer = DESIGNERS[BRIEFS.index(first.text)]
        email = f"formgivare{BRIEFS.index(first.text)}@example.se"
        assert "jenny.maskell@example.se" not in told[designer.user_id]
        brief = [s for s in briefs if first.text in s.text]
        mark = bench.api.mark()
        await bench.deliver(press(MAJA, brief, T("button.interested")))
        assert email in texts(bench.to(MAJA.user_id, since=mark))
        assert "jenny.maskell@example.se" in texts(bench.to(designer.user_id, since=mark))
        assert number == round_.id

        # The round's own figures, in /stats and in the funder report.
        stats = texts(await bench.deliver(KARIN.command("stats")))
        assert "Matchningsomgångar" in stats
        figures = (
            f"nr {number} Vinterns produkter: anmälda 12, föreslagna par 10, godkända 10, "
            "intresserade tillverkare 1, gjorda introduktioner 1, utan tillverkare 2"
        )
        assert figures in stats
        async with session_factory(bench.runtime.engine)() as session:
            hubs = await list_hubs(session=session)
            scope = Scope(tuple(h for h in hubs if h.id == round_.hub_id), False, tuple(hubs))
            day = bench.clock.now().astimezone(STOCKHOLM).date()
            report = await funder_report(
                session=session, scope=scope, period=period_between(day - timedelta(30), day)
            )
        sheet = load_workbook(io.BytesIO(report_bytes(report, ReportFormat.XLSX, INSIGHT)))
        (row,) = sheet["Matchningsomgångar"].iter_rows(min_row=2, values_only=True)
        assert row[0] == number and row[4:] == (12, 10, 10, 1, 1, 2)
        lines = report_bytes(report, ReportFormat.CSV, INSIGHT).decode("utf-8-sig").splitlines()
        blank = lines.index("")
        assert lines[blank + 1].startswith("omgång;tema;status")
        assert lines[blank + 2].endswith(";12;10;10;1;1;2")


async def eligible_scores(bench: Bench) -> list[dict[int, float]]:
    """Each entry's eligible makers and scores, as the round's scorer gives them now."""
    scorer = bench.runtime.round_scorer
    assert scorer is not None
    makers = {m.id: m for m in await rows(bench, Maker)}
    in_round = [makers[p.maker_id] for p in await rows(bench, RoundMaker)]
    requests = {r.id: r for r in await rows(bench, MatchRequest)}
    today = bench.clock.now().date()
    result = []
    for entry in await rows(bench, RoundEntry):
        scores = scorer(requests[entry.request_id], [m.to_profile() for m in in_round], today=today)
        result.append({m.id: scores[m.external_id] for m in in_round if m.external_id in scores})
    return result


async def test_only_the_hubs_coordinators_open_or_approve_a_round(database_url: str) -> None:
    async with running(database_url) as bench:
        stranger = SimulatedPerson(9300, language_code="sv", first_name="Eve")
        refused = await bench.deliver(stranger.command("round", "new Lampor; 2030-01-01"))
        assert R("refused") in texts(refused)
        assert await rows(bench, Round) == []

        await staff_the_hub(bench)
        number, link, opened = await open_round(bench)
        # Someone else pressing Karin's card changes nothing.
        mark = bench.api.mark()
        await bench.deliver(press(stranger, opened, R.plain("button.close")))
        assert bench.api.sent(mark) == []
        toasts = [c.params.get("text") for c in bench.api.calls[mark:]]
        assert toasts == [R.plain("press.refused")]
        assert (await rows(bench, Round))[0].status == "open"
        assert R("refused") in texts(await bench.deliver(stranger.command("round", str(number))))

        # A designer joins; Karin closes now; the stranger cannot approve; Karin can.
        await join_with_brief(bench, DESIGNERS[0], link, 0)
        closed = await bench.deliver(press(KARIN, opened, R.plain("button.close")))
        assert "Förslag" in texts(closed) and "Maskstickeriet" in texts(closed)
        await bench.deliver(press(stranger, closed, R.plain("button.approve")))
        assert (await rows(bench, Round))[0].status == "proposed"
        assert await rows(bench, Introduction) == []
        approved = await bench.deliver(press(KARIN, closed, R.plain("button.approve")))
        assert "Godkänt" in texts(approved)
        mark = bench.api.mark()  # approving twice changes nothing
        await bench.deliver(press(KARIN, closed, R.plain("button.approve")))
        toasts = [
            c.params.get("text")
            for c in bench.api.calls[mark:]
            if c.method == "answerCallbackQuery"
        ]
        assert toasts == [R.plain("press.already")]
        assert len(await rows(bench, Introduction)) == 1
        # /round in a group is refused: the card names designers.
        in_the_group = await bench.deliver(in_group(KARIN.command("round", str(number))))
        assert R("private_only") in texts(in_the_group)
