"""The timeliness reports from the workstation's per-customer summary of the statutory
steps (app.services.reports.timeliness_steps) equal the same reports computed directly
(`timeliness.report(..., direct=True)`), figures and members, after any writes: through
the services (case closed and reopened, case facts, unemployment periods, barriers,
merges) and as rows written straight to the tables (meetings held, cancelled or
removed, plans accepted, a customer removed), as the write path, the sync pull, a
merge or an erasure changes them; on any today (the activation plan's clock looks two
years ahead of it)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from app.dto.case_work import CaseFactsInput
from app.dto.reports import ReportFilter
from app.models import Appointment, Customer, Plan, PlanVersion
from app.models.base import new_id
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    BenefitType,
    CaseExitReason,
    Channel,
    PlanStatus,
    PlanType,
)
from app.services.errors import ServiceError
from app.services.reports import timeliness, timeliness_steps
from tests.unit.test_report_timeliness import CUSTOMERS, TODAY, build, local

NAMES = tuple(timeliness.DIRECT)
IDS = tuple(row[0] for row in CUSTOMERS)
KINDS = (AppointmentType.INITIAL_INTERVIEW, AppointmentType.JOB_SEARCH_CONVERSATION,
         AppointmentType.PLAN_REVIEW, AppointmentType.SUPPLEMENTARY_CONVERSATION)



@pytest.fixture
def area(services):
    build(services)
    services.auth.sign_in("lead", "demo")
    return services


days = st.integers(min_value=-420, max_value=120).map(lambda n: TODAY + timedelta(days=n))
customers = st.sampled_from(IDS)


def reports(services, f: ReportFilter, today: date) -> dict[str, tuple]:
    """Each report by the summary and directly: (rows, members) twice."""
    inputs = replace(services.reports.inputs(), today=today)
    found = {}
    for name in NAMES:
        with services.ctx.reading() as s:
            cached = timeliness.report(name, s, f, inputs)
        with services.ctx.reading() as s:
            direct = timeliness.report(name, s, f, inputs, direct=True)
        found[name] = ((cached.rows, cached.members), (direct.rows, direct.members))
    return found


def assert_same(services, f: ReportFilter, today: date) -> None:
    for name, (cached, direct) in reports(services, f, today).items():
        assert cached == direct, (name, f, today)


# --- the writes ------------------------------------------------------------------------

def hold(services, cid: str, kind: AppointmentType, day: date, n: int) -> None:
    with services.ctx.session_factory.begin() as s:
        s.add(Appointment(customer_id=cid, staff_id="staff-coach",
                          service_point_id="sp-rov", type=kind, channel=Channel.SERVICE_POINT,
                          status=AppointmentStatus.DONE, starts_at=local(day),
                          ends_at=local(day) + timedelta(hours=1)))


def unhold(services, cid: str, how: str) -> None:
    """A meeting of the customer cancelled (an update) or gone (a delete, as a pull or
    an erasure removes rows)."""
    with services.ctx.session_factory.begin() as s:
        first = s.scalar(select(Appointment.id).where(Appointment.customer_id == cid)
                         .order_by(Appointment.starts_at))
        if first is None:
            return
        if how == "cancel":
            s.execute(update(Appointment).where(Appointment.id == first)
                      .values(status=AppointmentStatus.CANCELLED))
        else:
            s.execute(delete(Appointment).where(Appointment.id == first))


def accept_plan(services, cid: str, kind: PlanType, day: date, review: date | None,
                n: int) -> None:
    with services.ctx.session_factory.begin() as s:
        plan_id = new_id()
        s.add(Plan(id=plan_id, customer_id=cid, plan_type=kind, coach_id="staff-coach"))
        s.flush()
        s.add(PlanVersion(plan_id=plan_id, number=1,
                          status=PlanStatus.ACCEPTED, accepted_at=local(day),
                          next_review_on=review))


def close_or_reopen(services, cid: str, day: date) -> None:
    try:
        services.case_periods.close(cid, day, CaseExitReason.OTHER.value)
    except ServiceError:
        with suppress(ServiceError):
            services.case_periods.reopen(cid, day)


def subsidy(services, cid: str, start: date, end: date | None, days_paid: int | None,
            exhausted: date | None) -> None:
    try:
        services.case_facts.add_period(cid, start, end, BenefitType.LABOUR_MARKET_SUBSIDY.value)
        services.case_facts.save(cid, CaseFactsInput(
            partial_work_ability=days_paid is not None and days_paid % 2 == 0,
            subsidy_days=days_paid, subsidy_days_on=start if days_paid is not None else None,
            allowance_exhausted_on=exhausted))
    except ServiceError:
        pass


def barriers(services, cid: str, which: set[str]) -> None:
    with suppress(ServiceError):
        services.coaching.set_barriers(cid, which)


def merge(services, dup: str, real: str) -> None:
    with suppress(ServiceError):
        services.customer_merge.merge(dup, real)


def remove(services, cid: str, born: date) -> None:
    """The customer's row changed as a pull or an erasure changes it: another birth day,
    or removed."""
    with services.ctx.session_factory.begin() as s:
        if born.day == 1:
            s.execute(update(Customer).where(Customer.id == cid)
                      .values(deleted_at=local(born)))
        else:
            s.execute(update(Customer).where(Customer.id == cid).values(birth_date=born))


writes = st.one_of(
    st.tuples(st.just("hold"), customers, st.sampled_from(KINDS), days),
    st.tuples(st.just("unhold"), customers, st.sampled_from(("cancel", "delete"))),
    st.tuples(st.just("plan"), customers,
              st.sampled_from((PlanType.EMPLOYMENT, PlanType.ACTIVATION,
                               PlanType.INTEGRATION)), days, st.one_of(st.none(), days)),
    st.tuples(st.just("case"), customers, days),
    st.tuples(st.just("subsidy"), customers, days, st.one_of(st.none(), days),
              st.one_of(st.none(), st.integers(0, 600)), st.one_of(st.none(), days)),
    st.tuples(st.just("barriers"), customers,
              st.sets(st.sampled_from(("debt", "health", "skills", "language")))),
    st.tuples(st.just("merge"), customers, customers),
    st.tuples(st.just("customer"), customers,
              st.dates(date(1960, 1, 1), date(2005, 12, 31))),
)


def apply(services, write: tuple, n: int) -> None:
    what, *args = write
    if what == "hold":
        hold(services, *args, n)
    elif what == "unhold":
        unhold(services, *args)
    elif what == "plan":
        accept_plan(services, *args, n)
    elif what == "case":
        close_or_reopen(services, *args)
    elif what == "subsidy":
        subsidy(services, *args)
    elif what == "barriers":
        barriers(services, *args)
    elif what == "merge":
        if args[0] != args[1]:
            merge(services, *args)
    else:
        remove(services, *args)


filters = st.builds(
    lambda first, length, point, team: ReportFilter(first, first + timedelta(days=length),
                                                    service_point_id=point, team_id=team),
    days, st.integers(0, 400), st.sampled_from((None, "sp-rov", "sp-ran")),
    st.sampled_from((None, "team-2")))
todays = st.one_of(st.just(TODAY), days,
                   st.integers(0, 1200).map(lambda n: TODAY + timedelta(days=n)))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(batch=st.lists(writes, max_size=6), checks=st.lists(st.tuples(filters, todays),
                                                             min_size=1, max_size=3))
def test_the_summary_equals_the_direct_reports_after_any_writes(area, batch, checks):
    # One area for every example: the writes of the earlier ones stay (more history).
    for n, write in enumerate(batch):
        apply(area, write, len(batch) * 1000 + n)
    for f, today in checks:
        assert_same(area, f, today)


def test_the_summary_is_kept_and_only_the_changed_customers_computed_again(area):
    period = ReportFilter(date(2025, 12, 1), date(2026, 2, 28))
    assert_same(area, period, TODAY)
    with area.ctx.reading() as s:
        assert timeliness_steps.refresh(s, TODAY) == 0  # nothing changed since
        assert s.connection().exec_driver_sql(
            "SELECT count(*) FROM timeliness_step").scalar() > 0
    hold(area, "i3", AppointmentType.INITIAL_INTERVIEW, date(2026, 1, 9), 1)
    with area.ctx.reading() as s:
        dirty = [r[0] for r in s.connection().exec_driver_sql(
            "SELECT customer_id FROM timeliness_dirty")]
    assert dirty == ["i3"]
    assert_same(area, period, TODAY)
    interviews = area.reports.run("initial_interviews_on_time", period)
    # i3's interview (due 7.1.2026), held 9.1.: now late by 2 days, no longer missing.
    assert interviews.rows[0][1:5] == (5, 2, 2, 0)
    with area.ctx.reading() as s:
        assert s.connection().exec_driver_sql(
            "SELECT count(*) FROM timeliness_dirty").scalar() == 0


def test_a_merge_and_a_closed_case_reach_the_summary(area):
    period = ReportFilter(date(2025, 12, 1), date(2026, 2, 28))
    before = area.reports.run("initial_interviews_on_time", period).rows[0]
    area.case_periods.close("i3", date(2026, 1, 5), CaseExitReason.OTHER.value)
    after = area.reports.run("initial_interviews_on_time", period).rows[0]
    assert after[1] == before[1] - 1  # i3's interview was due 7.1., the case ended 5.1.
    area.customer_merge.merge("i6", "i2")  # neither has a plan
    assert_same(area, period, TODAY)
    with area.ctx.reading() as s:
        left = s.connection().exec_driver_sql(
            "SELECT count(*) FROM timeliness_step WHERE customer_id = 'i6'").scalar()
    assert left == 0  # the duplicate's steps went with it
    assert_same(area, ReportFilter(date(2025, 6, 1), date(2026, 6, 1)), TODAY)


def test_the_activation_plan_follows_today(area):
    # A subsidy running since 2025: the 500-day limit is reached within two years of a
    # later today only; the summary counts it as the direct report does on each day.
    area.case_facts.add_period("j2", date(2025, 1, 1), None,
                               BenefitType.LABOUR_MARKET_SUBSIDY.value)
    period = ReportFilter(date(2026, 1, 1), date(2028, 12, 31))
    for today in (TODAY - timedelta(days=400), TODAY, TODAY + timedelta(days=500),
                  TODAY + timedelta(days=900), TODAY):
        assert_same(area, period, today)


def test_the_direct_reports_need_no_summary(area):
    with area.ctx.session_factory.begin() as s:
        s.connection().exec_driver_sql("DROP TABLE timeliness_meta")
    with area.ctx.reading() as s:
        assert not timeliness_steps.available(s)
    table = area.reports.run("initial_interviews_on_time",
                             ReportFilter(date(2025, 12, 1), date(2026, 2, 28)))
    assert table.rows[0][1] == 5


def test_a_busy_database_counts_directly_this_once(area, monkeypatch):
    from sqlalchemy.exc import OperationalError

    period = ReportFilter(date(2025, 12, 1), date(2026, 2, 28))
    hold(area, "i3", AppointmentType.INITIAL_INTERVIEW, date(2026, 1, 9), 1)

    def busy(_s, _today):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(timeliness_steps, "refresh", busy)
    table = area.reports.run("initial_interviews_on_time", period)
    assert table.rows[0][1:5] == (5, 2, 2, 0)  # i3's interview held late, counted
    with area.ctx.reading() as s:
        assert "i3" in {r[0] for r in s.connection().exec_driver_sql(
            "SELECT customer_id FROM timeliness_dirty")}  # still to compute


def test_a_change_written_while_the_steps_are_computed_is_not_lost(area, monkeypatch):
    """A pull or a save on another thread commits a held interview for a customer whose
    steps are being computed from the older state: the customer stays marked, and the
    next report counts the interview (the review found the marks deleted after the
    computation, so the change was lost until the customer changed again)."""
    period = ReportFilter(date(2025, 12, 1), date(2026, 2, 28))
    assert_same(area, period, TODAY)
    hold(area, "i3", AppointmentType.JOB_SEARCH_CONVERSATION, date(2026, 1, 20), 1)
    real = timeliness_steps.compute
    written = []

    def compute_then_someone_writes(s, ids, today):
        found = real(s, ids, today)
        if not written:  # another connection's commit, after the rows were read
            written.append(True)
            hold(area, "i3", AppointmentType.INITIAL_INTERVIEW, date(2026, 1, 9), 2)
        return found

    monkeypatch.setattr(timeliness_steps, "compute", compute_then_someone_writes)
    area.reports.run("initial_interviews_on_time", period)
    with area.ctx.reading() as s:
        assert [r[0] for r in s.connection().exec_driver_sql(
            "SELECT customer_id FROM timeliness_dirty")] == ["i3"]
    monkeypatch.setattr(timeliness_steps, "compute", real)
    assert_same(area, period, TODAY)


def test_every_trigger_that_marks_customers_is_there_at_the_head_revision(services):
    """A later migration that rebuilds one of the source tables (SQLite's batch alter)
    drops its triggers, and the summary would go stale without a word: at the head
    revision every trigger of migration 0090 must exist."""
    import importlib.util
    from pathlib import Path

    import app.db

    path = Path(app.db.__file__).parent / "local" / "versions" / "0090_timeliness_steps.py"
    spec = importlib.util.spec_from_file_location("local_0090", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with services.ctx.reading() as s:
        present = {r[0] for r in s.connection().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert set(module.trigger_names()) <= present
