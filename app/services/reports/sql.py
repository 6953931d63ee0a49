"""SQL building blocks of the reports: the date range in UTC, local (Helsinki) time in
SQLite, week and month buckets, and quantiles by window functions.

Visits and appointments carry their local day and week precomputed (local-only columns,
app.models.local_time): their reports filter and group on those (`days`, `week_range`)
and read a year from an index alone. The conversions below serve the other tables.

Times are stored as naive UTC text. SQLite knows no time zones, so the local time is the
UTC time plus +2 or +3 hours, chosen by a CASE over the summer-time periods of the years
in the range (computed here from zoneinfo): the buckets stay in SQL, no row comes to
Python just to be converted."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.dto.reports import ReportFilter
from app.i18n import HELSINKI

# date.toordinal() + this = the Julian day number at 00:00 of that date.
JULIAN_OFFSET = 1721424.5


def utc_bounds(f: ReportFilter) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the local dates date_from..date_to."""
    start = datetime.combine(f.date_from, time(), HELSINKI).astimezone(UTC)
    end = datetime.combine(f.date_to + timedelta(days=1), time(), HELSINKI).astimezone(UTC)
    return start, end


# Above this many days a range selects a large part of a year's rows, and reading the
# table straight through is several times faster than the started_at index plus a lookup
# per row (measured on the scale-10 demo: 57 ms against 201 ms for twelve weeks).
INDEX_DAYS = 28


def in_range(column: Any, f: ReportFilter) -> list[Any]:
    """`column` within the filter's dates, by the index only for short ranges: SQLite's
    planner cannot tell how many rows a range holds, so it always takes the index. The
    unary plus (`+visit.started_at`) is SQLite's documented way to leave it out."""
    start, end = utc_bounds(f)
    if (f.date_to - f.date_from).days > INDEX_DAYS:
        column = literal_column(f"+{column.table.name}.{column.name}", column.type)
    return [column >= start, column < end]


def days(column: Any, f: ReportFilter) -> list[Any]:
    """A precomputed local day column (app.models.local_time) within the filter's dates:
    the same rows as `in_range` over the UTC time it is computed from."""
    return [column >= f.date_from, column <= f.date_to]


def week_range(column: Any, f: ReportFilter) -> list[Any]:
    """A precomputed local week (Monday) column over the weeks the dates touch: implied by
    `days`, stated so an index that leads with the week can seek to them."""
    return [column >= weeks(f)[0], column <= f.date_to]


def summer_periods(first_year: int, last_year: int) -> list[tuple[datetime, datetime]]:
    """The UTC [start, end) of each summer-time period (UTC+3) in the years."""
    periods = []
    for year in range(first_year, last_year + 1):
        start = _transition(year, 3)
        end = _transition(year, 10)
        if start and end:
            periods.append((start, end))
    return periods


def _transition(year: int, month: int) -> datetime | None:
    """The UTC hour in `month` where Helsinki's UTC offset changes."""
    probe = datetime(year, month, 1, tzinfo=UTC)
    offset = probe.astimezone(HELSINKI).utcoffset()
    while probe.month == month:
        nxt = probe + timedelta(hours=1)
        if nxt.astimezone(HELSINKI).utcoffset() != offset:
            return nxt
        probe = nxt
    return None


def local_day(column: Any, f: ReportFilter, *, years: tuple[int, int] | None = None
              ) -> ColumnElement[float]:
    """`column` (naive UTC text) as a local Helsinki Julian day number, in SQL.

    The text is parsed once (julianday); the date functions below take the number as it
    is, which makes the buckets several times cheaper than chaining datetime() calls."""
    # Only the years of the range: every instant in it falls in them (no summer time at
    # New Year), and each period left out is two comparisons less per row.
    first, last = years or (f.date_from.year, f.date_to.year)
    summer = [and_(column >= a, column < b) for a, b in summer_periods(first, last)]
    shift: Any = literal(2 / 24)
    if summer:
        shift = case((or_(*summer), literal(3 / 24)), else_=literal(2 / 24))
    return func.julianday(column, type_=Float) + shift


def week_of(local: ColumnElement[float], f: ReportFilter) -> ColumnElement[int]:
    """The week of the local time as a number: 0 is the week the range starts in
    (weeks start on Monday). Arithmetic only, no date text per row: see `weeks`."""
    first = weeks(f)[0]
    midnight = first.toordinal() + JULIAN_OFFSET  # Julian day of that Monday 00:00
    return cast((local - midnight) / 7, Integer)


def month_of(local: ColumnElement[float]) -> ColumnElement[str]:
    return func.strftime("%Y-%m-01", local, type_=String)


def hour_of(local: ColumnElement[float]) -> ColumnElement[int]:
    return cast(func.strftime("%H", local), Integer)


def weeks(f: ReportFilter) -> list[date]:
    """Every Monday of the weeks the range touches: empty weeks show as zero."""
    monday = f.date_from - timedelta(days=f.date_from.weekday())
    out = []
    while monday <= f.date_to:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def months(f: ReportFilter) -> list[date]:
    day = f.date_from.replace(day=1)
    out = []
    while day <= f.date_to:
        out.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return out


def as_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text[:10])


def quantiles(session: Session, group: Any, value: Any, where: Sequence[Any],
              probabilities: Sequence[float] = (0.5, 0.9)
              ) -> dict[Any, tuple[int, list[float]]]:
    """Per group: (count, the quantiles of `value`), linear interpolation between the
    closest ranks (as statistics.quantiles(method="inclusive") and numpy's default).

    SQLite returns a frequency table (group, value, how many): waits are whole minutes,
    so a year of walk-ins is a few hundred rows, and the ranks are walked here. Several
    times faster than numbering every row with a window function."""
    return {g: quantiles_of(h, probabilities)
            for g, h in histograms(session, group, value, where).items()}


def histograms(session: Session, group: Any, value: Any, where: Sequence[Any]
               ) -> dict[Any, list[tuple[float, int]]]:
    """Per group, the ascending frequency table of `value`: [(value, how many), ...]."""
    rows = session.execute(
        select(group, value, func.count()).where(*where, value.is_not(None))
        .group_by(group, value).order_by(group, value)).all()
    out: dict[Any, list[tuple[float, int]]] = defaultdict(list)
    for g, v, n in rows:
        out[g].append((float(v), n))
    return out


def merged(tables: Iterable[list[tuple[float, int]]]) -> list[tuple[float, int]]:
    """One frequency table of several (all hours of the day together)."""
    counts: Counter[float] = Counter()
    for table in tables:
        for v, n in table:
            counts[v] += n
    return sorted(counts.items())


def quantiles_of(histogram: list[tuple[float, int]], probabilities: Sequence[float]
                 ) -> tuple[int, list[float]]:
    """(count, quantiles) of the values of an ascending frequency table."""
    total = sum(n for _v, n in histogram)

    def at(rank: int) -> float:  # the value at a 0-based rank
        seen = 0
        for v, n in histogram:
            seen += n
            if rank < seen:
                return v
        return histogram[-1][0]

    figures = []
    for p in probabilities:
        position = (total - 1) * p
        low = int(position)
        lo_v, hi_v = at(low), at(min(low + 1, total - 1))
        figures.append(lo_v + (hi_v - lo_v) * (position - low))
    return total, figures


def share(part: float | int | None, whole: float | int | None) -> float | None:
    return None if not whole else float(part or 0) / float(whole)
