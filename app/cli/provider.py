"""`provider import|list`: the register of service providers and their contracts (#20)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from pathlib import Path

from app.cli.common import act_as, open_services
from app.i18n import _


def add_commands(commands: argparse._SubParsersAction) -> None:
    provider = commands.add_parser("provider", help="service providers and their contracts")
    provider_commands = provider.add_subparsers(dest="provider_command", required=True)
    imp = provider_commands.add_parser(
        "import", help="import service providers from a UTF-8 CSV file (columns: see README)")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--db", type=Path, required=True)
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.add_argument("--user", help="act as this staff member (default: an administrator)")
    imp.set_defaults(func=cmd_provider_import)
    listing = provider_commands.add_parser(
        "list", help="providers with their contracts and the places used and left now")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--user", help="act as this staff member (default: an administrator)")
    listing.set_defaults(func=cmd_provider_list)


def cmd_provider_import(args: argparse.Namespace) -> int:
    """Exit 0: every row imported; 1: some rows refused; 2: the file unreadable."""
    from app.services.customer_import import ImportFileError

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        preview = services.provider_import.preview(args.file)
    except ImportFileError as exc:
        print(f"error: {args.file}: {exc.text(_)}", file=sys.stderr)
        services.close()
        return 2
    except BaseException:
        services.close()
        raise
    try:
        for row in preview.rejected:
            for problem in row.problems:
                print(f"{args.file}:{row.line}: {problem.text(_)}", file=sys.stderr)
        created = sum(1 for r in preview.accepted if r.action == "new")
        updated = len(preview.accepted) - created
        if args.dry_run:
            print(f"dry run: would create {created}, update {updated}; "
                  f"rejected {len(preview.rejected)}")
        else:
            result = services.provider_import.commit(preview)
            print(f"created {result.created}, updated {result.updated}, "
                  f"rejected {result.rejected}")
    finally:
        services.close()
    return 1 if preview.rejected else 0


def _json_default(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value))


def _euros(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f} EUR"


def cmd_provider_list(args: argparse.Namespace) -> int:
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        details = [services.providers.provider(p.id)
                   for p in services.providers.providers()]
    finally:
        services.close()
    if args.json:
        out = []
        for d in details:
            item = dataclasses.asdict(d.provider)
            item["contracts"] = []
            for c in d.contracts:
                row = dataclasses.asdict(c)
                places = row.pop("places_now")
                row["period_start"] = places["period_start"]
                row["period_end"] = places["period_end"]
                row["used"] = c.places_now.used
                row["left"] = c.places_now.left
                row["next_free"] = list(c.places_now.next_free or ()) or None
                row["service_point_ids"] = list(c.service_point_ids)
                item["contracts"].append(row)
            out.append(item)
        print(json.dumps(out, default=_json_default, ensure_ascii=False, indent=2))
        return 0
    for d in details:
        p = d.provider
        state = "" if p.active else "  (inactive)"
        print(f"{p.business_id}  {p.name}{state}")
        for c in d.contracts:
            places = c.places_now
            if c.places is None:
                counted = f"used {places.used}, no limit"
            else:
                counted = f"used {places.used}/{c.places}, left {places.left}"
                if places.next_free is not None:
                    counted += f", next free {places.next_free[0]}..{places.next_free[1]}"
            price = (f"{_euros(c.unit_price_cents)} per customer"
                     if c.unit_price_cents is not None
                     else f"{_euros(c.lump_sum_cents)} lump sum")
            ended = "" if c.in_force else "  (not in force)"
            print(f"    {c.service:24} {c.title}  {c.starts_on}..{c.ends_on}  "
                  f"[{places.period_start}..{places.period_end}: {counted}]  "
                  f"{price}{ended}")
    if not details:
        print("no service providers")
    return 0
