"""`report NAME`: one report over a date range, printed or as CSV or XLSX."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from app.cli.common import CliError, act_as, open_services
from app.cli.quarterly import (
    QUARTERLY_HELP,
    add_quarter_arguments,
    check_not_quarterly,
    cmd_quarterly,
)
from app.dto.reports import FilterOption, ReportTable


def add_commands(commands: argparse._SubParsersAction) -> None:
    from app.services.reports import REPORTS

    width = max(map(len, REPORTS))
    names = "\n".join(f"  {name:{width}s} {spec.title}" for name, spec in REPORTS.items())
    names += "\n\n" + QUARTERLY_HELP
    report = commands.add_parser(
        "report", help="print one report, or write it as CSV or XLSX",
        description="Print one report as a table, or write it as CSV (UTF-8 with BOM, ';' "
                    "separated, for Excel) or XLSX.", epilog="reports:\n" + names,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("name", choices=[*REPORTS, "quarterly"], metavar="NAME")
    report.add_argument("--db", type=Path, required=True)
    report.add_argument("--from", dest="date_from", type=date.fromisoformat,
                        metavar="YYYY-MM-DD", help="required, except for quarterly")
    report.add_argument("--to", dest="date_to", type=date.fromisoformat,
                        metavar="YYYY-MM-DD", help="required, except for quarterly")
    add_quarter_arguments(report)
    report.add_argument("--point", metavar="POINT",
                        help="only this service point (its name or id)")
    report.add_argument("--team", metavar="TEAM", help="only this team (its name or id)")
    report.add_argument("--format", choices=("csv", "xlsx", "text", "pdf"), default="text",
                        help="text (the default) prints the table; pdf: quarterly only")
    report.add_argument("--out", type=Path, metavar="FILE",
                        help="write to FILE (default: print; xlsx needs a file)")
    report.add_argument("--lang", choices=("fi", "sv", "en"), default="fi")
    report.add_argument("--user", help="act as this staff member (default: an administrator)")
    report.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    """One report over a date range as CSV or XLSX (see app.services.reports.export)."""
    from app import i18n
    from app.dto.reports import ReportFilter

    if args.name == "quarterly":
        return cmd_quarterly(args, _option)
    check_not_quarterly(args)
    if args.date_to < args.date_from:
        raise CliError("--to is before --from")
    if args.format == "xlsx" and args.out is None:
        raise CliError("--format xlsx needs --out FILE")
    i18n.set_language(args.lang)
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        options = services.reports.options()
        point = _option(options.service_points, args.point, "--point")
        team = _option(options.teams, args.team, "--team")
        f = ReportFilter(args.date_from, args.date_to, point, team)
        if args.format == "text":
            data = _text(services.reports.run(args.name, f)).encode()
            services.reports.record_export(args.name, f, "text")
        else:
            data = services.reports.export(args.name, f, args.format)
    finally:
        services.close()
    if args.out is None:
        sys.stdout.write(data.decode("utf-8-sig"))
        return 0
    args.out.write_bytes(data)
    print(args.out)
    return 0


def _text(table: ReportTable) -> str:
    """The report as an aligned plain-text table, its note under it."""
    from app.dto.report_display import header, text_rows, title

    lines = [[header(c) for c in table.columns], *text_rows(table)]
    widths = [max(len(row[i]) for row in lines) for i in range(len(table.columns))]
    out = [title(table.title), ""]
    for n, row in enumerate(lines):
        out.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    note = table.note_text(title)
    return "\n".join([*out, *(["", note] if note else [])]) + "\n"


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
