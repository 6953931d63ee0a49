"""A text refused at the flush (app.services.text_guard) is told in the form's error line,
naming the field, and the form keeps everything that was typed."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.test_appointments import calendar  # noqa: F401 (the fixture)


def test_booking_with_an_escape_sequence_in_the_link_keeps_the_form(
        qtbot, window, calendar):  # noqa: F811
    page = calendar
    qtbot.keyClick(page.grid, Qt.Key.Key_T)
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    qtbot.keyClicks(dialog.search, "virtanen")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=15000)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    # The room is chosen from a list (#21): the free text typed is the video link.
    dialog.channel.setCurrentIndex(dialog.channel.findData("video"))
    link = "https://video.example.org/\x1b[31m3"
    dialog.video_link.setText(link)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15000)
    assert "Videolinkki" in dialog.error.text() and "\x1b" not in dialog.error.text()
    assert dialog.isVisible() and dialog.video_link.text() == link
    assert dialog.customer_label.text().startswith("Virtanen")
    dialog.reject()
    assert window.services.appointments.reminders(page.grid.cursor_column().day) == []
