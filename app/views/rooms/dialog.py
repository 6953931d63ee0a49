"""The service points' rooms (#21), kept by administrators: the point's rooms (name,
seats, accessible, equipment, in use) and the form that adds a room or changes the one
chosen. A refused form keeps what was typed and says what is wrong under each field."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.events import RoomInput, RoomRow
from app.i18n import N_, _
from app.services.errors import ValidationFailed
from app.services.rooms import RoomService
from app.views.common import ColumnFitter, FieldError, list_table
from app.views.operations import QueryOp, WriteOp
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

COLUMNS = (N_("Room"), N_("Seats"), N_("Accessible"), N_("Equipment"), N_("In use"))


def _cells(r: RoomRow) -> list[str]:
    return [r.name, str(r.seats), _("Yes") if r.accessible else _("No"), r.equipment,
            _("Yes") if r.active else _("No")]


def room_label(r: RoomRow) -> str:
    """A room as the booking lists show it: name, seats, accessible."""
    text = _("{name} ({seats} seats)").format(name=r.name, seats=r.seats)
    return text + (", " + _("accessible") if r.accessible else "")


class RoomsDialog(QDialog):
    """The rooms of one service point, and the form for a new or the chosen room."""

    def __init__(self, service: RoomService, runner: TaskRunner, point_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rooms_dialog")
        self.service, self.runner = service, runner
        self.wanted_point = point_id
        self.editing: RoomRow | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.point_label = QLabel()
        self.point = QComboBox()
        self.point.setObjectName("rooms_point")
        self.point_label.setBuddy(self.point)
        self.inactive = QCheckBox()
        self.inactive.setObjectName("rooms_inactive")
        top.addWidget(self.point_label)
        top.addWidget(self.point, 1)
        top.addWidget(self.inactive)
        layout.addLayout(top)
        self.model = SimpleTableModel(COLUMNS, _cells, self)
        self.table = list_table("rooms_table", self.model)
        self.fitter = ColumnFitter(self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._row_chosen())
        layout.addWidget(self.table, 1)

        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
        self.name = QLineEdit()
        self.name.setObjectName("rooms_name")
        self.name.setMaxLength(60)
        self.seats = QLineEdit()
        self.seats.setObjectName("rooms_seats")
        self.seats.setMaxLength(3)
        self.accessible = QCheckBox()
        self.accessible.setObjectName("rooms_accessible")
        self.equipment = QLineEdit()
        self.equipment.setObjectName("rooms_equipment")
        self.equipment.setMaxLength(400)
        self.active = QCheckBox()
        self.active.setObjectName("rooms_active")
        self.active.setChecked(True)
        self.labels: list[tuple[QLabel, QWidget, str]] = []
        self.errors: dict[str, FieldError] = {}
        for text, widget, key in ((N_("&Name"), self.name, "name"),
                                  (N_("S&eats"), self.seats, "seats"),
                                  (N_("E&quipment"), self.equipment, "equipment")):
            lbl = QLabel()
            lbl.setBuddy(widget)
            self.labels.append((lbl, widget, text))
            form.addRow(lbl, widget)
            self.errors[key] = FieldError()
            form.addRow("", self.errors[key])
        form.addRow("", self.accessible)
        form.addRow("", self.active)
        actions = QHBoxLayout()
        self.new_button, self.add_button, self.save_button = (QPushButton(), QPushButton(),
                                                              QPushButton())
        self.new_button.setObjectName("rooms_new")
        self.add_button.setObjectName("rooms_add")
        self.save_button.setObjectName("rooms_save")
        self.new_button.clicked.connect(self.new_room)
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        for b in (self.new_button, self.add_button, self.save_button):
            actions.addWidget(b)
        actions.addStretch(1)
        form.addRow(actions)
        layout.addWidget(self.form_box)
        self.error = FieldError()
        self.error.setObjectName("rooms_error")
        self.errors["service_point_id"] = self.error
        self.status = QLabel()
        self.status.setObjectName("rooms_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_buttons = buttons
        layout.addWidget(buttons)
        chain = (self.point, self.inactive, self.table, self.name, self.seats, self.equipment,
                 self.accessible, self.active, self.new_button, self.add_button,
                 self.save_button, buttons)
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.manage = service.can_manage()
        self.form_box.setEnabled(self.manage)
        self.point.currentIndexChanged.connect(lambda _i: self.load())
        self.inactive.toggled.connect(lambda _on: self.load())
        self.resize(860, 640)
        self.retranslate()
        self.load_points()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Rooms"))
        self.point_label.setText(_("&Service point"))
        self.point.setAccessibleName(_("Service point"))
        self.inactive.setText(_("Show rooms &no longer in use"))
        self.inactive.setAccessibleName(_("Show rooms no longer in use"))
        self.table.setAccessibleName(_("Rooms of the service point"))
        self.form_box.setTitle(_("Room") if self.manage else
                               _("Room (administrators keep the rooms)"))
        for lbl, widget, text in self.labels:
            lbl.setText(_(text))
            widget.setAccessibleName(_(text).replace("&", ""))
        self.seats.setPlaceholderText(_("1–500"))
        self.equipment.setPlaceholderText(_("For example: projector, video conference"))
        self.accessible.setText(_("&Accessible"))
        self.accessible.setAccessibleName(_("Accessible"))
        self.active.setText(_("In &use (can be booked)"))
        self.active.setAccessibleName(_("In use (can be booked)"))
        self.new_button.setText(_("Ne&w room"))
        self.new_button.setAccessibleName(_("New room: empty the form"))
        self.add_button.setText(_("A&dd the room"))
        self.add_button.setAccessibleName(_("Add the room"))
        self.save_button.setText(_("Sa&ve the changes"))
        self.save_button.setAccessibleName(_("Save the changes to the chosen room"))
        self.close_buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.model.retranslate()
        self._enable()

    # --- reading ----------------------------------------------------------------------

    def load_points(self) -> None:
        def shown(points: list[tuple[str, str]]) -> None:
            self.point.blockSignals(True)
            self.point.clear()
            for pid, name in points:
                self.point.addItem(name, pid)
            self.point.setCurrentIndex(max(0, self.point.findData(self.wanted_point)))
            self.point.blockSignals(False)
            self.load()

        QueryOp(self.runner, self, self.service.service_points, success=shown) \
            .run_in_background()

    def load(self, keep: str | None = None) -> None:
        point, inactive = self.point.currentData(), self.inactive.isChecked()
        if not point:
            return

        def shown(rows: list[RoomRow]) -> None:
            if point != self.point.currentData():
                return
            self.model.set_rows(rows)
            at = next((i for i, r in enumerate(rows) if r.id == keep), None)
            if at is not None:
                self.table.selectRow(at)
                self.table.scrollTo(self.model.index(at, 0))
            self._enable()

        QueryOp(self.runner, self, lambda: self.service.list(point, inactive),
                success=shown).latest("rooms").run_in_background()

    def selected(self) -> RoomRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _row_chosen(self) -> None:
        room = self.selected()
        if room is not None:
            self._clear_errors()
            self.editing = room
            self.name.setText(room.name)
            self.seats.setText(str(room.seats))
            self.accessible.setChecked(room.accessible)
            self.equipment.setText(room.equipment)
            self.active.setChecked(room.active)
        self._enable()

    def _enable(self) -> None:
        self.save_button.setEnabled(self.manage and self.editing is not None)
        self.add_button.setEnabled(self.manage)

    # --- writing ----------------------------------------------------------------------

    def new_room(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        for w in (self.name, self.seats, self.equipment):
            w.clear()
        self.accessible.setChecked(False)
        self.active.setChecked(True)
        self._clear_errors()
        self._enable()
        self.name.setFocus()

    def values(self) -> RoomInput:
        return RoomInput(self.point.currentData() or "", self.name.text(), self.seats.text(),
                         self.accessible.isChecked(), self.equipment.text(),
                         self.active.isChecked())

    def add(self) -> None:
        data = self.values()
        self._write(lambda: self.service.add(data), _("Added: {room}."))

    def save(self) -> None:
        room = self.editing
        if room is None:
            return
        data = self.values()
        self._write(lambda: self.service.edit(room.id, data), _("Saved: {room}."))

    def _write(self, work: Callable[[], RoomRow], said: str) -> None:
        self._clear_errors()
        self.status.setText("")
        for b in (self.add_button, self.save_button):
            b.setEnabled(False)

        def done(row: RoomRow) -> None:
            self.editing = row
            self.status.setText(said.format(room=row.name))
            if not row.active:
                self.inactive.setChecked(True)
            self.load(keep=row.id)

        WriteOp(self.runner, self, work, success=done) \
            .on(ValidationFailed, lambda exc: self.show_invalid(exc.errors)) \
            .run_in_background()

    def _clear_errors(self) -> None:
        for e in self.errors.values():
            e.show_message("")

    def show_invalid(self, errors: dict[str, str]) -> None:
        """Each problem under its field; what was typed stays as it was."""
        self._enable()
        first: QWidget | None = None
        for key, message in errors.items():
            self.errors.get(key, self.error).show_message(_(message))
            widget = {"name": self.name, "seats": self.seats,
                      "equipment": self.equipment}.get(key)
            first = first or widget
        if first is not None:
            first.setFocus()

    def show_error(self, text: str) -> None:
        self._enable()
        self.error.show_message(text)
