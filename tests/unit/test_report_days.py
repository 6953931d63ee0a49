"""The local-only report columns (app.models.local_time, #25 "fast over years"): the
Helsinki day, week and minute of a visit's or appointment's start, kept by every write,
never pushed, absent from the central schema, and filled by the migration for the rows a
database already holds. Instants around the 2026 summer-time changes (29 March, 25
October) and late evenings in UTC, where a fixed offset would put a row on the wrong day
or in the wrong week."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import select, text

from app.db import migrate
from app.db.central_schema import central_metadata
from app.db.engine import local_engine
from app.models import Appointment, OutboxEntry, Visit
from app.models.local_time import local_day, local_minute, local_week
from app.rules.codes import AppointmentStatus, AppointmentType, Channel, ServiceArea
from tests import report_fixture as fx


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# (UTC instant, Helsinki day, its Monday, minute of the Helsinki day)
INSTANTS = [
    # Spring: the clocks go forward at 01:00 UTC on 29 March (UTC+2 -> UTC+3).
    (utc(2026, 3, 28, 21, 59), date(2026, 3, 28), date(2026, 3, 23), 23 * 60 + 59),
    (utc(2026, 3, 28, 23, 30), date(2026, 3, 29), date(2026, 3, 23), 90),
    (utc(2026, 3, 29, 23, 30), date(2026, 3, 30), date(2026, 3, 30), 150),
    # Autumn: back at 01:00 UTC on 25 October (UTC+3 -> UTC+2): 21.30 UTC is still
    # Sunday 25th (23.30) and its week; 23.30 UTC is Monday 26th, a new week.
    (utc(2026, 10, 25, 21, 30), date(2026, 10, 25), date(2026, 10, 19), 23 * 60 + 30),
    (utc(2026, 10, 25, 23, 30), date(2026, 10, 26), date(2026, 10, 26), 90),
    # Summer time: 20.59 UTC is 23.59 in Helsinki, 21.00 UTC the next day.
    (utc(2026, 7, 5, 20, 59), date(2026, 7, 5), date(2026, 6, 29), 23 * 60 + 59),
    (utc(2026, 7, 5, 21, 0), date(2026, 7, 6), date(2026, 7, 6), 0),
]


@pytest.mark.parametrize(("at", "day", "week", "minute"), INSTANTS)
def test_the_functions_give_the_helsinki_day_week_and_minute(at, day, week, minute):
    assert (local_day(at), local_week(at), local_minute(at)) == (day, week, minute)
    naive_text = at.replace(tzinfo=None).isoformat(sep=" ")  # as SQLite holds it
    assert (local_day(naive_text), local_week(naive_text)) == (day, week)


def _visit(vid: str, start: datetime) -> Visit:
    return Visit(id=vid, customer_id=None, service_point_id="sp-rov",
                 channel=Channel.SERVICE_POINT, walk_in=True, service_area=ServiceArea.INITIAL,
                 staff_id="staff-coach", team_id="team-1", started_at=start,
                 ended_at=start + timedelta(minutes=25), wait_minutes=5)


def _stored(services, table: str, row_id: str) -> tuple:
    columns = "local_day, local_week" + (", local_minute, minutes" if table == "visit" else "")
    with services.ctx.engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT {columns} FROM {table} WHERE id = :id"),
                                  {"id": row_id}).one())


def test_the_write_path_fills_them_and_never_pushes_them(services):
    fx.build(services)
    with services.ctx.session_factory.begin() as s:
        for i, (at, *_rest) in enumerate(INSTANTS):
            s.add(_visit(f"dst-{i}", at))
            s.add(Appointment(id=f"dst-a{i}", customer_id="c1", staff_id="staff-coach",
                              service_point_id="sp-rov", type=AppointmentType.OTHER,
                              channel=Channel.SERVICE_POINT, status=AppointmentStatus.DONE,
                              starts_at=at, ends_at=at + timedelta(minutes=30)))
    for i, (_at, day, week, minute) in enumerate(INSTANTS):
        assert _stored(services, "visit", f"dst-{i}") == (
            day.isoformat(), week.isoformat(), minute, 25.0)
        assert _stored(services, "appointment", f"dst-a{i}") == (
            day.isoformat(), week.isoformat())

    # An edit of the start moves the day and week with it; of the end, the length.
    with services.ctx.session_factory.begin() as s:
        visit = s.get(Visit, "dst-0")
        assert visit is not None
        visit.started_at = INSTANTS[4][0]
        visit.ended_at = INSTANTS[4][0] + timedelta(minutes=40)
        appointment = s.get(Appointment, "dst-a0")
        assert appointment is not None
        appointment.starts_at = INSTANTS[4][0]
        appointment.ends_at = INSTANTS[4][0] + timedelta(hours=1)
    assert _stored(services, "visit", "dst-0") == ("2026-10-26", "2026-10-26", 90, 40.0)
    assert _stored(services, "appointment", "dst-a0") == ("2026-10-26", "2026-10-26")

    with services.ctx.reading() as s:
        entries = s.scalars(select(OutboxEntry).where(
            OutboxEntry.table_name.in_(("visit", "appointment")))).all()
    assert entries
    for entry in entries:
        fields = json.loads(entry.fields)
        assert not {"local_day", "local_week", "local_minute", "minutes"} & set(fields)
    assert any("started_at" in json.loads(e.fields) for e in entries if e.op == "update")


def test_the_central_schema_has_none_of_them():
    metadata = central_metadata()
    for table, local in (("visit", {"local_day", "local_week", "local_minute", "minutes"}),
                         ("appointment", {"local_day", "local_week"})):
        assert not local & set(metadata.tables[table].c.keys())
        assert not [i for i in metadata.tables[table].indexes if "report" in (i.name or "")]
    assert "ix_customer_municipality" not in {
        i.name for i in metadata.tables["customer"].indexes}


def test_the_migration_fills_the_rows_a_database_already_holds(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = local_engine(path)
    command.upgrade(migrate.alembic_config(engine), "0070")
    with engine.connect() as conn:
        # The rows alone: their service point and worker do not matter here.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for i, (at, *_rest) in enumerate(INSTANTS):
            start = at.replace(tzinfo=None).isoformat(sep=" ")
            end = (at + timedelta(minutes=12)).replace(tzinfo=None).isoformat(sep=" ")
            conn.exec_driver_sql(
                "INSERT INTO visit (id, service_point_id, channel, walk_in, service_area,"
                " started_at, ended_at, version, hlc, updated_at) VALUES (?, 'sp',"
                " 'phone', 0, 'initial', ?, ?, 0, '', ?)", (f"v{i}", start, end, start))
            conn.exec_driver_sql(
                "INSERT INTO appointment (id, staff_id, service_point_id, type, channel,"
                " status, starts_at, ends_at, version, hlc, updated_at) VALUES (?, 'st',"
                " 'sp', 'other', 'phone', 'done', ?, ?, 0, '', ?)",
                (f"a{i}", start, end, start))
        conn.commit()
    assert migrate.upgrade(engine, path) is not None
    with engine.connect() as conn:
        for i, (_at, day, week, minute) in enumerate(INSTANTS):
            assert tuple(conn.exec_driver_sql(
                "SELECT local_day, local_week, local_minute, minutes FROM visit"
                " WHERE id = ?", (f"v{i}",)).one()) == (
                    day.isoformat(), week.isoformat(), minute, 12.0)
            assert tuple(conn.exec_driver_sql(
                "SELECT local_day, local_week FROM appointment WHERE id = ?",
                (f"a{i}",)).one()) == (day.isoformat(), week.isoformat())
        plan = " ".join(str(r) for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT local_week, count(*) FROM visit WHERE local_week >="
            " '2026-01-05' AND local_day >= '2026-01-05' GROUP BY local_week").all())
    assert "COVERING INDEX ix_visit_report_week" in plan
    engine.dispose()
