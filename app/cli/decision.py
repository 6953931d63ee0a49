"""`decision list [--customer ID|HETU] [--json] --db PATH`: support decisions (pay
subsidy, work and training trials, start-up grants; #20), the newest first, replaced
and ended ones too, as the signed-in staff member may read them (the desk none; a coach
their caseload's; team leads and administrators every one)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import date
from pathlib import Path

from app.cli.common import act_as, open_services
from app.i18n import _
from app.rules.codes import SERVICE_LABELS, DecisionKind, DecisionStatus
from app.rules.decisions import format_euros


def add_commands(commands: argparse._SubParsersAction) -> None:
    decision = commands.add_parser(
        "decision", help="support decisions: pay subsidy, trials, start-up grant")
    decision_commands = decision.add_subparsers(dest="decision_command", required=True)
    listing = decision_commands.add_parser(
        "list", help="decisions, the newest first (one customer's with --customer)")
    listing.add_argument("--customer", metavar="ID|HETU",
                         help="one customer by id, identity code or customer number")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--user", help="act as this staff member (default: an administrator)")
    listing.set_defaults(func=cmd_decision_list)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def cmd_decision_list(args: argparse.Namespace) -> int:
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        customer_id = services.customers.find(args.customer).id if args.customer else None
        rows = services.decisions.list_all(customer_id)
    finally:
        services.close()
    if args.json:
        data = [{k: (v.isoformat() if isinstance(v, date) else v)
                 for k, v in dataclasses.asdict(r).items()} for r in rows]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("No decisions."))
        return 0
    for r in rows:
        print("  ".join((
            r.customer_number, _(SERVICE_LABELS[DecisionKind(r.kind)]),
            _(SERVICE_LABELS[DecisionStatus(r.status)]), r.employer_name,
            r.employer_business_id or "", _day(r.starts_on), _day(r.ends_on),
            format_euros(r.amount_cents), r.paying_municipality, _day(r.decided_on),
            _day(r.ended_on))).rstrip())
    return 0
