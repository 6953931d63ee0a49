"""The event figures (#21) against a small fixture whose every figure is worked out by
hand: events and attendance by month, kind and service point; the share of the invited
who attended; recruitment events' participants employed within three months."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.dto.reports import ReportFilter
from app.models import (
    Customer,
    Event,
    EventAttendance,
    EventParticipant,
    EventSession,
    JobSearchPeriod,
    ServicePoint,
)
from app.rules.codes import (
    CaseExitReason,
    EventKind,
    EventStatus,
    ParticipantStatus,
    ServicePointMode,
)
from app.rules.events import attendance_id, participant_id
from app.services.reports.export import to_csv
from app.services.reports.members import TOTAL_ROW
from tests.factories import Clock, customer_input

YEAR = ReportFilter(date(2026, 1, 1), date(2026, 12, 31))
APRIL = ReportFilter(date(2026, 4, 1), date(2026, 4, 30))
RANUA = ReportFilter(date(2026, 1, 1), date(2026, 12, 31), service_point_id="sp-ran")
ROV = "Rovaniemi – Osaamo"
MAR, APR = date(2026, 3, 1), date(2026, 4, 1)
P = ParticipantStatus
FIRST = {501: "Eeva", 502: "Frida", 503: "Gustav", 504: "Hilla"}


def utc(month, day, hour):  # winter time in March before the 29th: UTC+2; April +3
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def area(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("admin", "demo")
    return services, build(services)


def event(s, eid, kind, point, title, status=EventStatus.PLANNED):
    s.add(Event(id=eid, service_point_id=point, kind=kind, status=status, title=title,
                organiser_ids="staff-coach"))


def session(s, sid, eid, point, starts, number=1, cancelled=False):
    s.add(EventSession(id=sid, event_id=eid, service_point_id=point, number=number,
                       starts_at=starts, ends_at=starts.replace(hour=starts.hour + 2),
                       cancelled=cancelled))


def listed(s, eid, cid, point, status, invited=True):
    s.add(EventParticipant(id=participant_id(eid, cid), event_id=eid, customer_id=cid,
                           service_point_id=point, status=status,
                           invited_at=utc(2, 1, 8) if invited else None,
                           invited_by="staff-coach" if invited else None))


def came(s, sid, eid, cid, point, attended=True):
    s.add(EventAttendance(id=attendance_id(sid, cid), session_id=sid, event_id=eid,
                          customer_id=cid, service_point_id=point, attended=attended))


def build(services):
    with services.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.APPOINTMENT))
    c = {}
    for n, name in FIRST.items():
        c[n] = services.customers.create(customer_input(
            "Osallistuja", name, date(1985, 1, 1), n, unemployed_since=date(2025, 1, 1))).id
    c1, c2, c3, c4 = c[501], c[502], c[503], c[504]
    with services.ctx.session_factory.begin() as s:
        event(s, "e-rec", EventKind.RECRUITMENT, "sp-rov", "Rekrytointipäivä")
        event(s, "e-coach", EventKind.GROUP_COACHING, "sp-ran", "Ryhmävalmennus")
        event(s, "e-gone", EventKind.SERVICE_INFO, "sp-rov", "Peruttu info",
              status=EventStatus.CANCELLED)
        event(s, "e-later", EventKind.SERVICE_INFO, "sp-rov", "Tuleva info")
        s.flush()
        session(s, "s-rec", "e-rec", "sp-rov", utc(3, 10, 8))
        session(s, "s-c1", "e-coach", "sp-ran", utc(3, 27, 21))  # 27.3. 23.00 local
        session(s, "s-c2", "e-coach", "sp-ran", utc(4, 6, 7), number=2)
        session(s, "s-c3", "e-coach", "sp-ran", utc(4, 13, 7), number=3, cancelled=True)
        session(s, "s-gone", "e-gone", "sp-rov", utc(3, 12, 8))
        session(s, "s-later", "e-later", "sp-rov", utc(12, 15, 8))  # after today
        s.flush()
        # Recruitment: c1 invited and came; c2 invited, did not; c3 walked in.
        listed(s, "e-rec", c1, "sp-rov", P.REGISTERED)
        listed(s, "e-rec", c2, "sp-rov", P.INVITED)
        listed(s, "e-rec", c3, "sp-rov", P.REGISTERED, invited=False)
        came(s, "s-rec", "e-rec", c1, "sp-rov")
        came(s, "s-rec", "e-rec", c3, "sp-rov")
        came(s, "s-rec", "e-rec", c2, "sp-rov", attended=False)  # marked absent
        # Coaching: c2 invited, came to both; c4 registered, came to the second only.
        listed(s, "e-coach", c2, "sp-ran", P.REGISTERED)
        listed(s, "e-coach", c4, "sp-ran", P.REGISTERED, invited=False)
        came(s, "s-c1", "e-coach", c2, "sp-ran")
        came(s, "s-c2", "e-coach", c2, "sp-ran")
        came(s, "s-c2", "e-coach", c4, "sp-ran")
        # Cancelled and future events: never counted.
        listed(s, "e-gone", c1, "sp-rov", P.REGISTERED)
        came(s, "s-gone", "e-gone", c1, "sp-rov")
        listed(s, "e-later", c4, "sp-rov", P.INVITED)
        # c1 employed 1.5. (within 90 days of 10.3.); c3 employed 1.8. (too late);
        # c2 began studies in April (not employment).
        s.add(JobSearchPeriod(id="jsp-1", customer_id=c1, opened_on=date(2025, 1, 1),
                              closed_on=date(2026, 5, 1),
                              exit_reason=CaseExitReason.EMPLOYED_OPEN_MARKET))
        s.add(JobSearchPeriod(id="jsp-3", customer_id=c3, opened_on=date(2025, 1, 1),
                              closed_on=date(2026, 8, 1),
                              exit_reason=CaseExitReason.EMPLOYED_PAY_SUBSIDY))
        s.add(JobSearchPeriod(id="jsp-2", customer_id=c2, opened_on=date(2025, 1, 1),
                              closed_on=date(2026, 4, 15), exit_reason=CaseExitReason.STUDIES))
        s.get(Customer, c2).service_point_id = "sp-ran"
    return c


def rows(table):
    return [tuple(str(v) if isinstance(v, str) else v for v in r) for r in table.rows]


def test_attendance_by_month_kind_and_point(area):
    services, c = area
    table = services.reports.run("events_attendance", YEAR)
    assert rows(table) == [
        (MAR, "Recruitment event", ROV, 1, 1, 2, 2, 2),
        (MAR, "Group coaching", "Ranua", 1, 1, 2, 1, 1),
        (APR, "Group coaching", "Ranua", 1, 1, 2, 2, 2),
    ]
    # The total counts the series once: two events, four participants who attended.
    assert table.total[3:] == (2, 3, 4, 4, 5)
    assert sorted(table.members_of(0, "attended")) == sorted([c[501], c[503]])
    assert sorted(table.members_of(TOTAL_ROW, "registered")) == sorted(
        [c[501], c[503], c[502], c[504]])
    assert rows(services.reports.run("events_attendance", RANUA)) == [
        (MAR, "Group coaching", "Ranua", 1, 1, 2, 1, 1),
        (APR, "Group coaching", "Ranua", 1, 1, 2, 2, 2)]
    assert rows(services.reports.run("events_attendance", APRIL)) == [
        (APR, "Group coaching", "Ranua", 1, 1, 2, 2, 2)]


def test_share_of_invited_who_attended(area):
    services, c = area
    table = services.reports.run("events_invited_attended", YEAR)
    assert rows(table) == [
        ("Recruitment event", ROV, 1, 2, 1, 0.5, 1),
        ("Group coaching", "Ranua", 1, 1, 1, 1.0, 1),
    ]
    assert table.total[2:] == (2, 3, 2, pytest.approx(2 / 3), 2)
    assert table.members_of(0, "invited_attended") == (c[501],)
    assert table.members_of(0, "uninvited_attended") == (c[503],)
    # In April only the coaching's second session: c2 (invited) and c4 came.
    assert rows(services.reports.run("events_invited_attended", APRIL)) == [
        ("Group coaching", "Ranua", 1, 1, 1, 1.0, 1)]


def test_recruitment_participants_employed_within_three_months(area):
    services, c = area
    table = services.reports.run("events_recruitment_employed", YEAR)
    assert rows(table) == [(MAR, "Rekrytointipäivä", "Recruitment event", ROV,
                            2, 1, 0.5)]
    assert table.members_of(0, "employed") == (c[501],)
    assert table.total[4:] == (2, 1, 0.5)
    # Not known until 90 days have passed since the event.
    services.ctx.now = Clock(datetime(2026, 5, 20, 8, 0, tzinfo=UTC))
    early = services.reports.run("events_recruitment_employed", YEAR)
    assert rows(early)[0][4:] == (2, 1, None)
    assert early.total[6] is None


def test_event_reports_export(area):
    services, _c = area
    for name in ("events_attendance", "events_invited_attended",
                 "events_recruitment_employed"):
        text = to_csv(services.reports.run(name, YEAR)).decode("utf-8-sig")
        assert text.count("\r\n") >= 3, name
