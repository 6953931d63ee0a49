"""Calendar rules as data: each worker's working hours, and exceptions to the holidays.

Both are synchronised, so a team lead's change reaches every desk's slot finder."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class WorkingHours(Synced, Base):
    """One weekday of a worker's working hours (minutes after local midnight), in force
    from `valid_from` to `valid_to` (inclusive, open-ended when empty)."""

    __tablename__ = "working_hours"
    __table_args__ = (
        Index("ix_working_hours_staff", "staff_id", "weekday"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("end_minute > start_minute", name="positive_day"),
        CheckConstraint("lunch_end_minute IS NULL OR lunch_end_minute > lunch_start_minute",
                        name="positive_lunch"),
    )

    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday, as date.weekday()
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    lunch_start_minute: Mapped[int | None] = mapped_column(Integer)
    lunch_end_minute: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    # Where the worker works on these days (#21): a service point (none: their own), or
    # remote. A day at another point is a row valid for that one day (the latest
    # valid_from wins, app/rules/booking.py hours_on). Added by local 0100 with a plain
    # ADD COLUMN (no foreign key: SQLite would rebuild the table).
    service_point_id: Mapped[str | None] = mapped_column(String(36))
    remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class CalendarOverride(Synced, Base):
    """An exception to the calendar on one day: `open` makes a holiday bookable at a
    service point (or for one worker); `day_off` closes a worker's ordinary day."""

    __tablename__ = "calendar_override"
    __table_args__ = (
        Index("ix_calendar_override_day", "day"),
        CheckConstraint("kind IN ('open', 'day_off')", name="kind_known"),
        CheckConstraint("service_point_id IS NOT NULL OR staff_id IS NOT NULL",
                        name="has_target"),
    )

    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    service_point_id: Mapped[str | None] = mapped_column(ForeignKey("service_point.id"))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str | None] = mapped_column(String(200))
