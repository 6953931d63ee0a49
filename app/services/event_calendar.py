"""The annual calendar (vuosikello) as an iCalendar file for partners (#21), made with the
`icalendar` library (a maintained RFC 5545 writer and parser: line folding, escaping and
the date forms are its business, not hand-written here).

Every session of the year's planned events is one VEVENT (SUMMARY the event's title,
DTSTART/DTEND in UTC, LOCATION the service point, its address and the room,
DESCRIPTION the event's description, UID the session's id), and each theme one all-day
VEVENT spanning its month. UIDs stay the same from one export to the next, so a
partner's calendar updates the events instead of doubling them. Nothing in it names a
customer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from icalendar import Event as IcsEvent
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import AnnualTheme, Event, EventSession, Room, ServicePoint
from app.rules.booking import at
from app.rules.codes import EventStatus

UID_DOMAIN = "events.rovaseutu-desk"
PRODUCT = "-//Rovaseutu employment services//Events//FI"


def session_uid(session_id: str) -> str:
    return f"{session_id}@{UID_DOMAIN}"


def theme_uid(theme_id: str) -> str:
    return f"theme-{theme_id}@{UID_DOMAIN}"


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def year_ics(s: Session, year: int, service_point_id: str | None, now: datetime) -> bytes:
    """The year's planned sessions and themes (`service_point_id`: that point's events
    and its and the area's themes) as the bytes of a .ics file."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Vuosikello {year}")
    stamp = _utc(now)
    stmt = (select(EventSession, Event, ServicePoint, Room.name)
            .join(Event, Event.id == EventSession.event_id)
            .join(ServicePoint, ServicePoint.id == Event.service_point_id)
            .outerjoin(Room, Room.id == EventSession.room_id)
            .where(EventSession.deleted_at.is_(None), EventSession.cancelled.is_(False),
                   Event.deleted_at.is_(None), Event.status == EventStatus.PLANNED,
                   EventSession.starts_at >= at(date(year, 1, 1), 0),
                   EventSession.starts_at < at(date(year + 1, 1, 1), 0))
            .order_by(EventSession.starts_at, EventSession.id))
    if service_point_id:
        stmt = stmt.where(Event.service_point_id == service_point_id)
    for session, event, point, room in s.execute(stmt):
        item = IcsEvent()
        item.add("uid", session_uid(session.id))
        item.add("dtstamp", stamp)
        item.add("dtstart", _utc(session.starts_at))
        item.add("dtend", _utc(session.ends_at))
        item.add("summary", event.title)
        place = [point.name]
        address = ", ".join(p for p in (point.street_address, " ".join(
            x for x in (point.postal_code, point.municipality) if x)) if p)
        if address:
            place.append(address)
        if room:
            place.append(room)
        item.add("location", ", ".join(place))
        description = event.description or ""
        link = session.online_link or event.online_link
        if link:
            item.add("url", link)
            description = f"{description}\n\n{link}".strip()
        if description:
            item.add("description", description)
        item.add("categories", [event.kind.value])
        cal.add_component(item)
    themes = select(AnnualTheme).where(AnnualTheme.year == year,
                                       AnnualTheme.deleted_at.is_(None)).order_by(
        AnnualTheme.month, AnnualTheme.title, AnnualTheme.id)
    if service_point_id:
        themes = themes.where(or_(AnnualTheme.service_point_id.is_(None),
                                  AnnualTheme.service_point_id == service_point_id))
    for theme in s.scalars(themes):
        first = date(theme.year, theme.month, 1)
        after = (first + timedelta(days=32)).replace(day=1)
        item = IcsEvent()
        item.add("uid", theme_uid(theme.id))
        item.add("dtstamp", stamp)
        item.add("dtstart", theme.starts_on or first)
        item.add("dtend", after)
        item.add("summary", theme.title)
        if theme.description:
            item.add("description", theme.description)
        item.add("transp", "TRANSPARENT")
        cal.add_component(item)
    return cal.to_ical()
