"""The card's referrals tab (#20): the customer's referrals to purchased services
(service, provider, state, dates), "Refer to a service…", the next steps of the chosen
referral, and its letters. Coaches, team leads and administrators only: the desk's card
has no such tab (and the service refuses it anyway)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.referrals import CustomerReferrals, ReferralRow
from app.i18n import N_, _, format_date, ngettext
from app.rules.codes import ReferralState
from app.rules.permissions import Permission, allowed
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.referrals import PlacesFull
from app.services.registry import Services
from app.views import file_dialogs, style
from app.views.common import icon, list_table
from app.views.customers.referral_dialogs import (
    STEP_TEXT,
    ReferDialog,
    StepDialog,
    full_text,
    places_text,
    reason_label,
    service_label,
    state_label,
)
from app.views.operations import (
    QueryOp,
    WriteOp,
    drop_pending,
    error_message,
    refresh_on_change,
)
from app.views.pdf_printer import print_pdf
from app.views.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (N_("Service"), N_("Provider"), N_("State"), N_("Proposed"), N_("Sent"),
           N_("Started"), N_("Ended"), N_("Reason"))
STEPS = (ReferralState.SENT, ReferralState.ACCEPTED, ReferralState.DECLINED,
         ReferralState.STARTED, ReferralState.INTERRUPTED, ReferralState.COMPLETED)


class ReferralTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ReferralRow] = []

    def set_rows(self, rows: list[ReferralRow]) -> None:
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
        r = self.rows[index.row()]
        return (service_label(r.service), r.provider_name, state_label(r.state),
                format_date(r.proposed_on), format_date(r.sent_on),
                format_date(r.started_on), format_date(r.ended_on),
                reason_label(r.end_reason))[index.column()]


class ReferralsSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_referrals")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.state = QLabel()
        self.state.setObjectName("referrals_state")
        self.state.setWordWrap(True)
        style.secondary(self.state)
        layout.addWidget(self.state)
        self.model = ReferralTableModel(self)
        self.table = list_table("referrals_table", self.model)
        self.table.setWordWrap(False)
        layout.addWidget(self.table, 1)
        self.details = QLabel()
        self.details.setObjectName("referral_details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        self.message = QLabel()
        self.message.setObjectName("referrals_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.refer_button = QPushButton()
        self.refer_button.setObjectName("referral_refer")
        buttons.addWidget(self.refer_button)
        buttons.addStretch(1)
        self.step_buttons: dict[ReferralState, QPushButton] = {}
        for step in STEPS:
            button = QPushButton()
            button.setObjectName(f"referral_step_{step.value}")
            self.step_buttons[step] = button
            buttons.addWidget(button)
        layout.addLayout(buttons)
        letters = QHBoxLayout()
        letters.addStretch(1)
        self.print_button = QPushButton()
        self.print_button.setObjectName("referral_print")
        self.save_button = QPushButton()
        self.save_button.setObjectName("referral_save_pdf")
        letters.addWidget(self.print_button)
        letters.addWidget(self.save_button)
        layout.addLayout(letters)
        self.table.selectionModel().selectionChanged.connect(self._selection)
        self.state_message = ""
        self.writable = False
        self.retranslate()
        self._selection()

    def retranslate(self) -> None:
        self.table.setAccessibleName(_("Referrals"))
        self.refer_button.setText(_("&Refer to a service…"))
        self.refer_button.setIcon(icon("mdi6.send-outline", self))
        self.refer_button.setAccessibleName(_("Refer the customer to a contracted service"))
        for step, button in self.step_buttons.items():
            button.setText(_(STEP_TEXT[step][0]))
            button.setAccessibleName(_(STEP_TEXT[step][1]))
        self.print_button.setText(_("Pri&nt referral letter…"))
        self.print_button.setIcon(icon("mdi6.printer", self))
        self.print_button.setAccessibleName(
            _("Print the referral letter and the customer's copy"))
        self.save_button.setText(_("Save as P&DF…"))
        self.save_button.setIcon(icon("mdi6.file-pdf-box", self))
        self.save_button.setAccessibleName(
            _("Save the referral letter and the customer's copy as PDF"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
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

    def show_referrals(self, referrals: CustomerReferrals | None,
                       select_id: str | None = None) -> None:
        current = self.chosen()
        chosen = select_id or (current.id if current is not None else None)
        self.writable = referrals is not None and referrals.writable
        self.model.set_rows(list(referrals.rows) if referrals is not None else [])
        if referrals is not None and not referrals.rows:
            self.set_state(N_("No referrals yet."))
        elif referrals is not None and not referrals.writable:
            self.set_state(N_("You can read these referrals: the customer's own coach "
                              "makes them."))
        else:
            self.set_state("")
        self.refer_button.setEnabled(self.writable)
        if self.model.rows:
            ids = [r.id for r in self.model.rows]
            self.table.selectRow(ids.index(chosen) if chosen in ids else 0)
        self._selection()

    def chosen(self) -> ReferralRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _selection(self, *_args: object) -> None:
        r = self.chosen()
        allowed_steps = set(r.next_states) if r is not None else set()
        for step, button in self.step_buttons.items():
            button.setVisible(step.value in allowed_steps)
            button.setEnabled(step.value in allowed_steps)
        self.print_button.setEnabled(r is not None)
        self.save_button.setEnabled(r is not None)
        if r is None:
            self.details.setText("")
            self.details.hide()
            return
        parts = [f"{service_label(r.service)} – {r.provider_name} ({r.contract_title})",
                 _("State: {state}").format(state=state_label(r.state))]
        if r.state == ReferralState.PROPOSED.value and r.places is not None:
            parts.append(full_text(r.places) if r.places.full else places_text(r.places))
        if r.coach_name:
            parts.append(_("Referred by {name}").format(name=r.coach_name))
        if r.note:
            parts.append(_("Note: {note}").format(note=r.note))
        self.details.setText("\n".join(parts))
        self.details.show()


class ReferralsController:
    """Loads the open customer's referrals, refers, moves them on, prints their letters."""

    def __init__(self, section: ReferralsSection, services: Services, runner: TaskRunner,
                 parent: QWidget) -> None:
        self.section, self.services, self.runner, self.parent = section, services, runner, parent
        self.customer_id: str | None = None
        self.select_next: str | None = None  # the referral to choose when rows arrive
        self.may_read = False
        self.dialog: ReferDialog | StepDialog | None = None
        self.question: QMessageBox | None = None
        section.refer_button.clicked.connect(self.refer)
        for step, button in section.step_buttons.items():
            button.clicked.connect(lambda _c=False, s=step: self.step(s))
        section.print_button.clicked.connect(self.print_letter)
        section.save_button.clicked.connect(self.save_letter)
        section.table.doubleClicked.connect(lambda _i: None)
        refresh_on_change(runner, section, {"referral"}, self._changed)

    def set_role(self, role: Any) -> None:
        self.may_read = role is not None and allowed(role, Permission.PLAN_READ)
        if not self.may_read:
            self.section.show_referrals(None)

    def load(self, customer_id: str, select_id: str | None = None) -> None:
        if customer_id != self.customer_id:
            self.section.show_referrals(None)
            self.section.say("")
        self.customer_id = customer_id
        if not self.may_read:
            return
        # The referral just made or moved stays the chosen one, also when a later reload
        # (the card's, after any write) supersedes this one before it arrives.
        if select_id is not None:
            self.select_next = select_id

        def loaded(referrals: CustomerReferrals) -> None:
            if self.customer_id == customer_id:
                self.section.show_referrals(referrals, self.select_next)
                self.select_next = None

        def refused(exc: PermissionDenied) -> None:
            if self.customer_id == customer_id:
                self.section.show_referrals(None)
                self.section.set_state(error_message(exc))

        QueryOp(self.runner, self.parent,
                lambda: self.services.referrals.list_for_customer(customer_id),
                success=loaded).on(PermissionDenied, refused).latest("referrals") \
            .errors_to(self.section.say).run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)

    def forget(self) -> None:
        drop_pending(self.parent, "referrals")
        self.customer_id = None
        self.select_next = None
        self.section.show_referrals(None)
        self.section.say("")

    # --- refer and step -----------------------------------------------------------------

    def refer(self) -> None:
        customer_id = self.customer_id
        if customer_id is None or not self.section.writable:
            return
        service = self.services.referrals

        def choices() -> tuple[list, list]:
            return service.contracts_for(customer_id), service.plan_lines(customer_id)

        def opened(found: tuple[list, list]) -> None:
            dialog = ReferDialog(found[0], found[1], self.parent)

            def submit() -> None:
                contract, line, note = dialog.value()
                if contract is None:
                    dialog.show_errors({"contract": N_("Choose the contracted service.")})
                    return

                def done(row: ReferralRow) -> None:
                    dialog.saved()
                    self.section.say(_("Referral proposed."))
                    self.load(customer_id, row.id)

                WriteOp(self.runner, dialog,
                        lambda: service.refer(customer_id, contract, line, note),
                        success=done) \
                    .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                    .run_in_background()

            dialog.submit_handler = submit
            self.dialog = dialog
            dialog.open()

        QueryOp(self.runner, self.parent, choices, success=opened) \
            .errors_to(self.section.say).run_in_background()

    def step(self, target: ReferralState) -> None:
        r = self.section.chosen()
        customer_id = self.customer_id
        if r is None or customer_id is None or target.value not in r.next_states:
            return
        dialog = StepDialog(target, self.services.session.today(), self.parent)
        service = self.services.referrals

        def done(row: ReferralRow) -> None:
            dialog.saved()
            self.section.say(_("Referral: {state}.").format(state=state_label(row.state)))
            self.load(customer_id, row.id)

        def send(on: Any, reason: str | None, anyway: bool) -> None:
            WriteOp(self.runner, dialog,
                    lambda: service.advance(r.id, target, on, reason, send_anyway=anyway),
                    success=done) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .on(PlacesFull, lambda exc: confirm(exc, on, reason)) \
                .run_in_background()

        def confirm(exc: PlacesFull, on: Any, reason: str | None) -> None:
            box = QMessageBox(QMessageBox.Icon.Warning, _("The contract is full"),
                              full_text(exc.places) + "\n\n" + _("Send the referral anyway?"),
                              QMessageBox.StandardButton.NoButton, dialog)
            box.setObjectName("referral_places_full")
            yes = box.addButton(_("Send anyway"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(yes)

            def answered() -> None:
                if box.clickedButton() is yes:
                    send(on, reason, True)
                else:
                    dialog.show_error(full_text(exc.places))

            box.finished.connect(lambda _r: answered())
            self.question = box
            box.open()

        def submit() -> None:
            on, reason = dialog.value()
            send(on, reason, False)

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    # --- letters ------------------------------------------------------------------------

    def _failed(self, text: str) -> None:
        self.section.say("⚠ " + _("The letter could not be made: {error}").format(error=text))

    def save_letter(self) -> None:
        r = self.section.chosen()
        if r is None:
            return
        card_name = r.provider_name
        name = file_dialogs.file_name(_("Referral letter"), card_name, day=r.latest_on,
                                      suffix="pdf")
        path = file_dialogs.ask_save_path(self.parent, _("Save the referral letter as PDF"),
                                          name, _("PDF documents (*.pdf)"))
        if path is None:
            return
        self.section.say(_("Preparing the letter…"))
        service = self.services.referrals

        def written(pdf: bytes) -> None:
            QueryOp(self.runner, self.parent, lambda: _write(path, pdf),
                    success=lambda p: self.section.say(_("Saved as {path}").format(path=p))) \
                .errors_to(self._failed).in_io_pool().run_in_background()

        QueryOp(self.runner, self.parent, lambda: service.letter(r.id),
                success=lambda data: self._render(data, written)) \
            .errors_to(self._failed).run_in_background()

    def _render(self, data: Any, then: Any) -> None:
        render = self.services.referrals.render_letter
        QueryOp(self.runner, self.parent, lambda: render(data),
                success=then).errors_to(self._failed).in_io_pool().run_in_background()

    def print_letter(self) -> None:
        r = self.section.chosen()
        if r is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self.parent).exec() != QPrintDialog.DialogCode.Accepted:
            return
        folder = Path(tempfile.mkdtemp(prefix="referral-"))
        service = self.services.referrals

        def sent(pages: int) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.section.say(ngettext("Sent {n} page to the printer.",
                                      "Sent {n} pages to the printer.", pages).format(n=pages))

        def failed(text: str) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.section.say("⚠ " + _("Printing failed: {error}").format(error=text))

        def rendered(pdf: bytes) -> None:
            def work() -> int:
                return print_pdf(_write(folder / "referral.pdf", pdf), printer)

            QueryOp(self.runner, self.parent, work, success=sent).errors_to(failed) \
                .in_io_pool().run_in_background()

        self.section.say(_("Preparing the letter…"))
        QueryOp(self.runner, self.parent, lambda: service.letter(r.id),
                success=lambda data: self._render(data, rendered)) \
            .errors_to(failed).run_in_background()


def _write(path: Path, pdf: bytes) -> Path:
    path.write_bytes(pdf)
    return path
