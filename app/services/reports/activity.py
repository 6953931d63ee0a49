"""Visits per week (by service point, channel, service area) and walk-in waiting times."""

from __future__ import annotations

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
from app.services.reports import sql

WEEK_COLUMN = Column("week", N_("Week starting"), WEEK)
TOTAL_COLUMN = Column("total", N_("Total"), COUNT)


def visit_filters(f: ReportFilter) -> list[Any]:
    where = [Visit.deleted_at.is_(None), *sql.in_range(Visit.started_at, f)]
    if f.service_point_id:
        where.append(Visit.service_point_id == f.service_point_id)
    if f.team_id:
        where.append(Visit.team_id == f.team_id)
    return where


def _weekly(s: Session, f: ReportFilter, category: Any) -> dict[tuple[str, str], int]:
    week = sql.week_of(sql.local_day(Visit.started_at, f), f)
    mondays = sql.weeks(f)
    rows = s.execute(select(week, category, func.count())
                     .where(*visit_filters(f)).group_by(week, category)).all()
    return {(mondays[w].isoformat(), str(c)): n for w, c, n in rows}


def _pivot(name: str, title: str, f: ReportFilter, counts: dict[tuple[str, str], int],
           categories: list[tuple[str, Column]]) -> ReportTable:
    rows: list[tuple[Any, ...]] = []  # (monday, *counts, total), as ReportTable.rows
    for monday in sql.weeks(f):
        values = [counts.get((monday.isoformat(), key), 0) for key, _c in categories]
        rows.append((monday, *values, sum(values)))
    columns = (WEEK_COLUMN, *(c for _k, c in categories), TOTAL_COLUMN)
    total = (Label(N_("Total")), *(sum(r[i] for r in rows) for i in range(1, len(columns))))
    return ReportTable(name, title, columns, tuple(rows),
                       ChartSpec("stacked", "week", tuple(c.key for _k, c in categories)),
                       total=total)


def visits_by_point(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    points = s.execute(select(ServicePoint.id, ServicePoint.code, ServicePoint.name)
                       .where(ServicePoint.deleted_at.is_(None))
                       .order_by(ServicePoint.code)).all()
    if f.service_point_id:
        points = [p for p in points if p.id == f.service_point_id]
    categories = [(p.id, Column(f"point_{p.code}", p.name, COUNT, literal=True))
                  for p in points]
    return _pivot("visits_by_point", N_("Visits per week by service point"), f,
                  _weekly(s, f, Visit.service_point_id), categories)


def visits_by_channel(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    categories = [(c.value, Column(c.value, LABELS[c], COUNT)) for c in Channel]
    return _pivot("visits_by_channel", N_("Visits per week by channel"), f,
                  _weekly(s, f, Visit.channel), categories)


def visits_by_area(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    categories = [(a.value, Column(a.value, LABELS[a], COUNT)) for a in ServiceArea]
    return _pivot("visits_by_area", N_("Visits per week by service area"), f,
                  _weekly(s, f, Visit.service_area), categories)


def arrival_hour(f: ReportFilter) -> Any:
    """The local hour the walk-in arrived: the visit's start less the wait."""
    return sql.hour_of(sql.local_day(Visit.started_at, f) - Visit.wait_minutes / 1440.0)


def walk_in_filters(f: ReportFilter) -> list[Any]:
    return [*visit_filters(f), Visit.walk_in.is_(True), Visit.wait_minutes.is_not(None)]


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
