"""Working hours, calendar exceptions and appointments reach another desk: a booking made
at one desk is refused as a double booking at the other after a sync."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.dto.appointments import BookingInput
from app.i18n import HELSINKI
from app.rules import booking as rules
from app.services.appointments import BookingError
from app.sync.digest import central_digest, local_digest
from tests.factories import Clock, customer_input
from tests.integration.test_sync import _copy_credentials, central, desks  # noqa: F401

TABLES = ["working_hours", "calendar_override", "appointment"]


def test_calendar_and_bookings_reach_the_other_desk(desks, central):  # noqa: F811
    from app.models import CalendarOverride, WorkingHours

    a = desks("a", seed=True)
    clock = Clock(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))
    services = a.sign_in()
    services.ctx.now = clock
    with services.ctx.transaction(rules_permission()) as s:
        for h in rules.standard_week(valid_from=date(2025, 1, 1)):
            s.add(WorkingHours(staff_id="staff-coach", weekday=h.weekday, start_minute=h.start,
                               end_minute=h.end, lunch_start_minute=h.lunch_start,
                               lunch_end_minute=h.lunch_end, valid_from=h.valid_from))
        s.add(CalendarOverride(day=date(2027, 1, 6), kind="open", service_point_id="sp-rov"))
    customer = services.customers.create(customer_input("Virtanen", "Matti",
                                                        date(1990, 7, 1), 235))
    services.appointments.book(BookingInput(customer.id, "staff-coach", "initial_interview",
                                            "service_point",
                                            datetime(2027, 1, 6, 9, tzinfo=HELSINKI), 60))
    a.sync()
    b = desks("b")
    b.sync()
    _copy_credentials(a, b)
    other = b.sign_in()
    other.ctx.now = clock
    assert local_digest(b.services.ctx.engine, TABLES) == central_digest(central, "sp-rov", TABLES)
    slots = other.appointments.find_slots(60, datetime(2027, 1, 6, 7, tzinfo=HELSINKI),
                                          staff_id="staff-coach", count=1)
    # Epiphany is open at Rovaniemi by the synced exception; 9-10 is taken.
    assert slots[0].starts_at == datetime(2027, 1, 6, 8, tzinfo=HELSINKI)
    with pytest.raises(BookingError):
        other.appointments.book(BookingInput(customer.id, "staff-coach", "other", "phone",
                                             datetime(2027, 1, 6, 9, 30, tzinfo=HELSINKI), 30))


def rules_permission():
    from app.rules.permissions import Permission

    return Permission.APPOINTMENT_BOOK
