"""``spok-bot report``: the funder report (per month: requests, unmet, introductions asked for
and made, met, prototype, production, maker answers) for a hub or all hubs, as CSV or XLSX."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands._runtime import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_UNUSABLE,
    DatabaseUnavailable,
    fail,
    run_with_session,
)
from bot.settings import Settings
from services.insight.periods import period_between
from services.insight.report import Report, ReportFormat, funder_report, report_bytes
from services.insight.scope import ALL_HUBS, Scope
from services.insight.texts import InsightTexts
from services.operator_texts import OperatorTexts
from storage.repositories.hubs import list_hubs

DESCRIPTION = """\
Write the funder report for one hub (its slug, see 'spok-bot hubs list') or all hubs: one row
per month from --from to --to (Stockholm days, both included) with the requests created that
month and what came of them — unmet requests, introductions asked for and made, met,
prototype, production, not going ahead, maker answers and response rate — and a total row.
XLSX adds a sheet listing every introduction made (request number, maker, dates, outcome)
and, when matchmaking rounds opened in the period, a sheet with each round's figures (the
CSV has them as a second table after a blank line).
CSV is semicolon-separated UTF-8 with a BOM, for Swedish Excel."""

EPILOG = """\
exit status: 0 written, 2 bad arguments (unknown hub, --from after --to, unknown format),
1 the database could not be opened."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the funder report (funnel and outcomes per month) as CSV or XLSX",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--hub", required=True, metavar="SLUG", help="a hub's slug, or 'all'")
    parser.add_argument(
        "--from", dest="start", required=True, type=_date, metavar="YYYY-MM-DD",
        help="the first day",
    )  # fmt: skip
    parser.add_argument(
        "--to", dest="end", required=True, type=_date, metavar="YYYY-MM-DD", help="the last day"
    )
    parser.add_argument(
        "--format", choices=[f.value for f in ReportFormat], default=None,
        help="csv or xlsx (default: from --output's extension, else xlsx)",
    )  # fmt: skip
    parser.add_argument(
        "--output", type=Path, default=None, metavar="FILE",
        help="where to write (default: spok-report-HUB-FROM-TO.xlsx in the current directory)",
    )  # fmt: skip
    parser.add_argument(
        "--language", choices=["sv", "en"], default="sv", help="column names (default: sv)"
    )
    parser.set_defaults(handler=report_command)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


@dataclass(frozen=True)
class _Outcome:
    report: Report | None
    known_slugs: tuple[str, ...]


def _format(args: argparse.Namespace) -> ReportFormat | None:
    """--format, else the output's extension, else XLSX; ``None`` if they disagree or the
    extension is neither."""
    suffix = args.output.suffix.lower().lstrip(".") if args.output is not None else ""
    if args.format is not None:
        fmt = ReportFormat(args.format)
        return fmt if suffix in ("", fmt.value) else None
    if not suffix:
        return ReportFormat.XLSX
    return ReportFormat(suffix) if suffix in {f.value for f in ReportFormat} else None


def report_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.start > args.end:
        fail("report", f"--from {args.start} is after --to {args.end}")
        return EXIT_UNUSABLE
    fmt = _format(args)
    if fmt is None:
        fail("report", f"cannot write {args.output} as {args.format or 'a report'}: "
                       "use a .csv or .xlsx file name, or a matching --format")  # fmt: skip
        return EXIT_UNUSABLE
    slug = args.hub.lower()
    period = period_between(args.start, args.end)
    t = InsightTexts(args.language)

    async def build(session: AsyncSession) -> _Outcome:
        hubs = tuple(await list_hubs(session=session))
        if slug in ALL_HUBS:
            scope = Scope(hubs, True, hubs)
        else:
            found = [hub for hub in hubs if hub.slug == slug]
            if not found:
                return _Outcome(None, tuple(hub.slug for hub in hubs))
            scope = Scope((found[0],), False, hubs)
        total = t.plain("report.column.total")
        report = await funder_report(session=session, scope=scope, period=period, total_label=total)
        return _Outcome(report, ())

    try:
        outcome = run_with_session(settings, build)
    except DatabaseUnavailable as error:
        fail("report", str(error))
        return EXIT_FAILURE
    if outcome.report is None:
        known = ", ".join(outcome.known_slugs) or "none yet (run 'spok-bot hubs sync')"
        fail("report", f"unknown hub {args.hub!r}; known hubs: {known}, or 'all'")
        return EXIT_UNUSABLE
    who = "alla" if slug in ALL_HUBS else slug
    path = args.output or Path(f"spok-report-{who}-{args.start}-{args.end}.{fmt.value}")
    path.write_bytes(report_bytes(outcome.report, fmt, t))
    total = outcome.report.total
    say = OperatorTexts().plain
    print(
        f"wrote {path}: {say('report.months', count=len(outcome.report.months))}, "
        f"{say('report.requests', count=total.funnel.requests)}, "
        f"{say('report.introductions', count=total.funnel.interested)}, "
        f"{total.funnel.production} to production"
    )
    return EXIT_OK
