"""The annual calendar as iCalendar (#21), parsed back with the `icalendar` library: every
session of the year's planned events in UTC with its place and a stable UID, and each
theme as an all-day event spanning its month."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from app.dto.events import EventInput, SessionInput, ThemeInput
from app.models import Room
from app.services.event_calendar import UID_DOMAIN
from tests.factories import Clock

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def cal(signed_in):
    signed_in.ctx.now = Clock(START)
    with signed_in.ctx.session_factory.begin() as s:
        s.add(Room(id="room-a", service_point_id="sp-rov", name="Äijä", seats=20))
    return signed_in


def parsed(data: bytes) -> list:
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_sessions_and_themes_parse_back_in_utc_with_stable_uids(cal):
    first = date(2027, 3, 2)
    series = cal.events.create(EventInput(
        service_point_id="sp-rov", kind="group_coaching", title="Ryhmä; polku, uusi",
        description="Kuusi tapaamista.\nOta mukaan CV.", capacity="8",
        sessions=tuple(SessionInput((first + timedelta(weeks=i)).isoformat(), "9:00",
                                    "11:00", "room-a") for i in range(6))))
    cancelled = cal.events.create(EventInput(
        service_point_id="sp-rov", kind="other", title="Peruttu",
        sessions=(SessionInput("2027-05-05", "10:00", "11:00"),)))
    cal.events.cancel(cancelled.row.id, "")
    cal.events.create(EventInput(  # another year: not in the file
        service_point_id="sp-rov", kind="other", title="Ensi vuonna",
        sessions=(SessionInput("2028-01-05", "10:00", "11:00"),)))
    cal.auth.sign_out()
    cal.auth.sign_in("lead", "demo")
    cal.events.add_theme(ThemeInput("2027", "12", "Joulun rekrytoinnit"))
    data = cal.events.ics(2027)
    items = parsed(data)
    sessions = [i for i in items if not str(i["uid"]).startswith("theme-")]
    assert [str(i["summary"]) for i in sessions] == ["Ryhmä; polku, uusi"] * 6
    assert [str(i["uid"]) for i in sessions] == [
        f"{x.id}@{UID_DOMAIN}" for x in series.sessions]
    start = sessions[0].decoded("dtstart")
    # 9.00 in Helsinki on 2 March (UTC+2) is 7.00 UTC, written as UTC.
    assert start == datetime(2027, 3, 2, 7, 0, tzinfo=UTC) and start.utcoffset() == \
        timedelta(0)
    assert b"DTSTART:20270302T070000Z" in data
    assert sessions[0].decoded("dtend") == datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
    assert "Äijä" in str(sessions[0]["location"])
    assert "Rovaniemi – Osaamo" in str(sessions[0]["location"])
    assert str(sessions[0]["description"]) == "Kuusi tapaamista.\nOta mukaan CV."
    [theme] = [i for i in items if str(i["uid"]).startswith("theme-")]
    assert str(theme["summary"]) == "Joulun rekrytoinnit"
    assert theme.decoded("dtstart") == date(2027, 12, 1)
    assert theme.decoded("dtend") == date(2028, 1, 1)
    # The next export carries the same UIDs (a partner's calendar updates, not doubles).
    cal.ctx.now.advance(600)
    again = parsed(cal.events.ics(2027))
    assert [str(i["uid"]) for i in again] == [str(i["uid"]) for i in items]
    # A point's file: its events and the area's themes; another point's: the themes only.
    assert len(parsed(cal.events.ics(2027, "sp-rov"))) == 7
    assert [str(i["summary"]) for i in parsed(cal.events.ics(2027, "sp-other"))] == [
        "Joulun rekrytoinnit"]
