"""A new workstation's working set comes first (#28 item 1, app/sync/working_set.py):
when the first sync says the working set is in, the workstation already holds today's
queue of its service point, the coming two weeks' appointments, the customers they
name, the signed-in coach's caseload with its plans, and the area's staff, but not yet
the history; the full pull then brings everything of its scope, and later syncs never
fetch the working set again. Real PostgreSQL, the coach's own login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.models import Appointment, Customer, Plan, QueueTicket, Staff
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.rules.permissions import Permission
from tests.factories import add_people


def _ids(desk, model, column: str = "id") -> set[str]:
    with desk.services.ctx.session_factory() as s:
        return set(s.scalars(select(getattr(model, column))))


def _book(services, customer_id: str, at: datetime) -> str:
    """An appointment row through the one write path (outbox, audit stamps)."""
    with services.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
        row = Appointment(customer_id=customer_id, staff_id="staff-coach",
                          service_point_id="sp-rov", type=AppointmentType.OTHER,
                          channel=Channel.PHONE, status=AppointmentStatus.BOOKED,
                          starts_at=at, ends_at=at + timedelta(minutes=30))
        s.add(row)
        s.flush()
        return row.id


def test_the_working_set_arrives_first_then_the_rest(make_desk):
    a = make_desk("a", seed=True)
    services = a.sign_in("admin")
    mine, walk_in, booked, history, _other = add_people(services)
    services.auth.sign_out()
    coach = a.sign_in("coach")
    coach.coaching.assign(mine, "staff-coach", "test")
    coach.plans.create_plan(mine, "employment")
    ticket = coach.queue.register_walk_in(walk_in, "information")
    now = datetime.now(UTC).replace(microsecond=0)  # the centre's clock (PostgreSQL now())
    soon = _book(coach, booked, now + timedelta(days=7))
    long_ago = _book(coach, history, now - timedelta(days=60))
    a.sync()

    b = make_desk("b", as_staff=True)
    b.sign_in("coach")
    seen: dict = {}

    def ready(rows: int) -> None:
        seen.update(rows=rows, customers=_ids(b, Customer), tickets=_ids(b, QueueTicket),
                    appointments=_ids(b, Appointment), plans=_ids(b, Plan, "customer_id"),
                    staff=_ids(b, Staff))

    report = b.engine.sync_once(ready=ready)
    assert seen, "the working set was never announced"
    assert seen["customers"] == {mine, walk_in, booked}  # not the history's customers
    assert seen["tickets"] == {ticket.id}
    assert seen["appointments"] == {soon}  # two months ago is history
    assert seen["plans"] == {mine}  # the caseload's plans
    assert {"staff-desk", "staff-coach", "staff-lead", "staff-admin"} <= seen["staff"]
    assert seen["rows"] >= len(seen["customers"]) + len(seen["staff"])

    # The rest followed in the same sync: everything of the scope.
    assert _ids(b, Customer) == _ids(a, Customer)
    assert _ids(b, Appointment) == {soon, long_ago}
    assert report.pulled >= len(_ids(b, Customer))

    again: list[int] = []
    later = b.engine.sync_once(ready=again.append)
    assert again == []  # a finished first pull is not followed by another working set
    assert later.pulled == 0


def test_a_stopped_first_sync_brings_the_working_set_again(make_desk):
    """A first sync stopped part way (a closed laptop) has not finished: the next one
    brings the working set first again, then resumes the full pull."""
    a = make_desk("a", seed=True)
    services = a.sign_in("admin")
    first, *_rest = add_people(services)
    ticket = services.queue.register_walk_in(first, "information")
    a.sync()
    b = make_desk("b", as_staff=True)
    b.sign_in("desk")
    calls: list[int] = []

    def ready_then_stop(rows: int) -> None:  # stopped before the full pull's first table
        calls.append(rows)
        b.engine.stop.set()

    stopped = b.engine.sync_once(ready=ready_then_stop)
    assert stopped.more and calls and ticket.id in _ids(b, QueueTicket)
    b.engine.stop.clear()
    b.engine.sync_once(ready=calls.append)
    # In already: said again (the desk can serve), not fetched again.
    assert calls[1:] == [0]
    b.engine.sync_once(ready=calls.append)
    assert len(calls) == 2  # the first full pull has finished: nothing more to say
    assert _ids(b, Customer) == _ids(a, Customer)


def test_a_workstation_synced_before_the_working_set_existed_is_left_alone(make_desk):
    """An upgraded workstation (cursors of its own, no marks) does not fetch a working
    set nor claim to be in a first sync."""
    from sqlalchemy import delete

    from app.models import LocalSetting

    a = make_desk("a", seed=True)
    add_people(a.sign_in("admin"))
    a.sync()
    b = make_desk("b", as_staff=True)
    b.sign_in("desk")
    b.sync()
    with b.services.ctx.session_factory.begin() as s:  # as an older version left it
        s.execute(delete(LocalSetting).where(LocalSetting.key.like("working_set:%")
                                             | LocalSetting.key.like("pull_complete:%")))
    calls: list[int] = []
    b.engine.sync_once(ready=calls.append)
    assert calls == []
    with b.services.ctx.session_factory() as s:
        assert s.scalar(select(LocalSetting.value).where(
            LocalSetting.key.like("pull_complete:%"))) == "1"
