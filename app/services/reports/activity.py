"""Visits per week (by service point, channel, service area) and walk-in waiting times."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dto.reports import (
    COUNT,
    HOUR,
    NUMBER,
    WEEK,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import N_
from app.models import ServicePoint, Visit
from app.rules.codes import LABELS, Channel, ServiceArea
from app.services.reports import members, sql

WEEK_COLUMN = Column("week", N_("Week starting"), WEEK)
TOTAL_COLUMN = Column("total", N_("Total"), COUNT)


def visit_filters(f: ReportFilter) -> list[Any]:
    """The visits of the filter: by their precomputed local day (app.models.local_time),
    which the report indexes lead with or hold."""
    where = [Visit.deleted_at.is_(None), *sql.days(Visit.local_day, f)]
    if f.service_point_id:
        where.append(Visit.service_point_id == f.service_point_id)
    if f.team_id:
        where.append(Visit.team_id == f.team_id)
    return where


Weekly = dict[tuple[str, str], tuple[int, list[str]]]


def _weekly(s: Session, f: ReportFilter, category: Any, keys: list[Any]) -> Weekly:
    """Visits per local week and category, each with the ids of its visits' customers.
    One count (and one id list) per category in a single pass over ix_visit_report_week
    in its (local_week) order: no sort of a year's rows, which grouping by (week,
    category) would need, and no row read (the index holds the customer too)."""
    # Aggregate FILTERs (SQLite 3.30+): about 12 % faster than a CASE in each aggregate.
    figures = []
    for key in keys:
        figures += [func.count().filter(category == key),
                    func.group_concat(Visit.customer_id).filter(category == key)]
    rows = s.execute(select(Visit.local_week, *figures)
                     .where(*visit_filters(f), *sql.week_range(Visit.local_week, f))
                     .group_by(Visit.local_week)).all() if keys else []
    out: Weekly = {}
    for week, *values in rows:
        for i, key in enumerate(keys):
            if values[2 * i]:
                out[(week.isoformat(), str(getattr(key, "value", key)))] = (
                    values[2 * i], members.ids_of(values[2 * i + 1]))
    return out


def _pivot(name: str, title: str, f: ReportFilter, weekly: Weekly,
           categories: list[tuple[str, Column]]) -> ReportTable:
    rows: list[tuple[Any, ...]] = []  # (monday, *counts, total), as ReportTable.rows
    # The drill-down: a figure here counts visits, not customers, so a cell's members
    # are the distinct customers of its visits (anonymous visits have none), fewer than
    # the figure when someone came twice.
    # Each cell's set once; the totals are unions of sets (in no particular order: the
    # drill-down orders the customers it shows).
    cells: dict[tuple[int, str], set[str]] = {}
    by_column: dict[str, list[set[str]]] = defaultdict(list)
    for row, monday in enumerate(sql.weeks(f)):
        values = []
        in_row: list[set[str]] = []
        for key, column in categories:
            n, ids = weekly.get((monday.isoformat(), key), (0, []))
            values.append(n)
            if ids:
                cells[(row, column.key)] = who = set(ids)
                in_row.append(who)
                by_column[column.key].append(who)
        if in_row:
            cells[(row, TOTAL_COLUMN.key)] = set().union(*in_row)
        rows.append((monday, *values, sum(values)))
    for key, sets in by_column.items():
        cells[(members.TOTAL_ROW, key)] = set().union(*sets)
    if by_column:
        cells[(members.TOTAL_ROW, TOTAL_COLUMN.key)] = set().union(
            *(cells[(members.TOTAL_ROW, key)] for key in by_column))
    columns = (WEEK_COLUMN, *(c for _k, c in categories), TOTAL_COLUMN)
    total = (Label(N_("Total")), *(sum(r[i] for r in rows) for i in range(1, len(columns))))
    return ReportTable(name, title, columns, tuple(rows),
                       ChartSpec("stacked", "week", tuple(c.key for _k, c in categories)),
                       total=total,
                       members={cell: tuple(ids) for cell, ids in cells.items()})


def visits_by_point(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    points = s.execute(select(ServicePoint.id, ServicePoint.code, ServicePoint.name)
                       .where(ServicePoint.deleted_at.is_(None))
                       .order_by(ServicePoint.code)).all()
    if f.service_point_id:
        points = [p for p in points if p.id == f.service_point_id]
    categories = [(p.id, Column(f"point_{p.code}", p.name, COUNT, literal=True))
                  for p in points]
    return _pivot("visits_by_point", N_("Visits per week by service point"), f,
                  _weekly(s, f, Visit.service_point_id, [p.id for p in points]), categories)


def visits_by_channel(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    categories = [(c.value, Column(c.value, LABELS[c], COUNT)) for c in Channel]
    return _pivot("visits_by_channel", N_("Visits per week by channel"), f,
                  _weekly(s, f, Visit.channel, list(Channel)), categories)


def visits_by_area(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    categories = [(a.value, Column(a.value, LABELS[a], COUNT)) for a in ServiceArea]
    return _pivot("visits_by_area", N_("Visits per week by service area"), f,
                  _weekly(s, f, Visit.service_area, list(ServiceArea)), categories)


def arrival_hour(_f: ReportFilter | None = None) -> Any:
    """The local hour the walk-in arrived: the visit's start less the wait, from the
    start's precomputed local minute of the day (its seconds cannot change the hour)."""
    minute = ((Visit.local_minute - Visit.wait_minutes) % 1440 + 1440) % 1440
    return minute // 60


def walk_in_filters(f: ReportFilter) -> list[Any]:
    # walk_in first: ix_visit_report_walk_in starts with it, then the local day.
    return [Visit.walk_in.is_(True), *visit_filters(f), Visit.wait_minutes.is_not(None)]


def waiting_times(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    hours = sql.histograms(s, arrival_hour(f), Visit.wait_minutes, walk_in_filters(f))
    rows = []
    for hour, table in sorted(hours.items()):
        n, (median, p90) = sql.quantiles_of(table, (0.5, 0.9))
        rows.append((hour, n, median, p90))
    total = None
    if hours:
        n, (median, p90) = sql.quantiles_of(sql.merged(hours.values()), (0.5, 0.9))
        total = (Label(N_("All hours")), n, median, p90)
    return ReportTable(
        "waiting_times", N_("Walk-in waiting times by hour of arrival"),
        (Column("hour", N_("Hour"), HOUR), Column("walk_ins", N_("Walk-ins"), COUNT),
         Column("median", N_("Median wait (min)"), NUMBER),
         Column("p90", N_("90th percentile (min)"), NUMBER)),
        tuple(rows), ChartSpec("lines", "hour", ("median", "p90")),
        note=N_("Waits of walk-in visits from arrival to the first call."), total=total)
