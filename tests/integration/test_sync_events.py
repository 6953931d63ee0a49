"""Events and rooms between workstations through the central PostgreSQL, as the real
staff roles (#21). Two desks book one room for overlapping times offline: each
workstation refused nothing (neither knew of the other), the centre keeps the room for
the booking that reached it first, the later one keeps its time without the room, and
both desks see the conflict to settle on their Synchronisation page. An event made on
one desk, its list filled on another and a participant checked in on a third reaches
all of them."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import (
    Appointment,
    Event,
    EventAttendance,
    EventParticipant,
    EventSession,
    Room,
    SyncConflict,
    new_id,
)
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    Channel,
    CheckInVia,
    EventKind,
    ParticipantStatus,
)
from app.rules.events import attendance_id, participant_id
from app.rules.permissions import Permission
from tests.factories import customer_input
from tests.integration.test_sync import assert_converged
from tests.integration.test_sync_referrals import _synced, central


@pytest.fixture
def area(make_desk):
    return functools.partial(make_desk, as_staff=True)


def _world(area):
    """The administrator's seed: a room at Osaamo and a customer of the point."""
    seeder = area("seed", seed=True, as_staff=False)
    services = seeder.sign_in("admin")
    card = services.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    with services.ctx.transaction(Permission.STAFF_MANAGE) as s:
        s.add(Room(id="room-1", service_point_id="sp-rov", name="Ryhmätila 1", seats=16,
                   accessible=True, active=True))
    seeder.sync()
    return card.id


def _slot(desk, hours_ahead: int = 0):
    start = desk.services.ctx.now().replace(minute=0, second=0, microsecond=0) + timedelta(
        days=2, hours=hours_ahead)
    return start, start + timedelta(minutes=45)


def _book(desk, customer_id, start, end, room="room-1"):
    with desk.services.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
        row = Appointment(id=new_id(), customer_id=customer_id, staff_id="staff-coach",
                          service_point_id="sp-rov", type=AppointmentType.OTHER,
                          channel=Channel.SERVICE_POINT, status=AppointmentStatus.BOOKED,
                          starts_at=start, ends_at=end, room_id=room)
        s.add(row)
    return row.id


def _room_of(desk, model, row_id):
    with desk.services.ctx.session_factory() as s:
        return s.get(model, row_id).room_id


def test_a_room_booked_twice_offline_stays_with_the_first_and_the_second_is_a_conflict(
        area, staff_central):
    customer = _world(area)
    a, b = area("a"), area("b")
    a.sign_in("desk")
    b.sign_in("coach")
    _synced(a)
    _synced(b)
    start, end = _slot(a)
    # Offline, each desk books the room for overlapping times: neither knows the other.
    first = _book(a, customer, start, end)
    second = _book(b, customer, start + timedelta(minutes=15), end + timedelta(minutes=15))
    _synced(a)
    report = _synced(b)
    assert report.rejected == 0  # kept, not refused: the booking stands without the room
    _synced(a)
    _synced(b)
    assert central(staff_central, "SELECT id, room_id FROM appointment ORDER BY room_id") \
        == [(first, "room-1"), (second, None)]
    for desk in (a, b):
        assert _room_of(desk, Appointment, first) == "room-1"
        assert _room_of(desk, Appointment, second) is None
        with desk.services.ctx.session_factory() as s:
            conflicts = s.scalars(select(SyncConflict)).all()
        assert [(c.table_name, c.row_id, c.field, c.status) for c in conflicts] == [
            ("appointment", second, "room_id", "open")], desk.name
    assert_converged(staff_central, a, b)


def test_an_event_session_and_an_appointment_in_one_room_the_later_loses_it(
        area, staff_central):
    customer = _world(area)
    a, b = area("a"), area("b")
    a.sign_in("desk")
    b.sign_in("coach")
    _synced(a)
    _synced(b)
    start, end = _slot(a)
    appointment = _book(a, customer, start, end)
    with b.services.ctx.transaction(Permission.EVENT_EDIT) as s:
        s.add(Event(id="ev-1", service_point_id="sp-rov", kind=EventKind.SERVICE_INFO,
                    title="Palveluinfo", language="fi", capacity=20,
                    organiser_ids="staff-coach"))
        s.flush()
        s.add(EventSession(id="s-1", event_id="ev-1", service_point_id="sp-rov", number=1,
                           starts_at=start - timedelta(minutes=30), ends_at=end,
                           room_id="room-1"))
    _synced(a)
    _synced(b)
    _synced(a)
    assert _room_of(a, EventSession, "s-1") is None
    assert _room_of(b, EventSession, "s-1") is None
    assert _room_of(b, Appointment, appointment) == "room-1"
    assert central(staff_central, "SELECT table_name, row_id FROM sync_conflict") == [
        ("event_session", "s-1")]


def test_an_event_list_filled_on_one_desk_and_checked_in_on_another_reaches_both(
        area, staff_central):
    customer = _world(area)
    a, b = area("a"), area("b")
    a.sign_in("coach")
    b.sign_in("desk")
    _synced(a)
    _synced(b)
    start, end = _slot(a)
    with a.services.ctx.transaction(Permission.EVENT_EDIT) as s:
        s.add(Event(id="ev-1", service_point_id="sp-rov", kind=EventKind.GROUP_COACHING,
                    title="Ryhmävalmennus", language="fi", capacity=12,
                    organiser_ids="staff-coach"))
        s.flush()
        for n in (1, 2):
            s.add(EventSession(id=f"s-{n}", event_id="ev-1", service_point_id="sp-rov",
                               number=n, starts_at=start + timedelta(days=7 * (n - 1)),
                               ends_at=end + timedelta(days=7 * (n - 1)), room_id="room-1"))
        s.add(EventParticipant(id=participant_id("ev-1", customer), event_id="ev-1",
                               customer_id=customer, service_point_id="sp-rov",
                               status=ParticipantStatus.INVITED, invited_by="staff-coach",
                               invited_at=a.services.ctx.now()))
    _synced(a)
    _synced(b)
    # The desk checks the customer in at the first session: registered and present.
    with b.services.ctx.transaction(Permission.EVENT_ATTEND) as s:
        s.get(EventParticipant, participant_id("ev-1", customer)).status = \
            ParticipantStatus.REGISTERED
        s.add(EventAttendance(id=attendance_id("s-1", customer), session_id="s-1",
                              event_id="ev-1", customer_id=customer,
                              service_point_id="sp-rov", attended=True,
                              checked_in_by="staff-desk", via=CheckInVia.QUEUE))
    _synced(b)
    _synced(a)
    with a.services.ctx.session_factory() as s:
        assert s.get(EventParticipant, participant_id("ev-1", customer)).status == \
            ParticipantStatus.REGISTERED
        assert s.get(EventAttendance, attendance_id("s-1", customer)).via == CheckInVia.QUEUE
    assert central(staff_central, "SELECT updated_by FROM event_attendance") == [
        ("staff-desk",)]
    assert_converged(staff_central, a, b)
