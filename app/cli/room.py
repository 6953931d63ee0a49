"""`room list` and `room add`: each service point's rooms (#21), kept by administrators."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import act_as, open_services, point_id

if TYPE_CHECKING:
    pass


def add_commands(commands: argparse._SubParsersAction) -> None:
    room = commands.add_parser("room", help="the service points' rooms")
    room_commands = room.add_subparsers(dest="room_command", required=True)
    listing = room_commands.add_parser("list", help="list the rooms (active and inactive)")
    listing.add_argument("--point", metavar="CODE", help="only this service point (ROV, RAN)")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--user", help="act as this staff member")
    listing.set_defaults(func=cmd_room_list)
    add = room_commands.add_parser("add", help="add a room to a service point")
    add.add_argument("--point", metavar="CODE", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--seats", required=True, help="a whole number 1-500")
    add.add_argument("--accessible", action="store_true", help="accessible (esteetön)")
    add.add_argument("--equipment", default="", metavar="TEXT")
    add.add_argument("--db", type=Path, required=True)
    add.add_argument("--user", help="act as this administrator")
    add.set_defaults(func=cmd_room_add)


def cmd_room_list(args: argparse.Namespace) -> int:
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        point = point_id(services, args.point) if args.point else None
        rooms = services.rooms.list(point, include_inactive=True)
    finally:
        services.close()
    if args.json:
        print(json.dumps([{"id": r.id, "service_point": r.service_point_name, "name": r.name,
                           "seats": r.seats, "accessible": r.accessible,
                           "equipment": r.equipment, "active": r.active} for r in rooms],
                         ensure_ascii=False, indent=2))
        return 0
    for r in rooms:
        flags = ", ".join(x for x in ("accessible" if r.accessible else "",
                                      "" if r.active else "inactive") if x)
        print(f"{r.service_point_name}\t{r.name}\t{r.seats}\t{flags}\t{r.equipment}")
    if not rooms:
        print("no rooms")
    return 0


def cmd_room_add(args: argparse.Namespace) -> int:
    from app.dto.events import RoomInput

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        point = point_id(services, args.point)
        row = services.rooms.add(RoomInput(point, args.name, args.seats, args.accessible,
                                           args.equipment))
    finally:
        services.close()
    print(f"room {row.name} ({row.seats}) added to {row.service_point_name}: {row.id}")
    return 0
