"""`report quarterly --year Y --quarter Q`: the quarterly export for the ministry (TEM)
and the ELY centre as CSV, XLSX or a PDF summary (app.services.reports.quarterly)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.common import CliError, act_as, open_services
from app.dto.reports import FilterOption

QUARTERLY_HELP = (
    "quarterly (the ministry and the ELY centre):\n"
    "  report quarterly --year 2026 --quarter 4 [--point P] [--team T] "
    "--format csv|xlsx|pdf [--out FILE] --db PATH\n"
    "  the agreed indicators of the quarter by month and for the whole quarter, each\n"
    "  taken from the report named on its row (text prints a table; xlsx and pdf need --out)")


def add_quarter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, metavar="YYYY", help="quarterly: the year")
    parser.add_argument("--quarter", type=int, metavar="1-4", help="quarterly: the quarter")


def check_not_quarterly(args: argparse.Namespace) -> None:
    """A report over dates: --from and --to, no quarter, no pdf."""
    if args.date_from is None or args.date_to is None:
        raise CliError("--from and --to are required (except for quarterly)")
    if args.year is not None or args.quarter is not None:
        raise CliError("--year and --quarter are for quarterly only")
    if args.format == "pdf":
        raise CliError("--format pdf is for quarterly only (the app saves every report "
                       "as a PDF)")


def cmd_quarterly(args: argparse.Namespace,
                  option: Callable[[tuple[FilterOption, ...], str | None, str], str | None]
                  ) -> int:
    """`option` finds a service point or team by its name or id (report._option)."""
    from app import i18n
    from app.services.errors import ValidationFailed

    if args.year is None:
        raise CliError("quarterly needs --year YYYY")
    if args.quarter is None or not 1 <= args.quarter <= 4:
        raise CliError("quarterly needs --quarter 1, 2, 3 or 4")
    if not 2000 <= args.year <= 2100:
        raise CliError(f"--year: not a year of this program: {args.year}")
    if args.date_from is not None or args.date_to is not None:
        raise CliError("quarterly takes --year and --quarter, not --from and --to")
    fmt = args.format
    if fmt in ("xlsx", "pdf") and args.out is None:
        raise CliError(f"--format {fmt} needs --out FILE")
    i18n.set_language(args.lang)
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        options = services.reports.options()
        point = option(options.service_points, args.point, "--point")
        team = option(options.teams, args.team, "--team")
        try:
            report = services.reports.quarterly(args.year, args.quarter, point, team)
        except ValidationFailed as exc:
            problems = "; ".join(i18n._(m) for m in exc.errors.values())
            raise CliError(f"--year/--quarter: {problems}") from exc
        data = services.reports.export_quarterly(report, fmt, args.lang)
    finally:
        services.close()
    if args.out is None:
        sys.stdout.write(data.decode("utf-8-sig"))
        return 0
    Path(args.out).write_bytes(data)
    print(args.out)
    return 0
