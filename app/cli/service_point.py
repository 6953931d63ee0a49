"""`service-point services`: show or set the services a service point's queue offers."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select

from app.cli.common import CliError, act_as, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    point = commands.add_parser("service-point", help="service point settings")
    point_commands = point.add_subparsers(dest="point_command", required=True)
    queue_services = point_commands.add_parser(
        "services", help="show or set the services offered in the point's queue")
    queue_services.add_argument("code", help="ROV or RAN")
    queue_services.add_argument("services", nargs="?",
                                help="comma-separated, e.g. information,initial,finding_work")
    queue_services.add_argument("--db", type=Path, required=True)
    queue_services.add_argument("--user", help="act as this staff member")
    queue_services.set_defaults(func=cmd_point_services)


def cmd_point_services(args: argparse.Namespace) -> int:
    """Show or set the services a service point's queue offers (a synchronised change)."""
    from app.models import ServicePoint
    from app.rules.codes import ServiceArea

    services = open_services(args.db)
    act_as(services, args.user)
    valid = {a.value for a in ServiceArea}
    with services.ctx.session_factory.begin() as s:
        s.info["actor_id"] = services.ctx.signed_in.staff_id
        point = s.scalar(select(ServicePoint).where(ServicePoint.code == args.code.upper()))
        if point is None:
            raise CliError(f"no service point {args.code!r}")
        if args.services:
            chosen = [c.strip() for c in args.services.split(",") if c.strip()]
            unknown = [c for c in chosen if c not in valid]
            if unknown or not chosen:
                raise CliError(f"unknown services {unknown}; choose from {sorted(valid)}")
            point.queue_services = ",".join(chosen)
            services.ctx.audit(s, "service_point.services", "service_point", point.id,
                               {"services": chosen})
        print(point.queue_services or ",".join(sorted(valid)))
    services.close()
    return 0
