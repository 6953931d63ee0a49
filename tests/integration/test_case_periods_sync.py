"""A closed case travels between desks through the central PostgreSQL, as the real staff
roles: a coach closes it on one workstation, the desk on another pulls it closed; the
desk's own attempt to reopen it (forged past the application) is refused centrally by the
guard of c0060 and by the periods' row-level security."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.models import Customer, JobSearchPeriod, new_id
from app.rules.codes import CoachOnClose
from app.rules.permissions import Permission
from tests.factories import customer_input


@pytest.fixture
def area(make_desk):
    """Workstations whose users sync as their own central logins."""
    return functools.partial(make_desk, as_staff=True)


def central(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def test_a_coach_closes_a_case_and_the_other_desk_pulls_it_closed(area, staff_central):
    seeder = area("seed", seed=True, as_staff=False)
    services = seeder.sign_in("admin")
    today = services.ctx.today()
    card = services.customers.create(customer_input(
        "Mäkelä", "Aino", date(1985, 3, 12), 124,
        jobseeker_registered_on=today - timedelta(days=90)))
    services.coaching.assign(card.id, "staff-coach", "Alkuhaastattelu")
    seeder.sync()
    assert central(staff_central, "SELECT opened_on, closed_on FROM job_search_period "
                   "WHERE customer_id = :c", c=card.id) == [(today - timedelta(days=90), None)]

    a = area("a")
    coach = a.sign_in("coach")
    a.sync()
    closed_on = today - timedelta(days=2)
    coach.case_periods.close(card.id, closed_on, "employed_open_market", "Kaupan kassalle",
                             CoachOnClose.RELEASE)
    report = a.sync()
    assert report.rejected == 0, [(r.table_name, r.reason) for r in coach.sync.rejected()]
    assert central(staff_central, "SELECT active, coach_id FROM customer WHERE id = :c",
                   c=card.id) == [(False, None)]
    assert central(staff_central, "SELECT closed_on, exit_reason FROM job_search_period "
                   "WHERE customer_id = :c", c=card.id) == [(closed_on, "employed_open_market")]
    assert central(staff_central, "SELECT coach_id, previous_coach_id FROM coach_assignment "
                   "WHERE customer_id = :c ORDER BY assigned_at DESC LIMIT 1",
                   c=card.id) == [(None, "staff-coach")]
    assert central(staff_central, "SELECT detail::jsonb ->> 'reason' FROM audit_event "
                   "WHERE action = 'case.close'") == [("employed_open_market",)]

    b = area("b")
    desk = b.sign_in("desk")
    b.sync()
    case = desk.case_periods.periods(card.id)
    assert (case.status, case.closed_on, case.reason) == (
        "closed", closed_on, "employed_open_market")
    assert case.periods[0].outcome_note == ""  # case work: not the desk's to read
    with b.services.ctx.session_factory() as s:
        assert s.get(Customer, card.id).active is False

    # The desk's application refuses; forged past it, the centre refuses too.
    with pytest.raises(Exception, match="role"):
        desk.case_periods.reopen(card.id, today)
    with b.services.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
        s.get(Customer, card.id).active = True
        s.add(JobSearchPeriod(id=new_id(), customer_id=card.id, opened_on=today))
    report = b.sync()
    assert report.rejected == 2
    reasons = " ".join(r.reason for r in desk.sync.rejected())
    assert "may not close or reopen" in reasons and "row-level security" in reasons
    assert central(staff_central, "SELECT active FROM customer WHERE id = :c",
                   c=card.id) == [(False,)]
    assert central(staff_central, "SELECT count(*) FROM job_search_period WHERE "
                   "customer_id = :c", c=card.id) == [(1,)]

    # The coach reopens: a new period, and the case is open again on both desks.
    coach = a.sign_in("coach")
    coach.case_periods.reopen(card.id, today)
    assert a.sync().rejected == 0
    assert central(staff_central, "SELECT active FROM customer WHERE id = :c",
                   c=card.id) == [(True,)]
    with a.services.ctx.session_factory() as s:
        assert len(s.scalars(select(JobSearchPeriod).where(
            JobSearchPeriod.customer_id == card.id)).all()) == 2
