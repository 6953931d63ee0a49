"""Small dialogs of the calendar: a reason for cancelling, and tomorrow's reminders."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.appointments import ReminderRow
from app.i18n import N_, _, date_input_format, format_date, format_time, ngettext
from app.rules.codes import AppointmentType, Channel
from app.services.appointments import AppointmentService
from app.views import file_dialogs
from app.views.common import ColumnFitter, FieldError, icon, label, list_table
from app.views.form_dialog import FormDialog
from app.views.operations import QueryOp
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner


class ReasonDialog(FormDialog):
    """Why an appointment is cancelled: the reason is kept with the history."""

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__("cancel_dialog", parent)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.layout_.insertWidget(0, self.summary)
        self.reason = QLineEdit()
        self.reason.setMaxLength(400)
        self.add_row(N_("&Reason"), self.reason, "cancel_reason")
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Cancel the appointment"))
        self.retranslate_rows()
        self.reason.setPlaceholderText(_("For example: the customer got a job"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            _("Cancel the appointment"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Keep it"))


REMINDER_COLUMNS = (N_("Time"), N_("Customer"), N_("Phone"), N_("Type"), N_("Channel"),
                    N_("Worker"), N_("Room"))


def _cells(r: ReminderRow) -> list[str]:
    return [f"{format_time(r.starts_at)}–{format_time(r.ends_at)}", r.customer_name,
            r.phone or "–", label(AppointmentType(r.type)), label(Channel(r.channel)),
            r.staff_name, r.room or ""]


class RemindersDialog(QDialog):
    """A day's booked appointments with phone numbers, for reminder calls or a message
    service (CSV export; the file is written in the background)."""

    def __init__(self, service: AppointmentService, runner: TaskRunner, day: date,
                 service_point_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminders_dialog")
        self.service, self.runner, self.point = service, runner, service_point_id
        self.rows: list[ReminderRow] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.day_label = QLabel()
        self.day = QDateEdit(QDate(day.year, day.month, day.day))
        self.day.setObjectName("reminders_day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(date_input_format())
        self.day_label.setBuddy(self.day)
        self.day.dateChanged.connect(lambda _d: self.load())
        top.addWidget(self.day_label)
        top.addWidget(self.day)
        top.addStretch(1)
        self.export = QPushButton()
        self.export.setObjectName("reminders_export")
        self.export.clicked.connect(self.export_csv)
        top.addWidget(self.export)
        layout.addLayout(top)
        self.model = SimpleTableModel(REMINDER_COLUMNS, _cells, self)
        self.table = list_table("reminders_table", self.model)
        self.fitter = ColumnFitter(self.table)  # every column in sight, none cut
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("reminders_status")
        self.status.setWordWrap(True)
        self.error = FieldError()
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # From the text size: at 150 % its columns needed more than 820 pixels.
        chars = self.fontMetrics().averageCharWidth()
        self.resize(max(820, chars * 120), max(480, chars * 70))
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Reminders"))
        self.day_label.setText(_("&Day"))
        self.day.setAccessibleName(_("Day"))
        self.export.setText(_("&Export CSV…"))
        self.export.setIcon(icon("mdi6.file-delimited", self))
        self.export.setAccessibleName(_("Export CSV"))
        self.table.setAccessibleName(_("Appointments to remind"))
        self.model.retranslate()

    def chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def load(self) -> None:
        day = self.chosen_day()

        def shown(rows: list[ReminderRow]) -> None:
            if day != self.chosen_day():
                return
            self.rows = rows
            self.model.set_rows(rows)
            without = sum(1 for r in rows if not r.phone)
            text = ngettext("{n} appointment on {day}.", "{n} appointments on {day}.",
                            len(rows)).format(n=len(rows), day=format_date(day))
            if without:
                text += " " + ngettext("{n} customer has no phone number.",
                                       "{n} customers have no phone number.",
                                       without).format(n=without)
            self.status.setText(text)
            self.export.setEnabled(bool(rows))

        QueryOp(self.runner, self, lambda: self.service.reminders(day, self.point),
                success=shown).latest("reminders").run_in_background()

    def show_error(self, text: str) -> None:
        self.error.show_message(text)

    def export_csv(self) -> None:
        day = self.chosen_day()
        # The day the reminders are for: "Reminders 2026-12-03.csv", in the UI language.
        suggested = file_dialogs.file_name(_("Reminders"), day=day, suffix="csv")
        path = file_dialogs.ask_save_path(self, _("Export the reminders as CSV"), suggested,
                                          _("CSV files (*.csv)"))
        if path is not None:
            self.write(path)

    def write(self, path: Path) -> None:
        day = self.chosen_day()
        self.export.setEnabled(False)

        def written(count: int) -> None:
            self.export.setEnabled(True)
            self.status.setText(ngettext("{n} appointment written to {path}.",
                                         "{n} appointments written to {path}.",
                                         count).format(n=count, path=path))

        def failed(text: str) -> None:
            self.export.setEnabled(True)
            self.error.show_message(_("The file could not be written: {error}").format(
                error=text))

        QueryOp(self.runner, self, lambda: self.service.export_reminders(day, path, self.point),
                success=written).errors_to(failed).run_in_background()


def tomorrow(today: date) -> date:
    return today + timedelta(days=1)
