"""The demo data generator: what it writes, that it is valid and reproducible, that it
refuses a database in use and that cancelling leaves nothing behind."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, text

from app.db.engine import local_engine
from app.db.migrate import upgrade
from app.demo.area import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoCancelled,
    DemoSummary,
    build_demo,
)
from app.rules import hetu as hetu_rules

TODAY = date(2025, 11, 12)  # a Wednesday, so today's queue exists
SUNDAY = date(2025, 11, 16)
TABLES = (
    "service_point", "team", "staff", "staff_credential", "customer", "unemployment_period",
    "visit", "appointment", "queue_ticket", "plan", "plan_version", "plan_goal",
    "plan_action", "plan_service", "feedback", "feedback_reply_request",
)


def fresh_engine(path: Path) -> Engine:
    engine = local_engine(path)
    upgrade(engine)
    return engine


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, DemoSummary]:
    engine = fresh_engine(tmp_path_factory.mktemp("demo") / "small.sqlite3")
    summary = build_demo(engine, seed=7, scale=0.05, today=TODAY)
    yield engine, summary
    engine.dispose()


def test_every_table_has_rows_and_no_outbox(small: tuple[Engine, DemoSummary]) -> None:
    engine, summary = small
    empty = [table for table in TABLES if count(engine, f"SELECT count(*) FROM {table}") == 0]
    assert empty == []
    assert count(engine, "SELECT count(*) FROM outbox") == 0
    assert summary.customers == count(engine, "SELECT count(*) FROM customer")
    assert summary.visits == count(engine, "SELECT count(*) FROM visit")
    assert summary.staff == count(engine, "SELECT count(*) FROM staff")


def test_rovaniemi_share(small: tuple[Engine, DemoSummary]) -> None:
    engine, summary = small
    share = count(engine, "SELECT avg(sp.code = 'ROV') * 1000000 FROM customer c "
                          "JOIN service_point sp ON sp.id = c.service_point_id") / 1e6
    assert 0.93 <= share <= 0.97
    assert summary.rovaniemi_share == pytest.approx(share)


def test_identity_codes_are_valid_and_unique(small: tuple[Engine, DemoSummary]) -> None:
    engine, _ = small
    found = rows(engine, "SELECT hetu, birth_date, hetu_temporary FROM customer "
                         "WHERE hetu IS NOT NULL")
    assert len({code for code, _, _ in found}) == len(found)
    for code, born, temporary in found:
        checked = hetu_rules.check(code, TODAY)
        assert checked.ok, (code, checked.error)
        assert checked.birth_date.isoformat() == born
        assert checked.temporary == bool(temporary)


def test_caseloads_stay_under_the_cap(small: tuple[Engine, DemoSummary]) -> None:
    engine, _ = small
    assert count(engine, "SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM customer "
                         "WHERE coach_id IS NOT NULL GROUP BY coach_id)") <= 120
    # Ranua customers are coached from Ranua.
    assert count(engine, "SELECT count(*) FROM customer c JOIN staff s ON s.id = c.coach_id "
                         "WHERE s.service_point_id != c.service_point_id") == 0


def test_nobody_is_double_booked(small: tuple[Engine, DemoSummary]) -> None:
    engine, _ = small
    assert count(engine, "SELECT count(*) FROM appointment a JOIN appointment b "
                         "ON a.staff_id = b.staff_id AND a.id < b.id "
                         "AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at") == 0


def test_demo_accounts_sign_in(small: tuple[Engine, DemoSummary]) -> None:
    engine, _ = small
    found = dict(rows(engine, "SELECT s.username, s.role FROM staff s"))
    for username, role in DEMO_ACCOUNTS.items():
        assert found[username] == role.value
    verifiers = rows(engine, "SELECT s.username, c.verifier FROM staff s "
                             "JOIN staff_credential c ON c.staff_id = s.id")
    assert len(verifiers) == len(found)
    hasher = PasswordHasher()
    for username, verifier in verifiers:
        if username in DEMO_ACCOUNTS:
            assert hasher.verify(verifier, DEMO_PASSWORD)


def test_same_seed_gives_the_same_rows(small: tuple[Engine, DemoSummary],
                                       tmp_path: Path) -> None:
    engine, _ = small
    again = fresh_engine(tmp_path / "again.sqlite3")
    build_demo(again, seed=7, scale=0.05, today=TODAY)
    for table in ("customer", "staff", "visit", "appointment", "plan_version", "feedback"):
        sql = f"SELECT * FROM {table} ORDER BY id"
        assert rows(engine, sql) == rows(again, sql), table
    other = fresh_engine(tmp_path / "other.sqlite3")
    build_demo(other, seed=8, scale=0.05, today=TODAY)
    assert rows(other, "SELECT id FROM customer") != rows(engine, "SELECT id FROM customer")


def test_refuses_a_database_with_customers(small: tuple[Engine, DemoSummary]) -> None:
    engine, summary = small
    with pytest.raises(ValueError, match="already has customers"):
        build_demo(engine, seed=7, scale=0.05, today=TODAY)
    assert count(engine, "SELECT count(*) FROM customer") == summary.customers


def test_cancel_rolls_everything_back(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path / "cancelled.sqlite3")
    cancel = threading.Event()
    seen: list[float] = []

    def progress(stage: str, fraction: float) -> None:
        seen.append(fraction)
        if len(seen) == 3:
            cancel.set()

    with pytest.raises(DemoCancelled):
        build_demo(engine, scale=0.05, today=TODAY, progress=progress, cancel=cancel)
    for table in TABLES:
        assert count(engine, f"SELECT count(*) FROM {table}") == 0, table
    # The database is still usable for a new build.
    fractions: list[float] = []
    build_demo(engine, scale=0.02, today=TODAY, progress=lambda _s, f: fractions.append(f))
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_no_queue_on_a_sunday(tmp_path: Path) -> None:
    summary = build_demo(fresh_engine(tmp_path / "sunday.sqlite3"), scale=0.02, today=SUNDAY)
    assert summary.tickets == 0 and summary.customers > 0


def test_scale_one(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path / "full.sqlite3")
    started = time.perf_counter()
    summary = build_demo(engine, seed=1, scale=1.0, today=TODAY)
    print(f"build_demo scale 1: {time.perf_counter() - started:.1f} s, {summary}")
    assert summary.customers >= 4000
    assert 0.93 <= summary.rovaniemi_share <= 0.97
    # The plan's staffing: about 64 coaches in four service areas, each team with a lead.
    assert count(engine, "SELECT count(*) FROM staff WHERE role = 'coach'") == 64
    assert count(engine, "SELECT count(*) FROM team t WHERE NOT EXISTS (SELECT 1 FROM staff "
                         "s WHERE s.team_id = t.id AND s.role = 'team_lead')") == 0
    assert 20000 <= summary.visits <= 30000
