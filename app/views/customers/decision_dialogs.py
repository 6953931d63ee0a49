"""Dialogs of the card's decisions: drafting or editing a decision (kind, employer and
Y-tunnus, period, hours, percentage, amount, paying municipality, note) and ending a
decided one early (the date and the reason). What was typed stays when saving fails;
each wrong field is named with its message."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QPlainTextEdit, QWidget

from app.dto.decisions import DecisionInput
from app.i18n import N_, _, format_date, parse_date
from app.rules import decisions as rules
from app.rules.codes import DecisionKind
from app.services.errors import ValidationFailed
from app.views.common import label
from app.views.form_dialog import FormDialog

DATE_FORM = N_("Use the form d.m.yyyy, for example 12.3.1985.")
FIELD_LABELS = {
    "kind": N_("&Kind"),
    "employer_name": N_("&Employer or organiser"),
    "employer_business_id": N_("&Business ID (Y-tunnus)"),
    "starts_on": N_("&Starts on"),
    "ends_on": N_("E&nds"),
    "hours_per_week": N_("&Hours per week"),
    "percentage": N_("&Percentage of pay"),
    "amount": N_("&Amount (euros)"),
    "paying_municipality": N_("Paying &municipality"),
    "note": N_("N&ote"),
    "on": N_("&Ends on"),
    "reason": N_("&Reason"),
}


def _field(name: str) -> str:
    return _(FIELD_LABELS.get(name, name)).replace("&", "")


class DecisionDialog(FormDialog):
    """A new decision (`initial` None) or a draft's edit (its fields shown)."""

    def __init__(self, initial: DecisionInput | None, municipalities: list[str],
                 home: str, parent: QWidget | None = None, replacing: bool = False,
                 employers: list[tuple[str, str]] | None = None) -> None:
        super().__init__("decision_dialog", parent)
        self.new = initial is None
        self.replacing = replacing
        start = initial or DecisionInput(kind=DecisionKind.PAY_SUBSIDY.value)
        self.kind = QComboBox()
        for kind in DecisionKind:
            self.kind.addItem("", kind.value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(start.kind)))
        self.add_row(FIELD_LABELS["kind"], self.kind, "decision_kind")
        self.employer = QLineEdit(start.employer_name)
        self.employer.setMaxLength(rules.EMPLOYER_LIMIT)
        self.add_row(FIELD_LABELS["employer_name"], self.employer, "decision_employer")
        self.business_id = QLineEdit(start.employer_business_id)
        self.business_id.setMaxLength(12)
        self.add_row(FIELD_LABELS["employer_business_id"], self.business_id,
                     "decision_business_id")
        # The employer register (#22): typing offers its employers; choosing one fills
        # in its business ID. An employer not in the register is typed as before.
        self.register = dict(employers or [])
        if self.register:
            completer = QCompleter(list(self.register), self.employer)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.activated.connect(self._from_register)  # the text chosen
            self.employer.setCompleter(completer)
            self.employer.setToolTip(_("Type to choose an employer from the register: its "
                                       "business ID is filled in."))
        self.starts_on = QLineEdit(format_date(start.starts_on) if start.starts_on else "")
        self.add_row(FIELD_LABELS["starts_on"], self.starts_on, "decision_starts_on")
        self.ends_on = QLineEdit(format_date(start.ends_on) if start.ends_on else "")
        self.add_row(FIELD_LABELS["ends_on"], self.ends_on, "decision_ends_on")
        self.hours = QLineEdit(rules.format_hours(start.hours_per_week))
        self.add_row(FIELD_LABELS["hours_per_week"], self.hours, "decision_hours")
        self.percentage = QLineEdit("" if start.percentage is None else str(start.percentage))
        self.add_row(FIELD_LABELS["percentage"], self.percentage, "decision_percentage")
        self.amount = QLineEdit(rules.euros_for_input(start.amount_cents))
        self.add_row(FIELD_LABELS["amount"], self.amount, "decision_amount")
        self.municipality = QComboBox()
        names = list(municipalities)
        if start.paying_municipality and start.paying_municipality not in names:
            names.append(start.paying_municipality)  # shown as it was; the save says why
        for name in names:
            self.municipality.addItem(name, name)
        chosen = start.paying_municipality or (home if home in names else "")
        if chosen:
            self.municipality.setCurrentIndex(max(0, self.municipality.findData(chosen)))
        self.add_row(FIELD_LABELS["paying_municipality"], self.municipality,
                     "decision_municipality")
        self.note = QPlainTextEdit(start.note)
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(self.note.fontMetrics().lineSpacing() * 3 + 14)
        self.add_row(FIELD_LABELS["note"], self.note, "decision_note")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.finish_layout()
        self.retranslate()

    def _kind_changed(self, *_args: object) -> None:
        try:
            kind = DecisionKind(self.kind.currentData())
        except ValueError:
            return
        # Fields a kind does not carry are disabled (kept as typed if the kind changes back).
        self.hours.setEnabled(kind in rules.NEEDS_HOURS)
        self.percentage.setEnabled(kind in rules.NEEDS_PERCENTAGE)

    def retranslate(self) -> None:
        if self.replacing:
            self.setWindowTitle(_("Replace the decision (a new draft)"))
        else:
            self.setWindowTitle(_("Draft a decision") if self.new else _("Edit the draft"))
        self.retranslate_rows()
        for i in range(self.kind.count()):
            self.kind.setItemText(i, label(DecisionKind(self.kind.itemData(i))))
        for edit in (self.starts_on, self.ends_on):
            edit.setPlaceholderText(_("d.m.yyyy"))
        self.business_id.setPlaceholderText(_("1234567-8"))
        self.hours.setPlaceholderText(_("e.g. 30"))
        self.percentage.setPlaceholderText(_("1–100"))
        self.amount.setPlaceholderText(_("e.g. 1 250,00"))

    def _from_register(self, name: object) -> None:
        if isinstance(name, str) and name in self.register:
            self.business_id.setText(self.register[name])

    def value(self) -> tuple[DecisionInput, dict[str, str]]:
        """The typed decision, and messages for what could not be read."""
        errors: dict[str, str] = {}
        dates: dict[str, date | None] = {}
        for name, edit in (("starts_on", self.starts_on), ("ends_on", self.ends_on)):
            try:
                dates[name] = parse_date(edit.text())
            except ValueError:
                dates[name] = None
                errors[name] = DATE_FORM
        hours: float | None = None
        if self.hours.isEnabled():
            try:
                hours = rules.parse_number(self.hours.text())
            except ValueError:
                errors["hours_per_week"] = N_("Hours per week are more than 0 and at most 60.")
        percentage: int | None = None
        text = self.percentage.text().strip().rstrip("%").strip()
        if self.percentage.isEnabled() and text:
            if text.isdigit():
                percentage = int(text)
            else:
                errors["percentage"] = N_("The percentage is a whole number from 1 to 100.")
        cents: int | None = None
        try:
            cents = rules.parse_euros(self.amount.text())
        except ValueError:
            errors["amount"] = N_("Give the amount in euros, e.g. 1 250,00.")
        return DecisionInput(
            kind=self.kind.currentData(), employer_name=self.employer.text(),
            employer_business_id=self.business_id.text(),
            starts_on=dates["starts_on"], ends_on=dates["ends_on"], hours_per_week=hours,
            percentage=percentage, amount_cents=cents,
            paying_municipality=self.municipality.currentData() or "",
            note=self.note.toPlainText()), errors

    def show_invalid(self, exc: ValidationFailed) -> None:
        self.show_field_errors(exc.errors)

    def show_field_errors(self, errors: dict[str, str]) -> None:
        """Each wrong field named with its message (in the UI language); the first one
        takes the focus."""
        self.show_error("\n".join(f"{_field(n)}: {_(m)}" for n, m in errors.items()))
        widgets = {"kind": self.kind, "employer_name": self.employer,
                   "employer_business_id": self.business_id, "starts_on": self.starts_on,
                   "ends_on": self.ends_on, "hours_per_week": self.hours,
                   "percentage": self.percentage, "amount": self.amount,
                   "paying_municipality": self.municipality, "note": self.note}
        for name in errors:
            if name in widgets:
                widgets[name].setFocus()
                break


class EndDecisionDialog(FormDialog):
    """End a decided decision early: the date (within its period) and the reason."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__("decision_end_dialog", parent)
        self.on = QLineEdit(format_date(today))
        self.add_row(FIELD_LABELS["on"], self.on, "decision_end_on")
        self.reason = QLineEdit()
        self.reason.setMaxLength(rules.REASON_LIMIT)
        self.add_row(FIELD_LABELS["reason"], self.reason, "decision_end_reason")
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("End the decision early"))
        self.retranslate_rows()
        self.on.setPlaceholderText(_("d.m.yyyy"))

    def value(self) -> tuple[date | None, str, dict[str, str]]:
        errors: dict[str, str] = {}
        on: date | None = None
        try:
            on = parse_date(self.on.text())
        except ValueError:
            errors["on"] = DATE_FORM
        return on, self.reason.text(), errors

    def show_invalid(self, exc: ValidationFailed) -> None:
        self.show_field_errors(exc.errors)

    def show_field_errors(self, errors: dict[str, str]) -> None:
        self.show_error("\n".join(f"{_field(n)}: {_(m)}" for n, m in errors.items()))
        (self.on if "on" in errors else self.reason).setFocus()
