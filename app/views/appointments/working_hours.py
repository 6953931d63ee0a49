"""A worker's weekly working hours: Monday to Sunday with times and the lunch break, in
force from a chosen day on. The dialog keeps what was typed when the service refuses."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QWidget,
)

from app.i18n import N_, _, date_input_format, format_date, time_input_format
from app.services.calendar_settings import (
    CalendarSettingsService,
    DayHours,
    VisitingDay,
    WeekHours,
)
from app.services.errors import ValidationFailed
from app.views.common import FieldError
from app.views.form_dialog import FormDialog
from app.views.operations import QueryOp, WriteOp
from app.views.tasks import TaskRunner

OWN, REMOTE = "", "remote"  # the place combo's data besides the service points' ids
VISITING_WEEKS = 26  # the days at another point listed ahead


def place_combo(points: list[tuple[str, str]], own: bool = True) -> QComboBox:
    """Where the worker works: their own point (`own`), each service point, remote."""
    combo = QComboBox()
    if own:
        combo.addItem("", OWN)
    for pid, name in points:
        combo.addItem(name, pid)
    combo.addItem("", REMOTE)
    return combo


def name_places(combo: QComboBox) -> None:
    for i in range(combo.count()):
        if combo.itemData(i) == OWN:
            combo.setItemText(i, _("Own service point"))
        elif combo.itemData(i) == REMOTE:
            combo.setItemText(i, _("Remote (phone and video)"))


def place_of(combo: QComboBox) -> tuple[str | None, bool]:
    data = combo.currentData() or OWN
    return (None, True) if data == REMOTE else (data or None, False)


def set_place(combo: QComboBox, service_point_id: str | None, remote: bool) -> None:
    at = combo.findData(REMOTE if remote else service_point_id or OWN)
    combo.setCurrentIndex(max(0, at))

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

    def __init__(self, weekday: int, hours: DayHours,
                 points: list[tuple[str, str]]) -> None:
        self.weekday = weekday
        self.place = place_combo(points)
        self.place.setObjectName(f"hours_place_{weekday}")
        set_place(self.place, hours.service_point_id, hours.remote)
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
        for w in (self.start, self.end, self.lunch, self.place):
            w.setEnabled(works)
        for w in (self.lunch_start, self.lunch_end):
            w.setEnabled(works and self.lunch.isChecked())

    def value(self) -> DayHours:
        if not self.works.isChecked():
            return DayHours(self.weekday)
        lunch = self.lunch.isChecked()
        point, remote = place_of(self.place)
        return DayHours(self.weekday, _minute(self.start), _minute(self.end),
                        _minute(self.lunch_start) if lunch else None,
                        _minute(self.lunch_end) if lunch else None, point, remote)

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
        name_places(self.place)
        self.place.setAccessibleName(_("{day}: place").format(day=name))


class WorkingHoursDialog(FormDialog):
    """A worker's week: Monday to Sunday with times, in force from a chosen day on."""

    def __init__(self, hours: WeekHours, today: date, editable: bool,
                 parent: QWidget | None = None, points: list[tuple[str, str]] | None = None,
                 service: CalendarSettingsService | None = None,
                 runner: TaskRunner | None = None) -> None:
        super().__init__("working_hours_dialog", parent)
        self.hours, self.today = hours, today
        points = points or []
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
        self.headers = [QLabel() for _i in range(6)]
        for col, header in enumerate(self.headers):
            grid.addWidget(header, 0, col if col < 3 else col + 1)
        self.days = [_DayRow(d, hours.days[d], points) for d in range(7)]
        for d, row in enumerate(self.days):
            r = 1 + 2 * d
            for col, widget in enumerate((row.works, row.start, row.end, row.lunch,
                                          row.lunch_start, row.lunch_end, row.place)):
                grid.addWidget(widget, r, col)
            grid.addWidget(row.error, r + 1, 0, 1, 7)
        self.layout_.insertLayout(2, grid)
        self.visiting: VisitingDays | None = None
        if service is not None and runner is not None:
            self.visiting = VisitingDays(service, runner, hours.staff_id, today, points,
                                         editable, self)
            self.layout_.insertWidget(3, self.visiting)
        self.finish_layout()
        self.editable = editable
        if not editable:
            for w in (self.valid_from, *[x for row in self.days for x in (
                    row.works, row.start, row.end, row.lunch, row.lunch_start,
                    row.lunch_end, row.place)]):
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
                                               N_("Lunch starts"), N_("Lunch ends"),
                                               N_("Place")),
                                strict=True):
            header.setText(_(text))
        for row in self.days:
            row.retranslate()
        if self.visiting is not None:
            self.visiting.retranslate()
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




class VisitingDays(QGroupBox):
    """A day at another service point (or remote): one day's hours and place, which
    override the weekly row that day; the days already saved, to take one back."""

    def __init__(self, service: CalendarSettingsService, runner: TaskRunner, staff_id: str,
                 today: date, points: list[tuple[str, str]], editable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hours_visiting")
        self.service, self.runner, self.staff_id, self.today = service, runner, staff_id, today
        self.editable = editable
        grid = QGridLayout(self)
        self.day = QDateEdit(qdate(today + timedelta(days=1)))
        self.day.setObjectName("visiting_day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(date_input_format())
        self.day.setMinimumDate(qdate(today))
        self.start, self.end = _time_edit(9 * 60), _time_edit(15 * 60)
        self.start.setObjectName("visiting_start")
        self.end.setObjectName("visiting_end")
        self.place = place_combo(points, own=False)
        self.place.setObjectName("visiting_place")
        self.add = QPushButton()
        self.add.setObjectName("visiting_add")
        self.add.clicked.connect(self.add_day)
        self.labels = [QLabel() for _i in range(4)]
        for col, (lbl, widget) in enumerate(zip(self.labels, (self.day, self.start, self.end,
                                                               self.place), strict=True)):
            lbl.setBuddy(widget)
            grid.addWidget(lbl, 0, col)
            grid.addWidget(widget, 1, col)
        grid.addWidget(self.add, 1, 4)
        self.list = QListWidget()
        self.list.setObjectName("visiting_list")
        self.list.setMaximumHeight(110)
        grid.addWidget(self.list, 2, 0, 1, 4)
        self.remove = QPushButton()
        self.remove.setObjectName("visiting_remove")
        self.remove.clicked.connect(self.remove_day)
        row = QHBoxLayout()
        row.addWidget(self.remove)
        row.addStretch(1)
        grid.addLayout(row, 2, 4, Qt.AlignmentFlag.AlignTop)
        self.error = FieldError()
        self.error.setObjectName("visiting_error")
        grid.addWidget(self.error, 3, 0, 1, 5)
        for w in (self.day, self.start, self.end, self.place, self.add, self.remove):
            w.setEnabled(editable)
        self.load()

    def retranslate(self) -> None:
        self.setTitle(_("A day at another service point"))
        for lbl, text in zip(self.labels, (N_("D&ay"), N_("Starts"), N_("Ends"),
                                           N_("Pla&ce")), strict=True):
            lbl.setText(_(text))
        self.day.setAccessibleName(_("The day at another service point"))
        self.start.setAccessibleName(_("The day starts"))
        self.end.setAccessibleName(_("The day ends"))
        self.place.setAccessibleName(_("Where the worker works that day"))
        name_places(self.place)
        self.add.setText(_("A&dd the day"))
        self.add.setAccessibleName(_("Add the day at another service point"))
        self.remove.setText(_("Re&move the day"))
        self.remove.setAccessibleName(_("Remove the chosen day"))
        self.list.setAccessibleName(_("Days at another service point"))

    def load(self) -> None:
        first, last = self.today, self.today + timedelta(weeks=VISITING_WEEKS)

        def shown(days: list[VisitingDay]) -> None:
            self.list.clear()
            for d in days:
                where = _("Remote (phone and video)") if d.remote else d.service_point_name
                item = QListWidgetItem(
                    f"{format_date(d.day, 'EEE')} {format_date(d.day)} "
                    f"{d.start // 60}.{d.start % 60:02d}–{d.end // 60}.{d.end % 60:02d}"
                    f"  ·  {where}")
                item.setData(Qt.ItemDataRole.UserRole, d.id)
                self.list.addItem(item)

        QueryOp(self.runner, self, lambda: self.service.visiting_days(
            self.staff_id, first, last), success=shown).latest("visiting").run_in_background()

    def add_day(self) -> None:
        day = pydate(self.day.date())
        point, remote = place_of(self.place)
        hours = DayHours(day.weekday(), _minute(self.start), _minute(self.end), None, None,
                         point, remote)
        self.error.show_message("")
        staff_id = self.staff_id

        def done(saved: VisitingDay) -> None:
            self.error.show_message("")
            self.load()

        WriteOp(self.runner, self, lambda: self.service.add_visiting_day(staff_id, day, hours),
                success=done) \
            .on(ValidationFailed, lambda exc: self.show_error(
                " ".join(_(m) for m in exc.errors.values()))) \
            .run_in_background()

    def remove_day(self) -> None:
        item: QListWidgetItem | None = self.list.currentItem()
        if item is None:
            return
        row_id = item.data(Qt.ItemDataRole.UserRole)
        WriteOp(self.runner, self, lambda: self.service.remove_visiting_day(row_id),
                success=lambda _r: self.load()).run_in_background()

    def show_error(self, text: str) -> None:
        self.error.show_message(text)
