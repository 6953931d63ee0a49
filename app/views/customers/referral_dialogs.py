"""The dialogs of the card's referrals (#20): refer the customer to a contracted service
(the contract, with its places left; a line of the plan; a note) and move a referral one
step on (its date and, for declined or interrupted, the reason)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit, QWidget

from app.dto.referrals import ContractChoice, PlacesInfo, PlanLineChoice
from app.i18n import N_, _, format_date, ngettext
from app.rules import plan_vocabulary as vocab
from app.rules.codes import SERVICE_LABELS, ReferralEndReason, ReferralState, ServiceKind
from app.rules.referrals import REFERRAL_NEEDS_REASON
from app.views.form_dialog import FormDialog
from app.views.plans.fields import DATE_FORMAT_ERROR, DateEdit

NOTE_LIMIT = 2000  # services/referrals.py
# What each step's button and dialog say.
STEP_TEXT = {
    ReferralState.SENT: (N_("&Send"), N_("Send the referral")),
    ReferralState.ACCEPTED: (N_("&Accepted"), N_("The provider accepted the referral")),
    ReferralState.DECLINED: (N_("&Declined…"), N_("The provider declined the referral")),
    ReferralState.STARTED: (N_("S&tarted"), N_("The service started")),
    ReferralState.INTERRUPTED: (N_("&Interrupted…"), N_("The service was interrupted")),
    ReferralState.COMPLETED: (N_("Co&mpleted"), N_("The service was completed")),
}


def service_label(code: str) -> str:
    try:
        return _(SERVICE_LABELS[ServiceKind(code)])
    except (ValueError, KeyError):
        return code


def state_label(code: str) -> str:
    try:
        return _(SERVICE_LABELS[ReferralState(code)])
    except (ValueError, KeyError):
        return code


def reason_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return _(SERVICE_LABELS[ReferralEndReason(code)])
    except (ValueError, KeyError):
        return code


def period_text(start: date, end: date) -> str:
    return f"{format_date(start)}–{format_date(end)}"


def places_text(places: PlacesInfo | None) -> str:
    if places is None or places.places is None:
        return _("no limit on places")
    left = places.left or 0
    text = ngettext("{n} place left in {period}", "{n} places left in {period}", left) \
        .format(n=left, period=period_text(places.period_start, places.period_end))
    return text


def full_text(places: PlacesInfo) -> str:
    period = period_text(places.period_start, places.period_end)
    if places.next_free is not None:
        return _("The contract's places for {period} are taken; the next free period is "
                 "{next}.").format(period=period, next=period_text(*places.next_free))
    return _("The contract's places for {period} are taken; no free period is left.") \
        .format(period=period)


class _Form(FormDialog):
    def __init__(self, object_name: str, parent: QWidget | None) -> None:
        super().__init__(object_name, parent)
        self.fields: dict[str, str] = {}

    def show_errors(self, errors: dict[str, str]) -> None:
        lines = [f"{_(self.fields.get(field, field)).replace('&', '')}: {_(message)}"
                 for field, message in errors.items()]
        self.show_error("\n".join(lines))
        for field in errors:
            widget = next((w for _l, w, text in self.rows if text == self.fields.get(field)),
                          None)
            if widget is not None:
                widget.setFocus()
                break


class ReferDialog(_Form):
    """Refer to a service: among the contracts serving the customer's point today."""

    def __init__(self, contracts: list[ContractChoice], lines: list[PlanLineChoice],
                 parent: QWidget | None = None) -> None:
        super().__init__("refer_dialog", parent)
        self.contracts, self.lines = contracts, lines
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.layout_.insertWidget(0, self.explain)
        self.contract = QComboBox()
        for c in contracts:
            self.contract.addItem("", c.contract_id)
        self.contract.setCurrentIndex(-1 if len(contracts) != 1 else 0)
        self.add_row(N_("&Service"), self.contract, "refer_contract")
        self.places = QLabel()
        self.places.setObjectName("refer_places")
        self.places.setWordWrap(True)
        self.form.addRow("", self.places)
        self.line = QComboBox()
        self.line.addItem("", None)
        for x in lines:
            self.line.addItem("", x.plan_service_id)
        self.add_row(N_("&Plan's service line"), self.line, "refer_plan_line")
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_LIMIT)
        # The note is printed on the provider's letter: the label says so, so that
        # nothing meant for the case file goes out with it.
        self.add_row(N_("&Note to the provider"), self.note, "refer_note")
        self.fields = {"contract": N_("&Service"), "plan_service": N_("&Plan's service line"),
                       "note": N_("&Note to the provider")}
        self.contract.currentIndexChanged.connect(self._show_places)
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Refer to a service"))
        self.explain.setText(
            _("Choose the contracted service. The referral is proposed now; send it when "
              "the customer agrees.") if self.contracts else
            _("No contract serves the customer's service point today."))
        self.retranslate_rows()
        self.contract.setPlaceholderText(_("Choose the service"))
        self.note.setPlaceholderText(_("Printed on the referral letter"))
        for i, c in enumerate(self.contracts):
            self.contract.setItemText(i, f"{service_label(c.service)} – {c.provider_name} "
                                         f"({c.title})")
        self.line.setItemText(0, _("No line of the plan"))
        for i, x in enumerate(self.lines, start=1):
            when = period_text(x.starts_on, x.ends_on) if x.starts_on and x.ends_on else \
                format_date(x.starts_on) if x.starts_on else ""
            kind = _(vocab.SERVICE_TYPES.get(x.service_type, x.service_type))
            version = _("draft {n}") if x.draft else _("version {n}")
            self.line.setItemText(i, " · ".join(v for v in (
                kind, x.provider, when, version.format(n=x.version_number)) if v))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Refer"))
        ok.setObjectName("refer_ok")
        self._show_places()

    def _show_places(self) -> None:
        i = self.contract.currentIndex()
        if i < 0 or i >= len(self.contracts):
            self.places.setText("")
            return
        places = self.contracts[i].places
        self.places.setText(full_text(places) if places.full else places_text(places))

    def value(self) -> tuple[str | None, str | None, str]:
        contract = self.contract.currentData() if self.contract.currentIndex() >= 0 else None
        return contract, self.line.currentData(), self.note.text()


class StepDialog(_Form):
    """One step on: its date (today by default) and, where it ends, the reason."""

    def __init__(self, target: ReferralState, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__("referral_step_dialog", parent)
        self.target = target
        self.on = DateEdit()
        self.on.set_date(today)
        self.add_row(N_("&Date"), self.on, "referral_step_on")
        self.reason = QComboBox()
        for code in ReferralEndReason:
            self.reason.addItem("", code.value)
        self.reason.setCurrentIndex(-1)
        if target in REFERRAL_NEEDS_REASON:
            self.add_row(N_("&Reason"), self.reason, "referral_step_reason")
        else:
            self.reason.hide()
        self.fields = {"on": N_("&Date"), "reason": N_("&Reason")}
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_(STEP_TEXT[self.target][1]))
        self.retranslate_rows()
        self.on.retranslate()
        self.reason.setPlaceholderText(_("Choose the reason"))
        for i in range(self.reason.count()):
            self.reason.setItemText(i, reason_label(self.reason.itemData(i)))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Save"))
        ok.setObjectName("referral_step_ok")

    def _submit(self) -> None:
        if self.on.invalid:
            self.show_error(_(DATE_FORMAT_ERROR))
            self.on.setFocus()
            return
        super()._submit()

    def value(self) -> tuple[date | None, str | None]:
        reason = self.reason.currentData() if self.reason.currentIndex() >= 0 else None
        return self.on.date(), reason
