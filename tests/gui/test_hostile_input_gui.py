"""A text refused at the flush (app.services.text_guard) is told in the form's error line,
naming the field, and the form keeps everything that was typed."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.test_appointments import calendar  # noqa: F401 (the fixture)


def test_booking_with_an_escape_sequence_as_the_room_keeps_the_form(
        qtbot, window, calendar):  # noqa: F811
    page = calendar
    qtbot.keyClick(page.grid, Qt.Key.Key_T)
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    qtbot.keyClicks(dialog.search, "virtanen")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=15000)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    room = "Huone \x1b[31m3"
    dialog.room.setText(room)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15000)
    assert "Huone" in dialog.error.text() and "\x1b" not in dialog.error.text()
    assert dialog.isVisible() and dialog.room.text() == room
    assert dialog.customer_label.text().startswith("Virtanen")
    dialog.reject()
    assert window.services.appointments.reminders(page.grid.cursor_column().day) == []
