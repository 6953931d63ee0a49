"""The access log of one customer (team leads): who looked at or changed what, when,
on which workstation. Read through the audit service, off the GUI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.i18n import N_, _, format_datetime
from app.services.audit import AccessRow
from app.views.common import ColumnFitter, list_table

ACTIONS = {
    "customer.read": N_("Opened the record"),
    "customer.reveal_hetu": N_("Showed the identity code"),
    "customer.open_edit": N_("Opened for editing"),
    "customer.create": N_("Created the record"),
    "customer.update": N_("Changed details"),
    "customer.extract": N_("Made an extract of the data"),
    "customer.erase": N_("Erased the data"),
    "customer.merge": N_("Merged a duplicate record into this one"),
    "plan.read": N_("Read the plan"),
    "plan.create": N_("Started a plan"),
    "plan.edit": N_("Edited the plan"),
    "plan.accept": N_("Accepted the plan"),
    "plan.new_draft": N_("Started a new plan version"),
    "plan.compare": N_("Compared plan versions"),
    "plan.print": N_("Printed the plan"),
    "visit.record": N_("Recorded a contact"),
    "audit.read": N_("Read the access log"),
    "customer.clock": N_("Looked at the statutory clock"),
    "customer.barriers": N_("Changed the barriers to employment"),
    "customer.assign_coach": N_("Changed the coach"),
    "customer.import": N_("Imported from a file"),
    "appointment.list": N_("Looked at the appointments"),
    "appointment.book": N_("Booked an appointment"),
    "appointment.reschedule": N_("Moved an appointment"),
    "appointment.cancel": N_("Cancelled an appointment"),
    "appointment.check_in": N_("Checked in for an appointment"),
    "appointment.no_show": N_("Marked a no-show"),
    "appointment.letter": N_("Printed an appointment letter"),
    "queue.register": N_("Registered a queue ticket"),
    "queue.call": N_("Called from the queue"),
    "queue.transfer": N_("Transferred in the queue"),
    "queue.finish": N_("Finished a queue visit"),
}
HEADERS = (N_("When"), N_("Who"), N_("What"), N_("Workstation"))
Index = QModelIndex | QPersistentModelIndex


class AccessLogModel(QAbstractTableModel):
    def __init__(self, rows: list[AccessRow]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        row = self.rows[index.row()]
        action = ACTIONS.get(row.action)
        return (format_datetime(row.at), row.staff_name,
                _(action) if action else row.action, row.workstation)[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None


class AccessLogDialog(QDialog):
    def __init__(self, customer_name: str, rows: list[AccessRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("access_log_dialog")
        self.setWindowTitle(_("Access log"))
        # As wide as some 110 letters of today's text size (150 % text: wider).
        fm = self.fontMetrics()
        self.resize(fm.averageCharWidth() * 110, fm.height() * 26)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Who has opened or changed the data of {name}, newest first.")
                       .format(name=customer_name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = AccessLogModel(rows)
        self.table = list_table("access_log_table", self.model)
        ColumnFitter(self.table)  # columns share the width: no title or cell is cut
        self.table.setAccessibleName(_("Access log"))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.setFocus()
