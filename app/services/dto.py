"""Plain frozen dataclasses handed to the views (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CustomerRow:
    """One row of the customer list."""

    id: str
    sort_key: str
    customer_number: str
    name: str
    hetu_masked: str
    birth_date: date | None
    age: int | None
    language: str
    service_point_code: str
    coach_name: str | None
    days_unemployed: int | None


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
    days_unemployed: int | None
    hundred_day_date: date | None
    partial_work_ability: bool

    @property
    def name(self) -> str:
        return f"{self.last_name}, {self.first_names}"


@dataclass(frozen=True)
class CustomerPage:
    rows: list[CustomerRow]
    has_more: bool
