"""Demo calendar rules: working hours for every demo worker and a few overrides.

Hours match the demo's appointment slots (8.00-16.00, lunch 11.00-12.00); a few coaches
work shorter Fridays, one has a day off next week, and Ranua opens on the next holiday
that falls on a weekday outside December (so the calendar shows an overridden holiday)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import Connection, insert, select

from app.models import CalendarOverride, ServicePoint, Staff, WorkingHours
from app.rules.codes import Role
from app.rules.workdays import holidays_between

START, END, LUNCH = 8 * 60, 16 * 60, (11 * 60, 12 * 60)
SHORT_FRIDAY_END = 14 * 60


def add_calendar(conn: Connection, today: date, seed: int = 1) -> None:
    rng = random.Random(seed)
    stamp = {"version": 1, "hlc": "", "updated_by": None, "deleted_at": None}
    from app.models.base import utcnow

    stamp["updated_at"] = utcnow()
    valid_from = today - timedelta(days=400)
    staff = conn.execute(select(Staff.id, Staff.role).order_by(Staff.username)).all()
    hours, coaches = [], []
    for staff_id, role in staff:
        short_friday = role is not Role.DESK and rng.random() < 0.2
        if role is not Role.DESK:
            coaches.append(staff_id)
        for weekday in range(5):
            end = SHORT_FRIDAY_END if weekday == 4 and short_friday else END
            hours.append({"id": _id(rng), "staff_id": staff_id, "weekday": weekday,
                          "start_minute": START, "end_minute": end,
                          "lunch_start_minute": LUNCH[0], "lunch_end_minute": LUNCH[1],
                          "valid_from": valid_from, "valid_to": None, **stamp})
    conn.execute(insert(WorkingHours.__table__), hours)
    overrides = []
    if coaches:
        day = today + timedelta(days=7 - today.weekday() + 2)  # Wednesday next week
        overrides.append({"id": _id(rng), "day": day, "kind": "day_off",
                          "service_point_id": None, "staff_id": rng.choice(coaches),
                          "note": "Koulutuspäivä", **stamp})
    ranua = conn.execute(select(ServicePoint.id).where(ServicePoint.code == "RAN")).scalar()
    # Not over Christmas (the eves are closed everywhere): Epiphany or a later holiday.
    weekday_holidays = [d for d in holidays_between(today, today + timedelta(days=370))
                        if d.weekday() < 5 and d.month != 12]
    if ranua and weekday_holidays:
        overrides.append({"id": _id(rng), "day": weekday_holidays[0], "kind": "open",
                          "service_point_id": ranua, "staff_id": None,
                          "note": "Ranua avoinna ajanvarauksella", **stamp})
    if overrides:
        conn.execute(insert(CalendarOverride.__table__), overrides)


def _id(rng: random.Random) -> str:
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
