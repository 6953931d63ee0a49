"""How the timeliness reports read a year fast (#25, reports fast over years): from the
local-only covering indexes of migration 0085, the meetings by their precomputed local
day, and the common customer (one job-search period) asked without building a cycle."""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import event

from app.db.central_schema import central_metadata
from app.models import Base
from app.services.reports import timeliness
from tests.unit.test_report_timeliness import PERIOD, build

MIGRATION = importlib.import_module("app.db.local.versions.0085_timeliness_indexes")


@pytest.fixture
def area(services):
    build(services)
    services.auth.sign_in("lead", "demo")
    return services


def test_the_indexes_are_the_models_and_stay_local():
    central = central_metadata()
    for table, name, columns in MIGRATION.INDEXES:
        index = next(i for i in Base.metadata.tables[table].indexes if i.name == name)
        assert [c.name for c in index.columns] == columns
        assert index.info.get("local_only")
        assert name not in {i.name for i in central.tables[table].indexes}


@pytest.mark.parametrize("name", ["initial_interviews_on_time",
                                  "job_search_conversations_on_time",
                                  "activation_plans_on_time"])
def test_the_reports_read_from_the_covering_indexes(area, name):
    sent: list[tuple[str, object]] = []

    @event.listens_for(area.ctx.engine, "before_cursor_execute")
    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))

    try:
        area.reports.run(name, PERIOD)
    finally:
        event.remove(area.ctx.engine, "before_cursor_execute", capture)
    selects = [(st, p) for st, p in sent if st.lstrip().upper().startswith("SELECT")]
    # The meetings by their local day, never by converting each start.
    assert not [st for st, _p in selects if "appointment.starts_at" in st]
    with area.ctx.engine.connect() as conn:
        plans = " ".join(str(conn.exec_driver_sql("EXPLAIN QUERY PLAN " + st, p).all())
                         for st, p in selects)
    assert "COVERING INDEX ix_customer_report_clock" in plans
    if name == "activation_plans_on_time":
        assert "COVERING INDEX ix_unemployment_period_report" in plans
    else:
        assert "COVERING INDEX ix_job_search_period_report" in plans
        assert "COVERING INDEX ix_customer_barrier_report" in plans
        assert "COVERING INDEX ix_appointment_report_held" in plans


def test_the_one_period_path_is_the_cycles_path(area):
    """interview_steps asks a customer with one job-search period (or none) directly:
    the same steps, in the same order, as going through `Scope.cycles` for everyone."""
    with area.ctx.reading() as s:
        fast = timeliness.interview_steps(s, PERIOD)
        scope = timeliness.read_scope(
            s, PERIOD, timeliness._registered_in(PERIOD, PERIOD.date_from
                                                 - timeliness.INTERVIEW_REACH),
            kinds=timeliness.RESTARTS_CLOCK)
    steps = ((cycle, step) for cid in scope.facts for cycle in scope.cycles(cid)
             if (step := timeliness.interview_step(cycle.facts)) is not None)
    slow = timeliness._counted_cycles(PERIOD, scope, steps)
    assert fast and [step for _f, step in fast] == [step for _f, step in slow]
    assert [f.id for f, _s in fast] == [f.id for f, _s in slow]


def test_a_merged_count_finds_each_nth_day():
    from datetime import date, timedelta

    from app.rules.clock import SubsidySpell

    spells = [SubsidySpell(date(2025, 1, 6), date(2025, 3, 31)),
              SubsidySpell(date(2025, 3, 15), date(2025, 6, 30)),
              SubsidySpell(date(2025, 9, 1), None)]
    horizon = date(2026, 12, 31)
    # Counted by hand, day by day: Monday to Friday within any of the periods.
    days, day = [], date(2025, 1, 1)
    while day <= horizon:
        if day.weekday() < 5 and any(sp.starts_on <= day <= (sp.ends_on or horizon)
                                     for sp in spells):
            days.append(day)
        day += timedelta(days=1)
    merged = timeliness._merged_runs(spells, horizon)
    for n in (1, 60, 125, 180, 400):
        assert timeliness._nth_of(merged, n) == days[n - 1]
    assert timeliness._nth_of(merged, len(days) + 1) is None
