"""After a dialog closes, the window's shortcuts work without a click (issue 18, fault 6):
Qt's offscreen platform, like a bare X server, activates no window by itself."""

from PySide6.QtCore import Qt

from app.views.main_window import ROW
from tests.gui.test_sign_out_privacy import type_sign_in


def test_the_shortcuts_work_again_after_a_dialog_closes(qtbot, window):
    type_sign_in(qtbot, window, "desk")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.shortcuts_dialog is not None
                    and window.shortcuts_dialog.isActiveWindow(), timeout=15000)
    qtbot.keyClick(window.shortcuts_dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)  # no activateWindow() here
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.nav.currentRow() == ROW["customers"]

