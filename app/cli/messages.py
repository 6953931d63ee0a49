"""`messages list --customer (ID|HETU) [--json] --db PATH`: the messages sent or to be sent
to one customer (#23), newest first, as this workstation last pulled them; and
`messages templates [--json] --db PATH`: every message's wording in each language (the
administrators' where edited, else the built-in one). Desks never send: the messenger
next to the central database does (`python -m app.messenger`)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import date, datetime
from pathlib import Path

from app.cli.common import act_as, open_services

USER_HELP = "act as this staff member (default: an administrator)"


def add_commands(commands: argparse._SubParsersAction) -> None:
    messages = commands.add_parser("messages", help="messages to customers by SMS and e-mail")
    message_commands = messages.add_subparsers(dest="messages_command", required=True)
    listing = message_commands.add_parser(
        "list", help="one customer's messages, the newest first")
    listing.add_argument("--customer", metavar="ID|HETU", required=True,
                         help="the customer by id, identity code or customer number")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--user", help=USER_HELP)
    listing.set_defaults(func=cmd_messages_list)
    templates = message_commands.add_parser(
        "templates", help="the wording of every message, channel and language")
    templates.add_argument("--json", action="store_true", help="JSON instead of a table")
    templates.add_argument("--db", type=Path, required=True)
    templates.add_argument("--user", help=USER_HELP)
    templates.set_defaults(func=cmd_messages_templates)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def cmd_messages_list(args: argparse.Namespace) -> int:
    from app.i18n import _, to_local
    from app.rules.codes import MESSAGE_LABELS, MessageChannel, MessageKind, MessageStatus

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        customer_id = services.customers.find(args.customer).id
        rows = services.messages.history(customer_id)
    finally:
        services.close()
    if args.json:
        data = [{k: _plain(v) for k, v in dataclasses.asdict(r).items()} for r in rows]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("No messages."))
        return 0
    for r in rows:
        when = to_local(r.sent_at or r.due_at)
        print("  ".join((
            f"{when:%Y-%m-%d %H:%M}", _(MESSAGE_LABELS[MessageKind(r.kind)]),
            _(MESSAGE_LABELS[MessageChannel(r.channel)]),
            _(MESSAGE_LABELS[MessageStatus(r.status)]), r.language, r.recipient or "",
            _(r.error) if r.error else "")).rstrip())
    return 0


def cmd_messages_templates(args: argparse.Namespace) -> int:
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        rows = services.messages.templates()
    finally:
        services.close()
    if args.json:
        print(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        mark = "*" if r.custom else " "
        head = f"{mark} {r.kind} {r.channel} {r.language}"
        print(f"{head}: {r.subject}" if r.subject else head)
        for line in r.body.splitlines():
            print(f"    {line}")
    return 0
