"""Days unemployed and the 100-day mark (DOMAIN.md: the municipality starts paying part
of the unemployment benefit when unemployment reaches 100 days). The statutory clock in
working days comes with the coaching issue; here the card shows calendar days."""

from __future__ import annotations

from datetime import date, timedelta

HUNDRED_DAY_MARK = 100


def days_unemployed(since: date | None, today: date) -> int | None:
    if since is None or since > today:
        return None
    return (today - since).days + 1


def hundred_day_date(since: date | None) -> date | None:
    return None if since is None else since + timedelta(days=HUNDRED_DAY_MARK - 1)


def age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    years = today.year - born.year
    return years - ((today.month, today.day) < (born.month, born.day))
