"""Statutory timeliness: initial interviews, job-search conversations and plan reviews
held by their due day, per customer group.

Every due day comes from the statutory clock itself (`rules.clock.conversations` and
`due`), over the facts the worklist's `statutory_clock_facts.gather` reads, read the same
way (the first initial interview held, else the first job-search conversation; only an
initial interview or a job-search conversation restarts the clock): so a step this
report counts as overdue and still not held is a step Today's worklist shows overdue
(tests/unit/test_report_timeliness.py checks it). The facts come in four queries over
all the customers in scope, never one per customer, and the clock is asked once per
distinct day. A year at the scale-1 demo: about 0.2 s (interviews), 0.3 s
(conversations), 0.1 s (plan reviews).

A step is counted in the period its due day falls in, and only when the customer's case
was open on that day (a case closed before its due day runs no deadlines). Groups are
taken on the due day (age, integration period, long-term unemployment), with the
barriers and the partial work ability as recorded now.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from app.dto.reports import (
    COUNT,
    NUMBER,
    PERCENT,
    TEXT,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import HELSINKI, N_
from app.models import (
    Appointment,
    CaseFacts,
    Customer,
    JobSearchPeriod,
    Plan,
    PlanVersion,
    Staff,
)
from app.models.coaching import CustomerBarrier
from app.rules import clock
from app.rules import groups as group_rules
from app.rules.codes import AppointmentStatus, AppointmentType, PlanStatus
from app.services.statutory_clock_facts import RESTARTS_CLOCK, Facts

OLDER_AGE = 55  # "over 55": aged 55 or more on the due day
# The initial interview falls due at most 10 working days after registration: with the
# Christmas and Easter holidays well under 40 calendar days.
INTERVIEW_REACH = timedelta(days=40)
# A review day moves to the next working day: at most a few days (Christmas).
REVIEW_REACH = timedelta(days=10)
# Held meetings that review a plan.
REVIEWS_PLAN = (AppointmentType.PLAN_REVIEW, AppointmentType.JOB_SEARCH_CONVERSATION)
HELD = (*RESTARTS_CLOCK, AppointmentType.PLAN_REVIEW)

GROUPS: tuple[tuple[str, str], ...] = (
    ("all", N_("All customers")),
    ("young", N_("Under 30")),
    ("older", N_("55 and over")),
    ("long_term", N_("Long-term unemployed")),
    ("partial_work_ability", N_("Partial work ability")),
    ("integration", N_("Integration period")),
    ("many_barriers", N_("Three or more barriers")),
)


@dataclass(frozen=True)
class Step:
    """One statutory step due: `held_on` None while it has not been held."""

    customer_id: str
    due_on: date
    held_on: date | None


# --- reading the facts in bulk ----------------------------------------------------------


def _local_day(value: datetime | str | None) -> date:
    assert value is not None  # the queries read held meetings and accepted versions
    if isinstance(value, str):  # SQLite returns the stored text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # stored as naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(HELSINKI).date()


def _in_scope(stmt: Select, f: ReportFilter, where: tuple[Any, ...]) -> Select:
    """`stmt` over the customers in scope: the service point and the coach's team as the
    other customer reports take them."""
    stmt = stmt.where(Customer.deleted_at.is_(None), *where)
    if f.service_point_id:
        stmt = stmt.where(Customer.service_point_id == f.service_point_id)
    if f.team_id:
        coach = aliased(Staff)
        stmt = stmt.join(coach, coach.id == Customer.coach_id).where(
            coach.team_id == f.team_id)
    return stmt


def _scan(column: Any) -> Any:
    """`column` without its index (SQLite's unary plus): a year's report reads most of
    the table, and one pass over it is faster than an index lookup per customer."""
    return literal_column(f"+{column.table.name}.{column.name}", column.type)


@dataclass
class Scope:
    """What the rules need of the customers in scope, read in four grouped queries: the
    clock's facts (as `statutory_clock_facts.gather` reads them for the worklist, less
    the contacts and bookings no report step looks at), the meetings held, and the
    job-search periods that tell whether the case was open on a day."""

    facts: dict[str, Facts]
    held: dict[str, list[tuple[AppointmentType, date]]]
    periods: dict[str, list[tuple[date, date | None]]]
    active: dict[str, bool]

    def open_on(self, customer_id: str, day: date) -> bool:
        """Whether the case was open on `day`; without a stored period (registered on a
        workstation not yet upgraded) as `Customer.active` says."""
        periods = self.periods.get(customer_id)
        if not periods:
            return self.active.get(customer_id, False)
        return any(opened <= day and (closed is None or closed >= day)
                   for opened, closed in periods)

    def held_days(self, customer_id: str, kinds: tuple[AppointmentType, ...]) -> list[date]:
        return [day for kind, day in self.held.get(customer_id, ()) if kind in kinds]


def read_scope(s: Session, f: ReportFilter, *where: Any) -> Scope:
    """The customers in scope with `where` (conditions on Customer)."""
    ids = _in_scope(select(Customer.id), f, where)
    barriers = (select(func.count()).where(CustomerBarrier.customer_id == Customer.id,
                                           CustomerBarrier.deleted_at.is_(None))
                .correlate(Customer).scalar_subquery())
    facts: dict[str, Facts] = {}
    active: dict[str, bool] = {}
    for (cid, born, registered, since, permit, is_active, partial, count) in s.execute(
        _in_scope(select(Customer.id, Customer.birth_date, Customer.jobseeker_registered_on,
                         Customer.unemployed_since, Customer.first_residence_permit_on,
                         Customer.active, CaseFacts.partial_work_ability, barriers)
                  .outerjoin(CaseFacts, and_(CaseFacts.customer_id == Customer.id,
                                             CaseFacts.deleted_at.is_(None))), f, where)
    ):
        facts[cid] = Facts(cid, "", None, born, registered, since, permit,
                           partial_work_ability=bool(partial), barriers=count or 0)
        active[cid] = bool(is_active)
    held: dict[str, list[tuple[AppointmentType, date]]] = defaultdict(list)
    periods: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    if not facts:
        return Scope(facts, held, periods, active)
    for cid, kind, at in sorted(s.execute(
        select(Appointment.customer_id, Appointment.type, Appointment.starts_at)
        .where(_scan(Appointment.customer_id).in_(ids), Appointment.type.in_(HELD),
               Appointment.status == AppointmentStatus.DONE,
               Appointment.deleted_at.is_(None))
    ), key=lambda row: (row[0] or "", row[2])):
        if cid is not None:  # every row keeps to `customer_id IN ids`
            held[cid].append((AppointmentType(kind), _local_day(at)))
    for cid, meetings in held.items():
        # As gather: the first initial interview held, the first and latest initial
        # interview or job-search conversation held.
        fact = facts[cid]
        fact.interview_on = next((d for k, d in meetings
                                  if k == AppointmentType.INITIAL_INTERVIEW), None)
        restarts = [d for k, d in meetings if k in RESTARTS_CLOCK]
        if restarts:
            fact.first_conversation_on, fact.last_conversation_on = restarts[0], restarts[-1]
    for cid, opened, closed in s.execute(
        select(JobSearchPeriod.customer_id, JobSearchPeriod.opened_on,
               JobSearchPeriod.closed_on)
        .where(_scan(JobSearchPeriod.customer_id).in_(ids),
               JobSearchPeriod.deleted_at.is_(None))
    ):
        periods[cid].append((opened, closed))
    return Scope(facts, held, periods, active)


# --- the steps, by the clock's rules -----------------------------------------------------


def interview_on(f: Facts) -> date | None:
    """The initial interview as the clock takes it: the first one held, else the first
    job-search conversation held (statutory_clock.deadlines)."""
    return f.interview_on or f.first_conversation_on


# The rules depend on the day alone, and a year's steps fall on a few hundred days: the
# clock is asked once per day, not once per customer (a year at scale 10 stays fast).

@lru_cache(maxsize=8192)
def interview_due(registered_on: date) -> date:
    """The initial interview's deadline (the clock's, by the registration day's rule)."""
    plan = clock.conversations(registered_on, None, None, registered_on)
    assert plan.initial_interview is not None
    return plan.initial_interview.due_on


@lru_cache(maxsize=8192)
def conversation_due(latest: date) -> date:
    """The next job-search conversation's due day after the latest initial interview or
    job-search conversation held: `clock.conversations` counts from the latest of them."""
    plan = clock.conversations(latest, latest, None, latest)
    assert plan.next_conversation is not None
    return plan.next_conversation.due_on


def interview_step(f: Facts) -> Step | None:
    if f.registered_on is None:
        return None
    return Step(f.id, interview_due(f.registered_on), interview_on(f))


def conversation_steps(f: Facts, held: list[date], until: date) -> Iterator[Step]:
    """The job-search conversations due after the initial interview, up to `until`: each
    due three months (the clock's rule) after the interview or the previous conversation
    held, and held by the first conversation after that one."""
    start = interview_on(f)
    if f.registered_on is None or start is None:
        return
    latest = start
    later = [d for d in held if d > start]
    while True:
        due_on = conversation_due(latest)
        if due_on > until:
            return
        following = next((d for d in later if d > latest), None)
        yield Step(f.id, due_on, following)
        if following is None:
            return
        latest = following


def _reviews_in(f: ReportFilter) -> list[Any]:
    """Accepted plan versions whose review date may fall due in the period."""
    return [PlanVersion.deleted_at.is_(None), PlanVersion.accepted_at.is_not(None),
            PlanVersion.status.in_((PlanStatus.ACCEPTED, PlanStatus.SUPERSEDED)),
            PlanVersion.next_review_on >= f.date_from - REVIEW_REACH,
            PlanVersion.next_review_on <= f.date_to]


def review_steps(s: Session, f: ReportFilter, scope: Scope) -> dict[str, list[Step]]:
    """The accepted plan versions whose review (moved off a non-working day as the clock
    does) falls due in the period: reviewed by a later accepted version of the plan or a
    plan review or job-search conversation held after the version was accepted."""
    versions: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
    accepted_days: dict[str, list[date]] = defaultdict(list)
    for cid, plan_id, accepted, review in s.execute(
        select(Plan.customer_id, Plan.id, PlanVersion.accepted_at, PlanVersion.next_review_on)
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(Plan.customer_id.in_(list(scope.facts)), Plan.deleted_at.is_(None),
               PlanVersion.deleted_at.is_(None), PlanVersion.accepted_at.is_not(None),
               PlanVersion.status.in_((PlanStatus.ACCEPTED, PlanStatus.SUPERSEDED)))
        .order_by(PlanVersion.accepted_at)
    ):
        day = _local_day(accepted)
        accepted_days[plan_id].append(day)
        if review is not None and f.date_from - REVIEW_REACH <= review <= f.date_to:
            versions[cid].append((plan_id, day, review))
    steps: dict[str, list[Step]] = defaultdict(list)
    for cid, rows in versions.items():
        meetings = scope.held_days(cid, REVIEWS_PLAN)
        for plan_id, accepted_on, review in rows:
            due_on = clock.due(review)
            later = [d for d in accepted_days[plan_id] if d > accepted_on]
            later += [d for d in meetings if d > accepted_on]
            steps[cid].append(Step(cid, due_on, min(later) if later else None))
    return steps


# --- counting -------------------------------------------------------------------------


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def groups_on(f: Facts, day: date) -> set[str]:
    """The report's groups of the customer on `day` (rules.groups, as the card)."""
    found = {g.value for g in group_rules.groups(
        born=f.born, unemployed_since=f.unemployed_since, days_unemployed=None,
        partial_work_ability=f.partial_work_ability, first_permit_on=f.first_permit_on,
        barriers=f.barriers, today=day)}
    found.add("all")
    if f.born is not None and age_on(f.born, day) >= OLDER_AGE:
        found.add("older")
    return found


@dataclass
class Tally:
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    days_late: list[int] = field(default_factory=list)

    def add(self, step: Step, today: date) -> None:
        self.due += 1
        if step.held_on is not None and step.held_on <= step.due_on:
            self.on_time += 1
        elif step.held_on is not None:
            self.late += 1
            self.days_late.append((step.held_on - step.due_on).days)
        elif step.due_on < today:
            self.missing += 1
            self.days_late.append((today - step.due_on).days)
        else:
            self.pending += 1

    def row(self, label: str) -> tuple[Any, ...]:
        decided = self.on_time + self.late + self.missing
        return (Label(label), self.due, self.on_time, self.late, self.missing, self.pending,
                self.on_time / decided if decided else None,
                float(statistics.median(self.days_late)) if self.days_late else None)


def tally(steps: list[tuple[Facts, Step]], today: date) -> dict[str, Tally]:
    tallies = {key: Tally() for key, _label in GROUPS}
    for facts, step in steps:
        for key in groups_on(facts, step.due_on):
            tallies[key].add(step, today)
    return tallies


COLUMNS = ("group", "due", "held_on_time", "late", "not_yet_held", "pending",
           "share_on_time", "median_days_late")


def _table(name: str, title: str, note: str, steps: list[tuple[Facts, Step]],
           today: date) -> ReportTable:
    tallies = tally(steps, today)
    rows = tuple(tallies[key].row(label) for key, label in GROUPS)
    return ReportTable(
        name, title,
        (Column("group", N_("Group"), TEXT), Column("due", N_("Due in the period"), COUNT),
         Column("held_on_time", N_("Held on time"), COUNT),
         Column("late", N_("Held late"), COUNT),
         Column("not_yet_held", N_("Overdue, not held"), COUNT),
         Column("pending", N_("Not yet due"), COUNT),
         Column("share_on_time", N_("On time (%)"), PERCENT),
         Column("median_days_late", N_("Median days late"), NUMBER)),
        rows, ChartSpec("hbars", "group", ("share_on_time",), percent=True), note=note)


def _counted(f: ReportFilter, scope: Scope, steps: Iterator[Step]
             ) -> list[tuple[Facts, Step]]:
    """The steps due in the period whose case was open on the due day."""
    return [(scope.facts[step.customer_id], step) for step in steps
            if f.date_from <= step.due_on <= f.date_to
            and scope.open_on(step.customer_id, step.due_on)]


def initial_interviews_on_time(s: Session, f: ReportFilter, inputs: ReportInputs
                               ) -> ReportTable:
    today = inputs.today
    scope = read_scope(s, f, Customer.jobseeker_registered_on >= f.date_from - INTERVIEW_REACH,
                       Customer.jobseeker_registered_on <= f.date_to)
    steps = (step for facts in scope.facts.values()
             if (step := interview_step(facts)) is not None)
    return _table(
        "initial_interviews_on_time", N_("Initial interviews on time"),
        N_("Initial interviews whose statutory deadline (5 working days from the "
           "registration, 10 from 1.1.2026, by the rule of the registration day) falls in "
           "the period, for cases open on that day. Days late: calendar days from the "
           "deadline to the interview, or to today for those not yet held."),
        _counted(f, scope, steps), today)


def job_search_conversations_on_time(s: Session, f: ReportFilter, inputs: ReportInputs
                                     ) -> ReportTable:
    today = inputs.today
    scope = read_scope(s, f, Customer.jobseeker_registered_on <= f.date_to)
    steps = (step for facts in scope.facts.values()
             for step in conversation_steps(
                 facts, scope.held_days(facts.id, RESTARTS_CLOCK), f.date_to))
    return _table(
        "job_search_conversations_on_time", N_("Job-search conversations on time"),
        N_("Job-search conversations falling due in the period: three months after the "
           "initial interview or the previous job-search conversation held, for cases "
           "open on that day. Held on time: the next one held by the due day. Days late: "
           "calendar days from the due day to the conversation, or to today."),
        _counted(f, scope, steps), today)


def plan_reviews_on_time(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    today = inputs.today
    scope = read_scope(s, f, Customer.id.in_(
        select(Plan.customer_id).join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(Plan.deleted_at.is_(None), *_reviews_in(f))))
    reviews = review_steps(s, f, scope) if scope.facts else {}
    steps = (step for rows in reviews.values() for step in rows)
    return _table(
        "plan_reviews_on_time", N_("Plan reviews on time"),
        N_("Accepted plans whose review date falls in the period, for cases open on that "
           "day. Reviewed: a later version of the plan accepted, or a plan review or "
           "job-search conversation held, by the review date. Days late: calendar days "
           "from the review date to the review, or to today."),
        _counted(f, scope, steps), today)
