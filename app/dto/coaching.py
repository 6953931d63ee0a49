"""DTOs of personal coaching: the statutory clock, caseloads and the daily worklist."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DeadlineInfo:
    """One statutory date on the customer's clock; `source` is the rule's law and section."""

    key: str  # initial_interview, job_search_conversation, plan_review, activation_plan, ...
    due_on: date
    source: str
    detail: str = ""  # e.g. "4 applications 1.1.-31.1.2027" (already formatted data only)
    approximate: bool = False


@dataclass(frozen=True)
class CustomerClock:
    customer_id: str
    coach_id: str | None
    coach_name: str | None
    days_unemployed: int | None  # benefit days (Mon-Fri, holidays included)
    hundred_day_date: date | None
    hundred_day_source: str
    groups: list[str]
    barriers: list[str]
    deadlines: list[DeadlineInfo]
    supplementary_required: int = 0
    interview_held_on: date | None = None
    last_conversation_on: date | None = None  # the latest job-search conversation held
    # Day 1 estimated from the start of unemployment (the first benefit day unknown):
    # the days and the mark are shown as "about".
    hundred_day_approximate: bool = False
    case_open: bool = True  # closed: no statutory deadlines until the case is reopened


@dataclass(frozen=True)
class AssignmentRow:
    assigned_at: datetime
    coach_name: str | None
    previous_coach_name: str | None
    reason: str
    by_name: str | None


@dataclass(frozen=True)
class CoachOption:
    staff_id: str
    full_name: str
    team_id: str | None
    team_name: str
    active: int


@dataclass(frozen=True)
class CaseloadRow:
    staff_id: str
    full_name: str
    team_id: str | None
    team_name: str
    service_point: str
    active: int
    cap: int
    many_barriers: int  # customers with three or more barriers

    @property
    def over(self) -> bool:
        return self.active > self.cap


@dataclass(frozen=True)
class SuggestedMove:
    from_staff_id: str
    from_name: str
    to_staff_id: str
    to_name: str
    count: int


@dataclass(frozen=True)
class Caseloads:
    cap: int
    coaches: list[CaseloadRow]
    teams: list[tuple[str, int, int, int]]  # team name, coaches, active customers, capacity
    suggestions: list[SuggestedMove] = field(default_factory=list)
    unassigned: int = 0


@dataclass(frozen=True)
class WorkItem:
    """One row of today's worklist."""

    customer_id: str
    name: str
    kind: str  # initial_interview, job_search_conversation, plan_review, hundred_days,
    #            no_plan, not_contacted
    due_on: date | None
    overdue: bool
    source: str
    detail: str = ""
    booked_on: date | None = None
    approximate: bool = False  # the 100-day mark estimated (no first benefit day known)


@dataclass(frozen=True)
class CaseloadCustomer:
    id: str
    name: str
    days_unemployed: int | None
    barriers: int
