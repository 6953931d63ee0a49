"""The demo data generator: what it writes, that it is valid and reproducible, that it
refuses a database in use and that cancelling leaves nothing behind."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date, timedelta
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
from app.models import case_facts_id, first_period_id
from app.rules import hetu as hetu_rules
from app.rules.codes import CaseExitReason
from app.rules.groups import in_integration

TODAY = date(2025, 11, 12)  # a Wednesday, so today's queue exists
SUNDAY = date(2025, 11, 16)
TABLES = (
    "service_point", "team", "staff", "staff_credential", "customer", "unemployment_period",
    "visit", "appointment", "queue_ticket", "plan", "plan_version", "plan_goal",
    "plan_action", "plan_service", "feedback", "feedback_reply_request",
    "job_search_period", "case_facts", "customer_note", "coach_assignment",
    "service_provider", "service_contract", "referral", "support_decision", "effect_followup",
    "contract_place", "employer", "employer_person", "employer_contact", "vacancy",
    "job_proposal", "room", "event", "event_session", "event_participant",
    "event_attendance", "annual_theme", "contact_preference", "message",
    "messenger_heartbeat", "partner_org", "partner_person", "customer_consent",
    "meeting_participant", "meeting_task", "plan_participant", "queue_service",
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
    for table in ("customer", "staff", "visit", "appointment", "plan_version", "feedback",
                  "job_search_period", "case_facts", "customer_note", "coach_assignment",
                  "vacancy", "job_proposal"):
        sql = f"SELECT * FROM {table} ORDER BY id"
        assert rows(engine, sql) == rows(again, sql), table
    other = fresh_engine(tmp_path / "other.sqlite3")
    build_demo(other, seed=8, scale=0.05, today=TODAY)
    assert rows(other, "SELECT id FROM customer") != rows(engine, "SELECT id FROM customer")


def _periods(engine: Engine) -> dict[str, list[tuple]]:
    """{customer id: [(id, opened_on, closed_on, exit_reason), ...] oldest first}."""
    found: dict[str, list[tuple]] = {}
    for cid, *period in rows(engine, "SELECT customer_id, id, opened_on, closed_on, "
                                     "exit_reason FROM job_search_period "
                                     "WHERE deleted_at IS NULL ORDER BY opened_on"):
        found.setdefault(cid, []).append(tuple(period))
    return found


def test_every_case_is_a_sequence_of_periods(small: tuple[Engine, DemoSummary]) -> None:
    """The first period's id is derived from the customer's; a customer is active exactly
    when their latest period is open; the year's exits fall in the year before today."""
    engine, _ = small
    periods = _periods(engine)
    customers = rows(engine, "SELECT id, active, jobseeker_registered_on FROM customer")
    assert {cid for cid, _, _ in customers} == set(periods)
    reopened = closed = 0
    for cid, active, registered in customers:
        history = periods[cid]
        assert history[0][0] == first_period_id(cid)
        assert all(p[0] != first_period_id(cid) for p in history[1:])
        assert [p[2] is None for p in history] == [False] * (len(history) - 1) + [bool(active)]
        assert history[-1][1] == registered
        for _pid, opened, ended, reason in history:
            assert (ended is None) == (reason is None)
            if ended is not None:
                assert opened < ended
                assert date.fromisoformat(ended) >= TODAY - timedelta(days=365)
                assert date.fromisoformat(ended) < TODAY
        reopened += len(history) > 1
        closed += not active
    assert reopened >= 1
    assert 0.1 <= closed / len(customers) <= 0.3


def test_closed_cases_leave_the_caseload_and_the_calendar(
        small: tuple[Engine, DemoSummary]) -> None:
    engine, _ = small
    closed = dict(rows(engine, "SELECT c.id, p.closed_on FROM customer c JOIN "
                               "job_search_period p ON p.customer_id = c.id "
                               "WHERE NOT c.active AND p.closed_on IS NOT NULL"))
    coached = {cid for (cid,) in rows(engine, "SELECT id FROM customer "
                                              "WHERE NOT active AND coach_id IS NOT NULL")}
    assert 0 < len(coached) < len(closed) / 3  # most released, a few kept for a follow-up
    released = dict(rows(engine, "SELECT customer_id, previous_coach_id FROM "
                                 "coach_assignment WHERE coach_id IS NULL"))
    assert set(released) == set(closed) - coached
    assert all(released.values())
    for cid, day in rows(engine, "SELECT customer_id, date(starts_at) FROM appointment "
                                 "UNION ALL SELECT customer_id, date(started_at) FROM visit"):
        if cid in closed:
            assert day <= closed[cid], cid


def test_case_facts_hold_work_ability_and_the_benefit(small: tuple[Engine, DemoSummary]
                                                      ) -> None:
    """Partial work ability moved to the case facts (the desk cannot read them); some
    facts carry Kela's figures; the integration group shows up."""
    engine, _ = small
    assert count(engine, "SELECT count(*) FROM customer WHERE partial_work_ability") == 0
    facts = rows(engine, "SELECT id, customer_id, partial_work_ability, work_ability_basis, "
                         "benefit, subsidy_days, subsidy_days_on FROM case_facts")
    assert all(fid == case_facts_id(cid) for fid, cid, *_ in facts)
    partial = [f for f in facts if f[2]]
    assert partial and all(f[3] for f in partial)
    assert any(f[4] == "labour_market_subsidy" and f[5] is not None and f[6] for f in facts)
    assert any(f[4] == "earnings_related" for f in facts)
    permits = rows(engine, "SELECT first_residence_permit_on FROM customer WHERE active "
                           "AND first_residence_permit_on IS NOT NULL")
    assert any(in_integration(date.fromisoformat(d), TODAY) for (d,) in permits)


def test_case_notes_of_both_kinds_some_edited(small: tuple[Engine, DemoSummary]) -> None:
    engine, _ = small
    kinds = dict(rows(engine, "SELECT kind, count(*) FROM customer_note "
                              "WHERE deleted_at IS NULL GROUP BY kind"))
    assert kinds["general"] > 0 and kinds["work_ability"] > 0
    edits = rows(engine, "SELECT n.customer_id, n.kind, n.written_at, e.customer_id, e.kind, "
                         "e.written_at, e.deleted_at FROM customer_note n JOIN customer_note e "
                         "ON e.id = n.supersedes_id")
    assert edits
    for cid, kind, written, earlier_cid, earlier_kind, earlier_written, tombstoned in edits:
        assert (cid, kind) == (earlier_cid, earlier_kind)
        assert earlier_written < written and tombstoned is not None
    assert count(engine, "SELECT count(*) FROM customer_note WHERE deleted_at IS NOT NULL "
                         "AND id NOT IN (SELECT supersedes_id FROM customer_note "
                         "WHERE supersedes_id IS NOT NULL)") == 0


def test_duplicates_wait_to_be_merged(small: tuple[Engine, DemoSummary]) -> None:
    """The same person twice: by identity code, and with a temporary one; a visit each."""
    engine, _ = small
    pairs = rows(engine, "SELECT a.id, b.id, b.hetu FROM customer a JOIN customer b "
                         "ON a.first_names = b.first_names AND a.last_name = b.last_name "
                         "AND a.birth_date = b.birth_date AND a.id != b.id "
                         "WHERE NOT a.hetu_temporary AND b.hetu_temporary")
    assert len(pairs) >= 2
    visited = {cid for (cid,) in rows(engine, "SELECT DISTINCT customer_id FROM visit")}
    for real, duplicate, code in pairs:
        assert hetu_rules.check(code, TODAY).temporary
        assert real in visited and duplicate in visited
    assert count(engine, "SELECT count(*) FROM customer_merge") == 0


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
    # A year of exits, by every reason; most found work in the open labour market.
    reasons = Counter(reason for _cid, _p, _o, _c, reason in rows(
        engine, "SELECT customer_id, id, opened_on, closed_on, exit_reason "
                "FROM job_search_period WHERE exit_reason IS NOT NULL"))
    assert set(reasons) == set(CaseExitReason)
    assert reasons.most_common(1)[0][0] == CaseExitReason.EMPLOYED_OPEN_MARKET
    months = Counter(closed[:7] for (closed,) in rows(
        engine, "SELECT closed_on FROM job_search_period WHERE closed_on IS NOT NULL"))
    assert len(months) >= 12 and min(months.values()) >= 10
