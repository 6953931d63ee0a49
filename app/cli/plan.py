"""`plan print`: a customer's current plan as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import act_as, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    plan = commands.add_parser("plan", help="employment plans")
    plan_commands = plan.add_subparsers(dest="plan_command", required=True)
    print_plan = plan_commands.add_parser("print", help="print a customer's plan to PDF")
    print_plan.add_argument("key", metavar="ID|HETU")
    print_plan.add_argument("--db", type=Path, required=True)
    print_plan.add_argument("--lang", choices=("fi", "sv", "en"),
                            help="default: the customer's language")
    print_plan.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    print_plan.add_argument("--user", help="act as this staff member")
    print_plan.set_defaults(func=cmd_plan_print)


def cmd_plan_print(args: argparse.Namespace) -> int:
    """The customer's current plan as a PDF (the latest accepted, else the draft)."""
    from app.services.plans import print_plan_cli

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        print(print_plan_cli(services, args.key, args.lang, args.out))
    finally:
        services.close()
    return 0
