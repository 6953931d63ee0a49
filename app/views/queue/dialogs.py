"""Small dialogs of the queue: finishing with a visit record, transferring, the desk."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.dto.queue import OfferedChoice, StaffChoice
from app.dto.visits import VisitInput
from app.i18n import N_, _, current_language
from app.rules import queue as queue_rules
from app.rules.codes import Channel, ServiceArea, VisitOutcome
from app.views.common import label
from app.views.form_dialog import FormDialog

# A queue service the dialogs list: the point's offered service (QueueService.offered),
# or a bare built-in code (a caller without the point's rows: named by the built-ins).
Service = OfferedChoice | str
PARTNER_DESK = N_("{service} — {partner} (partner's desk)")


def offered(entry: Service) -> OfferedChoice:
    """The entry as an offered service; a bare code gets its built-in name (in the
    current language) or, unknown, the code itself."""
    if isinstance(entry, OfferedChoice):
        return entry
    names = queue_rules.BUILT_IN_NAMES.get(entry, (entry, entry, entry))
    return OfferedChoice(entry, entry, queue_rules.service_name(names, current_language()),
                         entry)


def service_text(entry: Service) -> str:
    """How a queue service is listed: its name, a partner's with the partner's desk."""
    choice = offered(entry)
    if choice.partner_org_id is not None:
        return _(PARTNER_DESK).format(service=choice.name,
                                      partner=choice.partner_name or "")
    return choice.name


def fill_offered(combo: QComboBox, services: Sequence[Service], current: str | None) -> None:
    """The queue services by name; each item's data is the service's code."""
    for entry in services:
        combo.addItem(service_text(entry), offered(entry).code)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))


def retranslate_offered(combo: QComboBox, services: Sequence[Service]) -> None:
    for i, entry in enumerate(services):
        combo.setItemText(i, service_text(entry))


def _fill_areas(combo: QComboBox, areas: Sequence[str], current: str | None) -> None:
    for code in areas:
        combo.addItem(label(ServiceArea(code)), code)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))


class VisitRecordDialog(FormDialog):
    """The visit record: at the end of a service, or for a phone or video contact
    (`contact=True` adds the channel and the length). `finishing` names the ticket and
    customer whose visit it ends ("A 012 · Virtanen M."), so the worker sees which."""

    def __init__(self, services: Sequence[str], service_area: str, times: str = "",
                 contact: bool = False, parent: QWidget | None = None,
                 finishing: str = "") -> None:
        super().__init__("visit_dialog", parent)
        self.contact = contact
        self.finishing = finishing
        self.whom = QLabel(finishing)
        self.whom.setObjectName("visit_whom")
        self.whom.setWordWrap(True)
        font = self.whom.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.whom.setFont(font)
        self.whom.setVisible(bool(finishing))
        self.times = QLabel(times)
        self.times.setObjectName("visit_times")
        self.layout_.insertWidget(0, self.times)
        self.layout_.insertWidget(0, self.whom)
        self.times.setVisible(bool(times))
        if contact:
            self.channel = QComboBox()
            for channel in (Channel.PHONE, Channel.VIDEO):
                self.channel.addItem("", channel.value)
            self.add_row(N_("C&hannel"), self.channel, "visit_channel")
            self.minutes = QSpinBox()
            self.minutes.setRange(1, 480)
            self.minutes.setValue(15)
            self.add_row(N_("&Length (min)"), self.minutes, "visit_minutes")
        # A visit is counted by its service area (not the queue service it came for).
        self.service = QComboBox()
        _fill_areas(self.service, services, service_area)
        self.add_row(N_("&Service area"), self.service, "visit_service")
        self.topics = QLineEdit()
        self.add_row(N_("&Topics"), self.topics, "visit_topics")
        self.outcome = QComboBox()
        for outcome in VisitOutcome:
            if outcome is not VisitOutcome.TRANSFERRED:
                self.outcome.addItem("", outcome.value)
        self.add_row(N_("&Outcome"), self.outcome, "visit_outcome")
        self.follow_up = QLineEdit()
        self.add_row(N_("&Follow-up"), self.follow_up, "visit_follow_up")
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(110)
        self.add_row(N_("&Note"), self.note, "visit_note")
        self.reminder = QLabel()
        self.reminder.setWordWrap(True)
        self.layout_.addWidget(self.reminder)
        # At the end of a visit at the desk: the customer's feedback window opens after.
        self.offer_feedback = QCheckBox()
        self.offer_feedback.setObjectName("visit_offer_feedback")
        self.offer_feedback.setVisible(not contact)
        self.layout_.addWidget(self.offer_feedback)
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        if self.contact:
            self.setWindowTitle(_("Record a contact"))
        elif self.finishing:
            self.setWindowTitle(_("Finish the service: {who}").format(who=self.finishing))
        else:
            self.setWindowTitle(_("Finish the service"))
        self.retranslate_rows()
        self.offer_feedback.setText(_("Offer &feedback to the customer"))
        self.offer_feedback.setToolTip(_("Opens the feedback window facing the customer, on "
                                         "the second screen if there is one."))
        if self.contact:
            for i in range(self.channel.count()):
                self.channel.setItemText(i, label(Channel(self.channel.itemData(i))))
        for i in range(self.service.count()):
            self.service.setItemText(i, label(ServiceArea(self.service.itemData(i))))
        for i in range(self.outcome.count()):
            self.outcome.setItemText(i, label(VisitOutcome(self.outcome.itemData(i))))
        self.topics.setPlaceholderText(_("For example: CV, job search, training"))
        self.reminder.setText(
            _("The note becomes part of the customer's record: write only what the work "
              "needs, and nothing the customer should not read."))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Save the visit") if not self.contact else _("Save the contact"))

    def value(self) -> VisitInput:
        return VisitInput(
            service_area=self.service.currentData(), topics=self.topics.text(),
            outcome=self.outcome.currentData(), follow_up=self.follow_up.text(),
            note=self.note.toPlainText(),
        )


class TransferDialog(FormDialog):
    """To another of the point's services (a partner's desk's too: the service refuses
    it without the customer's consent, and the reason shows here) or a named worker."""

    def __init__(self, services: Sequence[Service], current_service: str,
                 staff: list[StaffChoice], parent: QWidget | None = None) -> None:
        super().__init__("transfer_dialog", parent)
        self.services = list(services)
        self.service = QComboBox()
        fill_offered(self.service, self.services, current_service)
        self.add_row(N_("To &service"), self.service, "transfer_service")
        self.worker = QComboBox()
        self.worker.addItem("", None)
        for choice in staff:
            self.worker.addItem(choice.name, choice.id)
        self.staff = staff
        self.add_row(N_("To a named &worker"), self.worker, "transfer_worker")
        self.note = QLineEdit()
        self.add_row(N_("&Note for the next worker"), self.note, "transfer_note")
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Transfer the customer"))
        self.retranslate_rows()
        retranslate_offered(self.service, self.services)
        self.worker.setItemText(0, _("Anyone serving this service"))
        for i, choice in enumerate(self.staff, 1):
            suffix = " (" + _("on duty") + ")" if choice.on_duty else ""
            self.worker.setItemText(i, choice.name + suffix)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Transfer"))

    def value(self) -> tuple[str, str | None, str]:
        return self.service.currentData(), self.worker.currentData(), self.note.text()


class DeskDialog(FormDialog):
    """This workstation's desk and ticket letter, and the services this worker calls."""

    def __init__(self, desk: str, letter: str, services: Sequence[Service], mine: set[str],
                 parent: QWidget | None = None) -> None:
        super().__init__("desk_dialog", parent)
        self.desk = QLineEdit(desk)
        self.desk.setMaxLength(20)
        self.add_row(N_("&Desk"), self.desk, "desk_name")
        self.letter = QLineEdit(letter)
        self.letter.setMaxLength(1)
        self.add_row(N_("Ticket &letter"), self.letter, "desk_letter")
        self.checks: dict[str, QCheckBox] = {}
        self.services = {offered(entry).code: entry for entry in services}
        self.services_label = QLabel()
        self.form.addRow(self.services_label)
        for code in self.services:
            box = QCheckBox()
            box.setObjectName(f"desk_service_{code}")
            box.setChecked(code in mine or not mine)
            self.checks[code] = box
            self.form.addRow("", box)
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("My desk"))
        self.retranslate_rows()
        self.letter.setToolTip(_("Each workstation of the service point needs its own letter, "
                                 "so that tickets given offline never clash."))
        self.services_label.setText(_("Services I call:"))
        for code, box in self.checks.items():
            text = service_text(self.services[code])
            box.setText(text.replace("&", "&&"))  # a name's "&" is no mnemonic
            box.setAccessibleName(text)

    def value(self) -> tuple[str, str, set[str]]:
        chosen = {code for code, box in self.checks.items() if box.isChecked()}
        return self.desk.text(), self.letter.text(), chosen
