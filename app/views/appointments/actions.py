"""The calendar's actions and its details panel, a collaborator of AppointmentsPage:
booking, moving, cancelling, check-in, no-show and rebooking, letters and reminders. Every
service call is an operation (app.views.operations); dialogs keep their input when
refused; the calendar shows a change when its table is written (the page subscribes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from html import escape
from typing import Any, Protocol

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPushButton, QWidget

from app.dto.appointments import AppointmentRow, CalendarWorker
from app.i18n import HELSINKI, N_, _, format_datetime, format_day, format_time
from app.rules.booking import at
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.services.appointments import AppointmentService
from app.services.customers import CustomerService
from app.services.errors import ValidationFailed
from app.services.session import SessionInfo
from app.views.appointments import columns as cols
from app.views.appointments.booking import BookingDialog
from app.views.appointments.dialogs import ReasonDialog, RemindersDialog
from app.views.appointments.grid import CalendarGrid
from app.views.appointments.letter import LetterActions
from app.views.common import label
from app.views.operations import QueryOp, WriteOp
from app.views.tasks import TaskRunner


class CalendarView(Protocol):
    """What the actions read and tell of the calendar page."""

    grid: CalendarGrid
    buttons: dict[str, QPushButton]
    details: QLabel
    point_combo: QComboBox
    worker_combo: QComboBox
    workers: list[CalendarWorker]
    teams: list[tuple[str, str]]
    anchor: date

    def selected(self) -> AppointmentRow | None: ...

    def say(self, text: str) -> None: ...

    def show_dialog(self, dialog: QDialog) -> None: ...

    def go_to(self, row: AppointmentRow) -> None: ...


class AppointmentActions:
    """`view` is the page the actions work on and `parent` the widget their dialogs and
    operations belong to (the same page)."""

    def __init__(self, view: CalendarView, parent: QWidget, service: AppointmentService,
                 customers: CustomerService, session: SessionInfo, runner: TaskRunner,
                 letters: LetterActions) -> None:
        self.view, self.parent = view, parent
        self.service, self.customers, self.session = service, customers, session
        self.runner, self.letters = runner, letters
        self.history: list[AppointmentRow] = []  # the shown appointment's earlier times

    def clear(self) -> None:
        self.history = []

    # --- the details panel ---------------------------------------------------------------

    def show_appointment(self, row: AppointmentRow | None) -> None:
        """The appointment under the cursor, and which actions apply to it."""
        view = self.view
        now = self.session.now()
        today = self.session.today()
        booked = row is not None and row.status == AppointmentStatus.BOOKED.value
        view.buttons["reschedule"].setEnabled(booked)
        view.buttons["cancel"].setEnabled(booked)
        view.buttons["check_in"].setEnabled(
            row is not None and booked and row.channel == Channel.SERVICE_POINT.value
            and row.starts_at.astimezone(HELSINKI).date() == today)
        view.buttons["no_show"].setEnabled(row is not None and booked and row.starts_at <= now)
        for name in ("save_letter", "print_letter"):
            view.buttons[name].setEnabled(booked)
        if row is None:
            view.details.setText(_("No appointment here. Press Enter or F2 to book this time."))
            return
        lines = [
            f"<b>{escape(row.customer_name)}</b>",
            escape(f"{format_day(row.starts_at, 'EEEE', year=True)} "
                   f"{format_time(row.starts_at)}–{format_time(row.ends_at)}"),
            escape(label(AppointmentType(row.type))),
            escape(label(Channel(row.channel)) + (f" · {row.room}" if row.room else "")),
        ]
        if row.video_link:
            lines.append(escape(row.video_link))
        lines.append(escape(_("Worker: {name}").format(name=row.staff_name)))
        if row.customer_phone:
            lines.append(escape(_("Phone: {phone}").format(phone=row.customer_phone)))
        lines.append("<b>" + escape(label(AppointmentStatus(row.status))) + "</b>")
        if row.cancel_reason:
            lines.append(escape(_("Reason: {reason}").format(reason=row.cancel_reason)))
        if row.rescheduled_from_id:
            history = [h for h in self.history if h.id != row.id] if self.history and \
                self.history[-1].id == row.id else []
            if history:
                lines.append(escape(_("Earlier times:")))
                lines += [escape(f"· {format_datetime(h.starts_at)} – "
                                 f"{label(AppointmentStatus(h.status))}"
                                 + (f": {h.cancel_reason}" if h.cancel_reason else ""))
                          for h in history]
            else:
                self._load_history(row.id)
        view.details.setText("<br>".join(lines))

    def _load_history(self, appointment_id: str) -> None:
        def shown(chain: list[AppointmentRow]) -> None:
            self.history = chain
            current = self.view.selected()
            if current is not None and current.id == appointment_id:
                self.show_appointment(current)

        QueryOp(self.runner, self.parent, lambda: self.service.history(appointment_id),
                success=shown).latest("history").run_in_background()

    # --- booking and moving --------------------------------------------------------------

    def _cursor_start(self) -> datetime:
        grid = self.view.grid
        column = grid.cursor_column()
        day = column.day if column else self.view.anchor
        return at(day, grid.cursor_minute())

    def _dialog(self, mode: str, original: AppointmentRow | None = None,
                customer: tuple[str, str] | None = None) -> BookingDialog:
        view = self.view
        column = view.grid.cursor_column()
        staff = (original.staff_id if original else None) or (
            column.staff_id if column else None) or view.worker_combo.currentData()
        start = self._cursor_start() if mode != "rebook" else self.session.now()
        point = (view.point_combo.currentData(), view.point_combo.currentText())
        return BookingDialog(self.service, self.customers, self.session, self.runner,
                             view.workers, view.teams, point, start, staff, mode, original,
                             customer, self.parent)

    def book(self, customer: tuple[str, str] | None = None) -> None:
        dialog = self._dialog("book", customer=customer)
        dialog.submit_handler = lambda: self._submit_booking(dialog, None)
        self.view.show_dialog(dialog)

    def _submit_booking(self, dialog: BookingDialog, rebook_of: str | None) -> None:
        data = dialog.value()
        if not data.staff_id:
            dialog.show_errors({"staff": N_("Choose a free slot from the list, or a worker.")})
            return
        dialog.clear_errors()

        def done(row: AppointmentRow) -> None:
            dialog.saved()
            self.view.say(_("Booked: {customer}, {when}").format(
                customer=row.customer_name, when=format_datetime(row.starts_at)))
            self.view.go_to(row)

        self._save(dialog, lambda: self.service.book(data, rescheduled_from=rebook_of), done)

    def _save(self, dialog: BookingDialog, work: Callable[[], AppointmentRow],
              done: Callable[[AppointmentRow], None]) -> None:
        """A booking dialog's change: refusals stay in the dialog, by field if they can."""
        WriteOp(self.runner, dialog, work, success=done) \
            .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
            .run_in_background()

    def reschedule(self) -> None:
        row = self.view.selected()
        if row is None:
            return
        dialog = self._dialog("reschedule", row, (row.customer_id or "", row.customer_name))

        def submit() -> None:
            data, reason = dialog.value(), dialog.reason.text()
            staff_id = data.staff_id
            if not staff_id:
                dialog.show_errors({"staff": N_("Choose a free slot from the list, or a "
                                                "worker.")})
                return

            def done(new: AppointmentRow) -> None:
                dialog.saved()
                self.view.say(_("Moved to {when}.").format(when=format_datetime(new.starts_at)))
                self.view.go_to(new)

            self._save(dialog, lambda: self.service.reschedule(row.id, data.starts_at,
                                                               staff_id, reason), done)

        dialog.submit_handler = submit
        self.view.show_dialog(dialog)

    # --- the appointment's day -----------------------------------------------------------

    def cancel(self) -> None:
        row = self.view.selected()
        if row is None:
            return
        summary = f"{row.customer_name}, {format_datetime(row.starts_at)}, " \
                  f"{label(AppointmentType(row.type))}"
        dialog = ReasonDialog(summary, self.parent)

        def submit() -> None:
            reason = dialog.reason.text()

            def done(_row: AppointmentRow) -> None:
                dialog.saved()
                self.view.say(_("Cancelled: {customer}").format(customer=row.customer_name))

            WriteOp(self.runner, dialog, lambda: self.service.cancel(row.id, reason),
                    success=done).run_in_background()

        dialog.submit_handler = submit
        self.view.show_dialog(dialog)

    def check_in(self) -> None:
        row = self.view.selected()
        if row is None:
            return

        def done(code: str) -> None:
            self.view.say(_("{customer} checked in: ticket {code} is first in {worker}'s "
                            "queue.").format(customer=row.customer_name, code=code,
                                             worker=row.staff_name))
            self.view.grid.setFocus()

        WriteOp(self.runner, self.parent, lambda: self.service.check_in(row.id),
                success=done).run_in_background()

    def no_show(self) -> None:
        """Mark the customer as not come, then offer the next free slots to rebook."""
        row = self.view.selected()
        if row is None:
            return

        def marked(_row: AppointmentRow) -> None:
            self.view.say(_("{customer} marked as a no-show.").format(
                customer=row.customer_name))
            dialog = self._dialog("rebook", row, (row.customer_id or "", row.customer_name))
            dialog.submit_handler = lambda: self._submit_booking(dialog, row.id)
            self.view.show_dialog(dialog)

        WriteOp(self.runner, self.parent, lambda: self.service.mark_no_show(row.id),
                success=marked).run_in_background()

    def save_letter(self) -> None:
        row = self.view.selected()
        if row is not None:
            self.letters.save(row.id)

    def print_letter(self) -> None:
        row = self.view.selected()
        if row is not None:
            self.letters.print(row.id)

    def reminders(self) -> None:
        # The next working day: on a Friday, Monday's customers are the ones to remind.
        day = cols.step_weekday(self.session.today(), 1)
        self.view.show_dialog(RemindersDialog(self.service, self.runner, day,
                                              self.view.point_combo.currentData(),
                                              self.parent))

    def handlers(self) -> dict[str, Callable[[], Any]]:
        """The side panel's buttons, by name (see the page's ACTIONS)."""
        return {"book": self.book, "check_in": self.check_in, "no_show": self.no_show,
                "reschedule": self.reschedule, "cancel": self.cancel,
                "save_letter": self.save_letter, "print_letter": self.print_letter,
                "reminders": self.reminders}
