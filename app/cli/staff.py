"""`staff add`: a staff account and, with --central, its PostgreSQL role."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import CliError, act_as, first_line, open_services
from app.i18n import _


def add_commands(commands: argparse._SubParsersAction) -> None:
    staff = commands.add_parser("staff", help="staff accounts")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_commands.add_parser(
        "add", help="create a staff account (and with --central its PostgreSQL role)")
    add.add_argument("username")
    add.add_argument("--full-name", required=True)
    add.add_argument("--role", required=True,
                     choices=("desk", "coach", "team_lead", "admin", "partner"))
    add.add_argument("--partner-org", metavar="ID",
                     help="for --role partner: the partner organisation's id "
                          "(`partner list`)")
    add.add_argument("--service-point", required=True, metavar="CODE")
    add.add_argument("--db", type=Path, required=True)
    add.add_argument("--central", metavar="URL",
                     help="an administrator's connection (CREATEROLE) to the central database")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add.add_argument("--user", help="act as this administrator")
    add.set_defaults(func=cmd_staff_add)
    off = staff_commands.add_parser(
        "deactivate", help="a staff member who has left: no more sign-ins, no central rows")
    off.add_argument("username")
    off.add_argument("--db", type=Path, required=True)
    off.add_argument("--central", metavar="URL",
                     help="an administrator's connection (CREATEROLE): the role loses LOGIN")
    off.add_argument("--user", help="act as this administrator")
    off.set_defaults(func=cmd_staff_deactivate)


def cmd_staff_deactivate(args: argparse.Namespace) -> int:
    from app.services.errors import ValidationFailed

    services = open_services(args.db)
    central = None
    try:
        act_as(services, args.user)
        if args.central:
            from app.sync.engine import central_engine

            central = central_engine(args.central)
        services.staff.deactivate(args.username, central)
        if central is not None:
            from app.sync.push import push

            push(services.ctx.engine, central, services.ctx.clock.node)
    except ValidationFailed as exc:
        raise CliError("; ".join(f"{k}: {_(v)}" for k, v in exc.errors.items())) from exc
    finally:
        if central is not None:
            central.dispose()
        services.close()
    print(f"staff member {args.username} deactivated")
    return 0


def cmd_staff_add(args: argparse.Namespace) -> int:
    """The application account (Staff row, local verifier) and, with --central, the
    staff member's own PostgreSQL LOGIN role in their role's group; the new row is
    pushed at once so the central row-level security knows the new role."""
    import getpass

    from app.rules.codes import Role
    from app.services.errors import ValidationFailed

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {args.username}: ")
        if getpass.getpass("again: ") != password:
            raise CliError("the passwords differ")
    services = open_services(args.db)
    central = None
    try:
        if services.staff.has_staff():
            act_as(services, args.user)
        if args.central:
            from app.sync.engine import central_engine

            central = central_engine(args.central)
        account = services.staff.add(args.username, args.full_name, Role(args.role),
                                     args.service_point, password, central,
                                     partner_org_id=args.partner_org)
        if central is not None:
            from app.sync.push import push

            push(services.ctx.engine, central, services.ctx.clock.node)
    except ValidationFailed as exc:
        raise CliError("; ".join(f"{k}: {_(v)}" for k, v in exc.errors.items())) from exc
    except Exception as exc:
        if central is None or not hasattr(exc, "orig"):
            raise
        raise CliError(f"central database: {first_line(exc)}") from exc
    finally:
        if central is not None:
            central.dispose()
        services.close()
    where = "and PostgreSQL role " if account.central_role else ""
    print(f"staff member {account.username} ({account.role.value}, "
          f"{account.service_point_code}) {where}created")
    return 0
