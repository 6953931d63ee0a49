"""CustomerTableModel: the customer list over keyset pages fetched off the GUI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.i18n import N_, _, format_date, format_number
from app.services.customers import CustomerService
from app.services.dto import CustomerPage, CustomerRow
from app.views.tasks import TaskRunner

IdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

COLUMNS = (
    N_("Name"),
    N_("Identity code"),
    N_("Age"),
    N_("Customer number"),
    N_("Coach"),
    N_("Days unemployed"),
    N_("Service point"),
)

Index = QModelIndex | QPersistentModelIndex


class CustomerTableModel(QAbstractTableModel):
    """Holds the rows fetched so far; `fetchMore` asks the service for the next page.

    Each new query gets a generation number, and pages of an older generation are
    dropped when they arrive, so typing fast never shows stale results.
    """

    loading_changed = Signal(bool)
    total_changed = Signal(int)
    failed = Signal(str)

    def __init__(self, service: CustomerService, runner: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = runner
        self.query = ""
        self.rows: list[CustomerRow] = []
        self.has_more = False
        self.generation = 0
        self.loading = False
        self.total: int | None = None

    # --- loading ----------------------------------------------------------------

    def set_query(self, query: str) -> None:
        """A new search. The old rows stay until the first new page replaces them in
        one reset: the list never flashes empty while typing."""
        self.generation += 1
        self.query = query
        self.has_more, self.total = False, None
        self._load(after=None)
        self._count()

    def refresh(self) -> None:
        self.set_query(self.query)

    def _load(self, after: tuple[str, str] | None) -> None:
        generation, query = self.generation, self.query
        self._set_loading(True)

        def fetch() -> CustomerPage | None:
            if generation != self.generation:  # superseded while queued: skip the query
                return None
            return self.service.page(query, after)

        def arrived(page: CustomerPage | None) -> None:
            if generation != self.generation:
                return
            self._set_loading(False)
            if page is None:
                return
            if after is None:
                self.beginResetModel()
                self.rows = list(page.rows)
                self.endResetModel()
            elif page.rows:
                first = len(self.rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
                self.rows.extend(page.rows)
                self.endInsertRows()
            self.has_more = page.has_more

        def failed(exc: Exception) -> None:
            if generation == self.generation:
                self._set_loading(False)
                self.failed.emit(_(getattr(exc, "message", str(exc))))

        self.runner.submit(fetch, arrived, failed)

    def _count(self) -> None:
        generation, query = self.generation, self.query

        def counted(total: int | None) -> None:
            if generation == self.generation and total is not None:
                self.total = total
                self.total_changed.emit(total)

        self.runner.submit(
            lambda: self.service.count(query) if generation == self.generation else None,
            counted,
            lambda exc: None,
        )

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

    # --- the table ------------------------------------------------------------------

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
        column = index.column()
        if role == IdRole:
            return row.id
        if role == SortRole:
            return (row.sort_key, row.hetu_masked, row.age, row.customer_number,
                    row.coach_name or "", row.days_unemployed or 0,
                    row.service_point_code)[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(row: CustomerRow, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return row.hetu_masked or (
                _("born {date}").format(date=format_date(row.birth_date)) if row.birth_date
                else _("no identity code")
            )
        if column == 2:
            return "" if row.age is None else format_number(row.age)
        if column == 3:
            return row.customer_number
        if column == 4:
            return row.coach_name or _("no coach")
        if column == 5:
            return "" if row.days_unemployed is None else format_number(row.days_unemployed)
        return row.service_point_code

    def row_at(self, position: int) -> CustomerRow | None:
        return self.rows[position] if 0 <= position < len(self.rows) else None
