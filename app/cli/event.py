"""`event list` and `event ics`: the service points' events (#21) over a span of days, and
the annual calendar as an iCalendar file for partners."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import CliError, act_as, open_services, point_id

if TYPE_CHECKING:
    from app.services.registry import Services

USER_HELP = "act as this staff member (default: an administrator)"


def add_commands(commands: argparse._SubParsersAction) -> None:
    event = commands.add_parser("event", help="events and the annual calendar")
    event_commands = event.add_subparsers(dest="event_command", required=True)
    listing = event_commands.add_parser(
        "list", help="events with a session between two days (Helsinki time)")
    listing.add_argument("--from", dest="first", required=True, metavar="DATE",
                         help="the first day (2027-03-01 or 1.3.2027)")
    listing.add_argument("--to", dest="last", required=True, metavar="DATE",
                         help="the last day, inclusive")
    listing.add_argument("--point", metavar="CODE", help="only this service point (ROV, RAN)")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--user", help=USER_HELP)
    listing.set_defaults(func=cmd_event_list)
    ics = event_commands.add_parser(
        "ics", help="the year's events and themes as an iCalendar (.ics) file")
    ics.add_argument("--year", required=True, metavar="YYYY")
    ics.add_argument("--point", metavar="CODE", help="only this service point's events")
    ics.add_argument("--out", type=Path, required=True, metavar="FILE.ics")
    ics.add_argument("--db", type=Path, required=True)
    ics.add_argument("--user", help=USER_HELP)
    ics.set_defaults(func=cmd_event_ics)


def _day(option: str, text: str) -> date:
    from app.services.events import parse_day

    try:
        day = parse_day(text)
    except ValueError:
        day = None
    if day is None:
        raise CliError(f"{option}: not a date: {text!r} (give YYYY-MM-DD or d.m.yyyy)")
    return day


def _point_id(services: Services, code: str | None) -> str | None:
    return point_id(services, code) if code else None


def cmd_event_list(args: argparse.Namespace) -> int:
    from app.i18n import to_local

    first, last = _day("--from", args.first), _day("--to", args.last)
    if last < first:
        raise CliError("--to is before --from")
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        point = _point_id(services, args.point)
        rows = services.events.list_events(first, last, point)
    finally:
        services.close()
    out: list[dict[str, object]] = []
    for r in rows:
        start = to_local(r.starts_at) if r.starts_at else None
        end = to_local(r.ends_at) if r.ends_at else None
        out.append({"id": r.id, "day": start.date().isoformat() if start else "",
                    "time": f"{start:%H:%M}–{end:%H:%M}" if start and end else "",
                    "point": r.service_point_name, "kind": r.kind, "title": r.title,
                    "sessions": r.sessions, "registered": r.registered,
                    "capacity": r.capacity, "waiting": r.waiting, "invited": r.invited,
                    "annual": r.annual})
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for item in out:
        capacity = item["capacity"] if item["capacity"] is not None else "–"
        print(f"{item['day']}\t{item['time']}\t{item['point']}\t{item['kind']}\t"
              f"{item['title']}\t{item['registered']}/{capacity}\t{item['waiting']}")
    if not out:
        print("no events", file=sys.stderr)
    return 0


def cmd_event_ics(args: argparse.Namespace) -> int:
    text = str(args.year).strip()
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise CliError(f"--year: not a year: {args.year!r} (give YYYY, e.g. 2027)")
    out: Path = args.out
    if out.is_dir():
        raise CliError(f"--out is a folder, not a file: {out}")
    if not out.parent.is_dir():
        raise CliError(f"--out: no such folder: {out.parent}")
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        point = _point_id(services, args.point)
        data = services.events.ics(int(text), point)
    finally:
        services.close()
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out}")
    return 0
