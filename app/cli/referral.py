"""`referral list [--customer ID|HETU] [--json] --db PATH`: referrals to purchased
services (#20), the newest first, as the signed-in staff member may read them (the
desk none; a coach their caseload's; team leads and administrators every one)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import date
from pathlib import Path

from app.cli.common import act_as, open_services
from app.i18n import _
from app.rules.codes import SERVICE_LABELS, ReferralEndReason, ReferralState, ServiceKind


def add_commands(commands: argparse._SubParsersAction) -> None:
    referral = commands.add_parser("referral", help="referrals to purchased services")
    referral_commands = referral.add_subparsers(dest="referral_command", required=True)
    listing = referral_commands.add_parser(
        "list", help="referrals, the newest first (one customer's with --customer)")
    listing.add_argument("--customer", metavar="ID|HETU",
                         help="one customer by id, identity code or customer number")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--user", help="act as this staff member (default: an administrator)")
    listing.set_defaults(func=cmd_referral_list)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def cmd_referral_list(args: argparse.Namespace) -> int:
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        customer_id = services.customers.find(args.customer).id if args.customer else None
        rows = services.referrals.list_all(customer_id)
    finally:
        services.close()
    if args.json:
        data = [{k: (v.isoformat() if isinstance(v, date) else v)
                 for k, v in dataclasses.asdict(r).items()} for r in rows]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("No referrals."))
        return 0
    for r in rows:
        reason = _(SERVICE_LABELS[ReferralEndReason(r.end_reason)]) if r.end_reason else ""
        print("  ".join((
            r.customer_number, _(SERVICE_LABELS[ServiceKind(r.service)]), r.provider_name,
            _(SERVICE_LABELS[ReferralState(r.state)]), _day(r.proposed_on), _day(r.sent_on),
            _day(r.started_on), _day(r.ended_on), reason)).rstrip())
    return 0
