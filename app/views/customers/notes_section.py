"""The card's case notes: the list (kind, author, time, text), "Add note…" and "Edit
note…" (which shows the note's earlier versions). Coaches, team leads and administrators
only: the desk's card has no such section (and the service refuses it anyway)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.case_work import CaseNoteRow, CaseNotes
from app.i18n import N_, _, format_datetime
from app.rules.codes import NoteKind
from app.rules.permissions import Permission, allowed
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.registry import Services
from app.views import style
from app.views.common import ColumnFitter, icon, label, list_table
from app.views.customers.case_dialogs import NoteDialog
from app.views.operations import (
    QueryOp,
    WriteOp,
    drop_pending,
    error_message,
    refresh_on_change,
)
from app.views.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (N_("Written"), N_("Kind"), N_("Author"), N_("Note text"))
NOTE_SHOWN = 200  # characters of a note in the list: a few lines, never a page


def kind_label(code: str) -> str:
    try:
        return label(NoteKind(code))
    except ValueError:
        return code


class CaseNoteTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[CaseNoteRow] = []

    def set_rows(self, rows: list[CaseNoteRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return row.text
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            text = format_datetime(row.written_at)
            return text + " " + _("(edited)") if row.edited else text
        if column == 1:
            return kind_label(row.kind)
        if column == 2:
            return row.author_name or ""
        # The start of the note in the list (its lines joined); the whole in the tooltip
        # and under the list.
        text = " ".join(row.text.split())
        return text if len(text) <= NOTE_SHOWN else text[:NOTE_SHOWN - 1].rstrip() + "…"


class CaseNotesSection(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_case_notes")
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setObjectName("case_notes_state")
        self.state.setWordWrap(True)
        style.secondary(self.state)
        layout.addWidget(self.state)
        self.model = CaseNoteTableModel(self)
        self.table = list_table("case_notes_table", self.model)
        # The columns share the width by what they hold, wrapping (a long note shows its
        # start: the chosen note is whole under the list), at every text size.
        self.fitter = ColumnFitter(self.table)
        layout.addWidget(self.table, 1)
        self.full_text = QLabel()
        self.full_text.setObjectName("case_note_full_text")
        self.full_text.setWordWrap(True)
        self.full_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.full_text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.add_button = QPushButton()
        self.add_button.setObjectName("case_note_add")
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("case_note_edit")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._selection)
        self.table.doubleClicked.connect(lambda _i: self.edit_button.click())
        self.state_message = ""
        self.writable = False
        self.retranslate()
        self._selection()

    def retranslate(self) -> None:
        self.setTitle(_("Case notes"))
        self.table.setAccessibleName(_("Case notes"))
        self.add_button.setText(_("Add &note…"))
        self.add_button.setIcon(icon("mdi6.note-plus", self))
        self.add_button.setAccessibleName(_("Add a case note"))
        self.edit_button.setText(_("Edi&t note…"))
        self.edit_button.setIcon(icon("mdi6.note-edit", self))
        self.edit_button.setAccessibleName(_("Edit the chosen note and see its earlier "
                                             "versions"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.set_state(self.state_message)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_state(self, message: str) -> None:
        """A message id (translated here, so it follows a change of language)."""
        self.state_message = message
        self.state.setText(_(message) if message else "")
        self.state.setVisible(bool(message))

    def show_notes(self, notes: CaseNotes | None) -> None:
        self.writable = notes is not None and notes.writable
        self.model.set_rows(notes.notes if notes is not None else [])
        if notes is not None and not notes.notes:
            self.set_state(N_("No case notes yet."))
        elif notes is not None and not notes.writable:
            self.set_state(N_("You can read these notes: the customer's own coach writes "
                              "them."))
        else:
            self.set_state("")
        self.add_button.setEnabled(self.writable)
        self._selection()
        if self.model.rows:
            self.table.selectRow(0)

    def chosen(self) -> CaseNoteRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _selection(self, *_args: object) -> None:
        note = self.chosen()
        self.edit_button.setEnabled(self.writable and note is not None)
        self.full_text.setText(note.text if note is not None else "")
        self.full_text.setVisible(note is not None)


class CaseNotesController:
    """Loads the open customer's notes, adds and edits them; `shown` gets each loaded
    list (the timeline shows the notes too)."""

    def __init__(self, section: CaseNotesSection, services: Services, runner: TaskRunner,
                 parent: QWidget, shown: Callable[[list[CaseNoteRow]], object]) -> None:
        self.section, self.services, self.runner = section, services, runner
        self.parent, self.shown = parent, shown
        self.customer_id: str | None = None
        self.may_read = False
        self.dialog: NoteDialog | None = None
        section.add_button.clicked.connect(self.add)
        section.edit_button.clicked.connect(self.edit)
        refresh_on_change(runner, section, {"customer_note"}, self._changed)

    def set_role(self, role: Any) -> None:
        self.may_read = role is not None and allowed(role, Permission.CASE_NOTES_READ)
        if not self.may_read:
            self.section.show_notes(None)
            self.shown([])

    def load(self, customer_id: str) -> None:
        if customer_id != self.customer_id:
            self.shown([])  # no note of the previous customer stays on the timeline
        self.customer_id = customer_id
        if not self.may_read:
            self.shown([])
            return

        def loaded(notes: CaseNotes) -> None:
            if self.customer_id == customer_id:
                self.section.show_notes(notes)
                self.shown(notes.notes)

        def refused(exc: PermissionDenied) -> None:
            if self.customer_id == customer_id:
                self.section.show_notes(None)
                self.section.set_state(error_message(exc))
                self.shown([])

        self.section.show_notes(None)
        QueryOp(self.runner, self.parent, lambda: self.services.case_notes.notes(customer_id),
                success=loaded).on(PermissionDenied, refused).latest("case_notes") \
            .run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)

    def forget(self) -> None:
        drop_pending(self.parent, "case_notes")
        self.customer_id = None
        self.section.show_notes(None)
        self.shown([])

    def add(self) -> None:
        customer_id = self.customer_id
        if customer_id is None or not self.section.writable:
            return
        dialog = NoteDialog(None, [], self.parent)

        def submit() -> None:
            kind, text = dialog.value()
            WriteOp(self.runner, dialog,
                    lambda: self.services.case_notes.add(customer_id, kind, text),
                    success=lambda _row: dialog.saved()) \
                .on(ValidationFailed, dialog.show_invalid).run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    def edit(self) -> None:
        note = self.section.chosen()
        if note is None or not self.section.writable:
            return

        def opened(history: list[CaseNoteRow]) -> None:
            dialog = NoteDialog(note, history[1:], self.parent)

            def submit() -> None:
                text = dialog.value()[1]
                WriteOp(self.runner, dialog,
                        lambda: self.services.case_notes.edit(note.id, text),
                        success=lambda _row: dialog.saved()) \
                    .on(ValidationFailed, dialog.show_invalid).run_in_background()

            dialog.submit_handler = submit
            self.dialog = dialog
            dialog.open()

        QueryOp(self.runner, self.parent, lambda: self.services.case_notes.history(note.id),
                success=opened).run_in_background()
