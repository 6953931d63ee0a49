"""Calendar settings: a worker's weekly working hours and the calendar's exceptions
(a holiday opened for booking at a service point, a worker's day off).

The slot finder (rules.booking.hours_on) takes, for each weekday, the row in force with
the latest `valid_from`. A change therefore ends the rows in force the day before it
takes effect (kept as history) and adds new open-ended rows; rows that would only start
on or after that day never applied, so they are tombstoned. A weekday without a new row
is then a day off, because no row applies any more."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import QueryableAttribute, Session

from app.i18n import N_, current_language
from app.models import Appointment, CalendarOverride, ServicePoint, Staff, WorkingHours
from app.rules import booking as rules
from app.rules.codes import AppointmentStatus
from app.rules.permissions import Permission, allowed
from app.rules.workdays import holiday_name, holidays_between
from app.services.context import AppContext
from app.services.errors import NotFound, ValidationFailed

# Working time lies within these (minutes after local midnight): opening hours plus
# the evening sessions some coaches hold.
EARLIEST, LATEST = 6 * 60, 22 * 60
NOTE_MAX = 200


@dataclass(frozen=True)
class DayHours:
    """One weekday (0 = Monday); `start`/`end` None: not working that day."""

    weekday: int
    start: int | None = None
    end: int | None = None
    lunch_start: int | None = None
    lunch_end: int | None = None
    # Where (#21): a service point (None: the worker's own), or remote.
    service_point_id: str | None = None
    remote: bool = False


@dataclass(frozen=True)
class VisitingDay:
    """A one-day working hours row (#21): the worker works that day at another service
    point (or remotely), overriding the weekly row."""

    id: str
    staff_id: str
    day: date
    start: int
    end: int
    lunch_start: int | None
    lunch_end: int | None
    service_point_id: str | None
    service_point_name: str
    remote: bool


@dataclass(frozen=True)
class WeekHours:
    staff_id: str
    staff_name: str
    on: date  # the day these hours are in force on
    days: tuple[DayHours, ...]  # always seven, Monday first
    since: date | None  # when the latest of them took effect
    next_change: date | None  # a change already saved for a later day
    # Booked appointments from `on` on that the saved hours leave outside working time
    # (set by set_working_hours: someone has to move them).
    outside: int = 0


@dataclass(frozen=True)
class OverrideRow:
    id: str
    day: date
    kind: str  # rules.OPEN or rules.DAY_OFF
    service_point_id: str | None
    service_point_name: str | None
    staff_id: str | None
    staff_name: str | None
    note: str | None
    booked: int = 0  # booked appointments on a day just closed (set by add_override)


@dataclass(frozen=True)
class YearCalendar:
    year: int
    holidays: tuple[tuple[date, str], ...]  # (day, Finnish name)
    overrides: tuple[OverrideRow, ...]


class CalendarSettingsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def can_manage(self) -> bool:
        """May the signed-in person change anyone's hours and the exceptions?"""
        actor = self.ctx.actor
        return actor is not None and allowed(actor.role, Permission.CALENDAR_MANAGE)

    # --- working hours ----------------------------------------------------------------

    def working_hours(self, staff_id: str, on: date | None = None) -> WeekHours:
        """The worker's hours in force on `on` (today when None)."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        on = on or self.ctx.today()
        with self.ctx.reading() as s:
            return self._week(s, self._staff(s, staff_id), on)

    def set_working_hours(self, staff_id: str, days: list[DayHours],
                          valid_from: date) -> WeekHours:
        """Replace the worker's weekly hours from `valid_from` on; earlier rows stay as
        history. A worker may change their own hours, a team lead anyone's."""
        actor = self.ctx.require(Permission.APPOINTMENT_BOOK)
        permission = (Permission.APPOINTMENT_BOOK if actor.staff_id == staff_id
                      else Permission.CALENDAR_MANAGE)
        errors = validate_week(days)
        if valid_from < self.ctx.today():
            errors["valid_from"] = N_("The change takes effect today or later: the past "
                                      "calendar is kept as it was.")
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(permission) as s:
            staff = self._staff(s, staff_id)
            now = self.ctx.now()
            for row in self._rows(s, staff_id):
                if _one_day(row):
                    continue  # a day at another point stays: it overrides any week
                if row.valid_from >= valid_from:
                    row.deleted_at = now  # never in force: nothing to keep
                elif row.valid_to is None or row.valid_to >= valid_from:
                    row.valid_to = valid_from - timedelta(days=1)
            for d in days:
                if d.start is None or d.end is None:
                    continue
                s.add(WorkingHours(
                    staff_id=staff_id, weekday=d.weekday, start_minute=d.start,
                    end_minute=d.end, lunch_start_minute=d.lunch_start,
                    lunch_end_minute=d.lunch_end, valid_from=valid_from, valid_to=None,
                    service_point_id=d.service_point_id, remote=d.remote))
            s.flush()
            self.ctx.audit(s, "working_hours.change", "staff", staff_id, {
                "from": valid_from.isoformat(),
                "days": {str(d.weekday): [d.start, d.end, d.lunch_start, d.lunch_end,
                                          d.service_point_id, d.remote]
                         for d in days if d.start is not None}})
            week = self._week(s, staff, valid_from)
            worker = rules.Worker(staff.id, staff.service_point_id, tuple(
                rules.Hours(d.weekday, d.start, d.end, d.lunch_start, d.lunch_end, valid_from)
                for d in days if d.start is not None and d.end is not None))
            worker = rules.Worker(worker.staff_id, worker.service_point_id, worker.hours + tuple(
                _hours(r) for r in self._rows(s, staff_id) if _one_day(r)))
            outside = sum(1 for a in self._booked(s, staff_id, valid_from, None)
                          if not _within(worker, a))
            return replace(week, outside=outside)

    # --- a day at another service point ---------------------------------------------

    def visiting_days(self, staff_id: str, first: date, last: date) -> list[VisitingDay]:
        """The worker's one-day rows (days at another point, or remote) in [first, last]."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        with self.ctx.reading() as s:
            rows = [r for r in self._rows(s, staff_id)
                    if _one_day(r) and first <= r.valid_from <= last]
            names = dict(s.execute(select(ServicePoint.id, ServicePoint.name)).all())
            return [_visiting(r, names) for r in sorted(rows, key=lambda r: r.valid_from)]

    def add_visiting_day(self, staff_id: str, day: date, hours: DayHours) -> VisitingDay:
        """The worker works `day` at `hours.service_point_id` (or remotely): a row valid
        for that one day, the day's weekday, the hours as given. It overrides the weekly
        row that day (the latest valid_from wins); one already saved for the day is
        replaced."""
        actor = self.ctx.require(Permission.APPOINTMENT_BOOK)
        permission = (Permission.APPOINTMENT_BOOK if actor.staff_id == staff_id
                      else Permission.CALENDAR_MANAGE)
        errors: dict[str, str] = {}
        message = _day_error(hours) if hours.start is not None else N_(
            "Give both the start and the end.")
        if message:
            errors["hours"] = message
        if day < self.ctx.today():
            errors["day"] = N_("Choose today or a later day.")
        if not hours.service_point_id and not hours.remote:
            errors["service_point"] = N_("Choose the service point.")
        if errors:
            raise ValidationFailed(errors)
        assert hours.start is not None and hours.end is not None
        with self.ctx.transaction(permission) as s:
            self._staff(s, staff_id)
            if hours.service_point_id and s.get(ServicePoint, hours.service_point_id) is None:
                raise ValidationFailed({"service_point": N_("The service point was not found.")})
            now = self.ctx.now()
            for row in self._rows(s, staff_id):
                if _one_day(row) and row.valid_from == day:
                    row.deleted_at = now
            row = WorkingHours(
                staff_id=staff_id, weekday=day.weekday(), start_minute=hours.start,
                end_minute=hours.end, lunch_start_minute=hours.lunch_start,
                lunch_end_minute=hours.lunch_end, valid_from=day, valid_to=day,
                service_point_id=hours.service_point_id, remote=hours.remote)
            s.add(row)
            s.flush()
            self.ctx.audit(s, "working_hours.day", "staff", staff_id, {
                "day": day.isoformat(), "service_point": hours.service_point_id,
                "remote": hours.remote})
            names = dict(s.execute(select(ServicePoint.id, ServicePoint.name)).all())
            return _visiting(row, names)

    def remove_visiting_day(self, row_id: str) -> None:
        """Take a day at another point back: the weekly row applies that day again."""
        actor = self.ctx.require(Permission.APPOINTMENT_BOOK)
        with self.ctx.reading() as s:
            found = s.get(WorkingHours, row_id)
            owner = found.staff_id if found is not None else None
        permission = (Permission.APPOINTMENT_BOOK if actor.staff_id == owner
                      else Permission.CALENDAR_MANAGE)
        with self.ctx.transaction(permission) as s:
            row = s.get(WorkingHours, row_id)
            if row is None or row.deleted_at is not None or not _one_day(row):
                raise NotFound(N_("The day was not found."))
            row.deleted_at = self.ctx.now()
            self.ctx.audit(s, "working_hours.day_remove", "staff", row.staff_id,
                           {"day": row.valid_from.isoformat()})

    # --- exceptions -------------------------------------------------------------------

    def year_calendar(self, year: int) -> YearCalendar:
        """The year's holidays (Christmas Eve and Midsummer Eve included) and every
        exception saved for the year."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        first, last = date(year, 1, 1), date(year, 12, 31)
        with self.ctx.reading() as s:
            overrides = self._override_rows(s, first, last)
        return YearCalendar(year, tuple(holidays_between(first, last, current_language()).items()),
                            tuple(overrides))

    def add_override(self, day: date, kind: str, service_point_id: str | None = None,
                     staff_id: str | None = None, note: str = "") -> OverrideRow:
        """Open a holiday for booking at a service point (or for one worker), or give a
        worker a day off."""
        note = " ".join(note.split())
        errors: dict[str, str] = {}
        if kind not in (rules.OPEN, rules.DAY_OFF):
            errors["kind"] = N_("Choose what to do on the day.")
        if day < self.ctx.today():
            errors["day"] = N_("Choose today or a later day.")
        elif kind == rules.OPEN and holiday_name(day) is None:
            errors["day"] = N_("The day is not a public holiday: it is open already.")
        if kind == rules.OPEN and not (service_point_id or staff_id):
            errors["service_point"] = N_("Choose the service point.")
        if kind == rules.DAY_OFF and not staff_id:
            errors["staff"] = N_("Choose the worker.")
        if len(note) > NOTE_MAX:
            errors["note"] = N_("The note is at most 200 characters.")
        if errors:
            raise ValidationFailed(errors)
        if kind == rules.DAY_OFF:
            service_point_id = None  # a day off is the worker's, wherever they work
        with self.ctx.transaction(Permission.CALENDAR_MANAGE) as s:
            if staff_id:
                self._staff(s, staff_id)
            if service_point_id and s.get(ServicePoint, service_point_id) is None:
                raise ValidationFailed({"service_point": N_("The service point was not found.")})
            same = s.scalar(select(CalendarOverride.id).where(
                CalendarOverride.day == day, CalendarOverride.kind == kind,
                CalendarOverride.deleted_at.is_(None),
                _equal(CalendarOverride.service_point_id, service_point_id),
                _equal(CalendarOverride.staff_id, staff_id)))
            if same is not None:
                raise ValidationFailed({"day": N_("This exception is already saved.")})
            row = CalendarOverride(day=day, kind=kind, service_point_id=service_point_id,
                                   staff_id=staff_id, note=note or None)
            s.add(row)
            s.flush()
            self.ctx.audit(s, "calendar_override.add", "calendar_override", row.id, {
                "day": day.isoformat(), "kind": kind, "service_point": service_point_id,
                "staff": staff_id})
            saved = next(r for r in self._override_rows(s, day, day) if r.id == row.id)
            if kind == rules.DAY_OFF and staff_id:
                saved = replace(saved, booked=len(self._booked(s, staff_id, day, day)))
            return saved

    def remove_override(self, override_id: str) -> int:
        """Take an exception back (tombstoned, so every desk's calendar follows). Returns
        how many booked appointments are left on a holiday closed again."""
        with self.ctx.transaction(Permission.CALENDAR_MANAGE) as s:
            row = s.get(CalendarOverride, override_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(N_("The exception was not found."))
            row.deleted_at = self.ctx.now()
            self.ctx.audit(s, "calendar_override.remove", "calendar_override", row.id, {
                "day": row.day.isoformat(), "kind": row.kind})
            if row.kind != rules.OPEN:
                return 0
            whose = (Appointment.staff_id == row.staff_id if row.staff_id
                     else Appointment.service_point_id == row.service_point_id)
            return len(self._booked(s, None, row.day, row.day, whose))

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _staff(s: Session, staff_id: str) -> Staff:
        staff = s.get(Staff, staff_id)
        if staff is None or staff.deleted_at is not None:
            raise ValidationFailed({"staff": N_("The worker was not found.")})
        return staff

    @staticmethod
    def _booked(s: Session, staff_id: str | None, first: date, last: date | None,
                whose: Any = None) -> list[Appointment]:
        """Booked appointments of the worker (or `whose`) from `first` to `last`."""
        stmt = select(Appointment).where(
            Appointment.status == AppointmentStatus.BOOKED, Appointment.deleted_at.is_(None),
            Appointment.starts_at >= rules.at(first, 0),
            Appointment.staff_id == staff_id if whose is None else whose)
        if last is not None:
            stmt = stmt.where(Appointment.starts_at < rules.at(last + timedelta(days=1), 0))
        return list(s.scalars(stmt))

    @staticmethod
    def _rows(s: Session, staff_id: str) -> list[WorkingHours]:
        return list(s.scalars(select(WorkingHours).where(
            WorkingHours.staff_id == staff_id, WorkingHours.deleted_at.is_(None))))

    def _week(self, s: Session, staff: Staff, on: date) -> WeekHours:
        # The weekly rows: a day at another point is listed apart (visiting_days).
        rows = [r for r in self._rows(s, staff.id) if not _one_day(r)]
        hours = [_hours(r) for r in rows]
        worker = rules.Worker(staff.id, staff.service_point_id, tuple(hours))
        days, since = [], None
        for weekday in range(7):
            day = on + timedelta(days=(weekday - on.weekday()) % 7)
            h = rules.hours_on(worker, day)
            # A row that starts later this week is not in force on `on` yet.
            if h is not None and h.valid_from > on:
                h = rules.hours_on(worker, day - timedelta(days=7))
            if h is None:
                days.append(DayHours(weekday))
                continue
            since = max(since or h.valid_from, h.valid_from)
            days.append(DayHours(weekday, h.start, h.end, h.lunch_start, h.lunch_end,
                                 h.service_point_id, h.remote))
        later = [h.valid_from for h in hours if h.valid_from > on]
        return WeekHours(staff.id, staff.full_name, on, tuple(days), since,
                         min(later) if later else None)

    @staticmethod
    def _override_rows(s: Session, first: date, last: date) -> list[OverrideRow]:
        stmt = (select(CalendarOverride, ServicePoint.name, Staff.full_name)
                .outerjoin(ServicePoint, ServicePoint.id == CalendarOverride.service_point_id)
                .outerjoin(Staff, Staff.id == CalendarOverride.staff_id)
                .where(CalendarOverride.day.between(first, last),
                       CalendarOverride.deleted_at.is_(None))
                .order_by(CalendarOverride.day, CalendarOverride.kind))
        return [OverrideRow(o.id, o.day, o.kind, o.service_point_id, point, o.staff_id,
                            person, o.note) for o, point, person in s.execute(stmt)]


def _one_day(row: WorkingHours) -> bool:
    """A row for one day only with a place: a day at another point (or remote), not a
    weekly row (one ended by a change of the week the day after it began also runs one
    day, but a week written without a place has none)."""
    return row.valid_to is not None and row.valid_to == row.valid_from and (
        row.service_point_id is not None or row.remote)


def _hours(r: WorkingHours) -> rules.Hours:
    return rules.Hours(r.weekday, r.start_minute, r.end_minute, r.lunch_start_minute,
                       r.lunch_end_minute, r.valid_from, r.valid_to, r.service_point_id,
                       bool(r.remote))


def _visiting(r: WorkingHours, names: dict[str, str]) -> VisitingDay:
    return VisitingDay(r.id, r.staff_id, r.valid_from, r.start_minute, r.end_minute,
                       r.lunch_start_minute, r.lunch_end_minute, r.service_point_id,
                       names.get(r.service_point_id or "", ""), bool(r.remote))


def _within(worker: rules.Worker, appointment: Appointment) -> bool:
    day, start = rules.local_minute(appointment.starts_at)
    end_day, end = rules.local_minute(appointment.ends_at)
    hours = rules.hours_on(worker, day)
    return hours is not None and end_day == day and any(
        a <= start and end <= b for a, b in rules.open_periods(hours))


def _equal(column: QueryableAttribute[str | None], value: str | None) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def validate_week(days: list[DayHours]) -> dict[str, str]:
    """Errors keyed `day0`…`day6` (the weekday's row) and `days` (the week as a whole)."""
    errors: dict[str, str] = {}
    seen = [d.weekday for d in days]
    if len(set(seen)) != len(seen) or any(not 0 <= w <= 6 for w in seen):
        errors["days"] = N_("Give each weekday once.")
        return errors
    if not any(d.start is not None for d in days):
        errors["days"] = N_("Give the hours of at least one working day.")
    for d in days:
        message = _day_error(d)
        if message:
            errors[f"day{d.weekday}"] = message
    return errors


def _day_error(d: DayHours) -> str | None:
    if d.start is None and d.end is None:
        return None if d.lunch_start is None and d.lunch_end is None else N_(
            "Give the working time before the lunch break.")
    if d.start is None or d.end is None:
        return N_("Give both the start and the end.")
    if not d.start < d.end:
        return N_("The day must end after it starts.")
    if d.start < EARLIEST or d.end > LATEST:
        return N_("Working time is between 6.00 and 22.00.")
    if (d.lunch_start is None) != (d.lunch_end is None):
        return N_("Give both the start and the end of the lunch break.")
    if d.lunch_start is not None and d.lunch_end is not None:
        if not d.lunch_start < d.lunch_end:
            return N_("The lunch break must end after it starts.")
        if d.lunch_start <= d.start or d.lunch_end >= d.end:
            return N_("The lunch break is inside the working day.")
    return None
