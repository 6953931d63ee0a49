"""Multi-professional work (#24) as the views and the command line see it: the partner
organisations and their people (the area's register), and a customer's consents to share
information with a partner.

Codes (kind, information, how the consent was given) are the values of
app/rules/codes.py; the views label them with PARTNER_LABELS (LABELS)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PartnerOrgRow:
    id: str
    name: str
    kind: str  # PartnerKind value
    phone: str | None
    email: str | None
    street_address: str | None
    postal_code: str | None
    post_office: str | None
    active: bool
    people: int  # active people


@dataclass(frozen=True)
class PartnerOrgInput:
    name: str
    kind: str
    phone: str = ""
    email: str = ""
    street_address: str = ""
    postal_code: str = ""
    post_office: str = ""
    active: bool = True


@dataclass(frozen=True)
class PartnerPersonRow:
    id: str
    partner_org_id: str
    org_name: str
    org_kind: str
    full_name: str
    title: str | None
    phone: str | None
    email: str | None
    active: bool


@dataclass(frozen=True)
class PartnerPersonInput:
    partner_org_id: str
    full_name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    active: bool = True


@dataclass(frozen=True)
class ConsentRow:
    id: str
    customer_id: str
    partner_org_id: str
    org_name: str
    purpose: str | None
    information: tuple[str, ...]  # ConsentInfo values, in the enum's order
    given_how: str  # ConsentHow value
    valid_from: date
    valid_until: date | None
    withdrawn_on: date | None
    recorded_by_name: str | None
    withdrawn_by_name: str | None
    in_force: bool  # today, by rules/partners.in_force


@dataclass(frozen=True)
class ConsentInput:
    partner_org_id: str
    purpose: str
    information: tuple[str, ...]
    given_how: str
    valid_from: date
    valid_until: date | None = None
