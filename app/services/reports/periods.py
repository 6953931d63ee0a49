"""The periods of the reports and the feedback page: the default date range both open
with, and which week or month rows of a report cover only part of their period.

A week of 580 visits drawn beside weeks of 1,225 reads as a collapse when it is only
Wednesday: such a row is marked (`Partial`), and the view, the chart and the PDF say so."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from app.dto.reports import MONTH, WEEK, Partial, ReportFilter, ReportTable

DEFAULT_WEEKS = 12


def default_period(today: date) -> tuple[date, date]:
    """The last twelve weeks up to today, from a Monday: whole weeks behind, this week
    so far (marked as such). Reports and Feedback both open with it, so a figure read on
    one page is the figure on the other."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=DEFAULT_WEEKS - 1), today


def period_end(start: date, kind: str) -> date:
    """The last day of the week (Monday `start`) or month (1st `start`)."""
    if kind == WEEK:
        return start + timedelta(days=6)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def partial_periods(table: ReportTable, f: ReportFilter, today: date) -> tuple[Partial, ...]:
    """The rows of a per-week or per-month report whose period is not counted whole:
    the range starts or ends inside it, or it is still going on (today or later)."""
    if not table.rows:
        return ()
    x = table.columns[table.column(table.chart.x)]
    if x.kind not in (WEEK, MONTH):
        return ()
    found = []
    for row, values in enumerate(table.rows):
        start = values[table.column(x.key)]
        if not isinstance(start, date):
            continue
        end = period_end(start, x.kind)
        first = max(start, f.date_from)
        last = min(end, f.date_to, today)
        # Today is never over: its period is incomplete even on its last day.
        in_progress = end >= today and f.date_to >= today
        if first > start or last < end or in_progress:
            found.append(Partial(row, first, last, in_progress))
    return tuple(found)


def with_partial(table: ReportTable, f: ReportFilter, today: date) -> ReportTable:
    partial = partial_periods(table, f, today)
    return dataclasses.replace(table, partial=partial) if partial else table
