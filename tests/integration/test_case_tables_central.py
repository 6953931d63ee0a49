"""The case tables of #19 (job-search periods, case facts, case notes and their history,
the coach history of closed cases) on their way through a real PostgreSQL: a demo area
seeded into the centre (as `central init --seed-from`) reaches a new workstation as each
role reads it, and a coach's close and facts written there come back to the first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.demo import fill
from app.models import CaseFacts, Customer, JobSearchPeriod, case_facts_id, first_period_id
from app.rules.codes import CaseExitReason
from app.rules.permissions import Permission
from app.sync.seed import seed_central
from tests.factories import ensure_staff_logins
from tests.integration.test_sync import Desk, scope_rows

pytestmark = pytest.mark.integration

CASE_TABLES = ("job_search_period", "case_facts", "customer_note", "coach_assignment")


@pytest.fixture
def demo_central(pg_url, tmp_path):
    """A small demo area on workstation "demo", seeded into a fresh central database whose
    staff logins are the demo accounts'."""
    from app.db.migrate import upgrade_central
    from app.sync.engine import central_engine

    upgrade_central(pg_url)
    ensure_staff_logins(pg_url)
    central = central_engine(pg_url)
    logins: dict = {}
    demo = Desk(tmp_path, "demo", central, as_staff=True, logins=logins)
    fill(demo.services, seed=5, scale=0.02)
    seed_central(demo.services.ctx.engine, central)
    made = [demo]

    def desk(name):
        made.append(Desk(tmp_path, name, central, as_staff=True, logins=logins))
        return made[-1]

    yield central, demo, desk
    for one in made:
        one.close()
    for engine in logins.values():
        engine.dispose()
    central.dispose()


def _held(desk, table):
    return scope_rows(desk.services.ctx.engine, table, None)


def _central(desk, user, table):
    return scope_rows(desk.logins[user], table, desk.engine.point_id())


def test_a_demo_areas_case_rows_reach_a_new_workstation_as_each_role_reads_them(
        demo_central):
    _central_engine, demo, desk = demo_central
    coach = desk("b")
    coach.sign_in("coach")
    coach.sync()
    for table in CASE_TABLES:
        expected = _central(coach, "coach", table)
        assert expected, table  # the demo has rows the coach reads in each
        assert _held(coach, table) == expected, table
    with demo.services.ctx.session_factory() as s:
        closed = s.scalars(select(JobSearchPeriod.id).where(
            JobSearchPeriod.closed_on.is_not(None))).all()
    assert set(closed) & set(_held(coach, "job_search_period"))
    # The desk's workstation: whether a case is open, never the facts or work ability.
    front = desk("c")
    front.sign_in("desk")
    front.sync()
    assert _held(front, "job_search_period") == _central(front, "desk", "job_search_period")
    assert _held(front, "job_search_period")
    assert _held(front, "case_facts") == {} and _held(front, "customer_note") == {}


def test_a_coachs_close_and_facts_come_back_to_the_demo_workstation(demo_central):
    _central_engine, demo, desk = demo_central
    coach = desk("b")
    services = coach.sign_in("coach")
    coach.sync()
    me = services.ctx.signed_in.staff_id
    today = services.ctx.today()
    with services.ctx.transaction(Permission.CASE_CLOSE) as s:
        customer = s.scalars(select(Customer).where(Customer.coach_id == me,
                                                    Customer.active.is_(True))
                             .order_by(Customer.id)).first()
        assert customer is not None
        period = s.get(JobSearchPeriod, first_period_id(customer.id))
        assert period is not None and period.closed_on is None
        period.closed_on = max(period.opened_on, today - timedelta(days=1))
        period.exit_reason = CaseExitReason.STUDIES
        period.outcome_note = "Aloitti opinnot."
        customer.active = False
        facts = s.scalars(select(CaseFacts).where(CaseFacts.customer_id == customer.id)
                          ).first()
        if facts is None:
            facts = CaseFacts(id=case_facts_id(customer.id), customer_id=customer.id)
            s.add(facts)
        facts.subsidy_days = 123
        facts.subsidy_days_on = today
        cid = customer.id
    report = coach.sync()
    assert report.pushed >= 3 and not report.rejected
    demo.sign_in("lead")
    demo.sync()
    with demo.services.ctx.session_factory() as s:
        assert s.get(Customer, cid).active is False
        back = s.get(JobSearchPeriod, first_period_id(cid))
        assert (back.exit_reason, back.outcome_note) == (CaseExitReason.STUDIES,
                                                         "Aloitti opinnot.")
        assert s.scalars(select(CaseFacts.subsidy_days).where(
            CaseFacts.customer_id == cid)).one() == 123
    for table in ("job_search_period", "case_facts"):
        # The demo workstation holds the whole area (Ranua's too): the same rows as the
        # centre in Rovaniemi's scope.
        expected, held = _central(demo, "lead", table), _held(demo, table)
        assert {i: held.get(i) for i in expected} == expected, table
