"""The short texts that go with the charts: ``/stats`` and ``/unmet`` in a few lines."""

from __future__ import annotations

from collections.abc import Callable

from services.insight.stats import Counts, Stats
from services.insight.texts import InsightTexts
from services.insight.unmet import UnmetReport

__all__ = ["stats_text", "unmet_text"]

TOP = 5


def _items(counts: Counts, label: Callable[[str], str], t: InsightTexts) -> str:
    shown = [f"{label(key)} {n}" for key, n in counts[:TOP]]
    return ", ".join(shown) or t.plain("none")


def stats_text(stats: Stats, t: InsightTexts, *, scope: str) -> str:
    lines: list[str] = [t("stats.title", scope=scope, period=stats.period.label), ""]
    if not stats.funnel.requests:
        lines.append(t("stats.empty"))
        lines += _round_lines(stats, t)
        return "\n".join(lines)
    f = stats.funnel
    lines.append(
        t(
            "stats.funnel",
            requests=f.requests,
            asked=f.asked,
            interested=f.interested,
            met=f.met,
            prototype=f.prototype,
            production=f.production,
            unmet=stats.unmet,
        )
    )
    responses = stats.responses
    if responses.rate is None:
        lines.append(t("stats.responses_none"))
    else:
        hours = responses.median_hours
        if hours is None:
            median = t.plain("unknown")
        elif hours < 48:
            median = t.plain("stats.median_hours", count=round(hours))
        else:
            median = t.plain("stats.median_days", days=f"{hours / 24:.1f}")
        lines.append(
            t(
                "stats.responses",
                answered=responses.answered,
                briefed=responses.briefed,
                rate=f"{100 * responses.rate:.0f}",
                median=median,
            )
        )
    lines.append("")
    for heading, counts, label in (
        ("material", stats.by_material, t.concept),
        ("process", stats.by_process, t.concept),
        ("volume", stats.by_volume, t.volume),
        ("area", stats.by_area, t.area),
    ):
        lines.append(
            t(
                "stats.top",
                heading=t.plain(f"stats.heading_{heading}"),
                items=_items(counts, label, t),
            )
        )
    lines += _round_lines(stats, t)
    return "\n".join(lines)


def _round_lines(stats: Stats, t: InsightTexts) -> list[str]:
    """Each matchmaking round opened in the period, with its own figures."""
    if not stats.rounds:
        return []
    lines = ["", t("stats.rounds_heading")]
    for figures in stats.rounds:
        lines.append(
            t(
                "stats.round",
                number=figures.id,
                theme=figures.theme,
                entries=figures.entries,
                proposed=figures.pairs_proposed,
                approved=figures.pairs_approved,
                interested=figures.makers_interested,
                made=figures.introductions_made,
                unmet=figures.unmet,
            )
        )
    return lines


def unmet_text(report: UnmetReport, t: InsightTexts, *, scope: str) -> str:
    lines: list[str] = [
        t("unmet.title", scope=scope, period=report.period.label, count=len(report.requests))
    ]
    if not report.requests:
        lines += ["", t("unmet.none")]
        return "\n".join(lines)
    lines.append("")
    for heading, counts, label in (
        ("material", report.by_material, t.concept),
        ("process", report.by_process, t.concept),
        ("area", report.by_area, t.area),
    ):
        lines.append(
            t(
                "stats.top",
                heading=t.plain(f"stats.heading_{heading}"),
                items=_items(counts, label, t),
            )
        )
    months = ", ".join(f"{month} {n}" for month, n in report.by_month[-6:])
    lines.append(t("unmet.months", items=months))
    return "\n".join(lines)
