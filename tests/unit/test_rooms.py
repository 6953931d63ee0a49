"""Rooms as resources (#21): the administrators' room list and form, and a room never
double-booked: appointment against appointment, appointment against an event session,
refused in the same transaction with the clash named."""

from datetime import UTC, date, datetime

import pytest

from app.dto.appointments import BookingInput
from app.dto.events import RoomInput
from app.i18n import HELSINKI, _
from app.models import Event, EventSession, Room, ServicePoint, WorkingHours
from app.rules import booking as rules
from app.rules.codes import EventKind, ServicePointMode
from app.services.errors import Conflict, PermissionDenied, ValidationFailed
from tests.factories import Clock, add_people

COACH, LEAD = "staff-coach", "staff-lead"


def local(y, m, d, h=0, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=HELSINKI)


@pytest.fixture
def org(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))  # Tue 8.00 Helsinki
    with services.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           street_address="Keskustie 10", postal_code="97700",
                           mode=ServicePointMode.APPOINTMENT))
        for staff_id in (COACH, LEAD):
            for h in rules.standard_week(valid_from=date(2025, 1, 1)):
                s.add(WorkingHours(staff_id=staff_id, weekday=h.weekday, start_minute=h.start,
                                   end_minute=h.end, lunch_start_minute=h.lunch_start,
                                   lunch_end_minute=h.lunch_end, valid_from=h.valid_from))
    return services


@pytest.fixture
def admin(org):
    org.auth.sign_in("admin", "demo")
    return org


def test_add_list_and_edit_rooms(admin):
    rooms = admin.rooms
    kaira = rooms.add(RoomInput("sp-rov", "  Neuvotteluhuone   Kaira ", "8", True, "näyttö"))
    assert (kaira.name, kaira.seats, kaira.accessible, kaira.equipment) == (
        "Neuvotteluhuone Kaira", 8, True, "näyttö")
    rooms.add(RoomInput("sp-ran", "Asiointihuone", "3"))
    assert [r.name for r in rooms.list("sp-rov")] == ["Neuvotteluhuone Kaira"]
    assert {r.service_point_name for r in rooms.list()} == {"Rovaniemi – Osaamo", "Ranua"}
    # Deactivated: out of the booking lists, still in the administrators' list.
    rooms.edit(kaira.id, RoomInput("sp-rov", "Neuvotteluhuone Kaira", "10", active=False))
    assert rooms.list("sp-rov") == []
    assert [(r.seats, r.active) for r in rooms.list("sp-rov", include_inactive=True)] == [
        (10, False)]
    # The name is free again among the point's active rooms.
    rooms.add(RoomInput("sp-rov", "neuvotteluhuone kaira", "6"))


@pytest.mark.parametrize(("data", "fields"), [
    (RoomInput("sp-rov", "", "8"), {"name"}),
    (RoomInput("sp-rov", "Iso", "0"), {"seats"}),
    (RoomInput("sp-rov", "Iso", "501"), {"seats"}),
    (RoomInput("sp-rov", "Iso", "2,5"), {"seats"}),
    (RoomInput("", "Iso", "8"), {"service_point_id"}),
    (RoomInput("sp-nowhere", "", "x"), {"service_point_id", "name", "seats"}),
])
def test_room_form_refusals_per_field(admin, data, fields):
    with pytest.raises(ValidationFailed) as refused:
        admin.rooms.add(data)
    assert set(refused.value.errors) == fields


def test_room_names_unique_at_the_point(admin):
    admin.rooms.add(RoomInput("sp-rov", "Auditorio", "60"))
    with pytest.raises(ValidationFailed) as refused:
        admin.rooms.add(RoomInput("sp-rov", "AUDITORIO", "20"))
    assert set(refused.value.errors) == {"name"}
    admin.rooms.add(RoomInput("sp-ran", "Auditorio", "20"))  # another point: fine


def test_only_administrators_keep_rooms(org):
    org.auth.sign_in("coach", "demo")
    with pytest.raises(PermissionDenied):
        org.rooms.add(RoomInput("sp-rov", "Auditorio", "60"))
    assert org.rooms.list() == []  # reading is for everyone


def make_room(services, room_id="room-kaira", point="sp-rov", name="Kaira"):
    with services.ctx.session_factory.begin() as s:
        s.add(Room(id=room_id, service_point_id=point, name=name, seats=8, active=True))
    return room_id


@pytest.fixture
def coach(org):
    org.auth.sign_in("coach", "demo")
    org.people = add_people(org)
    return org


def book(svc, start, staff=COACH, customer=0, room_id="room-kaira", **kw):
    return svc.appointments.book(BookingInput(
        svc.people[customer], staff, "job_search_conversation",
        kw.pop("channel", "service_point"), start, kw.pop("minutes", 60), room_id=room_id, **kw))


def test_appointment_against_appointment(coach):
    make_room(coach)
    row = book(coach, local(2026, 11, 25, 9))
    assert row.room == "Kaira" and row.room_id == "room-kaira"
    with pytest.raises(Conflict) as clash:
        book(coach, local(2026, 11, 25, 9, 30), staff=LEAD, customer=1)
    text = clash.value.text()
    assert "Kaira" in text and "25.11. 9.00" in text and "10.00" in text
    # Right after it, and another room at the same time, are fine.
    book(coach, local(2026, 11, 25, 10), staff=LEAD, customer=1)
    make_room(coach, "room-2", name="Huone 2")
    book(coach, local(2026, 11, 25, 9), staff=LEAD, customer=2, room_id="room-2",
         minutes=30)
    # The room's calendar: in time order, by Helsinki day.
    bookings = coach.rooms.calendar("room-kaira", date(2026, 11, 25), date(2026, 11, 25))
    assert [b.starts_at.astimezone(HELSINKI).hour for b in bookings] == [9, 10]
    assert coach.rooms.calendar("room-kaira", date(2026, 11, 26), date(2026, 11, 30)) == []


def test_a_cancelled_appointment_frees_the_room(coach):
    make_room(coach)
    first = book(coach, local(2026, 11, 25, 9))
    coach.appointments.cancel(first.id, "Asiakas sairastui")
    assert book(coach, local(2026, 11, 25, 9), staff=LEAD, customer=1).room == "Kaira"


def test_rescheduling_keeps_the_room_and_checks_it(coach):
    make_room(coach)
    row = book(coach, local(2026, 11, 25, 9))
    # Moving within its own time is no clash with itself.
    moved = coach.appointments.reschedule(row.id, local(2026, 11, 25, 9, 30), reason="x")
    assert moved.room_id == "room-kaira"
    book(coach, local(2026, 11, 26, 9), staff=LEAD, customer=1)
    with pytest.raises(Conflict, match="room"):
        coach.appointments.reschedule(moved.id, local(2026, 11, 26, 9), reason="y")


def test_appointment_against_event_session(coach):
    make_room(coach)
    with coach.ctx.transaction(rules_permission()) as s:
        # Another worker's event (the coach's own would make the coach busy first).
        event = Event(service_point_id="sp-rov", kind=EventKind.SERVICE_INFO,
                      title="Palveluinfo", organiser_ids=LEAD)
        s.add(event)
        s.flush()
        s.add(EventSession(event_id=event.id, service_point_id="sp-rov", number=1,
                           starts_at=local(2026, 11, 27, 13).astimezone(UTC),
                           ends_at=local(2026, 11, 27, 15).astimezone(UTC),
                           room_id="room-kaira"))
    with pytest.raises(Conflict) as clash:
        book(coach, local(2026, 11, 27, 14))
    text = clash.value.text()
    assert "Palveluinfo" in text and "27.11. 13.00" in text and "15.00" in text
    book(coach, local(2026, 11, 27, 9))  # the morning is free


def test_a_room_of_another_point_is_refused(coach):
    make_room(coach, "room-ran", point="sp-ran", name="Asiointihuone")
    with pytest.raises(ValidationFailed) as refused:
        book(coach, local(2026, 11, 25, 9), room_id="room-ran")
    assert set(refused.value.errors) == {"room"}


def test_phone_appointment_books_no_room(coach):
    make_room(coach)
    row = book(coach, local(2026, 11, 25, 9), channel="phone")
    assert row.room_id is None
    book(coach, local(2026, 11, 25, 9), staff=LEAD, customer=1)  # the room is free


def rules_permission():
    from app.rules.permissions import Permission

    return Permission.EVENT_EDIT


def test_sync_conflict_on_a_room_in_words_and_resolved_only_when_free(coach):
    from app.models import Appointment, SyncConflict

    make_room(coach)
    kept = book(coach, local(2026, 11, 25, 9))
    # The other desk's booking lost the room centrally: a conflict on room_id.
    lost = book(coach, local(2026, 11, 25, 9), staff=LEAD, customer=1, room_id="")
    with coach.ctx.session_factory.begin() as s:
        s.add(SyncConflict(id="conflict-1", table_name="appointment", row_id=lost.id,
                           field="room_id", central_value="null",
                           client_value='"room-kaira"', client_node="desk-2",
                           client_hlc="x", status="open"))
    [row] = coach.sync.conflicts()
    assert (row.central_value, row.client_value) == (_("No room"), "Kaira")
    assert "25.11.2026 9.00" in row.record_label
    with pytest.raises(Conflict) as clash:
        coach.sync.resolve("conflict-1", "client")
    assert "Kaira" in clash.value.text()
    assert coach.sync.conflicts()  # still open
    coach.appointments.cancel(kept.id, "Siirretty")
    coach.sync.resolve("conflict-1", "client")
    with coach.ctx.session_factory() as s:
        assert s.get(Appointment, lost.id).room_id == "room-kaira"
    assert coach.sync.conflicts() == []
