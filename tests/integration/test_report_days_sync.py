"""The local-only report columns (app.models.local_time) across a real PostgreSQL: a
visit and an appointment written on one desk reach another by pull with their Helsinki
day, week and minute computed there, around the summer-time changes; the centre never
holds the columns; a pending local edit of the start re-applied over a pulled row moves
them with it; the digests of the two desks still agree."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from app.models import Appointment, Visit
from app.rules.codes import AppointmentStatus, AppointmentType, Channel, ServiceArea
from app.sync.digest import central_digest, local_digest
from app.sync.pull import pull
from tests.unit.test_report_days import INSTANTS

LOCAL = ("local_day", "local_week", "local_minute", "minutes")


def _write(desk) -> None:
    with desk.services.ctx.session_factory.begin() as s:
        for i, (at, *_rest) in enumerate(INSTANTS):
            s.add(Visit(id=f"dst-{i}", service_point_id="sp-rov", channel=Channel.PHONE,
                        walk_in=False, service_area=ServiceArea.FINDING_WORK,
                        staff_id="staff-coach", team_id="team-1", started_at=at,
                        ended_at=at + timedelta(minutes=20)))
            s.add(Appointment(id=f"dst-a{i}", staff_id="staff-coach",
                              service_point_id="sp-rov", type=AppointmentType.OTHER,
                              channel=Channel.PHONE, status=AppointmentStatus.DONE,
                              starts_at=at, ends_at=at + timedelta(minutes=30)))


def _local(desk, table: str, row_id: str) -> tuple:
    columns = ", ".join(LOCAL if table == "visit" else LOCAL[:2])
    with desk.services.ctx.engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT {columns} FROM {table} WHERE id = :id"),
                                  {"id": row_id}).one())


def test_pulled_rows_get_their_helsinki_day_week_and_minute(make_desk, staff_central):
    desks, central = make_desk, staff_central
    a = desks("a", seed=True)
    _write(a)
    a.sync()
    with central.connect() as conn:
        columns = set(conn.execute(text(
            "SELECT table_name || '.' || column_name FROM information_schema.columns"
            " WHERE table_name IN ('visit', 'appointment')")).scalars())
    assert "visit.started_at" in columns
    assert not {f"{t}.{c}" for t in ("visit", "appointment") for c in LOCAL} & columns

    b = desks("b")
    b.engine.sync_once()
    for i, (_at, day, week, minute) in enumerate(INSTANTS):
        assert _local(b, "visit", f"dst-{i}") == (
            day.isoformat(), week.isoformat(), minute, 20.0), INSTANTS[i]
        assert _local(b, "appointment", f"dst-a{i}") == (day.isoformat(), week.isoformat())
    tables = ["visit", "appointment"]
    assert local_digest(b.services.ctx.engine, tables) == local_digest(
        a.services.ctx.engine, tables) == central_digest(central, tables=tables)

    # b moves a visit's start, a (not yet knowing) moves its end: b's pending edit is
    # re-applied over the pulled row, and the local columns follow both.
    with b.services.ctx.session_factory.begin() as s:
        visit = s.get(Visit, "dst-0")
        assert visit is not None
        visit.started_at = INSTANTS[4][0]
    assert _local(b, "visit", "dst-0")[:3] == ("2026-10-26", "2026-10-26", 90)
    with a.services.ctx.session_factory.begin() as s:
        visit = s.get(Visit, "dst-0")
        assert visit is not None
        visit.ended_at = INSTANTS[4][0] + timedelta(minutes=45)
    a.sync()
    # Pull only: b's own edit stays pending, to be re-applied over a's row.
    pull(b.services.ctx.engine, central, b.engine.point_id())
    assert _local(b, "visit", "dst-0") == ("2026-10-26", "2026-10-26", 90, 45.0)
