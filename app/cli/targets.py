"""`targets show` and `targets set`: the joint body's annual targets and the figures of a
year against them (app.services.reports.targets)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.common import CliError, act_as, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    from app.rules.targets import TARGETS

    keys = "\n".join(f"  {t.key:22s} {t.unit}, {t.direction.replace('_', ' ')}"
                     for t in TARGETS)
    targets = commands.add_parser("targets", help="annual targets and the figures against them")
    sub = targets.add_subparsers(dest="targets_command", required=True)
    show = sub.add_parser("show", help="each target of a year with its figure and state")
    show.add_argument("--year", type=int, required=True, metavar="YYYY")
    show.add_argument("--db", type=Path, required=True)
    show.add_argument("--json", action="store_true")
    show.add_argument("--lang", choices=("fi", "sv", "en"), default="en")
    show.add_argument("--user", help="act as this staff member (default: an administrator)")
    show.set_defaults(func=cmd_show)
    change = sub.add_parser(
        "set", help="set one target of a year", epilog="targets:\n" + keys,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    change.add_argument("key", choices=[t.key for t in TARGETS], metavar="KEY")
    change.add_argument("value", metavar="VALUE")
    change.add_argument("--year", type=int, required=True, metavar="YYYY")
    change.add_argument("--db", type=Path, required=True)
    change.add_argument("--user", help="act as this staff member (default: an administrator)")
    change.set_defaults(func=cmd_set)


def _json(report: object) -> dict:
    from app.rules.targets import TargetsReport

    assert isinstance(report, TargetsReport)
    return {
        "year": report.year,
        "through": report.through.isoformat() if report.through else None,
        "targets": [{
            "key": f.key, "unit": f.definition.unit, "direction": f.definition.direction,
            "target": f.target,
            "figure": None if f.figure is None else round(f.figure, 1),
            "counted": f.counted, "state": f.state,
            "months": [{"month": m.isoformat()[:7],
                        "figure": None if v is None else round(v, 1)} for m, v in f.months],
        } for f in report.figures],
    }


def cmd_show(args: argparse.Namespace) -> int:
    from app import i18n
    from app.i18n import _
    from app.rules.targets import AT_LEAST, NO_DATA, PERCENT, STATE_LABELS

    i18n.set_language(args.lang)
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        report = services.targets.report(args.year)
    finally:
        services.close()
    if args.json:
        print(json.dumps(_json(report), ensure_ascii=False, indent=2))
        return 0
    print(f"{args.year}" + (f" – {report.through.isoformat()}" if report.through else ""))
    for f in report.figures:
        d = f.definition
        unit = " %" if d.unit == PERCENT else ""
        sign = "≥" if d.direction == AT_LEAST else "≤"
        digits = 1 if d.unit == PERCENT else 0
        figure = "–" if f.figure is None else f"{f.figure:.{digits}f}{unit}"
        state = _(STATE_LABELS[f.state]) if f.state else _(NO_DATA)
        target = f"{sign} {f.target:g}{unit}"
        print(f"{_(d.title)[:40]:40} {figure:>9} {target:>9}  {state}")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from app.rules.targets import parse

    value = parse(args.value)
    if value is None:
        raise CliError(f"not a number: {args.value!r}")
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        services.targets.set_target(args.year, args.key, value)
        shown = services.targets.targets(args.year)[args.key]
    finally:
        services.close()
    print(f"{args.key} {args.year}: {shown:g}")
    return 0
