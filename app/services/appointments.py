"""Appointments: the calendar, free slots, booking, rescheduling, cancelling, check-in
into the walk-in queue, no-shows, reminders and the appointment letter.

Every change is one transaction through `AppContext.transaction`: the double-booking
check reads the worker's and the room's appointments in the same transaction that writes
the new one, so two bookings from this workstation can never overlap."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.dto.appointments import (
    AppointmentRow,
    BookingInput,
    CalendarData,
    CalendarDay,
    CalendarWorker,
    DeadlineInfo,
    SlotRow,
    WorkerDay,
)
from app.dto.events import RoomRow
from app.i18n import N_, current_language
from app.models import (
    Appointment,
    CalendarOverride,
    Customer,
    Event,
    EventSession,
    QueueTicket,
    Room,
    ServicePoint,
    Staff,
    WorkingHours,
)
from app.rules import booking as rules
from app.rules import queue as queue_rules
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    Channel,
    EventStatus,
    ServiceArea,
    TicketState,
)
from app.rules.permissions import Permission
from app.rules.statutory import initial_interview_deadline
from app.rules.workdays import holiday_name, iter_days
from app.services import rooms
from app.services.appointment_outputs import (  # noqa: F401
    REMINDER_COLUMNS,
    AppointmentOutputs,
    customer_name,
    reminders_csv,
)
from app.services.context import AppContext
from app.services.errors import NotFound, ServiceError, ValidationFailed

# REMINDER_COLUMNS and reminders_csv are imported from here too (the CLI, the tests).
S = AppointmentStatus
# A checked-in customer goes ahead of walk-ins (walk-in priority is 0 or 1).
CHECK_IN_PRIORITY = 2
TYPE_AREA = {AppointmentType.INITIAL_INTERVIEW: ServiceArea.INITIAL}


class BookingError(ServiceError):
    """A refused booking (its values fill the message's placeholders)."""


class AppointmentService(AppointmentOutputs):
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- reading the calendar -------------------------------------------------------

    def workers(self, service_point_id: str | None = None) -> list[CalendarWorker]:
        """Active staff who take appointments (everyone but reception), by name."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        with self.ctx.reading() as s:
            stmt = select(Staff).where(Staff.active.is_(True), Staff.deleted_at.is_(None),
                                       Staff.role != "desk").order_by(Staff.full_name)
            if service_point_id:
                stmt = stmt.where(Staff.service_point_id == service_point_id)
            return [CalendarWorker(w.id, w.full_name, w.service_point_id, w.team_id)
                    for w in s.scalars(stmt)]

    def service_points(self) -> list[tuple[str, str]]:
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        with self.ctx.reading() as s:
            return [(p.id, p.name) for p in s.scalars(
                select(ServicePoint).where(ServicePoint.deleted_at.is_(None))
                .order_by(ServicePoint.name))]

    def rooms(self, service_point_id: str) -> list[RoomRow]:
        """The active rooms of a service point (the booking dialog's choice), by name."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        with self.ctx.reading() as s:
            point = s.scalar(select(ServicePoint.name)
                             .where(ServicePoint.id == service_point_id)) or ""
            return [RoomRow(r.id, r.service_point_id, point, r.name, r.seats,
                            bool(r.accessible), r.equipment or "", True)
                    for r in s.scalars(select(Room).where(
                        Room.service_point_id == service_point_id, Room.active.is_(True),
                        Room.deleted_at.is_(None)).order_by(Room.name, Room.id))]

    def teams(self) -> list[tuple[str, str]]:
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        from app.models import Team

        with self.ctx.reading() as s:
            return [(t.id, t.name) for t in s.scalars(
                select(Team).where(Team.deleted_at.is_(None)).order_by(Team.name))]

    def calendar(self, first: date, last: date, staff_ids: list[str] | None = None,
                 service_point_id: str | None = None) -> CalendarData:
        """Working hours, holidays and appointments of some workers over some days
        (all workers of `service_point_id` when `staff_ids` is None)."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        with self.ctx.reading() as s:
            stmt = select(Staff).where(Staff.active.is_(True)).order_by(Staff.full_name)
            if staff_ids is not None:
                stmt = stmt.where(Staff.id.in_(staff_ids))
            else:
                # The point's own workers and those with a day there (a visiting day).
                visiting = select(WorkingHours.staff_id).where(
                    WorkingHours.service_point_id == service_point_id,
                    WorkingHours.deleted_at.is_(None), WorkingHours.valid_from <= last,
                    or_(WorkingHours.valid_to.is_(None), WorkingHours.valid_to >= first))
                stmt = stmt.where(or_(Staff.service_point_id == service_point_id,
                                      Staff.id.in_(visiting)), Staff.role != "desk")
            staff = list(s.scalars(stmt))
            workers = self._workers(s, staff)
            overrides = self._overrides(s, first, last)
            rows = self._rows(s, and_(
                Appointment.staff_id.in_([w.id for w in staff]),
                Appointment.starts_at < rules.at(last + timedelta(days=1), 0),
                Appointment.ends_at > rules.at(first, 0)))
        days = tuple(CalendarDay(d, holiday_name(d, current_language()), any(
            o.day == d and o.kind == rules.OPEN for o in overrides))
            for d in iter_days(first, last))
        worker_days = []
        for w in workers:
            for d in iter_days(first, last):
                reason = rules.day_status(w, d, overrides)
                if reason is None and service_point_id and staff_ids is None \
                        and rules.point_on(w, d) != service_point_id:
                    reason = N_("The worker works at another service point on this day.")
                hours = rules.hours_on(w, d)
                periods = tuple(rules.open_periods(hours)) if hours and not reason else ()
                worker_days.append(WorkerDay(w.staff_id, d, periods, reason))
        return CalendarData(
            first, last, days,
            tuple(CalendarWorker(x.id, x.full_name, x.service_point_id, x.team_id)
                  for x in staff),
            tuple(worker_days), tuple(rows))

    def still_to_come_today(self) -> int:
        """The signed-in worker's appointments of today not yet over and still booked
        (neither arrived, cancelled nor missed): the count on the navigation."""
        actor = self.ctx.require(Permission.APPOINTMENT_BOOK)
        now = self.ctx.now()
        tomorrow = rules.at(self.ctx.today() + timedelta(days=1), 0)
        with self.ctx.reading() as s:
            return s.scalar(select(func.count()).select_from(Appointment).where(
                Appointment.staff_id == actor.staff_id,
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.ends_at > now, Appointment.starts_at < tomorrow)) or 0

    def get(self, appointment_id: str) -> AppointmentRow:
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        with self.ctx.reading() as s:
            rows = self._rows(s, Appointment.id == appointment_id)
        if not rows:
            raise NotFound(N_("The appointment was not found."))
        return rows[0]

    def history(self, appointment_id: str) -> list[AppointmentRow]:
        """The appointment and every one it was rescheduled from, oldest first."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        chain: list[AppointmentRow] = []
        with self.ctx.reading() as s:
            current: str | None = appointment_id
            while current is not None and len(chain) < 100:
                rows = self._rows(s, Appointment.id == current)
                if not rows:
                    break
                chain.append(rows[0])
                current = rows[0].rescheduled_from_id
        return list(reversed(chain))

    def for_customer(self, customer_id: str) -> list[AppointmentRow]:
        """A customer's appointments, newest first (the customer card's section)."""
        with self.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
            rows = self._rows(s, Appointment.customer_id == customer_id)
            self.ctx.audit(s, "appointment.list", "customer", customer_id)
        return sorted(rows, key=lambda r: r.starts_at, reverse=True)

    def deadline(self, customer_id: str) -> DeadlineInfo | None:
        """The statutory last day of the customer's initial interview, when registered."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        with self.ctx.reading() as s:
            registered = s.scalar(select(Customer.jobseeker_registered_on)
                                  .where(Customer.id == customer_id))
        if registered is None:
            return None
        found = initial_interview_deadline(registered)
        return DeadlineInfo(registered, found.due_on, found.rule.value, found.rule.source)

    # --- free slots -------------------------------------------------------------------

    def find_slots(self, minutes: int, start: datetime | None = None, *,
                   staff_id: str | None = None, team_id: str | None = None,
                   service_point_id: str | None = None, count: int = 8) -> list[SlotRow]:
        """The first free slots for one worker, or any worker of a team or service point.
        Each slot is at the point the worker works at that day: with `service_point_id`
        only days at that point (a visiting specialist's day there included)."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        start = max(start or self.ctx.now(), self.ctx.now())
        with self.ctx.reading() as s:
            stmt = select(Staff).where(Staff.active.is_(True), Staff.role != "desk")
            if staff_id:
                stmt = select(Staff).where(Staff.id == staff_id)
            elif team_id:
                stmt = stmt.where(Staff.team_id == team_id)
            elif service_point_id:
                # The point's own workers and whoever has a day there (a visiting day).
                visiting = select(WorkingHours.staff_id).where(
                    WorkingHours.service_point_id == service_point_id,
                    WorkingHours.deleted_at.is_(None))
                stmt = stmt.where(or_(Staff.service_point_id == service_point_id,
                                      Staff.id.in_(visiting)))
            staff = list(s.scalars(stmt.order_by(Staff.full_name)))
            names = {w.id: w.full_name for w in staff}
            workers = self._workers(s, staff)
            horizon = start + timedelta(days=rules.HORIZON_DAYS + 1)
            busy = self._busy(s, [w.id for w in staff], start - timedelta(days=1), horizon)
            overrides = self._overrides(s, start.date() - timedelta(days=1), horizon.date())
            points = {i: n for i, n in s.execute(select(ServicePoint.id, ServicePoint.name))}
        point_filter = None if staff_id or team_id else service_point_id
        slots = rules.find_slots(workers, busy, overrides, start, minutes, count,
                                 service_point_id=point_filter)
        return [SlotRow(x.staff_id, names[x.staff_id], x.starts_at, x.ends_at,
                        x.service_point_id, points.get(x.service_point_id, ""), x.remote)
                for x in slots]

    # --- changes ----------------------------------------------------------------------

    def book(self, data: BookingInput, rescheduled_from: str | None = None) -> AppointmentRow:
        errors = self._validate(data)
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
            if s.get(Customer, data.customer_id) is None:
                raise ValidationFailed({"customer": N_("The customer was not found.")})
            appointment = self._place(s, data)
            appointment.rescheduled_from_id = rescheduled_from
            s.flush()
            self.ctx.audit(s, "appointment.book", "appointment", appointment.id,
                           {"customer": data.customer_id})
            return self._rows(s, Appointment.id == appointment.id)[0]

    def reschedule(self, appointment_id: str, starts_at: datetime, staff_id: str | None = None,
                   reason: str = "") -> AppointmentRow:
        """Cancel the old appointment with the reason and book the new one, linked to it,
        in one transaction: the old row is kept as history."""
        reason = " ".join(reason.split())
        if not reason:
            raise ValidationFailed({"reason": N_("Say why the appointment is moved.")})
        with self.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
            old = self._get(s, appointment_id)
            if old.status is not S.BOOKED:
                raise ServiceError(N_("Only a booked appointment can be moved."))
            minutes = round((old.ends_at - old.starts_at).total_seconds() / 60)
            old.status, old.cancel_reason = S.CANCELLED, reason
            s.flush()
            data = BookingInput(old.customer_id or "", staff_id or old.staff_id, old.type.value,
                                old.channel.value, starts_at, minutes, old.room or "",
                                old.video_link or "", old.room_id or "")
            new = self._place(s, data)
            new.rescheduled_from_id = old.id
            s.flush()
            self.ctx.audit(s, "appointment.reschedule", "appointment", new.id,
                           {"from": old.id, "reason": reason})
            return self._rows(s, Appointment.id == new.id)[0]

    def cancel(self, appointment_id: str, reason: str) -> AppointmentRow:
        reason = " ".join(reason.split())
        if not reason:
            raise ValidationFailed({"reason": N_("Give a reason for cancelling.")})
        with self.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
            appointment = self._get(s, appointment_id)
            if appointment.status is not S.BOOKED:
                raise ServiceError(N_("Only a booked appointment can be cancelled."))
            appointment.status, appointment.cancel_reason = S.CANCELLED, reason
            self.ctx.audit(s, "appointment.cancel", "appointment", appointment.id)
            s.flush()
            return self._rows(s, Appointment.id == appointment.id)[0]

    def check_in(self, appointment_id: str) -> str:
        """The customer has arrived: mark it and put them in the queue for their worker,
        ahead of walk-ins. Returns the ticket code to tell the customer ('A 012')."""
        from app.services.queue import QueueService

        _desk, letter = QueueService(self.ctx).workstation()
        with self.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
            appointment = self._get(s, appointment_id)
            if appointment.status is not S.BOOKED:
                raise ServiceError(N_("Only a booked appointment can be checked in."))
            if appointment.channel is not Channel.SERVICE_POINT:
                raise ServiceError(N_("Phone and video appointments are not checked in."))
            today = self.ctx.today()
            if appointment.starts_at.astimezone(rules.HELSINKI).date() != today:
                raise ServiceError(N_("Only today's appointments can be checked in."))
            appointment.status = S.ARRIVED
            taken = s.scalars(select(QueueTicket.number).where(
                QueueTicket.service_point_id == appointment.service_point_id,
                QueueTicket.ticket_date == today, QueueTicket.letter == letter))
            try:
                number = queue_rules.next_number(taken)
            except queue_rules.TransitionRefused as exc:
                raise ServiceError(exc.message) from exc
            team_area = s.scalar(select(Staff.team_id).where(Staff.id == appointment.staff_id))
            area = TYPE_AREA.get(appointment.type) or self._team_area(s, team_area)
            ticket = QueueTicket(
                service_point_id=appointment.service_point_id, ticket_date=today,
                letter=letter, number=number, customer_id=appointment.customer_id,
                service_area=area, priority=CHECK_IN_PRIORITY, priority_reason="appointment",
                state=TicketState.WAITING, arrived_at=self.ctx.now(), leg=0, recalls=0,
                # Addressed to the worker by name: rules.queue calls it for them first.
                transferred_to_staff=appointment.staff_id, appointment_id=appointment.id,
            )
            s.add(ticket)
            s.flush()
            self.ctx.audit(s, "appointment.check_in", "appointment", appointment.id,
                           {"ticket": ticket.id})
            return queue_rules.format_ticket(letter, number)

    def mark_no_show(self, appointment_id: str) -> AppointmentRow:
        with self.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
            appointment = self._get(s, appointment_id)
            if appointment.status is not S.BOOKED:
                raise ServiceError(N_("Only a booked appointment can be marked as a no-show."))
            if appointment.starts_at > self.ctx.now():
                raise ServiceError(N_("The appointment has not started yet."))
            appointment.status = S.NO_SHOW
            self.ctx.audit(s, "appointment.no_show", "appointment", appointment.id)
            s.flush()
            return self._rows(s, Appointment.id == appointment.id)[0]

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _validate(data: BookingInput) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not data.customer_id:
            errors["customer"] = N_("Choose the customer.")
        if not data.staff_id:
            errors["staff"] = N_("Choose the worker.")
        if data.type not in {t.value for t in AppointmentType}:
            errors["type"] = N_("Choose the type of appointment.")
        if data.channel not in {c.value for c in Channel}:
            errors["channel"] = N_("Choose how the customer is met.")
        if not 5 <= data.minutes <= 8 * 60:
            errors["minutes"] = N_("The length is 5 minutes to 8 hours.")
        link = data.video_link.strip()
        if data.channel == Channel.VIDEO and not link:
            errors["video_link"] = N_("Give the video meeting link for a video appointment.")
        elif link and not link.startswith(("https://", "http://")):
            errors["video_link"] = N_("The link starts with https://.")
        if data.starts_at.tzinfo is None:
            errors["starts_at"] = N_("Choose the time.")
        return errors

    def _place(self, s: Session, data: BookingInput) -> Appointment:
        """Check the worker's day and every overlapping appointment, then add the row."""
        staff = s.get(Staff, data.staff_id)
        if staff is None:
            raise ValidationFailed({"staff": N_("The worker was not found.")})
        ends_at = data.starts_at + timedelta(minutes=data.minutes)
        if data.starts_at < self.ctx.now() - timedelta(minutes=5):
            raise BookingError(N_("The time has already passed."))
        worker = self._workers(s, [staff])[0]
        day = data.starts_at.astimezone(rules.HELSINKI).date()
        # The appointment is where the worker works that day (a visiting day elsewhere).
        point = rules.point_on(worker, day)
        overrides = self._overrides(s, day, day)
        visit = data.channel == Channel.SERVICE_POINT
        room_id = data.room_id if visit else ""
        # A booked room replaces the old free text; old text rows keep their own check.
        room = None if room_id else " ".join(data.room.split()) or None
        busy = self._busy(s, [staff.id], data.starts_at, ends_at, room=room, point=point)
        try:
            rules.check_booking(worker, data.starts_at, ends_at, overrides, busy, room,
                                data.channel)
        except rules.BookingRefused as exc:
            raise BookingError(exc.message, **exc.args_) from exc
        if room_id:
            booked = s.get(Room, room_id)
            if booked is not None and booked.service_point_id != point:
                raise ValidationFailed({"room": N_(
                    "The room is at another service point: choose a room where the "
                    "appointment is.")})
            if booked is not None and not booked.active:
                raise ValidationFailed({"room": N_("The room is no longer in use: choose "
                                                   "another.")})
            rooms.require_free(s, room_id, data.starts_at, ends_at)
        appointment = Appointment(
            customer_id=data.customer_id, staff_id=staff.id,
            service_point_id=point, type=AppointmentType(data.type),
            channel=Channel(data.channel), status=S.BOOKED, starts_at=data.starts_at,
            ends_at=ends_at, room=room if visit else None, room_id=room_id or None,
            video_link=data.video_link.strip() or None if data.channel == Channel.VIDEO
            else None)
        s.add(appointment)
        return appointment

    @staticmethod
    def _workers(s: Session, staff: list[Staff]) -> list[rules.Worker]:
        ids = [w.id for w in staff]
        hours: dict[str, list[rules.Hours]] = {i: [] for i in ids}
        for h in s.scalars(select(WorkingHours).where(WorkingHours.staff_id.in_(ids),
                                                       WorkingHours.deleted_at.is_(None))):
            hours[h.staff_id].append(rules.Hours(
                h.weekday, h.start_minute, h.end_minute, h.lunch_start_minute,
                h.lunch_end_minute, h.valid_from, h.valid_to, h.service_point_id,
                bool(h.remote)))
        return [rules.Worker(w.id, w.service_point_id, tuple(hours[w.id])) for w in staff]

    @staticmethod
    def _overrides(s: Session, first: date, last: date) -> list[rules.Override]:
        return [rules.Override(o.day, o.kind, o.service_point_id, o.staff_id, o.note)
                for o in s.scalars(select(CalendarOverride).where(
                    CalendarOverride.day.between(first, last),
                    CalendarOverride.deleted_at.is_(None)))]

    @staticmethod
    def _busy(s: Session, staff_ids: list[str], start: datetime, end: datetime,
              room: str | None = None, point: str | None = None) -> list[rules.Busy]:
        """Holding appointments overlapping [start, end) of the workers, or of the room
        at the service point."""
        whose: ColumnElement[bool] = Appointment.staff_id.in_(staff_ids)
        if room and point:
            # Every roomed appointment there: rules.check_booking compares the rooms
            # casefolded (SQLite's lower() knows only ASCII, and rooms have ä and ö).
            whose = or_(whose, and_(Appointment.service_point_id == point,
                                    Appointment.room.is_not(None)))
        rows = s.scalars(select(Appointment).where(
            whose, Appointment.status.in_(tuple(rules.HOLDING)),
            Appointment.deleted_at.is_(None),
            Appointment.starts_at < end, Appointment.ends_at > start))
        busy = [rules.Busy(a.staff_id, a.starts_at, a.ends_at, a.room) for a in rows]
        # A worker organising an event is not bookable during its sessions.
        sessions = s.execute(
            select(EventSession.starts_at, EventSession.ends_at, Event.organiser_ids)
            .join(Event, Event.id == EventSession.event_id)
            .where(EventSession.deleted_at.is_(None), EventSession.cancelled.is_(False),
                   Event.deleted_at.is_(None), Event.status == EventStatus.PLANNED,
                   EventSession.starts_at < end, EventSession.ends_at > start))
        wanted = set(staff_ids)
        for starts, ends, organisers in sessions:
            for staff_id in wanted.intersection((organisers or "").split(",")):
                busy.append(rules.Busy(staff_id, starts, ends, event=True))
        return busy

    @staticmethod
    def _team_area(s: Session, team_id: str | None) -> ServiceArea:
        from app.models import Team

        area = s.scalar(select(Team.service_area).where(Team.id == team_id)) if team_id else None
        return area or ServiceArea.FINDING_WORK

    @staticmethod
    def _get(s: Session, appointment_id: str) -> Appointment:
        appointment = s.get(Appointment, appointment_id)
        if appointment is None or appointment.deleted_at is not None:
            raise NotFound(N_("The appointment was not found."))
        return appointment

    @staticmethod
    def _rows(s: Session, condition) -> list[AppointmentRow]:
        worker, point = aliased(Staff), aliased(ServicePoint)
        stmt = (select(Appointment, Customer, worker.full_name, point.name, Room.name)
                .outerjoin(Customer, Customer.id == Appointment.customer_id)
                .outerjoin(Room, Room.id == Appointment.room_id)
                .join(worker, worker.id == Appointment.staff_id)
                .join(point, point.id == Appointment.service_point_id)
                .where(condition, Appointment.deleted_at.is_(None))
                .order_by(Appointment.starts_at))
        return [AppointmentRow(
            a.id, a.customer_id, customer_name(c), c.phone if c else None, a.staff_id, staff,
            a.service_point_id, point_name, a.type.value, a.channel.value, a.status.value,
            a.starts_at, a.ends_at, room_name or a.room, a.video_link, a.cancel_reason,
            a.rescheduled_from_id, a.room_id)
            for a, c, staff, point_name, room_name in s.execute(stmt)]
