"""`plan list` and `plan print`: the plans of every type (#24), and a plan as a PDF."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.common import act_as, open_services

PLAN_TYPES = ("employment", "multi_professional", "activation", "integration")


def add_commands(commands: argparse._SubParsersAction) -> None:
    plan = commands.add_parser("plan", help="plans (employment, multi-professional, "
                                            "activation, integration)")
    plan_commands = plan.add_subparsers(dest="plan_command", required=True)
    listing = plan_commands.add_parser("list", help="list plans with their newest version")
    listing.add_argument("--customer", metavar="ID|HETU",
                         help="only this customer's (id, identity code or customer number)")
    listing.add_argument("--type", choices=PLAN_TYPES, dest="plan_type",
                         help="only plans of this type")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--user", help="act as this staff member")
    listing.set_defaults(func=cmd_plan_list)
    print_plan = plan_commands.add_parser(
        "print", help="print a plan (by its id or a version id) or a customer's plan to PDF")
    print_plan.add_argument("key", metavar="PLAN-ID|ID|HETU")
    print_plan.add_argument("--db", type=Path, required=True)
    print_plan.add_argument("--lang", choices=("fi", "sv", "en"),
                            help="default: the customer's language")
    print_plan.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    print_plan.add_argument("--user", help="act as this staff member")
    print_plan.set_defaults(func=cmd_plan_print)


def cmd_plan_list(args: argparse.Namespace) -> int:
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        customer = services.plans.resolve_customer(args.customer) if args.customer else None
        rows = services.plans.list_plans(customer, args.plan_type)
    finally:
        services.close()
    if args.json:
        print(json.dumps([{
            "id": r.id, "customer_id": r.customer_id, "customer_number": r.customer_number,
            "plan_type": r.plan_type, "status": r.status, "version": r.version,
            "version_id": r.version_id,
            "accepted_at": r.accepted_at.isoformat() if r.accepted_at else None,
            "next_review_on": r.next_review_on.isoformat() if r.next_review_on else None,
        } for r in rows], ensure_ascii=False, indent=2))
        return 0
    if rows:  # a header line, so a reader (or `cut -f`) knows the columns
        print("customer_number\tplan_type\tversion\tstatus\tnext_review_on\tid")
    for r in rows:
        review = r.next_review_on.isoformat() if r.next_review_on else ""
        print(f"{r.customer_number}\t{r.plan_type}\t{r.version}\t{r.status}\t{review}\t{r.id}")
    if not rows:
        print("no plans")
    return 0


def cmd_plan_print(args: argparse.Namespace) -> int:
    """A plan as a PDF: by the plan's (or a version's) id, or a customer's current plan
    (the latest accepted, else the draft)."""
    from app.services.plans import print_plan_cli

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        print(print_plan_cli(services, args.key, args.lang, args.out))
    finally:
        services.close()
    return 0
