"""`employer import|show|list`: the employer register (#22)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from pathlib import Path

from app.cli.common import CliError, act_as, open_services
from app.i18n import _

USER_HELP = "act as this staff member (default: an administrator)"


def add_commands(commands: argparse._SubParsersAction) -> None:
    employer = commands.add_parser("employer", help="the employer register")
    employer_commands = employer.add_subparsers(dest="employer_command", required=True)
    imp = employer_commands.add_parser(
        "import", help="import employers from a UTF-8 CSV file (columns: see README)")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--db", type=Path, required=True)
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.add_argument("--user", help=USER_HELP)
    imp.set_defaults(func=cmd_employer_import)
    show = employer_commands.add_parser(
        "show", help="an employer with its contact persons, open vacancies and last contacts")
    show.add_argument("key", metavar="YTUNNUS", help="the business ID (1234567-8) or the id")
    show.add_argument("--db", type=Path, required=True)
    show.add_argument("--json", action="store_true")
    show.add_argument("--user", help=USER_HELP)
    show.set_defaults(func=cmd_employer_show)
    listing = employer_commands.add_parser("list", help="employers by name")
    listing.add_argument("--query", default="", metavar="Q",
                         help="words of the name, or digits of the business ID")
    listing.add_argument("--inactive", action="store_true", help="include inactive employers")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--user", help=USER_HELP)
    listing.set_defaults(func=cmd_employer_list)
    erase = employer_commands.add_parser(
        "erase-persons", help="erase contact persons no longer active whose retention "
                              "period has ended (administrators)")
    erase.add_argument("--db", type=Path, required=True)
    erase.add_argument("--dry-run", action="store_true", help="count them, erase nothing")
    erase.add_argument("--user", help=USER_HELP)
    erase.set_defaults(func=cmd_employer_erase_persons)


def _json_default(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value))


def cmd_employer_import(args: argparse.Namespace) -> int:
    """Exit 0: every row imported; 1: some rows refused; 2: the file unreadable."""
    from app.services.customer_import import ImportFileError

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        preview = services.employer_import.preview(args.file)
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
        if args.dry_run:
            print(f"dry run: would create {preview.new_employers}, update "
                  f"{preview.known_employers}; rejected {len(preview.rejected)}")
        else:
            result = services.employer_import.commit(preview)
            print(f"created {result.created}, updated {result.updated}, "
                  f"rejected {result.rejected}; contact persons added "
                  f"{result.persons_added}, updated {result.persons_updated}")
    finally:
        services.close()
    return 1 if preview.rejected else 0


def cmd_employer_show(args: argparse.Namespace) -> int:
    from app.services.employers import LAST_CONTACTS

    if not args.key.strip():
        raise CliError("give the employer's business ID (1234567-8)")
    from app.services.errors import NotFound

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        try:
            row = services.employers.find(args.key)
        except NotFound as exc:
            raise CliError(f"no employer {args.key.strip()!r}: {exc.text()}") from None
        detail = services.employers.employer(row.id)
    finally:
        services.close()
    data = dataclasses.asdict(detail.employer)
    data.pop("sort_key", None)
    data["open_vacancy_count"] = data.pop("open_vacancies")
    form = dataclasses.asdict(detail.form)
    for key in ("street_address", "postal_code", "post_office", "visiting_address",
                "phone", "email", "website", "note"):
        data[key] = form[key]
    data["first_contact_on"] = detail.first_contact_on
    data["last_contact_on"] = detail.last_contact_on
    data["persons"] = [dataclasses.asdict(p) for p in detail.persons]
    data["open_vacancies"] = [dataclasses.asdict(v) for v in detail.vacancies
                              if v.status == "open"]
    data["contacts"] = [dataclasses.asdict(c) for c in detail.contacts[:LAST_CONTACTS]]
    if args.json:
        print(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2))
        return 0
    e = detail.employer
    print(f"{e.business_id}  {e.name}{'' if e.active else '  (inactive)'}")
    for key in ("industry", "size_class", "municipality", "street_address", "postal_code",
                "post_office", "visiting_address", "phone", "email", "website",
                "team_name", "contact_staff_name", "first_contact_on", "last_contact_on"):
        if data.get(key):
            print(f"    {key:20} {data[key]}")
    for p in detail.persons:
        state = "" if p.active else "  (inactive)"
        print(f"    person   {p.name}  {p.role}  {p.phone}  {p.email}{state}")
    for v in detail.vacancies:
        if v.status == "open":
            print(f"    vacancy  {v.title}  {v.municipality}  positions {v.positions}  "
                  f"proposed {v.proposed}, interviewed {v.interviewed}, hired {v.hired}")
    for c in detail.contacts[:LAST_CONTACTS]:
        follow = (f"  follow-up {c.follow_up_on} {c.follow_up_by_name}"
                  + (f" (done {c.follow_up_done_on})" if c.follow_up_done_on else "")
                  if c.follow_up_on else "")
        print(f"    contact  {c.contacted_on}  {c.channel}  {c.topic}  {c.staff_name}{follow}")
    return 0


def cmd_employer_list(args: argparse.Namespace) -> int:
    from app.services.employers import PAGE_SIZE

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        rows = []
        after = None
        while True:  # every keyset page
            page = services.employers.search(args.query, after=after,
                                             include_inactive=args.inactive)
            rows.extend(page)
            if len(page) < PAGE_SIZE:
                break
            after = (page[-1].sort_key, page[-1].id)
    finally:
        services.close()
    if args.json:
        out = []
        for r in rows:
            item = dataclasses.asdict(r)
            item.pop("sort_key", None)
            out.append(item)
        print(json.dumps(out, default=_json_default, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        state = "" if r.active else "  (inactive)"
        print(f"{r.business_id}  {r.name}  {r.industry or '-'}  {r.municipality}  "
              f"open vacancies {r.open_vacancies}{state}")
    if not rows:
        print("no employers")
    return 0


def cmd_employer_erase_persons(args: argparse.Namespace) -> int:
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        count = services.employers.erase_departed_persons(dry_run=args.dry_run)
    finally:
        services.close()
    verb = "would erase" if args.dry_run else "erased"
    print(f"{verb} {count} contact person(s) past the retention period")
    return 0
