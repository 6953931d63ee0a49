"""Age, and the days unemployed and the 100-day mark for callers that need no more.

There is one 100-day count, the statutory clock's (`rules.clock`): benefit days, Monday to
Friday with weekday holidays included, day 1 the first benefit day when it is known, else
estimated from the start of unemployment. These delegate to it (imported when asked: the
clock loads the holiday calendars, and this module is imported by views that never count).
"""

from __future__ import annotations

from datetime import date


def days_unemployed(since: date | None, today: date,
                    first_benefit_on: date | None = None) -> int | None:
    from app.rules import clock

    return clock.days_unemployed(since, today, first_benefit_on)


def hundred_day_date(since: date | None, today: date,
                     first_benefit_on: date | None = None) -> date | None:
    from app.rules import clock

    mark = clock.hundred_day_date(since, today, first_benefit_on)
    return None if mark is None else mark.due_on


def age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    years = today.year - born.year
    return years - ((today.month, today.day) < (born.month, born.day))
