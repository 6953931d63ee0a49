"""Barriers and the coach history travel between desks through the central database;
two desks ticking the same barrier offline end with one row, not two."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text

from app.models import CoachAssignment, CustomerBarrier
from app.sync.digest import local_digest
from tests.factories import customer_input
from tests.integration.test_sync import _copy_credentials, central, desks  # noqa: F401


def test_barriers_and_coach_history_reach_the_other_desk(desks, central):  # noqa: F811
    a = desks("a", seed=True)
    services = a.sign_in()
    card = services.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    services.coaching.set_barriers(card.id, {"debt", "health", "age"})
    services.coaching.assign(card.id, "staff-coach", "Alkuhaastattelu")
    a.sync()
    b = desks("b")
    b.sync()
    _copy_credentials(a, b)
    other = b.sign_in()
    assert other.clock.customer_clock(card.id).barriers == ["age", "debt", "health"]
    assert [h.reason for h in other.coaching.history(card.id)] == ["Alkuhaastattelu"]
    # Both desks tick "skills" offline: the same row id, so one row after syncing.
    services.coaching.set_barriers(card.id, {"debt", "health", "age", "skills"})
    other.coaching.set_barriers(card.id, {"debt", "health", "age", "skills"})
    a.sync()
    b.sync()
    a.sync()
    with central.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM customer_barrier "
                                 "WHERE deleted_at IS NULL")).scalar()
    assert rows == 4
    tables = ["customer_barrier", "coach_assignment"]
    assert local_digest(a.services.ctx.engine, tables) == local_digest(b.services.ctx.engine,
                                                                        tables)
    with b.services.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(CoachAssignment)) == 1
        assert s.scalar(select(func.count()).select_from(CustomerBarrier)) == 4


def test_a_barrier_ticked_off_on_one_desk_and_on_again_on_another_comes_back(
        desks, central):  # noqa: F811
    """Found by the sync model (test_sync_model, DESK_TEST_SEED=3276812468709678993189416
    46661938671247): a barrier's row is ticked off and on again by any desk; the push used
    to refuse the tick on a row another desk had removed, and the change stayed refused."""
    a = desks("a", seed=True)
    services = a.sign_in()
    card = services.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    services.coaching.set_barriers(card.id, {"debt"})
    a.sync()
    b = desks("b")
    b.sync()
    _copy_credentials(a, b)
    other = b.sign_in()
    services.coaching.set_barriers(card.id, set())  # a ticks it off...
    a.sync()
    b.sync()
    assert other.clock.customer_clock(card.id).barriers == []
    other.coaching.set_barriers(card.id, {"debt"})  # ...and b, a week later, on again
    report = b.sync()
    assert report.rejected == 0
    a.sync()
    with central.connect() as conn:
        live = conn.execute(text("SELECT barrier FROM customer_barrier "
                                 "WHERE deleted_at IS NULL")).scalars().all()
    assert live == ["debt"]
    assert a.services.clock.customer_clock(card.id).barriers == ["debt"]
