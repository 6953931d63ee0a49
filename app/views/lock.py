"""The idle lock: after `idle_lock_minutes` without keyboard or mouse input the window
shows only this view (the pages are not merely covered, they leave the window's stack
and open dialogs are hidden) until the signed-in staff member gives the password again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.views.common import FieldError, icon

ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """An application-wide event filter: any input restarts the countdown."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)

    def start(self, minutes: float) -> None:
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False


class LockView(QWidget):
    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_view")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        self.box = box
        inner = QVBoxLayout(box)
        inner.setContentsMargins(32, 28, 32, 28)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.who = QLabel()
        self.who.setObjectName("lock_who")
        self.who.setWordWrap(True)
        self.password_label = QLabel()
        self.password = QLineEdit()
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label.setBuddy(self.password)
        self.error = FieldError()
        self.error.setObjectName("lock_error")
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("lock_unlock")
        self.unlock_button.setDefault(True)
        self.sign_out_button = QPushButton()
        self.sign_out_button.setObjectName("lock_sign_out")
        self.unlock_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        for widget in (self.title, self.who, self.password_label, self.password, self.error):
            inner.addWidget(widget)
        inner.addLayout(buttons)
        row = QVBoxLayout()
        row.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addLayout(row)
        outer.addStretch(2)
        self.full_name = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("The session is locked"))
        self.who.setText(_("Signed in: {name}. Give your password to continue.").format(
            name=self.full_name))
        self.password_label.setText(_("&Password"))
        self.password.setAccessibleName(_("Password"))
        self.unlock_button.setText(_("Unlock"))
        self.unlock_button.setIcon(icon("mdi6.lock-open-variant", self))
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.sign_out_button.setText(_("Sign out"))
        self.sign_out_button.setAccessibleName(_("Sign out"))
        self._fit_text()

    def _fit_text(self) -> None:
        """A width from the text size, and the height the wrapped text needs at it: Qt
        gave the box the height of the text on one line (cut in Swedish)."""
        width = max(440, self.fontMetrics().averageCharWidth() * 62)
        self.box.setFixedWidth(width)
        layout = self.box.layout()
        assert layout is not None  # the box's own (built in __init__)
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right() - 2 * self.box.frameWidth()
        self.who.setMinimumHeight(self.who.heightForWidth(inner))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.FontChange:
            self._fit_text()
        super().changeEvent(event)

    def show_for(self, full_name: str) -> None:
        self.full_name = full_name
        self.retranslate()
        self.password.clear()
        self.error.show_message("")
        self.unlock_button.setEnabled(True)
        self.password.setFocus()

    def _submit(self) -> None:
        self.unlock_button.setEnabled(False)
        self.unlock_requested.emit(self.password.text())

    def failed(self, message: str) -> None:
        self.unlock_button.setEnabled(True)
        self.error.show_message(message)
        self.password.selectAll()
        self.password.setFocus()
