"""`report NAME`: one report over a date range as CSV or XLSX."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.cli.common import CliError, act_as, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    from app.services.reports import REPORTS

    names = "\n".join(f"  {name:20s} {spec.title}" for name, spec in REPORTS.items())
    report = commands.add_parser(
        "report", help="write one report as CSV or XLSX",
        description="Write one report as CSV (UTF-8 with BOM, ';' separated, for Excel) or "
                    "XLSX.", epilog="reports:\n" + names,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("name", choices=list(REPORTS), metavar="NAME")
    report.add_argument("--db", type=Path, required=True)
    report.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="date_to", type=date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD")
    report.add_argument("--format", choices=("csv", "xlsx"), required=True)
    report.add_argument("--out", type=Path, required=True, metavar="FILE")
    report.add_argument("--lang", choices=("fi", "sv", "en"), default="fi")
    report.add_argument("--user", help="act as this staff member (default: an administrator)")
    report.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    """One report over a date range as CSV or XLSX (see app.services.reports.export)."""
    from app import i18n
    from app.dto.reports import ReportFilter

    if args.date_to < args.date_from:
        raise CliError("--to is before --from")
    i18n.set_language(args.lang)
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        data = services.reports.export(args.name, ReportFilter(args.date_from, args.date_to),
                                       args.format)
    finally:
        services.close()
    args.out.write_bytes(data)
    print(args.out)
    return 0
