"""The convergence check of the tests that sync as the real staff roles fits each role's
view: a desk's workstation holds no case work, a coach's does, and a row a workstation
holds beyond what its users may read fails the check (as does a write left behind)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.models import CustomerBarrier, OutboxEntry
from tests.factories import customer_input
from tests.integration.test_sync import assert_converged, quiet_as_staff, scope_rows


@pytest.fixture
def staff_desks(make_desk):
    return _three(make_desk)


def _three(desks):
    seeder = desks("seed", seed=True)
    card = seeder.sign_in("admin").customers.create(
        customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    seeder.sync()
    front = desks("front", as_staff=True)
    front.sign_in("desk")
    front.sync()
    shared = desks("shared", as_staff=True)
    shared.sign_in("coach")
    shared.sync()
    return front, shared, card.id


def test_each_workstation_holds_what_its_users_read(staff_desks, staff_central):
    front, shared, card = staff_desks
    shared.services.coaching.set_barriers(card, {"debt"})
    shared.sign_in("desk")  # a shared workstation: the coach's change waits for the coach
    shared.services.customers.update(
        card, shared.services.customers.edit_form(card),
        shared.services.customers.get(card).revision)
    assert_converged(staff_central, front, shared)
    point = front.engine.point_id()
    assert scope_rows(front.logins["desk"], "customer_barrier", point) == {}
    assert len(scope_rows(shared.logins["coach"], "customer_barrier", point)) == 1
    with front.services.ctx.session_factory() as s:
        assert s.scalars(select(CustomerBarrier)).all() == []
    with shared.services.ctx.session_factory() as s:
        assert len(s.scalars(select(CustomerBarrier)).all()) == 1


def test_a_row_beyond_the_users_view_fails_the_check(staff_desks, staff_central):
    front, shared, card = staff_desks
    shared.services.coaching.set_barriers(card, {"health"})
    shared.sync()
    with shared.services.ctx.session_factory() as s:
        barrier = s.scalars(select(CustomerBarrier)).one()
        values = {c.name: getattr(barrier, c.name) for c in CustomerBarrier.__table__.columns}
    with front.services.ctx.session_factory.begin() as s:
        s.add(CustomerBarrier(**values))  # case work on the desk's workstation
        s.query(OutboxEntry).filter(OutboxEntry.table_name == "customer_barrier").delete()
    with pytest.raises(AssertionError, match="customer_barrier: only local"):
        assert_converged(staff_central, front, shared)


def test_a_write_never_sent_fails_the_check(staff_desks, staff_central):
    front, shared, card = staff_desks
    shared.services.coaching.set_barriers(card, {"age"})
    shared.sign_out()
    shared.users.discard("coach")  # the coach never signs in here again
    shared.sign_in("desk")
    with pytest.raises(AssertionError, match="customer_barrier"):
        quiet_as_staff([front, shared], rounds=2)
