"""The weekly digest and the funder report over the seeded autumn: exact numbers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access
from services.insight.digest import build_digest, digest_due, digest_text, enqueue_weekly_digests
from services.insight.periods import parse_period
from services.insight.report import ReportFormat, funder_report, report_bytes
from services.insight.scope import Scope, resolve_scope
from services.insight.texts import InsightTexts
from storage.models import Outbox
from storage.repositories.hubs import add_coordinator
from tests.fakes.insight import at, seed_autumn

# Monday 26 October 2026, 08:30 in Stockholm (CET since the 25th).
MONDAY_MORNING = datetime(2026, 10, 26, 7, 30, tzinfo=UTC)


def test_the_digest_is_due_on_monday_from_eight_stockholm_time() -> None:
    assert digest_due(MONDAY_MORNING)
    assert not digest_due(datetime(2026, 10, 26, 6, 59, tzinfo=UTC))  # 07:59 local
    assert not digest_due(datetime(2026, 10, 27, 7, 30, tzinfo=UTC))  # Tuesday
    assert digest_due(datetime(2026, 10, 26, 22, 59, tzinfo=UTC))  # 23:59 local


async def test_the_digest_counts_last_week(session: AsyncSession) -> None:
    seeded = await seed_autumn(session)
    hubs = tuple(seeded.hubs.values())
    digest = await build_digest(session=session, hub=seeded.vg, hubs=hubs, now=MONDAY_MORNING)
    assert digest.week == "2026-W43"
    assert digest.period.label == "2026-10-19 – 2026-10-25"
    assert digest.new_requests == 2  # R4, R5
    assert digest.introductions_made == 1  # R2's, on the 21st
    assert digest.unmet == 2
    assert digest.unmet_materials == (("ceramics", 1), ("textile", 1))
    assert [(row.request_id, row.maker_name) for row in digest.stalled] == [
        (seeded.requests["R9"], "Ringö Metall")
    ]
    assert digest.stale_listings == ("Ringö Metall",)

    text = digest_text(digest, InsightTexts("sv"))
    assert "Nya förfrågningar: <b>2</b>" in text
    assert "Introduktioner gjorda: <b>1</b>" in text
    assert f"• Ringö Metall – förfrågan {seeded.requests['R9']}, introducerad 2026-09-11" in text


async def test_the_digest_is_queued_once_per_hub_chat_and_week(session: AsyncSession) -> None:
    seeded = await seed_autumn(session)
    assert seeded.vg.id is not None
    seeded.vg.telegram_chat_id = -4001
    session.add(seeded.vg)
    await add_coordinator(session=session, hub_id=seeded.vg.id, telegram_user_id=2, added_by=None)
    await session.commit()

    assert await enqueue_weekly_digests(session=session, now=MONDAY_MORNING) == 1
    await session.commit()
    later = datetime(2026, 10, 26, 11, 0, tzinfo=UTC)
    assert await enqueue_weekly_digests(session=session, now=later) == 0  # the same week
    assert await enqueue_weekly_digests(session=session, now=at(10, 27, 8)) == 0  # Tuesday
    await session.commit()

    rows = (await session.exec(select(Outbox).where(col(Outbox.kind) == "hub_digest"))).all()
    assert [(row.chat_id, row.dedupe_key) for row in rows] == [
        (-4001, f"digest:{seeded.vg.id}:2026-W43:-4001")  # the hub's chat, not its members
    ]
    assert "Veckobrev för SPOK Västra Götaland" in str(rows[0].payload["text"])


async def test_the_funder_report_per_month(session: AsyncSession) -> None:
    seeded = await seed_autumn(session)
    assert seeded.vg.id is not None
    scope = await resolve_scope(
        session=session,
        access=Access(user_id=2, coordinator_hub_ids=frozenset({seeded.vg.id})),
        target=None,
    )
    assert isinstance(scope, Scope)
    period = parse_period("2026-09-01 2026-10-31", now=at(11, 25))
    report = await funder_report(session=session, scope=scope, period=period, total_label="totalt")

    # month, requests, unmet, asked, made, met, prototype, production, ended, answered, rate %
    expected = [
        ["2026-09", 3, 0, 3, 3, 1, 1, 0, 1, 3, 100.0],
        ["2026-10", 5, 3, 5, 2, 2, 1, 1, 0, 4, 80.0],
        ["totalt", 8, 3, 8, 5, 3, 2, 1, 1, 7, 87.5],
    ]
    assert [row.cells() for row in (*report.months, report.total)] == expected
    assert len(report.introductions) == 5

    t = InsightTexts("sv")
    data = report_bytes(report, ReportFormat.CSV, t)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["månad", "förfrågningar", "ouppfyllda"]
    assert rows[1:] == [[str(cell) for cell in row] for row in expected]

    workbook = load_workbook(io.BytesIO(report_bytes(report, ReportFormat.XLSX, t)))
    assert workbook.sheetnames == ["Per månad", "Introduktioner"]
    months = [list(row) for row in workbook["Per månad"].iter_rows(min_row=2, values_only=True)]
    assert months == expected
    introductions = list(workbook["Introduktioner"].iter_rows(min_row=2, values_only=True))
    assert ("2026-10", seeded.requests["R1"], "Maskstickeriet", "2026-10-05", "production",
            "2026-10-05", None) in introductions  # fmt: skip
