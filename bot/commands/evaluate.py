"""``spok-bot evaluate``: ranking quality on the tuning and held-out sets, reported apart."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from bot.commands._runtime import EXIT_OK, EXIT_UNUSABLE, fail
from bot.settings import Settings
from services.evaluation import (
    CUTOFF,
    TUNING_SETS,
    EvaluationReport,
    RequestScore,
    available_sets,
    evaluate,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "evaluate",
        help="score ranking quality on the labelled evaluation sets",
        description=(
            "Rank every labelled request of the tuning sets (matching/data/eval, eval/dev and "
            "the spent first held-out set eval/heldout) and of the held-out set "
            f"(matching/data/eval/heldout2, when present) and report, per set: "
            f"nDCG@{CUTOFF}, precision@{CUTOFF} of the makers presented as fits, honest-none "
            "rate, beyond-radius suggestions surfaced and catalogue rows lost at import, "
            "beside a keyword-filter baseline scored in the same run."
        ),
    )
    parser.add_argument(
        "--set",
        choices=("all", "tuning", "held-out", *(name for name, _ in TUNING_SETS)),
        default="all",
        help=(
            "which set to score: 'tuning' for every tuning set, 'held-out' for the held-out "
            "set, or one set by name (default: every set present)"
        ),
    )
    parser.add_argument(
        "--reciprocal",
        choices=("on", "off"),
        default="on",
        help="rank with the reciprocal re-ranking, as the bot does (default), or without it",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--verbose", action="store_true", help="show every request's result")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    tuning = {name for name, _ in TUNING_SETS}
    sets = [
        (name, path)
        for name, path in available_sets()
        if args.set in ("all", name) or (args.set == "tuning" and name in tuning)
    ]
    if not sets:
        fail("evaluate", f"the {args.set} set is not there (matching/data/eval/heldout2)")
        return EXIT_UNUSABLE

    def show(score: RequestScore) -> None:
        if args.verbose and not args.json:
            print(_request_line(score))

    reports = []
    for name, directory in sets:
        if args.verbose and not args.json:
            print(f"-- {name}")
        reports.append(
            evaluate(
                name=name,
                directory=directory,
                progress=show,
                reciprocal=args.reciprocal == "on",
            )
        )
    if args.json:
        document = {
            "sets": [
                {**report.summary(), "per_request": [asdict(r) for r in report.requests]}
                for report in reports
            ]
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    print(render_table(reports))
    return EXIT_OK


def _request_line(score: RequestScore) -> str:
    ndcg = "  -  " if score.engine is None else f"{score.engine:.3f}"
    flags = []
    if score.honest_none is not None:
        flags.append("none ok" if score.honest_none else "NONE MISSED")
    if score.beyond_surfaced is not None:
        flags.append("beyond ok" if score.beyond_surfaced else "BEYOND MISSED")
    fits = ",".join(score.fits) or "-"
    return f"{score.id:>6}  nDCG {ndcg}  fits {fits:<40} {' '.join(flags)}  {score.text[:60]}"


def _figure(value: float | None, *, percent: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.0f} %" if percent else f"{value:.3f}"


def render_table(reports: list[EvaluationReport]) -> str:
    summaries = [report.summary() for report in reports]
    rows = [
        ("requests", lambda s: str(s["requests"])),
        ("makers", lambda s: str(s["makers"])),
        (f"nDCG@{CUTOFF}", lambda s: _figure(s["ndcg_at_5"])),
        (f"  keyword baseline nDCG@{CUTOFF}", lambda s: _figure(s["keyword_baseline_ndcg_at_5"])),
        (f"precision@{CUTOFF} (fits)", lambda s: _figure(s["precision_at_5"])),
        (
            f"precision@{CUTOFF} (all shown)",
            lambda s: _figure(s["precision_at_5_all_shown"]),
        ),
        ("fit recall (ideal makers shown as fits)", lambda s: _figure(s["fit_recall"])),
        (
            "honest-none",
            lambda s: f"{_figure(s['honest_none'], percent=True)} of {s['none_fits_requests']}",
        ),
        (
            "beyond-radius surfaced",
            lambda s: (
                f"{_figure(s['beyond_radius_surfaced'], percent=True)} "
                f"of {s['beyond_radius_requests']}"
            ),
        ),
        (
            "catalogue rows lost at import",
            lambda s: f"{s['catalogue_rows_lost']} of {s['catalogue_rows']}",
        ),
    ]
    width = max(len(label) for label, _ in rows) + 2
    header = " " * width + "".join(f"{s['set']:>17}" for s in summaries)
    lines = [header]
    for label, cell in rows:
        lines.append(f"{label:<{width}}" + "".join(f"{cell(s):>17}" for s in summaries))
    return "\n".join(lines)
