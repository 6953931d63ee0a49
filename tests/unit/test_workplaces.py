"""Where a worker works each day (#21): a one-day row at another service point overrides
the weekly row, the slot finder finds the visiting day when searching that point, the
booking is at the slot's point, the letter sends the customer there, holidays opened at
that point apply, and a remote day takes no visits."""

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from app.dto.appointments import BookingInput
from app.i18n import HELSINKI
from app.models import CalendarOverride, ServicePoint, WorkingHours
from app.rules import booking as rules
from app.rules.codes import ServicePointMode
from app.services.appointments import BookingError
from app.services.calendar_settings import DayHours
from app.services.errors import ValidationFailed
from tests.factories import Clock, add_people

COACH = "staff-coach"  # a Rovaniemi specialist
H = 60
VISIT = date(2026, 11, 26)  # a Thursday: the coach's Ranua day


def local(day, h=0, mi=0):
    return datetime(day.year, day.month, day.day, h, mi, tzinfo=HELSINKI)


@pytest.fixture
def svc(signed_in):
    signed_in.ctx.now = Clock(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))  # Tue 8.00
    with signed_in.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           street_address="Keskustie 10", postal_code="97700",
                           phone="016 355 0000", mode=ServicePointMode.APPOINTMENT))
        s.get(ServicePoint, "sp-rov").street_address = "Rovakatu 2"
        for h in rules.standard_week(valid_from=date(2025, 1, 1)):
            s.add(WorkingHours(staff_id=COACH, weekday=h.weekday, start_minute=h.start,
                               end_minute=h.end, lunch_start_minute=h.lunch_start,
                               lunch_end_minute=h.lunch_end, valid_from=h.valid_from))
    signed_in.people = add_people(signed_in)
    return signed_in


def ranua_day(svc, day=VISIT, remote=False, point="sp-ran"):
    return svc.calendar_settings.add_visiting_day(
        COACH, day, DayHours(day.weekday(), 9 * H, 15 * H, None, None,
                             None if remote else point, remote))


def test_the_one_day_row_overrides_the_week(svc):
    row = ranua_day(svc)
    assert (row.day, row.service_point_name, row.start, row.end) == (VISIT, "Ranua", 540, 900)
    worker = svc.appointments._workers  # the rows as the slot finder reads them
    with svc.ctx.reading() as s:
        from app.models import Staff
        w = worker(s, [s.get(Staff, COACH)])[0]
    assert rules.point_on(w, VISIT) == "sp-ran"
    assert rules.point_on(w, VISIT + timedelta(days=7)) == "sp-rov"  # the week after
    assert rules.hours_on(w, VISIT).start == 9 * H
    # The weekly hours shown are the week's, the day is listed apart.
    week = svc.calendar_settings.working_hours(COACH, VISIT)
    assert week.days[3].start == 8 * H and week.days[3].service_point_id is None
    assert [d.day for d in svc.calendar_settings.visiting_days(
        COACH, VISIT, VISIT + timedelta(days=30))] == [VISIT]
    # Changing the weekly hours keeps the visiting day.
    svc.calendar_settings.set_working_hours(
        COACH, [DayHours(d, 8 * H, 15 * H) if d < 5 else DayHours(d) for d in range(7)],
        date(2026, 11, 25))
    assert len(svc.calendar_settings.visiting_days(COACH, VISIT, VISIT)) == 1
    svc.calendar_settings.remove_visiting_day(row.id)
    assert svc.calendar_settings.visiting_days(COACH, VISIT, VISIT) == []


def test_visiting_day_refusals(svc):
    with pytest.raises(ValidationFailed) as refused:
        svc.calendar_settings.add_visiting_day(
            COACH, date(2026, 11, 20), DayHours(4, 15 * H, 9 * H))
    assert set(refused.value.errors) == {"day", "hours", "service_point"}


def test_slots_at_the_visiting_point(svc):
    ranua_day(svc)
    slots = svc.appointments.find_slots(60, local(VISIT, 8), service_point_id="sp-ran",
                                        count=3)
    assert slots and all(x.starts_at.astimezone(HELSINKI).date() == VISIT for x in slots)
    assert slots[0].starts_at == local(VISIT, 9)
    assert {(x.service_point_id, x.service_point_name) for x in slots} == {("sp-ran", "Ranua")}
    # Searching Rovaniemi skips the Ranua day.
    rov = svc.appointments.find_slots(60, local(VISIT, 8), service_point_id="sp-rov",
                                      count=20)
    assert all(x.starts_at.astimezone(HELSINKI).date() != VISIT for x in rov)
    assert rov[0].service_point_name == "Rovaniemi – Osaamo"


def test_booking_and_letter_at_the_slots_point(svc):
    ranua_day(svc)
    row = svc.appointments.book(BookingInput(svc.people[0], COACH, "plan_review",
                                             "service_point", local(VISIT, 10), 60))
    assert (row.service_point_id, row.service_point_name) == ("sp-ran", "Ranua")
    other = svc.appointments.book(BookingInput(svc.people[1], COACH, "plan_review",
                                               "service_point", local(VISIT, 8, 0)
                                               + timedelta(days=1), 60))
    assert other.service_point_id == "sp-rov"
    letter = svc.appointments.letter(row.id)
    assert letter.service_point_address == "Keskustie 10, 97700 Ranua"
    pdf = svc.appointments.render_letter(letter)
    body = re.sub(r"\s+", " ", " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Keskustie 10, 97700 Ranua" in body and "Rovakatu" not in body
    # Outside the day's hours at Ranua (8.00 is the weekly start, not the day's).
    with pytest.raises(BookingError):
        svc.appointments.book(BookingInput(svc.people[2], COACH, "plan_review",
                                           "service_point", local(VISIT, 8), 60))


def test_holiday_opened_at_the_days_point(svc):
    holiday = date(2026, 12, 24)  # Christmas Eve, a Thursday
    ranua_day(svc, holiday)
    with svc.ctx.session_factory.begin() as s:
        s.add(CalendarOverride(day=holiday, kind="open", service_point_id="sp-rov"))
    with pytest.raises(BookingError, match="holiday"):  # opened at Rovaniemi, not Ranua
        svc.appointments.book(BookingInput(svc.people[0], COACH, "plan_review",
                                           "service_point", local(holiday, 10), 60))
    with svc.ctx.session_factory.begin() as s:
        s.add(CalendarOverride(day=holiday, kind="open", service_point_id="sp-ran"))
    row = svc.appointments.book(BookingInput(svc.people[0], COACH, "plan_review",
                                             "service_point", local(holiday, 10), 60))
    assert row.service_point_id == "sp-ran"


def test_a_remote_day_takes_phone_and_video_only(svc):
    ranua_day(svc, remote=True)
    slots = svc.appointments.find_slots(60, local(VISIT, 8), staff_id=COACH, count=1)
    assert slots[0].remote and slots[0].service_point_id == "sp-rov"
    with pytest.raises(BookingError) as refused:
        svc.appointments.book(BookingInput(svc.people[0], COACH, "plan_review",
                                           "service_point", local(VISIT, 10), 60))
    assert "remotely" in refused.value.message
    row = svc.appointments.book(BookingInput(svc.people[0], COACH, "plan_review", "phone",
                                             local(VISIT, 10), 60))
    assert row.channel == "phone"


def test_the_visiting_points_calendar_shows_the_visitor_that_day(svc):
    ranua_day(svc)
    week = svc.appointments.calendar(VISIT - timedelta(days=3), VISIT + timedelta(days=1),
                                     service_point_id="sp-ran")
    assert [w.id for w in week.workers] == [COACH]
    days = {d.day: d for d in week.worker_days}
    assert days[VISIT].periods and days[VISIT].closed_reason is None
    assert not days[VISIT - timedelta(days=1)].periods
    assert "another service point" in days[VISIT - timedelta(days=1)].closed_reason
    home = svc.appointments.calendar(VISIT, VISIT, service_point_id="sp-rov")
    assert [d.closed_reason for d in home.worker_days if d.staff_id == COACH] == [
        "The worker works at another service point on this day."]


def test_an_organiser_is_not_bookable_during_their_event(svc):
    from app.models import Event, EventSession
    from app.rules.codes import EventKind
    from app.rules.permissions import Permission

    with svc.ctx.transaction(Permission.EVENT_EDIT) as s:
        s.add(Event(id="ev-1", service_point_id="sp-rov", kind=EventKind.GROUP_COACHING,
                    title="Ryhmävalmennus", language="fi", organiser_ids=f"staff-x,{COACH}"))
        s.flush()
        s.add(EventSession(id="s-1", event_id="ev-1", service_point_id="sp-rov", number=1,
                           starts_at=local(VISIT, 9), ends_at=local(VISIT, 11, 30)))
    slots = svc.appointments.find_slots(60, local(VISIT, 8), staff_id=COACH, count=4)
    assert [x.starts_at for x in slots][:2] == [local(VISIT, 8), local(VISIT, 12)]
    with pytest.raises(BookingError) as refused:
        svc.appointments.book(BookingInput(svc.people[0], COACH, "plan_review",
                                           "service_point", local(VISIT, 10), 60))
    assert refused.value.message == "The worker holds an event {start}–{end}."
