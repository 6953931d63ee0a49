"""The booking dialog's room (#21): the rooms of the slot's service point, "No room"
first; a room already taken is refused naming the clash, and the dialog keeps what was
typed."""

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.dto.appointments import BookingInput
from app.i18n import HELSINKI
from app.models import Room
from tests.gui.test_appointments import calendar  # noqa: F401 (the fixture)


def test_booking_a_room_and_its_clash(qtbot, window, calendar):  # noqa: F811
    page = calendar
    services = window.services
    with services.ctx.session_factory.begin() as s:
        s.add_all([Room(id="room-kaira", service_point_id="sp-rov", name="Kaira", seats=8,
                        accessible=True, equipment="näyttö", active=True),
                   Room(id="room-2", service_point_id="sp-rov", name="Huone 2", seats=3,
                        accessible=False, active=True),
                   Room(id="room-old", service_point_id="sp-rov", name="Vanha", seats=3,
                        active=False)])
    customers = services.customers.page("korhonen", limit=1).rows
    services.appointments.book(BookingInput(
        customers[0].id, "staff-lead", "other", "service_point",
        datetime(2026, 11, 24, 9, tzinfo=HELSINKI), 60, room_id="room-kaira"))

    qtbot.keyClick(page.grid, Qt.Key.Key_T)
    qtbot.keyClick(page.grid, Qt.Key.Key_Down)
    qtbot.keyClick(page.grid, Qt.Key.Key_Down)  # 9.00
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.room.count() == 3)  # no room, and the two in use
    assert dialog.room.itemData(0) == "" and dialog.room.currentIndex() == 0
    texts = [dialog.room.itemText(i) for i in range(3)]
    assert "Kaira" in texts[2] and "8" in texts[2] and "Huone 2" in texts[1]
    assert dialog.room.accessibleName()
    qtbot.keyClicks(dialog.search, "virtanen")
    qtbot.waitUntil(lambda: dialog.results.count() == 1)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    dialog.room.setFocus()
    qtbot.keyClick(dialog.room, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.room, Qt.Key.Key_Down)
    assert dialog.room.currentData() == "room-kaira"
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert "Kaira" in dialog.error.text() and "9.00" in dialog.error.text()
    assert dialog.isVisible() and dialog.customer_label.text().startswith("Virtanen")
    assert dialog.room.currentData() == "room-kaira"

    qtbot.keyClick(dialog.room, Qt.Key.Key_Up)  # Huone 2 is free
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: page.grid.cursor_appointment() is not None)
    booked = page.grid.cursor_appointment()
    assert (booked.room_id, booked.room) == ("room-2", "Huone 2")
