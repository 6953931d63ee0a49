"""The customer card's job tips (#22): the vacancies the customer was proposed for, by
whom and when, how each went, and what was shared with the employer. Case work: coaches,
team leads and administrators (plan.read); the desk's card has no such tab."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.dto.employers import ProposalRow
from app.i18n import N_, _, format_number, ngettext
from app.rules.codes import ProposalOutcome
from app.rules.employers import SETTLED
from app.rules.permissions import Permission, allowed
from app.services.errors import PermissionDenied
from app.views import style
from app.views.common import ColumnFitter, list_table
from app.views.employers.texts import code_label, day
from app.views.operations import QueryOp, drop_pending, error_message, refresh_on_change
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.registry import Services


def _cells(row: ProposalRow) -> list[str]:
    outcome = code_label(row.outcome)
    if row.outcome_on and row.outcome != ProposalOutcome.PROPOSED:
        outcome += f" {day(row.outcome_on)}"
    return [day(row.proposed_on), row.vacancy_title, row.employer_name, outcome,
            row.proposed_by_name, row.shared]


class JobTipsSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_job_tips")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("job_tips_title")
        style.heading(self.title)
        layout.addWidget(self.title)
        self.state = QLabel()
        self.state.setObjectName("job_tips_state")
        self.state.setWordWrap(True)
        style.secondary(self.state)
        layout.addWidget(self.state)
        self.model = SimpleTableModel(
            (N_("Proposed"), N_("Vacancy"), N_("Employer"), N_("Outcome"), N_("Proposed by"),
             N_("Shared with the employer")), _cells, self)
        self.table = list_table("job_tips_table", self.model)
        ColumnFitter(self.table)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Job tips"))
        self.table.setAccessibleName(_("Job tips"))
        self.model.retranslate()
        self.show_tips(self.model.rows if self.model.rows else None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_tips(self, rows: list[ProposalRow] | None) -> None:
        self.model.set_rows(rows or [])
        # As tall as its tips (up to six; more scroll): the visits above keep the room.
        shown = min(max(len(rows or []), 1), 6)
        line = self.table.fontMetrics().lineSpacing()
        self.table.setMaximumHeight(line * (2 * shown + 3))
        self.setMaximumHeight(line * (2 * shown + 9))
        if rows is None:
            self.state.setText("")
            return
        if not rows:
            self.state.setText(_("No job tips yet: the customer has not been proposed for a "
                                 "vacancy."))
            return
        open_ = sum(1 for r in rows if r.outcome not in SETTLED)
        self.state.setText(
            ngettext("{n} job tip", "{n} job tips", len(rows)).format(n=format_number(len(rows)))
            + "  ·  " + ngettext("{n} still open", "{n} still open", open_).format(
                n=format_number(open_)))
        self.table.selectRow(0)


class JobTipsController:
    """Loads the open customer's job tips (VacanciesService.proposals_of); the card shows
    the tab (`show_tab`) only when the customer has some: the card's tabs stay few."""

    def __init__(self, section: JobTipsSection, services: Services, runner: TaskRunner,
                 parent: QWidget, show_tab: Callable[[bool], None]) -> None:
        self.section, self.services, self.runner, self.parent = section, services, runner, parent
        self.show_tab = show_tab
        self.customer_id: str | None = None
        self.may_read = False
        refresh_on_change(runner, section, {"job_proposal", "vacancy"}, self._changed)

    def set_role(self, role: Any) -> None:
        self.may_read = role is not None and allowed(role, Permission.PLAN_READ)
        if not self.may_read:
            self.section.show_tips(None)
            self.show_tab(False)

    def load(self, customer_id: str) -> None:
        if customer_id != self.customer_id:
            self.section.show_tips(None)
            self.show_tab(False)
        self.customer_id = customer_id
        if not self.may_read:
            return

        def loaded(rows: list[ProposalRow]) -> None:
            if self.customer_id == customer_id:
                self.section.show_tips(rows)
                self.show_tab(bool(rows))

        def refused(exc: PermissionDenied) -> None:
            if self.customer_id == customer_id:
                self.section.show_tips(None)
                self.section.state.setText(error_message(exc))

        QueryOp(self.runner, self.parent,
                lambda: self.services.vacancies.proposals_of(customer_id), success=loaded) \
            .on(PermissionDenied, refused).latest("job_tips") \
            .errors_to(self.section.state.setText).run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)

    def forget(self) -> None:
        drop_pending(self.parent, "job_tips")
        self.customer_id = None
        self.section.show_tips(None)
        self.show_tab(False)
