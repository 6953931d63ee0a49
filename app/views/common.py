"""Small shared pieces of the views: labels of code lists, icons, field errors."""

from __future__ import annotations

from enum import StrEnum

import qtawesome as qta
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from app.i18n import _
from app.rules.codes import CUSTOMER_LANGUAGES, LABELS


def label(code: StrEnum) -> str:
    return _(LABELS[code])


def language_label(code: str) -> str:
    return _(CUSTOMER_LANGUAGES.get(code, code))


def icon(name: str, widget: QWidget | None = None) -> QIcon:
    """An icon from the icon font, coloured from the palette (high contrast works)."""
    color = None
    if widget is not None:
        color = widget.palette().color(widget.foregroundRole())
    return qta.icon(name, color=color) if color is not None else qta.icon(name)


class FieldError(QLabel):
    """The message under a form field: a warning sign and bold text as well as colour,
    so it never relies on colour alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        # Derived from the palette's lightness so it reads on dark and high-contrast themes.
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#ff8a80" if dark else "#a00000"))
        self.setPalette(palette)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(f"⚠ {text}" if text else "")
        self.setVisible(bool(text))
