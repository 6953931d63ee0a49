"""The dates the statutory clock needs, gathered in SQL for a set of customers at once
(a coach's caseload, or one customer): aggregates grouped by customer, restricted by the
caller's condition, so no query walks the whole register in Python."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from app.i18n import HELSINKI
from app.models import (
    Appointment,
    CaseFacts,
    Customer,
    CustomerNote,
    JobSearchPeriod,
    Plan,
    PlanVersion,
    UnemploymentPeriod,
    Visit,
)
from app.models.coaching import CustomerBarrier
from app.rules import case_access as caseload
from app.rules.codes import AppointmentStatus, AppointmentType, BenefitType, PlanStatus
from app.rules.permissions import Permission
from app.services.case_access import case_of, worker
from app.services.context import Actor

# Meetings with the customer that count as conversations (booked ones hold off the
# worklist's plan-review item; held ones are contact).
CONVERSATIONS = (AppointmentType.INITIAL_INTERVIEW, AppointmentType.JOB_SEARCH_CONVERSATION,
                 AppointmentType.PLAN_REVIEW, AppointmentType.MULTI_PROFESSIONAL,
                 AppointmentType.SUPPLEMENTARY_CONVERSATION)
# The only ones that restart the job-search conversation clock (380/2023; HE 108/2025 vp):
# never a plan review, a multi-professional meeting or a supplementary conversation.
RESTARTS_CLOCK = (AppointmentType.INITIAL_INTERVIEW, AppointmentType.JOB_SEARCH_CONVERSATION)


@dataclass
class Facts:
    id: str
    name: str
    coach_id: str | None
    born: date | None
    registered_on: date | None
    unemployed_since: date | None
    first_permit_on: date | None
    # From CaseFacts, read only for roles with case.facts (never the desk).
    partial_work_ability: bool = False
    first_benefit_on: date | None = None
    subsidy_days: int | None = None
    subsidy_days_on: date | None = None
    allowance_exhausted_on: date | None = None
    interview_on: date | None = None
    # The first and latest initial interview or job-search conversation held.
    first_conversation_on: date | None = None
    last_conversation_on: date | None = None
    next_booked_on: date | None = None  # an initial interview or job-search conversation
    next_meeting_on: date | None = None  # any conversation booked (plan reviews too)
    last_contact_on: date | None = None
    barriers: int = 0
    plan_review_on: date | None = None
    obligation_starts_on: date | None = None
    period_months: int | None = None
    applications_per_period: int | None = None
    has_plan: bool = False


def _day(value: datetime | str | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's min()/max() return the stored text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # stored as naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(HELSINKI).date()


def opening(registered_on: date | None, periods: Iterable[tuple[date, date | None]]
            ) -> tuple[date | None, date | None]:
    """The day the clock of the customer's current job-search period counts from, and
    the first day a meeting held counts for it (None: any day). A customer who registers
    again (a new job-search period after a closed one) gets a new initial-interview
    deadline from the new period's opening, and meetings held before it (in an earlier
    period) do not satisfy it. In the first period (or without stored periods) the
    registration day, and every meeting held counts. The current period is the open one
    (the latest opened, after a merge), else the latest."""
    if registered_on is None:
        return None, None
    ordered = sorted(periods)
    if len(ordered) < 2:
        return registered_on, None
    open_ones = [opened for opened, closed in ordered if closed is None]
    current = max(open_ones) if open_ones else ordered[-1][0]
    if current <= ordered[0][0]:
        return registered_on, None
    day = max(registered_on, current)
    return day, day


def held_facts(meetings: Iterable[tuple[AppointmentType, date]], since: date | None = None
               ) -> tuple[date | None, date | None, date | None]:
    """From the meetings held (kind, local day), those on or after `since`: the first
    initial interview, and the first and latest initial interview or job-search
    conversation (the only meetings that restart the clock)."""
    interview = first = last = None
    for kind, day in meetings:
        if since is not None and day < since:
            continue
        if kind == AppointmentType.INITIAL_INTERVIEW and (interview is None or day < interview):
            interview = day
        if kind in RESTARTS_CLOCK:
            first = day if first is None or day < first else first
            last = day if last is None or day > last else last
    return interview, first, last


def gather(s: Session, customers: Select, now: datetime,
           case_facts: bool = False) -> dict[str, Facts]:
    """`customers`: a select of customer ids (the caseload, or one id). `case_facts`:
    read the case facts too (partial work ability, the first benefit day, Kela's subsidy
    days): only for a role with case.facts; without them the clock estimates."""
    ids = customers
    facts: dict[str, Facts] = {}
    for row in s.execute(
        select(Customer.id, Customer.last_name, Customer.first_names, Customer.coach_id,
               Customer.birth_date, Customer.jobseeker_registered_on,
               Customer.unemployed_since, Customer.first_residence_permit_on)
        .where(Customer.id.in_(ids))
    ):
        facts[row[0]] = Facts(row[0], f"{row[1]}, {row[2]}", *row[3:])
    if not facts:
        return facts

    def of(cid: str | None) -> Facts:
        assert cid is not None  # every query below keeps to `customer_id IN ids`
        return facts[cid]

    # The current job-search period: a new one starts a new initial-interview deadline
    # from its opening, and only the meetings held in it count (`opening`).
    periods: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    for who, opened, closed in s.execute(
        select(JobSearchPeriod.customer_id, JobSearchPeriod.opened_on,
               JobSearchPeriod.closed_on)
        .where(JobSearchPeriod.customer_id.in_(ids), JobSearchPeriod.deleted_at.is_(None))
    ):
        periods[who].append((opened, closed))
    since: dict[str, date | None] = {}
    for who, rows in periods.items():
        f = of(who)
        f.registered_on, since[who] = opening(f.registered_on, rows)
    done = (Appointment.status == AppointmentStatus.DONE, Appointment.deleted_at.is_(None),
            Appointment.customer_id.in_(ids))
    meetings: dict[str, list[tuple[AppointmentType, date]]] = defaultdict(list)
    for owner, kind, at in s.execute(
        select(Appointment.customer_id, Appointment.type, Appointment.starts_at)
        .where(*done, Appointment.type.in_(RESTARTS_CLOCK))
    ):
        day = _day(at)
        assert owner is not None and day is not None
        meetings[owner].append((AppointmentType(kind), day))
    for who, held in meetings.items():
        f = of(who)
        f.interview_on, f.first_conversation_on, f.last_conversation_on = held_facts(
            held, since.get(who))
    booked = (Appointment.status == AppointmentStatus.BOOKED, Appointment.starts_at >= now,
              Appointment.deleted_at.is_(None), Appointment.customer_id.in_(ids))
    for cid, restarting, any_kind in s.execute(
        select(Appointment.customer_id,
               func.min(case((Appointment.type.in_(RESTARTS_CLOCK), Appointment.starts_at))),
               func.min(Appointment.starts_at))
        .where(*booked, Appointment.type.in_(CONVERSATIONS))
        .group_by(Appointment.customer_id)
    ):
        of(cid).next_booked_on = _day(restarting)
        of(cid).next_meeting_on = _day(any_kind)
    contacts = [
        select(Visit.customer_id, func.max(Visit.started_at))
        .where(Visit.customer_id.in_(ids), Visit.deleted_at.is_(None))
        .group_by(Visit.customer_id),
        select(Appointment.customer_id, func.max(Appointment.starts_at))
        .where(*done).group_by(Appointment.customer_id),
        select(CustomerNote.customer_id, func.max(CustomerNote.written_at))
        .where(CustomerNote.customer_id.in_(ids), CustomerNote.deleted_at.is_(None))
        .group_by(CustomerNote.customer_id),
    ]
    for stmt in contacts:
        for cid, at in s.execute(stmt):
            day = _day(at)
            current = of(cid).last_contact_on
            if day is not None and (current is None or day > current):
                of(cid).last_contact_on = day
    for cid, count in s.execute(
        select(CustomerBarrier.customer_id, func.count())
        .where(CustomerBarrier.customer_id.in_(ids), CustomerBarrier.deleted_at.is_(None))
        .group_by(CustomerBarrier.customer_id)
    ):
        of(cid).barriers = count
    # The latest accepted version of each customer's plans is the valid plan.
    for cid, _accepted, review, starts, months, applications in s.execute(
        select(Plan.customer_id, PlanVersion.accepted_at, PlanVersion.next_review_on,
               PlanVersion.obligation_starts_on, PlanVersion.period_months,
               PlanVersion.applications_per_period)
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(Plan.customer_id.in_(ids), PlanVersion.status == PlanStatus.ACCEPTED,
               Plan.deleted_at.is_(None), PlanVersion.deleted_at.is_(None))
        .order_by(Plan.customer_id, PlanVersion.accepted_at)
    ):
        f = of(cid)
        f.has_plan = True
        f.plan_review_on, f.obligation_starts_on = review, starts
        f.period_months, f.applications_per_period = months, applications
    if case_facts:
        for cid, partial, first_benefit, days, days_on, exhausted in s.execute(
            select(CaseFacts.customer_id, CaseFacts.partial_work_ability,
                   CaseFacts.first_benefit_on, CaseFacts.subsidy_days,
                   CaseFacts.subsidy_days_on, CaseFacts.allowance_exhausted_on)
            .where(CaseFacts.customer_id.in_(ids), CaseFacts.deleted_at.is_(None))
        ):
            f = of(cid)
            f.partial_work_ability = bool(partial)
            f.first_benefit_on, f.allowance_exhausted_on = first_benefit, exhausted
            if days is not None and days_on is not None:
                f.subsidy_days, f.subsidy_days_on = days, days_on
    return facts


def subsidy_spells(s: Session, customer_id: str) -> list[tuple[date, date | None]]:
    """The customer's periods of labour-market subsidy (start, end or None: running)."""
    return [(start, end) for start, end in s.execute(
        select(UnemploymentPeriod.starts_on, UnemploymentPeriod.ends_on).where(
            UnemploymentPeriod.customer_id == customer_id,
            UnemploymentPeriod.deleted_at.is_(None),
            UnemploymentPeriod.benefit == BenefitType.LABOUR_MARKET_SUBSIDY))]


def reads_case_facts(s: Session, actor: Actor | None, customer_id: str) -> bool:
    """Whether `actor` may read this customer's case facts: case.facts and the caseload
    rule (their coach and team, leads and admins), as CaseFactsService and the centre."""
    return actor is not None and caseload.may_read(
        worker(actor), case_of(s, customer_id), Permission.CASE_FACTS)


def first_benefit_on(s: Session, customer_id: str, actor: Actor | None) -> date | None:
    """Day 1 of the 100-day count from the case facts, for one who may read them (never
    the desk, whose card estimates it from the start of unemployment)."""
    if not reads_case_facts(s, actor, customer_id):
        return None
    return s.scalar(select(CaseFacts.first_benefit_on).where(
        CaseFacts.customer_id == customer_id, CaseFacts.deleted_at.is_(None)))
