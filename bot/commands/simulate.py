"""``spok-bot simulate market``: today's ranking and the reciprocal one over N weeks of a
fictional hub, side by side on the same seed (services/reciprocal/market.py says what is
simulated)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from bot.commands._runtime import EXIT_OK, EXIT_UNUSABLE, fail
from bot.settings import Settings

if TYPE_CHECKING:
    from services.reciprocal.simulation import ArmFigures, MarketReport

SHARE_TARGET = 1.5
INTRODUCTIONS_TARGET = 1.3


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "simulate",
        help="simulate a hub's market: today's ranking against the reciprocal one",
        description="Simulations over fictional makers and designers.",
    )
    kinds = parser.add_subparsers(dest="simulation", metavar="SIMULATION", required=True)
    market = kinds.add_parser(
        "market",
        help="N weeks of a hub, today's ranking and the reciprocal one on the same seed",
        description=(
            "Play N weeks of a fictional hub: makers with hidden capacity, minimum orders, lead "
            "times and preferences that decide their answers, designers with briefs. Both "
            "rankings are the real Matchmaker over the same generated catalogue; the world is "
            "the same for both. Prints the share of briefs answered Interested, introductions "
            "made per request, days to first yes, unanswered briefs, briefs per maker (most, "
            "Gini, most in any 7 days) and unmet requests, with the ratios."
        ),
    )
    market.add_argument("--weeks", type=int, default=12, help="weeks of briefs (default 12)")
    market.add_argument(
        "--seed",
        default="1",
        help="the seed, or several separated by commas (default 1)",
    )
    market.add_argument("--makers", type=int, default=48, help="listed makers (default 48)")
    market.add_argument(
        "--designers",
        type=int,
        default=50,
        help="designers; each posts a brief in a week with chance 0.3 (default 50)",
    )
    market.add_argument(
        "--cap", type=int, default=3, help="briefs a maker gets in any 7 days (default 3)"
    )
    market.add_argument(
        "--hidden",
        action="store_true",
        help="also run today's fits ordered by the makers' hidden traits: the ceiling of "
        "ordering alone in this world",
    )
    market.add_argument("--json", action="store_true", help="print the figures as JSON")
    market.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    try:
        seeds = [int(part) for part in str(args.seed).split(",") if part.strip()]
    except ValueError:
        fail("simulate market", f"--seed takes whole numbers separated by commas: {args.seed!r}")
        return EXIT_UNUSABLE
    problems = [
        f"--{name} must be {low} or more"
        for name, value, low in (
            ("weeks", args.weeks, 1),
            ("makers", args.makers, 1),
            ("designers", args.designers, 1),
            ("cap", args.cap, 1),
        )
        if value < low
    ]
    if problems or not seeds:
        fail("simulate market", "; ".join(problems) or "give at least one --seed")
        return EXIT_UNUSABLE
    from matching.places import load_places
    from services.reciprocal.simulation import simulate

    places = load_places()
    reports = [
        simulate(
            weeks=args.weeks,
            seed=seed,
            makers=args.makers,
            designers=args.designers,
            cap=args.cap,
            places=places,
            hidden=args.hidden,
        )
        for seed in seeds
    ]
    if args.json:
        print(json.dumps([_json(r) for r in reports], indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(_text(r) for r in reports))
    return EXIT_OK


def _json(report: MarketReport) -> dict[str, Any]:
    return {
        "weeks": report.weeks,
        "seed": report.seed,
        "makers": report.makers,
        "designers": report.designers,
        "cap": report.cap,
        "today": asdict(report.today),
        "reciprocal": asdict(report.reciprocal),
        "hidden": asdict(report.hidden) if report.hidden is not None else None,
        "share_interested_ratio": report.share_ratio,
        "introductions_per_request_ratio": report.introductions_ratio,
    }


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else str(part)


def _rows(f: ArmFigures) -> list[str]:
    days = f.median_days_to_first_yes
    return [
        str(f.requests),
        str(f.briefs),
        f"{f.share_interested:.1%}",
        f"{f.introductions_per_request:.2f}",
        f"{days:.1f}" if days is not None else "–",
        _share(f.unanswered, f.briefs),
        f"{f.max_briefs_per_maker} / {f.gini_briefs:.2f}",
        str(f.max_briefs_in_7_days),
        _share(f.unmet, f.requests),
        " / ".join(
            str(f.declines.get(k, 0)) for k in ("fully_booked", "not_our_kind", "volume", "other")
        ),
    ]


LABELS = (
    "requests",
    "briefs sent",
    "share of briefs answered Interested",
    "introductions made per request",
    "days to first yes (median)",
    "unanswered briefs",
    "briefs per maker: most / Gini",
    "most briefs to one maker in 7 days",
    "unmet requests",
    "declines: booked / not our kind / volume / other",
)


def _text(report: MarketReport) -> str:
    columns = [("today", _rows(report.today)), ("reciprocal", _rows(report.reciprocal))]
    if report.hidden is not None:
        columns.append(("hidden traits", _rows(report.hidden)))
    width = max(len(label) for label in LABELS)
    lines = [
        f"Market simulation: {report.weeks} weeks, seed {report.seed}, {report.makers} makers, "
        f"{report.designers} designers, weekly cap {report.cap} (fictional)",
        f"{'':{width}}" + "".join(f"  {name:>17}" for name, _ in columns),
    ]
    lines += [
        f"{label:{width}}" + "".join(f"  {rows[i]:>17}" for _, rows in columns)
        for i, label in enumerate(LABELS)
    ]
    share, intros = report.share_ratio, report.introductions_ratio
    held = report.reciprocal.max_briefs_in_7_days <= report.cap
    if report.hidden is not None:
        hidden_share = report.hidden.share_interested / (report.today.share_interested or 1)
        hidden_intros = report.hidden.introductions_per_request / (
            report.today.introductions_per_request or 1
        )
        lines.append(
            f"hidden-trait ordering against today: {hidden_share:.2f}× share answered "
            f"Interested, {hidden_intros:.2f}× introductions per request (no ranking sees these)"
        )
    lines += [
        f"ratio, share answered Interested: {share:.2f}× (target ≥ {SHARE_TARGET}×)",
        f"ratio, introductions made per request: {intros:.2f}× (target ≥ {INTRODUCTIONS_TARGET}×)",
        f"reciprocal: no maker above the cap of {report.cap} in any 7 days: "
        + ("yes" if held else "NO"),
    ]
    return "\n".join(lines)
