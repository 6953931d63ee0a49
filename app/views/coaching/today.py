"""TodayPage: the signed-in coach's worklist in groups: initial interviews, job-search
conversations and plan reviews due (overdue first, with the days overdue), who reaches
100 days within two weeks, the follow-ups of a purchased service or decision due (three
and six months after it ended, #20), who has no valid plan, who has not been contacted
for a while. Each group's heading counts its rows; a row opens the customer's card (Enter,
double-click), a follow-up's row opens its answer (Enter, "Answer follow-up…")."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.dto.coaching import WorkItem
from app.i18n import _, format_date, format_number, ngettext
from app.rules.codes import SERVICE_LABELS, FollowupSituation
from app.services.effect_followups import from_detail
from app.services.statutory_clock import StatutoryClockService
from app.views import style
from app.views.coaching.texts import (
    WORK_GROUPS,
    followup_service,
    followup_status,
    group_title,
    source_tooltip,
)
from app.views.common import heading_label, icon, shortcut
from app.views.operations import QueryOp, WriteOp, drop_pending
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # a row's WorkItem (None on a group's heading)
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2  # the kind of the group a heading stands for
COLUMNS = 3  # customer, date, status
# Backlogs without a deadline start folded, so that every group's heading and count fits
# on the screen at once; what the coach folds or unfolds stays so until sign-out.
FOLDED = frozenset({"no_plan", "not_contacted"})


EMPLOYER_FOLLOWUP = "employer_followup"  # detail: the contact's id, not days (#22)


def days_overdue(item: WorkItem) -> int:
    """Calendar days past the due date (the service puts them in `detail`)."""
    if item.kind == EMPLOYER_FOLLOWUP:
        return 0
    return int(item.detail or 0) if item.overdue else 0


def _order(item: WorkItem) -> tuple[int, int, date, str]:
    # Overdue first, the longest overdue first; then by date. For "not contacted" the
    # date is the last contact: never contacted first, then the longest silence.
    return (0 if item.overdue else 1, -days_overdue(item), item.due_on or date.min,
            item.name)


def group_items(items: list[WorkItem]) -> dict[str, list[WorkItem]]:
    """The worklist by kind in the order of WORK_GROUPS, empty groups left out."""
    groups: dict[str, list[WorkItem]] = {kind: [] for kind in WORK_GROUPS}
    for item in items:
        groups.setdefault(item.kind, []).append(item)
    return {kind: sorted(rows, key=_order) for kind, rows in groups.items() if rows}


def heading_text(kind: str, rows: list[WorkItem]) -> str:
    """"Plan reviews due (4, 2 overdue)": the group's count in its heading."""
    overdue = sum(1 for i in rows if i.overdue)
    n = format_number(len(rows))
    if overdue:
        return _("{group} ({n}, {overdue})").format(
            group=group_title(kind), n=n, overdue=ngettext(
                "{n} overdue", "{n} overdue", overdue).format(n=format_number(overdue)))
    return _("{group} ({n})").format(group=group_title(kind), n=n)


def status_text(item: WorkItem) -> str:
    if item.kind == EMPLOYER_FOLLOWUP:  # Enter opens the employer's card
        return _("overdue: follow up with the employer") if item.overdue \
            else _("follow up with the employer")
    if item.overdue:
        days = days_overdue(item)
        return ngettext("{n} day overdue", "{n} days overdue", days).format(
            n=format_number(days))
    if item.kind == "not_contacted":
        if item.due_on is None:
            return _("no contact recorded")
        return ngettext("last contact {n} day ago", "last contact {n} days ago",
                        int(item.detail or 0)).format(n=format_number(int(item.detail or 0)))
    if item.kind == "no_plan":  # which type is due (#24): statutory_clock.due_plan_type
        if item.detail == "integration":
            return _("make the integration plan")
        return _("make the employment plan")
    if item.kind == "followup":
        return followup_status(item.detail)
    if item.kind == "hundred_days" and item.approximate:  # no first benefit day known
        return _("within two weeks (estimated date)")
    return _("due this week") if item.kind != "hundred_days" else _("within two weeks")


class WorklistModel(QStandardItemModel):
    """The worklist as a tree: a heading row per group with its rows under it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(0, COLUMNS, parent)
        self.items: list[WorkItem] = []  # as shown, group by group
        self.groups: dict[str, list[WorkItem]] = {}

    def show_items(self, items: list[WorkItem], view: QWidget) -> None:
        """Rebuild (also on a language change); `view` gives the palette for the
        overdue colour and icon."""
        self.clear()
        self.setHorizontalHeaderLabels([_("Customer"), _("Date"), _("Status")])
        self.groups = group_items(items)
        self.items = [i for rows in self.groups.values() for i in rows]
        bold = QFont(view.font())
        bold.setBold(True)
        late = QBrush(style.status_color(style.OVERDUE, view.palette()))
        late_icon = style.status_icon(style.OVERDUE, view)
        for kind, rows in self.groups.items():
            heading = QStandardItem(heading_text(kind, rows))
            heading.setFont(bold)
            heading.setData(kind, GROUP_ROLE)
            heading.setEditable(False)
            self.appendRow([heading, *(_blank() for _c in range(COLUMNS - 1))])
            for item in rows:
                cells = [QStandardItem(item.name),
                         QStandardItem(format_date(item.due_on) if item.due_on else ""),
                         QStandardItem(status_text(item))]
                for cell in cells:
                    cell.setEditable(False)
                    cell.setData(item, ITEM_ROLE)
                    cell.setToolTip(source_tooltip(item.source))
                if item.overdue:  # colour, an icon and the words: never colour alone
                    for cell in cells[1:]:
                        cell.setForeground(late)
                        cell.setFont(bold)
                    cells[2].setIcon(late_icon)
                heading.appendRow(cells)

    def item_of(self, index: QModelIndex) -> WorkItem | None:
        return index.siblingAtColumn(0).data(ITEM_ROLE) if index.isValid() else None


def _blank() -> QStandardItem:
    cell = QStandardItem()
    cell.setEditable(False)
    return cell


class FollowupDialog(QDialog):
    """Where the customer is now: one of the situations, chosen by the arrow keys and
    Enter (or a double-click); Esc cancels."""

    def __init__(self, item: WorkItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followup_dialog")
        months = from_detail(item.detail).months
        self.setWindowTitle(_("Answer follow-up"))
        layout = QVBoxLayout(self)
        self.question = QLabel(ngettext(
            "Where is {customer} now, {n} month after the service ended ({service})?",
            "Where is {customer} now, {n} months after the service ended ({service})?",
            months).format(
            customer=item.name, n=format_number(months), service=followup_service(item.detail)))
        self.question.setObjectName("followup_question")
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        self.situations = QListWidget()
        self.situations.setObjectName("followup_situations")
        self.situations.setAccessibleName(_("Where the customer is"))
        for situation in FollowupSituation:
            row = QListWidgetItem(_(SERVICE_LABELS[situation]))
            row.setData(Qt.ItemDataRole.UserRole, situation.value)
            self.situations.addItem(row)
        self.situations.setCurrentRow(0)
        self.situations.itemActivated.connect(lambda _item: self.accept())
        self.question.setBuddy(self.situations)
        layout.addWidget(self.situations, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Save the answer"))
        ok.setAccessibleName(_("Save the answer"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.situations.setFocus()
        # Every situation whole on its line, every one on show, at any text size.
        rows = self.situations.sizeHintForRow(0) * (self.situations.count() + 1)
        self.situations.setMinimumHeight(rows)
        self.situations.setMinimumWidth(
            self.situations.sizeHintForColumn(0) + 2 * self.situations.frameWidth()
            + self.situations.verticalScrollBar().sizeHint().width() + 8)

    def situation(self) -> str:
        item = self.situations.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""


class TodayPage(QWidget):
    open_customer = Signal(str)
    open_employer_followup = Signal(str)  # a contact's id: the employer's card (#22)
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
        self.answer_button = QPushButton()
        self.answer_button.setObjectName("today_answer")
        self.answer_button.clicked.connect(self._answer_current)
        self.answer_button.setEnabled(False)
        bar.addWidget(self.answer_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        self.model = WorklistModel(self)
        self.table = QTreeView()
        self.table.setObjectName("today_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAllColumnsShowFocus(True)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        # activated is Enter and the platform's double-click (or single click): a
        # heading folds its group, a row opens the customer.
        self.table.setExpandsOnDoubleClick(False)
        self.table.activated.connect(self._open)
        self.dialog: FollowupDialog | None = None
        self.folded = set(FOLDED)
        self.loaded = False  # "nothing to do" only once the worklist has come
        self.table.collapsed.connect(lambda index: self._folded(index, True))
        self.table.expanded.connect(lambda index: self._folded(index, False))
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().currentChanged.connect(
            lambda current, _previous: self._current_changed(current))
        self.retranslate()

    def activate(self, actor: Actor) -> None:
        self.load()
        self.table.setFocus()

    def deactivate(self) -> None:
        pass

    def clear(self) -> None:
        """Signed out: the worklist was the coach's own (one still loading never shows)."""
        drop_pending(self, "worklist")
        self.folded = set(FOLDED)
        self.loaded = False
        self.model.show_items([], self.table)
        style.set_status(self.summary, None, "")
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
        self.loaded = True
        self.model.show_items(items, self.table)
        self._after_rebuild()
        self.count_changed.emit(len(items))

    def _after_rebuild(self) -> None:
        items = self.model.items
        for row in range(self.model.rowCount()):  # the heading across the columns
            self.table.setFirstColumnSpanned(row, QModelIndex(), True)
            heading = self.model.index(row, 0)
            self.table.setExpanded(heading, heading.data(GROUP_ROLE) not in self.folded)
        overdue = sum(1 for i in items if i.overdue)
        customers = len({i.customer_id for i in items if i.customer_id})
        text = ("" if not self.loaded else _("Nothing to do today.")) if not items else (
            ngettext("{n} thing to do", "{n} things to do", len(items)).format(
                n=format_number(len(items)))
            + "  ·  " + ngettext("{n} overdue", "{n} overdue", overdue).format(
                n=format_number(overdue))
            + "  ·  " + ngettext("{n} customer", "{n} customers", customers).format(
                n=format_number(customers)))
        style.set_status(self.summary, None, text)  # and no error's colour left
        if items:  # the first row under the first heading: Enter opens it at once
            first = self.model.index(0, 0)
            if self.table.isExpanded(first):
                first = self.model.index(0, 0, first)
            self.table.setCurrentIndex(first)

    def _folded(self, index: QModelIndex, folded: bool) -> None:
        kind = index.data(GROUP_ROLE)
        if kind:
            (self.folded.add if folded else self.folded.discard)(kind)

    def show_error(self, text: str) -> None:
        style.set_status(self.summary, style.WARN, text)

    def _current_changed(self, index: QModelIndex) -> None:
        item = self.model.item_of(index)
        self.answer_button.setEnabled(item is not None and item.kind == "followup")
        employer = item is not None and item.kind == EMPLOYER_FOLLOWUP
        self.open_button.setText(_("Open the employer (Enter)") if employer
                                 else _("Open the customer (Enter)"))
        self.open_button.setAccessibleName(_("Open the employer") if employer
                                           else _("Open the customer"))

    def _open(self, index: QModelIndex) -> None:
        item = self.model.item_of(index)
        if item is not None and item.kind == "followup":
            self._answer(item)  # Enter on a follow-up answers it; the button opens the card
        elif item is not None and item.kind == EMPLOYER_FOLLOWUP:
            self.open_employer_followup.emit(item.detail)
        elif item is not None:
            self.open_customer.emit(item.customer_id)
        elif index.isValid():  # a group's heading: fold or unfold it
            heading = index.siblingAtColumn(0)
            self.table.setExpanded(heading, not self.table.isExpanded(heading))

    def _open_current(self) -> None:
        item = self.model.item_of(self.table.currentIndex())
        if item is not None and item.kind == EMPLOYER_FOLLOWUP:
            self.open_employer_followup.emit(item.detail)
        elif item is not None:
            self.open_customer.emit(item.customer_id)
        else:
            self._open(self.table.currentIndex())

    def _answer_current(self) -> None:
        item = self.model.item_of(self.table.currentIndex())
        if item is not None and item.kind == "followup":
            self._answer(item)

    def _answer(self, item: WorkItem) -> None:
        """The follow-up's dialog; its answer is written off the GUI thread and the row
        leaves the worklist once stored."""
        dialog = FollowupDialog(item, self)
        self.dialog = dialog

        def chosen() -> None:
            situation = dialog.situation()
            ref = from_detail(item.detail)
            WriteOp(self.runner, self, lambda: self.service.answer_followup(
                ref.source, ref.source_id, ref.months, situation),
                success=lambda _id: self._answered(item)).run_in_background()

        dialog.accepted.connect(chosen)
        dialog.finished.connect(lambda _result: self.table.setFocus())
        dialog.open()

    def _answered(self, item: WorkItem) -> None:
        # The next follow-up (else the one before) stays chosen, across the reload: a
        # coach answers a run of them with Enter, Down, Enter…
        followups = [i for i in self.model.items if i.kind == item.kind]
        at = followups.index(item) if item in followups else -1
        rest = followups[at + 1:] + followups[:at][::-1] if at >= 0 else []
        keep = rest[0] if rest else None

        def shown(items: list[WorkItem]) -> None:
            self.show_items(items)
            self._select(keep)

        shown([i for i in self.model.items if i != item])
        QueryOp(self.runner, self, self.service.worklist, success=shown) \
            .latest("worklist").run_in_background()

    def retranslate(self) -> None:
        self.heading.setText(_("Today"))
        self.open_button.setText(_("Open the customer (Enter)"))
        self.open_button.setIcon(icon("mdi6.account-arrow-right", self))
        self.open_button.setAccessibleName(_("Open the customer"))
        self.answer_button.setText(_("Answer follow-up… (Enter)"))
        self.answer_button.setIcon(icon("mdi6.clipboard-check-outline", self))
        self.answer_button.setAccessibleName(_("Answer the follow-up"))
        self.answer_button.setToolTip(
            _("Where the customer is three or six months after the service ended"))
        self.refresh_button.setText(_("Refresh (F5)"))
        self.refresh_button.setIcon(icon("mdi6.refresh", self))
        self.refresh_button.setAccessibleName(_("Refresh the worklist"))
        self.table.setAccessibleName(_("Today's worklist"))
        self.table.setAccessibleDescription(
            _("Grouped by kind; each group's heading gives its count. Enter opens the "
              "customer, or answers a follow-up."))
        self._rebuild()

    def _rebuild(self) -> None:
        """The same rows in the current language and palette, the same one chosen."""
        current = self.model.item_of(self.table.currentIndex())
        self.model.show_items(self.model.items, self.table)
        self._after_rebuild()
        self._select(current)

    def _select(self, wanted: WorkItem | None) -> None:
        for row in range(self.model.rowCount()):
            group = self.model.index(row, 0)
            for child in range(self.model.rowCount(group)):
                index = self.model.index(child, 0, group)
                if wanted is not None and self.model.item_of(index) == wanted:
                    self.table.setCurrentIndex(index)
                    return

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._rebuild()
        super().changeEvent(event)
