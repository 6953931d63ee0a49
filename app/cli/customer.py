"""`customer show|import|extract|erase|close|reopen`: the customer register, the case's
job-search periods and the customer's rights."""

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

    merge = customer_commands.add_parser(
        "merge", help="merge a duplicate registration into the real customer record")
    merge.add_argument("duplicate", metavar="FROM", help="the duplicate: id, hetu or number")
    merge.add_argument("real", metavar="INTO", help="the real record: id, hetu or number")
    merge.add_argument("--db", type=Path, required=True)
    merge.add_argument("--user", help="act as this team lead or administrator "
                                      "(default: an administrator)")
    merge.add_argument("--yes", action="store_true",
                       help="merge without asking (else: show what moves, then ask)")
    merge.set_defaults(func=cmd_customer_merge)

    close = customer_commands.add_parser(
        "close", help="close the customer's case (end the job-search period)")
    close.add_argument("key", metavar="ID|HETU")
    close.add_argument("--reason", required=True, metavar="CODE",
                       help="why the case ends: " + ", ".join(_exit_codes()))
    close.add_argument("--on", required=True, metavar="DATE",
                       help="the last day of the period (2026-11-24 or 24.11.2026)")
    close.add_argument("--note", default="", help="the outcome note")
    close.add_argument("--coach", default="release", metavar="release|keep",
                       help="release the coach (default) or keep them named")
    close.add_argument("--db", type=Path, required=True)
    close.add_argument("--user", help="act as this staff member (default: an administrator)")
    close.set_defaults(func=cmd_customer_close)
    reopen = customer_commands.add_parser(
        "reopen", help="reopen a closed case as a new job-search period")
    reopen.add_argument("key", metavar="ID|HETU")
    reopen.add_argument("--on", required=True, metavar="DATE",
                        help="the first day of the new period")
    reopen.add_argument("--db", type=Path, required=True)
    reopen.add_argument("--user", help="act as this staff member (default: an administrator)")
    reopen.set_defaults(func=cmd_customer_reopen)


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
        data.update(_case_summary(services, card.id))
    finally:
        services.close()
    if args.json:
        print(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            print(f"{key:26} {value}")
    return 0


def _case_summary(services, customer_id: str) -> dict[str, object]:
    """The case and its job-search periods for `customer show` (newest first)."""
    case = services.case_periods.periods(customer_id)
    return {
        "case": {"status": case.status, "opened_on": case.opened_on,
                 "closed_on": case.closed_on, "reason": case.reason},
        "periods": [dataclasses.asdict(p) for p in case.periods],
    }


def _exit_codes() -> list[str]:
    from app.rules.codes import CaseExitReason

    return [code.value for code in CaseExitReason]


def _cli_date(text: str, option: str) -> date:
    from app.services.customer_import import parse_date

    try:
        value = parse_date(text)
    except ValueError:
        value = None
    if value is None:
        raise CliError(f"{option}: {text!r} is not a date (use 2026-11-24 or 24.11.2026)")
    return value


def _field_errors(exc: Exception) -> CliError:
    """A refused close or reopen as the arguments' errors (exit status 2)."""
    options = {"on": "--on", "reason": "--reason", "note": "--note", "coach": "--coach"}
    errors = getattr(exc, "errors", {})
    return CliError("; ".join(f"{options.get(field, field)}: {_(message)}"
                              for field, message in errors.items()))


def cmd_customer_close(args: argparse.Namespace) -> int:
    """Close the case: nothing is written unless every argument is right (exit 2)."""
    from app.rules.codes import CoachOnClose
    from app.services.errors import ValidationFailed

    codes = _exit_codes()
    if args.reason not in codes:
        raise CliError(f"--reason: unknown code {args.reason!r}; valid codes: "
                       + ", ".join(codes))
    if args.coach not in [c.value for c in CoachOnClose]:
        raise CliError(f"--coach: {args.coach!r} is not release or keep")
    on = _cli_date(args.on, "--on")
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        key = services.customers.find(args.key).id
        try:
            case = services.case_periods.close(key, on, args.reason, args.note, args.coach)
        except ValidationFailed as exc:
            raise _field_errors(exc) from exc
    finally:
        services.close()
    print(f"closed {key} on {case.closed_on.isoformat() if case.closed_on else ''} "
          f"({case.reason})")
    return 0


def cmd_customer_reopen(args: argparse.Namespace) -> int:
    from app.services.errors import ValidationFailed

    on = _cli_date(args.on, "--on")
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        key = services.customers.find(args.key).id
        try:
            case = services.case_periods.reopen(key, on)
        except ValidationFailed as exc:
            raise _field_errors(exc) from exc
    finally:
        services.close()
    print(f"reopened {key} on {case.opened_on.isoformat()}")
    return 0


def _clock_summary(services, customer_id: str) -> dict[str, object]:
    """Coach, groups and the statutory clock for `customer show` (benefit days; the
    approximate flag: day 1 estimated from unemployed_since, shown as "about")."""
    clock = services.clock.customer_clock(customer_id)
    return {
        "coach": {"id": clock.coach_id, "name": clock.coach_name},
        "groups": clock.groups,
        "barriers": clock.barriers,
        "days_unemployed": clock.days_unemployed,
        "hundred_day_date": clock.hundred_day_date,
        "hundred_day_approximate": clock.hundred_day_approximate,
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


def cmd_customer_merge(args: argparse.Namespace) -> int:
    """Merge a duplicate into the real customer: shows what moves (per table), asks
    unless --yes (a script without a terminal must say --yes), then merges in one
    transaction that the next sync carries to every workstation."""
    from app.cli.common import Refused
    from app.services.customer_merge import MOVE_LABELS

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        duplicate = services.customers.find(args.duplicate).id
        real = services.customers.find(args.real).id
        preview = services.customer_merge.preview(duplicate, real)
        print(f"merge {preview.duplicate.customer_number} ({preview.duplicate.id}) "
              f"into {preview.real.customer_number} ({preview.real.id})")
        for table, count in preview.moves:
            print(f"  {table:<20} {count:>5}  {_(MOVE_LABELS[table])}")
        if not args.yes:
            if not sys.stdin.isatty():
                raise Refused("not merged: give --yes to merge without a terminal")
            answer = input("merge? [y/N] ").strip().lower()
            if answer not in ("y", "yes", "k", "kyllä", "j", "ja"):
                raise Refused("not merged")
        services.customer_merge.merge(duplicate, real)
    finally:
        services.close()
    print(f"merged {duplicate} into {real}")
    return 0
