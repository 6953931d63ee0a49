"""The appointment service on a real local database: booking, double-booking refusal,
rescheduling history, check-in into the queue, no-shows, rates, reminders."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from app.dto.appointments import BookingInput
from app.i18n import HELSINKI
from app.models import CalendarOverride, WorkingHours
from app.rules import booking as rules
from app.rules.codes import ServiceArea
from app.services.appointments import REMINDER_COLUMNS, BookingError, reminders_csv
from app.services.errors import ServiceError, ValidationFailed
from tests.factories import Clock, add_people

COACH = "staff-coach"


def local(y, m, d, h=0, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=HELSINKI)


def add_hours(services, *staff_ids):
    with services.ctx.session_factory.begin() as s:
        for staff_id in staff_ids:
            for h in rules.standard_week(valid_from=date(2025, 1, 1)):
                s.add(WorkingHours(staff_id=staff_id, weekday=h.weekday, start_minute=h.start,
                                   end_minute=h.end, lunch_start_minute=h.lunch_start,
                                   lunch_end_minute=h.lunch_end, valid_from=h.valid_from))


@pytest.fixture
def appt(signed_in):
    clock = Clock(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))  # Tue 8.00 in Helsinki
    signed_in.ctx.now = clock
    add_hours(signed_in, COACH, "staff-lead")
    signed_in.people = add_people(signed_in)
    signed_in.clock = clock
    return signed_in


def booking(svc, start, staff=COACH, customer=0, minutes=60, **kw):
    return BookingInput(svc.people[customer], staff, kw.pop("type", "job_search_conversation"),
                        kw.pop("channel", "service_point"), start, minutes, **kw)


def test_book_and_refuse_double_booking(appt):
    a = appt.appointments
    row = a.book(booking(appt, local(2026, 11, 25, 9), room="Neuvotteluhuone Äijä"))
    assert row.status == "booked" and row.staff_name == "Pekka Ylitalo"
    with pytest.raises(BookingError) as worker_taken:
        a.book(booking(appt, local(2026, 11, 25, 9, 30), customer=1))
    assert worker_taken.value.message == "The worker already has an appointment {start}–{end}."
    assert worker_taken.value.params == {"start": "9.00", "end": "10.00"}
    with pytest.raises(BookingError) as room_taken:
        a.book(booking(appt, local(2026, 11, 25, 9), staff="staff-lead", customer=1,
                       room="neuvotteluhuone  äijä"))
    assert "{room}" in room_taken.value.message
    # The same time with another worker in another room is fine.
    a.book(booking(appt, local(2026, 11, 25, 9), staff="staff-lead", customer=1, room="3"))


def test_holiday_and_validation_refusals(appt):
    a = appt.appointments
    with pytest.raises(BookingError, match="holiday"):
        a.book(booking(appt, local(2026, 12, 24, 9)))
    with appt.ctx.session_factory.begin() as s:
        s.add(CalendarOverride(day=date(2026, 12, 24), kind="open", service_point_id="sp-rov"))
    assert a.book(booking(appt, local(2026, 12, 24, 9))).status == "booked"
    with pytest.raises(ValidationFailed) as bad:
        a.book(booking(appt, local(2026, 11, 26, 9), channel="video"))
    assert set(bad.value.errors) == {"video_link"}


def test_reschedule_keeps_history(appt):
    a = appt.appointments
    first = a.book(booking(appt, local(2026, 11, 25, 9)))
    with pytest.raises(ValidationFailed):
        a.reschedule(first.id, local(2026, 11, 26, 9), reason=" ")
    second = a.reschedule(first.id, local(2026, 11, 26, 9), reason="Asiakas sairastui")
    third = a.reschedule(second.id, local(2026, 11, 27, 12), reason="Työhaastattelu")
    chain = a.history(third.id)
    assert [r.id for r in chain] == [first.id, second.id, third.id]
    assert [r.status for r in chain] == ["cancelled", "cancelled", "booked"]
    assert chain[0].cancel_reason == "Asiakas sairastui"
    assert third.rescheduled_from_id == second.id
    # The freed time can be booked again.
    a.book(booking(appt, local(2026, 11, 25, 9), customer=2))
    assert a.for_customer(appt.people[0])[0].id == third.id


def test_check_in_puts_the_customer_first_in_the_workers_queue(appt):
    a, q = appt.appointments, appt.queue
    row = a.book(booking(appt, local(2026, 11, 24, 9)))
    walk_in = q.register_walk_in(None, ServiceArea.FINDING_WORK.value, "accessibility")
    appt.clock.advance(50)
    code = a.check_in(row.id)
    assert a.get(row.id).status == "arrived"
    with pytest.raises(ServiceError):
        a.check_in(row.id)  # once only
    snap = q.snapshot()
    ticket = next(t for t in snap.waiting if t.code == code)
    assert ticket.priority > walk_in.priority
    assert ticket.transferred_to_name == "Pekka Ylitalo"
    assert snap.waiting[0].code == code
    q.start_duty()
    assert q.call_next().code == code  # the worker calls their own customer first


def test_no_show_then_rebook_and_rates(appt):
    a = appt.appointments
    row = a.book(booking(appt, local(2026, 11, 24, 9)))
    with pytest.raises(ServiceError):
        a.mark_no_show(row.id)  # not started yet
    appt.clock.advance(70)
    assert a.mark_no_show(row.id).status == "no_show"
    slots = a.find_slots(60, staff_id=COACH, count=3)
    assert slots[0].starts_at == local(2026, 11, 24, 9, 30)  # the time is free again
    rebooked = a.book(booking(appt, slots[1].starts_at), rescheduled_from=row.id)
    assert [r.id for r in a.history(rebooked.id)] == [row.id, rebooked.id]
    held = a.book(booking(appt, local(2026, 11, 25, 9), customer=1))
    appt.clock.advance(60 * 24 * 2)
    with appt.ctx.session_factory.begin() as s:  # held: the visit was recorded
        from app.models import Appointment
        from app.rules.codes import AppointmentStatus
        s.get(Appointment, held.id).status = AppointmentStatus.DONE
    rates = {(r.kind, r.name): r for r in a.no_show_rates(date(2026, 11, 1),
                                                          date(2026, 11, 30))}
    mine = rates[("staff", "Pekka Ylitalo")]
    assert (mine.due, mine.no_shows) == (2, 1) and mine.rate == 0.5
    assert rates[("service_point", "Rovaniemi – Osaamo")].no_shows == 1
    assert a.no_show_rates(date(2026, 12, 1), date(2026, 12, 31)) == []


def test_find_slots_for_any_worker(appt):
    a = appt.appointments
    a.book(booking(appt, local(2026, 11, 24, 9)))
    slots = a.find_slots(60, service_point_id="sp-rov", count=4)
    assert {s.staff_name for s in slots} == {"Pekka Ylitalo", "Liisa Lead"}
    # Pekka is booked 9-10, so after 8.00 only Liisa (and nobody without hours) is free.
    assert [(s.staff_name, s.starts_at.astimezone(HELSINKI).strftime("%H:%M"))
            for s in slots] == [("Liisa Lead", "08:00"), ("Pekka Ylitalo", "08:00"),
                                ("Liisa Lead", "08:30"), ("Liisa Lead", "09:00")]
    mine = a.find_slots(60, staff_id=COACH, count=2)
    assert [s.starts_at for s in mine] == [local(2026, 11, 24, 8), local(2026, 11, 24, 10)]


def test_reminders_csv(appt):
    a = appt.appointments
    a.book(booking(appt, local(2026, 11, 25, 12, 30), customer=3, type="plan_review",
                   channel="video", video_link="https://video.example.org/x"))
    a.book(booking(appt, local(2026, 11, 25, 9)))
    a.cancel(a.book(booking(appt, local(2026, 11, 25, 14), customer=1)).id, "Ei tarvetta")
    rows = a.reminders(date(2026, 11, 25))
    assert [r.customer_name for r in rows] == ["Mäkelä, Aino Maria", "Guttorm, Máret Čuovga"]
    text = reminders_csv(rows)
    table = list(csv.reader(io.StringIO(text)))
    assert tuple(table[0]) == REMINDER_COLUMNS
    assert table[2][:4] == ["2026-11-25", "12:30", "13:30", "Guttorm, Máret Čuovga"]
    assert table[2][REMINDER_COLUMNS.index("video_link")] == "https://video.example.org/x"


def test_deadline_follows_the_statutory_rule(appt):
    from app.models import Customer

    with appt.ctx.session_factory.begin() as s:
        s.get(Customer, appt.people[0]).jobseeker_registered_on = date(2026, 12, 18)
    info = appt.appointments.deadline(appt.people[0])
    # 10 working days from Fri 18.12.2026, skipping 24.-26.12, 1.1. and 6.1.2027.
    assert info.due_on == date(2027, 1, 7) and info.working_days == 10
    assert "380/2023" in info.source
    assert appt.appointments.deadline(appt.people[1]) is None
    assert timedelta(days=0) < info.due_on - info.registered_on


def test_still_to_come_today_counts_my_booked_appointments_not_yet_over(appt):
    a = appt.appointments  # signed in as the coach; now Tue 24.11. 8.00
    first = a.book(booking(appt, local(2026, 11, 24, 9)))
    second = a.book(booking(appt, local(2026, 11, 24, 12), customer=1))
    third = a.book(booking(appt, local(2026, 11, 24, 14), customer=2))
    a.book(booking(appt, local(2026, 11, 25, 9), customer=3))  # tomorrow
    a.book(booking(appt, local(2026, 11, 24, 9), staff="staff-lead", customer=4))  # not mine
    assert a.still_to_come_today() == 3
    appt.clock.advance(121)  # 10.01: the first is over
    assert a.still_to_come_today() == 2 and a.get(first.id).status == "booked"
    appt.clock.advance(115)  # 11.56
    a.check_in(second.id)
    a.cancel(third.id, "The customer found work.")
    assert a.still_to_come_today() == 0
