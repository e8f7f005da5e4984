"""``spok-bot bench …``: benchmarks are commands, not tests; each prints a baseline beside it."""

from __future__ import annotations

import argparse
import json
import sys

from bot.commands._runtime import EXIT_OK, EXIT_UNUSABLE, fail
from bot.settings import Settings
from matching import benchmark


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("bench", help="run a benchmark", description="Run a benchmark.")
    kinds = parser.add_subparsers(dest="bench", metavar="BENCHMARK", required=True)
    matching = kinds.add_parser(
        "matching",
        help="ranking latency against a naive baseline on synthetic catalogues",
        description=(
            "Rank synthetic, fictional catalogues of each size with the index and with a "
            "naive per-maker rapidfuzz loop in the same run; report median and p95 latency, "
            "their ratio, index build time, one maker's update time and peak RSS."
        ),
    )
    matching.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated catalogue sizes (default: %(default)s)",
    )
    matching.add_argument(
        "--queries", type=int, default=200, help="requests timed on the index (default: 200)"
    )
    matching.add_argument(
        "--baseline-queries",
        type=int,
        default=20,
        help="requests timed on the slow baseline (default: 20)",
    )
    matching.add_argument("--json", action="store_true", help="print results as JSON")
    matching.set_defaults(handler=handle_matching)


def handle_matching(args: argparse.Namespace, settings: Settings) -> int:
    try:
        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        fail("bench matching", f"--sizes must be whole numbers, got {args.sizes!r}")
        return EXIT_UNUSABLE
    if not sizes or min(sizes) < 1 or args.queries < 1 or args.baseline_queries < 1:
        fail("bench matching", "sizes and query counts must be at least 1")
        return EXIT_UNUSABLE
    results = []
    for size in sizes:
        result = benchmark.bench_size(
            size, engine_queries=args.queries, baseline_queries=args.baseline_queries
        )
        results.append(result)
        if not args.json:
            print(_row(result), flush=True)
    if args.json:
        json.dump([benchmark.as_dict(r) for r in results], sys.stdout, indent=2)
        print()
    return EXIT_OK


def _row(r: benchmark.SizeResult) -> str:
    return (
        f"{r.makers:>7} makers | index: median {r.engine_median_ms:.2f} ms, "
        f"p95 {r.engine_p95_ms:.2f} ms | baseline: median {r.baseline_median_ms:.1f} ms, "
        f"p95 {r.baseline_p95_ms:.1f} ms | {r.speedup_median:.0f}x faster | "
        f"build {r.build_s:.2f} s | update {r.update_median_ms:.2f} ms "
        f"({'seen' if r.update_visible else 'NOT SEEN'} by next search) | "
        f"peak RSS {r.peak_rss_mb:.0f} MB"
    )
