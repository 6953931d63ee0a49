""""Print for a partner…": the multi-professional plan printed for one partner
organisation (#24). Only with the customer's consent in force to share the plan with it:
the state is said beside the choice, and the service checks it again and records the
print (partner.share.plan_print) or the refusal."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.plans import PlanVersionInfo
from app.i18n import _, ngettext
from app.rules import plan_vocabulary as vocab
from app.rules.partners import PLAN_PRINT_NEEDS
from app.views import file_dialogs
from app.views.common import FieldError, icon, language_label
from app.views.operations import QueryOp
from app.views.pdf_printer import print_pdf
from app.views.plans.participants import show_consent
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.registry import Services


@dataclass(frozen=True)
class PartnerChoice:
    id: str
    name: str
    refusal: str | None  # why the plan may not go to them (None: it may)


def load_partners(services: Services, customer_id: str) -> list[PartnerChoice]:
    """In the database pool: the active partner organisations, those the customer's
    consent lets the plan go to first."""
    choices = [PartnerChoice(o.id, o.name, services.consents.check(
        customer_id, o.id, PLAN_PRINT_NEEDS.value)) for o in services.partners.orgs()]
    return sorted(choices, key=lambda c: (c.refusal is not None, c.name.casefold()))


class PartnerPrintDialog(QDialog):
    done_message = Signal(str)  # what happened, for the editor's message line

    def __init__(self, services: Services, runner: TaskRunner, customer_id: str,
                 customer_name: str, info: PlanVersionInfo, today: Callable[[], date],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_partner_print_dialog")
        self.services, self.runner, self.today = services, runner, today
        self.customer_id, self.customer_name, self.info = customer_id, customer_name, info
        self.choices: list[PartnerChoice] = []
        layout = QVBoxLayout(self)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        form = QFormLayout()
        layout.addLayout(form)
        self.partner_label, self.language_label = QLabel(), QLabel()
        self.partner = QComboBox()
        self.partner.setObjectName("plan_partner_print_partner")
        self.partner.setMinimumContentsLength(30)
        self.consent = QLabel()
        self.consent.setObjectName("plan_partner_print_consent")
        self.consent.setWordWrap(True)
        holder = QVBoxLayout()
        holder.setSpacing(2)
        holder.addWidget(self.partner)
        holder.addWidget(self.consent)
        self.partner_label.setBuddy(self.partner)
        form.addRow(self.partner_label, holder)
        self.language = QComboBox()
        self.language.setObjectName("plan_partner_print_language")
        for code in vocab.PRINT_LANGUAGES:
            self.language.addItem("", code)
        self.language.setCurrentIndex(max(0, self.language.findData(info.print_language)))
        self.language_label.setBuddy(self.language)
        form.addRow(self.language_label, self.language)
        self.error = FieldError()
        self.error.setObjectName("plan_partner_print_error")
        self.message = QLabel()
        self.message.setObjectName("plan_partner_print_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.setObjectName("plan_partner_print_buttons")
        self.save_button = QPushButton()
        self.save_button.setObjectName("plan_partner_print_save")
        self.save_button.setIcon(icon("mdi6.file-pdf-box", self))
        self.print_button = QPushButton()
        self.print_button.setObjectName("plan_partner_print_print")
        self.print_button.setIcon(icon("mdi6.printer", self))
        for button in (self.save_button, self.print_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_on_printer)
        layout.addWidget(self.buttons)
        layout.addStrut(560)
        self.partner.currentIndexChanged.connect(self._chosen)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Print the plan for a partner"))
        self.explain.setText(_(
            "The plan is printed for one partner organisation, only with the customer's "
            "consent to share the plan with it. The print is recorded in the customer's "
            "log."))
        self.partner_label.setText(_("Partner &organisation"))
        self.partner.setAccessibleName(_("Partner organisation"))
        self.language_label.setText(_("&Language of the print"))
        self.language.setAccessibleName(_("Language of the print"))
        for i in range(self.language.count()):
            self.language.setItemText(i, language_label(self.language.itemData(i)))
        self.save_button.setText(_("&Save as PDF…"))
        self.save_button.setAccessibleName(_("Save the plan for the partner as PDF"))
        self.print_button.setText(_("&Print…"))
        self.print_button.setAccessibleName(_("Print the plan for the partner"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        self._chosen()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def load(self) -> None:
        self.say(_("Loading…"))
        services, customer_id = self.services, self.customer_id
        QueryOp(self.runner, self, lambda: load_partners(services, customer_id),
                success=self.set_choices).errors_to(self.show_error).run_in_background()

    def set_choices(self, choices: list[PartnerChoice]) -> None:
        self.say("")
        self.choices = choices
        self.partner.blockSignals(True)
        self.partner.clear()
        for choice in choices:
            mark = "" if choice.refusal is None else " ⚠"
            self.partner.addItem(choice.name + mark, choice.id)
        self.partner.blockSignals(False)
        self._chosen()

    def choice(self) -> PartnerChoice | None:
        return next((c for c in self.choices if c.id == self.partner.currentData()), None)

    def _chosen(self) -> None:
        choice = self.choice()
        show_consent(self.consent, choice.refusal if choice else None, choice is not None)
        allowed = choice is not None and choice.refusal is None
        self.save_button.setEnabled(allowed)
        self.print_button.setEnabled(allowed)
        self.error.show_message("")

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_error(self, text: str) -> None:
        """A refusal (the consent withdrawn meanwhile, say) or a failure, in words."""
        self.say("")
        self.error.show_message(text)

    def _pdf(self, then: Callable[[bytes], None]) -> None:
        """The plan for the chosen partner, from the database (audited)."""
        choice = self.choice()
        if choice is None:
            return
        version_id, lang = self.info.id, self.language.currentData()
        plans = self.services.plans
        self.error.show_message("")
        self.say(_("Preparing the PDF…"))
        QueryOp(self.runner, self,
                lambda: plans.print_for_partner(version_id, choice.id, lang),
                success=then).errors_to(self.show_error).run_in_background()

    def save_pdf(self) -> None:
        choice = self.choice()
        if choice is None:
            return
        suggested = file_dialogs.file_name(
            self.customer_name, _(vocab.PLAN_TYPES[self.info.plan_type]), choice.name,
            day=self.today(), suffix="pdf")
        path = file_dialogs.ask_save_path(self, _("Save the plan for the partner as PDF"),
                                          suggested, _("PDF documents (*.pdf)"))
        if path is None:
            return

        def write(data: bytes) -> None:
            def work() -> Path:
                path.write_bytes(data)
                return path

            QueryOp(self.runner, self, work, success=self._saved) \
                .errors_to(self.show_error).in_io_pool().run_in_background()

        self._pdf(write)

    def _saved(self, path: Path) -> None:
        text = _("Saved as {path}").format(path=path)
        self.say(text)
        self.done_message.emit(text)

    def print_on_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return
        folder = Path(tempfile.mkdtemp(prefix="plan-"))

        def sent(pages: int) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            text = ngettext("Sent {n} page to the printer.", "Sent {n} pages to the printer.",
                            pages).format(n=pages)
            self.say(text)
            self.done_message.emit(text)

        def failed(text: str) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.show_error(_("Printing failed: {error}").format(error=text))

        def send(data: bytes) -> None:
            def work() -> int:
                path = folder / "plan.pdf"
                path.write_bytes(data)
                return print_pdf(path, printer)

            QueryOp(self.runner, self, work, success=sent).errors_to(failed) \
                .in_io_pool().run_in_background()

        self._pdf(send)
