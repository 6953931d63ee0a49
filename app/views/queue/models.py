"""Table models of the queue view: the waiting list and the serving list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.dto.queue import TicketRow
from app.i18n import N_, _, format_number, ngettext
from app.rules.codes import PRIORITY_REASONS, TicketState
from app.views.common import label

IdRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def minutes_since(start: datetime | None, now: datetime) -> int | None:
    if start is None:
        return None
    return max(0, int((now - start).total_seconds() // 60))


def service_text(row: TicketRow) -> str:
    """The service a ticket waits for, by name (a ticket from before #24: its code)."""
    return row.service_name or row.service or row.service_area


def marks(row: TicketRow) -> str:
    """Why this ticket is special, in words (never colour alone)."""
    words = []
    if row.priority:
        reason = PRIORITY_REASONS.get(row.priority_reason or "")
        words.append("▲ " + (_(reason) if reason else _("priority")))
    if row.own_coach_on_duty:
        words.append(_("own coach on duty"))
    if row.transferred_to_name:
        words.append(_("for {name}").format(name=row.transferred_to_name))
    elif row.leg:
        words.append(_("transferred"))
    if row.note or row.transfer_note:
        words.append("✎ " + _("note"))
    return ", ".join(words)


class TicketTableModel(QAbstractTableModel):
    columns: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[TicketRow] = []
        self.now: datetime | None = None

    def set_rows(self, rows: list[TicketRow], now: datetime) -> None:
        self.beginResetModel()
        self.rows, self.now = rows, now
        self.endResetModel()

    def tick(self, now: datetime) -> None:
        """Live times: only the display changes, the rows stay."""
        self.now = now
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1,
                                                               len(self.columns) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == IdRole:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(t for t in (row.note, row.transfer_note) if t) or None
        return None

    def display(self, row: TicketRow, column: int) -> str:
        raise NotImplementedError

    def row_at(self, position: int) -> TicketRow | None:
        return self.rows[position] if 0 <= position < len(self.rows) else None

    def wait_text(self, start: datetime | None) -> str:
        minutes = minutes_since(start, self.now) if self.now else None
        return "" if minutes is None else _("{n} min").format(n=format_number(minutes))


class WaitingTableModel(TicketTableModel):
    columns = (N_("Ticket"), N_("Service"), N_("Waiting"), N_("Notes"))

    def display(self, row: TicketRow, column: int) -> str:
        if column == 0:
            return row.code
        if column == 1:  # the queue service's name in the user's language (#24)
            return service_text(row)
        if column == 2:
            return self.wait_text(row.arrived_at)
        return marks(row)


class ServingTableModel(TicketTableModel):
    columns = (N_("Desk"), N_("Ticket"), N_("Customer"), N_("Worker"), N_("State"))

    def display(self, row: TicketRow, column: int) -> str:
        if column == 0:
            return _("Desk {desk}").format(desk=row.desk) if row.desk else ""
        if column == 1:
            return row.code
        if column == 2:
            return row.customer_label or _("(anonymous)")
        if column == 3:
            return row.served_by_name or ""
        state = label(TicketState(row.state))
        if row.state == TicketState.CALLED.value and row.recalls:
            times = row.recalls + 1
            state += " " + ngettext("(called {n} time)", "(called {n} times)", times).format(
                n=times)
        return state
