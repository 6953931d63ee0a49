"""Plain frozen dataclasses handed to the views (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


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


@dataclass(frozen=True)
class TicketRow:
    """A queue ticket as the desks see it. `customer_label` is a short name for the
    serving list ("Virtanen M."); the lobby never receives it."""

    id: str
    code: str
    state: str
    service_area: str
    priority: int
    priority_reason: str | None
    arrived_at: datetime
    called_at: datetime | None
    service_started_at: datetime | None
    desk: str | None
    served_by: str | None
    served_by_name: str | None
    customer_id: str | None
    customer_label: str | None
    own_coach_name: str | None
    own_coach_on_duty: bool
    transferred_to_name: str | None
    note: str | None
    transfer_note: str | None
    recalls: int
    leg: int


@dataclass(frozen=True)
class QueueStats:
    waiting: int
    served_today: int
    median_wait_minutes: float | None


@dataclass(frozen=True)
class DutyInfo:
    desk: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class QueueSnapshot:
    waiting: list[TicketRow]
    serving: list[TicketRow]
    mine: list[TicketRow]
    stats: QueueStats
    duty: DutyInfo | None
    now: datetime


@dataclass(frozen=True)
class LobbyCall:
    """Only what may be shown in the waiting room: a ticket code and a desk."""

    code: str
    desk: str
    called_at: datetime
    calling: bool  # still being called (not yet at the desk)


@dataclass(frozen=True)
class VisitInput:
    service_area: str
    topics: str = ""
    outcome: str = ""
    follow_up: str = ""
    note: str = ""


@dataclass(frozen=True)
class VisitRow:
    id: str
    started_at: datetime
    channel: str
    walk_in: bool
    service_area: str
    minutes: int | None
    wait_minutes: int | None
    staff_name: str | None
    topics: str
    outcome: str
    follow_up: str
    note: str


@dataclass(frozen=True)
class StaffChoice:
    id: str
    name: str
    on_duty: bool
