"""TodayPage: the signed-in coach's worklist: overdue and due this week, who reaches 100
days within two weeks, who has no valid plan, who has not been contacted for a while."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.dto.coaching import WorkItem
from app.i18n import N_, _, format_date, format_number, ngettext
from app.services.statutory_clock import StatutoryClockService
from app.views.coaching.texts import kind_label, source_tooltip
from app.views.common import heading_label, icon, list_table, shortcut
from app.views.operations import QueryOp
from app.views.simple_model import Index, SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor


class WorkItemModel(SimpleTableModel):
    """Rows of the worklist; the tooltip names the rule's source."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.ToolTipRole:
            return source_tooltip(self.rows[index.row()].source) or None
        return super().data(index, role)


def _status(item: WorkItem) -> str:
    if item.overdue:
        return "⚠ " + _("overdue")
    if item.kind == "not_contacted":
        if item.due_on is None:
            return _("no contact recorded")
        return ngettext("last contact {n} day ago", "last contact {n} days ago",
                        int(item.detail or 0)).format(n=format_number(int(item.detail or 0)))
    if item.kind == "no_plan":
        return _("make the employment plan")
    return _("due this week") if item.kind != "hundred_days" else _("within two weeks")


def _cells(item: WorkItem) -> list[str]:
    when = format_date(item.due_on) if item.kind != "not_contacted" else ""
    return [item.name, kind_label(item.kind), when, _status(item)]


class TodayPage(QWidget):
    open_customer = Signal(str)
    count_changed = Signal(int)

    def __init__(self, service: StatutoryClockService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("today_page")
        self.service, self.runner = service, runner
        layout = QVBoxLayout(self)
        self.heading = heading_label()
        self.summary = QLabel()
        self.summary.setObjectName("today_summary")
        self.summary.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addStretch(1)
        self.open_button = QPushButton()
        self.open_button.setObjectName("today_open")
        self.open_button.clicked.connect(self._open_current)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("today_refresh")
        self.refresh_button.clicked.connect(self.load)
        shortcut(self, "F5", self.refresh_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        self.model = WorkItemModel((N_("Customer"), N_("What"), N_("Date"), N_("Status")),
                                   _cells, self)
        self.table = list_table("today_table", self.model)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def activate(self, actor: Actor) -> None:
        self.load()
        self.table.setFocus()

    def deactivate(self) -> None:
        pass

    def clear(self) -> None:
        """Signed out: the worklist was the coach's own."""
        self.model.set_rows([])
        self.summary.setText("")
        self.count_changed.emit(0)

    def refresh(self) -> None:
        """Signed in, rows arrived: the navigation's count again (the worklist's length).
        On screen the list stays as it is until F5: a reload would move the selection."""
        if not self.isVisible():
            self.load()

    def load(self) -> None:
        """The worklist (shown, F5); its length is the navigation's count."""
        QueryOp(self.runner, self, self.service.worklist, success=self.show_items) \
            .latest("worklist").run_in_background()

    def show_items(self, items: list[WorkItem]) -> None:
        self.model.set_rows(items)
        overdue = sum(1 for i in items if i.overdue)
        customers = len({i.customer_id for i in items})
        self.summary.setText(
            ngettext("{n} thing to do", "{n} things to do", len(items)).format(
                n=format_number(len(items)))
            + "  ·  " + ngettext("{n} overdue", "{n} overdue", overdue).format(
                n=format_number(overdue))
            + "  ·  " + ngettext("{n} customer", "{n} customers", customers).format(
                n=format_number(customers)))
        self.table.setAccessibleName(_("Today's worklist"))
        if items and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.count_changed.emit(len(items))

    def show_error(self, text: str) -> None:
        self.summary.setText("⚠ " + text)

    def _open(self, index: QModelIndex) -> None:
        item = self.model.row_at(index.row())
        if item is not None:
            self.open_customer.emit(item.customer_id)

    def _open_current(self) -> None:
        self._open(self.table.currentIndex())

    def retranslate(self) -> None:
        self.heading.setText(_("Today"))
        self.open_button.setText(_("Open the customer (Enter)"))
        self.open_button.setIcon(icon("mdi6.account-arrow-right", self))
        self.open_button.setAccessibleName(_("Open the customer"))
        self.refresh_button.setText(_("Refresh (F5)"))
        self.refresh_button.setIcon(icon("mdi6.refresh", self))
        self.refresh_button.setAccessibleName(_("Refresh the worklist"))
        self.table.setAccessibleName(_("Today's worklist"))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
