"""The grid's columns from a week of calendar data: workers of one day (day view), or
the days of one worker or of everyone shown (week view); event sessions in their
organisers' columns, and a room's week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from app.dto.appointments import CalendarData
from app.dto.events import CalendarSession, RoomBooking
from app.i18n import _, format_day
from app.rules.codes import EventKind
from app.views.appointments.grid import Block, Column
from app.views.common import label


def week_days(anchor: date) -> list[date]:
    monday = anchor - timedelta(days=anchor.weekday())
    return [monday + timedelta(days=i) for i in range(5)]


def step_weekday(day: date, delta: int) -> date:
    """`delta` working-week days (Monday to Friday) from `day`."""
    step = 1 if delta > 0 else -1
    for _i in range(abs(delta)):
        day += timedelta(days=step)
        while day.weekday() >= 5:
            day += timedelta(days=step)
    return day


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def merge_periods(periods: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for a, b in sorted(periods):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


def session_block(s: CalendarSession) -> Block:
    return Block("event", s.session_id, s.title, s.starts_at, s.ends_at,
                 subtitle=label(EventKind(s.kind)), room=s.room_name,
                 series=f"{s.number}/{s.sessions}" if s.sessions > 1 else "",
                 event_id=s.event_id)


def booking_block(b: RoomBooking, room: str) -> Block:
    """An appointment holding a room (its title is the type's message id)."""
    return Block("appointment", b.id, _(b.title), b.starts_at, b.ends_at, room=room)


def _on(day: date, starts_at: datetime) -> bool:
    return bool(starts_at.astimezone(_tz()).date() == day)


def day_columns(data: CalendarData, day: date,
                sessions: Sequence[CalendarSession] = ()) -> list[Column]:
    info = next((d for d in data.days if d.day == day), None)
    columns = []
    for worker in data.workers:
        wd = next((x for x in data.worker_days if x.staff_id == worker.id and x.day == day),
                  None)
        periods = wd.periods if wd else ()
        closed = _(wd.closed_reason) if wd and wd.closed_reason and not periods else None
        columns.append(Column(
            day=day, title=worker.name, staff_id=worker.id, periods=periods,
            holiday=info.holiday if info else None,
            closed=None if info and info.holiday else closed,
            appointments=[a for a in data.appointments if a.staff_id == worker.id
                          and a.starts_at.astimezone(_tz()).date() == day],
            blocks=[session_block(s) for s in sessions
                    if worker.id in s.organiser_ids and _on(day, s.starts_at)]))
    return columns


def week_columns(data: CalendarData, anchor: date,
                 sessions: Sequence[CalendarSession] = ()) -> list[Column]:
    one = data.workers[0].id if len(data.workers) == 1 else None
    columns = []
    for day in week_days(anchor):
        info = next((d for d in data.days if d.day == day), None)
        days = [x for x in data.worker_days if x.day == day]
        periods = merge_periods([p for x in days for p in x.periods])
        closed = None
        if not periods and not (info and info.holiday):
            reasons = {x.closed_reason for x in days if x.closed_reason}
            closed = _(reasons.pop()) if len(reasons) == 1 else _("Nobody is at work.")
        columns.append(Column(
            day=day, title=format_day(day, "cccc"), staff_id=one, periods=periods,
            holiday=info.holiday if info else None, closed=closed,
            appointments=[a for a in data.appointments
                          if a.starts_at.astimezone(_tz()).date() == day],
            blocks=[session_block(s) for s in sessions if _on(day, s.starts_at)]))
    return columns


def room_columns(data: CalendarData, anchor: date, room: str,
                 bookings: Sequence[RoomBooking],
                 sessions: Sequence[CalendarSession]) -> list[Column]:
    """A room's week: the days with the point's working time, and every appointment
    and event session holding the room (no worker's own appointments)."""
    columns = week_columns(data, anchor)
    for column in columns:
        column.staff_id = None
        column.appointments = []
        column.blocks = sorted(
            [*(booking_block(b, room) for b in bookings
               if b.kind == "appointment" and _on(column.day, b.starts_at)),
             *(session_block(s) for s in sessions if _on(column.day, s.starts_at))],
            key=lambda b: (b.starts_at, b.id))
    return columns


def _tz():
    from app.i18n import HELSINKI

    return HELSINKI
