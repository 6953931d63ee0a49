"""Dialogs of the card's case work: writing or editing a case note (with its earlier
versions shown), and the facts behind the statutory rules."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from app.dto.case_work import CaseFactsInput, CaseNoteRow
from app.i18n import N_, _, format_date, format_datetime, parse_date
from app.rules.codes import BenefitType, NoteKind
from app.services.errors import ValidationFailed
from app.views.common import label
from app.views.form_dialog import FormDialog


class NoteDialog(FormDialog):
    """A new note (`note` None: its kind chosen here) or a new version of `note`, with
    the versions it replaced listed under it, newest first."""

    def __init__(self, note: CaseNoteRow | None, earlier: list[CaseNoteRow],
                 parent: QWidget | None = None) -> None:
        super().__init__("case_note_dialog", parent)
        self.note = note
        self.kind = QComboBox()
        for kind in NoteKind:
            self.kind.addItem("", kind.value)
        if note is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(note.kind)))
            self.kind.setEnabled(False)  # an edit keeps the kind (who may read it)
        self.add_row(N_("&Kind"), self.kind, "case_note_kind")
        self.text = QPlainTextEdit(note.text if note is not None else "")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 6 + 14)
        self.add_row(N_("&Note"), self.text, "case_note_text")
        self.earlier_rows = earlier
        self.earlier = QListWidget()
        self.earlier.setObjectName("case_note_history")
        self.earlier.setWordWrap(True)
        self.earlier.setMaximumHeight(160)
        self.earlier_title = QLabel()
        self.earlier_title.setBuddy(self.earlier)
        if earlier:
            self.layout_.addWidget(self.earlier_title)
            self.layout_.addWidget(self.earlier)
        else:
            self.earlier.hide()
            self.earlier_title.hide()
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a case note") if self.note is None
                            else _("Edit the case note"))
        self.retranslate_rows()
        for i in range(self.kind.count()):
            self.kind.setItemText(i, label(NoteKind(self.kind.itemData(i))))
        self.earlier_title.setText(_("&Earlier versions (kept)"))
        self.earlier.setAccessibleName(_("Earlier versions of the note"))
        self.earlier.clear()
        for row in self.earlier_rows:
            self.earlier.addItem(f"{format_datetime(row.written_at)} · "
                                 f"{row.author_name or '–'}\n{row.text}")

    def value(self) -> tuple[str, str]:
        return self.kind.currentData(), self.text.toPlainText()

    def show_invalid(self, exc: ValidationFailed) -> None:
        self.show_error("  ".join(_(m) for m in exc.errors.values()) or exc.text())
        self.text.setFocus()


FACT_DATES = (
    ("work_ability_since", N_("Partial work ability &from")),
    ("first_benefit_on", N_("First &benefit day")),
    ("subsidy_days_on", N_("Subsidy days as &of")),
    ("allowance_exhausted_on", N_("Maximum &allowance period ended")),
)
FIELD_LABELS = {
    "partial_work_ability": N_("Partial work ability"),
    "work_ability_basis": N_("Basis"),
    "benefit": N_("Benefit"),
    "subsidy_days": N_("Labour-market subsidy days received"),
    **{name: text for name, text in FACT_DATES},
}


class FactsDialog(FormDialog):
    """Partial work ability (from when, on what basis), the benefit and its first day,
    the subsidy days as of Kela's statement and the end of the maximum allowance."""

    def __init__(self, facts: CaseFactsInput, parent: QWidget | None = None) -> None:
        super().__init__("case_facts_dialog", parent)
        self.partial = QCheckBox()
        self.partial.setObjectName("case_facts_partial")
        self.partial.setChecked(facts.partial_work_ability)
        self.form.addRow("", self.partial)
        self.dates: dict[str, QLineEdit] = {}
        self.dates["work_ability_since"] = self._date(facts.work_ability_since)
        self.add_row(FACT_DATES[0][1], self.dates["work_ability_since"],
                     "case_facts_work_ability_since")
        self.basis = QLineEdit(facts.work_ability_basis)
        self.basis.setMaxLength(200)
        self.add_row(N_("Ba&sis"), self.basis, "case_facts_basis")
        self.benefit = QComboBox()
        self.benefit.addItem("", None)
        for benefit in BenefitType:
            self.benefit.addItem("", benefit.value)
        self.benefit.setCurrentIndex(max(0, self.benefit.findData(facts.benefit))
                                     if facts.benefit else 0)
        self.add_row(N_("Benefi&t"), self.benefit, "case_facts_benefit")
        for name, text in FACT_DATES[1:]:
            self.dates[name] = self._date(getattr(facts, name))
            if name == "subsidy_days_on":
                self.subsidy_days = QLineEdit("" if facts.subsidy_days is None
                                              else str(facts.subsidy_days))
                self.subsidy_days.setValidator(QIntValidator(0, 9999, self.subsidy_days))
                self.add_row(N_("Labour-market subsidy &days received"), self.subsidy_days,
                             "case_facts_subsidy_days")
            self.add_row(text, self.dates[name], f"case_facts_{name}")
        self.partial.toggled.connect(self._partial_changed)
        self._partial_changed(self.partial.isChecked())
        self.finish_layout()
        self.retranslate()

    @staticmethod
    def _date(value: date | None) -> QLineEdit:
        return QLineEdit(format_date(value) if value else "")

    def _partial_changed(self, on: bool) -> None:
        self.dates["work_ability_since"].setEnabled(on)
        self.basis.setEnabled(on)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Work ability and benefit"))
        self.retranslate_rows()
        self.partial.setText(_("&Partial work ability"))
        self.partial.setAccessibleName(_("Partial work ability"))
        self.benefit.setItemText(0, _("Not known"))
        for i in range(1, self.benefit.count()):
            self.benefit.setItemText(i, label(BenefitType(self.benefit.itemData(i))))
        for edit in self.dates.values():
            edit.setPlaceholderText(_("d.m.yyyy"))
        self.subsidy_days.setPlaceholderText(_("days"))

    def value(self) -> tuple[CaseFactsInput, dict[str, str]]:
        """The typed facts, and messages for what could not be read."""
        errors: dict[str, str] = {}
        dates: dict[str, date | None] = {}
        for name, edit in self.dates.items():
            try:
                dates[name] = parse_date(edit.text())
            except ValueError:
                dates[name] = None
                errors[name] = N_("Use the form d.m.yyyy, for example 12.3.1985.")
        days = self.subsidy_days.text().strip()
        return CaseFactsInput(
            partial_work_ability=self.partial.isChecked(),
            work_ability_since=dates["work_ability_since"],
            work_ability_basis=self.basis.text(),
            benefit=self.benefit.currentData(),
            first_benefit_on=dates["first_benefit_on"],
            subsidy_days=int(days) if days.isdigit() else None,
            subsidy_days_on=dates["subsidy_days_on"],
            allowance_exhausted_on=dates["allowance_exhausted_on"]), errors

    def show_invalid(self, exc: ValidationFailed) -> None:
        self.show_field_errors(exc.errors)

    def show_field_errors(self, errors: dict[str, str]) -> None:
        """Each wrong field named with its message (in the UI language)."""
        lines = [f"{_(FIELD_LABELS.get(name, name)).replace('&', '')}: {_(message)}"
                 for name, message in errors.items()]
        self.show_error("\n".join(lines))


class PeriodDialog(FormDialog):
    """A period of unemployment: added (start, end when known, benefit) or ended (its
    end date only)."""

    def __init__(self, ending: bool, parent: QWidget | None = None) -> None:
        super().__init__("unemployment_period_dialog", parent)
        self.ending = ending
        self.starts_on = QLineEdit()
        self.ends_on = QLineEdit()
        self.benefit = QComboBox()
        for benefit in BenefitType:
            self.benefit.addItem("", benefit.value)
        if not ending:
            self.add_row(N_("&Starts"), self.starts_on, "period_starts_on")
        self.add_row(N_("&Ends"), self.ends_on, "period_ends_on")
        if not ending:
            self.add_row(N_("Benefi&t"), self.benefit, "period_benefit")
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("End the period of unemployment") if self.ending
                            else _("Add a period of unemployment"))
        self.retranslate_rows()
        for i in range(self.benefit.count()):
            self.benefit.setItemText(i, label(BenefitType(self.benefit.itemData(i))))
        for edit in (self.starts_on, self.ends_on):
            edit.setPlaceholderText(_("d.m.yyyy"))

    def value(self) -> tuple[date | None, date | None, str, dict[str, str]]:
        errors: dict[str, str] = {}
        dates: dict[str, date | None] = {}
        for name, edit in (("starts_on", self.starts_on), ("ends_on", self.ends_on)):
            try:
                dates[name] = parse_date(edit.text())
            except ValueError:
                dates[name] = None
                errors[name] = N_("Use the form d.m.yyyy, for example 12.3.1985.")
        if self.ending and dates["ends_on"] is None and "ends_on" not in errors:
            errors["ends_on"] = N_("Required.")
        return dates["starts_on"], dates["ends_on"], self.benefit.currentData(), errors

    def show_field_errors(self, errors: dict[str, str]) -> None:
        names = {"starts_on": N_("&Starts"), "ends_on": N_("&Ends"), "benefit": N_("Benefi&t")}
        self.show_error("\n".join(f"{_(names.get(n, n)).replace('&', '')}: {_(m)}"
                                  for n, m in errors.items()))
