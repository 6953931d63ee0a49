"""The year's holidays and the calendar's exceptions (a holiday opened for booking at a
service point, a worker's day off), with the actions that add and remove them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.dto.appointments import CalendarWorker
from app.i18n import N_, _, date_input_format, format_date, ngettext
from app.rules.booking import DAY_OFF, OPEN
from app.services.calendar_settings import CalendarSettingsService, OverrideRow, YearCalendar
from app.services.errors import ValidationFailed
from app.views.appointments.working_hours import pydate, qdate
from app.views.common import ColumnFitter, FieldError, list_table
from app.views.operations import QueryOp, WriteOp
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner


@dataclass(frozen=True)
class Entry:
    """A row of the year list: a holiday, an exception, or both on one day."""

    day: date
    holiday: str | None
    override: OverrideRow | None


def entries(year: YearCalendar) -> list[Entry]:
    holidays = dict(year.holidays)
    rows = [Entry(o.day, holidays.get(o.day), o) for o in year.overrides]
    excepted = {o.day for o in year.overrides}
    rows += [Entry(d, name, None) for d, name in year.holidays if d not in excepted]
    return sorted(rows, key=lambda e: (e.day, e.override is not None))


def describe(entry: Entry) -> str:
    o = entry.override
    if o is None:
        return _("Closed")
    if o.kind == DAY_OFF:
        return _("Day off: {worker}").format(worker=o.staff_name or "")
    return _("Open for booking at {place}").format(
        place=o.service_point_name or o.staff_name or "")


COLUMNS = (N_("Date"), N_("Day"), N_("Holiday"), N_("Exception"), N_("Note"))


def _cells(e: Entry) -> list[str]:
    return [format_date(e.day), format_date(e.day, "cccc"), e.holiday or "", describe(e),
            (e.override.note if e.override else None) or ""]


def booked_warning(booked: int) -> str:
    """Appointments already booked on a day that is now closed: someone moves them."""
    if not booked:
        return ""
    return " ⚠ " + ngettext("{n} appointment is booked on that day: move it.",
                            "{n} appointments are booked on that day: move them.",
                            booked).format(n=booked)


class ExceptionsDialog(QDialog):
    """The year's holidays and the calendar's exceptions, with the actions that open a
    holiday at a service point, give a worker a day off, or take an exception back."""

    def __init__(self, service: CalendarSettingsService, runner: TaskRunner, today: date,
                 points: list[tuple[str, str]], workers: list[CalendarWorker],
                 point_id: str | None, staff_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exceptions_dialog")
        self.service, self.runner, self.today = service, runner, today
        self.year_data: YearCalendar | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.year_label = QLabel()
        self.year = QSpinBox()
        self.year.setObjectName("exceptions_year")
        self.year.setRange(today.year - 1, today.year + 5)
        self.year.setValue(today.year)
        self.year_label.setBuddy(self.year)
        self.year.valueChanged.connect(lambda _y: self.load())
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        layout.addLayout(top)
        self.model = SimpleTableModel(COLUMNS, _cells, self)
        self.table = list_table("exceptions_table", self.model)
        # The columns share the width by their contents (titles and long names whole,
        # wrapped if need be), not the last column taking what the others left.
        self.fitter = ColumnFitter(self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._row_chosen())
        layout.addWidget(self.table, 1)
        self.remove = QPushButton()
        self.remove.setObjectName("exceptions_remove")
        self.remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove)
        layout.addLayout(row)

        self.add_box = QGroupBox()
        form = QFormLayout(self.add_box)
        self.day = QDateEdit(qdate(today))
        self.day.setObjectName("exceptions_day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(date_input_format())
        self.point = QComboBox()
        self.point.setObjectName("exceptions_point")
        for pid, name in points:
            self.point.addItem(name, pid)
        self.point.setCurrentIndex(max(0, self.point.findData(point_id)))
        self.worker = QComboBox()
        self.worker.setObjectName("exceptions_worker")
        for w in workers:
            self.worker.addItem(w.name, w.id)
        self.worker.setCurrentIndex(max(0, self.worker.findData(staff_id)))
        self.note = QLineEdit()
        self.note.setObjectName("exceptions_note")
        self.note.setMaxLength(200)
        self.labels: list[tuple[QLabel, QWidget, str]] = []
        self.errors: dict[str, FieldError] = {}
        for text, widget, key in ((N_("D&ay"), self.day, "day"),
                                  (N_("&Service point"), self.point, "service_point"),
                                  (N_("&Worker"), self.worker, "staff"),
                                  (N_("N&ote"), self.note, "note")):
            lbl = QLabel()
            lbl.setBuddy(widget)
            self.labels.append((lbl, widget, text))
            form.addRow(lbl, widget)
            self.errors[key] = FieldError()
            form.addRow("", self.errors[key])
        actions = QHBoxLayout()
        self.open_button, self.day_off_button = QPushButton(), QPushButton()
        self.open_button.setObjectName("exceptions_open")
        self.day_off_button.setObjectName("exceptions_day_off")
        self.open_button.clicked.connect(lambda: self.add(OPEN))
        self.day_off_button.clicked.connect(lambda: self.add(DAY_OFF))
        actions.addWidget(self.open_button)
        actions.addWidget(self.day_off_button)
        form.addRow(actions)
        layout.addWidget(self.add_box)
        self.point.currentIndexChanged.connect(lambda _i: self._name_actions())
        self.worker.currentIndexChanged.connect(lambda _i: self._name_actions())
        self.day.dateChanged.connect(lambda _d: self._name_actions())
        self.error = FieldError()
        self.error.setObjectName("exceptions_error")
        self.status = QLabel()
        self.status.setObjectName("exceptions_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_buttons = buttons
        layout.addWidget(buttons)
        self.manage = service.can_manage()
        self.add_box.setEnabled(self.manage)
        self.resize(860, 640)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Holidays and exceptions"))
        self.year_label.setText(_("&Year"))
        self.year.setAccessibleName(_("Year"))
        self.table.setAccessibleName(_("Holidays and exceptions of the year"))
        self.remove.setText(_("&Remove the exception"))
        self.remove.setAccessibleName(_("Remove the exception"))
        self.add_box.setTitle(_("New exception") if self.manage else
                              _("New exception (team leads and administrators)"))
        for lbl, widget, text in self.labels:
            lbl.setText(_(text))
            widget.setAccessibleName(_(text).replace("&", ""))
        self.note.setPlaceholderText(_("For example: training day"))
        self.close_buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.model.retranslate()
        self._name_actions()

    def _name_actions(self) -> None:
        self.open_button.setText(_("&Open for booking at {point}").format(
            point=self.point.currentText()))
        self.open_button.setAccessibleName(self.open_button.text().replace("&", ""))
        self.day_off_button.setText(_("Day o&ff for {worker}").format(
            worker=self.worker.currentText()))
        self.day_off_button.setAccessibleName(self.day_off_button.text().replace("&", ""))
        entry = self.selected()
        self.remove.setEnabled(self.manage and entry is not None
                               and entry.override is not None)

    def selected(self) -> Entry | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _row_chosen(self) -> None:
        entry = self.selected()
        if entry is not None and entry.day >= self.today:
            self.day.setDate(qdate(entry.day))
        self._name_actions()

    def load(self, keep: str | None = None) -> None:
        year = self.year.value()
        if self.year_data is not None and self.year_data.year != year:
            self.model.set_rows([])  # never act on another year's row meanwhile
            self._name_actions()

        def shown(data: YearCalendar) -> None:
            if data.year != self.year.value():
                return
            self.year_data = data
            rows = entries(data)
            self.model.set_rows(rows)
            # The kept exception, else the first day still to come.
            at = next((i for i, e in enumerate(rows) if e.override and e.override.id == keep),
                      None) if keep else next(
                (i for i, e in enumerate(rows) if e.day >= self.today), None)
            if at is not None:
                self.table.selectRow(at)
                self.table.scrollTo(self.model.index(at, 0))
            self._name_actions()

        QueryOp(self.runner, self, lambda: self.service.year_calendar(year), success=shown) \
            .latest("year").run_in_background()

    def _clear_errors(self) -> None:
        self.error.show_message("")
        for e in self.errors.values():
            e.show_message("")

    def show_invalid(self, errors: dict[str, str]) -> None:
        self._busy(False)
        for key, message in errors.items():
            self.errors.get(key, self.error).show_message(_(message))

    def show_error(self, text: str) -> None:
        self._busy(False)
        self.error.show_message(text)

    def _change(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Add or remove an exception; the calendar shows it (the page subscribes)."""
        WriteOp(self.runner, self, work, success=done) \
            .on(ValidationFailed, lambda exc: self.show_invalid(exc.errors)).run_in_background()

    def _busy(self, busy: bool) -> None:
        for w in (self.open_button, self.day_off_button, self.remove):
            w.setEnabled(not busy)
        if not busy:
            self._name_actions()

    def add(self, kind: str) -> None:
        self._clear_errors()
        day, note = pydate(self.day.date()), self.note.text()
        point = self.point.currentData() if kind == OPEN else None
        staff = self.worker.currentData() if kind == DAY_OFF else None
        self._busy(True)

        def done(row: OverrideRow) -> None:
            self._busy(False)
            self.note.clear()
            text = _("Saved: {day}, {what}.").format(
                day=format_date(row.day), what=describe(Entry(row.day, None, row)))
            self.status.setText(text + booked_warning(row.booked))
            if self.year.value() != row.day.year:
                self.year.setValue(row.day.year)
            self.load(keep=row.id)

        self._change(lambda: self.service.add_override(day, kind, point, staff, note), done)

    def remove_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.override is None:
            return
        self._clear_errors()
        override: Any = entry.override
        self._busy(True)

        def done(booked: int) -> None:
            self._busy(False)
            self.status.setText(_("Removed: {day}, {what}.").format(
                day=format_date(entry.day), what=describe(entry)) + booked_warning(booked))
            self.load()

        self._change(lambda: self.service.remove_override(override.id), done)


