"""``spok-bot evaluate``: ranking quality (nDCG@5) on the labelled set, beside a baseline."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from bot.commands._runtime import EXIT_OK
from bot.settings import Settings
from services.evaluation import CUTOFF, RequestScore, evaluate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "evaluate",
        help="score ranking quality on the labelled evaluation set",
        description=(
            f"Rank every labelled request of the evaluation set (matching/data/eval) and "
            f"score the top {CUTOFF} by nDCG@{CUTOFF}, beside a keyword-filter baseline "
            "scored in the same run."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--verbose", action="store_true", help="show every request's scores")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    def show(score: RequestScore) -> None:
        if args.verbose and not args.json:
            print(
                f"{score.id:>4}  engine {score.engine:.3f}  baseline {score.baseline:.3f}  "
                f"{score.text[:70]}"
            )

    report = evaluate(progress=show)
    if args.json:
        document = {
            "makers": report.makers,
            "requests": len(report.requests),
            "ndcg_at_5": {"engine": report.engine_ndcg, "keyword_baseline": report.baseline_ndcg},
            "per_request": [asdict(r) for r in report.requests],
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    print(
        f"{len(report.requests)} labelled requests, {report.makers} makers\n"
        f"nDCG@{CUTOFF}  engine {report.engine_ndcg:.3f}  |  "
        f"keyword-filter baseline {report.baseline_ndcg:.3f}"
    )
    return EXIT_OK
