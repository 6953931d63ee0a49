"""The card's "Decisions" tab: the customer's pay subsidies, work and training trials and
start-up grants (replaced and ended ones kept in the list), and their actions: draft,
edit a draft, decide (decision.decide holders only), end early, replace, print or save
the decision letter. Coaches, team leads and administrators: the desk's card has no
such tab (and the service refuses it anyway)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.decisions import CustomerDecisions, DecisionLetter, DecisionRow
from app.i18n import N_, _, format_date, ngettext
from app.rules import decisions as rules
from app.rules.codes import DecisionKind, DecisionStatus
from app.rules.permissions import Permission, allowed
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.registry import Services
from app.views import file_dialogs, style
from app.views.common import icon, label, list_table
from app.views.customers.decision_dialogs import DecisionDialog, EndDecisionDialog
from app.views.operations import QueryOp, WriteOp, drop_pending, error_message, refresh_on_change
from app.views.pdf_printer import print_pdf
from app.views.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (N_("Kind"), N_("Status"), N_("Period"), N_("Employer or organiser"),
           N_("Hours / %"), N_("Amount"), N_("Paid by"), N_("Decided"))


def code_label(enum: Any, code: str) -> str:
    try:
        return label(enum(code))
    except ValueError:
        return code


def period_text(row: DecisionRow) -> str:
    return f"{format_date(row.starts_on)} – {format_date(row.ends_on)}"


def extent_text(row: DecisionRow) -> str:
    parts = []
    if row.hours_per_week is not None:
        parts.append(_("{hours} h/week").format(hours=rules.format_hours(row.hours_per_week)))
    if row.percentage is not None:
        parts.append(f"{row.percentage} %")
    return ", ".join(parts)


class DecisionTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[DecisionRow] = []

    def set_rows(self, rows: list[DecisionRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return code_label(DecisionKind, row.kind)
        if column == 1:
            return code_label(DecisionStatus, row.status)
        if column == 2:
            return period_text(row)
        if column == 3:
            return row.employer_name
        if column == 4:
            return extent_text(row)
        if column == 5:
            return rules.format_euros(row.amount_cents)
        if column == 6:
            return row.paying_municipality
        return format_date(row.decided_on) if row.decided_on else ""


class DecisionsSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_decisions")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.state = QLabel()
        self.state.setObjectName("decisions_state")
        self.state.setWordWrap(True)
        style.secondary(self.state)
        layout.addWidget(self.state)
        self.model = DecisionTableModel(self)
        self.table = list_table("decisions_table", self.model)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.table, 1)
        self.details = QLabel()
        self.details.setObjectName("decision_details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        self.message = QLabel()
        self.message.setObjectName("decisions_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        # Two rows of buttons: at 150 % text none is cut off on an 800-pixel card.
        buttons = QGridLayout()
        self.draft_button = QPushButton()
        self.draft_button.setObjectName("decision_draft")
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("decision_edit")
        self.decide_button = QPushButton()
        self.decide_button.setObjectName("decision_decide")
        self.end_button = QPushButton()
        self.end_button.setObjectName("decision_end")
        self.replace_button = QPushButton()
        self.replace_button.setObjectName("decision_replace")
        self.print_button = QPushButton()
        self.print_button.setObjectName("decision_print")
        self.save_button = QPushButton()
        self.save_button.setObjectName("decision_save_pdf")
        for i, button in enumerate((self.draft_button, self.edit_button, self.decide_button,
                                    self.end_button)):
            buttons.addWidget(button, 0, i)
        for i, button in enumerate((self.replace_button, self.print_button,
                                    self.save_button)):
            buttons.addWidget(button, 1, i)
        buttons.setColumnStretch(4, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._selection)
        self.table.doubleClicked.connect(lambda _i: self.edit_button.click())
        self.state_message = ""
        self.data: CustomerDecisions | None = None
        self.may_decide_role = False
        self.retranslate()
        self._selection()

    def retranslate(self) -> None:
        self.table.setAccessibleName(_("Decisions"))
        self.details.setAccessibleName(_("The chosen decision"))
        for button, text, name, glyph in (
                (self.draft_button, _("&Draft a decision…"), _("Draft a decision"),
                 "mdi6.file-document-plus"),
                (self.edit_button, _("Edit dra&ft…"), _("Edit the chosen draft"),
                 "mdi6.file-document-edit"),
                (self.decide_button, _("Dec&ide"), _("Decide the chosen draft"),
                 "mdi6.gavel"),
                (self.end_button, _("End ear&ly…"), _("End the chosen decision early"),
                 "mdi6.stop-circle-outline"),
                (self.replace_button, _("Repl&ace…"),
                 _("Replace the chosen decision with a new draft"), "mdi6.file-replace"),
                (self.print_button, _("Print decision le&tter…"),
                 _("Print the decision letter"), "mdi6.printer"),
                (self.save_button, _("Sa&ve as PDF…"),
                 _("Save the decision letter as PDF"), "mdi6.file-pdf-box")):
            button.setText(text)
            button.setAccessibleName(name)
            button.setIcon(icon(glyph, self))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.model.layoutChanged.emit()
        self.set_state(self.state_message)
        self._selection()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_state(self, message: str) -> None:
        """A message id (translated here, so it follows a change of language)."""
        self.state_message = message
        self.state.setText(_(message) if message else "")
        self.state.setVisible(bool(message))

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_error(self, text: str) -> None:
        """Where a failed write on this tab says why (operations finds it by name)."""
        self.say("⚠ " + text if text else "")

    def show_decisions(self, data: CustomerDecisions | None,
                       keep: str | None = None) -> None:
        chosen = self.chosen()
        keep = keep or (chosen.id if chosen else None)
        self.data = data
        self.model.set_rows(data.rows if data is not None else [])
        if data is not None and not data.rows:
            self.set_state(N_("No decisions yet."))
        elif data is not None and not data.writable:
            self.set_state(N_("You can read these decisions: the customer's own coach "
                              "drafts them."))
        else:
            self.set_state("")
        self.draft_button.setEnabled(data is not None and data.writable)
        # Deciding is shown only to those who may decide.
        self.decide_button.setVisible(self.may_decide_role)
        self.end_button.setVisible(self.may_decide_role)
        if self.model.rows:
            ids = [r.id for r in self.model.rows]
            self.table.selectRow(ids.index(keep) if keep in ids else 0)
        self._selection()

    def chosen(self) -> DecisionRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _selection(self, *_args: object) -> None:
        row = self.chosen()
        data = self.data
        writable = data is not None and data.writable
        decide = data is not None and data.may_decide
        status = row.status if row is not None else None
        self.edit_button.setEnabled(writable and status == DecisionStatus.DRAFT)
        self.decide_button.setEnabled(decide and status == DecisionStatus.DRAFT)
        self.end_button.setEnabled(decide and status == DecisionStatus.DECIDED)
        self.replace_button.setEnabled(writable and status == DecisionStatus.DECIDED)
        self.print_button.setEnabled(row is not None)
        self.save_button.setEnabled(row is not None)
        self.details.setText(self._details(row) if row is not None else "")
        self.details.setVisible(row is not None)

    def _details(self, row: DecisionRow) -> str:
        lines = []
        employer = row.employer_name + (f" ({row.employer_business_id})"
                                        if row.employer_business_id else "")
        lines.append(f"{code_label(DecisionKind, row.kind)}: {employer}, {period_text(row)}")
        if row.drafted_by_name:
            lines.append(_("Drafted by {name}").format(name=row.drafted_by_name))
        if row.decided_on:
            lines.append(_("Decided on {day} by {name}").format(
                day=format_date(row.decided_on), name=row.decided_by_name or "–"))
        if row.ended_on:
            lines.append(_("Ended early on {day}: {reason}").format(
                day=format_date(row.ended_on), reason=row.end_reason or ""))
        by_id = {r.id: r for r in self.model.rows}
        if row.replaced_by_id:
            other = by_id.get(row.replaced_by_id)
            lines.append(_("Replaced by the decision of {day}").format(
                day=format_date(other.decided_on) if other and other.decided_on else "–"))
        if row.replaces_id:
            other = by_id.get(row.replaces_id)
            lines.append(_("Replaces the decision of {day}").format(
                day=format_date(other.decided_on) if other and other.decided_on else "–"))
        if row.note:
            lines.append(row.note)
        return "\n".join(lines)


class DecisionsController:
    """Loads the open customer's decisions and runs the tab's actions."""

    def __init__(self, section: DecisionsSection, services: Services, runner: TaskRunner,
                 parent: QWidget, tab_visible: Callable[[bool], None]) -> None:
        self.section, self.services, self.runner = section, services, runner
        self.parent, self.tab_visible = parent, tab_visible
        self.customer_id: str | None = None
        self.keep_next: str | None = None  # the decision to choose when rows arrive
        self.may_read = False
        self.dialog: DecisionDialog | EndDecisionDialog | None = None
        section.draft_button.clicked.connect(self.draft)
        section.edit_button.clicked.connect(self.edit)
        section.decide_button.clicked.connect(self.decide)
        section.end_button.clicked.connect(self.end_early)
        section.replace_button.clicked.connect(self.replace)
        section.print_button.clicked.connect(self.print_letter)
        section.save_button.clicked.connect(self.save_letter)
        refresh_on_change(runner, section, {"support_decision"}, self._changed)

    def set_role(self, role: Any) -> None:
        self.may_read = role is not None and allowed(role, Permission.PLAN_READ)
        self.section.may_decide_role = role is not None and allowed(
            role, Permission.DECISION_DECIDE)
        self.tab_visible(self.may_read)
        if not self.may_read:
            self.section.show_decisions(None)

    def load(self, customer_id: str, keep: str | None = None) -> None:
        same = customer_id == self.customer_id
        self.customer_id = customer_id
        if not self.may_read:
            return
        # The decision just written (else the one chosen) stays chosen, also when a later
        # reload (the card's, after any write) supersedes this one before it arrives.
        chosen = self.section.chosen() if same else None
        if keep is not None or self.keep_next is None:
            self.keep_next = keep or (chosen.id if chosen is not None else None)

        def loaded(data: CustomerDecisions) -> None:
            if self.customer_id == customer_id:
                self.section.show_decisions(data, self.keep_next)
                self.keep_next = None

        def refused(exc: PermissionDenied) -> None:
            if self.customer_id == customer_id:
                self.section.show_decisions(None)
                self.section.set_state(error_message(exc))

        if not same:
            self.section.show_decisions(None)
            self.section.say("")
        QueryOp(self.runner, self.parent,
                lambda: self.services.decisions.list_for_customer(customer_id),
                success=loaded).on(PermissionDenied, refused).latest("decisions") \
            .run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            chosen = self.section.chosen()
            self.load(self.customer_id, chosen.id if chosen else "")

    def forget(self) -> None:
        drop_pending(self.parent, "decisions")
        self.customer_id = None
        self.keep_next = None
        self.section.show_decisions(None)
        self.section.say("")

    # --- drafting ---------------------------------------------------------------------

    def _open_form(self, row: DecisionRow | None, save: Callable[[Any], DecisionRow],
                   replacing: bool = False) -> None:
        data = self.section.data
        if data is None:
            return
        dialog = DecisionDialog(row.as_input() if row is not None else None,
                                data.municipalities, data.home_municipality, self.parent,
                                replacing=replacing, employers=data.employers)

        def submit() -> None:
            fields, errors = dialog.value()
            if errors:
                dialog.show_field_errors(errors)
                return
            WriteOp(self.runner, dialog, lambda: save(fields),
                    success=lambda saved: self._saved(dialog, saved)) \
                .on(ValidationFailed, dialog.show_invalid).run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    def _saved(self, dialog: DecisionDialog, saved: DecisionRow) -> None:
        dialog.saved()
        if self.customer_id is not None:
            self.load(self.customer_id, saved.id)

    def draft(self) -> None:
        customer_id = self.customer_id
        if customer_id is None or not self.section.draft_button.isEnabled():
            return
        self._open_form(None, lambda f: self.services.decisions.draft(customer_id, f))

    def edit(self) -> None:
        row = self.section.chosen()
        if row is None or not self.section.edit_button.isEnabled():
            return
        self._open_form(row, lambda f: self.services.decisions.edit(row.id, f))

    def replace(self) -> None:
        """A new draft copying the chosen decision, opened for editing at once."""
        row = self.section.chosen()
        if row is None or not self.section.replace_button.isEnabled():
            return

        def made(draft: DecisionRow) -> None:
            if self.customer_id is not None:
                self.load(self.customer_id, draft.id)
            self.section.say(_("A new draft replaces the decision once it is decided; "
                               "until then the decision stays in force."))
            self._open_form(draft, lambda f: self.services.decisions.edit(draft.id, f),
                            replacing=True)

        WriteOp(self.runner, self.section, lambda: self.services.decisions.replace(row.id),
                success=made).run_in_background()

    # --- deciding ---------------------------------------------------------------------

    def decide(self) -> None:
        row = self.section.chosen()
        if row is None or not self.section.decide_button.isEnabled():
            return
        question = _("Decide this {kind} for {employer}? A decided decision is never "
                     "edited: it can only be ended early or replaced.").format(
            kind=code_label(DecisionKind, row.kind).lower(), employer=row.employer_name)
        box = QMessageBox(QMessageBox.Icon.Question, _("Decide"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self.parent)
        box.setObjectName("decision_decide_confirm")
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(result: int) -> None:
            if result != QMessageBox.StandardButton.Yes:
                return
            WriteOp(self.runner, self.section, lambda: self.services.decisions.decide(row.id),
                    success=lambda saved: self._done(saved, _("Decided."))) \
                .on(ValidationFailed, self._not_decidable).run_in_background()

        box.finished.connect(answered)
        self.confirm = box
        box.open()

    def _not_decidable(self, exc: ValidationFailed) -> None:
        """The draft no longer passes the checks (say, its paying municipality has left
        the cost split): name what is wrong, to be fixed by editing the draft."""
        problems = "; ".join(_(message) for message in exc.errors.values())
        self.section.say("⚠ " + _("The draft cannot be decided: {problems} Edit the draft "
                                  "first.").format(problems=problems))

    def _done(self, saved: DecisionRow, message: str) -> None:
        self.section.say(message)
        if self.customer_id is not None:
            self.load(self.customer_id, saved.id)

    def end_early(self) -> None:
        row = self.section.chosen()
        if row is None or not self.section.end_button.isEnabled():
            return
        dialog = EndDecisionDialog(self.services.session.today(), self.parent)

        def submit() -> None:
            on, reason, errors = dialog.value()
            if errors:
                dialog.show_field_errors(errors)
                return
            def ended(saved: DecisionRow) -> None:
                dialog.saved()
                self._done(saved, _("Ended early."))

            WriteOp(self.runner, dialog,
                    lambda: self.services.decisions.end_early(row.id, on, reason),
                    success=ended).on(ValidationFailed, dialog.show_invalid) \
                .run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    # --- the letter -------------------------------------------------------------------

    def _failed(self, text: str) -> None:
        self.section.say("⚠ " + _("The letter could not be made: {error}").format(error=text))

    def _written(self, letter: DecisionLetter, path: Path) -> Path:
        path.write_bytes(self.services.decisions.render(letter))
        return path

    def save_letter(self) -> None:
        row = self.section.chosen()
        if row is None:
            return

        def ask(letter: DecisionLetter) -> None:
            name = file_dialogs.file_name(letter.customer_name, _("Decision"),
                                          day=letter.decision.decided_on or letter.printed_on,
                                          suffix="pdf")
            path = file_dialogs.ask_save_path(
                self.parent, _("Save the decision letter as PDF"), name,
                _("PDF documents (*.pdf)"))
            if path is None:
                self.section.say("")
                return
            self.section.say(_("Preparing the decision letter…"))
            QueryOp(self.runner, self.parent, lambda: self._written(letter, path),
                    success=lambda p: self.section.say(_("Saved as {path}").format(path=p))) \
                .errors_to(self._failed).in_io_pool().run_in_background()

        self.section.say(_("Preparing the decision letter…"))
        QueryOp(self.runner, self.parent,
                lambda: self.services.decisions.letter(row.id, purpose="save"),
                success=ask).errors_to(self._failed).run_in_background()

    def print_letter(self) -> None:
        row = self.section.chosen()
        if row is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self.parent).exec() != QPrintDialog.DialogCode.Accepted:
            return
        folder = Path(tempfile.mkdtemp(prefix="decision-"))

        def sent(pages: int) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.section.say(ngettext("Sent {n} page to the printer.",
                                      "Sent {n} pages to the printer.", pages).format(n=pages))

        def failed(text: str) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.section.say("⚠ " + _("Printing failed: {error}").format(error=text))

        def render(letter: DecisionLetter) -> None:
            path = folder / "decision.pdf"

            def work() -> int:
                self._written(letter, path)
                return print_pdf(path, printer)

            QueryOp(self.runner, self.parent, work, success=sent).errors_to(failed) \
                .in_io_pool().run_in_background()

        self.section.say(_("Preparing the decision letter…"))
        QueryOp(self.runner, self.parent,
                lambda: self.services.decisions.letter(row.id, purpose="print"),
                success=render).errors_to(failed).run_in_background()
