"""Multi-professional work (#24): when a customer's consent lets information go to a
partner, and the one id a meeting participant has wherever it is added.

Every sharing action names the information it shares (ConsentInfo) and asks `consent_for`
for a consent that covers it on that day; without one it is refused with the reason
`refusal` gives. The central database holds the same line (c0110, desk_consent_active):
a participant from a partner organisation is added to a meeting or a plan only under
such a consent, whatever the workstation says."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.i18n import N_
from app.rules.codes import ConsentInfo

PARTICIPANT_NAMESPACE = "7d3a9c41-2e6b-4f80-a1c5-93b8e0d4f6a2"

# What each sharing action needs the consent to cover.
MEETING_NEEDS = ConsentInfo.PLAN  # a partner at the customer's meeting
PLAN_PRINT_NEEDS = ConsentInfo.PLAN  # the multi-professional plan printed for a partner
# A document handed to a partner names the customer: the invitation letter and the plan
# printed for a partner also need identity and contact details (besides the above).
INVITATION_NEEDS = ConsentInfo.CONTACT


def participant_id(appointment_id: str, who_id: str) -> str:
    """A meeting's participant (a partner person or a staff member) is one row however
    many desks add them offline."""
    return str(uuid.uuid5(uuid.UUID(PARTICIPANT_NAMESPACE), f"{appointment_id}:{who_id}"))


def parse_information(value: str | None) -> frozenset[ConsentInfo]:
    """The consent's `information` column: codes separated by commas; unknown ones (a
    newer workstation's) are ignored rather than widening anything."""
    known = {i.value for i in ConsentInfo}
    return frozenset(ConsentInfo(v) for v in (value or "").split(",") if v in known)


def format_information(items: Iterable[ConsentInfo]) -> str:
    """In the list's own order, so equal sets are equal strings on every desk."""
    chosen = set(items)
    return ",".join(i.value for i in ConsentInfo if i in chosen)


@dataclass(frozen=True)
class ConsentFacts:
    """What a rule needs of one consent row."""

    partner_org_id: str
    information: frozenset[ConsentInfo]
    valid_from: date
    valid_until: date | None
    withdrawn_on: date | None


def in_force(consent: ConsentFacts, day: date) -> bool:
    """Given by `day`, not expired before it, not withdrawn on or before it (a withdrawal
    takes effect on its own day)."""
    if consent.valid_from > day:
        return False
    if consent.valid_until is not None and consent.valid_until < day:
        return False
    return consent.withdrawn_on is None or consent.withdrawn_on > day


def consent_for(consents: Iterable[ConsentFacts], partner_org_id: str, info: ConsentInfo,
                day: date) -> ConsentFacts | None:
    for consent in consents:
        if (consent.partner_org_id == partner_org_id and info in consent.information
                and in_force(consent, day)):
            return consent
    return None


def refusal(consents: Iterable[ConsentFacts], partner_org_id: str, info: ConsentInfo,
            day: date) -> str | None:
    """None when a consent covers it; else why not, as an N_() msgid for the worker."""
    mine = [c for c in consents if c.partner_org_id == partner_org_id]
    if consent_for(mine, partner_org_id, info, day) is not None:
        return None
    if not mine:
        return N_("The customer has not given consent to share information with this "
                  "partner.")
    if any(info in c.information and c.withdrawn_on is not None and c.withdrawn_on <= day
           for c in mine):
        return N_("The customer has withdrawn their consent to share this with this "
                  "partner.")
    if any(info in c.information and c.valid_until is not None and c.valid_until < day
           for c in mine):
        return N_("The customer's consent for this partner has expired.")
    if any(info in c.information and c.valid_from > day for c in mine):
        return N_("The customer's consent for this partner is not yet in force.")
    return N_("The customer's consent for this partner does not cover this information.")
