"""Finnish working days: Monday to Friday, not a public holiday.

Public holidays come from the `holidays` package (Finland), which knows the moving feasts
(Easter, Ascension Day, Midsummer, All Saints' Day) and the fixed ones (New Year, Epiphany,
May Day, Independence Day, Christmas). Christmas Eve and Midsummer Eve are not public
holidays by law, but government offices and the employment services are closed on them;
the statutory counts treat them as non-working days, as the service points do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache

import holidays

# The holidays package's language codes for the application's languages.
_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}
# Closed although not public holidays in the holidays package's sense (see above).
_CHRISTMAS_EVE = {"fi": "Jouluaatto", "sv": "Julafton", "en": "Christmas Eve"}
_MIDSUMMER_EVE = {"fi": "Juhannusaatto", "sv": "Midsommarafton", "en": "Midsummer Eve"}


@cache
def _finnish_holidays(year: int, lang: str = "fi") -> dict[date, str]:
    lang = lang if lang in _LANGUAGES else "fi"
    days = dict(holidays.Finland(years=year, language=_LANGUAGES[lang]).items())
    days.setdefault(date(year, 12, 24), _CHRISTMAS_EVE[lang])
    # Midsummer Eve: the Friday between 19 and 25 June.
    for day in range(19, 26):
        eve = date(year, 6, day)
        if eve.weekday() == 4:
            days.setdefault(eve, _MIDSUMMER_EVE[lang])
    return days


def holiday_name(day: date, lang: str = "fi") -> str | None:
    """The name of the holiday on `day` in `lang` (fi, sv, en), or None on an ordinary
    day."""
    return _finnish_holidays(day.year, lang).get(day)


def holidays_between(first: date, last: date, lang: str = "fi") -> dict[date, str]:
    """Every holiday from `first` to `last` inclusive, by date, named in `lang`."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in _finnish_holidays(year, lang).items():
            if first <= day <= last:
                found[day] = name
    return dict(sorted(found.items()))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (start itself is day zero), so a
    deadline of "N working days from registration" is add_working_days(registered, N).
    The result is always a working day when count > 0."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(first: date, last: date) -> int:
    """Working days after `first` up to and including `last` (0 when last <= first)."""
    return sum(1 for d in iter_days(first + timedelta(days=1), last) if is_working_day(d))


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def iter_days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
