"""A pull that read a table to the end moves the login's cursor up to the horizon, past
the rows its policies hide (#28 item 5): a desk's pull no longer reads every case note,
barrier and plan of the area through the row-level policies at each notification, and
what the login may read still arrives, however far the cursor moved."""

from __future__ import annotations

from sqlalchemy import select, text

from app.models import CustomerBarrier
from app.sync import pull as pull_mod
from app.sync.pull import read_cursor


def _desk_and_coach(make_desk):
    """A desk's and a coach's workstations, as the staff-role convergence tests make them."""
    from tests.integration.test_converged_as_staff import _three

    return _three(make_desk)


def _pull_past_open_transactions(desk):
    """A pull whose horizon waits for every transaction open on the cluster at its start
    (another run's): the assertions on how far cursors move depend on it."""
    pull_mod.pull(desk.services.ctx.engine, desk.engine.central, desk.engine.point_id(),
                  wait=30)


def _cursor(desk, table):
    staff_id = desk.services.ctx.signed_in.staff_id
    with desk.services.ctx.engine.connect() as conn:
        return read_cursor(conn, table, staff_id)


def test_a_hidden_tables_cursor_moves_to_the_horizon(make_desk, staff_central, monkeypatch):
    monkeypatch.setattr(pull_mod, "CURSOR_GAP", 0)  # every pull moves it (default: 50)
    front, coach, customer = _desk_and_coach(make_desk)
    coach.services.coaching.set_barriers(customer, {"debt"})
    coach.sync()
    with staff_central.connect() as conn:
        written = int(conn.execute(text(
            "SELECT max(row_tx)::text FROM customer_barrier")).scalar())
    _pull_past_open_transactions(front)
    tx, row_id = _cursor(front, "customer_barrier")
    assert int(tx) > written and row_id == ""  # past the barrier it may not read
    with front.services.ctx.session_factory() as s:
        assert s.scalars(select(CustomerBarrier)).all() == []

    # What the login reads still comes, the cursor having moved past hidden rows.
    coach.services.coaching.set_barriers(customer, {"debt", "health"})
    form = coach.services.customers.edit_form(customer)
    form.phone = "040 1234567"
    coach.services.customers.update(customer, form,
                                    coach.services.customers.get(customer).revision)
    coach.sync()
    _pull_past_open_transactions(front)
    assert front.services.customers.get(customer).phone == "040 1234567"
    assert int(_cursor(front, "customer_barrier")[0]) > int(tx)
    coach.sync()
    with coach.services.ctx.session_factory() as s:
        assert {b.barrier for b in s.scalars(select(CustomerBarrier))} == {"debt", "health"}


def test_a_cursor_close_behind_the_horizon_stays(make_desk, monkeypatch):
    """Only a cursor `CURSOR_GAP` transactions behind is written: an idle pull writes
    nothing locally."""
    front, _coach, _customer = _desk_and_coach(make_desk)
    before = _cursor(front, "customer_barrier")
    monkeypatch.setattr(pull_mod, "CURSOR_GAP", 10**9)
    front.sync()
    assert _cursor(front, "customer_barrier") == before


def test_a_shared_cursor_never_moves_past_what_it_did_not_see(make_desk, monkeypatch):
    """The queue's cursor is the point's staff's alike: a login that reads less of it (of
    another point, say) must not move it for them; only a reader's own cursors move."""
    monkeypatch.setattr(pull_mod, "CURSOR_GAP", 0)
    front, _coach, _customer = _desk_and_coach(make_desk)
    front.services.queue.register_walk_in(None, "information")
    front.sync()
    with front.services.ctx.engine.connect() as conn:
        cursors = dict(conn.execute(text(
            "SELECT key, value FROM local_setting WHERE key LIKE 'pull_cursor:%'")).all())
    own = {k: v for k, v in cursors.items() if k.count(":") == 2}
    shared = {k: v for k, v in cursors.items() if k.count(":") == 1}
    # Moved to the horizon, "(horizon, '')", the reader's own: never a shared one.
    assert any(value.endswith("|") for value in own.values()), own
    assert not any(value.endswith("|") for value in shared.values()), shared


def test_a_new_role_starts_the_readers_own_cursors_again(make_desk, staff_central,
                                                         monkeypatch):
    """A desk worker made a coach may read the case work its cursors passed by unseen:
    a change of role (team, point, the role's permissions) starts them again."""
    monkeypatch.setattr(pull_mod, "CURSOR_GAP", 0)
    front, coach, customer = _desk_and_coach(make_desk)
    coach.services.coaching.set_barriers(customer, {"debt"})
    coach.sync()
    front.sync()
    front.sync()  # the barrier's cursor now past it, unseen
    with front.services.ctx.session_factory() as s:
        assert s.scalars(select(CustomerBarrier)).all() == []
    with staff_central.begin() as conn:
        conn.execute(text("UPDATE staff SET role = 'coach' WHERE username = 'desk'"))
    front.sync()
    with front.services.ctx.session_factory() as s:
        assert [b.barrier for b in s.scalars(select(CustomerBarrier))] == ["debt"]
