"""A service contract's places: the period a day falls in, the places used in it, and
the next period with a place free. No I/O: the services count the referrals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from app.rules.codes import PlacesPeriod, ReferralState

# A referral takes a place from the day it is sent until it is declined: sent, accepted,
# started, interrupted and completed referrals count (an interrupted one used its place).
USES_A_PLACE = frozenset({ReferralState.SENT, ReferralState.ACCEPTED, ReferralState.STARTED,
                          ReferralState.INTERRUPTED, ReferralState.COMPLETED})


@dataclass(frozen=True)
class ContractTerms:
    starts_on: date
    ends_on: date
    places: int | None  # None: no limit agreed
    places_per: PlacesPeriod


@dataclass(frozen=True)
class Places:
    period_start: date
    period_end: date
    places: int | None
    used: int
    # The first later period of the contract with a place free, when this one is full.
    next_free: tuple[date, date] | None

    @property
    def left(self) -> int | None:
        return None if self.places is None else max(self.places - self.used, 0)

    @property
    def full(self) -> bool:
        return self.places is not None and self.used >= self.places


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def period_of(terms: ContractTerms, day: date) -> tuple[date, date]:
    """The places period `day` falls in, clipped to the contract (a day outside the
    contract falls in its first or last period)."""
    day = min(max(day, terms.starts_on), terms.ends_on)
    per = terms.places_per
    if per == PlacesPeriod.CONTRACT:
        start, end = terms.starts_on, terms.ends_on
    elif per == PlacesPeriod.YEAR:
        start, end = date(day.year, 1, 1), date(day.year, 12, 31)
    elif per == PlacesPeriod.QUARTER:
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        start, end = first, _add_months(first, 3) - timedelta(days=1)
    else:
        start = _month_start(day)
        end = _add_months(start, 1) - timedelta(days=1)
    return max(start, terms.starts_on), min(end, terms.ends_on)


def periods(terms: ContractTerms) -> list[tuple[date, date]]:
    """Every places period of the contract, in order."""
    out: list[tuple[date, date]] = []
    day = terms.starts_on
    while day <= terms.ends_on:
        period = period_of(terms, day)
        out.append(period)
        day = period[1] + timedelta(days=1)
    return out


def places_on(terms: ContractTerms, day: date, sent_days: Iterable[date]) -> Places:
    """Places in the period of `day`, given the days the contract's place-using referrals
    were sent; and, when that period is full, the next period with a place free."""
    sent = list(sent_days)
    start, end = period_of(terms, day)

    def used(a: date, b: date) -> int:
        return sum(1 for d in sent if a <= d <= b)

    here = used(start, end)
    next_free = None
    if terms.places is not None and here >= terms.places:
        for a, b in periods(terms):
            if a > end and used(a, b) < terms.places:
                next_free = (a, b)
                break
    return Places(start, end, terms.places, here, next_free)
