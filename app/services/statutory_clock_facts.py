"""The dates the statutory clock needs, gathered in SQL for a set of customers at once
(a coach's caseload, or one customer): aggregates grouped by customer, restricted by the
caller's condition, so no query walks the whole register in Python."""

from __future__ import annotations

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

    done = (Appointment.status == AppointmentStatus.DONE, Appointment.deleted_at.is_(None),
            Appointment.customer_id.in_(ids))
    for cid, interview in s.execute(
        select(Appointment.customer_id, func.min(Appointment.starts_at))
        .where(*done, Appointment.type == AppointmentType.INITIAL_INTERVIEW)
        .group_by(Appointment.customer_id)
    ):
        of(cid).interview_on = _day(interview)
    for cid, first, last in s.execute(
        select(Appointment.customer_id, func.min(Appointment.starts_at),
               func.max(Appointment.starts_at))
        .where(*done, Appointment.type.in_(RESTARTS_CLOCK))
        .group_by(Appointment.customer_id)
    ):
        f = of(cid)
        f.first_conversation_on, f.last_conversation_on = _day(first), _day(last)
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
