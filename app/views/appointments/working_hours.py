"""A worker's weekly working hours: Monday to Sunday with times and the lunch break, in
force from a chosen day on. The dialog keeps what was typed when the service refuses."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QTimeEdit,
    QWidget,
)

from app.i18n import N_, _, date_input_format, format_date, time_input_format
from app.services.calendar_settings import DayHours, WeekHours
from app.views.common import FieldError
from app.views.form_dialog import FormDialog

MONDAY = date(2024, 1, 1)  # any Monday: weekday names come from Babel


def weekday_name(weekday: int) -> str:
    return format_date(MONDAY + timedelta(days=weekday), "cccc").capitalize()


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _time_edit(minute: int) -> QTimeEdit:
    edit = QTimeEdit(QTime(minute // 60, minute % 60))
    edit.setDisplayFormat(time_input_format())
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
        self.valid_from = QDateEdit(qdate(max(today, hours.on)))
        self.valid_from.setCalendarPopup(True)
        self.valid_from.setDisplayFormat(date_input_format())
        self.valid_from.setMinimumDate(qdate(today))
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
        return [row.value() for row in self.days], pydate(self.valid_from.date())

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


