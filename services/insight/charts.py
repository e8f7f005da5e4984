"""The coordinators' charts as PNG bytes, drawn to be read on a phone: 1080 px wide, large
type, one idea per chart, every bar labelled with its number.

Matplotlib's object API with the Agg canvas (no pyplot, no display, no global state), so a
chart can be drawn in a worker thread while the bot goes on answering.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from services.insight.stats import Stats
from services.insight.texts import InsightTexts
from services.insight.unmet import UnmetReport

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: not at every bot start
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["WIDTH_PX", "breakdown_chart", "funnel_chart", "png_bytes", "unmet_chart"]

WIDTH_PX = 1080
DPI = 100
FONT = 20
TOP_ITEMS = 8  # bars per breakdown; the rest would not be readable on a phone
INK = "#1f2933"
BAR = "#2f6f8f"
ACCENT = "#d9822b"
GRID = "#d0d7de"


def png_bytes(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _figure(height_px: int) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, layout="constrained")


def _bars(
    axes: Axes, items: Sequence[tuple[str, int]], title: str, *, color: str, empty: str
) -> None:
    """Horizontal bars, largest on top, each with its count at its end."""
    axes.set_title(title, fontsize=FONT + 2, color=INK, loc="left", fontweight="bold")
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", labelsize=FONT, colors=INK, length=0)
    axes.set_xticks([])
    if not items or not any(count for _, count in items):
        axes.set_yticks([])
        axes.text(
            0.5,
            0.5,
            empty,
            ha="center",
            va="center",
            fontsize=FONT,
            color=INK,
            transform=axes.transAxes,
        )
        return
    labels = [label for label, _ in items][::-1]
    counts = [count for _, count in items][::-1]
    positions = range(len(items))
    axes.barh(positions, counts, color=color, height=0.7)
    axes.set_yticks(list(positions), labels)
    largest = max(counts)
    axes.set_xlim(0, largest * 1.18 + 0.5)
    for position, count in zip(positions, counts, strict=True):
        axes.text(
            count + largest * 0.02 + 0.05,
            position,
            str(count),
            va="center",
            fontsize=FONT,
            color=INK,
        )


def funnel_chart(stats: Stats, t: InsightTexts, *, title: str) -> bytes:
    """Requests → introductions → interested → met → prototype → production."""
    figure = _figure(900)
    figure.suptitle(title, fontsize=FONT + 4, color=INK, x=0.02, ha="left")
    axes = figure.add_subplot()
    steps = [(t.plain(f"funnel.{key}"), count) for key, count in stats.funnel.steps()]
    _bars(axes, steps, t.plain("chart.funnel"), color=BAR, empty=t.plain("chart.no_data"))
    return png_bytes(figure)


def breakdown_chart(stats: Stats, t: InsightTexts, *, title: str) -> bytes:
    """What was asked for and where: materials, processes, volume and area, one panel each."""
    figure = _figure(1700)
    figure.suptitle(title, fontsize=FONT + 4, color=INK, x=0.02, ha="left")
    grid = figure.add_gridspec(4, 1, height_ratios=[TOP_ITEMS, TOP_ITEMS, 4, 5])
    empty = t.plain("chart.no_data")
    panels = (
        ([(t.concept(code), n) for code, n in stats.by_material[:TOP_ITEMS]], "material", BAR),
        ([(t.concept(code), n) for code, n in stats.by_process[:TOP_ITEMS]], "process", BAR),
        ([(t.volume(stage), n) for stage, n in stats.by_volume], "volume", ACCENT),
        ([(t.area(area), n) for area, n in stats.by_area[:5]], "area", ACCENT),
    )
    for row, (items, key, color) in enumerate(panels):
        _bars(
            figure.add_subplot(grid[row]), items, t.plain(f"chart.{key}"), color=color, empty=empty
        )
    return png_bytes(figure)


def unmet_chart(report: UnmetReport, t: InsightTexts, *, title: str) -> bytes:
    """Unmet requests per month, as columns."""
    figure = _figure(800)
    figure.suptitle(title, fontsize=FONT + 4, color=INK, x=0.02, ha="left")
    axes = figure.add_subplot()
    axes.set_title(
        t.plain("chart.unmet"), fontsize=FONT + 2, color=INK, loc="left", fontweight="bold"
    )
    months = report.by_month[-12:]
    labels = [month for month, _ in months]
    counts = [count for _, count in months]
    axes.bar(range(len(counts)), counts, color=ACCENT, width=0.7)
    axes.set_xticks(
        range(len(labels)),
        labels,
        rotation=45 if len(labels) > 4 else 0,
        ha="right" if len(labels) > 4 else "center",
    )
    axes.tick_params(labelsize=FONT - 2, colors=INK)
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", color=GRID)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for position, count in enumerate(counts):
        if count:
            axes.text(
                position, count, str(count), ha="center", va="bottom", fontsize=FONT, color=INK
            )
    axes.set_ylim(0, max([*counts, 1]) * 1.2)
    return png_bytes(figure)
