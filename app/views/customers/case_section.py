"""The case on the customer card: open since or closed on (with the reason), the
job-search periods newest first, and "Close case…" / "Reopen case…" for those who may
(coaches, team leads, administrators; the desk sees the status only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.dto.customers import CaseSummary, PeriodRow
from app.i18n import N_, _, format_date
from app.rules.codes import LABELS, CaseExitReason
from app.rules.permissions import Permission, allowed
from app.services.errors import ValidationFailed
from app.services.registry import Services
from app.views import style
from app.views.common import icon
from app.views.customers.case_dialog import CloseCaseDialog, ReopenCaseDialog
from app.views.operations import QueryOp, WriteOp, drop_pending, refresh_on_change
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

PERIOD_COLUMNS = (N_("Began"), N_("Ended"), N_("Reason"), N_("Outcome note"))


def reason_label(code: str | None) -> str:
    return _(LABELS[CaseExitReason(code)]) if code else ""


def status_text(case: CaseSummary) -> str:
    if case.closed_on is None:
        return _("Case open since {date}").format(date=format_date(case.opened_on))
    return _("Case closed on {date} ({reason})").format(
        date=format_date(case.closed_on), reason=reason_label(case.reason))


def _cells(row: PeriodRow) -> tuple[str, str, str, str]:
    return (format_date(row.opened_on), format_date(row.closed_on) or _("open"),
            reason_label(row.reason), row.outcome_note)


class CaseStrip(QWidget):
    """The case's status with its actions: a line of the card's header."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_case")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel()
        self.status.setObjectName("customer_case_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_case = QPushButton()
        self.close_case.setObjectName("customer_close_case")
        self.reopen_case = QPushButton()
        self.reopen_case.setObjectName("customer_reopen_case")
        row.addWidget(self.status, 1)
        row.addWidget(self.close_case)
        row.addWidget(self.reopen_case)
        self.close_case.hide()
        self.reopen_case.hide()
        self.language_changed: Callable[[], None] | None = None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.language_changed is not None:
            self.language_changed()
        super().changeEvent(event)


class CaseHistory(QWidget):
    """The job-search periods, newest first: a tab of the card."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_case_history")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.title = QLabel()
        style.heading(self.title)
        layout.addWidget(self.title)
        self.model = SimpleTableModel(PERIOD_COLUMNS, _cells, self)
        self.table = QTableView()
        self.table.setObjectName("customer_periods")
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)


class CaseSection:
    """The strip and the history of one card, shown and retranslated together."""

    def __init__(self) -> None:
        self.strip = CaseStrip()
        self.history = CaseHistory()
        self.case: CaseSummary | None = None
        self.may_close = False
        self.strip.language_changed = self.retranslate
        self.retranslate()

    def retranslate(self) -> None:
        s = self.strip
        s.close_case.setText(_("&Close case…"))
        s.close_case.setIcon(icon("mdi6.briefcase-check", s))
        s.close_case.setAccessibleName(_("Close the case"))
        s.reopen_case.setText(_("Re&open case…"))
        s.reopen_case.setIcon(icon("mdi6.briefcase-arrow-left-right", s))
        s.reopen_case.setAccessibleName(_("Reopen the case"))
        self.history.title.setText(_("Job-search periods, newest first"))
        self.history.table.setAccessibleName(_("Job-search periods"))
        self.history.model.retranslate()
        if self.case is not None:
            self.show(self.case)

    def set_role(self, role: Any) -> None:
        self.may_close = role is not None and allowed(role, Permission.CASE_CLOSE)
        self._buttons()

    def show(self, case: CaseSummary) -> None:
        self.case = case
        closed = case.closed_on is not None
        style.set_status(self.strip.status, style.INFO if closed else None, status_text(case))
        self.strip.status.setAccessibleName(status_text(case))
        self.history.model.set_rows(case.periods)
        self._buttons()

    def forget(self) -> None:
        self.case = None
        self.strip.status.clear()
        self.history.model.set_rows([])
        self._buttons()

    def _buttons(self) -> None:
        case = self.case
        self.strip.close_case.setVisible(self.may_close and case is not None
                                         and case.closed_on is None)
        self.strip.reopen_case.setVisible(self.may_close and case is not None
                                          and case.closed_on is not None)


class CaseController:
    """Loads the case of the open customer, closes and reopens it off the GUI thread."""

    def __init__(self, section: CaseSection, services: Services, runner: TaskRunner,
                 parent: QWidget, reload_card: Callable[[str], None]) -> None:
        self.section, self.services, self.runner = section, services, runner
        self.parent, self.reload_card = parent, reload_card
        self.customer_id: str | None = None
        self.dialog: CloseCaseDialog | ReopenCaseDialog | None = None
        section.strip.close_case.clicked.connect(self.close_case)
        section.strip.reopen_case.clicked.connect(self.reopen_case)
        refresh_on_change(runner, section.strip, {"job_search_period"}, self._changed)

    def set_role(self, role: Any) -> None:
        self.section.set_role(role)

    def load(self, customer_id: str) -> None:
        if customer_id != self.customer_id:
            self.section.forget()
        self.customer_id = customer_id

        def shown(case: CaseSummary) -> None:
            if self.customer_id == customer_id:
                self.section.show(case)

        QueryOp(self.runner, self.parent,
                lambda: self.services.case_periods.periods(customer_id), success=shown) \
            .latest("case").run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)

    def forget(self) -> None:
        drop_pending(self.parent, "case")
        self.customer_id = None
        self.section.forget()

    def _today(self) -> date:
        return self.services.session.today()

    def close_case(self) -> None:
        case, customer_id = self.section.case, self.customer_id
        if case is None or customer_id is None or case.closed_on is not None:
            return
        dialog = CloseCaseDialog(self._today(), case.coach_name, self.parent)

        def submit() -> None:
            on, reason, note, coach = dialog.value()
            WriteOp(self.runner, dialog, lambda: self.services.case_periods.close(
                customer_id, on, reason, note, coach, case.revision),
                success=lambda _case: self._saved(dialog, customer_id)) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    def reopen_case(self) -> None:
        case, customer_id = self.section.case, self.customer_id
        if case is None or customer_id is None or case.closed_on is None:
            return
        dialog = ReopenCaseDialog(self._today(), self.parent)

        def submit() -> None:
            on = dialog.value()
            WriteOp(self.runner, dialog, lambda: self.services.case_periods.reopen(
                customer_id, on, case.revision),
                success=lambda _case: self._saved(dialog, customer_id)) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    def _saved(self, dialog: CloseCaseDialog | ReopenCaseDialog, customer_id: str) -> None:
        dialog.saved()
        self.reload_card(customer_id)  # the coach may have changed: the whole card again
