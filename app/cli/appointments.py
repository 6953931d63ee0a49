"""`appointment letter|reminders`: the appointment letter and the reminders list."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.cli.common import CliError, act_as, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    appointment = commands.add_parser("appointment", help="appointments")
    sub = appointment.add_subparsers(dest="appointment_command", required=True)
    letter = sub.add_parser("letter", help="the appointment letter as PDF")
    letter.add_argument("id", metavar="ID")
    letter.add_argument("--db", type=Path, required=True)
    letter.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    letter.add_argument("--lang", choices=("fi", "sv", "en"),
                        help="default: the customer's language")
    letter.add_argument("--user", help="act as this staff member")
    letter.set_defaults(func=cmd_letter)
    reminders = sub.add_parser("reminders", help="a day's appointments as CSV for reminders")
    reminders.add_argument("--db", type=Path, required=True)
    reminders.add_argument("--date", type=date.fromisoformat, required=True,
                           metavar="YYYY-MM-DD")
    reminders.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    reminders.add_argument("--service-point", metavar="CODE", help="only this service point")
    reminders.add_argument("--user", help="act as this staff member")
    reminders.set_defaults(func=cmd_reminders)


def _run(args: argparse.Namespace, work) -> int:

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        print(work(services))
    except OSError as exc:
        raise CliError(str(exc)) from exc
    finally:
        services.close()
    return 0


def cmd_letter(args: argparse.Namespace) -> int:
    def work(services) -> str:
        letter = services.appointments.letter(args.id, args.lang)
        args.out.write_bytes(services.appointments.render_letter(letter))
        return str(args.out)

    return _run(args, work)


def cmd_reminders(args: argparse.Namespace) -> int:
    def work(services) -> str:
        point_id = None
        if args.service_point:
            codes = _point_codes(services)
            point_id = codes.get(args.service_point.upper())
            if point_id is None:
                raise CliError(f"no service point {args.service_point!r}; "
                               f"choose one of {', '.join(sorted(codes))}")
        count = services.appointments.export_reminders(args.date, args.out, point_id)
        return f"{count} appointments written to {args.out}"

    return _run(args, work)


def _point_codes(services) -> dict[str, str]:
    from sqlalchemy import select

    from app.models import ServicePoint

    with services.ctx.session_factory() as s:
        return dict(s.execute(select(ServicePoint.code, ServicePoint.id)).all())
