"""The statutory clock of one jobseeker: every figure from `statutory.RULES`, counted in
Finnish working days (`workdays`). Pure functions: the services gather the dates (the
registration, the last conversation, the plan) and hand them in.

A deadline whose last day is not a working day moves to the next working day (the rule
"deadline_on_holiday"), so no deadline this module returns falls on a weekend, a public
holiday or an eve the offices are closed on.
"""

from __future__ import annotations

from bisect import bisect_right
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from app.rules.statutory import Deadline, StatutoryRule, initial_interview_deadline, rule_for
from app.rules.workdays import add_working_days, holidays_between, next_working_day


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


# --- days unemployed and the 100-day mark ---------------------------------------------

def days_unemployed(since: date | None, today: date) -> int | None:
    """Working days unemployed, the first day and today included."""
    if since is None or since > today:
        return None
    return working_days_from(since, today)


def hundred_day_date(since: date | None, today: date) -> Deadline | None:
    """The day the 100-day mark is (or was) reached: the 100th working day from `since`."""
    if since is None:
        return None
    rule = rule_for("hundred_day_mark", today)
    first = next_working_day(since)
    return Deadline("hundred_day_mark", add_working_days(first, rule.value - 1), rule)


def since_range_reaching_mark(first: date, last: date) -> tuple[date, date] | None:
    """The unemployed_since dates whose 100-day mark falls in [first, last]: a date range
    a query can filter on (the mark grows with `since`, so the dates form one range)."""
    rule = rule_for("hundred_day_mark", first)
    # The mark lies 100 working days (140-150 calendar days) after `since`.
    start = first - timedelta(days=rule.value * 7 // 5 + 40)
    hits = [start + timedelta(days=i) for i in range((last - start).days + 1)
            if first <= add_working_days(next_working_day(start + timedelta(days=i)),
                                         rule.value - 1) <= last]
    return (hits[0], hits[-1]) if hits else None


# --- job-search conversations -------------------------------------------------------

@dataclass(frozen=True)
class ConversationPlan:
    """When the next job-search conversation is due, and the initial phase's requirements."""

    initial_interview: Deadline | None  # None once the initial interview is held
    initial_phase_ends: date | None
    supplementary_required: int  # how many supplementary conversations the law requires
    supplementary_rule: StatutoryRule | None
    next_conversation: Deadline | None


def conversations(registered_on: date | None, interview_on: date | None,
                  last_conversation_on: date | None, today: date,
                  plan_supplementary: int = 0) -> ConversationPlan:
    """`interview_on`: when the initial interview was held (None: not yet);
    `last_conversation_on`: the latest conversation of any kind held (interview included);
    `plan_supplementary`: supplementary conversations the plan asks for (from 2026)."""
    if registered_on is None:
        return ConversationPlan(None, None, 0, None, None)
    if interview_on is None:
        interview = initial_interview_deadline(registered_on)
        return ConversationPlan(interview, None, 0, None, interview)
    phase = rule_for("initial_phase", interview_on)
    phase_end = add_months(interview_on, phase.value)
    supplementary = rule_for("supplementary_conversations", interview_on)
    required = supplementary.value if supplementary.value else plan_supplementary
    interval = rule_for("job_search_conversation_interval", today)
    # At least every three months from the latest conversation held (the interview
    # included, so the first falls at the end of the initial phase).
    latest = max(d for d in (interview_on, last_conversation_on) if d is not None)
    next_on = due(add_months(latest, interval.value))
    return ConversationPlan(None, due(phase_end), required, supplementary,
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
class ActivationDue:
    due_on: date
    rule: StatutoryRule
    paid_days: int  # the subsidy days counted up to the due date
    approximate: bool = True  # counted from the periods held here, not Kela's paid days


def _paid_days(spells: Iterable[SubsidySpell], horizon: date) -> list[date]:
    """Every weekday of subsidy up to `horizon`: the subsidy is paid five days a week,
    holidays included, so weekdays approximate the paid days."""
    days: set[date] = set()
    for spell in spells:
        end = min(spell.ends_on or horizon, horizon)
        day = spell.starts_on
        while day <= end:
            if day.weekday() < 5:
                days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def activation_plan_due(born: date | None, spells: list[SubsidySpell], today: date,
                        horizon_days: int = 730) -> ActivationDue | None:
    """When an activation plan falls due, approximated from the subsidy periods the
    application holds (an open period is assumed to continue). Under 25: the day the
    subsidy days within the last 12 months reach 180; from 25: the day they reach 500."""
    if born is None or not spells:
        return None
    horizon = today + timedelta(days=horizon_days)
    days = _paid_days(spells, horizon)
    limit = rule_for("activation_age_limit", today).value
    young, window = rule_for("activation_days_young", today), rule_for(
        "activation_window_young", today)
    adult = rule_for("activation_days_adult", today)
    first = 0
    for index, day in enumerate(days):
        age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if age < limit:
            window_start = add_months(day, -window.value)
            while days[first] <= window_start:
                first += 1
            if index - first + 1 >= young.value:
                return ActivationDue(due(day), young, index - first + 1)
        elif index + 1 >= adult.value:
            return ActivationDue(due(day), adult, index + 1)
    return None
