"""What happens at the service points: queue tickets, visits and appointments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models import local_time as lt
from app.models.base import Base, Synced, enum_column
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    Channel,
    ServiceArea,
    TicketState,
)


class QueueTicket(Synced, Base):
    __tablename__ = "queue_ticket"
    # A state change carries these too, changed or not, so the central merge knows which
    # desk and worker moved the ticket forward (forward-only merge, rules.queue).
    __sync_together__ = {"state": ("leg", "desk", "served_by")}
    __table_args__ = (
        # The desk letter makes numbers unique without coordination between desks.
        Index("ix_ticket_number", "service_point_id", "ticket_date", "letter", "number",
              unique=True),
        CheckConstraint("number > 0 AND number < 1000", name="number_range"),
        CheckConstraint("priority >= 0", name="priority_nonnegative"),
    )

    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    ticket_date: Mapped[date] = mapped_column(Date)
    letter: Mapped[str] = mapped_column(String(1))
    number: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customer.id"))
    service_area: Mapped[ServiceArea] = enum_column(ServiceArea)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    priority_reason: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[TicketState] = enum_column(TicketState)
    # A transfer starts a new leg (back to waiting for another service or worker), so the
    # ticket's progress (leg, state) still only moves forward and merges keep the furthest.
    leg: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    recalls: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    transfer_note: Mapped[str | None] = mapped_column(Text)
    arrived_at: Mapped[datetime]
    # The first call ends the wait (recalls do not); the latest call is shown in the lobby.
    first_called_at: Mapped[datetime | None]
    called_at: Mapped[datetime | None]
    service_started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    desk: Mapped[str | None] = mapped_column(String(20))
    served_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    transferred_to_staff: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    appointment_id: Mapped[str | None] = mapped_column(ForeignKey("appointment.id"))
    # The queue service the ticket waits for (#24; local 0120, central c0120): its code
    # is what desks call by, a partner's service reaches that partner's desks. Empty on
    # tickets of before: their service is `service_area` (the built-in services' codes
    # are the areas' own).
    queue_service_id: Mapped[str | None] = mapped_column(String(36))


class OfferedService(Synced, Base):
    """A service a point's queue offers (#24): the area's admins keep them (Settings >
    Queue services). Its code is what a desk's duty and a ticket name; its names are
    shown in the user's language; `service_area` is how its visits are counted; a
    partner's service is served at that partner's desks. Never deleted: an unused one
    is made inactive, so old tickets keep its name."""

    __tablename__ = "queue_service"
    __table_args__ = (Index("ix_queue_service_point", "service_point_id", "position"),)

    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    code: Mapped[str] = mapped_column(String(40))
    name_fi: Mapped[str] = mapped_column(String(80))
    name_sv: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    service_area: Mapped[ServiceArea] = enum_column(ServiceArea)
    partner_org_id: Mapped[str | None] = mapped_column(ForeignKey("partner_org.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DeskDuty(Synced, Base):
    """A worker on duty at a desk: which services they call, and since when."""

    __tablename__ = "desk_duty"
    __table_args__ = (Index("ix_desk_duty_point", "service_point_id", "ended_at"),)

    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    desk: Mapped[str] = mapped_column(String(20))
    # Comma-separated queue service codes (OfferedService.code; before #24 the areas).
    services: Mapped[str] = mapped_column(String(400))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class Visit(Synced, Base):
    """One contact with a customer: at the service point, by phone or by video."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_customer_started", "customer_id", "started_at"),
        # Local only, for the reports (benchmarks/README.md, "a year's reports"): each
        # covers its reports' columns, so a year is read from the index alone.
        Index("ix_visit_report_week", "local_week", "local_day", "deleted_at",
              "service_point_id", "team_id", "channel", "service_area", "customer_id",
              info=lt.LOCAL_INDEX),
        Index("ix_visit_report_walk_in", "walk_in", "local_day", "deleted_at",
              "service_point_id", "team_id", "local_minute", "wait_minutes",
              info=lt.LOCAL_INDEX),
        Index("ix_visit_report_customer", "customer_id", "local_day", "deleted_at",
              "service_point_id", "team_id", "minutes", info=lt.LOCAL_INDEX),
    )

    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customer.id"))
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    channel: Mapped[Channel] = enum_column(Channel)
    walk_in: Mapped[bool] = mapped_column(default=False)
    service_area: Mapped[ServiceArea] = enum_column(ServiceArea)
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"))
    ticket_id: Mapped[str | None] = mapped_column(ForeignKey("queue_ticket.id"))
    appointment_id: Mapped[str | None] = mapped_column(ForeignKey("appointment.id"))
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    wait_minutes: Mapped[int | None] = mapped_column(Integer)
    topics: Mapped[str | None] = mapped_column(String(400))
    outcome: Mapped[str | None] = mapped_column(String(400))
    follow_up: Mapped[str | None] = mapped_column(String(400))
    note: Mapped[str | None] = mapped_column(Text)
    # Local only, never synchronised (app.models.local_time): the Helsinki day, week
    # (Monday) and minute of the day of the start, and the visit's length in minutes.
    local_day: Mapped[date | None] = lt.derived_column(lt.local_day, "started_at")
    local_week: Mapped[date | None] = lt.derived_column(lt.local_week, "started_at")
    local_minute: Mapped[int | None] = lt.derived_column(lt.local_minute, "started_at",
                                                         type_=Integer())
    minutes: Mapped[float | None] = lt.derived_column(lt.minutes_between, "started_at",
                                                      "ended_at", type_=Float())


class Appointment(Synced, Base):
    __tablename__ = "appointment"
    __table_args__ = (
        Index("ix_appointment_staff_start", "staff_id", "starts_at"),
        Index("ix_appointment_room", "room_id", "starts_at"),  # a room's bookings (#21)
        CheckConstraint("ends_at > starts_at", name="positive_duration"),
        Index("ix_appointment_report_day", "local_day", "deleted_at", "status",
              "service_point_id", "staff_id", "customer_id", info=lt.LOCAL_INDEX),
        # Local only: the timeliness reports read the meetings held from it alone.
        Index("ix_appointment_report_held", "status", "type", "local_day", "customer_id",
              "deleted_at", info=lt.LOCAL_INDEX),
    )

    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customer.id"), index=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    type: Mapped[AppointmentType] = enum_column(AppointmentType)
    channel: Mapped[Channel] = enum_column(Channel)
    status: Mapped[AppointmentStatus] = enum_column(AppointmentStatus)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room: Mapped[str | None] = mapped_column(String(40))  # as typed before rooms (#21)
    # A booked room (#21). Added by local 0100 with a plain ADD COLUMN (no foreign key:
    # SQLite would rebuild the table and lose its triggers).
    room_id: Mapped[str | None] = mapped_column(String(36))
    video_link: Mapped[str | None] = mapped_column(String(400))
    cancel_reason: Mapped[str | None] = mapped_column(String(400))
    rescheduled_from_id: Mapped[str | None] = mapped_column(ForeignKey("appointment.id"))
    # Local only, never synchronised (app.models.local_time): the Helsinki day and week
    # (Monday) of the start.
    local_day: Mapped[date | None] = lt.derived_column(lt.local_day, "starts_at")
    local_week: Mapped[date | None] = lt.derived_column(lt.local_week, "starts_at")


lt.install(Visit)
lt.install(Appointment)
