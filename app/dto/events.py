"""Group services and events (#21) as the views and the command line see them: rooms,
events and their sessions, the participant list, attendance, a service point's week,
the annual calendar.

Inputs are what was typed (text where a person types, nothing lost on a refusal); rows
are what was stored, with the names the screens show resolved. Times are UTC datetimes
(as appointments); the views show them in Helsinki time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class RoomInput:
    """The room form (administrators). `seats` as typed."""

    service_point_id: str = ""
    name: str = ""
    seats: str = ""
    accessible: bool = False
    equipment: str = ""
    active: bool = True


@dataclass(frozen=True)
class RoomRow:
    id: str
    service_point_id: str
    service_point_name: str
    name: str
    seats: int
    accessible: bool
    equipment: str
    active: bool


@dataclass(frozen=True)
class RoomBooking:
    """What holds a room at a time: an appointment or an event session (the room's
    calendar; the clash a refusal names)."""

    kind: str  # "appointment" | "event_session"
    id: str
    room_id: str
    starts_at: datetime
    ends_at: datetime
    title: str  # the appointment type's label (a message id), or the event's title
    event_id: str | None = None


@dataclass(frozen=True)
class SessionInput:
    """One session of an event as typed: day "YYYY-MM-DD" or "d.m.yyyy", times "HH:MM"
    in Helsinki time; `room_id` "" for none. An edit matches sessions by `session_id`,
    so removing a middle one of a series never moves another's attendance."""

    day: str = ""
    start: str = ""
    end: str = ""
    room_id: str = ""
    online_link: str = ""
    session_id: str = ""  # the stored session this row edits; "" for a new one


@dataclass(frozen=True)
class EventInput:
    """The event form. `kind` an EventKind code; `capacity` as typed ("" no limit);
    `target_groups` Group codes; `organiser_ids` staff ids (the first is responsible);
    `sessions` one for a single event, N for a group coaching series."""

    service_point_id: str = ""
    kind: str = ""
    title: str = ""
    description: str = ""
    language: str = "fi"
    capacity: str = ""
    target_groups: tuple[str, ...] = ()
    organiser_ids: tuple[str, ...] = ()
    external_organisers: str = ""
    employer_id: str = ""
    online_link: str = ""
    annual: bool = False
    sessions: tuple[SessionInput, ...] = ()


@dataclass(frozen=True)
class SessionRow:
    id: str
    event_id: str
    number: int
    starts_at: datetime
    ends_at: datetime
    room_id: str | None
    room_name: str  # "" for none
    online_link: str  # the session's, else the event's, else ""
    cancelled: bool
    attended: int = 0  # checked in as present


@dataclass(frozen=True)
class EventRow:
    """An event in lists and calendars: the first and last session give its span."""

    id: str
    service_point_id: str
    service_point_name: str
    kind: str
    status: str
    title: str
    language: str
    capacity: int | None
    starts_at: datetime | None  # the first session (None: no sessions yet)
    ends_at: datetime | None  # the last session's end
    sessions: int
    registered: int
    waiting: int
    invited: int
    organiser_names: tuple[str, ...] = ()
    annual: bool = False


@dataclass(frozen=True)
class EventDetail:
    """The event card: everything about the event, its sessions and organisers."""

    row: EventRow
    description: str
    target_groups: tuple[str, ...]
    organiser_ids: tuple[str, ...]
    external_organisers: str
    employer_id: str | None
    employer_name: str
    online_link: str
    cancel_reason: str
    sessions: tuple[SessionRow, ...]


@dataclass(frozen=True)
class ParticipantRow:
    """A customer on the list. `name` is "" when this workstation does not hold the
    customer (a customer of another service point the desk has not looked up): the
    list then says whose point, never more."""

    id: str
    event_id: str
    customer_id: str
    name: str
    customer_number: str
    language: str  # the customer's service language: the invitation prints in it
    status: str
    registered_at: datetime | None
    waiting_position: int | None  # 1.. on the waiting list, else None
    attended_sessions: int = 0
    attended_today: bool = False  # checked in at a session held on the given day


@dataclass(frozen=True)
class InviteFilter:
    """Whom to invite: a coach's caseload (`coach_id`, "" for everyone the worker may
    see), narrowed by groups, language, days unemployed and plans."""

    coach_id: str = ""
    groups: tuple[str, ...] = ()
    language: str = ""
    min_days_unemployed: int | None = None
    without_valid_plan: bool = False


@dataclass(frozen=True)
class InviteCandidate:
    customer_id: str
    name: str
    customer_number: str
    language: str
    days_unemployed: int | None
    groups: tuple[str, ...]
    already_on_list: bool


@dataclass(frozen=True)
class InviteResult:
    invited: int
    already: int  # were on the list already
    refused: int = 0  # not visible or not allowed


@dataclass(frozen=True)
class CheckInMatch:
    """At the queue's arrival: an event session today for which the customer is on the
    list (registered or waiting or invited), to check in instead of queueing."""

    session_id: str
    event_id: str
    title: str
    starts_at: datetime
    room_name: str
    status: str


@dataclass(frozen=True)
class ThemeInput:
    year: str = ""
    month: str = ""
    title: str = ""
    description: str = ""
    service_point_id: str = ""


@dataclass(frozen=True)
class ThemeRow:
    id: str
    year: int
    month: int
    title: str
    description: str
    service_point_id: str | None
    service_point_name: str  # "" for the whole area


@dataclass(frozen=True)
class AnnualMonth:
    """One month of the annual calendar: its themes and its events."""

    month: int
    themes: tuple[ThemeRow, ...]
    events: tuple[EventRow, ...]


@dataclass(frozen=True)
class AnnualCalendar:
    year: int
    service_point_id: str | None
    months: tuple[AnnualMonth, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class WorkPlace:
    """Where a worker works on one day: a service point, or remote."""

    day: date
    service_point_id: str | None  # None with remote=True
    service_point_name: str
    remote: bool


@dataclass(frozen=True)
class CustomerEventRow:
    """An event on a customer's timeline: their place on its list and what they
    attended."""

    event_id: str
    title: str
    kind: str
    status: str  # the participant's status
    starts_at: datetime | None  # the first session
    sessions: int
    attended: int


@dataclass(frozen=True)
class CalendarSession:
    """An event session in a staff member's or a room's calendar."""

    session_id: str
    event_id: str
    title: str
    kind: str
    number: int
    sessions: int  # of the series
    starts_at: datetime
    ends_at: datetime
    service_point_id: str
    room_id: str | None
    room_name: str
    organiser_ids: tuple[str, ...]
