"""The calendar's actions and its details panel, as a mixin of AppointmentsPage: booking,
moving, cancelling, check-in, no-show and rebooking, letters and reminders. Every
service call is an operation (app.views.operations); dialogs keep their input when
refused; the calendar shows a change when its table is written (the page subscribes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton

from app.dto.appointments import AppointmentRow, CalendarWorker
from app.i18n import HELSINKI, N_, _, format_date, format_datetime, format_time
from app.rules.booking import at
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.services.appointments import AppointmentService
from app.services.errors import ValidationFailed
from app.services.registry import Services
from app.views.appointments import columns as cols
from app.views.appointments.booking import BookingDialog
from app.views.appointments.dialogs import ReasonDialog, RemindersDialog
from app.views.appointments.grid import CalendarGrid
from app.views.appointments.letter import LetterActions
from app.views.common import label
from app.views.operations import QueryOp, WriteOp
from app.views.tasks import TaskRunner


class CalendarActions:
    # Provided by AppointmentsPage.
    services: Services
    runner: TaskRunner
    grid: CalendarGrid
    buttons: dict[str, QPushButton]
    details: QLabel
    point_combo: QComboBox
    worker_combo: QComboBox
    workers: list[CalendarWorker]
    teams: list[tuple[str, str]]
    history: list[AppointmentRow]
    pending_customer: tuple[str, str] | None
    letters: LetterActions
    anchor: Any
    dialog: Any

    service: AppointmentService
    # And the page's methods load(), selected(), say(), show_error() and _go_to().

    def _show_appointment(self, row: AppointmentRow | None) -> None:
        now = self.services.ctx.now()
        booked = row is not None and row.status == AppointmentStatus.BOOKED.value
        today = self.services.ctx.today()
        self.buttons["reschedule"].setEnabled(booked)
        self.buttons["cancel"].setEnabled(booked)
        self.buttons["check_in"].setEnabled(
            booked and row.channel == Channel.SERVICE_POINT.value
            and row.starts_at.astimezone(HELSINKI).date() == today)
        self.buttons["no_show"].setEnabled(booked and row.starts_at <= now)
        for name in ("save_letter", "print_letter"):
            self.buttons[name].setEnabled(booked)
        if row is None:
            self.details.setText(_("No appointment here. Press Enter or F2 to book this time."))
            return
        lines = [
            f"<b>{_esc(row.customer_name)}</b>",
            _esc(f"{format_date(row.starts_at, 'EEEE d.M.yyyy')} "
                 f"{format_time(row.starts_at)}–{format_time(row.ends_at)}"),
            _esc(label(AppointmentType(row.type))),
            _esc(label(Channel(row.channel)) + (f" · {row.room}" if row.room else "")),
        ]
        if row.video_link:
            lines.append(_esc(row.video_link))
        lines.append(_esc(_("Worker: {name}").format(name=row.staff_name)))
        if row.customer_phone:
            lines.append(_esc(_("Phone: {phone}").format(phone=row.customer_phone)))
        lines.append("<b>" + _esc(label(AppointmentStatus(row.status))) + "</b>")
        if row.cancel_reason:
            lines.append(_esc(_("Reason: {reason}").format(reason=row.cancel_reason)))
        if row.rescheduled_from_id:
            history = [h for h in self.history if h.id != row.id] if self.history and \
                self.history[-1].id == row.id else []
            if history:
                lines.append(_esc(_("Earlier times:")))
                lines += [_esc(f"· {format_datetime(h.starts_at)} – "
                               f"{label(AppointmentStatus(h.status))}"
                               + (f": {h.cancel_reason}" if h.cancel_reason else ""))
                          for h in history]
            else:
                self._load_history(row.id)
        self.details.setText("<br>".join(lines))

    def _load_history(self, appointment_id: str) -> None:
        def shown(chain: list[AppointmentRow]) -> None:
            self.history = chain
            current = self.selected()
            if current is not None and current.id == appointment_id:
                self._show_appointment(current)

        QueryOp(self.runner, self, lambda: self.service.history(appointment_id),  # type: ignore[arg-type]  # a mixin of the page: mypy cannot see that self is a QObject
                success=shown).latest("history").run_in_background()

    def _cursor_start(self) -> datetime:
        column = self.grid.cursor_column()
        day = column.day if column else self.anchor
        return at(day, self.grid.cursor_minute())

    def _point(self) -> tuple[str, str]:
        return self.point_combo.currentData(), self.point_combo.currentText()

    def _dialog(self, mode: str, original: AppointmentRow | None = None,
                customer: tuple[str, str] | None = None) -> BookingDialog:
        column = self.grid.cursor_column()
        staff = (original.staff_id if original else None) or (
            column.staff_id if column else None) or self.worker_combo.currentData()
        start = self._cursor_start() if mode != "rebook" else self.services.ctx.now()
        dialog = BookingDialog(self.services, self.runner, self.workers, self.teams,
                               self._point(), start, staff, mode, original, customer, self)
        self.dialog = dialog
        return dialog

    def book(self, customer: tuple[str, str] | None = None) -> None:
        dialog = self._dialog("book", customer=customer)
        dialog.submit_handler = lambda: self._submit_booking(dialog, None)
        dialog.open()

    def book_when_ready(self, customer: tuple[str, str]) -> None:
        """Book for a customer once the calendar's workers are loaded (first visit)."""
        if self.workers:
            self.book(customer)
        else:
            self.pending_customer = customer

    def _submit_booking(self, dialog: BookingDialog, rebook_of: str | None) -> None:
        data = dialog.value()
        if not data.staff_id:
            dialog.show_errors({"staff": N_("Choose a free slot from the list, or a worker.")})
            return
        dialog.clear_errors()

        def done(row: AppointmentRow) -> None:
            dialog.saved()
            self.say(_("Booked: {customer}, {when}").format(
                customer=row.customer_name, when=format_datetime(row.starts_at)))
            self._go_to(row)

        self._save(dialog, lambda: self.service.book(data, rescheduled_from=rebook_of), done)

    def _save(self, dialog: BookingDialog, work: Any, done: Any) -> None:
        """A booking dialog's change: refusals stay in the dialog, by field if they can."""
        WriteOp(self.runner, dialog, work, success=done) \
            .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
            .run_in_background()

    def reschedule(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = self._dialog("reschedule", row, (row.customer_id or "", row.customer_name))

        def submit() -> None:
            data, reason = dialog.value(), dialog.reason.text()
            if not data.staff_id:
                dialog.show_errors({"staff": N_("Choose a free slot from the list, or a "
                                                "worker.")})
                return

            def done(new: AppointmentRow) -> None:
                dialog.saved()
                self.say(_("Moved to {when}.").format(when=format_datetime(new.starts_at)))
                self._go_to(new)

            self._save(dialog, lambda: self.service.reschedule(row.id, data.starts_at,
                                                               data.staff_id, reason), done)

        dialog.submit_handler = submit
        dialog.open()

    def cancel(self) -> None:
        row = self.selected()
        if row is None:
            return
        summary = f"{row.customer_name}, {format_datetime(row.starts_at)}, " \
                  f"{label(AppointmentType(row.type))}"
        dialog = ReasonDialog(summary, self)
        self.dialog = dialog

        def submit() -> None:
            reason = dialog.reason.text()

            def done(_row: AppointmentRow) -> None:
                dialog.saved()
                self.say(_("Cancelled: {customer}").format(customer=row.customer_name))

            WriteOp(self.runner, dialog, lambda: self.service.cancel(row.id, reason),
                    success=done).run_in_background()

        dialog.submit_handler = submit
        dialog.open()

    def check_in(self) -> None:
        row = self.selected()
        if row is None:
            return

        def done(code: str) -> None:
            self.say(_("{customer} checked in: ticket {code} is first in {worker}'s queue.")
                     .format(customer=row.customer_name, code=code, worker=row.staff_name))
            self.grid.setFocus()

        WriteOp(self.runner, self, lambda: self.service.check_in(row.id),  # type: ignore[arg-type]  # a mixin of the page: mypy cannot see that self is a QObject
                success=done).run_in_background()

    def no_show(self) -> None:
        """Mark the customer as not come, then offer the next free slots to rebook."""
        row = self.selected()
        if row is None:
            return

        def marked(_row: AppointmentRow) -> None:
            self.say(_("{customer} marked as a no-show.").format(customer=row.customer_name))
            dialog = self._dialog("rebook", row, (row.customer_id or "", row.customer_name))
            dialog.submit_handler = lambda: self._submit_booking(dialog, row.id)
            dialog.open()

        WriteOp(self.runner, self, lambda: self.service.mark_no_show(row.id),  # type: ignore[arg-type]  # a mixin of the page: mypy cannot see that self is a QObject
                success=marked).run_in_background()

    def save_letter(self) -> None:
        row = self.selected()
        if row is not None:
            self.letters.save(row.id)

    def print_letter(self) -> None:
        row = self.selected()
        if row is not None:
            self.letters.print(row.id)

    def reminders(self) -> None:
        today = self.services.ctx.today()
        # The next working day: on a Friday, Monday's customers are the ones to remind.
        self.dialog = RemindersDialog(self.service, self.runner, cols.step_weekday(today, 1),
                                      self.point_combo.currentData(), self)
        self.dialog.open()


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
