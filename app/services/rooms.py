"""A room is never double-booked (#21): the one check every booking of a room passes
through on a workstation, appointments and event sessions alike, in the same
transaction as the write. The central database holds the same line across desks
(c0100 desk_guard_room): the later booking loses the room and becomes a conflict."""

from __future__ import annotations

import builtins
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dto.events import RoomBooking, RoomInput, RoomRow
from app.i18n import HELSINKI, N_, _
from app.models import Appointment, Event, EventSession, Room, ServicePoint
from app.rules.booking import HOLDING
from app.rules.codes import APPOINTMENT_LABELS, EventStatus
from app.rules.permissions import Permission, allowed
from app.services.context import AppContext
from app.services.errors import Conflict, NotFound, ValidationFailed


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
        same_day = clash.starts_at.astimezone(HELSINKI).date() == \
            clash.ends_at.astimezone(HELSINKI).date()
        raise Conflict(N_("The room {room} is already booked {start}–{end}: {what}."),
                       room=room.name, start=_hm(clash.starts_at),
                       end=_clock(clash.ends_at) if same_day else _hm(clash.ends_at),
                       what=_(clash.title) if clash.kind == "appointment" else clash.title)


def _hm(instant: datetime) -> str:
    local = instant.astimezone(HELSINKI)
    return f"{local.day}.{local.month}. {_clock(instant)}"


def _clock(instant: datetime) -> str:
    local = instant.astimezone(HELSINKI)
    return f"{local.hour}.{local.minute:02d}"


# --- the rooms themselves (administrators keep them) ---------------------------------

SEATS_MAX = 500


class RoomService:
    """Each service point's rooms: read by every worker (booking dialogs, the event
    form), kept by administrators (STAFF_MANAGE). A room is never deleted: an unused
    one is made inactive, so old bookings keep its name."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def list(self, service_point_id: str | None = None,
             include_inactive: bool = False) -> builtins.list[RoomRow]:
        """The rooms (of one point, or all), by point name and room name."""
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            query = (select(Room, ServicePoint.name)
                     .join(ServicePoint, ServicePoint.id == Room.service_point_id)
                     .where(Room.deleted_at.is_(None)))
            if service_point_id:
                query = query.where(Room.service_point_id == service_point_id)
            if not include_inactive:
                query = query.where(Room.active.is_(True))
            rows = s.execute(query.order_by(ServicePoint.name, Room.name, Room.id)).all()
            return [_row(room, point) for room, point in rows]

    def service_points(self) -> builtins.list[tuple[str, str]]:
        """(id, name) of every service point, by name: the room screen's choice."""
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            return [(i, n) for i, n in s.execute(
                select(ServicePoint.id, ServicePoint.name)
                .where(ServicePoint.deleted_at.is_(None)).order_by(ServicePoint.name))]

    def home_point(self) -> str | None:
        """The signed-in worker's own service point (the room screen opens on it)."""
        actor = self.ctx.actor
        return actor.service_point_id if actor else None

    def can_manage(self) -> bool:
        """May the signed-in person add and change rooms (administrators)?"""
        actor = self.ctx.actor
        return actor is not None and allowed(actor.role, Permission.STAFF_MANAGE)

    def get(self, room_id: str) -> RoomRow:
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            room = s.get(Room, room_id)
            if room is None or room.deleted_at is not None:
                raise NotFound(N_("The room no longer exists: choose another."))
            return _row(room, _point_name(s, room.service_point_id))

    def add(self, data: RoomInput) -> RoomRow:
        with self.ctx.transaction(Permission.STAFF_MANAGE) as s:
            name, seats, equipment = _checked(s, data, None)
            room = Room(service_point_id=data.service_point_id, name=name, seats=seats,
                        accessible=data.accessible, equipment=equipment,
                        active=data.active)
            s.add(room)
            s.flush()
            self.ctx.audit(s, "room.add", "room", room.id,
                           {"service_point_id": room.service_point_id, "seats": seats})
            return _row(room, _point_name(s, room.service_point_id))

    def edit(self, room_id: str, data: RoomInput) -> RoomRow:
        """Change a room (also its `active`: False takes it out of the booking lists;
        bookings it already has stay)."""
        with self.ctx.transaction(Permission.STAFF_MANAGE) as s:
            room = s.get(Room, room_id)
            if room is None or room.deleted_at is not None:
                raise NotFound(N_("The room no longer exists: choose another."))
            name, seats, equipment = _checked(s, data, room_id)
            changed = sorted(
                field for field, old, new in (
                    ("service_point_id", room.service_point_id, data.service_point_id),
                    ("name", room.name, name), ("seats", room.seats, seats),
                    ("accessible", room.accessible, data.accessible),
                    ("equipment", room.equipment, equipment),
                    ("active", room.active, data.active)) if old != new)
            if changed:
                room.service_point_id = data.service_point_id
                room.name, room.seats, room.equipment = name, seats, equipment
                room.accessible, room.active = data.accessible, data.active
                s.flush()
                self.ctx.audit(s, "room.edit", "room", room.id, {"fields": changed})
            return _row(room, _point_name(s, room.service_point_id))

    def calendar(self, room_id: str, first: date,
                 last: date) -> builtins.list[RoomBooking]:
        """What holds the room on the Helsinki days `first`..`last`, in time order."""
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            start = datetime.combine(first, time(0), HELSINKI).astimezone(UTC)
            end = datetime.combine(last + timedelta(days=1), time(0),
                                   HELSINKI).astimezone(UTC)
            return room_bookings(s, room_id, start, end)


def _checked(s: Session, data: RoomInput, room_id: str | None) -> tuple[str, int, str | None]:
    """The form's values checked, each problem on its field (all at once)."""
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = N_("Give the room a name.")
    elif len(name) > 60:
        errors["name"] = N_("The name is too long (at most 60 characters).")
    seats = 0
    text = data.seats.strip()
    if not text.isdigit() or not 1 <= int(text) <= SEATS_MAX:
        errors["seats"] = N_("Give the seats as a whole number from 1 to 500.")
    else:
        seats = int(text)
    equipment = " ".join(data.equipment.split()) or None
    if equipment is not None and len(equipment) > 400:
        errors["equipment"] = N_("The equipment text is too long (at most 400 characters).")
    point = s.get(ServicePoint, data.service_point_id) if data.service_point_id else None
    if point is None or point.deleted_at is not None:
        errors["service_point_id"] = N_("Choose the service point.")
    elif name and data.active:
        same = s.scalars(select(Room.id).where(
            Room.service_point_id == point.id, Room.deleted_at.is_(None),
            Room.active.is_(True), func.lower(Room.name) == name.lower())).all()
        if any(other != room_id for other in same):
            errors["name"] = N_("The service point already has a room by this name.")
    if errors:
        raise ValidationFailed(errors)
    return name, seats, equipment


def _point_name(s: Session, point_id: str) -> str:
    return s.scalar(select(ServicePoint.name).where(ServicePoint.id == point_id)) or ""


def _row(room: Room, point_name: str) -> RoomRow:
    return RoomRow(room.id, room.service_point_id, point_name, room.name, room.seats,
                   bool(room.accessible), room.equipment or "", bool(room.active))
