"""The statutory clock of one jobseeker: every figure from `statutory.RULES`. Pure
functions: the services gather the dates (the registration, the conversations held, the
plan, the case facts) and hand them in. docs/statutory-clock.md describes every rule.

Two counts, never mixed:
- the authority's deadlines (the initial interview) in working days: Monday to Friday,
  not public holidays, not Christmas Eve or Midsummer Eve (`workdays`);
- benefit days (the 100-day mark, the activation plan): Monday to Friday, public holidays
  included, because the benefit is paid five days a week.

A deadline whose last day is not a working day moves to the next working day (the rule
"deadline_on_holiday"), so no deadline this module returns falls on a weekend, a public
holiday or an eve the offices are closed on. The 100-day mark is not a deadline: it is
the day the count reaches 100, which may be a weekday holiday.
"""

from __future__ import annotations

from bisect import bisect_right
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from app.rules.statutory import (
    RULES,
    Deadline,
    StatutoryRule,
    initial_interview_deadline,
    rule_for,
)
from app.rules.workdays import holidays_between, next_working_day


def add_months(day: date, months: int) -> date:
    """The same day `months` later, the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def due(day: date) -> date:
    """A deadline's last day, moved off a non-working day (Laki 150/1930, 5 §)."""
    rule_for("deadline_on_holiday", day)  # documents the source; raises if none in force
    return next_working_day(day)


# --- counting working days fast (lists show hundreds of customers at a time) ----------

@cache
def _weekday_holidays(year: int) -> tuple[date, ...]:
    return tuple(d for d in holidays_between(date(year, 1, 1), date(year, 12, 31))
                 if d.weekday() < 5)


def _weekdays_upto(day: date) -> int:
    """Mon-Fri days from 1.1.2000 up to and including `day`."""
    origin = date(1999, 12, 27)  # a Monday
    days = (day - origin).days + 1
    weeks, rest = divmod(days, 7)
    return weeks * 5 + min(rest, 5)


def _holidays_upto(day: date) -> int:
    count = sum(len(_weekday_holidays(y)) for y in range(2000, day.year))
    return count + bisect_right(_weekday_holidays(day.year), day)


def working_days_from(first: date, last: date) -> int:
    """Working days from `first` to `last`, both included (0 when last < first)."""
    if last < first:
        return 0
    before = first - timedelta(days=1)
    return (_weekdays_upto(last) - _weekdays_upto(before)
            - _holidays_upto(last) + _holidays_upto(before))


# --- benefit days: the 100-day mark and the activation count ------------------------
# The unemployment benefit is paid for five days a calendar week, Monday to Friday, public
# holidays included (Kotus; Kela). So a benefit day is any weekday, and the counts below
# never look at the holiday calendar: a weekday holiday is a benefit day too.

def benefit_days_from(first: date, last: date) -> int:
    """Benefit days (Mon-Fri, holidays included) from `first` to `last`, both included."""
    if last < first:
        return 0
    return _weekdays_upto(last) - _weekdays_upto(first - timedelta(days=1))


def next_benefit_day(day: date) -> date:
    """`day` itself on Monday to Friday, else the Monday after."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() > 4 else day


def nth_benefit_day(day_one: date, n: int) -> date:
    """The `n`-th benefit day counting from `day_one` (moved to a weekday) as the first."""
    day = next_benefit_day(day_one)
    weeks, rest = divmod(n - 1, 5)
    day += timedelta(weeks=weeks)
    for _ in range(rest):
        day = next_benefit_day(day + timedelta(days=1))
    return day


@dataclass(frozen=True)
class DayOne:
    """Day 1 of the 100-day count: the first benefit day when it is known (CaseFacts),
    else the first weekday of unemployment, an estimate (the card says "about")."""

    on: date
    approximate: bool


def day_one(since: date | None, first_benefit_on: date | None = None) -> DayOne | None:
    if first_benefit_on is not None:
        return DayOne(next_benefit_day(first_benefit_on), False)
    if since is not None:
        return DayOne(next_benefit_day(since), True)
    return None


def _mark_rule(on: date) -> StatutoryRule:
    """The 100-day rule in force on `on`; before it came into force (TE24, 1.1.2025) the
    same count, so that reports of earlier months still count."""
    try:
        return rule_for("hundred_day_mark", on)
    except LookupError:
        return min((r for r in RULES if r.key == "hundred_day_mark"),
                   key=lambda r: r.effective_from)


def days_unemployed(since: date | None, today: date,
                    first_benefit_on: date | None = None) -> int | None:
    """Benefit days from day 1 up to and including today (None: not unemployed)."""
    start = day_one(since, first_benefit_on)
    if start is None or (since or start.on) > today:
        return None
    return benefit_days_from(start.on, today)


def hundred_day_date(since: date | None, today: date,
                     first_benefit_on: date | None = None) -> Deadline | None:
    """The day the 100-day mark is (or was) reached: the 100th benefit day counting day 1
    as the first. Not a time limit, so not moved off a holiday (a weekday holiday is a
    benefit day); `approximate` when day 1 is estimated from `since`."""
    start = day_one(since, first_benefit_on)
    if start is None:
        return None
    rule = _mark_rule(today)
    return Deadline("hundred_day_mark", nth_benefit_day(start.on, rule.value), rule,
                    start.approximate)


def since_range_reaching_mark(first: date, last: date) -> tuple[date, date] | None:
    """The start dates (the first benefit day, else `unemployed_since`: both give day 1
    the same way) whose 100-day mark falls in [first, last]: a date range a query can
    filter on (the mark grows with the start, so the dates form one range)."""
    if last < first:
        return None
    rule = _mark_rule(first)
    # The mark lies 100 benefit days, 138-140 calendar days, after day 1.
    start = first - timedelta(days=rule.value * 7 // 5 + 7)
    hits = [start + timedelta(days=i) for i in range((last - start).days + 1)
            if first <= nth_benefit_day(start + timedelta(days=i), rule.value) <= last]
    return (hits[0], hits[-1]) if hits else None


# --- job-search conversations -------------------------------------------------------

@dataclass(frozen=True)
class ConversationPlan:
    """When the next job-search conversation is due, and the initial phase's requirements."""

    initial_interview: Deadline | None  # None once the initial interview is held
    initial_phase_ends: date | None  # None: no formulaic initial phase (from 2026)
    supplementary_required: int  # supplementary conversations in the initial phase
    supplementary_rule: StatutoryRule | None
    next_conversation: Deadline | None


def supplementary_count(interview_on: date) -> int:
    """The supplementary conversations of the close-contact phase before 2026: "about
    every two weeks" in the first three months. The phase is cut into whole intervals of
    that length, the last ending with the job-search conversation, and one is held at each
    cut in between: a three-month phase (89-92 days) holds six two-week intervals and so
    five conversations. 0 from 2026 (none by schedule)."""
    interval = rule_for("supplementary_conversations", interview_on)
    phase = rule_for("initial_phase", interview_on)
    if not interval.value or not phase.value:
        return 0
    days = (add_months(interview_on, phase.value) - interview_on).days
    return max(0, days // (7 * interval.value) - 1)


def conversations(registered_on: date | None, interview_on: date | None,
                  last_conversation_on: date | None, today: date,
                  plan_supplementary: int = 0) -> ConversationPlan:
    """`interview_on`: when the initial interview was held (None: not yet);
    `last_conversation_on`: the latest job-search conversation held. Only the initial
    interview and job-search conversations restart the clock: never a plan review, a
    multi-professional meeting or a supplementary conversation (the caller leaves them
    out). `plan_supplementary`: supplementary conversations the plan asks for (from
    2026, when none are required by schedule)."""
    if registered_on is None:
        return ConversationPlan(None, None, 0, None, None)
    if interview_on is None:
        interview = initial_interview_deadline(registered_on)
        return ConversationPlan(interview, None, 0, None, interview)
    phase = rule_for("initial_phase", interview_on)
    phase_end = due(add_months(interview_on, phase.value)) if phase.value else None
    supplementary = rule_for("supplementary_conversations", interview_on)
    required = supplementary_count(interview_on) if supplementary.value else plan_supplementary
    # Three months from the latest of the initial interview and the job-search
    # conversations held (so before 2026 the first falls at the end of the initial phase;
    # from 2026 "every three months counted from the initial interview", read the same
    # way: docs/statutory-clock.md).
    latest = max(d for d in (interview_on, last_conversation_on) if d is not None)
    interval = rule_for("job_search_conversation_interval", latest)
    next_on = due(add_months(latest, interval.value))
    return ConversationPlan(None, phase_end, required, supplementary,
                            Deadline("job_search_conversation", next_on, interval))


# --- the plan's job-search obligation -------------------------------------------------

@dataclass(frozen=True)
class ReviewPeriod:
    starts_on: date
    ends_on: date
    applications: int
    review_on: date  # the period's applications are reviewed on this working day


def review_periods(obligation_starts_on: date | None, period_months: int | None,
                   applications_per_period: int | None, count: int = 3) -> list[ReviewPeriod]:
    """The plan's job-search review periods (by default three one-month periods of four
    applications each, DOMAIN.md), each reviewed on the working day after it ends."""
    if obligation_starts_on is None or not period_months or applications_per_period is None:
        return []
    periods = []
    start = obligation_starts_on
    for _ in range(count):
        end = add_months(start, period_months) - timedelta(days=1)
        periods.append(ReviewPeriod(start, end, applications_per_period,
                                    due(end + timedelta(days=1))))
        start = end + timedelta(days=1)
    return periods


def current_review(periods: list[ReviewPeriod], today: date) -> ReviewPeriod | None:
    """The period running today, else the next one, else the last one (overdue review)."""
    for period in periods:
        if today <= period.ends_on:
            return period
    return periods[-1] if periods else None


# --- the activation plan --------------------------------------------------------------

@dataclass(frozen=True)
class SubsidySpell:
    """A period of labour-market subsidy; `ends_on` None: still running."""

    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class SubsidyCount:
    """Labour-market subsidy days paid up to and including `on`, from Kela's statement."""

    days: int
    on: date


@dataclass(frozen=True)
class ActivationDue:
    due_on: date
    rule: StatutoryRule
    paid_days: int  # the subsidy days the rule counts, up to the due date
    approximate: bool = True  # the due day is estimated from the periods held here


def _subsidy_days(spells: Iterable[SubsidySpell], known: SubsidyCount | None,
                  horizon: date) -> list[tuple[date, bool]]:
    """Every subsidy day up to `horizon`, each with whether it is estimated. Kela's count
    is taken as an unbroken run of benefit days ending on its date (the statement gives a
    number, not the days); after that date, and without it, the weekdays of the periods
    held here (the subsidy is paid Monday to Friday, holidays included)."""
    days: dict[date, bool] = {}
    after = date.min
    if known is not None and known.days > 0:
        day = known.on
        while day.weekday() > 4:
            day -= timedelta(days=1)
        for _ in range(known.days):
            days[day] = False
            day -= timedelta(days=1)
            while day.weekday() > 4:
                day -= timedelta(days=1)
    if known is not None:
        after = known.on
    for spell in spells:
        end = min(spell.ends_on or horizon, horizon)
        day = max(spell.starts_on, after + timedelta(days=1))
        while day <= end:
            if day.weekday() < 5:
                days.setdefault(day, True)
            day += timedelta(days=1)
    return sorted(days.items())


def activation_plan_due(born: date | None, spells: list[SubsidySpell], today: date,
                        horizon_days: int = 730, *, known: SubsidyCount | None = None,
                        allowance_exhausted_on: date | None = None) -> ActivationDue | None:
    """When an activation plan falls due (189/2001 3 §): under 25, the day the subsidy
    days within the last 12 months reach 180; from 25, the day they reach 500 in all, or
    180 counted from the end of the maximum period of earnings-related or basic allowance
    (`allowance_exhausted_on`), whichever comes first. `known`: Kela's count as of a
    date, the count up to it; after it the open periods are assumed to continue, and only
    a due day found there is approximate."""
    if born is None:
        return None
    horizon = today + timedelta(days=horizon_days)
    days = _subsidy_days(spells, known, horizon)
    if not days:
        return None
    limit = rule_for("activation_age_limit", today).value
    young, window = rule_for("activation_days_young", today), rule_for(
        "activation_window_young", today)
    adult = rule_for("activation_days_adult", today)
    after_allowance = rule_for("activation_days_after_allowance", today)
    first = 0
    since_allowance = 0
    for index, (day, estimated) in enumerate(days):
        if allowance_exhausted_on is not None and day > allowance_exhausted_on:
            since_allowance += 1
        age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if age < limit:
            window_start = add_months(day, -window.value)
            while days[first][0] <= window_start:
                first += 1
            if index - first + 1 >= young.value:
                return ActivationDue(due(day), young, index - first + 1, estimated)
            continue
        if since_allowance >= after_allowance.value:
            return ActivationDue(due(day), after_allowance, since_allowance, estimated)
        if index + 1 >= adult.value:
            return ActivationDue(due(day), adult, index + 1, estimated)
    return None
