"""The partner register and customers' consents (#24):

- `partner list [--all] [--json]`: the partner organisations and their active people;
- `partner add --name NAME --kind KIND [--phone --email --street-address --postal-code
  --post-office]`: a new organisation (prints its id);
- `partner people [--org ID|NAME] [--all] [--json]`: the partners' people;
- `partner person-add --org ID|NAME --name FULL_NAME [--title --phone --email]`;
- `consent list --customer ID|HETU [--json]`: the customer's consents, the newest first;
- `consent add --customer ID|HETU --partner ID|NAME --info plan,contact --purpose TEXT
  [--how in_person|phone|signed|online] [--from DAY] [--until DAY]` (prints its id);
- `consent withdraw CONSENT_ID [--on DAY]`.

Every command takes `--db PATH` and `--user USERNAME`; writes are audited as that user."""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import CliError, act_as, open_services
from app.rules.codes import ConsentHow, ConsentInfo, PartnerKind

if TYPE_CHECKING:
    from app.services.registry import Services

USER_HELP = "act as this staff member (default: an administrator)"
KINDS = tuple(k.value for k in PartnerKind)
INFO = tuple(i.value for i in ConsentInfo)
HOW = tuple(h.value for h in ConsentHow)


def _common(parser: argparse.ArgumentParser, json_output: bool = False) -> None:
    if json_output:
        parser.add_argument("--json", action="store_true", help="JSON instead of a table")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--user", help=USER_HELP)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text}") from exc


def add_commands(commands: argparse._SubParsersAction) -> None:
    partner = commands.add_parser("partner", help="partner organisations and their people")
    sub = partner.add_subparsers(dest="partner_command", required=True)
    listing = sub.add_parser("list", help="the partner organisations")
    listing.add_argument("--all", action="store_true", help="inactive ones too")
    _common(listing, json_output=True)
    listing.set_defaults(func=cmd_partner_list)
    add = sub.add_parser("add", help="add a partner organisation")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, choices=KINDS)
    for option in ("--phone", "--email", "--street-address", "--postal-code",
                   "--post-office"):
        add.add_argument(option, default="")
    _common(add)
    add.set_defaults(func=cmd_partner_add)
    people = sub.add_parser("people", help="the partners' people")
    people.add_argument("--org", metavar="ID|NAME", help="one organisation's only")
    people.add_argument("--all", action="store_true", help="inactive ones too")
    _common(people, json_output=True)
    people.set_defaults(func=cmd_partner_people)
    person = sub.add_parser("person-add", help="add a person to a partner organisation")
    person.add_argument("--org", metavar="ID|NAME", required=True)
    person.add_argument("--name", required=True, help="the person's full name")
    for option in ("--title", "--phone", "--email"):
        person.add_argument(option, default="")
    _common(person)
    person.set_defaults(func=cmd_partner_person_add)

    consent = commands.add_parser(
        "consent", help="customers' consents to share information with partners")
    csub = consent.add_subparsers(dest="consent_command", required=True)
    clist = csub.add_parser("list", help="one customer's consents, the newest first")
    clist.add_argument("--customer", metavar="ID|HETU", required=True,
                       help="the customer by id, identity code or customer number")
    _common(clist, json_output=True)
    clist.set_defaults(func=cmd_consent_list)
    cadd = csub.add_parser("add", help="record a consent the customer gave")
    cadd.add_argument("--customer", metavar="ID|HETU", required=True)
    cadd.add_argument("--partner", metavar="ID|NAME", required=True,
                      help="the partner organisation by id or name")
    cadd.add_argument("--info", required=True,
                      help=f"what may be shared, comma separated: {','.join(INFO)}")
    cadd.add_argument("--purpose", required=True)
    cadd.add_argument("--how", choices=HOW, default="in_person", help="how it was given")
    cadd.add_argument("--from", dest="valid_from", type=_day, help="from (default today)")
    cadd.add_argument("--until", dest="valid_until", type=_day, help="until (default: on)")
    _common(cadd)
    cadd.set_defaults(func=cmd_consent_add)
    withdraw = csub.add_parser("withdraw", help="the customer withdraws a consent")
    withdraw.add_argument("consent_id", metavar="CONSENT_ID")
    withdraw.add_argument("--on", type=_day, help="the day it ends (default today)")
    _common(withdraw)
    withdraw.set_defaults(func=cmd_consent_withdraw)


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _dump(rows: list) -> None:
    data = [{k: _plain(v) for k, v in dataclasses.asdict(r).items()} for r in rows]
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _org_id(services: Services, key: str) -> str:
    """An organisation by id or by name (any case)."""
    orgs = services.partners.orgs(include_inactive=True)
    for o in orgs:
        if o.id == key:
            return o.id
    named = [o for o in orgs if o.name.casefold() == key.strip().casefold()]
    if len(named) != 1:
        raise CliError(f"no partner organisation {key!r}")
    return named[0].id


def cmd_partner_list(args: argparse.Namespace) -> int:
    from app.i18n import _
    from app.rules.codes import LABELS

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        rows = services.partners.orgs(include_inactive=args.all)
    finally:
        services.close()
    if args.json:
        _dump(rows)
        return 0
    if not rows:
        print(_("No partner organisations."))
        return 0
    for r in rows:
        state = "" if r.active else "  (inactive)"
        contact = ", ".join(x for x in (r.phone, r.email) if x)
        print("  ".join((r.id, r.name, _(LABELS[PartnerKind(r.kind)]),
                         f"people {r.people}", contact)).rstrip() + state)
    return 0


def cmd_partner_add(args: argparse.Namespace) -> int:
    from app.dto.partners import PartnerOrgInput

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        row = services.partners.save_org(None, PartnerOrgInput(
            args.name, args.kind, args.phone, args.email, args.street_address,
            args.postal_code, args.post_office))
    finally:
        services.close()
    print(row.id)
    return 0


def cmd_partner_people(args: argparse.Namespace) -> int:
    from app.i18n import _

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        org_id = _org_id(services, args.org) if args.org else None
        rows = services.partners.people(org_id, include_inactive=args.all)
    finally:
        services.close()
    if args.json:
        _dump(rows)
        return 0
    if not rows:
        print(_("No partner people."))
        return 0
    for r in rows:
        state = "" if r.active else "  (inactive)"
        contact = ", ".join(x for x in (r.phone, r.email) if x)
        print("  ".join((r.id, r.full_name, r.title or "", r.org_name,
                         contact)).rstrip() + state)
    return 0


def cmd_partner_person_add(args: argparse.Namespace) -> int:
    from app.dto.partners import PartnerPersonInput

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        org_id = _org_id(services, args.org)
        row = services.partners.save_person(None, PartnerPersonInput(
            org_id, args.name, args.title, args.phone, args.email))
    finally:
        services.close()
    print(row.id)
    return 0


def cmd_consent_list(args: argparse.Namespace) -> int:
    from app.i18n import _
    from app.rules.codes import LABELS

    services = open_services(args.db)
    try:
        act_as(services, args.user)
        customer_id = services.customers.find(args.customer).id
        rows = services.consents.consents(customer_id)
    finally:
        services.close()
    if args.json:
        _dump(rows)
        return 0
    if not rows:
        print(_("No consents."))
        return 0
    for r in rows:
        until = r.valid_until.isoformat() if r.valid_until else ""
        state = (f"withdrawn {r.withdrawn_on}" if r.withdrawn_on
                 else "in force" if r.in_force else "not in force")
        info = ", ".join(_(LABELS[ConsentInfo(i)]) for i in r.information)
        print("  ".join((r.id, r.org_name, f"{r.valid_from}..{until}", state, info)))
    return 0


def cmd_consent_add(args: argparse.Namespace) -> int:
    from app.dto.partners import ConsentInput

    info = tuple(i.strip() for i in args.info.split(",") if i.strip())
    unknown = [i for i in info if i not in INFO]
    if unknown:
        raise CliError(f"unknown information {', '.join(unknown)} (one of {', '.join(INFO)})")
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        customer_id = services.customers.find(args.customer).id
        org_id = _org_id(services, args.partner)
        row = services.consents.record(customer_id, ConsentInput(
            org_id, args.purpose, info, args.how,
            args.valid_from or services.ctx.today(), args.valid_until))
    finally:
        services.close()
    print(row.id)
    return 0


def cmd_consent_withdraw(args: argparse.Namespace) -> int:
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        row = services.consents.withdraw(args.consent_id, args.on)
    finally:
        services.close()
    print(f"{row.id} withdrawn {row.withdrawn_on}")
    return 0
