"""CustomerListView: search as you type over the whole register."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, format_number, ngettext
from app.rules.codes import CaseStatus
from app.views.common import ColumnFitter, heading_label, icon, shortcut
from app.views.customers.table_model import CustomerTableModel, IdRole

SEARCH_DELAY_MS = 200
# The case filter. All by default: the desk looks up whoever comes in, and a person whose
# case was closed comes back to register again; the Case column tells them apart.
CASE_FILTERS = (("", N_("All cases")), (CaseStatus.OPEN.value, N_("Open cases")),
                (CaseStatus.CLOSED.value, N_("Closed cases")))


class CustomerTable(QTableView):
    """Enter opens the selected customer; Tab leaves the table (not cell to cell)."""

    open_requested = Signal(str)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
            return
        super().keyPressEvent(event)

    def open_current(self) -> None:
        index = self.currentIndex()
        if index.isValid():
            self.open_requested.emit(index.data(IdRole))


class CustomerListView(QWidget):
    open_requested = Signal(str)
    new_requested = Signal()

    def __init__(self, model: CustomerTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_list")
        self.model = model
        self._build()
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(SEARCH_DELAY_MS)
        self.debounce.timeout.connect(lambda: self.model.set_query(self.search.text()))
        self.search.textChanged.connect(lambda _text: self.debounce.start())
        self.model.total_changed.connect(self._show_total)
        self.model.loading_changed.connect(self._show_loading)
        self.model.failed.connect(self.status.setText)
        self.retranslate()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = heading_label()
        self.search = QLineEdit()
        self.search.setObjectName("customer_search")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self._open_first)
        self.search.installEventFilter(self)
        self.new_button = QPushButton()
        self.new_button.setObjectName("customer_new")
        shortcut(self, "Ctrl+N", self.new_button)
        self.new_button.clicked.connect(self.new_requested)
        self.case_filter = QComboBox()
        self.case_filter.setObjectName("customer_case_filter")
        for status, _text in CASE_FILTERS:
            self.case_filter.addItem("", status)
        self.case_filter.currentIndexChanged.connect(
            lambda _i: self.model.set_status(self.case_filter.currentData()))
        self.case_filter_label = QLabel()
        self.case_filter_label.setBuddy(self.case_filter)
        top.addWidget(self.heading)
        top.addWidget(self.search, 1)
        top.addWidget(self.case_filter_label)
        top.addWidget(self.case_filter)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        self.table = CustomerTable()
        self.table.setObjectName("customer_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        # The columns share the table's width by their contents: fixed pixel widths ran
        # past a 1280-pixel window, and at 150 % text past 1600 pixels.
        self.fitter = ColumnFitter(self.table, wrap=False)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_requested.connect(self.open_requested)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("customer_status")
        layout.addWidget(self.status)

    def retranslate(self) -> None:
        self.heading.setText(_("Customers"))
        self.search.setPlaceholderText(_("Name, identity code or customer number…"))
        self.search.setAccessibleName(_("Search customers"))
        self.search.setToolTip(
            _("Search as you type; Enter opens the first result, ↓ moves to the list.")
        )
        self.new_button.setText(_("&New customer (Ctrl+N)"))
        self.new_button.setIcon(icon("mdi6.account-plus", self))
        self.new_button.setAccessibleName(_("New customer"))
        self.table.setAccessibleName(_("Customer list"))
        self.case_filter_label.setText(_("C&ase:"))
        self.case_filter.setAccessibleName(_("Show customers by case status"))
        for i, (_status, text) in enumerate(CASE_FILTERS):
            self.case_filter.setItemText(i, _(text))
        if self.model.total is not None:
            self._show_total(self.model.total)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.retranslate()  # headers, and the rows' translated and formatted cells
        super().changeEvent(event)

    def eventFilter(self, watched, event) -> bool:
        # Down arrow from the search box moves into the results, like a search popup.
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount()
        ):
            self.table.setFocus()
            self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def _show_total(self, total: int) -> None:
        text = ngettext("{n} customer", "{n} customers", total).format(n=format_number(total))
        if self.search.text().strip():
            text = ngettext("{n} customer found", "{n} customers found", total).format(
                n=format_number(total)
            )
        self.status.setText(text)

    def _show_loading(self, loading: bool) -> None:
        if loading and self.model.total is None:
            self.status.setText(_("Searching…"))

    def _open_index(self, index: QModelIndex) -> None:
        self.open_requested.emit(index.data(IdRole))

    def _open_first(self) -> None:
        # Enter before the debounce fired searches at once; the first hit opens then.
        if self.debounce.isActive() or self.model.query != self.search.text():
            self.debounce.stop()
            self.model.set_query(self.search.text())
            return
        if self.model.rowCount():
            self.open_requested.emit(self.model.index(0, 0).data(IdRole))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def clear(self) -> None:
        """Signed out: no search typed, none under way, no rows, no count."""
        self.debounce.stop()
        self.search.blockSignals(True)  # no search runs signed out
        self.search.setText("")  # not clear(): Ctrl+Z would bring the old search back
        self.search.blockSignals(False)
        self.status.setText("")
        self.case_filter.blockSignals(True)  # the next person starts from all cases
        self.case_filter.setCurrentIndex(0)
        self.case_filter.blockSignals(False)
        self.model.clear()
        self.model.status = ""
