"""The demo year's events (#21): Osaamo's recurring events and Ranua's, two group
coachings of six sessions with one list each, waiting lists on full events, attendance at
the sessions held, the annual themes; rooms never double-booked; the same seed gives the
same rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app.db.engine import local_engine
from app.db.migrate import upgrade
from app.demo.area import build_demo
from app.rules.events import attendance_id, participant_id

TODAY = date(2026, 11, 24)
TABLES = ("event", "event_session", "event_participant", "event_attendance", "annual_theme")


def rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = local_engine(tmp_path_factory.mktemp("events") / "demo.sqlite3")
    upgrade(engine)
    build_demo(engine, seed=3, scale=0.1, today=TODAY)
    return engine


def test_a_year_of_events_at_osaamo_and_ranua(demo: Engine) -> None:
    kinds = dict(rows(demo, "SELECT e.kind || '@' || p.code, count(*) FROM event e "
                            "JOIN service_point p ON p.id = e.service_point_id "
                            "GROUP BY 1"))
    assert kinds["service_info@ROV"] >= 50  # weekly
    assert 12 <= kinds["recruitment@ROV"] <= 14  # monthly
    assert kinds["group_coaching@ROV"] == 2
    assert kinds["startup_morning@ROV"] >= 5
    assert kinds["interviews@ROV"] >= 6 and kinds["other@ROV"] >= 3
    assert kinds["service_info@RAN"] >= 3
    first, last = rows(demo, "SELECT min(starts_at), max(starts_at) FROM event_session")[0]
    assert first[:10] < "2026-06-01" and last[:10] > "2027-04-30"
    # Ranua's events are held by Rovaniemi's specialists.
    points = rows(demo, "SELECT DISTINCT p.code FROM event e JOIN staff s ON "
                        "e.organiser_ids LIKE s.id || '%' JOIN service_point p ON "
                        "p.id = s.service_point_id JOIN service_point ep ON "
                        "ep.id = e.service_point_id WHERE ep.code = 'RAN'")
    assert points == [("ROV",)]
    # ...for Ranua's customers.
    assert rows(demo, "SELECT DISTINCT cp.code FROM event_participant p JOIN customer c ON "
                      "c.id = p.customer_id JOIN service_point cp ON "
                      "cp.id = c.service_point_id WHERE p.service_point_id IN "
                      "(SELECT id FROM service_point WHERE code = 'RAN')") == [("RAN",)]
    # Twelve themes for each year the demo's events touch (today's and the next).
    assert rows(demo, "SELECT year, count(*) FROM annual_theme GROUP BY year") == [
        (2026, 12), (2027, 12)]
    assert rows(demo, "SELECT count(*) FROM event WHERE annual")[0][0] >= 60
    assert rows(demo, "SELECT count(*) FROM event WHERE employer_id IS NOT NULL")[0][0] >= 8


def test_series_lists_waiting_and_attendance(demo: Engine) -> None:
    series = rows(demo, "SELECT e.id, count(s.id) FROM event e JOIN event_session s ON "
                        "s.event_id = e.id WHERE e.kind = 'group_coaching' GROUP BY e.id")
    assert [n for _id, n in series] == [6, 6]
    assert rows(demo, "SELECT count(*) FROM event_participant WHERE status = 'waiting'"
                )[0][0] > 0
    share = rows(demo, "SELECT avg(attended) FROM event_attendance")[0][0]
    assert 0.65 <= share <= 0.9
    # Attendance only at sessions held, only of those registered.
    assert rows(demo, "SELECT count(*) FROM event_attendance a JOIN event_session s ON "
                      "s.id = a.session_id WHERE s.starts_at > '2026-11-25'")[0][0] == 0
    assert rows(demo, "SELECT count(*) FROM event_attendance a JOIN event_participant p "
                      "ON p.event_id = a.event_id AND p.customer_id = a.customer_id "
                      "WHERE p.status <> 'registered'")[0][0] == 0
    for pid, event, customer in rows(demo, "SELECT id, event_id, customer_id FROM "
                                           "event_participant LIMIT 200"):
        assert pid == participant_id(event, customer)
    for aid, session, customer in rows(demo, "SELECT id, session_id, customer_id FROM "
                                             "event_attendance LIMIT 200"):
        assert aid == attendance_id(session, customer)
    # Nobody signs up for what is months away.
    assert rows(demo, "SELECT count(*) FROM event_participant p JOIN event_session s ON "
                      "s.event_id = p.event_id AND s.number = 1 WHERE "
                      "s.starts_at > '2027-01-15'")[0][0] == 0


def test_rooms_are_never_double_booked(demo: Engine) -> None:
    assert rows(demo, "SELECT count(*) FROM event_session WHERE room_id IS NOT NULL"
                )[0][0] > 50
    clashes = rows(demo, """
        SELECT count(*) FROM event_session a JOIN event_session b
          ON a.room_id = b.room_id AND a.id < b.id
         AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at""")[0][0]
    with_appointments = rows(demo, """
        SELECT count(*) FROM event_session a JOIN appointment b
          ON a.room_id = b.room_id AND b.status IN ('booked', 'arrived')
         AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at""")[0][0]
    assert (clashes, with_appointments) == (0, 0)
    # A session's room is one of its point's.
    assert rows(demo, "SELECT count(*) FROM event_session s JOIN room r ON "
                      "r.id = s.room_id WHERE r.service_point_id <> s.service_point_id"
                )[0][0] == 0


def test_same_seed_same_events(demo: Engine, tmp_path: Path) -> None:
    again = local_engine(tmp_path / "again.sqlite3")
    upgrade(again)
    build_demo(again, seed=3, scale=0.1, today=TODAY)
    for table in TABLES:
        sql = f"SELECT * FROM {table} ORDER BY id"
        assert rows(demo, sql) == rows(again, sql), table


def test_no_organiser_has_an_appointment_during_their_event(demo: Engine) -> None:
    # The slot finder treats an organiser's sessions as taken; the demo books alike.
    overlaps = rows(demo, """
        SELECT count(*) FROM event_session s JOIN event e ON e.id = s.event_id
          JOIN appointment a ON (',' || e.organiser_ids || ',') LIKE '%,' || a.staff_id || ',%'
         AND a.status IN ('booked', 'arrived', 'done') AND a.deleted_at IS NULL
         AND a.starts_at < s.ends_at AND s.starts_at < a.ends_at""")[0][0]
    assert overlaps == 0
