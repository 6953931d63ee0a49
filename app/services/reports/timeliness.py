"""Statutory timeliness: initial interviews, job-search conversations, plan reviews, and
activation and integration plans made when due, per customer group.

Every due day comes from the statutory clock itself (`rules.clock.conversations`,
`due` and `statutory_clock.activation`), over the facts the worklist's
`statutory_clock_facts.gather` reads, read the same way (`opening` and `held_facts`: the
current job-search period's opening, the first initial interview held in it, else its
first job-search conversation; only an initial interview or a job-search conversation
restarts the clock): so a step this report counts as overdue and still not held is a
step Today's worklist shows overdue, and an activation plan falls due on the day the
customer's clock shows (tests/unit/test_report_timeliness.py and
test_report_timeliness_plans.py check both).

Each job-search period of a customer runs its own clock: a customer who registers again
gets a new initial-interview deadline from the new period's opening, and the meetings
held in an earlier period count for that period only.

The facts come in a few queries, never one per customer: the customers in scope
(narrowed in SQL to those whose steps can fall due in the period: registered or
registered again in reach of it; for the conversations, with a meeting held in reach;
for the activation plan, with labour-market subsidy), then one pass over the barriers,
the periods and the meetings held, each read from a local-only covering index
(migration 0085) and the meetings by their precomputed Helsinki day
(`Appointment.local_day`, app.models.local_time), never by converting each start. The
rows come as the driver's plain tuples with the dates as their stored text, each day
parsed once. A customer with one job-search period (most) is asked for their steps
directly, without building a cycle; the clock is asked once per distinct day; the
activation count goes period by period where that finds the clock's own day (a test
checks it against the day-by-day count), merging the periods once for every limit.
A year at the scale-10 demo (46 000 customers; 32 000 interviews and 35 000
conversations due), `python -m benchmarks.reports --scale 10 --repeats 1` on the 2-core
development machine while other work ran (bare visit scan 241 ms, load 1.8):
interviews 0.65 s, conversations 0.74 s, plan reviews 0.05 s, activation plans 0.79 s,
integration plans 0.15 s (before the indexes and the local day, bare scan 249 ms:
1.4 s, 1.6 s, 0.07 s, 1.5 s and 0.54 s). The SQL is now about 0.28 s of each (the
rows themselves, from the indexes); the rest is Python per customer: the activation
plans' count of subsidy days for 24 000 customers, and for the interviews and
conversations one pass over 35 000-55 000 rows of each table.

So the steps are now kept per customer on the workstation (`report`; app.services.
reports.timeliness_steps, local migration 0090): the very functions above compute each
customer's whole chains (they do not depend on the period: each chain runs up to its
first step not held; the activation plan's day is looked up a year beyond the clock's
horizon and counted when it lies within today's) with each step's groups on its due day,
only for the customers that SQLite triggers marked dirty (any write to their customer
row, meetings, periods, case facts, subsidy periods, barriers or plans: the write path,
the pull, a merge, an erasure); a report reads the steps due in its period, by due day,
and tallies them. `DIRECT` keeps the reading above as the reference: a property test
(tests/unit/test_report_timeliness_steps.py) checks that both give the same figures and
members after any writes, on any today. A year at the scale-10 demo, `python -m
benchmarks.run --only reports` (row 8, median of 3) on the same machine at load 2-4:
interviews 0.09 s, conversations 0.11 s, activation plans 0.007 s, integration plans
0.009 s, plan reviews 0.006 s (single runs while more work ran: 0.15-0.25 s and
0.19-0.27 s for the two largest); the first report after the upgrade computes every
customer once (5-10 s at scale 10, `benchmarks.reports` measures it apart).

A step is counted in the period its due day falls in, and only when the customer's case
(the job-search period the step belongs to) was open on that day (a case closed before
its due day runs no deadlines). Groups are taken on the due day (age, integration
period, long-term unemployment), with the barriers and the partial work ability as
recorded now.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Select, String, and_, func, or_, select, type_coerce
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
    UnemploymentPeriod,
)
from app.models.coaching import CustomerBarrier
from app.rules import clock
from app.rules.clock import add_months
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    BenefitType,
    PlanStatus,
    PlanType,
)
from app.rules.groups import MANY_BARRIERS
from app.rules.statutory import rule_for
from app.services.reports.members import Members
from app.services.statutory_clock import activation
from app.services.statutory_clock_facts import RESTARTS_CLOCK, Facts, held_facts, opening

OLDER_AGE = 55  # "over 55": aged 55 or more on the due day
# The initial interview falls due at most 10 working days after registration: with the
# Christmas and Easter holidays well under 40 calendar days.
INTERVIEW_REACH = timedelta(days=40)
# A review day moves to the next working day: at most a few days (Christmas).
REVIEW_REACH = timedelta(days=10)
# A job-search conversation falls due three months (89-92 days), moved to a working day
# (at most a few days), after the meeting it counts from: the meetings that can start a
# step due in the period lie between these distances before its first and last day
# (with a day's margin each side for the local day of a UTC time).
CONVERSATION_REACH = (timedelta(days=92) + REVIEW_REACH + timedelta(days=1),
                      timedelta(days=89) - timedelta(days=1))
# Held meetings that review a plan.
REVIEWS_PLAN = (AppointmentType.PLAN_REVIEW, AppointmentType.JOB_SEARCH_CONVERSATION)
HELD = (*RESTARTS_CLOCK, AppointmentType.PLAN_REVIEW)
# The customer's clock looks two years ahead for the activation plan's due day.
ACTIVATION_HORIZON = 730
MADE = (PlanStatus.ACCEPTED, PlanStatus.SUPERSEDED)  # an accepted version, then or now

GROUPS: tuple[tuple[str, str], ...] = (
    ("all", N_("All customers")),
    ("young", N_("Under 30")),
    ("older", N_("55 and over")),
    ("long_term", N_("Long-term unemployed")),
    ("partial_work_ability", N_("Partial work ability")),
    ("integration", N_("Integration period")),
    ("many_barriers", N_("Three or more barriers")),
)


class Step(NamedTuple):
    """One statutory step due: `held_on` None while it has not been held (a named tuple:
    a year's report makes tens of thousands)."""

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


KINDS = {k.value: k for k in AppointmentType}
# Up to this many customers in scope their rows are looked up by id; more, and one pass
# over the table is faster.
FEW = 2000


def _text(column: Any) -> Any:
    """A column as its stored text (no conversion per row by SQLAlchemy)."""
    return type_coerce(column, String)


@lru_cache(maxsize=1 << 16)
def _iso_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@lru_cache(maxsize=1 << 16)
def _held_day(text: str) -> date:
    """A meeting's local day (`Appointment.local_day`, precomputed from its UTC start by
    app.models.local_time) from its stored text, parsed once per distinct day."""
    return date.fromisoformat(text)


def _runner(s: Session) -> Any:
    """Run a select and return its rows as the driver's plain tuples (SQLAlchemy's bind
    processing, without a Row object per row: a year's report reads tens of thousands)."""
    conn = s.connection()

    def run(stmt: Select) -> list[tuple[Any, ...]]:
        result = conn.execute(stmt)
        cursor = getattr(result, "cursor", None)
        if cursor is None:  # no DBAPI cursor to read (a result already buffered)
            return [tuple(row) for row in result.all()]
        try:
            return list(cursor.fetchall())
        finally:
            result.close()

    return run


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


@dataclass(slots=True)
class Cycle:
    """One job-search period of a customer as the clock counts it: `facts` with the
    period's registration day and the meetings held in it (`held`: from `since` to
    before `until`, None: no bound); `opened`/`closed` the period (None: no stored
    period, `Customer.active` tells whether it is open)."""

    facts: Facts
    held: list[tuple[AppointmentType, date]]
    opened: date | None
    closed: date | None
    since: date | None = None
    until: date | None = None

    def holds(self, day: date) -> bool:
        """Whether something done on `day` belongs to this period's clock."""
        return ((self.since is None or day >= self.since)
                and (self.until is None or day < self.until))


@dataclass
class Scope:
    """What the rules need of the customers in scope, read in a few grouped queries: the
    clock's facts of the current job-search period (as `statutory_clock_facts.gather`
    reads them for the worklist, less the contacts and bookings no report step looks
    at), the meetings held, and the job-search periods that tell whether the case was
    open on a day and which period a meeting belongs to."""

    facts: dict[str, Facts]
    held: dict[str, list[tuple[AppointmentType, date]]]
    periods: dict[str, list[tuple[date, date | None]]]  # by opening day
    active: dict[str, bool]
    registered: dict[str, date | None] = field(default_factory=dict)  # the first period's

    def open_on(self, customer_id: str, day: date) -> bool:
        """Whether the case was open on `day`; without a stored period (registered on a
        workstation not yet upgraded) as `Customer.active` says."""
        periods = self.periods.get(customer_id)
        if not periods:
            return self.active.get(customer_id, False)
        return any(opened <= day and (closed is None or closed >= day)
                   for opened, closed in periods)

    def only(self, column: Any) -> tuple[Any, ...]:
        """A condition keeping `column` to the customers in scope when they are few;
        else none (one pass over the table is faster: the caller skips the others)."""
        return (column.in_(list(self.facts)),) if len(self.facts) <= FEW else ()

    def held_days(self, customer_id: str, kinds: tuple[AppointmentType, ...]) -> list[date]:
        return [day for kind, day in self.held.get(customer_id, ()) if kind in kinds]

    def cycles(self, customer_id: str) -> list[Cycle]:
        """The customer's job-search periods, each with its own clock: the first from the
        registration day with every meeting held before the second opened; each later
        one from its opening with the meetings held from it (`opening`). The last is
        the current period, read as the worklist reads it."""
        base = self.facts[customer_id]
        held = self.held.get(customer_id, [])
        periods = self.periods.get(customer_id, [])
        if len(periods) < 2:
            opened, closed = periods[0] if periods else (None, None)
            return [Cycle(base, held, opened, closed)]
        registered = self.registered.get(customer_id)
        found = []
        for index, (opened, closed) in enumerate(periods):
            since = None if index == 0 or registered is None else max(registered, opened)
            until = periods[index + 1][0] if index + 1 < len(periods) else None
            cycle = Cycle(base, [], opened, closed, since, until)
            meetings = [(k, d) for k, d in held if cycle.holds(d)]
            interview, first, last = held_facts(meetings)
            facts = replace(base, registered_on=since or registered, interview_on=interview,
                            first_conversation_on=first, last_conversation_on=last)
            found.append(replace(cycle, facts=facts, held=meetings))
        return found

    def open_in(self, cycle: Cycle, customer_id: str, day: date) -> bool:
        """Whether `day` falls in the cycle's own job-search period (a step of an earlier
        period is not counted in a later one)."""
        if cycle.opened is None:
            return self.open_on(customer_id, day)
        return cycle.opened <= day and (cycle.closed is None or cycle.closed >= day)


def read_scope(s: Session, f: ReportFilter, *where: Any,
               kinds: tuple[AppointmentType, ...] = HELD,
               held_from: date | None = None) -> Scope:
    """The customers in scope with `where` (conditions on Customer). `kinds`: the
    meetings held the steps look at; `held_from`: only those from that day on (the
    initial interview and the first conversation are still read whole, for every period
    as `gather` reads them)."""
    facts: dict[str, Facts] = {}
    active: dict[str, bool] = {}
    registered: dict[str, date | None] = {}
    # Core rows with the dates as their stored text, parsed once per distinct day: a
    # year's report reads tens of thousands of rows.
    run = _runner(s)
    for (cid, born, reg, since, permit, is_active, partial) in run(
        _in_scope(select(Customer.id, _text(Customer.birth_date),
                         _text(Customer.jobseeker_registered_on),
                         _text(Customer.unemployed_since),
                         _text(Customer.first_residence_permit_on),
                         Customer.active, CaseFacts.partial_work_ability)
                  .outerjoin(CaseFacts, and_(CaseFacts.customer_id == Customer.id,
                                             CaseFacts.deleted_at.is_(None))), f, where)
    ):
        day = _iso_day(reg)
        facts[cid] = Facts(cid, "", None, _iso_day(born), day, _iso_day(since),
                           _iso_day(permit), partial_work_ability=bool(partial))
        active[cid] = bool(is_active)
        registered[cid] = day
    # The barriers, the periods and the meetings: one pass over each table, kept for the
    # customers in scope (faster than an `IN (customers in scope)` that reads the
    # customer table again for each).
    # A few customers (a plan review's) are looked up by their ids instead.
    few = len(facts) <= FEW

    def of_scope(column: Any) -> tuple[Any, ...]:
        return (column.in_(list(facts)),) if few else ()

    if facts:
        for cid, count in run(
            select(CustomerBarrier.customer_id, func.count())
            .where(CustomerBarrier.deleted_at.is_(None),
                   *of_scope(CustomerBarrier.customer_id))
            .group_by(CustomerBarrier.customer_id)
        ):
            if cid in facts:
                facts[cid].barriers = count
    held: dict[str, list[tuple[AppointmentType, date]]] = defaultdict(list)
    periods: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    scope = Scope(facts, held, periods, active, registered)
    if not facts:
        return scope
    for cid, opened, closed in run(
        select(JobSearchPeriod.customer_id, _text(JobSearchPeriod.opened_on),
               _text(JobSearchPeriod.closed_on))
        .where(JobSearchPeriod.deleted_at.is_(None), *of_scope(JobSearchPeriod.customer_id))
    ):
        if cid in facts:
            periods[cid].append((_held_day(opened), _iso_day(closed)))
    for dated in periods.values():
        dated.sort()
    # Customers with more than one period are read whole (each period has its clock).
    several = {cid for cid, dated in periods.items() if len(dated) > 1}
    done = (Appointment.status == AppointmentStatus.DONE, Appointment.deleted_at.is_(None),
            *of_scope(Appointment.customer_id))
    kinds_text = tuple(k.value for k in kinds)
    kind = _text(Appointment.type)
    day = _text(Appointment.local_day)  # the local day, precomputed (app.models.local_time)
    rows: Iterable[tuple[Any, ...]]
    if not kinds:
        rows = ()
    elif held_from is None:
        rows = run(select(Appointment.customer_id, kind, day)
                   .where(*done, Appointment.type.in_(kinds_text)))
    else:
        # The meetings from `held_from`, and each customer's first initial interview and
        # first initial interview or job-search conversation held before it (enough for
        # where the clock starts), grouped in SQL.
        bound = held_from - timedelta(days=1)
        recent = run(select(Appointment.customer_id, kind, day)
                     .where(*done, Appointment.type.in_(kinds_text),
                            Appointment.local_day >= bound))
        earlier = run(
            select(Appointment.customer_id, kind, func.min(day))
            .where(*done, Appointment.type.in_([k.value for k in RESTARTS_CLOCK]),
                   Appointment.local_day < bound)
            .group_by(Appointment.customer_id, kind))
        rows = [*earlier, *recent]
        if several:
            rows = [r for r in rows if r[0] not in several]
            rows += run(select(Appointment.customer_id, kind, day)
                        .where(Appointment.status == AppointmentStatus.DONE,
                               Appointment.deleted_at.is_(None),
                               Appointment.customer_id.in_(several),
                               Appointment.type.in_(kinds_text)))
    for cid, code, text in rows:
        if cid in facts:
            held[cid].append((KINDS[code], _held_day(text)))
    by_day = itemgetter(1)
    for meetings in held.values():
        if len(meetings) > 1:
            meetings.sort(key=by_day)
    for cid, fact in facts.items():
        # As gather: the current period's registration day, its first initial interview
        # held, and its first and latest initial interview or job-search conversation.
        if cid in several:
            fact.registered_on, since = opening(fact.registered_on, periods[cid])
        else:  # one period or none: `opening` keeps the registration day, no bound
            since = None
        if cid in held:
            (fact.interview_on, fact.first_conversation_on,
             fact.last_conversation_on) = held_facts(held[cid], since)
    return scope


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
            PlanVersion.status.in_(MADE),
            PlanVersion.next_review_on >= f.date_from - REVIEW_REACH,
            PlanVersion.next_review_on <= f.date_to]


def review_steps(s: Session, f: ReportFilter, scope: Scope) -> dict[str, list[Step]]:
    """The accepted plan versions whose review (moved off a non-working day as the clock
    does) falls due in the period: reviewed by a later accepted version of the plan or a
    plan review or job-search conversation held after the version was accepted."""
    found = plan_reviews(s, scope, (f.date_from - REVIEW_REACH, f.date_to))
    return {cid: [step for step, _review, _accepted in rows] for cid, rows in found.items()}


def plan_reviews(s: Session, scope: Scope, window: tuple[date, date] | None
                 ) -> dict[str, list[tuple[Step, date, str]]]:
    """`review_steps` with each version's review date and the order it was accepted in
    (its acceptance time and id, as text), for the versions whose review date lies in
    `window` (None: every one), by customer in the order of their first such version
    accepted (versions accepted at the same time in the order of their ids)."""
    versions: dict[str, list[tuple[str, date, date, str]]] = defaultdict(list)
    accepted_days: dict[str, list[date]] = defaultdict(list)
    for cid, plan_id, accepted, review, version_id in s.execute(
        select(Plan.customer_id, Plan.id, PlanVersion.accepted_at, PlanVersion.next_review_on,
               PlanVersion.id)
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(*scope.only(Plan.customer_id), Plan.deleted_at.is_(None),
               PlanVersion.deleted_at.is_(None), PlanVersion.accepted_at.is_not(None),
               PlanVersion.status.in_(MADE))
        .order_by(PlanVersion.accepted_at, PlanVersion.id)
    ):
        if cid not in scope.facts:
            continue
        assert accepted is not None  # the query keeps accepted versions
        day = _local_day(accepted)
        accepted_days[plan_id].append(day)
        if review is not None and (window is None or window[0] <= review <= window[1]):
            order = f"{accepted.isoformat()} {version_id}"
            versions[cid].append((plan_id, day, review, order))
    steps: dict[str, list[tuple[Step, date, str]]] = defaultdict(list)
    for cid, rows in versions.items():
        meetings = scope.held_days(cid, REVIEWS_PLAN)
        for plan_id, accepted_on, review, at in rows:
            due_on = clock.due(review)
            later = [d for d in accepted_days[plan_id] if d > accepted_on]
            later += [d for d in meetings if d > accepted_on]
            steps[cid].append((Step(cid, due_on, min(later) if later else None), review, at))
    return steps


def plans_made(s: Session, scope: Scope, plan_type: PlanType) -> dict[str, list[date]]:
    """The days (local, in order) the customers' plans of `plan_type` were made: each
    plan's first accepted version (a later version revises it)."""
    made: dict[str, list[date]] = defaultdict(list)
    for cid, accepted in s.execute(
        select(Plan.customer_id, func.min(PlanVersion.accepted_at))
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(*scope.only(Plan.customer_id), Plan.plan_type == plan_type,
               Plan.deleted_at.is_(None), PlanVersion.deleted_at.is_(None),
               PlanVersion.accepted_at.is_not(None), PlanVersion.status.in_(MADE))
        .group_by(Plan.id, Plan.customer_id)
    ):
        if cid in scope.facts:
            made[cid].append(_local_day(accepted))
    for days in made.values():
        days.sort()
    return made


def subsidy_spells(s: Session, scope: Scope) -> dict[str, list[clock.SubsidySpell]]:
    """The customers' periods of labour-market subsidy, as `statutory_clock_facts.
    subsidy_spells` reads one customer's for the clock."""
    spells: dict[str, list[clock.SubsidySpell]] = defaultdict(list)
    for cid, start, end in _runner(s)(
        select(UnemploymentPeriod.customer_id, _text(UnemploymentPeriod.starts_on),
               _text(UnemploymentPeriod.ends_on))
        .where(*scope.only(UnemploymentPeriod.customer_id),
               UnemploymentPeriod.deleted_at.is_(None),
               UnemploymentPeriod.benefit == BenefitType.LABOUR_MARKET_SUBSIDY)
    ):
        if cid in scope.facts:
            spells[cid].append(clock.SubsidySpell(_held_day(start), _iso_day(end)))
    return spells


def read_subsidy_facts(s: Session, scope: Scope) -> None:
    """Kela's subsidy count and the end of the allowance period from the case facts (the
    clock reads them for a role with case.facts: the reports are for team leads)."""
    for cid, days, days_on, exhausted in _runner(s)(
        select(CaseFacts.customer_id, CaseFacts.subsidy_days, _text(CaseFacts.subsidy_days_on),
               _text(CaseFacts.allowance_exhausted_on))
        .where(*scope.only(CaseFacts.customer_id), CaseFacts.deleted_at.is_(None))
    ):
        f = scope.facts.get(cid)
        if f is None:
            continue
        f.allowance_exhausted_on = _iso_day(exhausted)
        if days is not None and days_on is not None:
            f.subsidy_days, f.subsidy_days_on = days, _iso_day(days_on)


def nth_subsidy_day(spells: Iterable[clock.SubsidySpell], n: int, horizon: date,
                    after: date | None = None, known: clock.SubsidySpell | None = None
                    ) -> date | None:
    """The `n`-th benefit day (Monday to Friday) of the subsidy periods up to `horizon`
    (and of Kela's counted run `known`, whole), counting only days after `after`: the
    days `rules.clock` counts, found by counting whole periods rather than day by day."""
    return _nth_of(_merged_runs(spells, horizon, after, known), n)


def _merged_runs(spells: Iterable[clock.SubsidySpell], horizon: date,
                 after: date | None = None, known: clock.SubsidySpell | None = None
                 ) -> list[list[date]]:
    """The subsidy periods (and Kela's run `known`) merged into runs of days, as
    `nth_subsidy_day` counts them (merged once, counted for several `n`)."""
    merged: list[list[date]] = []
    runs = [(sp, False) for sp in spells] + ([(known, True)] if known else [])
    for spell, whole in sorted(runs, key=lambda run: run[0].starts_on):
        start = spell.starts_on if after is None else max(spell.starts_on,
                                                          after + timedelta(days=1))
        end = (spell.ends_on if whole and spell.ends_on
               else min(spell.ends_on or horizon, horizon))
        if end < start:
            continue
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _nth_of(merged: list[list[date]], n: int) -> date | None:
    """The `n`-th benefit day of the merged runs (`_merged_runs`)."""
    left = n
    for start, end in merged:
        count = clock.benefit_days_from(start, end)
        if count >= left:
            return clock.nth_benefit_day(start, left)
        left -= count
    return None


def activation_day(f: Facts, spells: list[clock.SubsidySpell], today: date,
                   horizon: date) -> date | bool | None:
    """The day `rules.clock.activation_plan_due` reaches the limit (before it is moved
    to a working day), counted period by period where that gives the same day: for a
    customer aged 25 or more on their 180th subsidy day (500 days,
    or 180 after the allowance period, whichever first) or under 25 with their first
    180 days within 12 months (the 180th). None: not reached by `horizon`; True: count
    day by day with the clock."""
    if f.born is None:
        return None
    known: clock.SubsidySpell | None = None
    if f.subsidy_days is not None and f.subsidy_days_on is not None:
        # Kela's count: an unbroken run of benefit days ending on its date (counted
        # whatever the horizon), then the periods' days after it (rules.clock).
        on = f.subsidy_days_on
        spells = [clock.SubsidySpell(max(sp.starts_on, on + timedelta(days=1)), sp.ends_on)
                  for sp in spells]
        if f.subsidy_days > 0:
            end = on
            while end.weekday() > 4:
                end -= timedelta(days=1)
            weeks, rest = divmod(f.subsidy_days - 1, 5)
            start = end - timedelta(weeks=weeks)
            for _ in range(rest):
                start -= timedelta(days=1)
                while start.weekday() > 4:
                    start -= timedelta(days=1)
            known = clock.SubsidySpell(start, end)
    young = _rule("activation_days_young", today)
    merged = _merged_runs(spells, horizon, known=known)
    first = _nth_of(merged, 1)
    reached = _nth_of(merged, young)
    if first is None or reached is None:
        return None
    if age_on(f.born, reached) >= _rule("activation_age_limit", today):
        candidates = [_nth_of(merged, _rule("activation_days_adult", today))]
        if f.allowance_exhausted_on is not None:
            candidates.append(nth_subsidy_day(
                spells, _rule("activation_days_after_allowance", today), horizon,
                after=f.allowance_exhausted_on, known=known))
        found = [d for d in candidates if d is not None]
        return min(found) if found else None
    window = _rule("activation_window_young", today)
    if first > add_months(reached, -window):
        return reached
    return True


def activation_step(f: Facts, spells: list[clock.SubsidySpell], made: list[date],
                    today: date, until: date) -> Step | None:
    """The activation plan as the customer's clock shows it (`statutory_clock.activation`:
    the day the subsidy days reach the 189/2001 limit, moved to a working day), when it
    falls by `until`; made by the first activation plan accepted. (The clock counts the
    days in order and stops at the limit, so counting only up to `until` finds the same
    day.)"""
    horizon = min((until - today).days, ACTIVATION_HORIZON)
    day = activation_day(f, spells, today, today + timedelta(days=horizon))
    if day is None:
        return None
    if day is True:
        due = activation(f, spells, today, horizon_days=horizon)
        if due is None:
            return None
        due_on = due.due_on
    else:
        assert isinstance(day, date)
        due_on = clock.due(day)
    return Step(f.id, due_on, made[0] if made else None)


def integration_step(cycle: Cycle, made: list[date]) -> Step | None:
    """The integration plan of a customer in the integration period (first residence
    permit under three years old on the day): drawn up in the initial interview, in
    place of the employment plan, so due by the initial interview's deadline of the
    job-search period; made by the first integration plan accepted in that period."""
    f = cycle.facts
    if f.registered_on is None or f.first_permit_on is None:
        return None
    due_on = interview_due(f.registered_on)
    if not _integration(f.first_permit_on, due_on):
        return None
    return Step(f.id, due_on, next((d for d in made if cycle.holds(d)), None))


# --- counting -------------------------------------------------------------------------


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@lru_cache(maxsize=4096)
def _rule(key: str, day: date) -> int:
    """A group rule's value in force on `day`, looked up once per day."""
    return rule_for(key, day).value


@lru_cache(maxsize=1 << 16)
def _months_after(day: date, months: int) -> date:
    """`add_months`, once per distinct day (a year's customers share a few thousand)."""
    return add_months(day, months)


def _integration(permit: date, day: date) -> bool:
    """rules.groups.in_integration, with the rule looked up once per day."""
    return permit <= day and _months_after(permit, 12 * _rule("integration_years", day)) > day


def groups_on(f: Facts, day: date) -> list[str]:
    """The report's groups of the customer on `day`: `rules.groups` (as the card; a test
    checks they agree) with its rules looked up once per day, and "55 and over"."""
    found = ["all"]
    if f.born is not None:
        age = age_on(f.born, day)
        if age < _rule("young_age_limit", day):
            found.append("young")
        if age >= OLDER_AGE:
            found.append("older")
    if f.unemployed_since is not None and _months_after(
            f.unemployed_since, _rule("long_term_months", day)) <= day:
        found.append("long_term")
    if f.partial_work_ability:
        found.append("partial_work_ability")
    if f.first_permit_on is not None and _integration(f.first_permit_on, day):
        found.append("integration")
    if f.barriers >= MANY_BARRIERS:
        found.append("many_barriers")
    return found


COLUMNS = ("group", "due", "held_on_time", "late", "not_yet_held", "pending",
           "share_on_time", "median_days_late")
# The columns that count customers' steps: a drill-down lists the customers behind them.
COUNTED = ("due", "held_on_time", "late", "not_yet_held", "pending")


def outcome(step: Step, today: date) -> tuple[str, int | None]:
    """The column a step counts in, and its days late (None: not late)."""
    if step.held_on is not None and step.held_on <= step.due_on:
        return "held_on_time", None
    if step.held_on is not None:
        return "late", (step.held_on - step.due_on).days
    if step.due_on < today:
        return "not_yet_held", (today - step.due_on).days
    return "pending", None


@dataclass
class Tally:
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    days_late: list[int] = field(default_factory=list)
    # The customer of each step counted, by column key (a customer with two steps in a
    # figure is there twice, so that the members are as many as the figure).
    members: dict[str, list[str]] = field(
        default_factory=lambda: {key: [] for key in COUNTED})

    def add(self, step: Step, today: date) -> None:
        self.record(step.customer_id, *outcome(step, today))

    def record(self, customer_id: str, key: str, days_late: int | None) -> None:
        """One step of `customer_id` with its `outcome`."""
        self.due += 1
        self.members["due"].append(customer_id)
        if key == "held_on_time":
            self.on_time += 1
        elif key == "late":
            self.late += 1
        elif key == "not_yet_held":
            self.missing += 1
        else:
            self.pending += 1
        if days_late is not None:
            self.days_late.append(days_late)
        self.members[key].append(customer_id)

    def row(self, label: str) -> tuple[Any, ...]:
        decided = self.on_time + self.late + self.missing
        return (Label(label), self.due, self.on_time, self.late, self.missing, self.pending,
                self.on_time / decided if decided else None,
                float(statistics.median(self.days_late)) if self.days_late else None)


def tally(steps: list[tuple[Facts, Step]], today: date) -> dict[str, Tally]:
    tallies = {key: Tally() for key, _label in GROUPS}
    for facts, step in steps:
        key, days_late = outcome(step, today)  # once per step, not once per group
        for group in groups_on(facts, step.due_on):
            tallies[group].record(step.customer_id, key, days_late)
    return tallies


# The groups as bits (`group_mask`): the per-customer summary stores each step's groups
# on its due day (app.services.reports.timeliness_steps).
GROUP_BITS = tuple((key, 1 << index) for index, (key, _label) in enumerate(GROUPS))


def group_mask(f: Facts, day: date) -> int:
    """`groups_on` as bits (GROUP_BITS)."""
    found = set(groups_on(f, day))
    return sum(bit for key, bit in GROUP_BITS if key in found)


def tally_masked(steps: Iterable[tuple[str, date, date | None, int]], today: date
                 ) -> dict[str, Tally]:
    """`tally` of steps given as (customer, due day, held day, `group_mask`)."""
    tallies = {key: Tally() for key, _label in GROUPS}
    bits = [(tallies[key], bit) for key, bit in GROUP_BITS]
    for customer_id, due_on, held_on, mask in steps:
        key, days_late = outcome(Step(customer_id, due_on, held_on), today)
        for found, bit in bits:
            if mask & bit:
                found.record(customer_id, key, days_late)
    return tallies


def _table(name: str, title: str, note: str, steps: list[tuple[Facts, Step]],
           today: date) -> ReportTable:
    return _table_of(name, title, note, tally(steps, today))


def _table_of(name: str, title: str, note: str, tallies: dict[str, Tally]) -> ReportTable:
    rows = tuple(tallies[key].row(label) for key, label in GROUPS)
    members = Members()
    for index, (key, _label) in enumerate(GROUPS):
        for column, ids in tallies[key].members.items():
            members.add(index, column, ids)
    return ReportTable(
        name, title,
        (Column("group", N_("Group"), TEXT), Column("due", N_("Due in the period"), COUNT),
         Column("held_on_time", N_("Held on time"), COUNT),
         Column("late", N_("Held late"), COUNT),
         Column("not_yet_held", N_("Overdue, not held"), COUNT),
         Column("pending", N_("Not yet due"), COUNT),
         Column("share_on_time", N_("On time (%)"), PERCENT),
         Column("median_days_late", N_("Median days late"), NUMBER)),
        rows, ChartSpec("hbars", "group", ("share_on_time",), percent=True), note=note,
        members=members.result())



def _counted(f: ReportFilter, scope: Scope, steps: Iterable[Step]
             ) -> list[tuple[Facts, Step]]:
    """The steps due in the period whose case was open on the due day."""
    return [(scope.facts[step.customer_id], step) for step in steps
            if f.date_from <= step.due_on <= f.date_to
            and scope.open_on(step.customer_id, step.due_on)]


def _counted_cycles(f: ReportFilter, scope: Scope,
                    steps: Iterable[tuple[Cycle, Step]]) -> list[tuple[Facts, Step]]:
    """The steps due in the period whose own job-search period was open on the due day."""
    return [(cycle.facts, step) for cycle, step in steps
            if f.date_from <= step.due_on <= f.date_to
            and scope.open_in(cycle, step.customer_id, step.due_on)]


def _registered_in(f: ReportFilter, first: date) -> Any:
    """Customers registered, or whose later job-search period opened, from `first` to
    the period's end: those whose initial interview can fall due in the period."""
    again = (select(JobSearchPeriod.customer_id)
             .where(JobSearchPeriod.opened_on >= first, JobSearchPeriod.opened_on <= f.date_to,
                    JobSearchPeriod.deleted_at.is_(None)))
    return or_(and_(Customer.jobseeker_registered_on >= first,
                    Customer.jobseeker_registered_on <= f.date_to),
               and_(Customer.jobseeker_registered_on <= f.date_to, Customer.id.in_(again)))


def interview_steps(s: Session, f: ReportFilter) -> list[tuple[Facts, Step]]:
    """The initial interviews due in the period, counted (the targets use them too)."""
    scope = read_scope(s, f, _registered_in(f, f.date_from - INTERVIEW_REACH),
                       kinds=RESTARTS_CLOCK)
    first, last = f.date_from, f.date_to
    counted: list[tuple[Facts, Step]] = []
    for cid, facts in scope.facts.items():
        periods = scope.periods.get(cid)
        if periods is not None and len(periods) > 1:
            counted += _counted_cycles(f, scope, (
                (cycle, step) for cycle in scope.cycles(cid)
                if (step := interview_step(cycle.facts)) is not None))
            continue
        # One period or none (most customers): `cycles` gives the customer's own facts,
        # so the step is asked of them directly, and only when due in the period.
        if facts.registered_on is None:
            continue
        due_on = interview_due(facts.registered_on)
        if not first <= due_on <= last:
            continue
        if not _open_single(scope, cid, periods, due_on):
            continue
        counted.append((facts, Step(cid, due_on, interview_on(facts))))
    return counted


def _open_single(scope: Scope, cid: str, periods: list[tuple[date, date | None]] | None,
                 day: date) -> bool:
    """`Scope.open_in` of the one cycle of a customer with one stored period or none."""
    if not periods:
        return scope.active.get(cid, False)
    opened, closed = periods[0]
    return opened <= day and (closed is None or closed >= day)


def _interviews_counted(s: Session, f: ReportFilter, today: date
                        ) -> list[tuple[Facts, Step]]:
    return interview_steps(s, f)


def _conversations_counted(s: Session, f: ReportFilter, today: date
                           ) -> list[tuple[Facts, Step]]:
    first, last = f.date_from - CONVERSATION_REACH[0], f.date_to - CONVERSATION_REACH[1]
    recent = (select(Appointment.customer_id)
              .where(Appointment.status == AppointmentStatus.DONE,
                     Appointment.deleted_at.is_(None),
                     Appointment.type.in_([k.value for k in RESTARTS_CLOCK]),
                     Appointment.local_day >= first - timedelta(days=1),
                     Appointment.local_day <= last + timedelta(days=1)))
    # Every step is due three months after a meeting held (the interview, or the
    # conversation before it): only customers with one such meeting in reach.
    scope = read_scope(s, f, Customer.jobseeker_registered_on <= f.date_to,
                       Customer.id.in_(recent), kinds=RESTARTS_CLOCK, held_from=first)
    counted: list[tuple[Facts, Step]] = []
    for cid, facts in scope.facts.items():
        periods = scope.periods.get(cid)
        if periods is not None and len(periods) > 1:
            counted += _counted_cycles(f, scope, (
                (cycle, step) for cycle in scope.cycles(cid)
                for step in conversation_steps(
                    cycle.facts, [d for k, d in cycle.held if k in RESTARTS_CLOCK],
                    f.date_to)))
            continue
        # One period or none (most customers): the one cycle is the customer's own facts
        # and meetings (`cycles`), asked directly.
        held = [d for k, d in scope.held.get(cid, ()) if k in RESTARTS_CLOCK]
        for step in conversation_steps(facts, held, f.date_to):
            if step.due_on >= f.date_from and _open_single(scope, cid, periods, step.due_on):
                counted.append((facts, step))
    return counted


def _reviews_counted(s: Session, f: ReportFilter, today: date
                     ) -> list[tuple[Facts, Step]]:
    scope = read_scope(s, f, Customer.id.in_(
        select(Plan.customer_id).join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(Plan.deleted_at.is_(None), *_reviews_in(f))), kinds=REVIEWS_PLAN)
    reviews = review_steps(s, f, scope) if scope.facts else {}
    steps = (step for rows in reviews.values() for step in rows)
    return _counted(f, scope, steps)


def _activation_counted(s: Session, f: ReportFilter, today: date
                        ) -> list[tuple[Facts, Step]]:
    # Only customers with labour-market subsidy (a period of it, or Kela's count) reach
    # the limit; the meetings are not needed.
    subsidy = select(UnemploymentPeriod.customer_id).where(
        UnemploymentPeriod.benefit == BenefitType.LABOUR_MARKET_SUBSIDY,
        UnemploymentPeriod.deleted_at.is_(None), UnemploymentPeriod.starts_on <= f.date_to)
    counted = select(CaseFacts.customer_id).where(CaseFacts.subsidy_days.is_not(None),
                                                  CaseFacts.deleted_at.is_(None))
    scope = read_scope(s, f, Customer.birth_date.is_not(None),
                       or_(Customer.id.in_(subsidy), Customer.id.in_(counted)), kinds=())
    steps: list[Step] = []
    if scope.facts:
        read_subsidy_facts(s, scope)
        spells = subsidy_spells(s, scope)
        made = plans_made(s, scope, PlanType.ACTIVATION)
        for cid, facts in scope.facts.items():
            step = activation_step(facts, spells.get(cid, []), made.get(cid, []), today,
                                   f.date_to)
            if step is not None:
                steps.append(step)
    return _counted(f, scope, steps)


def _integration_counted(s: Session, f: ReportFilter, today: date
                         ) -> list[tuple[Facts, Step]]:
    scope = read_scope(s, f, _registered_in(f, f.date_from - INTERVIEW_REACH),
                       Customer.first_residence_permit_on.is_not(None), kinds=())
    made = plans_made(s, scope, PlanType.INTEGRATION) if scope.facts else {}
    steps = ((cycle, step) for cid in scope.facts for cycle in scope.cycles(cid)
             if (step := integration_step(cycle, made.get(cid, []))) is not None)
    return _counted_cycles(f, scope, steps)


# Each report's steps read directly from the synchronised tables (the reference the
# per-customer summary, app.services.reports.timeliness_steps, is tested against).
DIRECT = {
    "initial_interviews_on_time": _interviews_counted,
    "job_search_conversations_on_time": _conversations_counted,
    "plan_reviews_on_time": _reviews_counted,
    "activation_plans_on_time": _activation_counted,
    "integration_plans_on_time": _integration_counted,
}

TEXTS = {
    "initial_interviews_on_time": (
        N_("Initial interviews on time"),
        N_("Initial interviews whose statutory deadline (5 working days from the "
           "registration, 10 from 1.1.2026, by the rule of the registration day) falls in "
           "the period, for cases open on that day. Days late: calendar days from the "
           "deadline to the interview, or to today for those not yet held.")),
    "job_search_conversations_on_time": (
        N_("Job-search conversations on time"),
        N_("Job-search conversations falling due in the period: three months after the "
           "initial interview or the previous job-search conversation held, for cases "
           "open on that day. Held on time: the next one held by the due day. Days late: "
           "calendar days from the due day to the conversation, or to today.")),
    "plan_reviews_on_time": (
        N_("Plan reviews on time"),
        N_("Accepted plans whose review date falls in the period, for cases open on that "
           "day. Reviewed: a later version of the plan accepted, or a plan review or "
           "job-search conversation held, by the review date. Days late: calendar days "
           "from the review date to the review, or to today.")),
    "activation_plans_on_time": (
        N_("Activation plans made when due"),
        N_("Activation plans falling due in the period, as the customer's clock counts "
           "them (189/2001: under 25, 180 days of labour-market subsidy within 12 months; "
           "from 25, 500 days, or 180 after the maximum period of allowance), for cases "
           "open on that day. Made: an activation plan accepted. Days late: calendar days "
           "from the due day to the plan, or to today.")),
    "integration_plans_on_time": (
        N_("Integration plans made when due"),
        N_("Integration plans of customers in their integration period (first residence "
           "permit under three years old), due by the initial interview's deadline of "
           "the job-search period, for cases open on that day. Made: an integration plan "
           "accepted in that period. Days late: calendar days from the deadline to the "
           "plan, or to today.")),
}


def report(name: str, s: Session, f: ReportFilter, inputs: ReportInputs,
           direct: bool = False) -> ReportTable:
    """The timeliness report `name`: its steps from the workstation's per-customer
    summary (timeliness_steps), or with `direct` (or without the summary's tables)
    computed from the synchronised tables."""
    from app.services.reports import timeliness_steps

    title, note = TEXTS[name]
    steps = None if direct else timeliness_steps.counted(s, name, f, inputs.today)
    if steps is not None:
        return _table_of(name, title, note, tally_masked(steps, inputs.today))
    return _table(name, title, note, DIRECT[name](s, f, inputs.today), inputs.today)


def initial_interviews_on_time(s: Session, f: ReportFilter, inputs: ReportInputs
                               ) -> ReportTable:
    return report("initial_interviews_on_time", s, f, inputs)


def job_search_conversations_on_time(s: Session, f: ReportFilter, inputs: ReportInputs
                                     ) -> ReportTable:
    return report("job_search_conversations_on_time", s, f, inputs)


def plan_reviews_on_time(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    return report("plan_reviews_on_time", s, f, inputs)


def activation_plans_on_time(s: Session, f: ReportFilter, inputs: ReportInputs
                             ) -> ReportTable:
    return report("activation_plans_on_time", s, f, inputs)


def integration_plans_on_time(s: Session, f: ReportFilter, inputs: ReportInputs
                              ) -> ReportTable:
    return report("integration_plans_on_time", s, f, inputs)
