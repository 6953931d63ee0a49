"""No-show rates of booked appointments, per service point and per worker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.dto.reports import (
    COUNT,
    PERCENT,
    TEXT,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import N_
from app.models import Appointment, ServicePoint, Staff, Team
from app.rules.codes import AppointmentStatus
from app.services.reports import sql

# Only appointments whose outcome is known count: cancelled ones were never due, and a
# booking not yet marked arrived or no-show has no outcome yet.
CONCLUDED = (AppointmentStatus.ARRIVED, AppointmentStatus.DONE, AppointmentStatus.NO_SHOW)
NOTE = N_("Appointments that were due in the period: no-shows of those that were kept "
          "or missed (cancelled ones are not counted).")
CHART_WORKERS = 15


def appointment_filters(f: ReportFilter) -> list[Any]:
    where = [Appointment.deleted_at.is_(None), *sql.in_range(Appointment.starts_at, f),
             Appointment.status.in_(CONCLUDED)]
    if f.service_point_id:
        where.append(Appointment.service_point_id == f.service_point_id)
    if f.team_id:  # the worker's team; a subquery, so no join per appointment
        where.append(Appointment.staff_id.in_(select(Staff.id).where(Staff.team_id == f.team_id)))
    return where


def _no_show() -> Any:
    return func.sum(case((Appointment.status == AppointmentStatus.NO_SHOW, 1), else_=0))


def _columns(first: Column, *more: Column) -> tuple[Column, ...]:
    return (first, *more, Column("appointments", N_("Appointments"), COUNT),
            Column("no_shows", N_("No-shows"), COUNT),
            Column("rate", N_("No-show rate (%)"), PERCENT))


def no_shows_by_point(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    per = (select(Appointment.service_point_id.label("point_id"), func.count().label("n"),
                  _no_show().label("missed"))
           .where(*appointment_filters(f)).group_by(Appointment.service_point_id).subquery())
    rows = s.execute(
        select(ServicePoint.name, per.c.n, per.c.missed)
        .join(ServicePoint, ServicePoint.id == per.c.point_id)
        .order_by(ServicePoint.code)).all()
    table = tuple((name, n, miss, sql.share(miss, n)) for name, n, miss in rows)
    n, miss = sum(r[1] for r in table), sum(r[2] for r in table)
    return ReportTable("no_shows_by_point", N_("No-show rate by service point"),
                       _columns(Column("service_point", N_("Service point"), TEXT)), table,
                       ChartSpec("bars", "service_point", ("rate",), percent=True),
                       note=NOTE, total=(Label(N_("Total")), n, miss, sql.share(miss, n)))


def no_shows_by_worker(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    per = (select(Appointment.staff_id.label("staff_id"), func.count().label("n"),
                  _no_show().label("missed"))
           .where(*appointment_filters(f)).group_by(Appointment.staff_id).subquery())
    rows = s.execute(
        select(Staff.full_name, Team.name, per.c.n, per.c.missed)
        .join(Staff, Staff.id == per.c.staff_id)
        .outerjoin(Team, Team.id == Staff.team_id)
        .order_by((per.c.missed * 1.0 / per.c.n).desc(), Staff.full_name)).all()
    table = tuple((name, team or "", count, miss, sql.share(miss, count))
                  for name, team, count, miss in rows)
    count, miss = sum(r[2] for r in table), sum(r[3] for r in table)
    return ReportTable(
        "no_shows_by_worker", N_("No-show rate by worker"),
        _columns(Column("worker", N_("Worker"), TEXT), Column("team", N_("Team"), TEXT)),
        table, ChartSpec("hbars", "worker", ("rate",), percent=True, limit=CHART_WORKERS),
        note=NOTE, total=(Label(N_("Total")), "", count, miss, sql.share(miss, count)))
