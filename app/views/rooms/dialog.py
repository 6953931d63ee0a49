"""The service points' rooms (#21), kept by administrators: the point's rooms (name,
seats, accessible, equipment, in use) and the form that adds a room or changes the one
chosen. A refused form keeps what was typed and says what is wrong under each field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from app.dto.events import RoomInput, RoomRow
from app.i18n import N_, _
from app.services.rooms import RoomService
from app.views.register_dialog import PointRegisterDialog
from app.views.tasks import TaskRunner

COLUMNS = (N_("Room"), N_("Seats"), N_("Accessible"), N_("Equipment"), N_("In use"))


def _cells(r: RoomRow) -> list[str]:
    return [r.name, str(r.seats), _("Yes") if r.accessible else _("No"), r.equipment,
            _("Yes") if r.active else _("No")]


def room_label(r: RoomRow) -> str:
    """A room as the booking lists show it: name, seats, accessible."""
    text = _("{name} ({seats} seats)").format(name=r.name, seats=r.seats)
    return text + (", " + _("accessible") if r.accessible else "")


class RoomsDialog(PointRegisterDialog[RoomRow]):
    """The rooms of one service point, and the form for a new or the chosen room."""

    def __init__(self, service: RoomService, runner: TaskRunner, point_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("rooms", runner, point_id, COLUMNS, _cells, parent)
        self.service = service
        self.inactive = QCheckBox()
        self.inactive.setObjectName("rooms_inactive")
        self.top.addWidget(self.inactive)
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
        self.add_field(N_("&Name"), self.name, "name")
        self.add_field(N_("S&eats"), self.seats, "seats")
        self.add_field(N_("E&quipment"), self.equipment, "equipment")
        self.form.addRow("", self.accessible)
        self.form.addRow("", self.active)
        self.inactive.toggled.connect(lambda _on: self.load())
        self.finish((self.point, self.inactive, self.table, self.name, self.seats,
                     self.equipment, self.accessible, self.active),
                    service.can_manage(), 860, 640)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Rooms"))
        self.inactive.setText(_("Show rooms &no longer in use"))
        self.inactive.setAccessibleName(_("Show rooms no longer in use"))
        self.table.setAccessibleName(_("Rooms of the service point"))
        self.form_box.setTitle(_("Room") if self.manage else
                               _("Room (administrators keep the rooms)"))
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
        super().retranslate()

    # --- the register's rows ----------------------------------------------------------

    def fetch_choices(self) -> tuple[list[tuple[str, str]], None]:
        return self.service.service_points(), None

    def _rows_fetcher(self, point: str) -> Callable[[], list[RoomRow]]:
        inactive = self.inactive.isChecked()
        return lambda: self.service.list(point, inactive)

    def fill_form(self, row: RoomRow) -> None:
        self.name.setText(row.name)
        self.seats.setText(str(row.seats))
        self.accessible.setChecked(row.accessible)
        self.equipment.setText(row.equipment)
        self.active.setChecked(row.active)

    def empty_form(self) -> None:
        for w in (self.name, self.seats, self.equipment):
            w.clear()
        self.accessible.setChecked(False)
        self.active.setChecked(True)

    def new_room(self) -> None:
        self.new_row()

    def values(self) -> RoomInput:
        return RoomInput(self.point.currentData() or "", self.name.text(), self.seats.text(),
                         self.accessible.isChecked(), self.equipment.text(),
                         self.active.isChecked())

    def add(self) -> None:
        data = self.values()
        self._write(lambda: self.service.add(data),
                    lambda row: _("Added: {room}.").format(room=row.name))

    def save(self) -> None:
        room = self.editing
        if room is None:
            return
        data = self.values()
        self._write(lambda: self.service.edit(room.id, data),
                    lambda row: _("Saved: {room}.").format(room=row.name))

    def written(self, row: RoomRow) -> None:
        if not row.active:  # a room taken out of use stays in sight
            self.inactive.setChecked(True)
