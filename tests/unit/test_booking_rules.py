"""Slot finding across working hours, lunch, bookings and Finnish holidays.

The holiday dates below were checked by hand against the calendar: Christmas Eve and
Christmas, Epiphany, Good Friday and Easter Monday, Midsummer Eve, in 2026 and 2027."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.i18n import HELSINKI
from app.rules import booking as rules

W = rules.Worker("w1", "sp-rov", rules.standard_week())
W2 = rules.Worker("w2", "sp-ran", rules.standard_week())


def local(y, m, d, h=0, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=HELSINKI)


def first_slot(after, worker=W, minutes=60, busy=(), overrides=()):
    slots = rules.find_slots([worker], busy, list(overrides), after, minutes, count=1)
    return slots[0].starts_at.astimezone(HELSINKI)


@pytest.mark.parametrize(("after", "expected"), [
    # Thu 24.12.2026 Christmas Eve, Fri 25.12 Christmas Day, then the weekend.
    (local(2026, 12, 23, 16), local(2026, 12, 28, 8)),
    # Tue 6.1.2026 Epiphany.
    (local(2026, 1, 5, 16), local(2026, 1, 7, 8)),
    # Good Friday 3.4.2026, Easter Monday 6.4.2026.
    (local(2026, 4, 2, 16), local(2026, 4, 7, 8)),
    # Midsummer Eve Fri 19.6.2026 (Midsummer Day is Saturday 20.6).
    (local(2026, 6, 18, 16), local(2026, 6, 22, 8)),
    # Fri 24.12.2027 Christmas Eve; Christmas Day and Boxing Day fall on the weekend.
    (local(2027, 12, 23, 16), local(2027, 12, 27, 8)),
    # Wed 6.1.2027 Epiphany.
    (local(2027, 1, 5, 16), local(2027, 1, 7, 8)),
    # Good Friday 26.3.2027, Easter Monday 29.3.2027.
    (local(2027, 3, 25, 16), local(2027, 3, 30, 8)),
    # Midsummer Eve Fri 25.6.2027.
    (local(2027, 6, 24, 16), local(2027, 6, 28, 8)),
])
def test_holidays_are_not_bookable(after, expected):
    assert first_slot(after) == expected


def test_a_holiday_opened_at_the_service_point_is_bookable():
    opened = rules.Override(date(2026, 1, 6), rules.OPEN, service_point_id="sp-rov")
    assert first_slot(local(2026, 1, 5, 16), overrides=[opened]) == local(2026, 1, 6, 8)
    # ...but only there: a worker of another service point stays closed.
    assert first_slot(local(2026, 1, 5, 16), W2, overrides=[opened]) == local(2026, 1, 7, 8)


def test_a_day_off_closes_an_ordinary_day():
    off = rules.Override(date(2026, 11, 25), rules.DAY_OFF, staff_id="w1")
    assert first_slot(local(2026, 11, 24, 16), overrides=[off]) == local(2026, 11, 26, 8)


def test_lunch_and_bookings_are_skipped():
    busy = [rules.Busy("w1", local(2026, 11, 24, 8), local(2026, 11, 24, 10, 30))]
    # 10.30-11.30 would run into lunch (11-12): the next hour is 12.00.
    assert first_slot(local(2026, 11, 24, 7), busy=busy) == local(2026, 11, 24, 12)
    # A half hour fits before lunch.
    assert first_slot(local(2026, 11, 24, 7), minutes=30, busy=busy) == local(
        2026, 11, 24, 10, 30)


def test_start_instant_is_respected_and_rounded_up_to_the_grid():
    assert first_slot(local(2026, 11, 24, 9, 10)) == local(2026, 11, 24, 9, 30)
    assert first_slot(local(2026, 11, 24, 15, 30)) == local(2026, 11, 25, 8)


def test_any_worker_earliest_first():
    busy = [rules.Busy("w1", local(2026, 11, 24, 8), local(2026, 11, 24, 11))]
    slots = rules.find_slots([W, W2], busy, [], local(2026, 11, 24, 7), 60, count=3)
    # w1 is busy all morning, so the first slots are w2's.
    assert [(s.staff_id, s.starts_at.astimezone(HELSINKI).strftime("%H:%M")) for s in slots] \
        == [("w2", "08:00"), ("w2", "08:30"), ("w2", "09:00")]
    assert slots[0].staff_id == "w2"


def test_working_hours_by_validity():
    later = rules.Hours(0, 10 * 60, 14 * 60, valid_from=date(2026, 12, 1))
    worker = rules.Worker("w1", "sp", (*rules.standard_week(), later))
    assert first_slot(local(2026, 11, 30, 7), worker) == local(2026, 11, 30, 8)
    assert first_slot(local(2026, 12, 7, 7), worker) == local(2026, 12, 7, 10)


def test_double_booking_of_worker_and_room_is_refused():
    start, end = local(2026, 11, 24, 9), local(2026, 11, 24, 10)
    other = rules.Busy("w1", local(2026, 11, 24, 9, 30), local(2026, 11, 24, 10, 30))
    with pytest.raises(rules.BookingRefused) as worker_taken:
        rules.check_booking(W, start, end, [], [other])
    assert worker_taken.value.args_ == {"start": "9.30", "end": "10.30"}
    room = rules.Busy("w2", start, end, room="Huone 3")
    with pytest.raises(rules.BookingRefused) as room_taken:
        rules.check_booking(W, start, end, [], [room], room=" huone  3 ")
    assert "room" in room_taken.value.message
    rules.check_booking(W, start, end, [], [room], room="Huone 4")  # another room is fine


@pytest.mark.parametrize(("start", "end"), [
    (local(2026, 11, 24, 7, 30), local(2026, 11, 24, 8, 30)),  # before the day
    (local(2026, 11, 24, 10, 30), local(2026, 11, 24, 11, 30)),  # into lunch
    (local(2026, 12, 24, 9), local(2026, 12, 24, 10)),  # Christmas Eve
    (local(2026, 11, 28, 9), local(2026, 11, 28, 10)),  # Saturday
])
def test_closed_times_are_refused(start, end):
    with pytest.raises(rules.BookingRefused):
        rules.check_booking(W, start, end, [], [])


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 20)),
    minutes=st.sampled_from(sorted(set(rules.DEFAULT_MINUTES.values()))),
    taken=st.lists(st.tuples(st.integers(0, 30), st.integers(8 * 4, 16 * 4 - 1),
                             st.integers(1, 8)), max_size=15),
)
def test_found_slots_are_free_and_inside_open_hours(start, minutes, taken):
    start = start.replace(tzinfo=HELSINKI)
    busy = [rules.Busy("w1", rules.at(start.date() + timedelta(days=d), q * 15),
                       rules.at(start.date() + timedelta(days=d), q * 15 + n * 15))
            for d, q, n in taken]
    slots = rules.find_slots([W], busy, [], start, minutes, count=6)
    assert len(slots) == 6
    for slot in slots:
        assert slot.starts_at >= start
        rules.check_booking(W, slot.starts_at, slot.ends_at, [], busy)  # does not raise
