"""``/map``: the hub's region (real municipality boundaries, SCB) with its listed makers,
coloured by material, and the period's requests by location; or all of Sweden.

Drawn with matplotlib (a PolyCollection of municipality outlines from
:mod:`matching.boundaries`) in a simple equirectangular projection: longitude scaled by the
cosine of the map's middle latitude, so shapes and distances look right at Swedish latitudes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from sqlmodel.ext.asyncio.session import AsyncSession

from matching.boundaries import load_outlines
from matching.interpret import default_interpreter
from matching.models import MakerStatus
from matching.places import load_places
from matching.taxonomy import MATERIALS
from services.insight.charts import DPI, FONT, INK, WIDTH_PX, png_bytes
from services.insight.periods import Period
from services.insight.rows import load_requests
from services.insight.scope import Scope, hub_makers
from services.insight.texts import InsightTexts

__all__ = ["MapData", "MapPoint", "draw_map", "map_data", "primary_material"]

OTHER = "other"
# One colour per material, distinguishable on a small screen (Tableau-like palette).
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79",
)  # fmt: skip
COLOURS = {concept.code: PALETTE[i % len(PALETTE)] for i, concept in enumerate(MATERIALS)}
REGION_FILL, OUTSIDE_FILL, EDGE = "#e6edf2", "#f5f5f5", "#9aa5b1"
REQUEST_COLOUR = "#111111"


@dataclass(frozen=True, slots=True)
class MapPoint:
    lon: float
    lat: float
    category: str  # a material code, or OTHER


@dataclass(frozen=True, slots=True)
class MapData:
    region: frozenset[str]  # municipality codes drawn as the region; all of Sweden when empty
    whole_country: bool
    makers: tuple[MapPoint, ...]
    requests: tuple[MapPoint, ...]


@lru_cache(maxsize=4096)
def primary_material(words: str) -> str:
    """The taxonomy material a maker's own words name most surely (``OTHER`` if none)."""
    hits = default_interpreter().interpret(words).materials
    return hits[0].code if hits else OTHER


async def map_data(
    *, session: AsyncSession, scope: Scope, period: Period, whole_country: bool
) -> MapData:
    counties = scope.counties
    makers = await hub_makers(session=session, scope=scope, statuses=[MakerStatus.LISTED.value])
    requests = await load_requests(
        session=session,
        hub_ids=None if scope.everything else scope.hub_ids,
        start=period.start,
        end=period.end,
    )
    return MapData(
        region=region_codes(counties),
        whole_country=whole_country or not counties,
        makers=tuple(
            MapPoint(maker.lon, maker.lat, primary_material(", ".join(maker.materials)))
            for maker in makers
        ),
        requests=tuple(
            MapPoint(request.lon, request.lat, "request")
            for request in requests
            if request.lat is not None and request.lon is not None
        ),
    )


def draw_map(data: MapData, t: InsightTexts, *, title: str) -> bytes:
    # matplotlib is imported when a map is drawn: not at every bot start
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    outlines = load_outlines()
    shown = [
        outline
        for code, outline in sorted(outlines.items())
        if data.whole_country or code in data.region
    ]
    points = [point for outline in shown for ring in outline.exteriors for point in ring]
    lons = [lon for lon, _ in points] or [11.0, 24.2]
    lats = [lat for _, lat in points] or [55.3, 69.1]
    middle = (min(lats) + max(lats)) / 2
    scale = math.cos(math.radians(middle))

    def project(lon: float, lat: float) -> tuple[float, float]:
        return lon * scale, lat

    width = (max(lons) - min(lons)) * scale
    height = max(lats) - min(lats)
    map_height_px = min(1900, max(700, int(WIDTH_PX * 0.8 * height / max(width, 1e-6))))
    figure = Figure(figsize=(WIDTH_PX / DPI, (map_height_px + 260) / DPI), dpi=DPI,
                    layout="constrained")  # fmt: skip
    figure.suptitle(title, fontsize=FONT + 2, color=INK, x=0.02, ha="left")
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_aspect("equal")
    polygons, fills = [], []
    for outline in shown:
        inside = outline.code in data.region
        for ring in outline.exteriors:
            polygons.append([project(lon, lat) for lon, lat in ring])
            fills.append(REGION_FILL if inside else OUTSIDE_FILL)
    axes.add_collection(PolyCollection(polygons, facecolors=fills, edgecolors=EDGE, linewidths=0.5))
    counts = Counter(point.category for point in data.makers)
    for category, _ in counts.most_common():
        xs, ys = zip(*(project(p.lon, p.lat) for p in data.makers if p.category == category),
                     strict=True)  # fmt: skip
        axes.scatter(xs, ys, s=170, c=COLOURS.get(category, "#555555"), edgecolors="white",
                     linewidths=1.2, zorder=3)  # fmt: skip
    if data.requests:
        xs, ys = zip(*(project(p.lon, p.lat) for p in data.requests), strict=True)
        axes.scatter(xs, ys, s=150, marker="X", c=REQUEST_COLOUR, edgecolors="white",
                     linewidths=0.8, zorder=4)  # fmt: skip
    margin = 0.03 * max(width, height)
    axes.set_xlim(min(lons) * scale - margin, max(lons) * scale + margin)
    axes.set_ylim(min(lats) - margin, max(lats) + margin)
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=14,
               markerfacecolor=COLOURS.get(category, "#555555"), markeredgecolor="white",
               label=f"{_category_label(category, t)} ({count})")
        for category, count in counts.most_common()
    ]  # fmt: skip
    handles.append(
        Line2D([], [], marker="X", linestyle="", markersize=14, markerfacecolor=REQUEST_COLOUR,
               markeredgecolor="white", label=f"{t.plain('map.requests')} ({len(data.requests)})")
    )  # fmt: skip
    figure.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=FONT - 2,
                  frameon=False)  # fmt: skip
    return png_bytes(figure)


def _category_label(category: str, t: InsightTexts) -> str:
    return t.plain("map.other") if category == OTHER else t.concept(category)


def region_codes(counties: Collection[str]) -> frozenset[str]:
    """The municipalities of ``counties`` (all 290 when there are none)."""
    return frozenset(
        m.code for m in load_places().municipalities() if not counties or m.county.code in counties
    )
