"""Charts and maps drawn from the seeded database: the right size, and not blank."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.image import imread
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access
from services.insight.charts import WIDTH_PX, breakdown_chart, funnel_chart, unmet_chart
from services.insight.maps import draw_map, map_data
from services.insight.periods import parse_period
from services.insight.scope import Scope, resolve_scope
from services.insight.stats import hub_stats
from services.insight.texts import InsightTexts
from services.insight.unmet import unmet_report
from tests.fakes.insight import at, seed_autumn

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
AUTUMN = parse_period("2026-09-01 2026-10-31", now=at(11, 25))


def assert_a_real_picture(png: bytes, *, min_height: int = 600) -> None:
    """1080 px wide, several distinct colours and a fair share of non-white pixels."""
    assert png.startswith(PNG_SIGNATURE)
    pixels = imread(io.BytesIO(png))
    height, width = pixels.shape[:2]
    assert width == WIDTH_PX
    assert height >= min_height
    rgb = (pixels[..., :3] * 255).round().astype(np.uint8).reshape(-1, 3)
    packed = (rgb[:, 0].astype(np.uint32) << 16) | (rgb[:, 1].astype(np.uint32) << 8) | rgb[:, 2]
    assert len(np.unique(packed)) >= 8
    not_white = np.any(rgb < 245, axis=1).mean()
    assert 0.03 < not_white < 0.95


async def _scope(session: AsyncSession, target: str | None) -> Scope:
    scope = await resolve_scope(session=session, access=Access(1, is_admin=True), target=target)
    assert isinstance(scope, Scope)
    return scope


async def test_charts_of_a_seeded_hub(session: AsyncSession) -> None:
    await seed_autumn(session)
    scope = await _scope(session, "vastra-gotaland")
    t = InsightTexts("sv")
    stats = await hub_stats(session=session, scope=scope, period=AUTUMN)
    assert_a_real_picture(funnel_chart(stats, t, title="SPOK Västra Götaland"))
    assert_a_real_picture(breakdown_chart(stats, t, title="SPOK Västra Götaland"), min_height=1500)
    unmet = await unmet_report(session=session, scope=scope, period=AUTUMN)
    assert_a_real_picture(unmet_chart(unmet, t, title="SPOK Västra Götaland"))


async def test_a_chart_without_data_still_says_so(session: AsyncSession) -> None:
    await seed_autumn(session)
    scope = await _scope(session, "halland")
    stats = await hub_stats(session=session, scope=scope, period=AUTUMN)
    png = funnel_chart(stats, InsightTexts("en"), title="SPOK Halland")
    assert png.startswith(PNG_SIGNATURE)
    assert imread(io.BytesIO(png)).shape[1] == WIDTH_PX


async def test_maps_of_the_region_and_of_sweden(session: AsyncSession) -> None:
    await seed_autumn(session)
    scope = await _scope(session, "vastra-gotaland")
    data = await map_data(session=session, scope=scope, period=AUTUMN, whole_country=False)
    assert len(data.region) == 49  # Västra Götaland's municipalities
    assert sorted(point.category for point in data.makers) == ["metal", "textile", "wood"]
    assert len(data.requests) == 8  # R1-R5, R7, R9, R10 (never the draft, never Skåne's)
    t = InsightTexts("sv")
    assert_a_real_picture(draw_map(data, t, title="SPOK Västra Götaland"))

    sweden = await map_data(session=session, scope=scope, period=AUTUMN, whole_country=True)
    png = draw_map(sweden, t, title="Sverige")
    assert_a_real_picture(png, min_height=1500)  # Sweden is long
