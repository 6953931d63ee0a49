"""The annual targets (issue #25): each target's figure for a year so far, its state
(rules.targets) and its figure per month; reading and changing the targets, which are
area settings ("annual_targets", "annual_target_defaults").

The figures:
- initial interviews on time: the timeliness report's initial-interview steps
  (reports.timeliness, from the statutory clock's rules) due this year before today for
  cases open on the deadline, and of them those held (the first initial interview, or
  without one the first job-search conversation) on or before it;
- the largest caseload: open cases (Customer.active) per active coach today, as the
  caseloads report;
- long-term unemployed among open cases (rules.groups.is_long_term): today from
  Customer.active, at the end of each past month from the job-search periods open then;
- feedback satisfied: answers scoring 4-5 of all answers (rules.feedback, as the feedback
  report);
- work or studies: job-search periods closed this year with a work or study reason
  (rules.targets.WORK_OR_STUDY), of all closed;
- employed or studying 6 months after a service: the purchased-services effect report's
  six-month points (reports.purchased.effect_points, as its total row counts them) for
  the year so far and for each month, so the target and that report agree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.dto.reports import ReportFilter
from app.models import Customer, Feedback, JobSearchPeriod, Staff
from app.rules import feedback as feedback_rules
from app.rules import targets as rules
from app.rules.codes import Role
from app.rules.groups import is_long_term
from app.rules.permissions import Permission, allowed
from app.rules.settings import default
from app.services.errors import ValidationFailed
from app.services.feedback import tally_columns, tally_of
from app.services.reports import outcomes, purchased, sql, timeliness
from app.services.settings import SettingsService

ANNUAL = "annual_targets"
DEFAULTS = "annual_target_defaults"


def month_starts(year: int, through: date) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13) if date(year, m, 1) <= through]


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def percent(part: int, whole: int) -> float | None:
    return None if not whole else 100.0 * part / whole


class TargetsService:
    def __init__(self, ctx: Any, settings: SettingsService) -> None:
        self.ctx = ctx
        self.settings = settings

    # --- the targets ----------------------------------------------------------------

    def targets(self, year: int) -> dict[str, float]:
        """The targets in force in `year` (its own, else the defaults)."""
        self.ctx.require(Permission.REPORTS_READ)
        return rules.targets_of_year(year, self.defaults(), self.settings.get(ANNUAL))

    def defaults(self) -> dict[str, Any]:
        """The area's defaults over the declared ones (a target added later has one)."""
        return {**default(DEFAULTS), **self.settings.get(DEFAULTS)}

    def may_edit(self) -> bool:
        actor = self.ctx.actor
        return actor is not None and allowed(actor.role, Permission.SETTINGS_EDIT)

    def set_targets(self, year: int, values: dict[str, Any]) -> None:
        """Save targets of `year` ({key: value}); every value checked first, nothing
        saved when one is refused (ValidationFailed names each)."""
        self.ctx.require(Permission.SETTINGS_EDIT)
        problems = {} if rules.year_problem(year) is None else {"year": rules.NOT_A_YEAR}
        problems.update(rules.values_problems(values))
        if problems:
            raise ValidationFailed(problems)
        annual = dict(self.settings.get(ANNUAL))
        own = dict(annual.get(str(year)) or {})
        for key, value in values.items():
            unit = rules.BY_KEY[key].unit
            own[key] = int(value) if unit == rules.COUNT or value == int(value) else value
        annual[str(year)] = own
        self.settings.set(ANNUAL, annual)

    def set_target(self, year: int, key: str, value: Any) -> None:
        self.set_targets(year, {key: value})

    # --- the figures ----------------------------------------------------------------

    def report(self, year: int) -> rules.TargetsReport:
        self.ctx.require(Permission.REPORTS_READ)
        if rules.year_problem(year):
            raise ValidationFailed({"year": rules.NOT_A_YEAR})
        today = self.ctx.today()
        targets = rules.targets_of_year(year, self.defaults(), self.settings.get(ANNUAL))
        through = min(date(year, 12, 31), today)
        if through < date(year, 1, 1):
            return rules.TargetsReport(year, None, tuple(
                rules.TargetFigure(t.key, targets[t.key], None, 0, (), None)
                for t in rules.TARGETS))
        with self.ctx.reading() as s:
            computed = {
                rules.INTERVIEWS_ON_TIME: interviews_on_time(s, year, today),
                rules.CASELOAD_MAX: largest_caseload(s, year, today),
                rules.LONG_TERM_SHARE: long_term_share(s, year, today),
                rules.FEEDBACK_SATISFIED: feedback_satisfied(s, year, through),
                rules.WORK_OR_STUDY_EXITS: work_or_study_exits(s, year, through),
                rules.SERVICE_EFFECT: service_effect(s, year, through, today),
            }
        figures = []
        for definition in rules.TARGETS:
            figure, counted, months = computed[definition.key]
            target = targets[definition.key]
            figures.append(rules.TargetFigure(
                definition.key, target, figure, counted, tuple(months),
                rules.state(definition, target, figure)))
        return rules.TargetsReport(year, through, tuple(figures))


Computed = tuple[float | None, int, list[tuple[date, float | None]]]


def interviews_on_time(s: Session, year: int, today: date) -> Computed:
    """Deadlines falling in `year` before today, for cases open on the deadline; held on
    time by the first interview (else the first job-search conversation): the very steps
    of the timeliness report (reports.timeliness), so the target and that report agree."""
    last = min(date(year, 12, 31), today - timedelta(days=1))
    period = ReportFilter(date(year, 1, 1), last)
    per_month: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    on_time = due = 0
    for _facts, step in timeliness.interview_steps(s, period):
        ok = step.held_on is not None and step.held_on <= step.due_on
        on_time += ok
        due += 1
        bucket = per_month[step.due_on.replace(day=1)]
        bucket[0] += ok
        bucket[1] += 1
    months = [(m, percent(*per_month[m]) if m in per_month else None)
              for m in month_starts(year, min(date(year, 12, 31), today))]
    return percent(on_time, due), due, months


def largest_caseload(s: Session, year: int, today: date) -> Computed:
    """Today's largest caseload; only for the current year (its history is not kept)."""
    months: list[tuple[date, float | None]] = [
        (m, None) for m in month_starts(year, min(date(year, 12, 31), today))]
    if year != today.year:
        return None, 0, months
    counts = (select(Customer.coach_id, func.count().label("n"))
              .where(Customer.deleted_at.is_(None), Customer.active.is_(True))
              .group_by(Customer.coach_id).subquery())
    rows = s.execute(
        select(func.coalesce(counts.c.n, 0))
        .select_from(Staff).outerjoin(counts, counts.c.coach_id == Staff.id)
        .where(Staff.deleted_at.is_(None), Staff.active.is_(True),
               Staff.role == Role.COACH)).scalars().all()
    if not rows:
        return None, 0, months
    largest = max(rows)
    if months:
        months[-1] = (months[-1][0], float(largest))
    return float(largest), len(rows), months


def _long_term_of(since_counts: list[tuple[date | None, int]], on: date
                  ) -> tuple[float | None, int]:
    total = sum(n for _since, n in since_counts)
    long_term = sum(n for since, n in since_counts if is_long_term(since, on))
    return percent(long_term, total), total


def long_term_share(s: Session, year: int, today: date) -> Computed:
    months: list[tuple[date, float | None]] = []
    figure: float | None = None
    counted = 0
    for first in month_starts(year, min(date(year, 12, 31), today)):
        end = month_end(first)
        if end >= today:  # this month: the open cases today
            rows = s.execute(
                select(Customer.unemployed_since, func.count())
                .where(Customer.deleted_at.is_(None), Customer.active.is_(True))
                .group_by(Customer.unemployed_since)).all()
            on = today
        else:
            rows = s.execute(
                select(Customer.unemployed_since, func.count(func.distinct(Customer.id)))
                .join(JobSearchPeriod, JobSearchPeriod.customer_id == Customer.id)
                .where(Customer.deleted_at.is_(None), JobSearchPeriod.deleted_at.is_(None),
                       JobSearchPeriod.opened_on <= end,
                       or_(JobSearchPeriod.closed_on.is_(None),
                           JobSearchPeriod.closed_on > end))
                .group_by(Customer.unemployed_since)).all()
            on = end
        share, counted = _long_term_of([(since, n) for since, n in rows], on)
        months.append((first, share))
        figure = share
    return figure, counted, months


def feedback_satisfied(s: Session, year: int, through: date) -> Computed:
    f = ReportFilter(date(year, 1, 1), through)
    month = sql.month_of(sql.local_day(Feedback.answered_at, f))
    found = {m: tally_of(sums) for m, *sums in s.execute(
        select(month, *tally_columns()).where(*outcomes.feedback_filters(f))
        .group_by(month))}
    total = tally_of(s.execute(
        select(*tally_columns()).where(*outcomes.feedback_filters(f))).one())
    months = []
    for first in sql.months(f):
        tally = found.get(first.isoformat())
        months.append((first, feedback_rules.figures(tally).satisfaction if tally else None))
    return feedback_rules.figures(total).satisfaction, total.answers, months


def work_or_study_exits(s: Session, year: int, through: date) -> Computed:
    rows = s.execute(
        select(JobSearchPeriod.closed_on, JobSearchPeriod.exit_reason)
        .where(JobSearchPeriod.deleted_at.is_(None),
               JobSearchPeriod.closed_on >= date(year, 1, 1),
               JobSearchPeriod.closed_on <= through)).all()
    per_month: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for closed_on, reason in rows:
        if closed_on is None:
            continue
        bucket = per_month[closed_on.replace(day=1)]
        bucket[0] += str(reason) in rules.WORK_OR_STUDY
        bucket[1] += 1
    months = [(m, percent(*per_month[m]) if m in per_month else None)
              for m in month_starts(year, through)]
    good = sum(b[0] for b in per_month.values())
    return percent(good, len(rows)), len(rows), months


def service_effect(s: Session, year: int, through: date, today: date) -> Computed:
    """The effect report's six-month points (reports.purchased.effect_points, as its total
    row counts them) for the year so far, and by the month each point fell in."""
    per_month: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for p in purchased.effect_points(s, ReportFilter(date(year, 1, 1), through), today):
        if p.months == 6:
            bucket = per_month[p.point.replace(day=1)]
            bucket[0] += p.result == "good"
            bucket[1] += 1
    months = [(m, percent(*per_month[m]) if m in per_month else None)
              for m in month_starts(year, through)]
    good = sum(b[0] for b in per_month.values())
    counted = sum(b[1] for b in per_month.values())
    return percent(good, counted), counted, months
