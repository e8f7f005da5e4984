"""The weekly digest to each hub's coordinators, on Monday morning: last week's new requests,
introductions made and unmet requests, and — as of now — stalled introductions and stale
listings.

:func:`enqueue_weekly_digests` runs every half hour (bot/telegram/insight/handlers.py); from
Monday 08:00 Stockholm time to the end of Monday it puts each hub's digest in the outbox with a
dedupe key per hub, ISO week and chat, so however many processes run it, each chat gets one.
A hub with neither a chat nor coordinators gets none (its figures are in /stats for admins).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus
from services.hubs.registry import coordinator_chats
from services.insight.periods import Period, day_start
from services.insight.rows import IntroRow, load_introductions, load_requests
from services.insight.scope import Scope, hub_makers
from services.insight.stats import unmet_request_ids
from services.insight.texts import InsightTexts
from services.introductions.calendar import STOCKHOLM
from services.messages import Reply
from services.outbox import enqueue
from storage.models import Hub, Outbox, Outcome
from storage.repositories.hubs import list_hubs

__all__ = [
    "DIGEST_KIND",
    "DIGEST_TIME",
    "STALLED_AFTER",
    "Digest",
    "build_digest",
    "digest_due",
    "digest_text",
    "enqueue_weekly_digests",
]

DIGEST_KIND = "hub_digest"
DIGEST_TIME = time(8, 0)  # Monday, Stockholm
STALLED_AFTER = timedelta(days=14)
LIST_ITEMS = 5  # names listed per section; the rest are counted
DIGEST_LANGUAGE = "sv"  # coordinators read Swedish (as the lifecycle's hub notices)


@dataclass(frozen=True, slots=True)
class Digest:
    hub_name: str
    week: str  # "2026-W44": the week reported on
    period: Period
    new_requests: int
    introductions_made: int
    stalled: tuple[IntroRow, ...]  # oldest introduction first
    unmet: int
    unmet_materials: tuple[tuple[str, int], ...]
    stale_listings: tuple[str, ...]  # maker names


def _previous_week(now: datetime) -> tuple[Period, str]:
    today = now.astimezone(STOCKHOLM).date()
    monday = today - timedelta(days=today.weekday()) - timedelta(days=7)
    sunday = monday + timedelta(days=6)
    year, week, _ = monday.isocalendar()
    label = f"{monday.isoformat()} – {sunday.isoformat()}"
    return Period(day_start(monday), day_start(sunday + timedelta(days=1)), label), (
        f"{year}-W{week:02d}"
    )


def digest_due(now: datetime) -> bool:
    """Monday, from 08:00 Stockholm time to midnight."""
    local = now.astimezone(STOCKHOLM)
    return local.weekday() == 0 and local.time() >= DIGEST_TIME


def _stalled(row: IntroRow, now: datetime) -> bool:
    return (
        row.introduced_at is not None
        and row.introduced_at <= now - STALLED_AFTER
        and row.ended_at is None
        and row.outcome in (None, Outcome.NO_CONTACT.value)
    )


async def build_digest(
    *, session: AsyncSession, hub: Hub, hubs: tuple[Hub, ...], now: datetime
) -> Digest:
    """Hub ``hub``'s digest for the week before the one ``now`` is in."""
    assert hub.id is not None
    period, week = _previous_week(now)
    hub_ids = {hub.id}
    week_requests = await load_requests(
        session=session, hub_ids=hub_ids, start=period.start, end=period.end
    )
    week_introductions = await load_introductions(
        session=session, hub_ids=hub_ids, start=period.start, end=period.end
    )
    every_introduction = await load_introductions(session=session, hub_ids=hub_ids)
    unmet_ids = unmet_request_ids(week_requests, week_introductions)
    materials: Counter[str] = Counter()
    for request in week_requests:
        if request.id in unmet_ids:
            materials.update(set(request.materials))
    stale = await hub_makers(
        session=session,
        scope=Scope((hub,), False, hubs),
        statuses=[MakerStatus.LISTED.value],
    )
    stalled = sorted(
        (row for row in every_introduction if _stalled(row, now)),
        key=lambda row: (row.introduced_at, row.id),
    )
    return Digest(
        hub_name=hub.name,
        week=week,
        period=period,
        new_requests=len(week_requests),
        introductions_made=sum(
            1 for row in every_introduction if period.contains(row.introduced_at)
        ),
        stalled=tuple(stalled),
        unmet=len(unmet_ids),
        unmet_materials=tuple(sorted(materials.items(), key=lambda item: (-item[1], item[0]))),
        stale_listings=tuple(maker.name for maker in stale if maker.freshness_penalty > 0),
    )


def digest_text(digest: Digest, t: InsightTexts) -> str:
    lines = [
        t("digest.title", hub=digest.hub_name, week=digest.week, period=digest.period.label),
        "",
        t("digest.new_requests", count=digest.new_requests),
        t("digest.introductions", count=digest.introductions_made),
        t("digest.unmet", count=digest.unmet),
    ]
    if digest.unmet_materials:
        items = ", ".join(f"{t.concept(code)} ({n})" for code, n in digest.unmet_materials[:3])
        lines.append(t("digest.unmet_materials", items=items))
    lines.append(t("digest.stalled", count=len(digest.stalled)))
    for row in digest.stalled[:LIST_ITEMS]:
        assert row.introduced_at is not None
        introduced = row.introduced_at.astimezone(STOCKHOLM).date().isoformat()
        lines.append(
            t("digest.stalled_item", maker=row.maker_name, request=row.request_id, date=introduced)
        )
    if len(digest.stalled) > LIST_ITEMS:
        lines.append(t("digest.more", count=len(digest.stalled) - LIST_ITEMS))
    lines.append(t("digest.stale", count=len(digest.stale_listings)))
    lines.extend(t("digest.stale_item", maker=name) for name in digest.stale_listings[:LIST_ITEMS])
    if len(digest.stale_listings) > LIST_ITEMS:
        lines.append(t("digest.more", count=len(digest.stale_listings) - LIST_ITEMS))
    lines += ["", t("digest.footer")]
    return "\n".join(lines)


async def enqueue_weekly_digests(*, session: AsyncSession, now: datetime) -> int:
    """When due, put every hub's digest in the outbox (once per hub, week and chat); the
    number of messages queued now. The caller commits."""
    if not digest_due(now):
        return 0
    hubs = tuple(await list_hubs(session=session))
    _, week = _previous_week(now)
    t = InsightTexts(DIGEST_LANGUAGE)
    queued = 0
    for hub in hubs:
        assert hub.id is not None
        chats = await coordinator_chats(session=session, hub_id=hub.id)
        keys = {chat: f"digest:{hub.id}:{week}:{chat}" for chat in chats}
        if not chats or await _all_queued(session, keys.values()):
            continue
        digest = await build_digest(session=session, hub=hub, hubs=hubs, now=now)
        reply = Reply(digest_text(digest, t))
        for chat in chats:
            queued += await enqueue(
                session=session,
                chat_id=chat,
                reply=reply,
                kind=DIGEST_KIND,
                now=now,
                dedupe_key=keys[chat],
            )
    return queued


async def _all_queued(session: AsyncSession, keys: Iterable[str]) -> bool:
    """Whether every one of these digests is in the outbox already (the usual case on the
    other 15 runs of a Monday): then there is nothing to build."""
    wanted = set(keys)
    found = await session.exec(select(Outbox.dedupe_key).where(col(Outbox.dedupe_key).in_(wanted)))
    return set(found.all()) >= wanted
