"""What the appointments give out: the reminder list and its CSV, the appointment
letter, and the no-show rates for the reports. A mixin of AppointmentService (which
provides `ctx` and `_get`), kept apart so each module stays readable."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.dto.appointments import AppointmentLetter, NoShowRate, ReminderRow
from app.models import Appointment, Customer, Room, ServicePoint, Staff
from app.rules import booking as rules
from app.rules.codes import AppointmentStatus
from app.rules.permissions import Permission
from app.rules.spreadsheet import safe_cell
from app.services.context import AppContext

S = AppointmentStatus
# Columns of the reminder CSV for a messaging service (documented in the README).
REMINDER_COLUMNS = ("date", "time", "end_time", "customer", "phone", "language", "type",
                    "channel", "worker", "service_point", "room", "video_link",
                    "appointment_id")


def customer_name(c: Customer | None) -> str:
    return f"{c.last_name}, {c.first_names}" if c is not None else ""


def point_address(p: ServicePoint) -> str:
    town = " ".join(x for x in (p.postal_code, p.municipality) if x)
    return ", ".join(x for x in (p.street_address, town) if x)


class AppointmentOutputs:
    ctx: AppContext

    def _get(self, s: Session, appointment_id: str) -> Appointment:
        raise NotImplementedError

    def no_show_rates(self, date_from: date, date_to: date,
                      service_point_id: str | None = None) -> list[NoShowRate]:
        """No-shows per worker and per service point among appointments due from
        `date_from` to `date_to` (inclusive): held, arrived or missed ones, not cancelled."""
        self.ctx.require(Permission.APPOINTMENT_BOOK)
        with self.ctx.reading() as s:
            return no_show_rates(s, date_from, date_to, service_point_id)

    def reminders(self, day: date, service_point_id: str | None = None) -> list[ReminderRow]:
        """Booked appointments on `day` with the customers' phone numbers (audited)."""
        with self.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
            stmt = (select(Appointment, Customer, Staff.full_name, ServicePoint.name,
                           Room.name)
                    .join(Customer, Customer.id == Appointment.customer_id)
                    .outerjoin(Room, Room.id == Appointment.room_id)
                    .join(Staff, Staff.id == Appointment.staff_id)
                    .join(ServicePoint, ServicePoint.id == Appointment.service_point_id)
                    .where(Appointment.status == S.BOOKED, Appointment.deleted_at.is_(None),
                           Appointment.starts_at >= rules.at(day, 0),
                           Appointment.starts_at < rules.at(day + timedelta(days=1), 0))
                    .order_by(Appointment.starts_at, Customer.sort_name))
            if service_point_id:
                stmt = stmt.where(Appointment.service_point_id == service_point_id)
            rows = [ReminderRow(a.id, a.starts_at, a.ends_at, customer_name(c), c.phone,
                                c.language, a.type.value, a.channel.value, staff, point,
                                room or a.room, a.video_link)
                    for a, c, staff, point, room in s.execute(stmt)]
            self.ctx.audit(s, "appointment.reminders", "appointment", None,
                           {"day": day.isoformat(), "rows": len(rows)})
        return rows

    def export_reminders(self, day: date, path: Path,
                         service_point_id: str | None = None) -> int:
        """Write the reminder list as UTF-8 CSV (REMINDER_COLUMNS); returns the row count."""
        rows = self.reminders(day, service_point_id)
        path.write_text(reminders_csv(rows), encoding="utf-8", newline="")
        with self.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
            self.ctx.audit(s, "appointment.reminders_export", "appointment", None,
                           {"day": day.isoformat(), "rows": len(rows), "file": path.name})
        return len(rows)

    def letter(self, appointment_id: str, lang: str | None = None) -> AppointmentLetter:
        """What the appointment letter prints, in the customer's language by default."""
        with self.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
            a = self._get(s, appointment_id)
            c = s.get(Customer, a.customer_id) if a.customer_id else None
            staff = s.get(Staff, a.staff_id)
            # The appointment's point: a visiting day's customer goes there (#21).
            point = s.get(ServicePoint, a.service_point_id)
            assert staff is not None and point is not None
            room = s.get(Room, a.room_id) if a.room_id else None
            chosen = lang or (c.language if c else "fi")
            chosen = chosen if chosen in ("fi", "sv", "en") else "fi"
            address = ""
            if c is not None:
                town = " ".join(x for x in (c.postal_code, c.post_office) if x)
                address = "\n".join(x for x in (c.street_address, town) if x)
            self.ctx.audit(s, "appointment.letter", "appointment", a.id, {"lang": chosen})
            return AppointmentLetter(
                chosen, f"{c.first_names} {c.last_name}" if c else "", address,
                a.type.value, a.channel.value,
                a.starts_at, a.ends_at, staff.full_name, staff.phone, point.name,
                point_address(point), point.phone, room.name if room else a.room, a.video_link,
                self.ctx.now())

    @staticmethod
    def render_letter(letter: AppointmentLetter) -> bytes:
        """The letter as PDF bytes (pure: run it off the GUI thread, in the io pool)."""
        from app.printing.appointment_letter import render_letter

        return render_letter(letter)


def reminders_csv(rows: list[ReminderRow]) -> str:
    """UTF-8 CSV text, one row per appointment, local (Helsinki) dates and times. Every
    cell passes app.rules.spreadsheet: a formula typed as a room or a name is shown as
    text when the file is opened in a spreadsheet, never run."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REMINDER_COLUMNS)
    for r in rows:
        start = r.starts_at.astimezone(rules.HELSINKI)
        end = r.ends_at.astimezone(rules.HELSINKI)
        writer.writerow([safe_cell(str(value)) for value in (
            start.date().isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M"),
            r.customer_name, r.phone or "", r.language, r.type, r.channel, r.staff_name,
            r.service_point_name, r.room or "", r.video_link or "", r.appointment_id)])
    return out.getvalue()


def no_show_rates(s: Session, date_from: date, date_to: date,
                  service_point_id: str | None = None) -> list[NoShowRate]:
    """No-shows per service point, then per worker, among appointments due from
    `date_from` to `date_to` (local days, inclusive): held, arrived or missed, never
    cancelled. Two GROUP BY queries; for the reports, in the caller's session."""
    due = (S.DONE, S.ARRIVED, S.NO_SHOW)
    missed = func.sum(case((Appointment.status == S.NO_SHOW, 1), else_=0))
    where = [Appointment.status.in_(due), Appointment.deleted_at.is_(None),
             Appointment.starts_at >= rules.at(date_from, 0),
             Appointment.starts_at < rules.at(date_to + timedelta(days=1), 0)]
    if service_point_id:
        where.append(Appointment.service_point_id == service_point_id)
    per_point = s.execute(
        select(ServicePoint.id, ServicePoint.name, func.count(), missed)
        .join(ServicePoint, ServicePoint.id == Appointment.service_point_id)
        .where(*where).group_by(ServicePoint.id, ServicePoint.name)
        .order_by(ServicePoint.name)).all()
    per_staff = s.execute(
        select(Staff.id, Staff.full_name, func.count(), missed)
        .join(Staff, Staff.id == Appointment.staff_id)
        .where(*where).group_by(Staff.id, Staff.full_name)
        .order_by(Staff.full_name)).all()
    return ([NoShowRate("service_point", i, n, c, m or 0) for i, n, c, m in per_point]
            + [NoShowRate("staff", i, n, c, m or 0) for i, n, c, m in per_staff])
