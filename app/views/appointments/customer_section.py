"""The customer card's appointments: upcoming first (soonest first), then past ones
(latest first), with booking and the appointment letter at hand."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, Signal, SignalInstance
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.dto.appointments import AppointmentRow
from app.i18n import N_, _, format_datetime, format_time
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.views.common import icon, label, list_table
from app.views.simple_model import SimpleTableModel

COLUMNS = (N_("Time"), N_("Type"), N_("Worker"), N_("Channel"), N_("Status"))


def _cells(r: AppointmentRow) -> list[str]:
    status = label(AppointmentStatus(r.status))
    if r.cancel_reason:
        status += f": {r.cancel_reason}"
    return [f"{format_datetime(r.starts_at)}–{format_time(r.ends_at)}",
            label(AppointmentType(r.type)), r.staff_name, label(Channel(r.channel)), status]


def ordered(rows: list[AppointmentRow], now: datetime) -> list[AppointmentRow]:
    upcoming = sorted((r for r in rows if r.ends_at >= now), key=lambda r: r.starts_at)
    past = sorted((r for r in rows if r.ends_at < now), key=lambda r: r.starts_at,
                  reverse=True)
    return upcoming + past


class CustomerAppointmentsView(QGroupBox):
    book_requested = Signal()
    save_letter_requested = Signal(str)
    print_letter_requested = Signal(str)
    email_letter_requested = Signal(str)
    meeting_requested = Signal(str)  # a multi-professional meeting's dialog (#24)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_appointments")
        layout = QVBoxLayout(self)
        self.model = SimpleTableModel(COLUMNS, _cells, self)
        self.table = list_table("customer_appointments_table", self.model)
        self.table.setMinimumHeight(80)
        # Compact under the visits: the card's details above keep their room.
        self.setMaximumHeight(200)
        layout.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("customer_appointments_status")
        self.status.setWordWrap(True)
        bar.addWidget(self.status, 1)
        self.book, self.save_letter, self.print_letter, self.email_letter = (
            QPushButton() for _i in range(4))
        for button, name in ((self.book, "book"), (self.save_letter, "save_letter"),
                             (self.print_letter, "print_letter"),
                             (self.email_letter, "email_letter")):
            button.setObjectName(f"customer_appointments_{name}")
            bar.addWidget(button)
        # The multi-professional meeting: participants, minute, tasks (#24); shown for
        # those who may read plans (CustomersPage.set_role).
        self.meeting = QPushButton()
        self.meeting.setObjectName("customer_appointments_meeting")
        bar.insertWidget(1, self.meeting)
        self.meeting.clicked.connect(lambda: self._emit(self.meeting_requested))
        self.book.clicked.connect(self.book_requested)
        self.save_letter.clicked.connect(lambda: self._emit(self.save_letter_requested))
        self.print_letter.clicked.connect(lambda: self._emit(self.print_letter_requested))
        self.email_letter.clicked.connect(lambda: self._emit(self.email_letter_requested))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        layout.addLayout(bar)
        self.counts = (0, 0)
        self.retranslate()
        self._update()

    def _emit(self, signal: SignalInstance) -> None:
        row = self.selected()
        if row is not None:
            signal.emit(row.id)

    def selected(self) -> AppointmentRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update(self) -> None:
        row = self.selected()
        ok = row is not None and row.status == AppointmentStatus.BOOKED.value
        self.save_letter.setEnabled(ok)
        self.print_letter.setEnabled(ok)
        self.email_letter.setEnabled(ok)
        self.meeting.setEnabled(
            row is not None and row.type == AppointmentType.MULTI_PROFESSIONAL.value)

    def show_rows(self, rows: list[AppointmentRow], now: datetime) -> None:
        shown = ordered(rows, now)
        upcoming = sum(1 for r in rows if r.ends_at >= now)
        self.counts = (upcoming, len(rows) - upcoming)
        self.model.set_rows(shown)
        if shown:
            self.table.selectRow(0)
        self._update()
        self.retranslate()

    def say(self, text: str) -> None:
        self.status.setText(text)

    def retranslate(self) -> None:
        upcoming, past = self.counts
        self.setTitle(_("Appointments: {upcoming} upcoming, {past} past").format(
            upcoming=upcoming, past=past))
        self.table.setAccessibleName(_("Appointments"))
        self.book.setText(_("&Book an appointment…"))
        self.book.setIcon(icon("mdi6.calendar-plus", self))
        self.book.setAccessibleName(_("Book an appointment"))
        self.save_letter.setText(_("Save letter…"))
        self.save_letter.setIcon(icon("mdi6.file-pdf-box", self))
        self.save_letter.setAccessibleName(_("Save the appointment letter"))
        self.print_letter.setText(_("Print letter…"))
        self.print_letter.setIcon(icon("mdi6.printer", self))
        self.print_letter.setAccessibleName(_("Print the appointment letter"))
        self.email_letter.setText(_("E-mail letter"))
        self.email_letter.setIcon(icon("mdi6.email-arrow-right-outline", self))
        self.email_letter.setAccessibleName(_("Send the appointment letter by e-mail"))
        self.meeting.setText(_("&Meeting…"))
        self.meeting.setIcon(icon("mdi6.account-group-outline", self))
        self.meeting.setAccessibleName(_("Open the multi-professional meeting"))
        self.meeting.setToolTip(_("Participants, minute and follow-up tasks of a "
                                  "multi-professional meeting"))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
