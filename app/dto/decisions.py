"""Support decisions (pay subsidy, trials, start-up grant) as the card and the letter
show them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DecisionInput:
    """What the decision form holds (numbers already read from the text)."""

    kind: str  # a DecisionKind code
    employer_name: str = ""
    employer_business_id: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    hours_per_week: float | None = None
    percentage: int | None = None
    amount_cents: int | None = None
    paying_municipality: str = ""
    note: str = ""


@dataclass(frozen=True)
class DecisionRow:
    id: str
    customer_id: str
    kind: str  # a DecisionKind code
    status: str  # a DecisionStatus code
    employer_name: str
    employer_business_id: str | None
    starts_on: date
    ends_on: date
    hours_per_week: float | None
    percentage: int | None
    amount_cents: int | None
    paying_municipality: str
    drafted_by_name: str | None
    decided_on: date | None
    decided_by_name: str | None
    ended_on: date | None
    end_reason: str | None
    replaces_id: str | None
    replaced_by_id: str | None
    note: str
    customer_number: str = ""  # for the command line's list

    def as_input(self) -> DecisionInput:
        return DecisionInput(
            kind=self.kind, employer_name=self.employer_name,
            employer_business_id=self.employer_business_id or "",
            starts_on=self.starts_on, ends_on=self.ends_on,
            hours_per_week=self.hours_per_week, percentage=self.percentage,
            amount_cents=self.amount_cents, paying_municipality=self.paying_municipality,
            note=self.note)


@dataclass(frozen=True)
class CustomerDecisions:
    """A customer's decisions, newest first (replaced and ended ones kept), what the
    reader may do, and the municipalities a decision may be paid by."""

    customer_id: str
    rows: list[DecisionRow]
    writable: bool  # draft, edit drafts, replace
    may_decide: bool  # decide and end early
    municipalities: list[str] = field(default_factory=list)
    home_municipality: str = ""
    # The employer register's active employers (name, business ID), offered as the
    # decision's employer when the reader may draft (#22).
    employers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionLetter:
    """Everything the printed decision letter says."""

    decision: DecisionRow
    customer_name: str
    customer_hetu: str
    language: str  # fi / sv / en
    service_point_name: str
    service_point_address: str
    printed_on: date
    replaced_by: DecisionRow | None = None
    replaces: DecisionRow | None = None
