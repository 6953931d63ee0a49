"""The customer register: list rows, pages and the customer card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from app.rules.unemployment import age


class CustomerRow(NamedTuple):
    """One row of the customer list: a plain tuple, because the list holds tens of
    thousands of them. Age and days unemployed are counted to `as_of` (the day the row
    was read) when asked for, so only the rows that are shown pay for them."""

    id: str
    sort_key: str
    customer_number: str
    name: str
    hetu_masked: str
    birth_date: date | None
    language: str
    service_point_code: str
    coach_name: str | None
    unemployed_since: date | None
    as_of: date
    active: bool = True  # the case is open (the latest job-search period)
    # Day 1 of the count from the case facts, for one who may read them (else estimated).
    first_benefit_on: date | None = None

    @property
    def age(self) -> int | None:
        return age(self.birth_date, self.as_of)

    @property
    def days_unemployed(self) -> int | None:
        """Benefit days (the statutory clock: from the first benefit day when the case
        facts hold it and the reader may see them, else estimated from unemployed_since,
        as the card counts); none for a closed case (the count stopped on its closing
        day, which the card shows)."""
        if not self.active:
            return None
        # Imported here: the clock loads the holiday calendars (~35 ms), and this module
        # is imported by views and printing that may never show a list row.
        from app.rules.clock import days_unemployed

        return days_unemployed(self.unemployed_since, self.as_of, self.first_benefit_on)

    @property
    def days_approximate(self) -> bool:
        """The count is an estimate (no first benefit day known to the reader)."""
        return self.first_benefit_on is None


@dataclass(frozen=True)
class CustomerCard:
    id: str
    revision: str  # the row's hlc: an edit is saved only onto what was shown
    customer_number: str
    first_names: str
    last_name: str
    hetu_masked: str
    hetu_temporary: bool
    has_hetu: bool
    birth_date: date | None
    age: int | None
    language: str
    interpreter_needed: bool
    phone: str
    email: str
    street_address: str
    postal_code: str
    post_office: str
    home_municipality: str
    service_point_code: str
    service_point_name: str
    coach_name: str | None
    jobseeker_registered_on: date | None
    unemployed_since: date | None
    days_unemployed: int | None  # benefit days (rules.clock)
    hundred_day_date: date | None
    # Day 1 estimated from unemployed_since (no first benefit day known): "about".
    hundred_day_approximate: bool = False
    # The integration plan's years count from it. Partial work ability is a case fact
    # (CaseFactsService), never on the card the desk reads.
    first_residence_permit_on: date | None = None

    @property
    def name(self) -> str:
        return f"{self.last_name}, {self.first_names}"


@dataclass(frozen=True)
class CustomerPage:
    rows: list[CustomerRow]
    has_more: bool


@dataclass(frozen=True)
class PeriodRow:
    """One job-search period of a customer's case: open while `closed_on` is None."""

    id: str
    opened_on: date
    closed_on: date | None
    reason: str | None  # a CaseExitReason code while closed
    outcome_note: str


@dataclass(frozen=True)
class CaseSummary:
    """A customer's case: whether it is open, the latest period's dates and reason, and
    every period, newest first. `revision` is the customer row's hlc when read: a close
    or reopen is saved only onto what was shown."""

    customer_id: str
    status: str  # a CaseStatus code
    opened_on: date
    closed_on: date | None
    reason: str | None
    periods: list[PeriodRow]
    coach_name: str | None
    revision: str

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
