"""The calendar's settings: a worker's weekly working hours, and the year's holidays with
their exceptions (a holiday opened for booking, a worker's day off). Both dialogs save
through the task runner and keep what was typed when the service refuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.dto.appointments import CalendarWorker
from app.i18n import N_, _, format_date, ngettext
from app.rules.booking import DAY_OFF, OPEN
from app.services.calendar_settings import (
    CalendarSettingsService,
    DayHours,
    OverrideRow,
    WeekHours,
    YearCalendar,
)
from app.services.errors import ValidationFailed
from app.views.common import FieldError, list_table
from app.views.form_dialog import FormDialog
from app.views.operations import QueryOp, WriteOp
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

MONDAY = date(2024, 1, 1)  # any Monday: weekday names come from Babel


def weekday_name(weekday: int) -> str:
    return format_date(MONDAY + timedelta(days=weekday), "cccc").capitalize()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _time_edit(minute: int) -> QTimeEdit:
    edit = QTimeEdit(QTime(minute // 60, minute % 60))
    edit.setDisplayFormat("H.mm")
    return edit


def _minute(edit: QTimeEdit) -> int:
    t = edit.time()
    return t.hour() * 60 + t.minute()


class _DayRow:
    """One weekday of the table: works that day, its start and end, the lunch break."""

    def __init__(self, weekday: int, hours: DayHours) -> None:
        self.weekday = weekday
        self.works = QCheckBox()
        self.works.setObjectName(f"hours_works_{weekday}")
        self.start = _time_edit(hours.start if hours.start is not None else 8 * 60)
        self.end = _time_edit(hours.end if hours.end is not None else 16 * 60)
        self.lunch = QCheckBox()
        self.lunch.setObjectName(f"hours_lunch_{weekday}")
        self.lunch_start = _time_edit(hours.lunch_start if hours.lunch_start is not None
                                      else 11 * 60)
        self.lunch_end = _time_edit(hours.lunch_end if hours.lunch_end is not None
                                    else 12 * 60)
        for edit, name in ((self.start, "start"), (self.end, "end"),
                           (self.lunch_start, "lunch_start"), (self.lunch_end, "lunch_end")):
            edit.setObjectName(f"hours_{name}_{weekday}")
        self.error = FieldError()
        self.error.setObjectName(f"hours_error_{weekday}")
        self.works.setChecked(hours.start is not None)
        self.lunch.setChecked(hours.lunch_start is not None or hours.start is None)
        self.works.toggled.connect(lambda _c: self.enable())
        self.lunch.toggled.connect(lambda _c: self.enable())
        self.enable()

    def enable(self) -> None:
        works = self.works.isChecked()
        for w in (self.start, self.end, self.lunch):
            w.setEnabled(works)
        for w in (self.lunch_start, self.lunch_end):
            w.setEnabled(works and self.lunch.isChecked())

    def value(self) -> DayHours:
        if not self.works.isChecked():
            return DayHours(self.weekday)
        lunch = (_minute(self.lunch_start), _minute(self.lunch_end)) \
            if self.lunch.isChecked() else (None, None)
        return DayHours(self.weekday, _minute(self.start), _minute(self.end), *lunch)

    def retranslate(self) -> None:
        name = weekday_name(self.weekday)
        self.works.setText(name)
        self.works.setAccessibleName(_("{day}: working day").format(day=name))
        self.lunch.setText(_("Lunch"))
        self.lunch.setAccessibleName(_("{day}: lunch break").format(day=name))
        for edit, text in ((self.start, N_("{day}: starts")), (self.end, N_("{day}: ends")),
                           (self.lunch_start, N_("{day}: lunch starts")),
                           (self.lunch_end, N_("{day}: lunch ends"))):
            edit.setAccessibleName(_(text).format(day=name))


class WorkingHoursDialog(FormDialog):
    """A worker's week: Monday to Sunday with times, in force from a chosen day on."""

    def __init__(self, hours: WeekHours, today: date, editable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__("working_hours_dialog", parent)
        self.hours, self.today = hours, today
        self.summary = QLabel()
        self.summary.setObjectName("hours_summary")
        self.summary.setWordWrap(True)
        self.layout_.insertWidget(0, self.summary)
        self.valid_from = QDateEdit(_qdate(max(today, hours.on)))
        self.valid_from.setCalendarPopup(True)
        self.valid_from.setDisplayFormat("d.M.yyyy")
        self.valid_from.setMinimumDate(_qdate(today))
        self.add_row(N_("&From"), self.valid_from, "hours_valid_from")
        self.valid_from_error = FieldError()
        self.form.addRow("", self.valid_from_error)
        grid = QGridLayout()
        self.headers = [QLabel() for _i in range(5)]
        for col, header in enumerate(self.headers):
            grid.addWidget(header, 0, col if col < 3 else col + 1)
        self.days = [_DayRow(d, hours.days[d]) for d in range(7)]
        for d, row in enumerate(self.days):
            r = 1 + 2 * d
            for col, widget in enumerate((row.works, row.start, row.end, row.lunch,
                                          row.lunch_start, row.lunch_end)):
                grid.addWidget(widget, r, col)
            grid.addWidget(row.error, r + 1, 0, 1, 6)
        self.layout_.insertLayout(2, grid)
        self.finish_layout()
        self.editable = editable
        if not editable:
            for w in (self.valid_from, *[x for row in self.days for x in (
                    row.works, row.start, row.end, row.lunch, row.lunch_start,
                    row.lunch_end)]):
                w.setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Working hours: {name}").format(name=self.hours.staff_name))
        self.retranslate_rows()
        if self.hours.on > self.today:
            lines = [_("{name}'s working hours as already changed from {day} on; saving "
                       "from that day replaces the change.").format(
                name=self.hours.staff_name, day=format_date(self.hours.on))]
        else:
            lines = [_("{name}'s working hours in force on {day}.").format(
                name=self.hours.staff_name, day=format_date(self.hours.on))]
        if not self.editable:
            lines.append(_("You may change only your own working hours."))
        lines.append(_("The change takes effect on the chosen day; the earlier hours are "
                       "kept for the past calendar."))
        self.summary.setText(" ".join(lines))
        for header, text in zip(self.headers, (N_("Day"), N_("Starts"), N_("Ends"),
                                               N_("Lunch starts"), N_("Lunch ends")),
                                strict=True):
            header.setText(_(text))
        for row in self.days:
            row.retranslate()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def values(self) -> tuple[list[DayHours], date]:
        return [row.value() for row in self.days], _pydate(self.valid_from.date())

    def show_invalid(self, errors: dict[str, str]) -> None:
        """Errors next to their weekday (or the date); the rest under the form."""
        self._mark(errors)
        general = errors.get("days") or errors.get("staff")
        super().show_error(_(general) if general else "")
        first = next((row.start for row in self.days if row.error.isVisible()), None)
        if first is not None:
            first.setFocus()

    def show_error(self, message: str) -> None:
        """A refusal about no one day: under the form, the days' marks cleared."""
        self._mark({})
        super().show_error(message)

    def _mark(self, errors: dict[str, str]) -> None:
        for row in self.days:
            message = errors.get(f"day{row.weekday}")
            row.error.show_message(_(message) if message else "")
        message = errors.get("valid_from")
        self.valid_from_error.show_message(_(message) if message else "")


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
        self.day = QDateEdit(_qdate(today))
        self.day.setObjectName("exceptions_day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("d.M.yyyy")
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
            self.day.setDate(_qdate(entry.day))
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
        day, note = _pydate(self.day.date()), self.note.text()
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


class CalendarSettingsActions:
    """The page's two settings actions (a mixin of AppointmentsPage)."""

    services: Any
    runner: TaskRunner
    grid: Any
    worker_combo: QComboBox
    point_combo: QComboBox
    workers: list[CalendarWorker]
    points: list[tuple[str, str]]
    dialog: Any
    # And the page's say() and show_error().

    def chosen_worker(self) -> str | None:
        """The worker under the cursor, else the one chosen above, else oneself."""
        column = self.grid.cursor_column()
        if column is not None and column.staff_id:
            return column.staff_id
        actor = self.services.ctx.actor
        return self.worker_combo.currentData() or (actor.staff_id if actor else None)

    def working_hours(self) -> None:
        staff_id = self.chosen_worker()
        if staff_id is None:
            return
        service = self.services.calendar_settings
        ctx = self.services.ctx

        def loaded(hours: WeekHours) -> None:
            actor = ctx.actor
            editable = service.can_manage() or (actor is not None
                                                and actor.staff_id == staff_id)
            dialog = WorkingHoursDialog(hours, ctx.today(), editable, self)  # type: ignore[arg-type]  # a mixin of the page: mypy cannot see that self is a QWidget
            self.dialog = dialog

            def submit() -> None:
                days, valid_from = dialog.values()

                def done(saved: WeekHours) -> None:
                    dialog.saved()
                    text = _("Working hours of {name} saved from {day} on.").format(
                        name=saved.staff_name, day=format_date(saved.on))
                    if saved.outside:
                        text += " ⚠ " + ngettext(
                            "{n} booked appointment is now outside the working hours: "
                            "move it.",
                            "{n} booked appointments are now outside the working hours: "
                            "move them.", saved.outside).format(n=saved.outside)
                    self.say(text)  # type: ignore[attr-defined]  # say() is the page's, which this mixin is mixed into

                WriteOp(self.runner, dialog,
                        lambda: service.set_working_hours(staff_id, days, valid_from),
                        success=done) \
                    .on(ValidationFailed, lambda exc: dialog.show_invalid(exc.errors)) \
                    .run_in_background()

            dialog.submit_handler = submit
            dialog.open()

        def latest() -> WeekHours:
            # A change already saved for a later day is what the person edits further.
            hours = service.working_hours(staff_id)
            return service.working_hours(staff_id, hours.next_change) \
                if hours.next_change else hours

        QueryOp(self.runner, self, latest, success=loaded).run_in_background()  # type: ignore[arg-type]  # a mixin of the page: mypy cannot see that self is a QObject

    def exceptions(self) -> None:
        self.dialog = ExceptionsDialog(
            self.services.calendar_settings, self.runner, self.services.ctx.today(),
            self.points, self.workers, self.point_combo.currentData(), self.chosen_worker(),
            self)  # type: ignore[arg-type]  # a mixin of the page: mypy cannot see that self is a QWidget
        self.dialog.open()
