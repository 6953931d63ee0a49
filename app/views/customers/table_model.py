"""CustomerTableModel: the customer list over keyset pages fetched off the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.dto.customers import CustomerRow
from app.i18n import N_, _, format_date, format_number
from app.rules.codes import LABELS, CaseStatus
from app.services.customers import CustomerService
from app.views.operations import QueryOp, drop_pending
from app.views.tasks import TaskRunner

IdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

# The first page is small so that the first screen comes fast; once the worker scrolls
# on, larger pages cost fewer round trips to the database thread and fewer relayouts.
FIRST_PAGE = 200
MORE_PAGE = 1000

# data() is asked for every role of every visible cell on each paint: plain ints compare
# faster than the enum members.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ID = int(IdRole)
_SORT = int(SortRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMERIC = (2, 5)

COLUMNS = (
    N_("Name"),
    N_("Identity code"),
    N_("Age"),
    N_("Customer number"),
    N_("Coach"),
    N_("Days unemployed"),
    N_("Service point"),
    N_("Case"),  # open or closed (the latest job-search period)
)

Index = QModelIndex | QPersistentModelIndex

_row = CustomerRow._make


class Rows(Sequence[CustomerRow]):
    """The fetched rows as `CustomerRow`s, over the plain tuples the model keeps.

    The garbage collector stops tracking a plain tuple of strings and dates, never a
    named tuple: with tens of thousands of tracked rows, full collections (0.1-0.3 s
    each) came more often while scrolling, and every later one took longer."""

    __slots__ = ("_tuples",)

    def __init__(self, tuples: list[tuple]) -> None:
        self._tuples = tuples

    def __len__(self) -> int:
        return len(self._tuples)

    @overload
    def __getitem__(self, position: int) -> CustomerRow: ...
    @overload
    def __getitem__(self, position: slice) -> list[CustomerRow]: ...
    def __getitem__(self, position: int | slice) -> CustomerRow | list[CustomerRow]:
        if isinstance(position, slice):
            return [_row(t) for t in self._tuples[position]]
        return _row(self._tuples[position])


class CustomerTableModel(QAbstractTableModel):
    """Holds the rows fetched so far; `fetchMore` asks the service for the next page.

    Pages and counts load as latest-only operations: those of an older query are
    skipped or dropped when they arrive, so typing fast never shows stale results.
    """

    loading_changed = Signal(bool)
    total_changed = Signal(int)
    failed = Signal(str)

    def __init__(self, service: CustomerService, runner: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = runner
        self.query = ""
        self.status = ""  # a CaseStatus code to show only open or closed cases; "": all
        self._tuples: list[tuple] = []  # CustomerRow fields as plain tuples (see Rows)
        self.has_more = False
        self.started = False  # a query was set (the page loads the list once, when shown)
        self.loading = False
        self.total: int | None = None
        # Display strings of the rows painted so far, by position (formatted once).
        self._shown: dict[int, tuple[str, ...]] = {}

    @property
    def rows(self) -> Rows:
        return Rows(self._tuples)

    # --- loading ----------------------------------------------------------------

    def set_query(self, query: str) -> None:
        """A new search. The old rows stay until the first new page replaces them in
        one reset: the list never flashes empty while typing."""
        self.started = True
        self.query = query
        self.has_more, self.total = False, None
        self._load(after=None)
        self._count()

    def refresh(self) -> None:
        self.set_query(self.query)

    def set_status(self, status: str) -> None:
        """Show open cases, closed ones or ("") all: the search again with the filter."""
        if status != self.status:
            self.status = status
            if self.started:
                self.refresh()

    def clear(self) -> None:
        """No rows and no search (signed out); the next set_query loads anew. What the
        old query still has under way is dropped."""
        drop_pending(self, "rows")
        drop_pending(self, "count")
        self.beginResetModel()
        self._tuples, self._shown = [], {}
        self.endResetModel()
        self.query, self.has_more, self.total, self.started = "", False, None, False
        self._set_loading(False)

    def _load(self, after: tuple[str, str] | None) -> None:
        query, status = self.query, self.status
        self._set_loading(True)

        def fetch() -> tuple[list[tuple], bool]:
            page = self.service.page(query, after, FIRST_PAGE if after is None else MORE_PAGE,
                                     status)
            return [row[:] for row in page.rows], page.has_more  # [:]: a plain tuple

        def arrived(page: tuple[list[tuple], bool]) -> None:
            self._set_loading(False)
            rows, has_more = page
            if after is None:
                self.beginResetModel()
                self._tuples = rows
                self._shown = {}
                self.endResetModel()
            elif rows:
                first = len(self._tuples)
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                self._tuples.extend(rows)
                self.endInsertRows()
            self.has_more = has_more

        QueryOp(self.runner, self, fetch, success=arrived).errors_to(self._failed) \
            .latest("rows").run_in_background()

    def _failed(self, text: str) -> None:
        self._set_loading(False)
        self.failed.emit(text)

    def _count(self) -> None:
        query, status = self.query, self.status

        def counted(total: int) -> None:
            self.total = total
            self.total_changed.emit(total)

        QueryOp(self.runner, self, lambda: self.service.count(query, status), success=counted) \
            .quietly().latest("count").run_in_background()

    def _set_loading(self, loading: bool) -> None:
        if loading != self.loading:
            self.loading = loading
            self.loading_changed.emit(loading)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.has_more and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and self._tuples:
            last = _row(self._tuples[-1])
            self._load(after=(last.sort_key, last.id))

    # --- the table ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tuples)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY:
            if not index.isValid():
                return None
            position = index.row()
            shown = self._shown.get(position)
            if shown is None:
                shown = self._shown[position] = self._display(_row(self._tuples[position]))
            return shown[index.column()]
        if role == _ALIGNMENT:
            return _RIGHT if index.column() in _NUMERIC else None
        if role == _ID:
            return _row(self._tuples[index.row()]).id if index.isValid() else None
        if role == _SORT and index.isValid():
            row = _row(self._tuples[index.row()])
            return (row.sort_key, row.hetu_masked, row.age, row.customer_number,
                    row.coach_name or "", row.days_unemployed or 0,
                    row.service_point_code, row.active)[index.column()]
        return None

    @staticmethod
    def _display(row: CustomerRow) -> tuple[str, ...]:
        """The eight cells of a row as shown (Babel formats and translations)."""
        born, age, days = row.birth_date, row.age, row.days_unemployed
        return (
            row.name,
            row.hetu_masked or (
                _("born {date}").format(date=format_date(born)) if born
                else _("no identity code")
            ),
            "" if age is None else format_number(age),
            row.customer_number,
            row.coach_name or _("no coach"),
            "" if days is None else format_number(days),
            row.service_point_code,
            _(LABELS[CaseStatus.OPEN if row.active else CaseStatus.CLOSED]),
        )

    def retranslate(self) -> None:
        """The language changed: format the shown rows again."""
        self._shown = {}
        if self._tuples:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._tuples) - 1, len(COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def row_at(self, position: int) -> CustomerRow | None:
        return _row(self._tuples[position]) if 0 <= position < len(self._tuples) else None
