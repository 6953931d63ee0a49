"""No-show rates of booked appointments, per service point and per worker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, literal_column, select
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
from app.services.reports import members, sql

# Only appointments whose outcome is known count: cancelled ones were never due, and a
# booking not yet marked arrived or no-show has no outcome yet.
CONCLUDED = (AppointmentStatus.ARRIVED, AppointmentStatus.DONE, AppointmentStatus.NO_SHOW)
NOTE = N_("Appointments that were due in the period: no-shows of those that were kept "
          "or missed (cancelled ones are not counted).")
CHART_WORKERS = 15


def appointment_filters(f: ReportFilter) -> list[Any]:
    # By the precomputed local day (app.models.local_time): ix_appointment_report_day
    # leads with it and holds every column the no-show reports read.
    where = [*sql.days(Appointment.local_day, f), Appointment.deleted_at.is_(None),
             Appointment.status.in_(CONCLUDED)]
    if f.service_point_id:
        where.append(Appointment.service_point_id == f.service_point_id)
    if f.team_id:  # the worker's team; a subquery, so no join per appointment
        where.append(Appointment.staff_id.in_(select(Staff.id).where(Staff.team_id == f.team_id)))
    return where


def _per(key: Any, label: str, f: ReportFilter) -> Any:
    """Appointments, no-shows and the customers of the no-shows per `key`, read from
    ix_appointment_report_day alone."""
    return (select(key.label(label), func.count().label("n"), _no_show().label("missed"),
                   members.concat(Appointment.customer_id,
                                  Appointment.status == AppointmentStatus.NO_SHOW
                                  ).label("who"))
            .where(*appointment_filters(f)).group_by(key).subquery())


def _no_show_members(who: list[str | None]) -> dict[tuple[int, str], tuple[str, ...]]:
    """The drill-down of the no-shows column: a no-show counts appointments, not
    customers, so a row's members are the distinct customers who missed one (fewer than
    the figure when someone missed two); the total row has them all."""
    cells = {}
    everyone: set[str] = set()
    for row, text in enumerate(who):
        ids = set(members.ids_of(text))
        everyone |= ids
        if ids:
            cells[(row, "no_shows")] = tuple(sorted(ids))
    if everyone:
        cells[(members.TOTAL_ROW, "no_shows")] = tuple(sorted(everyone))
    return cells


def _no_show() -> Any:
    return func.sum(case((Appointment.status == AppointmentStatus.NO_SHOW, 1), else_=0))


def _columns(first: Column, *more: Column) -> tuple[Column, ...]:
    return (first, *more, Column("appointments", N_("Appointments"), COUNT),
            Column("no_shows", N_("No-shows"), COUNT),
            Column("rate", N_("No-show rate (%)"), PERCENT))


def no_shows_by_point(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    per = _per(Appointment.service_point_id, "point_id", f)
    rows = s.execute(
        select(ServicePoint.name, per.c.n, per.c.missed, per.c.who)
        .join(ServicePoint, ServicePoint.id == per.c.point_id)
        .order_by(ServicePoint.code)).all()
    table = tuple((name, n, miss, sql.share(miss, n)) for name, n, miss, _who in rows)
    n, miss = sum(r[1] for r in table), sum(r[2] for r in table)
    return ReportTable("no_shows_by_point", N_("No-show rate by service point"),
                       _columns(Column("service_point", N_("Service point"), TEXT)), table,
                       ChartSpec("bars", "service_point", ("rate",), percent=True),
                       note=NOTE, total=(Label(N_("Total")), n, miss, sql.share(miss, n)),
                       members=_no_show_members([r.who for r in rows]))


def no_shows_by_worker(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    # Grouped by `+staff_id` (SQLite's documented way to leave an index out): by the bare
    # column the planner walks ix_appointment_staff_start to save the sort by worker, a
    # row lookup per appointment (two seconds for a year at the scale-10 demo).
    worker = literal_column("+appointment.staff_id", Appointment.staff_id.type)
    per = _per(worker, "staff_id", f)
    rows = s.execute(
        select(Staff.full_name, Team.name, per.c.n, per.c.missed, per.c.who)
        .join(Staff, Staff.id == per.c.staff_id)
        .outerjoin(Team, Team.id == Staff.team_id)
        .order_by((per.c.missed * 1.0 / per.c.n).desc(), Staff.full_name)).all()
    table = tuple((name, team or "", count, miss, sql.share(miss, count))
                  for name, team, count, miss, _who in rows)
    count, miss = sum(r[2] for r in table), sum(r[3] for r in table)
    return ReportTable(
        "no_shows_by_worker", N_("No-show rate by worker"),
        _columns(Column("worker", N_("Worker"), TEXT), Column("team", N_("Team"), TEXT)),
        table, ChartSpec("hbars", "worker", ("rate",), percent=True, limit=CHART_WORKERS),
        note=NOTE, total=(Label(N_("Total")), "", count, miss, sql.share(miss, count)),
        members=_no_show_members([r.who for r in rows]))
