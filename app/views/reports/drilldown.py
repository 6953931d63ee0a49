"""The drill-down (#25): Enter (or a double-click) on a figure of a report opens the
customers behind it (ReportTable.members), as many of them as the signed-in person may
see, masked as the register shows them; Enter on a customer opens their card.

The list is read off the GUI thread (QueryOp) and the read is audited by the service;
signing out closes the dialog (the pages' clear() calls DrilldownLauncher.clear)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.dto.drilldown import Drilldown, DrilldownRow
from app.dto.report_display import header, table_cell
from app.dto.reports import COUNT, NUMBER, PERCENT, ReportTable
from app.i18n import N_, _, format_number, ngettext
from app.services.reports.service import ReportService
from app.views import style
from app.views.common import ColumnFitter, FieldError, list_table
from app.views.operations import QueryOp
from app.views.reports.widgets import ReportTableModel
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (N_("Customer number"), N_("Name"), N_("Identity code"), N_("Service point"),
           N_("Coach"), N_("Case"))
FIGURES = (COUNT, NUMBER, PERCENT)


def where_text(table: ReportTable, row: int) -> str:
    """What a row of the table is about: its names and dates ("Individual coaching ·
    Alfa Valmennus Oy", "November 2026"), or "Total"."""
    shown = len(table.rows) if row < 0 else row
    texts = [table_cell(table, shown, i) for i, c in enumerate(table.columns)
             if c.kind not in FIGURES]
    return " · ".join(t for t in texts if t and t != "–")


def _cells(row: DrilldownRow) -> tuple[str, ...]:
    return (row.customer_number, row.name, row.hetu_masked, row.service_point,
            row.coach or "–", _("Open") if row.active else _("Closed"))


class DrilldownModel(SimpleTableModel):
    """The customers as a list; a screen reader hears each cell with its column, and the
    customer's id is the row's UserRole (the card to open)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, _cells, parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{_(COLUMNS[index.column()])}: {_cells(self.rows[index.row()])[index.column()]}"
        if index.isValid() and role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()].id
        return super().data(index, role)


class DrilldownDialog(QDialog):
    """The customers behind one figure; Enter or "Open card" opens the chosen one."""

    open_customer = Signal(str)

    def __init__(self, reports: ReportService, runner: TaskRunner, table: ReportTable,
                 row: int, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drilldown_dialog")
        self.table, self.row, self.key = table, row, key
        self.ids = table.members_of(row, key)
        self.found: Drilldown | None = None
        column = table.columns[table.column(key)]
        figure = table_cell(table, len(table.rows) if row < 0 else row, table.column(key))
        self.setWindowTitle(_("The customers behind the figure"))
        layout = QVBoxLayout(self)
        self.heading = style.heading(QLabel(_(table.title)))
        self.heading.setObjectName("drilldown_heading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.figure = QLabel(_("{column}, {where}: {figure}").format(
            column=header(column), where=where_text(table, row), figure=figure))
        self.figure.setObjectName("drilldown_figure")
        self.figure.setWordWrap(True)
        layout.addWidget(self.figure)
        self.summary = QLabel(_("Loading…"))
        self.summary.setObjectName("drilldown_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = DrilldownModel(self)
        self.list: QTableView = list_table("drilldown_customers", self.model)
        self.list.setAccessibleName(_("Customers"))
        self.list.setAccessibleDescription(_("Enter opens the customer's card"))
        self.list.doubleClicked.connect(lambda _i: self.open_chosen())
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.fitter = ColumnFitter(self.list, wrap=False)  # a long list: a line a customer
        self.list.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        layout.addWidget(self.list, 1)
        self.error = FieldError()
        self.error.setObjectName("drilldown_error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        buttons.setObjectName("drilldown_buttons")
        self.open_button = QPushButton(_("&Open the card"))
        self.open_button.setObjectName("drilldown_open")
        self.open_button.setDefault(True)  # Enter in the list opens the chosen customer
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_chosen)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        em = self.fontMetrics().averageCharWidth()
        line = self.fontMetrics().height()
        width, height = max(820, em * 120), max(520, line * 30)
        if parent is not None:  # never wider or taller than the window it opens over
            width = min(width, parent.window().width())
            height = min(height, parent.window().height())
        self.resize(width, height)
        QueryOp(runner, self, lambda: reports.customers_behind(table.name, row, key, self.ids),
                success=self._got).run_in_background()

    def _got(self, result: Drilldown) -> None:
        self.found = result
        self.model.set_rows(list(result.rows))
        self.fitter.fit()
        self.summary.setText(summary_text(result))
        self.open_button.setEnabled(bool(result.rows))
        if result.rows:
            self.list.selectRow(0)
        self.list.setFocus()

    def chosen(self) -> str | None:
        index = self.list.currentIndex()
        return self.model.rows[index.row()].id if index.isValid() else None

    def open_chosen(self) -> None:
        customer_id = self.chosen()
        if customer_id is None:
            return
        self.accept()
        self.open_customer.emit(customer_id)

    def show_error(self, text: str) -> None:
        self.summary.setText("")
        self.error.show_message(text)


def summary_text(result: Drilldown) -> str:
    n = len(result.rows)
    parts = [ngettext("{n} customer", "{n} customers", n).format(n=format_number(n))]
    if result.hidden and result.own_caseload_only:
        parts.append(ngettext("and {n} more outside your caseload",
                              "and {n} more outside your caseload",
                              result.hidden).format(n=format_number(result.hidden)))
    elif result.hidden:
        parts.append(ngettext("and {n} more you may not see",
                              "and {n} more you may not see",
                              result.hidden).format(n=format_number(result.hidden)))
    if result.gone:
        parts.append(ngettext("{n} no longer in the register",
                              "{n} no longer in the register",
                              result.gone).format(n=format_number(result.gone)))
    return ", ".join(parts)


class DrilldownLauncher(QObject):
    """Wires a report table (a QTableView over a ReportTableModel) to the drill-down:
    `activated` (Enter, a double-click) on a figure with customers behind it opens the
    dialog; `open_customer` asks the window for a card."""

    open_customer = Signal(str)

    def __init__(self, reports: ReportService, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.reports, self.runner, self.owner = reports, runner, parent
        self.dialog: DrilldownDialog | None = None

    def attach(self, view: QTableView) -> None:
        # A figure at a time is chosen (not the whole row): the arrows show which one
        # Enter opens.
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.activated.connect(self.drill)

    def drill(self, index: QModelIndex) -> None:
        model = index.model()
        if not isinstance(model, ReportTableModel) or model.table is None:
            return
        cell = model.members_at(index)
        if cell is None:
            return
        row, key = cell
        self.clear()
        self.dialog = DrilldownDialog(self.reports, self.runner, model.table, row, key,
                                      self.owner)
        self.dialog.open_customer.connect(self.open_customer)
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def clear(self) -> None:
        """Signed out (or another figure chosen): no list of customers stays open."""
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.reject()
            dialog.deleteLater()
