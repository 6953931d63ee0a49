"""Demo rooms and visiting days (#21): each service point's rooms, rooms booked for some
of the appointments still to come (never two at once), and Ranua visiting days: two
Rovaniemi specialists hold a day at Ranua every other week through the demo year (one-day
working hours rows at Ranua), with a few Ranua customers booked on the days to come."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.i18n import HELSINKI
from app.models import Appointment, Customer, Room, ServicePoint, Staff, WorkingHours
from app.rules.booking import HOLDING
from app.rules.codes import AppointmentStatus, AppointmentType, Channel, Role
from app.rules.workdays import holiday_name

# (name, seats, accessible, equipment) by service point code.
ROOMS = {
    "ROV": (("Auditorio", 60, True, "projektori, videoneuvottelu, induktiosilmukka"),
            ("Ryhmätila 1", 16, True, "näyttö, fläppitaulu"),
            ("Neuvotteluhuone Kaira", 8, True, "näyttö, videoneuvottelu"),
            ("Haastatteluhuone 1", 3, True, ""),
            ("Haastatteluhuone 2", 3, False, "")),
    "RAN": (("Neuvotteluhuone", 8, True, "näyttö, videoneuvottelu"),
            ("Asiointihuone", 3, True, "")),
}
# The rooms the everyday appointments book (interviews, not the auditorium).
MEETING_ROOMS = {"ROV": ("Haastatteluhuone 1", "Haastatteluhuone 2", "Neuvotteluhuone Kaira"),
                 "RAN": ("Asiointihuone", "Neuvotteluhuone")}
# A visiting day at Ranua: 9.00-15.00 with lunch 11.30-12.00 (the bus there and back).
VISIT_START, VISIT_END, VISIT_LUNCH = 9 * 60, 15 * 60, (11 * 60 + 30, 12 * 60)
VISIT_SLOTS = (9 * 60, 10 * 60, 12 * 60 + 30, 13 * 60 + 30)
VISIT_ROOM = ("Asiointihuone", "Neuvotteluhuone")  # one room per specialist: no clash


def add_rooms(conn: Connection, today: date, seed: int = 1) -> dict[str, int]:
    """Rooms, booked rooms and the Ranua visiting days; returns what was made."""
    rng = random.Random(seed * 7919 + 21)
    # The same seed gives the same rows: a fixed time, not the clock's.
    stamp: dict[str, Any] = {"version": 1, "hlc": "", "updated_by": None, "deleted_at": None,
                             "updated_at": datetime.combine(today, time(6), UTC)}
    points = {c: i for c, i in conn.execute(select(ServicePoint.code, ServicePoint.id))}
    rooms: dict[tuple[str, str], str] = {}
    rows = []
    for code, point_id in points.items():
        for name, seats, accessible, equipment in ROOMS.get(
                code, (("Neuvotteluhuone", 6, True, ""),)):
            room_id = _id(rng)
            rooms[(code, name)] = room_id
            rows.append({"id": room_id, "service_point_id": point_id, "name": name,
                         "seats": seats, "accessible": accessible,
                         "equipment": equipment or None, "active": True, **stamp})
    if rows:
        conn.execute(insert(Room.__table__), rows)
    taken: dict[str, list[tuple[datetime, datetime]]] = {}
    booked = _book_rooms(conn, today, rng, points, rooms, taken)
    days, visits = _visiting_days(conn, today, rng, points, rooms, taken, stamp)
    return {"rooms": len(rows), "booked_rooms": booked, "visiting_days": days,
            "visiting_appointments": visits}


def _book_rooms(conn: Connection, today: date, rng: random.Random, points: dict[str, str],
                rooms: dict[tuple[str, str], str],
                taken: dict[str, list[tuple[datetime, datetime]]]) -> int:
    """About two in three of the visits still to come get a free meeting room."""
    code_of = {v: k for k, v in points.items()}
    start = datetime.combine(today, time(0), HELSINKI).astimezone(UTC)
    found = conn.execute(
        select(Appointment.id, Appointment.service_point_id, Appointment.starts_at,
               Appointment.ends_at)
        .where(Appointment.starts_at >= start, Appointment.channel == Channel.SERVICE_POINT,
               Appointment.status.in_(tuple(HOLDING)), Appointment.deleted_at.is_(None))
        .order_by(Appointment.starts_at, Appointment.id)).all()
    count = 0
    for appointment_id, point_id, starts, ends in found:
        if rng.random() > 0.65:
            continue
        starts, ends = _aware(starts), _aware(ends)
        code = code_of.get(point_id, "")
        for name in MEETING_ROOMS.get(code, ()):
            room_id = rooms.get((code, name))
            if room_id and _free(taken, room_id, starts, ends):
                taken.setdefault(room_id, []).append((starts, ends))
                conn.execute(update(Appointment).where(Appointment.id == appointment_id)
                             .values(room_id=room_id, room=None,
                                     updated_at=Appointment.updated_at))
                count += 1
                break
    return count


def _visiting_days(conn: Connection, today: date, rng: random.Random,
                   points: dict[str, str], rooms: dict[tuple[str, str], str],
                   taken: dict[str, list[tuple[datetime, datetime]]],
                   stamp: dict[str, Any]) -> tuple[int, int]:
    ranua, rovaniemi = points.get("RAN"), points.get("ROV")
    if not ranua or not rovaniemi:
        return 0, 0
    specialists = conn.execute(
        select(Staff.id).where(Staff.service_point_id == rovaniemi, Staff.role == Role.COACH,
                               Staff.active.is_(True), Staff.username != "coach")
        .order_by(Staff.username).limit(2)).scalars().all()
    customers = conn.execute(
        select(Customer.id).where(Customer.service_point_id == ranua,
                                  Customer.active.is_(True))
        .order_by(Customer.customer_number)).scalars().all()
    first_monday = today - timedelta(days=today.weekday() + 52 * 7)
    hours, appointments = [], []
    for rank, staff_id in enumerate(specialists):
        busy_days = {_aware(s).astimezone(HELSINKI).date() for s in conn.execute(
            select(Appointment.starts_at).where(
                Appointment.staff_id == staff_id, Appointment.deleted_at.is_(None)))
            .scalars()}
        room_id = rooms.get(("RAN", VISIT_ROOM[rank % 2]))
        # Every other week (the two take turns), Tuesday for one, Thursday for the other;
        # a busy or holiday day moves to the next one of the week.
        for week in range(rank, 52 + 13, 2):
            monday = first_monday + timedelta(weeks=week)
            wanted = (1, 3)[rank % 2]
            day = next((monday + timedelta(days=d) for d in (wanted, wanted + 1, wanted - 1)
                        if monday + timedelta(days=d) not in busy_days
                        and holiday_name(monday + timedelta(days=d)) is None), None)
            if day is None:
                continue
            hours.append({"id": _id(rng), "staff_id": staff_id, "weekday": day.weekday(),
                          "start_minute": VISIT_START, "end_minute": VISIT_END,
                          "lunch_start_minute": VISIT_LUNCH[0],
                          "lunch_end_minute": VISIT_LUNCH[1], "valid_from": day,
                          "valid_to": day, "service_point_id": ranua, "remote": False,
                          **stamp})
            if day <= today or not customers:
                continue
            for minute in rng.sample(VISIT_SLOTS, rng.randint(1, 3)):
                starts = datetime.combine(day, time(minute // 60, minute % 60),
                                          HELSINKI).astimezone(UTC)
                ends = starts + timedelta(minutes=60)
                free = room_id is not None and _free(taken, room_id, starts, ends)
                if free and room_id:
                    taken.setdefault(room_id, []).append((starts, ends))
                appointments.append({
                    "id": _id(rng), "customer_id": rng.choice(customers),
                    "staff_id": staff_id, "service_point_id": ranua,
                    "type": rng.choice((AppointmentType.JOB_SEARCH_CONVERSATION,
                                        AppointmentType.PLAN_REVIEW)),
                    "channel": Channel.SERVICE_POINT, "status": AppointmentStatus.BOOKED,
                    "starts_at": starts, "ends_at": ends, "room": None,
                    "room_id": room_id if free else None, "video_link": None,
                    "cancel_reason": None, "rescheduled_from_id": None, **stamp})
    if hours:
        conn.execute(insert(WorkingHours.__table__), hours)
    if appointments:
        conn.execute(insert(Appointment.__table__), appointments)
    return len(hours), len(appointments)


def _free(taken: dict[str, list[tuple[datetime, datetime]]], room_id: str, starts: datetime,
          ends: datetime) -> bool:
    return all(ends <= a or b <= starts for a, b in taken.get(room_id, ()))


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
