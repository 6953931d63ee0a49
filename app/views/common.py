"""Small shared pieces of the views: labels of code lists, icons, field errors."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QWidget,
)

from app.i18n import _
from app.rules.codes import CUSTOMER_LANGUAGES, LABELS


def label(code: StrEnum) -> str:
    return _(LABELS[code])


def language_label(code: str) -> str:
    return _(CUSTOMER_LANGUAGES.get(code, code))


def icon(name: str, widget: QWidget | None = None) -> QIcon:
    """An icon from the icon font, coloured from the palette (high contrast works).

    qtawesome is imported here, not at the top: the sign-in view paints before it is
    needed (start-up, benchmarks/README.md)."""
    import qtawesome as qta

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


class _ShownOnly(QObject):
    """Enables a page's shortcuts only while the page is shown, so that pages may use
    the same keys without Qt finding them ambiguous."""

    def __init__(self, scope: QWidget) -> None:
        super().__init__(scope)
        self.shortcuts: list[QShortcut] = []
        scope.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            for sc in self.shortcuts:
                sc.setEnabled(event.type() == QEvent.Type.Show)
        return False


def shortcut(scope: QWidget, keys: str, button: QAbstractButton) -> QShortcut:
    """A key that presses `button` anywhere in the window while `scope` (a page) is
    shown. Kept apart from the button, whose text mnemonic ("&Edit") would replace it."""
    guard = scope.findChild(_ShownOnly) or _ShownOnly(scope)
    sc = QShortcut(QKeySequence(keys), scope)
    sc.setContext(Qt.ShortcutContext.WindowShortcut)
    sc.setEnabled(scope.isVisible())

    def press() -> None:
        if button.isEnabled():
            button.click()

    sc.activated.connect(press)
    guard.shortcuts.append(sc)
    return sc


def combo_line_edit(combo: QComboBox) -> QLineEdit:
    """The line edit of an editable combo box (Qt gives None for one not editable)."""
    edit = combo.lineEdit()
    if edit is None:
        raise ValueError(f"the combo box {combo.objectName()!r} is not editable")
    return edit


def heading_label() -> QLabel:
    """A page's title: larger and bold, scaled from the application font."""
    heading = QLabel()
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    heading.setFont(font)
    return heading


def list_table(name: str, model: QAbstractItemModel) -> QTableView:
    """A read-only list of whole rows: one selected at a time, Tab leaves the table."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table
