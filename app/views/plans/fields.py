"""Building blocks of the plan editor's forms: a date field, the ready-wording button and
an editable list of rows (goals, actions, services) with add and remove."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, format_date, parse_date
from app.views import style
from app.views.common import FieldError, icon


class _Locked(QObject):
    """Keeps a combo box or check box from changing while it stays enabled: a locked
    field reads like the other read-only fields (never greyed out) and still takes focus,
    so it can be read from the keyboard and by a screen reader."""

    PASS_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                    QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
                    QEvent.Type.Shortcut):  # a mnemonic would toggle a check box
            return True
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return not (event.key() in self.PASS_KEYS
                        or event.matches(QKeySequence.StandardKey.Copy))
        return False


def lock(widget: QWidget, locked: bool) -> None:
    """Make a plan field read-only, or editable again, the same way for every kind of
    field: nothing greyed out, the one read-only look of style.read_only."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QAbstractSpinBox):
        widget.setReadOnly(locked)  # a spin box's arrows go with the style (style.py)
    elif isinstance(widget, QComboBox | QAbstractButton):
        guard = widget.findChild(_Locked, "plan_lock")
        if locked and guard is None:
            guard = _Locked(widget)
            guard.setObjectName("plan_lock")
            widget.installEventFilter(guard)
        elif not locked and guard is not None:
            widget.removeEventFilter(guard)
            guard.deleteLater()
            guard.setObjectName("")
        edit = widget.lineEdit() if isinstance(widget, QComboBox) else None
        if edit is not None:
            edit.setReadOnly(locked)
    widget.setEnabled(True)
    style.read_only(widget, locked)


def is_locked(widget: QWidget) -> bool:
    """Whether `lock` made the field read-only (tests and callers ask this)."""
    return widget.property("locked") == "true"


class DateEdit(QLineEdit):
    """A date typed as d.m.yyyy (empty allowed). `date()` is None while the text is not a
    date; `invalid` says so, and the form shows why next to the field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(10)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00.00.00000") + 24)
        self.editingFinished.connect(self._tidy)

    def retranslate(self) -> None:
        self.setPlaceholderText(_("d.m.yyyy"))

    def date(self) -> datetime.date | None:
        try:
            return parse_date(self.text())
        except ValueError:
            return None

    @property
    def invalid(self) -> bool:
        return bool(self.text().strip()) and self.date() is None

    def set_date(self, value: datetime.date | None) -> None:
        self.setText(format_date(value) if value else "")

    def _tidy(self) -> None:
        value = self.date()
        if value is not None:
            self.set_date(value)


DATE_FORMAT_ERROR = N_("Use the form d.m.yyyy, for example 12.3.2027.")


class WordingButton(QToolButton):
    """"Insert ready wording": a menu of texts in the plan's language."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIcon(icon("mdi6.text-box-plus-outline", self))
        self.setMenu(QMenu(self))

    def retranslate(self) -> None:
        self.setText(_("Insert ready wording"))
        self.setAccessibleName(_("Insert ready wording"))

    def fill(self, wordings: list[tuple[str, str]], insert: Callable[[str, str], None]) -> None:
        self.menu().clear()
        for kind, text in wordings:
            action = self.menu().addAction(text if len(text) <= 70 else text[:67] + "…")
            action.setToolTip(text)
            action.triggered.connect(lambda _c=False, k=kind, t=text: insert(k, t))


class Row(QFrame):
    """One row of a list: its fields, a remove button and its own error line."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 2, 0, 2)
        self.outer.setSpacing(2)
        self.line = QHBoxLayout()
        self.outer.addLayout(self.line)
        self.remove = QToolButton()
        self.remove.setIcon(icon("mdi6.close", self))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self.error = FieldError()
        self.outer.addWidget(self.error)
        self.number = 0

    def finish(self) -> None:
        """Subclasses call this after adding their fields: the remove button goes last."""
        self.line.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignTop)

    def retranslate(self) -> None:
        """Subclasses set their texts here (and when the language changes)."""

    def first_field(self) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, item: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.remove.setVisible(not read_only)
        for field in self.fields():
            lock(field, read_only)

    def fields(self) -> list[QWidget]:
        """The row's fields, for `set_read_only`: subclasses list theirs."""
        return []

    def renumber(self, number: int, prefix: str, noun: str) -> None:
        """Object and accessible names carry the row's number ("Goal 2: text")."""
        self.number = number
        self.setObjectName(f"{prefix}_{number}")
        self.remove.setObjectName(f"{prefix}_{number}_remove")
        self.remove.setAccessibleName(_("Remove {what} {n}").format(what=noun, n=number))
        self.remove.setToolTip(self.remove.accessibleName())

    def date_errors(self) -> list[str]:
        return []


class RowList(QWidget):
    """An editable list of rows with "Add" and, when given, ready wording to insert."""

    changed = Signal()

    def __init__(self, prefix: str, make_row: Callable[[], Row],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefix, self.make_row = prefix, make_row
        self.rows: list[Row] = []
        self.read_only = False
        self.noun = self.empty_text = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QVBoxLayout()
        self.box.setSpacing(4)
        layout.addLayout(self.box)
        self.empty = QLabel()
        self.empty.setObjectName(f"{prefix}_empty")
        style.secondary(self.empty)
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.add_button = QPushButton()
        self.add_button.setObjectName(f"{prefix}_add")
        self.add_button.setIcon(icon("mdi6.plus", self))
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.wording_button = WordingButton(f"{prefix}_wording")
        self.wording_button.hide()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.wording_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def retranslate(self, noun: str, add_text: str, empty_text: str) -> None:
        self.noun, self.empty_text = noun, empty_text
        self.add_button.setText(add_text)
        self.add_button.setAccessibleName(add_text.replace("&", ""))
        self.wording_button.retranslate()
        for row in self.rows:
            row.retranslate()
        self._renumber()

    def set_wordings(self, wordings: list[tuple[str, str]],
                     insert: Callable[[str, str], None]) -> None:
        """Ready wording (kind, text) in the plan's language; choosing one calls insert."""
        self.wording_button.fill(wordings, insert)
        self.wording_button.setVisible(bool(wordings) and not self.read_only)

    def add_row(self, item: Any = None, focus: bool = False) -> Row:
        row = self.make_row()
        if item is not None:
            row.set_value(item)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self.remove_row)
        row.set_read_only(self.read_only)
        self.rows.append(row)
        self.box.addWidget(row)
        self._renumber()
        if focus:
            row.first_field().setFocus(Qt.FocusReason.OtherFocusReason)
            self.changed.emit()
        return row

    def remove_row(self, row: Row) -> None:
        index = self.rows.index(row)
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        self._renumber()
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].first_field().setFocus()
        else:
            self.add_button.setFocus()
        self.changed.emit()

    def set_items(self, items: list[Any]) -> None:
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        for item in items:
            self.add_row(item)
        self._renumber()

    def items(self) -> list[Any]:
        return [row.value() for row in self.rows]

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.add_button.setVisible(not read_only)
        self.wording_button.setVisible(not read_only and not self.wording_button.menu().isEmpty())
        for row in self.rows:
            row.set_read_only(read_only)

    def show_errors(self, errors: dict[int, list[str]]) -> None:
        for i, row in enumerate(self.rows):
            messages = errors.get(i, []) + row.date_errors()
            row.error.show_message("  ".join(_(m) for m in messages))

    def _renumber(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            row.renumber(number, self.prefix, self.noun)
        self.empty.setText(self.empty_text)
        self.empty.setVisible(not self.rows)
