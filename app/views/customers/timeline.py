"""The customer's timeline: visits, calls and video meetings, newest first; and, for
those who may read them, the case notes among them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.dto.case_work import CaseNoteRow
from app.dto.visits import VisitRow
from app.i18n import N_, _, format_datetime, format_number
from app.rules.codes import Channel, NoteKind, ServiceArea, VisitOutcome
from app.views.common import label

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (N_("When"), N_("Channel"), N_("Service"), N_("Length"), N_("Worker"),
           N_("Outcome and note"))


def contact_text(row: VisitRow) -> str:
    if row.channel == Channel.SERVICE_POINT.value:
        return _("Visit (walk-in)") if row.walk_in else _("Visit")
    return label(Channel(row.channel))


def outcome_text(row: VisitRow) -> str:
    parts = []
    if row.outcome:
        try:
            parts.append(label(VisitOutcome(row.outcome)))
        except ValueError:
            parts.append(row.outcome)
    parts += [p for p in (row.topics, row.follow_up, row.note) if p]
    return " · ".join(parts)


class VisitTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[VisitRow] = []
        self.notes: list[CaseNoteRow] = []
        self.entries: list[VisitRow | CaseNoteRow] = []  # both, newest first

    def set_rows(self, rows: list[VisitRow]) -> None:
        self._reset(rows, self.notes)

    def set_notes(self, notes: list[CaseNoteRow]) -> None:
        """The case notes the worker may read (none for the desk)."""
        self._reset(self.rows, notes)

    def _reset(self, rows: list[VisitRow], notes: list[CaseNoteRow]) -> None:
        self.beginResetModel()
        self.rows, self.notes = rows, notes
        self.entries = sorted([*rows, *notes], reverse=True, key=lambda e: (
            e.started_at if isinstance(e, VisitRow) else e.written_at).replace(tzinfo=None))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.entries[index.row()]
        if isinstance(row, CaseNoteRow):
            return self._note_data(row, index.column(), role)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return outcome_text(row) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return format_datetime(row.started_at)
        if column == 1:
            return contact_text(row)
        if column == 2:
            return label(ServiceArea(row.service_area))
        if column == 3:
            if row.minutes is None:
                return ""
            text = _("{n} min").format(n=format_number(row.minutes))
            if row.wait_minutes is not None:
                text += " " + _("(waited {n} min)").format(n=format_number(row.wait_minutes))
            return text
        if column == 4:
            return row.staff_name or ""
        return outcome_text(row)

    @staticmethod
    def _note_data(note: CaseNoteRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return note.text
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return format_datetime(note.written_at)
        if column == 1:
            try:
                return label(NoteKind(note.kind))
            except ValueError:
                return note.kind
        if column == 4:
            return note.author_name or ""
        if column == 5:
            return " ".join(note.text.split())
        return ""
