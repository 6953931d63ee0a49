"""Group services and events (#21): the service points' rooms as bookable resources,
events with their sessions (a group coaching is one event of N sessions with one
participant list), the customers on an event's list, who attended each session, and the
annual calendar's themes (vuosikello).

Rooms, events, sessions and themes name no customer: every active staff member reads
them. Participants and attendances name a customer: the event's service point reads
them (the desk checks people in), and whoever may see the customer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column
from app.rules.codes import CheckInVia, EventKind, EventStatus, ParticipantStatus


class Room(Synced, Base):
    """A room at a service point: appointments and event sessions book it, never two at
    once (app/services/rooms.py locally, c0100's clash trigger centrally)."""

    __tablename__ = "room"

    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    seats: Mapped[int] = mapped_column(Integer)
    accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    equipment: Mapped[str | None] = mapped_column(String(400))  # as the admin wrote it
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Event(Synced, Base):
    """A service info, recruitment event, interview day, group coaching, start-up
    morning or other event hosted by a service point."""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="positive_capacity"),
    )

    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"), index=True)
    kind: Mapped[EventKind] = enum_column(EventKind)
    status: Mapped[EventStatus] = enum_column(EventStatus, default=EventStatus.PLANNED)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)  # prints on the invitation
    language: Mapped[str] = mapped_column(String(8), default="fi")  # fi, sv, en
    capacity: Mapped[int | None] = mapped_column(Integer)  # seats; none: no limit
    # Customer groups the event is for (app/rules/groups.py Group codes, comma-separated).
    target_groups: Mapped[str | None] = mapped_column(String(200))
    # Staff organisers (staff ids, comma-separated; the first is responsible).
    organiser_ids: Mapped[str] = mapped_column(String(400), default="")
    # Organisers from outside, by name: an employer, a staffing agency, a partner.
    external_organisers: Mapped[str | None] = mapped_column(String(400))
    employer_id: Mapped[str | None] = mapped_column(ForeignKey("employer.id"))
    online_link: Mapped[str | None] = mapped_column(String(400))
    # Recurs every year: shown as such in the annual calendar.
    annual: Mapped[bool] = mapped_column(Boolean, default=False)
    cancel_reason: Mapped[str | None] = mapped_column(String(400))


class EventSession(Synced, Base):
    """One meeting of an event: a single event has one, a group coaching N."""

    __tablename__ = "event_session"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="positive_duration"),
        Index("ix_event_session_start", "starts_at"),
        Index("ix_event_session_room", "room_id", "starts_at"),
    )

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    # The event's service point, kept on each session for scope and the room's point.
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    number: Mapped[int] = mapped_column(Integer, default=1)  # 1..N in the series
    starts_at: Mapped[datetime]  # UTC, as appointments
    ends_at: Mapped[datetime]
    room_id: Mapped[str | None] = mapped_column(ForeignKey("room.id"))
    online_link: Mapped[str | None] = mapped_column(String(400))  # else the event's
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class EventParticipant(Synced, Base):
    """A customer on an event's list, for the whole series. Its id comes from the event
    and the customer (app/rules/events.py participant_id)."""

    __tablename__ = "event_participant"
    __table_args__ = (Index("ix_event_participant_event", "event_id", "status"),)

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    status: Mapped[ParticipantStatus] = enum_column(ParticipantStatus)
    invited_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    invited_at: Mapped[datetime | None]
    # When the customer took a seat or joined the waiting list: the waiting list's order.
    registered_at: Mapped[datetime | None]


class EventAttendance(Synced, Base):
    """A participant at one session: present (attended) or marked absent. Its id comes
    from the session and the customer (app/rules/events.py attendance_id)."""

    __tablename__ = "event_attendance"
    __table_args__ = (Index("ix_event_attendance_session", "session_id"),)

    session_id: Mapped[str] = mapped_column(ForeignKey("event_session.id"))
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    attended: Mapped[bool] = mapped_column(Boolean, default=True)
    checked_in_at: Mapped[datetime | None]
    checked_in_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    via: Mapped[CheckInVia] = enum_column(CheckInVia, default=CheckInVia.LIST)


class AnnualTheme(Synced, Base):
    """A theme of the annual calendar (vuosikello): a month's focus shared with
    partners, for the whole area (no service point) or one point."""

    __tablename__ = "annual_theme"
    __table_args__ = (
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        Index("ix_annual_theme_year", "year", "month"),
    )

    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    service_point_id: Mapped[str | None] = mapped_column(ForeignKey("service_point.id"))
    # The first day it applies, for sorting within the month; none: the whole month.
    starts_on: Mapped[date | None] = mapped_column(Date)
