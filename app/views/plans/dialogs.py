"""The plan editor's dialogs: accepting a draft, and comparing two versions side by side."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.dto.plans import PlanComparison, PlanVersionRow
from app.i18n import N_, _, format_date
from app.rules import plan_vocabulary as vocab
from app.views.common import FieldError
from app.views.plans.fields import DATE_FORMAT_ERROR, DateEdit

Index = QModelIndex | QPersistentModelIndex
CHANGES = {"added": N_("Added"), "removed": N_("Removed"), "changed": N_("Changed"),
           "same": ""}


def version_label(row: PlanVersionRow) -> str:
    """"Version 2 · accepted 12.11.2026" in the UI language."""
    status = _(vocab.STATUSES[row.status]).lower()
    if row.status != "draft" and row.accepted_at is not None:
        status += " " + format_date(row.accepted_at)
    return _("Version {number}").format(number=row.number) + " · " + status


class AcceptDialog(QDialog):
    """How and when the customer accepted the plan; the signed-in worker records it."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_accept_dialog")
        layout = QVBoxLayout(self)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        form = QFormLayout()
        layout.addLayout(form)
        self.how_label = QLabel()
        how_box = QVBoxLayout()
        self.how = QButtonGroup(self)
        self.how_buttons: dict[str, QRadioButton] = {}
        for code in vocab.ACCEPTANCE:
            button = QRadioButton()
            button.setObjectName(f"plan_accept_{code}")
            self.how.addButton(button)
            self.how_buttons[code] = button
            how_box.addWidget(button)
        self.how_error = FieldError()
        how_box.addWidget(self.how_error)
        form.addRow(self.how_label, how_box)
        self.when_label = QLabel()
        self.when = DateEdit()
        self.when.setObjectName("plan_accept_when")
        self.when.set_date(today)
        self.when_label.setBuddy(self.when)
        self.when_error = FieldError()
        when_box = QVBoxLayout()
        when_box.addWidget(self.when)
        when_box.addWidget(self.when_error)
        form.addRow(self.when_label, when_box)
        self.error = FieldError()
        self.error.setObjectName("plan_accept_error")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("plan_accept_buttons")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        # Set by the editor: accepts in the background, then calls saved() or show_errors().
        self.submit_handler: Callable[[], None] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Accept the plan"))
        self.explain.setText(_("An accepted plan never changes: later changes start a new "
                               "version. You are recorded as the one who accepted it."))
        self.how_label.setText(_("How was it accepted?"))
        for code, button in self.how_buttons.items():
            button.setText(_(vocab.ACCEPTANCE[code]))
            button.setAccessibleName(_(vocab.ACCEPTANCE[code]))
        self.when_label.setText(_("&Date"))
        self.when.setAccessibleName(_("Date of acceptance"))
        self.when.retranslate()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Accept"))
        ok.setObjectName("plan_accept_ok")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def value(self) -> tuple[str, date | None]:
        how = next((code for code, b in self.how_buttons.items() if b.isChecked()), "")
        return how, self.when.date()

    def _submit(self) -> None:
        if self.when.invalid:
            self.show_errors({"when": DATE_FORMAT_ERROR})
            return
        self.show_errors({})
        if self.submit_handler is None:
            self.accept()
            return
        self.buttons.setEnabled(False)
        self.submit_handler()

    def saved(self) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def show_errors(self, errors: dict[str, str], message: str = "") -> None:
        self.buttons.setEnabled(True)
        self.how_error.show_message(_(errors["how"]) if "how" in errors else "")
        self.when_error.show_message(_(errors["when"]) if "when" in errors else "")
        self.error.show_message(message)


class CompareModel(QAbstractTableModel):
    """Sections and their lines side by side: change, the left and the right version."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: PlanComparison | None = None
        self.only_changes = False
        self.rows: list[tuple[str, str, str]] = []  # (change or "section", left, right)

    def set_comparison(self, comparison: PlanComparison | None, only_changes: bool) -> None:
        self.beginResetModel()
        self.comparison, self.only_changes = comparison, only_changes
        self.rows = []
        for section in comparison.sections if comparison else ():
            lines = [ln for ln in section.lines if ln.change != "same" or not only_changes]
            if only_changes and not lines:
                continue
            title = _(vocab.SECTION_TITLES[section.key])
            self.rows.append(("section", title, title))
            if not lines:
                self.rows.append(("same", "–", "–"))
            self.rows += [(ln.change, ln.left, ln.right) for ln in lines]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return _("Difference")
        if self.comparison is None:
            return ""
        return version_label(self.comparison.left if section == 1 else self.comparison.right)

    def data(self, index: Index,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        change, left, right = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if change == "section":
                return "" if column == 0 else left
            return (_(CHANGES[change]) if CHANGES[change] else "", left, right)[column]
        if role == Qt.ItemDataRole.FontRole and change != "same":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            parent = self.parent()  # the compare dialog
            palette = parent.palette() if isinstance(parent, QWidget) else QPalette()
            if change == "section":
                return palette.color(QPalette.ColorRole.Window)
            if change != "same":
                color = QColor(palette.color(QPalette.ColorRole.Highlight))
                color.setAlpha(45)  # a tint of the palette's own highlight: contrast holds
                return color
        return None


class CompareDialog(QDialog):
    """Two versions of one plan side by side, every difference marked with a word."""

    def __init__(self, versions: tuple[PlanVersionRow, ...], left_id: str, right_id: str,
                 compare: Callable[[str, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_compare_dialog")
        self.compare_fn = compare
        layout = QVBoxLayout(self)
        choose = QHBoxLayout()
        self.left_label, self.right_label = QLabel(), QLabel()
        self.left, self.right = QComboBox(), QComboBox()
        self.left.setObjectName("plan_compare_left")
        self.right.setObjectName("plan_compare_right")
        for combo in (self.left, self.right):
            for row in versions:
                combo.addItem("", row.id)
        self.versions = versions
        self.left.setCurrentIndex(max(0, self.left.findData(left_id)))
        self.right.setCurrentIndex(max(0, self.right.findData(right_id)))
        self.left_label.setBuddy(self.left)
        self.right_label.setBuddy(self.right)
        self.only = QCheckBox()
        self.only.setObjectName("plan_compare_only_changes")
        for widget in (self.left_label, self.left, self.right_label, self.right):
            choose.addWidget(widget)
        choose.addStretch(1)
        choose.addWidget(self.only)
        layout.addLayout(choose)
        self.model = CompareModel(self)
        self.table = QTableView()
        self.table.setObjectName("plan_compare_table")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("plan_compare_status")
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.setObjectName("plan_compare_buttons")
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.left.currentIndexChanged.connect(self.run)
        self.right.currentIndexChanged.connect(self.run)
        self.only.toggled.connect(lambda on: self.show_comparison(self.model.comparison))
        self.resize(960, 640)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Compare versions"))
        self.left_label.setText(_("&Earlier"))
        self.right_label.setText(_("&Later"))
        self.left.setAccessibleName(_("Earlier version"))
        self.right.setAccessibleName(_("Later version"))
        for combo in (self.left, self.right):
            for i, row in enumerate(self.versions):
                combo.setItemText(i, version_label(row))
        self.only.setText(_("&Only differences"))
        self.only.setAccessibleName(_("Only differences"))
        self.table.setAccessibleName(_("Differences between the versions"))
        if self.model.comparison is not None:
            self.show_comparison(self.model.comparison)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def run(self) -> None:
        self.status.setText(_("Comparing…"))
        self.compare_fn(self.left.currentData(), self.right.currentData())

    def show_comparison(self, comparison: PlanComparison | None) -> None:
        self.model.set_comparison(comparison, self.only.isChecked())
        self.table.resizeRowsToContents()
        if comparison is None:
            return
        changed = sum(s.changed for s in comparison.sections)
        self.status.setText(_("Sections with differences: {n} of {total}").format(
            n=changed, total=len(comparison.sections)) if changed else
            _("The versions are the same."))

    def show_error(self, message: str) -> None:
        self.status.setText("⚠ " + message)
