"""CaseloadPage: every coach's active customers against the cap, per team, the balancing
suggestion, bulk reassignment when a coach leaves, and one coach's customers (with the
"three or more barriers" filter)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.dto.coaching import CaseloadCustomer, CaseloadRow, Caseloads, SuggestedMove
from app.i18n import N_, _, format_number
from app.rules.permissions import Permission, allowed
from app.services.coaching import CoachingService
from app.services.settings import SettingsService
from app.views.coaching.dialogs import ReasonDialog
from app.views.common import ColumnFitter, heading_label, icon, list_table, two_lines
from app.views.operations import QueryOp, WriteOp, refresh_on_change
from app.views.simple_model import Index, SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor


def _coach_cells(row: CaseloadRow) -> list[str]:
    status = ("⚠ " + _("over the cap")) if row.over else ""  # only what needs attention
    return [row.full_name, row.team_name, format_number(row.active), status,
            format_number(row.many_barriers), row.service_point]


def _team_cells(team: tuple[str, int, int, int]) -> list[str]:
    name, coaches, active, capacity = team
    return [name, format_number(coaches), format_number(active), format_number(capacity),
            format_number(max(0, capacity - active))]


def _move_cells(move: SuggestedMove) -> list[str]:
    return [move.from_name, move.to_name, format_number(move.count)]


def _customer_cells(c: CaseloadCustomer) -> list[str]:
    return [c.name, "" if c.days_unemployed is None else format_number(c.days_unemployed),
            format_number(c.barriers)]


class WrappedTableModel(SimpleTableModel):
    """Column titles on two lines (see two_lines)."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        text = super().headerData(section, orientation, role)
        return two_lines(text) if isinstance(text, str) else text


class CoachLoadModel(WrappedTableModel):
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.FontRole:
            row = self.rows[index.row()]
            if row.over:
                from PySide6.QtGui import QFont

                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class CaseloadPage(QWidget):
    open_customer = Signal(str)

    def __init__(self, coaching: CoachingService, settings: SettingsService,
                 runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseload_page")
        self.coaching, self.settings, self.runner = coaching, settings, runner
        self.data: Caseloads | None = None
        self.can_manage = False
        layout = QVBoxLayout(self)
        self.heading = heading_label()
        self.summary = QLabel()
        self.summary.setObjectName("caseload_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.coach_box = QGroupBox()
        inner = QVBoxLayout(self.coach_box)
        self.coaches = CoachLoadModel(
            (N_("Coach"), N_("Team"), N_("Active customers"), N_("Status"),
             N_("3+ barriers"), N_("Service point")), _coach_cells, self)
        self.coach_table = list_table("caseload_coaches", self.coaches)
        self.coach_table.selectionModel().currentRowChanged.connect(self._coach_chosen)
        inner.addWidget(self.coach_table)
        self.leave_button = QPushButton()
        self.leave_button.setObjectName("caseload_coach_leaves")
        self.leave_button.clicked.connect(self._coach_leaves)
        inner.addWidget(self.leave_button, 0, Qt.AlignmentFlag.AlignLeft)
        left_layout.addWidget(self.coach_box, 3)

        # Stacked at the full width of the column: side by side, the team names and the
        # coaches' names of the suggestion had no room left beside their figures.
        self.team_box = QGroupBox()
        team_layout = QVBoxLayout(self.team_box)
        self.teams = WrappedTableModel(
            (N_("Team"), N_("Coaches"), N_("Active customers"), N_("Capacity"), N_("Free places")),
            _team_cells, self)
        self.team_table = list_table("caseload_teams", self.teams)
        team_layout.addWidget(self.team_table)
        left_layout.addWidget(self.team_box, 2)
        self.move_box = QGroupBox()
        move_layout = QVBoxLayout(self.move_box)
        self.moves = WrappedTableModel((N_("From coach"), N_("To coach"), N_("Customers")),
                                      _move_cells, self)
        self.move_table = list_table("caseload_moves", self.moves)
        move_layout.addWidget(self.move_table)
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("caseload_apply_move")
        self.apply_button.clicked.connect(self._apply_move)
        move_layout.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignLeft)
        left_layout.addWidget(self.move_box, 1)
        split.addWidget(left)

        self.customer_box = QGroupBox()
        right = QVBoxLayout(self.customer_box)
        self.many_only = QCheckBox()
        self.many_only.setObjectName("caseload_many_barriers")
        self.many_only.toggled.connect(lambda _on: self._load_customers())
        right.addWidget(self.many_only)
        self.customers = WrappedTableModel(
            (N_("Customer"), N_("Days unemployed"), N_("Barriers")), _customer_cells, self)
        self.customer_table = list_table("caseload_customers", self.customers)
        self.customer_table.activated.connect(self._open)
        self.customer_table.doubleClicked.connect(self._open)
        right.addWidget(self.customer_table)
        split.addWidget(self.customer_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        # About two thirds for the coaches' six columns (the splitter gave the customers'
        # three the same width as they), a third for the customers.
        split.setSizes([640, 360])
        layout.addWidget(split, 1)
        # No sideways scrolling and nothing cut: the columns share the width, names and
        # team names wrap onto a second line (the rows grow to fit).
        self.fitters = [ColumnFitter(t) for t in (self.coach_table, self.team_table,
                                                  self.move_table, self.customer_table)]
        self.dialog: ReasonDialog | None = None
        # Balancing here, a coach change on a card, an import: the caseloads move.
        refresh_on_change(runner, self, {"customer", "coach_assignment"}, self._tables_changed)
        self.retranslate()

    def set_role(self, role: Any) -> None:
        self.can_manage = role is not None and allowed(role, Permission.CASELOAD_MANAGE)
        self.leave_button.setVisible(self.can_manage)
        self.apply_button.setVisible(self.can_manage)

    def activate(self, actor: Actor) -> None:
        self.set_role(actor.role)
        self.load()
        self.coach_table.setFocus()

    def deactivate(self) -> None:
        pass

    def clear(self) -> None:
        """Signed out: the next person loads the caseloads their role may see."""
        self.data = None
        for model in (self.coaches, self.teams, self.moves, self.customers):
            model.set_rows([])
        self.summary.setText("")
        self.set_role(None)

    def refresh(self) -> None:
        """Rows arrived: nothing reloads under the worker's hands; a change made here
        reloads the caseloads (refresh_on_change), showing the page loads them."""

    def load(self) -> None:
        coaching, settings = self.coaching, self.settings
        QueryOp(self.runner, self,
                lambda: coaching.caseloads(int(settings.get("caseload_cap"))),
                success=self.show_data).latest("caseloads").run_in_background()

    def _tables_changed(self) -> None:
        if self.isVisible():
            self.load()

    def show_data(self, data: Caseloads) -> None:
        self.data = data
        current = self._current_coach()
        # Coaches above the cap first: they are what the page is for.
        self.coaches.set_rows(sorted(data.coaches, key=lambda c: (not c.over, c.team_name,
                                                                  c.full_name)))
        self.teams.set_rows(data.teams)
        self.moves.set_rows(data.suggestions)
        over = sum(1 for c in data.coaches if c.over)
        active = sum(c.active for c in data.coaches)
        parts = [_("Cap {cap} customers per coach").format(cap=format_number(data.cap)),
                 _("{n} active customers").format(n=format_number(active)),
                 _("{n} coaches").format(n=format_number(len(data.coaches)))]
        if over:
            parts.append("⚠ " + _("{n} over the cap").format(n=format_number(over)))
        if data.unassigned:
            parts.append(_("{n} without a coach").format(n=format_number(data.unassigned)))
        self.summary.setText("  ·  ".join(parts))
        self.apply_button.setEnabled(bool(data.suggestions))
        ids = [c.staff_id for c in self.coaches.rows]
        row = ids.index(current) if current in ids else 0
        if data.coaches:
            self.coach_table.selectRow(row)
            self._load_customers()

    def _current_coach(self) -> str | None:
        row = self.coaches.row_at(self.coach_table.currentIndex().row())
        return row.staff_id if row is not None else None

    def _coach_chosen(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._load_customers()

    def _load_customers(self) -> None:
        coach = self._current_coach()
        if coach is None:
            return
        row = self.coaches.row_at(self.coach_table.currentIndex().row())
        self.customer_box.setTitle(_("Customers of {name}").format(name=row.full_name))
        many = self.many_only.isChecked()

        def shown(rows: list[CaseloadCustomer]) -> None:
            if self._current_coach() == coach:
                self.customers.set_rows(rows)

        QueryOp(self.runner, self, lambda: self.coaching.caseload_customers(coach, many),
                success=shown).latest("customers").run_in_background()

    def _open(self, index: QModelIndex) -> None:
        row = self.customers.row_at(index.row())
        if row is not None:
            self.open_customer.emit(row.id)

    def _apply_move(self) -> None:
        move = self.moves.row_at(self.move_table.currentIndex().row())
        if move is None and self.data and self.data.suggestions:
            move = self.data.suggestions[0]
        if move is None:
            return
        text = _("Move {n} customers from {source} to {target}.").format(
            n=format_number(move.count), source=move.from_name, target=move.to_name)
        self._ask(_("Balance caseloads"), text, lambda reason: self.coaching.apply_move(
            move.from_staff_id, move.to_staff_id, move.count, reason),
            _("Balancing caseloads"))

    def _coach_leaves(self) -> None:
        row = self.coaches.row_at(self.coach_table.currentIndex().row())
        if row is None:
            return
        text = _("Move every customer of {name} ({n}) to the other coaches of the team, "
                 "the one with the most room first.").format(name=row.full_name,
                                                           n=format_number(row.active))
        self._ask(_("A coach leaves"), text,
                  lambda reason: self.coaching.reassign_all(row.staff_id, reason),
                  _("The coach leaves"))

    def _ask(self, title: str, text: str, action: Any, default_reason: str) -> None:
        dialog = ReasonDialog(title, text, default_reason, self)

        def submit() -> None:
            reason = dialog.reason.text()
            WriteOp(self.runner, dialog, lambda: action(reason),
                    success=lambda _r: dialog.saved()).run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    def show_error(self, text: str) -> None:
        self.summary.setText("⚠ " + text)

    def retranslate(self) -> None:
        self.heading.setText(_("Caseloads"))
        self.coach_box.setTitle(_("Coaches"))
        self.team_box.setTitle(_("Teams"))
        self.move_box.setTitle(_("Balancing suggestion"))
        self.move_box.setToolTip(_("Moves from coaches above the cap to coaches of the same "
                                   "team with room; nothing moves until you apply it."))
        self.customer_box.setTitle(_("Customers"))
        # Short: a check box does not wrap, and the long sentence held the customers'
        # column wide at 150 % text (its accessible name and tooltip say it whole).
        self.many_only.setText(_("Only &3+ barriers"))
        self.many_only.setToolTip(_("Only customers with three or more barriers"))
        self.many_only.setAccessibleName(_("Only customers with three or more barriers"))
        self.leave_button.setText(_("A coach &leaves…"))
        self.leave_button.setIcon(icon("mdi6.account-arrow-right", self))
        self.leave_button.setAccessibleName(_("Move every customer of the selected coach"))
        self.apply_button.setText(_("&Apply the selected move…"))
        self.apply_button.setAccessibleName(_("Apply the selected move"))
        self.coach_table.setAccessibleName(_("Coaches and their caseloads"))
        self.team_table.setAccessibleName(_("Teams"))
        self.move_table.setAccessibleName(_("Balancing suggestion"))
        self.customer_table.setAccessibleName(_("Customers of the selected coach"))
        for model in (self.coaches, self.teams, self.moves, self.customers):
            model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
