"""`queue-service list|add|edit`: each service point's queue services (#24), kept by
administrators: names in Finnish, Swedish and English, how their visits are counted,
served at the area's own desks or at a partner organisation's. A service's code never
changes: tickets and desk duties name it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import CliError, act_as, open_services, point_id
from app.rules.codes import ServiceArea

if TYPE_CHECKING:
    from app.dto.queue_services import OfferedServiceRow
    from app.services.registry import Services

AREAS = [a.value for a in ServiceArea]


def add_commands(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("queue-service", help="the service points' queue services")
    sub = group.add_subparsers(dest="queue_service_command", required=True)
    listing = sub.add_parser("list", help="list a service point's queue services in order")
    listing.add_argument("--point", metavar="CODE", required=True, help="ROV, RAN")
    listing.add_argument("--all", action="store_true", help="also those no longer offered")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--user", help="act as this staff member")
    listing.set_defaults(func=cmd_list)
    add = sub.add_parser("add", help="add a queue service to a service point")
    add.add_argument("--point", metavar="CODE", required=True)
    add.add_argument("--code", required=True,
                     help="the stable key: a-z, 0-9 and _, 2-40 characters; never changes")
    add.add_argument("--fi", required=True, metavar="NAME", help="the name in Finnish")
    add.add_argument("--sv", required=True, metavar="NAME", help="the name in Swedish")
    add.add_argument("--en", required=True, metavar="NAME", help="the name in English")
    add.add_argument("--area", required=True, choices=AREAS,
                     help="the service area its visits are counted in")
    add.add_argument("--partner", metavar="ORG_ID",
                     help="served at this partner organisation's desks (`partner list`)")
    add.add_argument("--inactive", action="store_true", help="add it as not offered yet")
    add.add_argument("--db", type=Path, required=True)
    add.add_argument("--user", help="act as this administrator")
    add.set_defaults(func=cmd_add)
    edit = sub.add_parser("edit", help="change a queue service (its code never changes)")
    edit.add_argument("--point", metavar="CODE", required=True)
    edit.add_argument("--code", required=True, help="the service to change")
    edit.add_argument("--fi", metavar="NAME", help="the name in Finnish")
    edit.add_argument("--sv", metavar="NAME", help="the name in Swedish")
    edit.add_argument("--en", metavar="NAME", help="the name in English")
    edit.add_argument("--area", choices=AREAS)
    edit.add_argument("--partner", metavar="ORG_ID|none",
                      help="a partner organisation's id, or none: the area's own desks")
    edit.add_argument("--active", choices=("yes", "no"), help="offered in the queue")
    edit.add_argument("--db", type=Path, required=True)
    edit.add_argument("--user", help="act as this administrator")
    edit.set_defaults(func=cmd_edit)


def _service(services: Services, point: str, point_code: str, code: str) -> OfferedServiceRow:
    for row in services.queue_services.list(point, include_inactive=True):
        if row.code == code.strip().lower():
            return row
    raise CliError(f"no queue service {code!r} at {point_code.upper()} "
                   f"(`queue-service list --point {point_code.upper()} --all`)")


def _as_json(r: OfferedServiceRow) -> dict[str, object]:
    return {"id": r.id, "service_point": r.point_name, "code": r.code, "name_fi": r.name_fi,
            "name_sv": r.name_sv, "name_en": r.name_en, "service_area": r.service_area,
            "partner_org_id": r.partner_org_id, "partner": r.partner_name,
            "position": r.position, "active": r.active}


def cmd_list(args: argparse.Namespace) -> int:
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        point = point_id(services, args.point)
        rows = services.queue_services.list(point, include_inactive=args.all)
    finally:
        services.close()
    if args.json:
        print(json.dumps([_as_json(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        served = f"partner {r.partner_name} ({r.partner_org_id})" if r.partner_org_id \
            else "area desks"
        state = "" if r.active else "inactive"
        print(f"{r.code}\t{r.service_area}\t{served}\t{state}\t"
              f"{r.name_fi} | {r.name_sv} | {r.name_en}")
    if not rows:
        print("no queue services")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from app.dto.queue_services import OfferedServiceInput

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        point = point_id(services, args.point)
        row = services.queue_services.add(OfferedServiceInput(
            point, args.code, args.fi, args.sv, args.en, args.area, args.partner or None,
            active=not args.inactive))
    finally:
        services.close()
    print(f"queue service {row.code} added to {row.point_name}: {row.id}")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from app.dto.queue_services import OfferedServiceInput

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        point = point_id(services, args.point)
        row = _service(services, point, args.point, args.code)
        partner = row.partner_org_id if args.partner is None else (
            None if args.partner.strip().lower() == "none" else args.partner.strip())
        active = row.active if args.active is None else args.active == "yes"
        data = OfferedServiceInput(
            point, row.code, row.name_fi if args.fi is None else args.fi,
            row.name_sv if args.sv is None else args.sv,
            row.name_en if args.en is None else args.en,
            args.area or row.service_area, partner, active)
        edited = services.queue_services.edit(row.id, data)
    finally:
        services.close()
    print(f"queue service {edited.code} of {edited.point_name} saved")
    return 0
