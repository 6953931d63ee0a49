"""The message figures (#23) on the local SQLite against a small fixture worked out by
hand: messages by kind and channel with what became of them, the failures by reason, and
the no-show rate with and without a reminder by service point."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.dto.reports import ReportFilter
from app.models import Appointment, ServicePoint
from app.models.message import Message
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    Channel,
    MessageChannel,
    MessageKind,
    MessageStatus,
    ServicePointMode,
)
from app.rules.messages import message_id
from app.services.reports.export import to_csv
from app.services.reports.members import TOTAL_ROW
from tests.factories import Clock, customer_input

NOVEMBER = ReportFilter(date(2026, 11, 1), date(2026, 11, 30))
RANUA = ReportFilter(date(2026, 11, 1), date(2026, 11, 30), service_point_id="sp-ran")
ROV = "Rovaniemi – Osaamo"
K, C, S = MessageKind, MessageChannel, MessageStatus
A = AppointmentStatus


def utc(day, hour):
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def area(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("admin", "demo")
    with services.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.APPOINTMENT))
    people = [services.customers.create(customer_input(last, "Testi", date(1980, 1, 1), n)).id
              for last, n in (("Aalto", 101), ("Berg", 102), ("Croft", 103))]
    a, b, c = people
    with services.ctx.session_factory.begin() as s:
        def appointment(aid, customer, point, day, status):
            s.add(Appointment(id=aid, customer_id=customer, staff_id="staff-coach",
                              service_point_id=point,
                              type=AppointmentType.JOB_SEARCH_CONVERSATION,
                              channel=Channel.SERVICE_POINT, status=status,
                              starts_at=utc(day, 8), ends_at=utc(day, 9)))

        def message(kind, channel, status, customer, about, point="sp-rov", day=10,
                    error=None):
            s.add(Message(id=message_id(kind, about), customer_id=customer,
                          service_point_id=point, kind=kind, channel=channel, status=status,
                          language="fi", about_id=about, due_at=utc(day, 14), attempts=1,
                          error=error))

        # Rovaniemi: four concluded appointments, two reminded (one missed), two not
        # (one missed); one cancelled (never counted); one in October (outside).
        appointment("r1", a, "sp-rov", 11, A.DONE)
        appointment("r2", b, "sp-rov", 11, A.NO_SHOW)
        appointment("r3", c, "sp-rov", 12, A.NO_SHOW)
        appointment("r4", a, "sp-rov", 13, A.ARRIVED)
        appointment("r5", b, "sp-rov", 13, A.CANCELLED)
        message(K.REMINDER, C.SMS, S.DELIVERED, a, "r1")
        message(K.REMINDER, C.EMAIL, S.SENT, b, "r2")
        message(K.REMINDER, C.SMS, S.FAILED, c, "r3", error="number not in use")
        message(K.CONFIRMATION, C.PRINT, S.PRINTED, a, "r4")
        message(K.CONFIRMATION, C.EMAIL, S.HELD, b, "r5",
                error="may have been sent; a person decides")
        message(K.CANCELLED, C.EMAIL, S.CANCELLED, b, "r5b")
        message(K.REMINDER, C.SMS, S.SENT, a, "old", day=1)
        s.add(Message(id="oct", customer_id=a, service_point_id="sp-rov", kind=K.REMINDER,
                      channel=C.SMS, status=S.FAILED, language="fi", about_id="x",
                      due_at=datetime(2026, 10, 31, 22, 0, tzinfo=UTC), attempts=3,
                      error="number not in use"))  # 1.11. 00.00 in Helsinki: November
        # Ranua: one reminded and kept, one not reminded and missed.
        appointment("n1", c, "sp-ran", 16, A.DONE)
        appointment("n2", a, "sp-ran", 17, A.NO_SHOW)
        message(K.REMINDER, C.SMS, S.SENT, c, "n1", point="sp-ran", day=15)
        message(K.REMINDER, C.SMS, S.QUEUED, a, "n2", point="sp-ran", day=16)
    services.people = people
    return services


def test_messages_by_kind_and_channel(area):
    table = area.reports.run("messages_by_kind", NOVEMBER)
    got = [(str(r[0]), str(r[1]), *r[2:]) for r in table.rows]
    assert got == [
        # kind, channel, messages, sent, delivered, failed, printed, not sent, waiting
        ("Booking confirmation", "E-mail", 1, 0, 0, 0, 0, 0, 1),
        ("Booking confirmation", "Printed letter", 1, 0, 0, 0, 1, 0, 0),
        ("Reminder", "E-mail", 1, 1, 0, 0, 0, 0, 0),
        ("Reminder", "Text message", 6, 3, 1, 2, 0, 0, 1),
        ("Appointment cancelled", "E-mail", 1, 0, 0, 0, 0, 1, 0),
    ]
    assert table.total[2:] == (10, 4, 1, 2, 1, 1, 2)
    assert len(table.members_of(TOTAL_ROW, "messages")) == 3
    ranua = area.reports.run("messages_by_kind", RANUA)
    assert [(str(r[1]), *r[2:]) for r in ranua.rows] == [("Text message", 2, 1, 0, 0, 0, 0, 1)]
    assert "Reminder" in to_csv(table).decode("utf-8-sig") or \
        "Muistutus" in to_csv(table).decode("utf-8-sig")


def test_failures_by_reason(area):
    table = area.reports.run("messages_failures", NOVEMBER)
    assert [(str(r[0]), str(r[1]), *r[2:]) for r in table.rows] == [
        ("Reminder", "Text message", "number not in use", 2, 0),
        ("Booking confirmation", "E-mail", "may have been sent; a person decides", 0, 1),
    ]
    assert table.total[3:] == (2, 1)


def test_no_shows_with_and_without_a_reminder_by_point(area):
    table = area.reports.run("messages_reminder_no_shows", NOVEMBER)
    assert [tuple(r) for r in table.rows] == [  # by the point's code: RAN, ROV
        ("Ranua", 1, 0, 0.0, 1, 1, 1.0),
        (ROV, 2, 1, 0.5, 2, 1, 0.5),
    ]
    assert table.total[1:] == (3, 1, pytest.approx(1 / 3), 3, 2, pytest.approx(2 / 3))
    _a, b, c = area.people
    rov = next(i for i, r in enumerate(table.rows) if r[0] == ROV)
    assert table.members_of(rov, "no_shows_with") == (b,)
    assert table.members_of(rov, "no_shows_without") == (c,)
    ranua = area.reports.run("messages_reminder_no_shows", RANUA)
    assert [tuple(r) for r in ranua.rows] == [("Ranua", 1, 0, 0.0, 1, 1, 1.0)]
    december = ReportFilter(date(2026, 12, 1), date(2026, 12, 31))
    empty = area.reports.run("messages_reminder_no_shows", december)
    assert empty.rows == () and empty.total[1:] == (0, 0, None, 0, 0, None)


def test_the_desk_and_coaches_see_no_figures(area):
    from app.services.errors import PermissionDenied

    area.auth.sign_out()
    area.auth.sign_in("coach", "demo")
    with pytest.raises(PermissionDenied):
        area.reports.run("messages_by_kind", NOVEMBER)


def test_a_week_is_cut_by_helsinki_days(area):
    week = ReportFilter(date(2026, 11, 9), date(2026, 11, 13))
    table = area.reports.run("messages_by_kind", week)
    assert table.total[2] == 6  # the six due on the 10th
