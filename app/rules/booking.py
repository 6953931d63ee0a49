"""Booking rules: default lengths, working hours, bookable days and free slots. No I/O.

Times of day are minutes after local (Helsinki) midnight, so daylight-saving changes
never move a working day; instants are aware datetimes. A holiday (rules.workdays, which
includes Christmas Eve and Midsummer Eve) is not bookable unless an `open` override says
so for the worker or their service point; a `day_off` override closes a worker's day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.i18n import HELSINKI, N_
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.rules.workdays import holiday_name

# How long each type of appointment takes by default (minutes); the dialog may change it.
DEFAULT_MINUTES: dict[AppointmentType, int] = {
    AppointmentType.INITIAL_INTERVIEW: 60,
    AppointmentType.JOB_SEARCH_CONVERSATION: 45,
    AppointmentType.PLAN_REVIEW: 45,
    AppointmentType.MULTI_PROFESSIONAL: 90,
    AppointmentType.OTHER: 30,
}
# Slots start on the half hour: the grid staff and customers are used to.
SLOT_STEP = 30
# How far ahead the slot finder looks before giving up.
HORIZON_DAYS = 90
# Appointments that hold their time: a cancelled one or a no-show frees it.
HOLDING = frozenset({AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED,
                     AppointmentStatus.DONE})

OPEN, DAY_OFF = "open", "day_off"


class BookingRefused(ValueError):
    """`message` is an untranslated message id; `args_` fill its {placeholders}."""

    def __init__(self, message: str, **args: str) -> None:
        super().__init__(message)
        self.message, self.args_ = message, args


@dataclass(frozen=True)
class Hours:
    """One weekday of a worker's working hours (a WorkingHours row)."""

    weekday: int
    start: int
    end: int
    lunch_start: int | None = None
    lunch_end: int | None = None
    valid_from: date = date(2000, 1, 1)
    valid_to: date | None = None
    # Where (#21): a service point (None: the worker's own), or remote (phone/video).
    service_point_id: str | None = None
    remote: bool = False

    def applies(self, day: date) -> bool:
        return (day.weekday() == self.weekday and self.valid_from <= day
                and (self.valid_to is None or day <= self.valid_to))


@dataclass(frozen=True)
class Override:
    day: date
    kind: str  # OPEN or DAY_OFF
    service_point_id: str | None = None
    staff_id: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Worker:
    staff_id: str
    service_point_id: str
    hours: tuple[Hours, ...]


@dataclass(frozen=True)
class Busy:
    """Time a worker (or a room) is taken."""

    staff_id: str
    starts_at: datetime
    ends_at: datetime
    room: str | None = None
    event: bool = False  # a session of an event the worker organises (#21)


@dataclass(frozen=True)
class Slot:
    staff_id: str
    starts_at: datetime
    ends_at: datetime
    service_point_id: str = ""  # where the worker works that day
    remote: bool = False


def standard_week(start: int = 8 * 60, end: int = 16 * 60, lunch: tuple[int, int] | None = (
        11 * 60, 12 * 60), valid_from: date = date(2000, 1, 1)) -> tuple[Hours, ...]:
    """Monday to Friday with the same hours (the demo's and a new worker's default)."""
    ls, le = lunch if lunch else (None, None)
    return tuple(Hours(d, start, end, ls, le, valid_from) for d in range(5))


def at(day: date, minute: int) -> datetime:
    """Local wall time `minute` after midnight on `day`, as an aware datetime."""
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=HELSINKI)


def local_minute(instant: datetime) -> tuple[date, int]:
    local = instant.astimezone(HELSINKI)
    return local.date(), local.hour * 60 + local.minute


def hours_on(worker: Worker, day: date) -> Hours | None:
    """The hours row in force on `day` (the latest valid_from wins)."""
    rows = [h for h in worker.hours if h.applies(day)]
    return max(rows, key=lambda h: h.valid_from) if rows else None


def point_on(worker: Worker, day: date) -> str:
    """The service point the worker works at on `day`: that day's hours row's point, else
    their own (also on a day without hours)."""
    hours = hours_on(worker, day)
    return (hours.service_point_id if hours else None) or worker.service_point_id


def remote_on(worker: Worker, day: date) -> bool:
    """The worker works remotely on `day` (meets customers by phone or video only)."""
    hours = hours_on(worker, day)
    return bool(hours and hours.remote)


def day_status(worker: Worker, day: date, overrides: Iterable[Override]) -> str | None:
    """Why `worker` cannot be booked on `day` (a message id), or None when they can. A
    service point's override applies at the point the worker works at that day."""
    point = point_on(worker, day)
    mine = [o for o in overrides if o.day == day and (
        o.staff_id == worker.staff_id
        or (o.staff_id is None and o.service_point_id == point))]
    if any(o.kind == DAY_OFF for o in mine):
        return N_("The worker is not at work on this day.")
    if holiday_name(day) is not None and not any(o.kind == OPEN for o in mine):
        return N_("This day is a public holiday: the service points are closed.")
    if hours_on(worker, day) is None:
        return N_("The worker has no working hours on this day.")
    return None


def open_periods(hours: Hours) -> list[tuple[int, int]]:
    """Working time of one day with lunch taken out."""
    if hours.lunch_start is None or hours.lunch_end is None:
        return [(hours.start, hours.end)]
    periods = [(hours.start, min(hours.end, hours.lunch_start)),
               (max(hours.start, hours.lunch_end), hours.end)]
    return [(a, b) for a, b in periods if b > a]


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def check_booking(worker: Worker, starts_at: datetime, ends_at: datetime,
                  overrides: Iterable[Override], busy: Iterable[Busy],
                  room: str | None = None, channel: str | None = None) -> None:
    """Refuse (BookingRefused) a booking on a closed day, outside working hours, over
    another appointment of the worker or of the (old free-text) room, or a visit on a
    remote day. `busy` holds the worker's own and the room's holding appointments, never
    the one being moved. A booked room (room_id) is checked by app/services/rooms.py."""
    day, start = local_minute(starts_at)
    end_day, end = local_minute(ends_at)
    if ends_at <= starts_at:
        raise BookingRefused(N_("The appointment must end after it starts."))
    reason = day_status(worker, day, overrides)
    if reason is not None:
        raise BookingRefused(reason)
    hours = hours_on(worker, day)
    assert hours is not None
    inside = end_day == day and any(a <= start and end <= b for a, b in open_periods(hours))
    if not inside:
        raise BookingRefused(
            N_("The time is outside the worker's working hours ({hours})."),
            hours=format_periods(open_periods(hours)))
    if hours.remote and channel == Channel.SERVICE_POINT:
        raise BookingRefused(N_("The worker works remotely on this day: book a phone or "
                                "video appointment."))
    wanted_room = normalise_room(room)
    for other in busy:
        if not overlaps(starts_at, ends_at, other.starts_at, other.ends_at):
            continue
        if other.staff_id == worker.staff_id and other.event:
            raise BookingRefused(
                N_("The worker holds an event {start}–{end}."),
                start=_hm(other.starts_at), end=_hm(other.ends_at))
        if other.staff_id == worker.staff_id:
            raise BookingRefused(
                N_("The worker already has an appointment {start}–{end}."),
                start=_hm(other.starts_at), end=_hm(other.ends_at))
        if wanted_room and normalise_room(other.room) == wanted_room:
            raise BookingRefused(
                N_("The room {room} is already booked {start}–{end}."),
                room=room or "", start=_hm(other.starts_at), end=_hm(other.ends_at))


def normalise_room(room: str | None) -> str:
    return " ".join((room or "").split()).casefold()


def _hm(instant: datetime) -> str:
    local = instant.astimezone(HELSINKI)
    return f"{local.hour}.{local.minute:02d}"


def format_periods(periods: Sequence[tuple[int, int]]) -> str:
    return ", ".join(f"{a // 60}.{a % 60:02d}–{b // 60}.{b % 60:02d}" for a, b in periods)


def free_starts(hours: Hours, day: date, taken: Sequence[Busy], minutes: int,
                not_before: int = 0, step: int = SLOT_STEP) -> list[int]:
    """Start minutes on `day` where `minutes` fit in working time without touching
    anything `taken` (the worker's holding appointments that day)."""
    taken_minutes = []
    for busy in taken:
        b_day, b_start = local_minute(busy.starts_at)
        e_day, b_end = local_minute(busy.ends_at)
        if b_day > day or e_day < day:
            continue
        taken_minutes.append((b_start if b_day == day else 0, b_end if e_day == day else 1440))
    starts: list[int] = []
    for a, b in open_periods(hours):
        first = max(a, not_before)
        first += (-(first - a)) % step  # back on the period's grid
        for s in range(first, b - minutes + 1, step):
            if all(s + minutes <= t0 or t1 <= s for t0, t1 in taken_minutes):
                starts.append(s)
    return starts


def find_slots(workers: Sequence[Worker], busy: Iterable[Busy],
               overrides: Sequence[Override], start: datetime, minutes: int,
               count: int = 5, step: int = SLOT_STEP,
               horizon_days: int = HORIZON_DAYS,
               service_point_id: str | None = None) -> list[Slot]:
    """The first `count` free slots of `minutes` from `start` on, for any of `workers`
    (earliest first; at the same time, in the order the workers were given); with
    `service_point_id`, only on days the worker works at that point."""
    if minutes <= 0 or count <= 0 or not workers:
        return []
    by_worker: dict[str, list[Busy]] = {w.staff_id: [] for w in workers}
    for b in busy:
        if b.staff_id in by_worker:
            by_worker[b.staff_id].append(b)
    first_day, first_minute = local_minute(start)
    if start.second or start.microsecond:  # "from now" at 8:00:30 is from 8:01 on
        first_minute += 1
    found: list[Slot] = []
    for offset in range(horizon_days + 1):
        day = first_day + timedelta(days=offset)
        today: list[tuple[int, int, Slot]] = []
        for rank, worker in enumerate(workers):
            if day_status(worker, day, overrides) is not None:
                continue
            point = point_on(worker, day)
            if service_point_id and point != service_point_id:
                continue
            hours = hours_on(worker, day)
            assert hours is not None
            not_before = first_minute if offset == 0 else 0
            for s in free_starts(hours, day, by_worker[worker.staff_id], minutes,
                                 not_before, step):
                today.append((s, rank, Slot(worker.staff_id, at(day, s),
                                            at(day, s + minutes), point, hours.remote)))
        found.extend(slot for _s, _r, slot in sorted(today, key=lambda x: x[:2]))
        if len(found) >= count:
            return found[:count]
    return found
