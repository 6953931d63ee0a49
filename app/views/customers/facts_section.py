"""The card's "Work ability and benefit": the facts the statutory rules count from, and
"Edit facts…". Coaches, team leads and administrators only (`case.facts`): the desk's
card has no such section, and the service refuses it anyway."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.case_work import CaseFactsInfo, UnemploymentPeriodRow
from app.i18n import _, format_date, format_number, ngettext
from app.rules.codes import BenefitType
from app.rules.permissions import Permission, allowed
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.registry import Services
from app.views import style
from app.views.common import icon, label
from app.views.customers.case_dialogs import FactsDialog, PeriodDialog
from app.views.operations import (
    QueryOp,
    WriteOp,
    drop_pending,
    error_message,
    refresh_on_change,
)
from app.views.tasks import TaskRunner


def fact_rows(info: CaseFactsInfo) -> list[tuple[str, str]]:
    """(caption, value) of each fact, in the UI language."""
    f = info.facts
    ability = _("yes") if f.partial_work_ability else _("no")
    if f.partial_work_ability and f.work_ability_since:
        ability += ", " + _("from {date}").format(date=format_date(f.work_ability_since))
    basis = [(_("Basis"), f.work_ability_basis)] \
        if f.partial_work_ability and f.work_ability_basis else []
    subsidy = "–"
    if f.subsidy_days is not None and f.subsidy_days_on is not None:
        subsidy = ngettext("{n} day as of {date}", "{n} days as of {date}",
                           f.subsidy_days).format(n=format_number(f.subsidy_days),
                                                  date=format_date(f.subsidy_days_on))
    return [
        (_("Partial work ability"), ability),
        *basis,
        (_("Benefit"), label(BenefitType(f.benefit)) if f.benefit else _("Not known")),
        (_("First benefit day"), format_date(f.first_benefit_on) or _("Not known")),
        (_("Labour-market subsidy days received"), subsidy),
        (_("Maximum allowance period ended"), format_date(f.allowance_exhausted_on) or "–"),
    ]


def period_text(period: UnemploymentPeriodRow) -> str:
    return (f"{format_date(period.starts_on)} – {format_date(period.ends_on)}  ·  "
            f"{label(BenefitType(period.benefit))}")


class CaseFactsSection(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_case_facts")
        self.info: CaseFactsInfo | None = None
        self.message = ""
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        outer.addLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        outer.addLayout(buttons)
        # Periods of unemployment (the activation clock counts subsidy periods).
        self.periods_title = QLabel()
        self.periods = QListWidget()
        self.periods.setObjectName("unemployment_periods")
        self.periods_title.setBuddy(self.periods)
        self.periods.setMaximumHeight(self.periods.fontMetrics().lineSpacing() * 4 + 12)
        outer.addWidget(self.periods_title)
        outer.addWidget(self.periods)
        period_buttons = QHBoxLayout()
        period_buttons.addStretch(1)
        self.add_period = QPushButton()
        self.add_period.setObjectName("unemployment_period_add")
        self.end_period = QPushButton()
        self.end_period.setObjectName("unemployment_period_end")
        self.remove_period = QPushButton()
        self.remove_period.setObjectName("unemployment_period_remove")
        for button in (self.add_period, self.end_period, self.remove_period):
            period_buttons.addWidget(button)
        outer.addLayout(period_buttons)
        outer.addStretch(1)
        self.periods.currentRowChanged.connect(lambda _row: self._enable())
        self.state: QLabel | None = None  # a message instead of the facts (remade)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("case_facts_edit")
        buttons.addWidget(self.edit_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Work ability and benefit"))
        self.edit_button.setText(_("Edit &facts…"))
        self.edit_button.setIcon(icon("mdi6.clipboard-edit", self))
        self.edit_button.setAccessibleName(_("Edit work ability and benefit facts"))
        self.periods_title.setText(_("Periods of &unemployment"))
        self.periods.setAccessibleName(_("Periods of unemployment"))
        self.add_period.setText(_("Add period…"))
        self.add_period.setAccessibleName(_("Add a period of unemployment"))
        self.end_period.setText(_("End period…"))
        self.end_period.setAccessibleName(_("End the chosen period of unemployment"))
        self.remove_period.setText(_("Remove period"))
        self.remove_period.setAccessibleName(_("Remove the chosen period of unemployment"))
        self.show_facts(self.info, self.message)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_facts(self, info: CaseFactsInfo | None, message: str = "") -> None:
        """The facts (None: nothing to show) or a message id instead of them."""
        self.info, self.message = info, message
        while self.form.rowCount():
            self.form.removeRow(0)
        self.state = None
        if message:  # removing the rows deleted the previous label
            self.state = style.secondary(QLabel(_(message)))
            self.state.setObjectName("case_facts_state")
            self.state.setWordWrap(True)
            self.form.addRow(self.state)
        for caption, value in fact_rows(info) if info is not None else []:
            shown = QLabel(value)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(QLabel(caption + ":"), shown)
        chosen = self.periods.currentRow()
        self.periods.clear()
        for period in info.periods if info is not None else []:
            self.periods.addItem(period_text(period))
        if 0 <= chosen < self.periods.count():
            self.periods.setCurrentRow(chosen)
        self._enable()

    def chosen_period(self) -> UnemploymentPeriodRow | None:
        row = self.periods.currentRow()
        if self.info is None or not 0 <= row < len(self.info.periods):
            return None
        return self.info.periods[row]

    def _enable(self) -> None:
        writable = self.info is not None and self.info.writable
        self.edit_button.setEnabled(writable)
        self.add_period.setEnabled(writable)
        period = self.chosen_period()
        self.end_period.setEnabled(writable and period is not None and period.ends_on is None)
        self.remove_period.setEnabled(writable and period is not None)


class CaseFactsController:
    def __init__(self, section: CaseFactsSection, services: Services, runner: TaskRunner,
                 parent: QWidget) -> None:
        self.section, self.services, self.runner, self.parent = section, services, runner, parent
        self.customer_id: str | None = None
        self.may_read = False
        self.dialog: FactsDialog | PeriodDialog | None = None
        section.edit_button.clicked.connect(self.edit)
        section.add_period.clicked.connect(lambda: self.period(ending=False))
        section.end_period.clicked.connect(lambda: self.period(ending=True))
        section.remove_period.clicked.connect(self.remove_period)
        refresh_on_change(runner, section, {"case_facts", "unemployment_period"},
                          self._changed)

    def set_role(self, role: Any) -> None:
        self.may_read = role is not None and allowed(role, Permission.CASE_FACTS)
        if not self.may_read:
            self.section.show_facts(None)

    def load(self, customer_id: str) -> None:
        self.customer_id = customer_id
        if not self.may_read:
            return

        def loaded(info: CaseFactsInfo) -> None:
            if self.customer_id == customer_id:
                self.section.show_facts(info)

        def refused(exc: PermissionDenied) -> None:
            if self.customer_id == customer_id:
                self.section.show_facts(None, error_message(exc))

        self.section.show_facts(None)
        QueryOp(self.runner, self.parent, lambda: self.services.case_facts.get(customer_id),
                success=loaded).on(PermissionDenied, refused).latest("case_facts") \
            .run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)

    def forget(self) -> None:
        drop_pending(self.parent, "case_facts")
        self.customer_id = None
        self.section.show_facts(None)

    def edit(self) -> None:
        info, customer_id = self.section.info, self.customer_id
        if info is None or customer_id is None or not info.writable:
            return
        dialog = FactsDialog(info.facts, self.parent)

        def submit() -> None:
            facts, errors = dialog.value()
            if errors:
                dialog.show_field_errors(errors)
                return
            WriteOp(self.runner, dialog,
                    lambda: self.services.case_facts.save(customer_id, facts),
                    success=lambda _info: dialog.saved()) \
                .on(ValidationFailed, dialog.show_invalid).run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()


    def period(self, ending: bool) -> None:
        customer_id, chosen = self.customer_id, self.section.chosen_period()
        if customer_id is None or (ending and chosen is None):
            return
        dialog = PeriodDialog(ending, self.parent)
        facts = self.services.case_facts

        def submit() -> None:
            starts_on, ends_on, benefit, errors = dialog.value()
            if errors:
                dialog.show_field_errors(errors)
                return
            if ending and chosen is not None and ends_on is not None:
                period_id, end = chosen.id, ends_on
                op = lambda: facts.end_period(period_id, end)  # noqa: E731
            else:
                op = lambda: facts.add_period(  # noqa: E731
                    customer_id, starts_on, ends_on, benefit)
            WriteOp(self.runner, dialog, op, success=lambda _row: dialog.saved()) \
                .on(ValidationFailed, lambda exc: dialog.show_field_errors(exc.errors)) \
                .run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    def remove_period(self) -> None:
        chosen = self.section.chosen_period()
        if chosen is None:
            return
        answer = QMessageBox.question(
            self.parent, _("Remove period"),
            _("Remove the period {period}? Only a period entered by mistake is removed; "
              "end a period that ended.").format(period=period_text(chosen)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            WriteOp(self.runner, self.parent,
                    lambda: self.services.case_facts.remove_period(chosen.id)) \
                .run_in_background()
