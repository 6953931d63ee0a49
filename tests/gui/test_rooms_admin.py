"""The rooms screen (#21) by keyboard: an administrator adds a room; a refused form keeps
what was typed and says what is wrong under the field."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.dto.events import RoomInput
from tests.gui.conftest import sign_in


def test_admin_adds_a_room_by_keyboard(qtbot, window):
    window.services.auth.sign_in("admin", "demo")
    window.services.rooms.add(RoomInput("sp-rov", "Auditorio", "60", True, "projektori"))
    window.services.auth.sign_out()
    sign_in(qtbot, window, "admin")
    assert window.menus.rooms_action.isVisible()
    window.menus.rooms_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(QDialog, "rooms_dialog") is not None)
    dialog = window.findChild(QDialog, "rooms_dialog")
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.isActiveWindow())
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.point.currentData() == "sp-rov"
    assert dialog.model.rows[0].name == "Auditorio"
    for widget in (dialog.point, dialog.table, dialog.name, dialog.seats, dialog.equipment,
                   dialog.accessible, dialog.active, dialog.add_button):
        assert widget.accessibleName(), widget.objectName()

    # Choosing a room in the list fills the form with it; "New room" empties it.
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: dialog.name.text() == "Auditorio")
    assert dialog.seats.text() == "60" and dialog.save_button.isEnabled()
    dialog.new_button.setFocus()
    qtbot.keyClick(dialog.new_button, Qt.Key.Key_Space)
    assert dialog.name.hasFocus() and dialog.name.text() == ""
    assert not dialog.accessible.isChecked() and dialog.active.isChecked()
    qtbot.keyClicks(dialog.name, "Kokoushuone 2")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    assert dialog.seats.hasFocus()
    qtbot.keyClicks(dialog.seats, "lot")
    qtbot.keyClick(dialog.seats, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.equipment, "tv")
    qtbot.keyClick(dialog.equipment, Qt.Key.Key_Tab)
    assert dialog.accessible.hasFocus()
    qtbot.keyClick(dialog.accessible, Qt.Key.Key_Space)
    assert dialog.accessible.isChecked()
    for _ in range(3):  # in use, new room, add the room
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.add_button.hasFocus()
    qtbot.keyClick(dialog.add_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.errors["seats"].text() != "")
    assert "500" in dialog.errors["seats"].text()
    assert (dialog.name.text(), dialog.seats.text(), dialog.equipment.text()) == (
        "Kokoushuone 2", "lot", "tv")
    assert dialog.accessible.isChecked() and dialog.model.rowCount() == 1
    assert dialog.seats.hasFocus()  # the field to correct

    dialog.seats.selectAll()
    qtbot.keyClicks(dialog.seats, "16")
    dialog.add_button.setFocus()
    qtbot.keyClick(dialog.add_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    added = next(r for r in dialog.model.rows if r.name == "Kokoushuone 2")
    assert (added.seats, added.accessible, added.equipment) == (16, True, "tv")
    assert dialog.errors["seats"].text() == ""
    assert "Kokoushuone 2" in dialog.status.text()
    dialog.reject()


def test_rooms_are_for_administrators(qtbot, window):
    sign_in(qtbot, window, "coach")
    assert not window.menus.rooms_action.isVisible()
