"""`report NAME`: one report over a date range as CSV or XLSX."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.cli.common import CliError, act_as, open_services
from app.dto.reports import FilterOption


def add_commands(commands: argparse._SubParsersAction) -> None:
    from app.services.reports import REPORTS

    width = max(map(len, REPORTS))
    names = "\n".join(f"  {name:{width}s} {spec.title}" for name, spec in REPORTS.items())
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
    report.add_argument("--point", metavar="POINT",
                        help="only this service point (its name or id)")
    report.add_argument("--team", metavar="TEAM", help="only this team (its name or id)")
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
        options = services.reports.options()
        point = _option(options.service_points, args.point, "--point")
        team = _option(options.teams, args.team, "--team")
        data = services.reports.export(
            args.name, ReportFilter(args.date_from, args.date_to, point, team), args.format)
    finally:
        services.close()
    args.out.write_bytes(data)
    print(args.out)
    return 0


def _option(options: tuple[FilterOption, ...], wanted: str | None, flag: str) -> str | None:
    """The id of the service point or team named by `wanted` (its id or its name, in
    any case); None: every one."""
    if wanted is None:
        return None
    for option in options:
        if wanted in (option.id, option.name) or wanted.casefold() == option.name.casefold():
            return option.id
    names = ", ".join(o.name for o in options)
    raise CliError(f"{flag}: no such one: {wanted} (choose from: {names})")
