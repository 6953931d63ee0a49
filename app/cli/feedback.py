"""`feedback report`: the feedback figures of a period, as JSON or a table."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from app.cli.common import CliError, act_as, open_services
from app.i18n import _


def add_commands(commands: argparse._SubParsersAction) -> None:
    feedback = commands.add_parser("feedback", help="customer feedback")
    feedback_commands = feedback.add_subparsers(dest="feedback_command", required=True)
    report = feedback_commands.add_parser("report", help="feedback figures of a period")
    report.add_argument("--db", type=Path, required=True)
    report.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--json", action="store_true")
    report.add_argument("--user", help="act as this staff member (default: an administrator)")
    report.set_defaults(func=cmd_feedback_report)


def cmd_feedback_report(args: argparse.Namespace) -> int:
    """Satisfaction, NPS and mean score of a period by point, channel, area, week, worker."""
    from app.services.errors import ValidationFailed
    from app.services.feedback import feedback_report

    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError as exc:
        raise CliError(f"give the dates as YYYY-MM-DD: {exc}") from exc
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        report = feedback_report(services.feedback, start, end)
    except ValidationFailed as exc:  # the period given: the operator's to correct
        message = next(iter(exc.errors.values()), exc.message)
        raise CliError(_(message)) from exc
    finally:
        services.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"{report['from']} – {report['to']}")
    for section in ("service_point", "channel", "service_area", "week"):
        print(f"\n{section:28} {'answers':>8} {'satisfied %':>12} {'NPS':>7} {'mean':>6}")
        for row in report[section] + [{"name": "all", **report["total"]}]:
            cells = [row.get(k) for k in ("satisfaction", "nps", "mean")]
            shown = ["–" if v is None else str(v) for v in cells]
            name = row.get("name") or row.get("key") or "–"
            print(f"{name[:28]:28} {row['answers']:>8} {shown[0]:>12} {shown[1]:>7} "
                  f"{shown[2]:>6}")
    workers = report["workers"]
    print(f"\nper worker (at least {workers['minimum']} answers; "
          f"{workers['hidden_answers']} answers not shown)")
    for row in workers["rows"]:
        print(f"{row['name'][:28]:28} {row['answers']:>8} {row['satisfaction']!s:>12} "
              f"{row['nps']!s:>7} {row['mean']!s:>6}")
    return 0
