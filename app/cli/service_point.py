"""`service-point services`: show or set the services a service point's queue offers.

Since #24 the queue's services are rows (`queue-service list|add|edit`, Settings > Queue
services); this command keeps its old form for the scripts that use it: the codes it
names become the point's offered services in that order, its other services of the
area's own desks are no longer offered (a partner's service keeps its state)."""

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
                                help="comma-separated queue service codes in their order, "
                                     "e.g. information,initial,finding_work")
    queue_services.add_argument("--db", type=Path, required=True)
    queue_services.add_argument("--user", help="act as this staff member")
    queue_services.set_defaults(func=cmd_point_services)


def cmd_point_services(args: argparse.Namespace) -> int:
    """Show or set the services a service point's queue offers (synchronised changes,
    through the queue service register)."""
    from app.models import ServicePoint

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        with services.ctx.session_factory() as s:
            point = s.scalar(select(ServicePoint.id).where(
                ServicePoint.code == args.code.upper(), ServicePoint.deleted_at.is_(None)))
        if point is None:
            raise CliError(f"no service point {args.code!r}")
        register = services.queue_services
        rows = register.list(point, include_inactive=True)
        if args.services:
            chosen = [c.strip().lower() for c in args.services.split(",") if c.strip()]
            known = [r.code for r in rows]
            unknown = [c for c in chosen if c not in known]
            if unknown or not chosen:
                raise CliError(f"unknown services {unknown}; choose from {sorted(known)}")
            rows = register.arrange(point, chosen)
        print(",".join(r.code for r in rows if r.active))
    finally:
        services.close()
    return 0
