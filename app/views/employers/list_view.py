"""The employer register's list: search as you type by name or business ID, keyset pages
fetched off the GUI thread as the worker scrolls (like the customer register)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.dto.employers import EmployerRow
from app.i18n import N_, _, format_number, ngettext
from app.views.common import ColumnFitter, heading_label, icon, shortcut
from app.views.employers.texts import industry_label, responsible
from app.views.operations import QueryOp, drop_pending
from app.views.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 200
FIRST_PAGE = 100
MORE_PAGE = 300

COLUMNS = (N_("Name"), N_("Business ID"), N_("Industry"), N_("Municipality"),
           N_("Responsible team / staff contact"), N_("Open vacancies"))


def employer_cells(row: EmployerRow) -> tuple[str, ...]:
    name = row.name if row.active else _("{name} (inactive)").format(name=row.name)
    return (name, row.business_id, industry_label(row.industry), row.municipality,
            responsible(row.team_name, row.contact_staff_name),
            format_number(row.open_vacancies) if row.open_vacancies else "")


class EmployerTableModel(QAbstractTableModel):
    """The rows fetched so far; `fetchMore` asks for the next page after the last row's
    (sort_key, id). Pages of an older query are dropped when they arrive."""

    loading_changed = Signal(bool)
    shown = Signal(int)  # rows now listed (a search's first page arrived)
    total_changed = Signal(int)  # how many the search finds over all its pages
    failed = Signal(str)

    def __init__(self, search: Callable[..., list[EmployerRow]], runner: TaskRunner,
                 parent: Any = None, count: Callable[[str, bool], int] | None = None) -> None:
        super().__init__(parent)
        self.search, self.runner, self.count = search, runner, count
        self.total: int | None = None
        self.query = ""
        self.include_inactive = False
        self.rows: list[EmployerRow] = []
        self.has_more = False
        self.started = False
        self.loading = False

    def set_query(self, query: str) -> None:
        self.started = True
        self.query = query
        self.has_more, self.total = False, None
        self._load(after=None)
        self._count()

    def refresh(self) -> None:
        if self.started:
            self.set_query(self.query)

    def clear(self) -> None:
        drop_pending(self, "rows")
        drop_pending(self, "count")
        self.total = None
        self.beginResetModel()
        self.rows = []
        self.endResetModel()
        self.query, self.has_more, self.started = "", False, False
        self._set_loading(False)

    def _load(self, after: tuple[str, str] | None) -> None:
        query, inactive = self.query, self.include_inactive
        limit = FIRST_PAGE if after is None else MORE_PAGE
        self._set_loading(True)

        def arrived(rows: list[EmployerRow]) -> None:
            self._set_loading(False)
            if after is None:
                self.beginResetModel()
                self.rows = list(rows)
                self.endResetModel()
                self.shown.emit(len(self.rows))
            elif rows:
                first = len(self.rows)
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                self.rows.extend(rows)
                self.endInsertRows()
            self.has_more = len(rows) >= limit

        QueryOp(self.runner, self,
                lambda: self.search(query, after, limit, inactive), success=arrived) \
            .errors_to(self._failed).latest("rows").run_in_background()

    def _failed(self, text: str) -> None:
        self._set_loading(False)
        self.failed.emit(text)

    def _count(self) -> None:
        if self.count is None:
            return
        count, query, inactive = self.count, self.query, self.include_inactive

        def counted(total: int) -> None:
            self.total = total
            self.total_changed.emit(total)

        QueryOp(self.runner, self, lambda: count(query, inactive), success=counted) \
            .quietly().latest("count").run_in_background()

    def _set_loading(self, loading: bool) -> None:
        if loading != self.loading:
            self.loading = loading
            self.loading_changed.emit(loading)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.has_more and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and self.rows:
            last = self.rows[-1]
            self._load(after=(last.sort_key, last.id))

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
        if role == Qt.ItemDataRole.DisplayRole:
            return employer_cells(row)[index.column()]
        if role == IdRole:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == len(COLUMNS) - 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def row_at(self, position: int) -> EmployerRow | None:
        return self.rows[position] if 0 <= position < len(self.rows) else None


class EmployerTable(QTableView):
    """Enter opens the chosen employer; Tab leaves the table."""

    open_requested = Signal(str)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.open_requested.emit(index.data(IdRole))
            return
        super().keyPressEvent(event)


class EmployerListView(QWidget):
    open_requested = Signal(str)
    new_requested = Signal()

    def __init__(self, model: EmployerTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("employer_list")
        self.model = model
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = heading_label()
        self.search = QLineEdit()
        self.search.setObjectName("employer_search")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self._open_first)
        self.search.installEventFilter(self)
        self.inactive = QCheckBox()
        self.inactive.setObjectName("employer_include_inactive")
        self.inactive.toggled.connect(self._inactive_toggled)
        self.new_button = QPushButton()
        self.new_button.setObjectName("employer_new")
        shortcut(self, "Ctrl+N", self.new_button)
        self.new_button.clicked.connect(self.new_requested)
        top.addWidget(self.heading)
        top.addWidget(self.search, 1)
        top.addWidget(self.inactive)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        self.table = EmployerTable()
        self.table.setObjectName("employer_table")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.fitter = ColumnFitter(self.table)  # long industry and team names wrap
        self.table.doubleClicked.connect(
            lambda index: self.open_requested.emit(index.data(IdRole)))
        self.table.open_requested.connect(self.open_requested)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("employer_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.open_when_shown = False  # Enter came before the search's results
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(SEARCH_DELAY_MS)
        self.debounce.timeout.connect(lambda: self.model.set_query(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._typed())
        model.shown.connect(self._show_count)
        model.total_changed.connect(lambda _n: self._show_count(len(self.model.rows)))
        model.loading_changed.connect(self._show_loading)
        model.failed.connect(lambda text: self.status.setText("⚠ " + text))
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Employers"))
        self.search.setPlaceholderText(_("Name or business ID…"))
        self.search.setAccessibleName(_("Search employers"))
        self.search.setToolTip(
            _("Search as you type; Enter opens the first result, ↓ moves to the list."))
        self.inactive.setText(_("Show &inactive"))
        self.inactive.setAccessibleName(_("Show inactive employers too"))
        self.new_button.setText(_("&New employer… (Ctrl+N)"))
        self.new_button.setIcon(icon("mdi6.domain-plus", self))
        self.new_button.setAccessibleName(_("New employer"))
        self.table.setAccessibleName(_("Employer list"))
        if self.model.started and not self.model.loading:
            self._show_count(len(self.model.rows))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched, event) -> bool:
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down and self.model.rowCount()):
            self.table.setFocus()
            self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def _typed(self) -> None:
        self.open_when_shown = False
        self.debounce.start()

    def _inactive_toggled(self, on: bool) -> None:
        self.model.include_inactive = on
        self.model.set_query(self.search.text())

    def _show_count(self, n: int) -> None:
        if self.open_when_shown:
            self.open_when_shown = False
            if n and self.search.hasFocus():
                self.open_requested.emit(self.model.index(0, 0).data(IdRole))
        if not n:
            self.status.setText(_("No employers found.") if self.search.text().strip()
                                else _("No employers in the register yet."))
            return
        total = self.model.total if self.model.total is not None else n
        if self.search.text().strip():
            text = ngettext("{n} employer found", "{n} employers found", total)
        else:
            text = ngettext("{n} employer", "{n} employers", total)
        self.status.setText(text.format(n=format_number(total)))

    def _show_loading(self, loading: bool) -> None:
        if loading and not self.model.rows:
            self.status.setText(_("Searching…"))

    def _open_first(self) -> None:
        """Enter: the first result opens; typed faster than the search, once it comes."""
        if self.debounce.isActive() or self.model.query != self.search.text():
            self.debounce.stop()
            self.open_when_shown = True
            self.model.set_query(self.search.text())
            return
        if self.model.loading:
            self.open_when_shown = True
        elif self.model.rowCount():
            self.open_requested.emit(self.model.index(0, 0).data(IdRole))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def set_can_edit(self, on: bool) -> None:
        self.new_button.setVisible(on)
        self.new_button.setEnabled(on)

    def clear(self) -> None:
        self.debounce.stop()
        self.open_when_shown = False
        self.search.blockSignals(True)
        self.search.setText("")
        self.search.blockSignals(False)
        self.inactive.blockSignals(True)
        self.inactive.setChecked(False)
        self.inactive.blockSignals(False)
        self.model.include_inactive = False
        self.status.setText("")
        self.model.clear()
