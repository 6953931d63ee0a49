"""A room is never double-booked (#21): the one check every booking of a room passes
through on a workstation, appointments and event sessions alike, in the same
transaction as the write. The central database holds the same line across desks
(c0100 desk_guard_room): the later booking loses the room and becomes a conflict."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto.events import RoomBooking
from app.i18n import HELSINKI, N_, _
from app.models import Appointment, Event, EventSession, Room
from app.rules.booking import HOLDING
from app.rules.codes import APPOINTMENT_LABELS, EventStatus
from app.services.errors import Conflict


def room_bookings(s: Session, room_id: str, first: datetime, last: datetime,
                  exclude_id: str | None = None) -> list[RoomBooking]:
    """What holds the room between `first` and `last` (UTC): holding appointments and
    the sessions of planned events, in time order; never the row `exclude_id` (the one
    being moved)."""
    appointments = s.execute(
        select(Appointment.id, Appointment.starts_at, Appointment.ends_at, Appointment.type)
        .where(Appointment.room_id == room_id, Appointment.deleted_at.is_(None),
               Appointment.status.in_(tuple(HOLDING)),
               Appointment.starts_at < last, Appointment.ends_at > first))
    sessions = s.execute(
        select(EventSession.id, EventSession.starts_at, EventSession.ends_at, Event.title,
               Event.id)
        .join(Event, Event.id == EventSession.event_id)
        .where(EventSession.room_id == room_id, EventSession.deleted_at.is_(None),
               EventSession.cancelled.is_(False), Event.deleted_at.is_(None),
               Event.status == EventStatus.PLANNED,
               EventSession.starts_at < last, EventSession.ends_at > first))
    # An appointment's title is its type's label (a message id: translate to show it).
    out = [RoomBooking("appointment", i, room_id, start, end, APPOINTMENT_LABELS[kind])
           for i, start, end, kind in appointments if i != exclude_id]
    out += [RoomBooking("event_session", i, room_id, start, end, title, event_id)
            for i, start, end, title, event_id in sessions if i != exclude_id]
    return sorted(out, key=lambda b: (b.starts_at, b.id))


def require_free(s: Session, room_id: str | None, starts_at: datetime, ends_at: datetime,
                 exclude_id: str | None = None) -> None:
    """Refuse (Conflict, naming the room, the time and what holds it) a booking of a
    room already held at that time. No room: nothing to check."""
    if not room_id:
        return
    room = s.get(Room, room_id)
    if room is None or room.deleted_at is not None:
        raise Conflict(N_("The room no longer exists: choose another."))
    clashes = room_bookings(s, room_id, starts_at, ends_at, exclude_id)
    if clashes:
        clash = clashes[0]
        raise Conflict(N_("The room {room} is already booked {start}–{end}: {what}."),
                       room=room.name, start=_hm(clash.starts_at), end=_hm(clash.ends_at),
                       what=_(clash.title) if clash.kind == "appointment" else clash.title)


def _hm(instant: datetime) -> str:
    local = instant.astimezone(HELSINKI)
    return f"{local.day}.{local.month}. {local.hour}.{local.minute:02d}"
