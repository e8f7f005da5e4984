"""A hub's known autumn, for the insight tests: makers, requests, introductions with answers
and outcomes, and what every count over it must be.

Västra Götaland (all times UTC; October 2026 is the seeded month):

======  ==========  ===========================  ===========================================
req     created     what, where                  introductions
======  ==========  ===========================  ===========================================
R7      09-20       wood, Skövde                 m-tra: interested 09-21 → prototype
R9      09-10       metal, Göteborg              m-metall: interested 09-11 (only the event,
                                                 no introduced_at) → no_contact: *stalled*
R10     09-12       wood, Skövde                 m-tra: interested 09-13, ended 10-01
R1      10-05       textile+knitting, Borås      m-textil: interested after 4 h → production;
                                                 m-metall: declined after 24 h
R2      10-08       wood, pilot, Skövde          m-tra: brief 10-20, interested 10-21 (24 h) → met
R3      10-12       metal, production, Göteborg  m-metall: declined after 2 h
R4      10-20       ceramics, Uddevalla          none: status unmet
R5      10-25       textile, pilot, Göteborg     m-textil: unanswered
R6      10-15       (a draft: never counted)
RS      10-10       Skåne: another hub's
======  ==========  ===========================  ===========================================

m-metall is stale (freshness penalty); so is the paused m-lera (not listed: not counted) and
Skåne's m-skane (another hub's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    Hub,
    Introduction,
    IntroductionEvent,
    Maker,
    MatchRequest,
)
from tests.fakes.roles import seeded_hubs

BORAS, GOTEBORG, SKOVDE, UDDEVALLA, MALMO = "1490", "1480", "1496", "1485", "1280"
PLACES = {
    BORAS: (57.72, 12.94),
    GOTEBORG: (57.71, 11.97),
    SKOVDE: (58.39, 13.85),
    UDDEVALLA: (58.35, 11.94),
    MALMO: (55.6, 13.0),
}


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    vg: Hub
    skane: Hub
    hubs: dict[str, Hub]
    requests: dict[str, int]  # "R1" → id
    makers: dict[str, int]  # external id → id


async def seed_autumn(session: AsyncSession) -> Seeded:
    hubs = await seeded_hubs(session)
    vg, skane = hubs["vastra-gotaland"], hubs["skane"]
    makers: dict[str, Maker] = {}
    for external_id, name, code, materials, status, penalty in (
        ("m-textil", "Maskstickeriet", BORAS, ["stickning", "textil"], "listed", 0.0),
        ("m-metall", "Ringö Metall", GOTEBORG, ["rostfritt stål"], "listed", 0.5),
        ("m-tra", "Skövde Snickeri", SKOVDE, ["ek", "björk"], "listed", 0.0),
        ("m-lera", "Lerverket", UDDEVALLA, ["keramik"], "paused", 1.0),
        ("m-skane", "Malmö Plåt", MALMO, ["plåt"], "listed", 1.0),
    ):
        lat, lon = PLACES[code]
        maker = Maker(
            external_id=external_id,
            name=name,
            municipality_code=code,
            lat=lat,
            lon=lon,
            materials=materials,
            status=status,
            freshness_penalty=penalty,
        )
        session.add(maker)
        makers[external_id] = maker
    await session.flush()

    requests: dict[str, MatchRequest] = {}
    for key, created, hub, code, materials, processes, volume, status in (
        ("R7", at(9, 20), vg, SKOVDE, ["wood"], [], "prototype", "submitted"),
        ("R9", at(9, 10), vg, GOTEBORG, ["metal"], ["welding"], None, "submitted"),
        ("R10", at(9, 12), vg, SKOVDE, ["wood"], [], "pilot", "submitted"),
        ("R1", at(10, 5), vg, BORAS, ["textile"], ["knitting"], "prototype", "submitted"),
        ("R2", at(10, 8), vg, SKOVDE, ["wood"], ["joinery"], "pilot", "submitted"),
        ("R3", at(10, 12), vg, GOTEBORG, ["metal"], ["welding"], "production", "submitted"),
        ("R4", at(10, 20), vg, UDDEVALLA, ["ceramics"], [], "prototype", "unmet"),
        ("R5", at(10, 25), vg, GOTEBORG, ["textile"], ["sewing"], "pilot", "submitted"),
        ("R6", at(10, 15), vg, BORAS, ["glass"], [], None, "draft"),
        ("RS", at(10, 10), skane, MALMO, ["metal"], [], "pilot", "unmet"),
    ):
        lat, lon = PLACES[code]
        request = MatchRequest(
            text=f"Förfrågan {key}: ring 031-123 45 67",
            materials=materials,
            processes=processes,
            volume_stage=volume,
            municipality_code=code,
            lat=lat,
            lon=lon,
            status=status,
            hub_id=hub.id,
            created_at=created,
        )
        session.add(request)
        requests[key] = request
    await session.flush()

    def introduce(
        request: str,
        maker: str,
        status: str,
        *,
        brief: datetime,
        answer: datetime | None = None,
        introduced: bool = True,
        outcome: str | None = None,
        ended: datetime | None = None,
    ) -> None:
        row = Introduction(
            request_id=requests[request].id,
            maker_id=makers[maker].id,
            status=status,
            created_at=brief,
            brief_sent_at=brief,
            introduced_at=answer if status == "interested" and introduced else None,
            outcome=outcome,
            outcome_at=answer if outcome else None,
            ended_reason="not_going_ahead" if ended else None,
            ended_at=ended,
        )
        pending.append((row, status, brief, answer))

    pending: list[tuple[Introduction, str, datetime, datetime | None]] = []
    introduce("R7", "m-tra", "interested", brief=at(9, 20), answer=at(9, 21), outcome="prototype")
    introduce("R9", "m-metall", "interested", brief=at(9, 10), answer=at(9, 11),
              introduced=False, outcome="no_contact")  # fmt: skip
    introduce("R10", "m-tra", "interested", brief=at(9, 12), answer=at(9, 13), ended=at(10, 1))
    introduce("R1", "m-textil", "interested", brief=at(10, 5, 8), answer=at(10, 5, 12),
              outcome="production")  # fmt: skip
    introduce("R1", "m-metall", "declined", brief=at(10, 5, 8), answer=at(10, 6, 8))
    introduce("R2", "m-tra", "interested", brief=at(10, 20, 9), answer=at(10, 21, 9),
              outcome="met")  # fmt: skip
    introduce("R3", "m-metall", "declined", brief=at(10, 12, 8), answer=at(10, 12, 10))
    introduce("R5", "m-textil", "unanswered", brief=at(10, 25, 13))
    for row, _, _, _ in pending:
        session.add(row)
    await session.flush()
    for row, status, brief, answer in pending:
        assert row.id is not None
        session.add(IntroductionEvent(introduction_id=row.id, at=brief, event="brief_sent"))
        if answer is not None:
            session.add(IntroductionEvent(introduction_id=row.id, at=answer, event=status))
    await session.commit()
    return Seeded(
        vg=vg,
        skane=skane,
        hubs=hubs,
        requests={key: request.id for key, request in requests.items() if request.id},
        makers={key: maker.id for key, maker in makers.items() if maker.id},
    )
