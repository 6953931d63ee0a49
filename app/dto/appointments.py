"""Plain frozen dataclasses of the appointments area, handed to the views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class AppointmentRow:
    id: str
    customer_id: str | None
    customer_name: str
    customer_phone: str | None
    staff_id: str
    staff_name: str
    service_point_id: str
    service_point_name: str
    type: str
    channel: str
    status: str
    starts_at: datetime
    ends_at: datetime
    room: str | None
    video_link: str | None
    cancel_reason: str | None
    rescheduled_from_id: str | None
    room_id: str | None = None  # a booked room (#21); `room` then shows its name


@dataclass(frozen=True)
class WorkerDay:
    """One worker's day in the calendar: working periods (minutes), or why closed."""

    staff_id: str
    day: date
    periods: tuple[tuple[int, int], ...]
    closed_reason: str | None  # message id


@dataclass(frozen=True)
class CalendarDay:
    day: date
    holiday: str | None  # the holiday's Finnish name (from rules.workdays)
    open_override: bool  # a holiday made bookable


@dataclass(frozen=True)
class CalendarWorker:
    id: str
    name: str
    service_point_id: str
    team_id: str | None


@dataclass(frozen=True)
class CalendarData:
    first: date
    last: date
    days: tuple[CalendarDay, ...]
    workers: tuple[CalendarWorker, ...]
    worker_days: tuple[WorkerDay, ...]
    appointments: tuple[AppointmentRow, ...]


@dataclass(frozen=True)
class SlotRow:
    staff_id: str
    staff_name: str
    starts_at: datetime
    ends_at: datetime
    service_point_id: str = ""  # where the worker works that day (#21)
    service_point_name: str = ""
    remote: bool = False  # a remote day: phone or video only


@dataclass(frozen=True)
class BookingInput:
    customer_id: str
    staff_id: str
    type: str
    channel: str
    starts_at: datetime
    minutes: int
    room: str = ""  # the old free text (rows made before rooms were resources)
    video_link: str = ""
    room_id: str = ""  # a room of the slot's service point (#21), "" none


@dataclass(frozen=True)
class DeadlineInfo:
    """The statutory deadline of a customer's initial interview."""

    registered_on: date
    due_on: date
    working_days: int
    source: str


@dataclass(frozen=True)
class NoShowRate:
    """No-shows among appointments that were due (held or missed) in a period."""

    kind: str  # "staff" or "service_point"
    id: str
    name: str
    due: int
    no_shows: int

    @property
    def rate(self) -> float:
        return self.no_shows / self.due if self.due else 0.0


@dataclass(frozen=True)
class ReminderRow:
    appointment_id: str
    starts_at: datetime
    ends_at: datetime
    customer_name: str
    phone: str | None
    language: str
    type: str
    channel: str
    staff_name: str
    service_point_name: str
    room: str | None
    video_link: str | None


@dataclass(frozen=True)
class AppointmentLetter:
    """What the printed appointment letter says (printing.appointment_letter)."""

    lang: str
    customer_name: str
    customer_address: str
    type: str
    channel: str
    starts_at: datetime
    ends_at: datetime
    staff_name: str
    staff_phone: str | None
    service_point_name: str
    service_point_address: str
    service_point_phone: str | None
    room: str | None
    video_link: str | None
    printed_at: datetime
