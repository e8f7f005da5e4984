"""``spok-bot bench …``: benchmarks are commands, not tests; each prints a baseline beside it."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bot.bench import bot as bot_bench
from bot.bench import followups as followup_bench
from bot.bench import limits as limits_bench
from bot.bench import upload as upload_bench
from bot.commands._runtime import EXIT_OK, EXIT_UNUSABLE, fail
from bot.settings import Settings
from matching import benchmark
from services.catalogue.worker import WorkerKind


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("bench", help="run a benchmark", description="Run a benchmark.")
    kinds = parser.add_subparsers(dest="bench", metavar="BENCHMARK", required=True)
    matching = kinds.add_parser(
        "matching",
        help="ranking latency against a naive baseline on synthetic catalogues",
        description=(
            "Rank synthetic, fictional catalogues of each size with the index and with a "
            "naive per-maker rapidfuzz loop in the same run; report median and p95 latency, "
            "their ratio, the same requests without a location (many tied scores), index "
            "build time, one maker's update time and peak RSS."
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
    bot = kinds.add_parser(
        "bot",
        help="what 'spok-bot run' costs per update: statements, updates/s, latency",
        description=(
            "Build the bot exactly as 'spok-bot run' does (the runtime with the hub desk, every "
            "handler group, the outbox sender and the jobs; Telegram's limits asked as in "
            "production but never binding) on an in-process Bot API that answers at once, and "
            "feed it as the poller does. Per database: SQL statements, transactions and "
            "connection checkouts per dialogue update (one designer alone, counted with "
            "SQLAlchemy engine events); updates per second of this one process with "
            "--throughput-designers and no think time; median and p95 time from an update "
            "arriving to the last message of its answer, for each --designers count with "
            "--think-ms. Beside each, a minimal PTB bot (one echo handler) on the same "
            "transport, in the same run. SQLite: a scratch file; PostgreSQL: a scratch "
            "database, created and dropped."
        ),
    )
    bot.add_argument(
        "--designers",
        default="1,50",
        help="comma-separated numbers of concurrent designers for latency (default: %(default)s)",
    )
    bot.add_argument(
        "--throughput-designers",
        type=int,
        default=50,
        help="designers walking at once, without pausing, for updates/s (default: %(default)s)",
    )
    bot.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="which databases to run on (default: %(default)s)",
    )
    bot.add_argument(
        "--postgres-url",
        default=bot_bench.DEFAULT_POSTGRES_URL,
        help="PostgreSQL server for the scratch database (default: %(default)s)",
    )
    bot.add_argument(
        "--think-ms",
        type=float,
        default=1000.0,
        help=(
            "a designer's mean pause between updates in the latency walks, in ms (default: "
            "%(default)s); 0: every designer sends the instant it was answered (worst case)"
        ),
    )
    bot.add_argument(
        "--profile",
        action="store_true",
        help="profile the throughput walk and print the CPU time's share by package",
    )
    bot.add_argument("--json", action="store_true", help="print results as JSON")
    bot.set_defaults(handler=handle_bot)
    followups = kinds.add_parser(
        "followups",
        help="claim and delivery throughput of due check-ins, against a local fake Bot API",
        description=(
            "Seed N due check-ins (fictional designers, makers and introductions) on a scratch "
            "database and time, in one run: claiming them with the dispatcher (claim, message "
            "and outbox row in one transaction per batch) beside a read-only SELECT of the same "
            "rows and the dispatcher one row a transaction; then delivering them with the "
            "outbox sender to a local fake Telegram Bot API (loopback only) with Telegram's "
            "rate limits on (time-boxed: 30 messages/s would take most of an hour for 100,000; "
            "sends per second are counted at the fake API) and off (every message left, each "
            "follow-up checked to arrive exactly once). SQLite: a file in a temporary folder; "
            "PostgreSQL: a scratch database, created and dropped."
        ),
    )
    followups.add_argument(
        "--rows", type=int, default=100_000, help="due check-ins to seed (default: 100000)"
    )
    followups.add_argument(
        "--database",
        choices=("sqlite", "postgresql", "both"),
        default="both",
        help="which database to run on (default: %(default)s)",
    )
    followups.add_argument(
        "--batch-size",
        type=int,
        default=500,
        help="rows the dispatcher claims per transaction (default: %(default)s, as the bot)",
    )
    followups.add_argument(
        "--limited-seconds",
        type=float,
        default=15.0,
        help="how long to deliver with rate limiting on (default: %(default)s)",
    )
    followups.add_argument(
        "--clustered",
        action="store_true",
        help=(
            "each maker's introductions in a row, so its check-ins fall due together and its "
            "chat's limit (1 message a second) holds them back (default: spread over the run)"
        ),
    )
    followups.add_argument(
        "--fake-api",
        choices=("process", "thread"),
        default="process",
        help=(
            "run the fake Bot API in a process of its own or in a thread of this one, where it "
            "competes for the GIL (default: %(default)s)"
        ),
    )
    followups.add_argument(
        "--postgres-url",
        default=followup_bench.DEFAULT_POSTGRES_URL,
        help="PostgreSQL server for the scratch database (default: %(default)s)",
    )
    followups.add_argument("--json", action="store_true", help="print results as JSON")
    followups.set_defaults(handler=handle_followups)
    limits = kinds.add_parser(
        "limits",
        help="what holding Telegram's limits across processes costs, against a local fake Bot API",
        description=(
            "On a scratch PostgreSQL database, outbox senders in one and two processes of their "
            "own deliver notifications (every chat a different person) to a local fake Bot API "
            "(loopback only): with limits off, with the limits shared in the database but too "
            "high to bind (the cost of asking), with Telegram's limits shared (time-boxed), and "
            "with Telegram's limits in one process's memory (what one elected sender would do). "
            "Reports messages per second, statements per send (the limits' share apart), the "
            "time to grant a slot, and the busiest second at the fake API."
        ),
    )
    limits.add_argument(
        "--messages",
        type=int,
        default=2_000,
        help="notifications in the outbox for each case (default: %(default)s)",
    )
    limits.add_argument(
        "--limited-seconds",
        type=float,
        default=10.0,
        help="how long to deliver with Telegram's limits (default: %(default)s)",
    )
    limits.add_argument(
        "--postgres-url",
        default=limits_bench.DEFAULT_POSTGRES_URL,
        help="PostgreSQL server for the scratch database (default: %(default)s)",
    )
    limits.add_argument("--json", action="store_true", help="print results as JSON")
    limits.set_defaults(handler=handle_limits)
    upload = kinds.add_parser(
        "upload",
        help="designers' update latency while a coordinator's large catalogue file is handled",
        description=(
            "Run a real bot Application on a recording Bot API with the real dialogue and "
            "catalogue desk; N simulated designers walk the scripted request while an admin "
            "uploads, in turn, a 100,000-row CSV, an XLSX zip bomb and a valid XLSX just within "
            "the read limits (then presses Apply under the last). Reports the designers' median "
            "and p95 update latency during each against the same designers with nothing "
            "uploaded, for each worker kind (the parse on the event loop, in a thread, in a "
            "process), each on a scratch database of its own."
        ),
    )
    upload.add_argument("--designers", type=int, default=10, help="(default: %(default)s)")
    upload.add_argument(
        "--think-ms",
        type=float,
        default=250.0,
        help="a designer's mean pause between updates, in ms (default: %(default)s)",
    )
    upload.add_argument(
        "--idle-seconds",
        type=float,
        default=20.0,
        help="how long the designers run with nothing uploaded (default: %(default)s)",
    )
    upload.add_argument(
        "--repeats", type=int, default=3, help="uploads of each file in a row (default: 3)"
    )
    upload.add_argument(
        "--min-updates",
        type=int,
        default=100,
        help="upload a file again until this many designer updates ran during it "
        "(default: %(default)s)",
    )
    upload.add_argument(
        "--workers",
        default="inline,thread,process",
        help="worker kinds to compare (default: %(default)s)",
    )
    upload.add_argument(
        "--no-apply",
        dest="apply",
        action="store_false",
        help="do not press Apply under the large file's dry run (which writes ~20,000 makers)",
    )
    upload.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="where the scratch databases are (default: %(default)s)",
    )
    upload.add_argument(
        "--postgres-url",
        default=bot_bench.DEFAULT_POSTGRES_URL,
        help="PostgreSQL server for the scratch databases (default: %(default)s)",
    )
    upload.add_argument("--json", action="store_true", help="print results as JSON")
    upload.set_defaults(handler=handle_upload)


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


def handle_bot(args: argparse.Namespace, settings: Settings) -> int:
    try:
        counts = [int(count) for count in args.designers.split(",") if count.strip()]
    except ValueError:
        fail("bench bot", f"--designers must be whole numbers, got {args.designers!r}")
        return EXIT_UNUSABLE
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    think_ms = args.think_ms
    if not counts or min(counts) < 1 or think_ms < 0 or args.throughput_designers < 1:
        fail(
            "bench bot",
            "--designers and --throughput-designers must be at least 1, --think-ms not negative",
        )
        return EXIT_UNUSABLE
    if not databases or set(databases) - {"sqlite", "postgresql"}:
        fail("bench bot", "--databases takes sqlite and/or postgresql")
        return EXIT_UNUSABLE
    options = {
        "think_ms": think_ms,
        "throughput_designers": args.throughput_designers,
        "profile": args.profile,
        "settings": settings,
    }
    results: list[bot_bench.BotBenchResult] = []
    skipped: list[str] = []
    if "sqlite" in databases:
        results.append(asyncio.run(bot_bench.bench_sqlite(counts, **options)))
        if not args.json:
            print("\n".join(bot_bench.lines(results[-1])), flush=True)
    if "postgresql" in databases:
        try:
            pg = asyncio.run(bot_bench.bench_postgres(args.postgres_url, counts, **options))
        except bot_bench.PostgresUnavailable as error:
            skipped.append(f"postgresql skipped: not reachable at {error}")
        else:
            results.append(pg)
            if not args.json:
                print("\n".join(bot_bench.lines(pg)), flush=True)
    if args.json:
        payload = {"results": [bot_bench.as_dict(r) for r in results], "skipped": skipped}
        json.dump(payload, sys.stdout, indent=2)
        print()
    else:
        for line in skipped:
            print(line)
    return EXIT_OK


def handle_followups(args: argparse.Namespace, settings: Settings) -> int:
    if args.rows < 1 or args.batch_size < 1 or args.limited_seconds <= 0:
        fail("bench followups", "--rows and --batch-size must be at least 1, --limited-seconds > 0")
        return EXIT_UNUSABLE
    options = {
        "rows": args.rows,
        "batch_size": args.batch_size,
        "limited_seconds": args.limited_seconds,
        "api_where": args.fake_api,
        "clustered": args.clustered,
    }
    results: list[followup_bench.FollowUpBenchResult] = []
    skipped: list[str] = []
    if args.database in ("sqlite", "both"):
        results.append(asyncio.run(followup_bench.bench_sqlite(**options)))
        if not args.json:
            print("\n".join(followup_bench.lines(results[-1])), flush=True)
    if args.database in ("postgresql", "both"):
        try:
            pg = asyncio.run(followup_bench.bench_postgres(args.postgres_url, **options))
        except followup_bench.PostgresUnavailable as error:
            skipped.append(f"postgresql skipped: not reachable at {error}")
        else:
            results.append(pg)
            if not args.json:
                print("\n".join(followup_bench.lines(pg)), flush=True)
    if args.json:
        payload = {"results": [followup_bench.as_dict(r) for r in results], "skipped": skipped}
        json.dump(payload, sys.stdout, indent=2)
        print()
    else:
        for line in skipped:
            print(line)
    return EXIT_OK


def handle_limits(args: argparse.Namespace, settings: Settings) -> int:
    if args.messages < 1 or args.limited_seconds <= 0:
        fail("bench limits", "--messages must be at least 1 and --limited-seconds > 0")
        return EXIT_UNUSABLE
    try:
        results = asyncio.run(
            limits_bench.bench_limits(
                args.postgres_url, messages=args.messages, limited_seconds=args.limited_seconds
            )
        )
    except limits_bench.PostgresUnavailable as error:
        fail("bench limits", f"PostgreSQL not reachable at {error}")
        return EXIT_UNUSABLE
    if args.json:
        json.dump([limits_bench.as_dict(r) for r in results], sys.stdout, indent=2)
        print()
    else:
        print("\n".join(limits_bench.lines(results)))
    return EXIT_OK


def handle_upload(args: argparse.Namespace, settings: Settings) -> int:
    try:
        kinds = [WorkerKind(name.strip()) for name in args.workers.split(",") if name.strip()]
    except ValueError:
        fail("bench upload", f"--workers takes inline, thread and/or process: {args.workers!r}")
        return EXIT_UNUSABLE
    if not kinds or args.designers < 1 or args.repeats < 1 or args.think_ms < 0:
        fail("bench upload", "--designers and --repeats must be at least 1, --think-ms >= 0")
        return EXIT_UNUSABLE

    def report(results: list[upload_bench.PhaseResult]) -> None:
        if not args.json:
            print("\n".join(upload_bench.lines(results)), flush=True)

    if not args.json:
        print(
            f"{args.designers} designers (think {args.think_ms:g} ms) on {args.database}; "
            f"each file uploaded {args.repeats} times and until {args.min_updates} designer "
            "updates ran during it",
            flush=True,
        )
    try:
        results = asyncio.run(
            upload_bench.bench_upload(
                args.database,
                postgres_url=args.postgres_url,
                kinds=kinds,
                designers=args.designers,
                think_ms=args.think_ms,
                idle_s=args.idle_seconds,
                repeats=args.repeats,
                min_updates=args.min_updates,
                apply=args.apply,
                report=report,
            )
        )
    except bot_bench.PostgresUnavailable as error:
        fail("bench upload", f"postgresql not reachable at {error}")
        return EXIT_UNUSABLE
    if args.json:
        json.dump([upload_bench.as_dict(r) for r in results], sys.stdout, indent=2)
        print()
    return EXIT_OK


def _row(r: benchmark.SizeResult) -> str:
    return (
        f"{r.makers:>7} makers | index: median {r.engine_median_ms:.2f} ms, "
        f"p95 {r.engine_p95_ms:.2f} ms | without a location (ties): median "
        f"{r.unlocated_median_ms:.2f} ms | baseline: median {r.baseline_median_ms:.1f} ms, "
        f"p95 {r.baseline_p95_ms:.1f} ms | {r.speedup_median:.0f}x faster | "
        f"build {r.build_s:.2f} s | update {r.update_median_ms:.2f} ms "
        f"({'seen' if r.update_visible else 'NOT SEEN'} by next search) | "
        f"peak RSS {r.peak_rss_mb:.0f} MB"
    )
