"""``spok-bot makers import|export``: the catalogue spreadsheet, for coordinators and operators."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bot.commands._runtime import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_UNUSABLE,
    DatabaseUnavailable,
    fail,
    run_with_session,
    terminal_text,
)
from bot.settings import Settings
from services.catalogue.columns import EXPORT_LANGUAGES
from services.catalogue.exporter import UnknownExportFormat, export_catalogue, format_for_path
from services.catalogue.importer import import_catalogue
from services.catalogue.reader import DEFAULT_LIMITS, CatalogueFileError, read_catalogue_file
from services.catalogue.report import ImportReport, error_json

IMPORT_DESCRIPTION = """\
Import makers from a spreadsheet: XLSX, ODS (LibreOffice) or CSV (semicolon or comma; UTF-8
with or without BOM, or Windows-1252). Columns: id, name, municipality, materials, processes,
volumes, description, contact_name, email, phone, website, status (Swedish headers such as
namn, kommun, ort, material, tekniker, volymer, e-post, telefon, hemsida work too), and
optionally min_order (minsta order, MOQ), lead_time (ledtid: "3 veckor"), offers (erbjuder),
works_with (jobbar med), equipment (maskiner, utrustning) and portfolio. Rows are
matched on id; a row without an id gets one made from its name and municipality, and one
that looks like a listed maker of the same place renamed updates that maker ("looks like a
rename of …"). A row is rejected only when a person could not read it either (no name, no
place, a place that is no Swedish place or could be several), repeats an id, or may be a
rename of one or more listed makers without being clearly one; every other row is imported as
written, with a note for what looks odd: a material or process word we do not know is kept
as the maker's own word (with a suggestion when it looks like a typo). Re-importing the same
file changes nothing."""

IMPORT_EPILOG = """\
exit status: 0 every row imported (notes may remark on some), 3 some rows rejected (the
others imported), 2 the file cannot be used (missing, not a spreadsheet we read, too large,
no name and municipality columns, empty), 1 the database could not be opened."""

EXPORT_DESCRIPTION = """\
Export every maker (listed, paused and unlisted) to FILE: .csv gives semicolon CSV with a UTF-8
BOM for Swedish Excel, .xlsx a workbook. Headers and statuses are Swedish (namn, kommun,
pausad …) unless --language en; the cells keep the coordinators' own words (volumes as
written: "unikat, prototyp" stays so). The file imports back unchanged; cells that a
spreadsheet would run as formulas (starting with = + - @, tab or carriage return) get a
leading apostrophe."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "makers",
        help="import or export the maker catalogue",
        description="Import or export the maker catalogue spreadsheet.",
    )
    actions = parser.add_subparsers(dest="makers_action", metavar="ACTION", required=True)

    importer = actions.add_parser(
        "import",
        help="import makers from an XLSX, ODS or CSV file",
        description=IMPORT_DESCRIPTION,
        epilog=IMPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    importer.add_argument("file", type=Path, metavar="FILE", help="a .xlsx, .ods or .csv file")
    importer.add_argument(
        "--json", action="store_true", help="print the report as JSON instead of text"
    )
    importer.add_argument(
        "--dry-run",
        action="store_true",
        help="validate and compare with the database, but write nothing",
    )
    importer.set_defaults(handler=import_command)

    exporter = actions.add_parser(
        "export",
        help="export all makers to a .csv or .xlsx file",
        description=EXPORT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exporter.add_argument("file", type=Path, metavar="FILE", help="where to write (.csv or .xlsx)")
    exporter.add_argument(
        "--language",
        choices=EXPORT_LANGUAGES,
        default="sv",
        help="headers and statuses in Swedish (default) or English",
    )
    exporter.set_defaults(handler=export_command)


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file
    try:
        table = read_catalogue_file(path, limits=DEFAULT_LIMITS)
    except CatalogueFileError as error:
        if args.json:
            print(json.dumps(error_json(str(path), error), ensure_ascii=False, indent=2))
        fail("makers import", f"{path}: {error.reason}")
        return EXIT_UNUSABLE
    try:
        report = run_with_session(
            settings,
            lambda session: import_catalogue(
                table, session=session, source=str(path), dry_run=args.dry_run
            ),
        )
    except DatabaseUnavailable as error:
        fail("makers import", str(error))
        return EXIT_FAILURE
    print_report(report, as_json=args.json)
    return EXIT_OK if report.all_accepted else EXIT_REJECTED


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file
    try:
        fmt = format_for_path(path)
    except UnknownExportFormat as error:
        fail("makers export", str(error))
        return EXIT_UNUSABLE
    try:
        content, count = run_with_session(
            settings,
            lambda session: export_catalogue(session=session, fmt=fmt, language=args.language),
        )
    except DatabaseUnavailable as error:
        fail("makers export", str(error))
        return EXIT_FAILURE
    try:
        path.write_bytes(content)
    except OSError as error:
        fail("makers export", f"cannot write {path}: {error.strerror or error}")
        return EXIT_UNUSABLE
    print(f"Exported {count} makers to {path}")
    return EXIT_OK


def print_report(report: ImportReport, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(terminal_text(report.to_text()))
