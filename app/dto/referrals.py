"""What the referral screens, letters and the command line show (#20)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PlacesInfo:
    """A contract's places in the period of one day (places None: no limit agreed)."""

    period_start: date
    period_end: date
    places: int | None
    used: int
    next_free: tuple[date, date] | None = None

    @property
    def left(self) -> int | None:
        return None if self.places is None else max(self.places - self.used, 0)

    @property
    def full(self) -> bool:
        return self.places is not None and self.used >= self.places


@dataclass(frozen=True)
class ContractChoice:
    """A contract that serves the customer's service point today."""

    contract_id: str
    provider_name: str
    title: str
    service: str  # ServiceKind code
    places: PlacesInfo


@dataclass(frozen=True)
class PlanLineChoice:
    """A service line of the customer's current plan a referral may carry out."""

    plan_service_id: str
    service_type: str  # the plan vocabulary's code
    provider: str
    starts_on: date | None
    ends_on: date | None
    version_number: int
    draft: bool
    referral_id: str | None


@dataclass(frozen=True)
class ReferralRow:
    id: str
    customer_id: str
    contract_id: str
    provider_name: str
    contract_title: str
    service: str  # ServiceKind code
    state: str  # ReferralState code
    proposed_on: date
    sent_on: date | None
    answered_on: date | None
    started_on: date | None
    ended_on: date | None
    end_reason: str | None
    note: str
    plan_service_id: str | None
    coach_name: str | None
    places: PlacesInfo | None  # the contract's places in the period it was (or would be) sent
    next_states: tuple[str, ...] = ()  # the steps allowed from here
    writable: bool = False  # the signed-in person may move it on

    @property
    def latest_on(self) -> date:
        return self.ended_on or self.started_on or self.answered_on or self.sent_on \
            or self.proposed_on


@dataclass(frozen=True)
class CustomerReferrals:
    customer_id: str
    rows: tuple[ReferralRow, ...]
    writable: bool  # the signed-in person may refer this customer


@dataclass(frozen=True)
class ReferralListRow:
    """One line of `referral list` (no names of customers: their number only)."""

    id: str
    customer_id: str
    customer_number: str
    provider_name: str
    contract_title: str
    service: str
    state: str
    proposed_on: date
    sent_on: date | None
    answered_on: date | None
    started_on: date | None
    ended_on: date | None
    end_reason: str | None


@dataclass(frozen=True)
class ReferralLetter:
    """Everything the referral letter and the customer's copy print."""

    referral_id: str
    language: str  # fi, sv or en
    customer_name: str
    customer_number: str
    customer_address: tuple[str, ...]
    customer_phone: str
    customer_email: str
    service: str  # ServiceKind code
    contract_title: str
    contract_starts_on: date
    contract_ends_on: date
    provider_name: str
    provider_address: tuple[str, ...]
    provider_contact_person: str
    provider_phone: str
    provider_email: str
    state: str
    proposed_on: date
    sent_on: date | None
    started_on: date | None
    plan_service_starts_on: date | None
    plan_service_ends_on: date | None
    coach_name: str
    coach_title: str
    coach_phone: str
    coach_email: str
    office_name: str
    office_address: str
    office_phone: str
    note: str
    printed_on: date
    extra: dict[str, str] = field(default_factory=dict)
