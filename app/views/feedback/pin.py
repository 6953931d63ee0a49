"""The kiosk PIN: setting one's own (user menu), and giving it to leave the kiosk."""

from __future__ import annotations

from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QWidget

from app.i18n import N_, _
from app.rules.feedback import MAX_PIN_LENGTH
from app.views.form_dialog import FormDialog


def _pin_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_PIN_LENGTH)
    field.setValidator(QRegularExpressionValidator(r"[0-9]*"))
    field.setMinimumHeight(40)
    return field


class SetPinDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("set_pin_dialog", parent)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.layout_.insertWidget(0, self.intro)
        self.pin = _pin_field()
        self.add_row(N_("&PIN"), self.pin, "pin_new")
        self.again = _pin_field()
        self.add_row(N_("PIN &again"), self.again, "pin_again")
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Set kiosk PIN"))
        self.intro.setText(_("With your username and this PIN you can leave the feedback "
                             "kiosk. 4 to 8 digits; kept on this workstation only."))
        self.retranslate_rows()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Save the PIN"))

    def _submit(self) -> None:
        if self.pin.text() != self.again.text():
            self.show_error(_("The two PINs differ."))
            return
        super()._submit()

    def value(self) -> str:
        return self.pin.text()


class LeaveKioskDialog(FormDialog):
    """A staff member's username and kiosk PIN; a wrong one keeps the kiosk open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("leave_kiosk_dialog", parent)
        self.username = QLineEdit()
        self.username.setMinimumHeight(40)
        self.add_row(N_("&Username"), self.username, "kiosk_username")
        self.pin = _pin_field()
        self.add_row(N_("&PIN"), self.pin, "kiosk_pin")
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Leave the kiosk"))
        self.retranslate_rows()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Leave the kiosk"))

    def refused(self) -> None:
        self.pin.clear()
        self.pin.setFocus()
        self.show_error(_("The username or PIN is wrong."))

    def value(self) -> tuple[str, str]:
        return self.username.text(), self.pin.text()
