"""The window that opened a dialog gets the keyboard back when the dialog closes.

Desktop window managers activate a dialog's parent again when it closes. Some leave no
window active (a bare X server or a kiosk session, remote desktops, Qt's offscreen
platform): then no shortcut of the main window works (F2, F5, Ctrl+1…, F1) until the
worker clicks it, which at a desk reads as "the keyboard stopped working" (issue 18).

Only a dialog that closed hands the focus back, and only when no window of ours has it:
when the worker switches to another program, nothing is taken back."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication, QWindow


class FocusReturn(QObject):
    """Watches each dialog window that gets the focus; when it is hidden and no window
    has the focus, its parent window is activated."""

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self.app = app
        app.focusWindowChanged.connect(self._watch)

    def _watch(self, window: QWindow | None) -> None:
        if window is None or window.transientParent() is None or window.property(_WATCHED):
            return
        window.setProperty(_WATCHED, True)
        window.visibleChanged.connect(lambda visible: visible or QTimer.singleShot(
            0, lambda: self._return_from(window)))  # after the window manager's own turn

    def _return_from(self, closed: QWindow) -> None:
        if not shiboken6.isValid(closed) or closed.isVisible():
            return
        if self.app.focusWindow() is not None:
            return  # the window manager gave it back, or another program has it
        parent = closed.transientParent()
        if parent is None or not shiboken6.isValid(parent) or not parent.isVisible():
            return
        if any(w is not closed and w.isVisible() and w.transientParent() is parent
               for w in self.app.topLevelWindows()):
            return  # another dialog took its place (it is being activated): not ours
        parent.requestActivate()


_WATCHED = "focus_return_watched"


def install(app: QGuiApplication) -> None:
    """Once per application."""
    if app.property("focus_return"):
        return
    app.setProperty("focus_return", True)
    FocusReturn(app)
