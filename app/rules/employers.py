"""The employer register's rules (#22): the industries (TOL 2008 main classes, Statistics
Finland's standard industrial classification, the Finnish version of NACE Rev. 2), the
one id an employer has on every workstation, and which proposal outcomes close a tip."""

from __future__ import annotations

import uuid

from app.i18n import N_
from app.rules.codes import ProposalOutcome

# TOL 2008 main classes (päätoimialat), letter -> label.
INDUSTRIES: dict[str, str] = {
    "A": N_("Agriculture, forestry and fishing"),
    "B": N_("Mining and quarrying"),
    "C": N_("Manufacturing"),
    "D": N_("Electricity, gas, steam and air conditioning supply"),
    "E": N_("Water supply, sewerage, waste management and remediation"),
    "F": N_("Construction"),
    "G": N_("Wholesale and retail trade; repair of motor vehicles"),
    "H": N_("Transportation and storage"),
    "I": N_("Accommodation and food service activities"),
    "J": N_("Information and communication"),
    "K": N_("Financial and insurance activities"),
    "L": N_("Real estate activities"),
    "M": N_("Professional, scientific and technical activities"),
    "N": N_("Administrative and support service activities"),
    "O": N_("Public administration and defence; compulsory social security"),
    "P": N_("Education"),
    "Q": N_("Human health and social work activities"),
    "R": N_("Arts, entertainment and recreation"),
    "S": N_("Other service activities"),
    "T": N_("Activities of households as employers"),
    "U": N_("Activities of extraterritorial organisations and bodies"),
}

# An employer's id is derived from its business ID, so two workstations that register
# the same company offline write one row (a field-level merge, conflicts kept), never
# two. The central guard (c0090) derives the same id.
EMPLOYER_NAMESPACE = "8f3c1d52-6a0e-4b7f-9d21-3e5a7c90b4e1"
_EMPLOYER_NS = uuid.UUID(EMPLOYER_NAMESPACE)
# A job seeker is proposed for a vacancy once: the proposal's id comes from the two.
PROPOSAL_NAMESPACE = "c2a94e07-1b3d-4f68-8e5a-71d0f6b2c935"
_PROPOSAL_NS = uuid.UUID(PROPOSAL_NAMESPACE)


def employer_id(business_id: str) -> str:
    """The one id of the employer with this (formatted, checked) business ID."""
    return str(uuid.uuid5(_EMPLOYER_NS, business_id))


def proposal_id(vacancy_id: str, customer_id: str) -> str:
    """The one proposal of this job seeker for this vacancy."""
    return str(uuid.uuid5(_PROPOSAL_NS, f"{vacancy_id}:{customer_id}"))


# A proposal with one of these outcomes is settled: the tip is no longer open.
SETTLED = frozenset({ProposalOutcome.HIRED, ProposalOutcome.NOT_CHOSEN})
