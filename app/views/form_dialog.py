"""The form dialog every small dialog builds on: labelled rows, an error line, OK and
Cancel, and a submit handler that keeps what was typed until saving succeeds."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.views.common import FieldError


class FormDialog(QDialog):
    """A form whose labels are buddies (so fields have names and mnemonics) and which
    keeps what was typed when saving fails."""

    def __init__(self, object_name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.rows: list[tuple[QLabel, QWidget, str]] = []
        self.error = FieldError()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName(f"{object_name}_buttons")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        # A strut, not setMinimumWidth: a minimum set on the dialog would let it shrink
        # below what its layout needs (cut labels); the strut adds to the layout's.
        self.layout_.addStrut(460)
        # Set by the caller: saves in the background, then calls `saved()` or
        # `show_error()`; the dialog stays open (with what was typed) until it succeeds.
        self.submit_handler: Callable[[], None] | None = None

    def _submit(self) -> None:
        if self.submit_handler is None:
            self.accept()
            return
        self.error.show_message("")
        self.buttons.setEnabled(False)
        self.submit_handler()

    def saved(self) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def add_row(self, text: str, widget: QWidget, name: str) -> None:
        widget.setObjectName(name)
        lbl = QLabel()
        lbl.setBuddy(widget)
        self.rows.append((lbl, widget, text))
        self.form.addRow(lbl, widget)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def retranslate_rows(self) -> None:
        for lbl, widget, text in self.rows:
            lbl.setText(_(text))
            widget.setAccessibleName(_(text).replace("&", ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.retranslate_rows()

    def show_error(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.error.show_message(message)


class FieldsFormDialog(FormDialog):
    """A form whose service's field errors are named by the form's own labels:
    `fields` maps the service's field to the row's label (a msgid). The error line lists
    each problem after its field's label, and the first wrong field takes the focus."""

    def __init__(self, object_name: str, parent: QWidget | None) -> None:
        super().__init__(object_name, parent)
        self.fields: dict[str, str] = {}  # service field -> the form's label (msgid)

    def show_errors(self, errors: dict[str, str]) -> None:
        lines = [f"{_(self.fields[f]).replace('&', '')}: {_(m)}" if f in self.fields else _(m)
                 for f, m in errors.items()]
        self.show_error("\n".join(lines))
        for name in errors:
            widget = next((w for _l, w, text in self.rows if text == self.fields.get(name)),
                          None)
            if widget is not None:
                widget.setFocus()
                break

    def ok_text(self, text: str, name: str) -> None:
        """OK's text (a translated text with its mnemonic) and object name."""
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(text)
        ok.setObjectName(name)
        ok.setAccessibleName(text.replace("&", ""))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
