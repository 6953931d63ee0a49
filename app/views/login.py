"""LoginView: staff sign in with their own account; nothing else shows before it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.i18n import _
from app.views.common import FieldError, icon


class LoginView(QWidget):
    sign_in_requested = Signal(str, str)
    language_requested = Signal(str)

    def __init__(self, demo_hint: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("login_view")
        self.demo_hint = demo_hint
        # The demo build was cancelled or failed: the hint says so instead (no_demo_data).
        self.demo_missing = False
        # The icon font loads after the first paint (start-up); see show_icons.
        self.with_icons = False
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setMaximumWidth(460)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(32, 28, 32, 28)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        inner.addWidget(self.title)
        inner.addWidget(self.subtitle)
        inner.addSpacing(12)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("login_username")
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        self.language.setObjectName("login_language")
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(i18n.LANGUAGES.index(i18n.current_language()))
        self.language.activated.connect(
            lambda index: self.language_requested.emit(self.language.itemData(index))
        )
        self.username_label, self.password_label, self.language_label = QLabel(), QLabel(), QLabel()
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.language_label.setBuddy(self.language)
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        form.addRow(self.language_label, self.language)
        inner.addLayout(form)
        self.error = FieldError()
        self.error.setObjectName("login_error")
        inner.addWidget(self.error)
        self.button = QPushButton()
        self.button.setObjectName("login_button")
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        inner.addWidget(self.button)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setVisible(demo_hint)
        inner.addWidget(self.hint)
        row = QVBoxLayout()
        row.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addLayout(row)
        outer.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Rovaseutu employment services"))
        self.subtitle.setText(_("Sign in with your own staff account."))
        self.username_label.setText(_("&Username"))
        self.password_label.setText(_("&Password"))
        self.language_label.setText(_("&Language"))
        self.username.setAccessibleName(_("Username"))
        self.password.setAccessibleName(_("Password"))
        self.language.setAccessibleName(_("Language"))
        self.button.setText(_("Sign in"))
        if self.with_icons:
            self.button.setIcon(icon("mdi6.login", self))
        self.button.setAccessibleName(_("Sign in"))
        if self.demo_missing:
            self.hint.setText(_("No demo data was made, so the demo accounts cannot sign "
                                "in. To make it, close the program and start it again."))
        else:
            self.hint.setText(
                _("Demo accounts: desk, coach, lead and admin; the password is “demo”.")
            )

    def no_demo_data(self) -> None:
        """The demo build was cancelled: say why the demo accounts are refused and what to
        do, instead of offering them."""
        self.demo_missing = True
        self.retranslate()
        self.hint.setVisible(True)

    def show_icons(self) -> None:
        self.with_icons = True
        self.button.setIcon(icon("mdi6.login", self))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.language.setCurrentIndex(i18n.LANGUAGES.index(i18n.current_language()))
        super().changeEvent(event)

    def _submit(self) -> None:
        if not self.username.text().strip():
            self.error.show_message(_("Give your username."))
            self.username.setFocus()
            return
        self.error.show_message("")
        self.button.setEnabled(False)
        self.sign_in_requested.emit(self.username.text(), self.password.text())

    def failed(self, message: str) -> None:
        self.button.setEnabled(True)
        self.error.show_message(message)
        self.password.selectAll()
        self.password.setFocus()

    def reset(self) -> None:
        self.button.setEnabled(True)
        self.password.setText("")  # setText, not clear(): no undo brings it back
        self.error.show_message("")
        self.username.setFocus()

    def clear(self) -> None:
        """Someone signed out: the next person starts from an empty form, which no
        Ctrl+Z fills with the previous username."""
        self.username.setText("")
        self.reset()
