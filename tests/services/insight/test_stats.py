"""Statistics and unmet demand over the seeded autumn (tests/fakes/insight.py): exact counts."""

from __future__ import annotations

import csv
import io

from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access
from services.insight.periods import parse_period
from services.insight.scope import Scope, ScopeRefusal, resolve_scope
from services.insight.stats import hub_stats
from services.insight.summaries import stats_text, unmet_text
from services.insight.texts import InsightTexts
from services.insight.unmet import unmet_csv, unmet_report
from tests.fakes.insight import Seeded, at, seed_autumn

OCTOBER = parse_period("2026-10", now=at(11, 25))


async def _vg(session: AsyncSession, seeded: Seeded) -> Scope:
    assert seeded.vg.id is not None
    scope = await resolve_scope(
        session=session,
        access=Access(user_id=2, coordinator_hub_ids=frozenset({seeded.vg.id})),
        target=None,
    )
    assert isinstance(scope, Scope)
    return scope


async def test_the_funnel_and_breakdowns_of_a_seeded_month(session: AsyncSession) -> None:
    seeded = await seed_autumn(session)
    stats = await hub_stats(session=session, scope=await _vg(session, seeded), period=OCTOBER)

    f = stats.funnel
    assert (f.requests, f.asked, f.interested, f.met, f.prototype, f.production) == (
        5, 5, 2, 2, 1, 1,
    )  # fmt: skip
    assert stats.unmet == 3  # R3 declined by all, R4 no match, R5 unanswered
    assert stats.by_material == (("textile", 2), ("ceramics", 1), ("metal", 1), ("wood", 1))
    assert stats.by_process == (("joinery", 1), ("knitting", 1), ("sewing", 1), ("welding", 1))
    assert stats.by_volume == (("pilot", 2), ("prototype", 2), ("production", 1))
    assert stats.by_area == (("Göteborg", 2), ("Fyrbodal", 1), ("Sjuhärad", 1), ("Skaraborg", 1))
    r = stats.responses
    assert (r.briefed, r.answered, r.declined) == (5, 4, 2)
    assert r.rate == 0.8
    assert r.median_hours == 14.0  # answers after 2, 4, 24 and 24 hours


async def test_september_counts_an_introduction_known_only_by_its_event(
    session: AsyncSession,
) -> None:
    seeded = await seed_autumn(session)
    september = parse_period("2026-09", now=at(11, 25))
    stats = await hub_stats(session=session, scope=await _vg(session, seeded), period=september)
    f = stats.funnel
    assert (f.requests, f.asked, f.interested, f.met, f.prototype, f.production) == (
        3, 3, 3, 1, 1, 0,
    )  # fmt: skip


async def test_all_hubs_include_skane_and_drafts_never_count(session: AsyncSession) -> None:
    await seed_autumn(session)
    admin = Access(user_id=1, is_admin=True)
    scope = await resolve_scope(session=session, access=admin, target="all")
    assert isinstance(scope, Scope) and scope.everything
    stats = await hub_stats(session=session, scope=scope, period=OCTOBER)
    assert stats.funnel.requests == 6  # R1-R5 and Skåne's RS; never the draft R6
    assert stats.unmet == 4
    assert ("Skåne län", 1) in stats.by_area


async def test_the_text_names_the_figures_in_either_language(session: AsyncSession) -> None:
    seeded = await seed_autumn(session)
    stats = await hub_stats(session=session, scope=await _vg(session, seeded), period=OCTOBER)
    sv = stats_text(stats, InsightTexts("sv"), scope="SPOK Västra Götaland")
    assert "Förfrågningar: <b>5</b>" in sv
    assert "4 av 5 förfrågningar (80 %), median 14 timmar" in sv
    assert "<b>Material:</b> Textil 2, Keramik 1, Metall 1, Trä 1" in sv
    en = stats_text(stats, InsightTexts("en"), scope="SPOK Västra Götaland")
    assert "Makers answered 4 of 5 briefs (80 %), median 14 hours." in en


async def test_unmet_groups_the_recruitment_list_and_writes_a_csv(session: AsyncSession) -> None:
    seeded = await seed_autumn(session)
    scope = await _vg(session, seeded)
    autumn = parse_period("2026-09-01 2026-10-31", now=at(11, 25))
    report = await unmet_report(session=session, scope=scope, period=autumn)

    ids = {row.id: row.reason for row in report.requests}
    r = seeded.requests
    assert ids == {r["R3"]: "declined", r["R4"]: "no_match", r["R5"]: "declined"}
    assert report.by_material == (("ceramics", 1), ("metal", 1), ("textile", 1))
    assert report.by_area == (("Göteborg", 2), ("Fyrbodal", 1))
    assert report.by_month == (("2026-09", 0), ("2026-10", 3))

    text = unmet_text(report, InsightTexts("sv"), scope="SPOK Västra Götaland")
    assert "2026-09 0, 2026-10 3" in text

    data = unmet_csv(report, InsightTexts("sv"))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["förfrågan", "datum", "månad", "orsak"]
    assert [row[0] for row in rows[1:]] == [str(r["R3"]), str(r["R4"]), str(r["R5"])]
    assert rows[2][3:9] == ["ingen matchning", "Keramik", "", "Unikat/prototyp", "Fyrbodal",
                            "Uddevalla"]  # fmt: skip
    assert "031-123" not in data.decode("utf-8-sig")  # contacts are taken out of the text


async def test_who_may_read_which_hub(session: AsyncSession) -> None:
    seeded = await seed_autumn(session)
    assert seeded.vg.id is not None and seeded.skane.id is not None
    designer = Access(user_id=9)
    maker = Access(user_id=8, maker_ids=frozenset({seeded.makers["m-tra"]}))
    karin = Access(user_id=2, coordinator_hub_ids=frozenset({seeded.vg.id}))
    both = Access(user_id=3, coordinator_hub_ids=frozenset({seeded.vg.id, seeded.skane.id}))
    admin = Access(user_id=1, is_admin=True)

    async def scope(access: Access, target: str | None) -> Scope | ScopeRefusal:
        return await resolve_scope(session=session, access=access, target=target)

    assert await scope(designer, None) is ScopeRefusal.NOT_STAFF
    assert await scope(maker, "vastra-gotaland") is ScopeRefusal.NOT_STAFF
    assert await scope(karin, "skane") is ScopeRefusal.NOT_ALLOWED
    assert await scope(karin, "all") is ScopeRefusal.NOT_ALLOWED
    assert await scope(karin, "nowhere") is ScopeRefusal.UNKNOWN_HUB
    assert await scope(both, None) is ScopeRefusal.CHOOSE_HUB
    mine = await scope(karin, None)
    assert isinstance(mine, Scope) and mine.hub_ids == {seeded.vg.id}
    skane = await scope(admin, "skane")
    assert isinstance(skane, Scope) and skane.hub_ids == {seeded.skane.id}
    everything = await scope(admin, None)
    assert isinstance(everything, Scope) and everything.everything

    # In a group only the hub's own chat, and only its own hub, whoever asks.
    seeded.vg.telegram_chat_id = -4001
    session.add(seeded.vg)
    await session.commit()

    async def in_group(access: Access, target: str | None, chat: int) -> Scope | ScopeRefusal:
        return await resolve_scope(session=session, access=access, target=target,
                                   group_chat_id=chat)  # fmt: skip

    in_vg_chat = await in_group(admin, None, -4001)
    assert isinstance(in_vg_chat, Scope) and in_vg_chat.hub_ids == {seeded.vg.id}
    assert await in_group(admin, "all", -4001) is ScopeRefusal.ONLY_THIS_HUB
    assert await in_group(both, "skane", -4001) is ScopeRefusal.ONLY_THIS_HUB
    assert await in_group(karin, None, -7) is ScopeRefusal.NOT_A_HUB_CHAT
    assert await in_group(designer, None, -4001) is ScopeRefusal.NOT_STAFF
