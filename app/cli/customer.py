"""`customer show|import|extract|erase`: the customer register and the customer's rights."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date, datetime
from pathlib import Path

from app.cli.common import CliError, act_as, open_services
from app.i18n import _


def add_commands(commands: argparse._SubParsersAction) -> None:
    customer = commands.add_parser("customer", help="customer register")
    customer_commands = customer.add_subparsers(dest="customer_command", required=True)
    show = customer_commands.add_parser("show", help="one customer by id, hetu or number")
    show.add_argument("key", metavar="ID|HETU")
    show.add_argument("--db", type=Path, required=True)
    show.add_argument("--json", action="store_true")
    show.add_argument("--user", help="act as this staff member (default: an administrator)")
    show.set_defaults(func=cmd_customer_show)
    imp = customer_commands.add_parser(
        "import", help="import customers from a UTF-8 CSV file (columns: see README)")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--db", type=Path, required=True)
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.add_argument("--update", action="store_true",
                     help="update customers whose identity code is already registered")
    imp.add_argument("--user", help="act as this staff member (default: an administrator)")
    imp.set_defaults(func=cmd_customer_import)

    extract = customer_commands.add_parser(
        "extract", help="right of access: everything held on one customer")
    extract.add_argument("key", metavar="ID|HETU")
    extract.add_argument("--db", type=Path, required=True)
    extract.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.json")
    extract.add_argument("--lang", choices=("fi", "sv", "en"), default="fi")
    extract.add_argument("--user", help="act as this staff member (default: an administrator)")
    extract.set_defaults(func=cmd_customer_extract)

    erase = customer_commands.add_parser(
        "erase", help="erase an inactive customer's data after the retention period")
    erase.add_argument("key", metavar="ID|HETU")
    erase.add_argument("--db", type=Path, required=True)
    erase.add_argument("--user", help="act as this administrator")
    erase.set_defaults(func=cmd_customer_erase)


def _json_default(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(type(value))


def cmd_customer_show(args: argparse.Namespace) -> int:

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        card = services.customers.find(args.key)
        data = dataclasses.asdict(card)
        data.update(_clock_summary(services, card.id))
    finally:
        services.close()
    if args.json:
        print(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            print(f"{key:26} {value}")
    return 0


def _clock_summary(services, customer_id: str) -> dict[str, object]:
    """Coach, groups and the statutory clock for `customer show` (working days)."""
    clock = services.clock.customer_clock(customer_id)
    return {
        "coach": {"id": clock.coach_id, "name": clock.coach_name},
        "groups": clock.groups,
        "barriers": clock.barriers,
        "days_unemployed": clock.days_unemployed,
        "hundred_day_date": clock.hundred_day_date,
        "deadlines": [dataclasses.asdict(d) for d in clock.deadlines],
    }


def cmd_customer_import(args: argparse.Namespace) -> int:
    """Exit 0: every row imported; 1: some rows rejected; 2: the file unreadable."""
    from app.services.customer_import import ImportFileError

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        preview = services.customer_import.preview(args.file, update=args.update)
    except ImportFileError as exc:
        print(f"error: {args.file}: {exc.text(_)}", file=sys.stderr)
        services.close()
        return 2
    for row in preview.rejected:
        for problem in row.problems:
            print(f"{args.file}:{row.line}: {problem.text(_)}", file=sys.stderr)
    if args.dry_run:
        created = sum(1 for r in preview.accepted if r.action == "new")
        updated = len(preview.accepted) - created
        print(f"dry run: would create {created}, update {updated}; "
              f"rejected {len(preview.rejected)}")
    else:
        result = services.customer_import.commit(preview)
        print(f"created {result.created}, updated {result.updated}, "
              f"rejected {result.rejected}")
    services.close()
    return 1 if preview.rejected else 0


def cmd_customer_extract(args: argparse.Namespace) -> int:
    """Right of access: everything held on one customer, as JSON or PDF (by --out)."""

    suffix = args.out.suffix.lower()
    if suffix not in (".json", ".pdf"):
        raise CliError("--out must end in .json or .pdf")
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        key = services.customers.find(args.key).id
        extract = services.rights.extract(key)
    finally:
        services.close()
    if suffix == ".json":
        args.out.write_text(json.dumps(extract, ensure_ascii=False, indent=2),
                            encoding="utf-8")
    else:
        from app.printing.extract_pdf import render_extract

        args.out.write_bytes(render_extract(extract, args.lang))
    print(args.out)
    return 0


def cmd_customer_erase(args: argparse.Namespace) -> int:
    """Erase an inactive customer's personal data once the retention period has ended;
    the next sync carries the erasure to the centre and every workstation."""

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        key = services.customers.find(args.key).id
        ends = services.rights.retention_ends(key)
        services.rights.erase(key)
    finally:
        services.close()
    print(f"erased {key} (retention ended {ends.isoformat()})")
    return 0
