"""Working hours and calendar exceptions through the service, checked by what the slot
finder then offers: history kept, validation keyed by field, permissions and audit."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.i18n import HELSINKI
from app.models import AuditEvent, ServicePoint, Staff, WorkingHours
from app.rules.codes import ServicePointMode
from app.services.calendar_settings import DayHours
from app.services.errors import PermissionDenied, ValidationFailed
from tests.factories import Clock
from tests.unit.test_appointment_service import add_hours

COACH, LEAD = "staff-coach", "staff-lead"
H = 60


def week(start=8 * H, end=16 * H, lunch=(11 * H, 12 * H), days=range(5)):
    ls, le = lunch or (None, None)
    return [DayHours(d, start, end, ls, le) if d in days else DayHours(d) for d in range(7)]


@pytest.fixture
def cal(services):
    clock = Clock(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))  # Tue 24.11.2026 8.00
    services.ctx.now = clock
    add_hours(services, COACH, LEAD)
    with services.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.APPOINTMENT))
        s.flush()
        s.get(Staff, LEAD).service_point_id = "sp-ran"
    return services


def sign_in(services, who):
    services.auth.sign_out()
    services.auth.sign_in(who, "demo")
    return services


def slot_days(services, staff, start, count=40, minutes=60):
    slots = services.appointments.find_slots(minutes, start, staff_id=staff, count=count)
    return [s.starts_at.astimezone(HELSINKI) for s in slots]


def audits(services, action):
    with services.ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_reading_hours_in_force(cal):
    svc = sign_in(cal, "coach").calendar_settings
    hours = svc.working_hours(COACH)
    assert hours.staff_name == "Pekka Ylitalo" and hours.since == date(2025, 1, 1)
    assert hours.days[0] == DayHours(0, 8 * H, 16 * H, 11 * H, 12 * H)
    assert hours.days[5] == DayHours(5) and hours.next_change is None


def test_a_change_from_a_date_keeps_history_and_moves_the_slots(cal):
    svc = sign_in(cal, "coach").calendar_settings
    # From Monday 30.11. on: 9-17 Monday to Thursday, no Fridays.
    result = svc.set_working_hours(COACH, week(9 * H, 17 * H, (12 * H, 13 * H), range(4)),
                                   date(2026, 11, 30))
    assert result.since == date(2026, 11, 30) and result.days[4] == DayHours(4)
    now = svc.working_hours(COACH)
    assert now.days[0].start == 8 * H and now.next_change == date(2026, 11, 30)
    with cal.ctx.session_factory() as s:
        rows = list(s.scalars(select(WorkingHours).where(WorkingHours.staff_id == COACH,
                                                         WorkingHours.deleted_at.is_(None))))
    old = [r for r in rows if r.valid_from == date(2025, 1, 1)]
    assert len(old) == 5 and {r.valid_to for r in old} == {date(2026, 11, 29)}
    # This week still 8-16; next week 9-17 and no slot on Friday 4.12.
    this_friday = slot_days(cal, COACH, datetime(2026, 11, 27, 7, tzinfo=HELSINKI), 6)
    assert this_friday[0].hour == 8 and this_friday[0].day == 27
    slots = slot_days(cal, COACH, datetime(2026, 11, 30, 0, tzinfo=HELSINKI), 40)
    assert slots[0] == datetime(2026, 11, 30, 9, tzinfo=HELSINKI)
    assert all(s.weekday() < 4 for s in slots)
    assert not any(s.hour == 12 for s in slots)  # the new lunch hour
    [event] = audits(cal, "working_hours.change")
    assert event.entity_id == COACH and "2026-11-30" in event.detail

    # Changed again from the same day: the first change never applied, so it goes.
    svc.set_working_hours(COACH, week(7 * H, 15 * H), date(2026, 11, 30))
    with cal.ctx.session_factory() as s:
        live = list(s.scalars(select(WorkingHours).where(
            WorkingHours.staff_id == COACH, WorkingHours.deleted_at.is_(None),
            WorkingHours.valid_from == date(2026, 11, 30))))
    assert sorted(r.start_minute for r in live) == [7 * H] * 5


@pytest.mark.parametrize(("days", "key", "words"), [
    (week(16 * H, 8 * H, None), "day0", "end after"),
    (week(5 * H, 12 * H, None), "day0", "6.00"),
    (week(8 * H, 23 * H, None), "day0", "22.00"),
    (week(8 * H, 16 * H, (7 * H, 9 * H)), "day0", "inside"),
    (week(8 * H, 16 * H, (12 * H, 11 * H)), "day0", "lunch break must"),
    ([DayHours(0, 8 * H, None), *week()[1:]], "day0", "both"),
    (week(days=()), "days", "at least one"),
    ([*week(), DayHours(0, 8 * H, 9 * H)], "days", "once"),
])
def test_bad_hours_are_refused_by_field(cal, days, key, words):
    svc = sign_in(cal, "coach").calendar_settings
    with pytest.raises(ValidationFailed) as bad:
        svc.set_working_hours(COACH, days, date(2026, 11, 30))
    assert words in bad.value.errors[key]
    assert not audits(cal, "working_hours.change")


def test_the_past_is_not_rewritten(cal):
    svc = sign_in(cal, "coach").calendar_settings
    with pytest.raises(ValidationFailed) as bad:
        svc.set_working_hours(COACH, week(), date(2026, 11, 23))
    assert set(bad.value.errors) == {"valid_from"}


def test_permissions(cal):
    coach = sign_in(cal, "coach").calendar_settings
    assert not coach.can_manage()
    with pytest.raises(PermissionDenied):
        coach.set_working_hours(LEAD, week(), date(2026, 11, 30))
    with pytest.raises(PermissionDenied):
        coach.add_override(date(2026, 12, 1), "day_off", staff_id=COACH)
    lead = sign_in(cal, "lead").calendar_settings
    assert lead.can_manage()
    lead.set_working_hours(COACH, week(), date(2026, 11, 30))
    assert sign_in(cal, "admin").calendar_settings.can_manage()


def test_open_epiphany_2027_at_ranua(cal):
    svc = sign_in(cal, "lead").calendar_settings
    epiphany = datetime(2027, 1, 6, 0, tzinfo=HELSINKI)
    assert slot_days(cal, LEAD, epiphany, 1)[0].day == 7  # closed: the next day
    year = svc.year_calendar(2027)
    assert (date(2027, 1, 6), "Loppiainen") in year.holidays
    assert date(2027, 12, 24) in dict(year.holidays)  # Christmas Eve is closed too
    row = svc.add_override(date(2027, 1, 6), "open", service_point_id="sp-ran",
                           note="  Avoinna   ajanvarauksella ")
    assert row.service_point_name == "Ranua" and row.note == "Avoinna ajanvarauksella"
    assert slot_days(cal, LEAD, epiphany, 1)[0] == datetime(2027, 1, 6, 8, tzinfo=HELSINKI)
    # Rovaniemi stays closed.
    assert slot_days(cal, COACH, epiphany, 1)[0].day == 7
    assert svc.year_calendar(2027).overrides == (row,)
    with pytest.raises(ValidationFailed) as twice:
        svc.add_override(date(2027, 1, 6), "open", service_point_id="sp-ran")
    assert set(twice.value.errors) == {"day"}
    svc.remove_override(row.id)
    assert slot_days(cal, LEAD, epiphany, 1)[0].day == 7
    assert [e.entity_id for e in audits(cal, "calendar_override.add")] == [row.id]
    assert [e.entity_id for e in audits(cal, "calendar_override.remove")] == [row.id]


def test_day_off_removes_the_workers_slots(cal):
    svc = sign_in(cal, "lead").calendar_settings
    wednesday = datetime(2026, 12, 2, 0, tzinfo=HELSINKI)
    assert slot_days(cal, COACH, wednesday, 1)[0].day == 2
    svc.add_override(date(2026, 12, 2), "day_off", service_point_id="sp-rov",
                     staff_id=COACH, note="Koulutus")
    assert slot_days(cal, COACH, wednesday, 1)[0].day == 3
    assert slot_days(cal, LEAD, wednesday, 1)[0].day == 2  # only that worker
    [row] = svc.year_calendar(2026).overrides
    assert row.staff_name == "Pekka Ylitalo" and row.service_point_id is None


@pytest.mark.parametrize(("day", "kind", "kw", "key"), [
    (date(2026, 12, 2), "open", {"service_point_id": "sp-ran"}, "day"),  # not a holiday
    (date(2026, 11, 20), "day_off", {"staff_id": COACH}, "day"),  # past
    (date(2026, 12, 2), "day_off", {}, "staff"),
    (date(2027, 1, 6), "open", {}, "service_point"),
    (date(2026, 12, 2), "day_off", {"staff_id": COACH, "note": "x" * 201}, "note"),
])
def test_bad_exceptions_are_refused_by_field(cal, day, kind, kw, key):
    svc = sign_in(cal, "lead").calendar_settings
    with pytest.raises(ValidationFailed) as bad:
        svc.add_override(day, kind, **kw)
    assert key in bad.value.errors


def test_booked_appointments_left_outside_are_counted(cal):
    from tests.factories import add_people
    from tests.unit.test_appointment_service import booking

    cal.auth.sign_in("lead", "demo")
    cal.people = add_people(cal)
    a = cal.appointments
    a.book(booking(cal, datetime(2026, 12, 4, 14, tzinfo=HELSINKI)))  # Friday 14-15
    a.book(booking(cal, datetime(2026, 12, 2, 9, tzinfo=HELSINKI), customer=1))  # Wed 9-10
    svc = cal.calendar_settings
    # Shorter Fridays (8-13) from 30.11.: the Friday 14.00 appointment is left outside.
    days = [*week()[:4], DayHours(4, 8 * H, 13 * H), *week()[5:]]
    assert svc.set_working_hours(COACH, days, date(2026, 11, 30)).outside == 1
    assert svc.set_working_hours(COACH, week(), date(2026, 11, 30)).outside == 0
    off = svc.add_override(date(2026, 12, 2), "day_off", staff_id=COACH)
    assert off.booked == 1
    opened = svc.add_override(date(2026, 12, 24), "open", service_point_id="sp-rov")
    a.book(booking(cal, datetime(2026, 12, 24, 9, tzinfo=HELSINKI), customer=2))
    assert svc.remove_override(opened.id) == 1
    assert svc.remove_override(off.id) == 0
