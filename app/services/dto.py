"""Plain frozen dataclasses (and tuples) handed to the views (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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

    @property
    def age(self) -> int | None:
        return age(self.birth_date, self.as_of)

    @property
    def days_unemployed(self) -> int | None:
        """Working days (the statutory clock), like the card shows."""
        # Imported here: the clock loads the holiday calendars (~35 ms), and this module
        # is imported by views and printing that may never show a list row.
        from app.rules.clock import days_unemployed

        return days_unemployed(self.unemployed_since, self.as_of)


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


# --- employment plans ---------------------------------------------------------------


@dataclass(frozen=True)
class PlanGoalItem:
    kind: str  # work / education / other
    text: str = ""


@dataclass(frozen=True)
class PlanActionItem:
    actor: str  # customer / coach / partner
    text: str = ""
    due_on: date | None = None
    done: bool = False


@dataclass(frozen=True)
class PlanServiceItem:
    service_type: str
    provider: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class PlanContent:
    """Everything a coach edits in a draft; the editor saves it whole (autosave)."""

    goals: tuple[PlanGoalItem, ...] = ()
    actions: tuple[PlanActionItem, ...] = ()
    services: tuple[PlanServiceItem, ...] = ()
    applications_per_period: int | None = None
    period_months: int | None = None
    obligation_starts_on: date | None = None
    obligation_lowered_reason: str = ""
    contact_method: str = ""
    contact_frequency: str = ""
    next_review_on: date | None = None
    summary: str = ""


@dataclass(frozen=True)
class PlanVersionRow:
    id: str
    plan_id: str
    number: int
    status: str  # draft / accepted / superseded
    accepted_how: str | None
    accepted_at: datetime | None
    accepted_by_name: str | None
    updated_at: datetime


@dataclass(frozen=True)
class PlanRow:
    id: str
    plan_type: str
    coach_name: str | None
    versions: tuple[PlanVersionRow, ...]  # newest first


@dataclass(frozen=True)
class PlanVersionInfo:
    """One version as the editor shows it. `revision` guards the next draft save."""

    row: PlanVersionRow
    plan_type: str
    customer_id: str
    based_on_number: int | None
    revision: str
    content: PlanContent
    # The printed plan is in the customer's language when it is fi/sv/en, else Finnish.
    customer_language: str
    print_language: str

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def editable(self) -> bool:
        return self.row.status == "draft"


@dataclass(frozen=True)
class CustomerPlans:
    customer_id: str
    customer_name: str
    plans: tuple[PlanRow, ...]  # newest first
    current: PlanVersionInfo | None  # the draft, else the accepted version, of the newest


@dataclass(frozen=True)
class DraftSaved:
    revision: str
    changed: bool
    saved_at: datetime


@dataclass(frozen=True)
class ReviewPeriod:
    number: int
    starts_on: date
    ends_on: date
    applications: int


@dataclass(frozen=True)
class PlanDocument:
    """Everything the printed plan shows, in the language `lang`."""

    lang: str
    customer_name: str
    customer_hetu: str
    customer_number: str
    customer_language: str
    coach_name: str
    coach_phone: str
    coach_email: str
    service_point_name: str
    service_point_address: str
    plan_type: str
    number: int
    status: str
    accepted_how: str | None
    accepted_at: datetime | None
    accepted_by_name: str | None
    content: PlanContent
    periods: tuple[ReviewPeriod, ...]
    printed_at: datetime
    printed_by: str


@dataclass(frozen=True)
class CompareLine:
    change: str  # same / added / removed / changed
    left: str
    right: str


@dataclass(frozen=True)
class CompareSection:
    key: str
    lines: tuple[CompareLine, ...]

    @property
    def changed(self) -> bool:
        return any(line.change != "same" for line in self.lines)


@dataclass(frozen=True)
class PlanComparison:
    left: PlanVersionRow
    right: PlanVersionRow
    sections: tuple[CompareSection, ...]


@dataclass(frozen=True)
class PlanDue:
    """A review date of an accepted plan: what a coach's worklist shows."""

    customer_id: str
    customer_name: str
    plan_id: str
    version_id: str
    plan_type: str
    next_review_on: date | None
    period_ends_on: date | None  # the end of the current job-search review period
