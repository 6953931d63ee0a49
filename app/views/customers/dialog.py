"""CustomerDialog: create or edit a customer. Errors appear next to their fields, in the
UI language, and the dialog keeps everything typed until it is saved or discarded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.dto.customers import CustomerCard
from app.i18n import N_, _, format_date, parse_date
from app.rules.codes import CUSTOMER_LANGUAGES
from app.rules.customer import CustomerInput
from app.services.errors import ValidationFailed
from app.views.common import FieldError, combo_line_edit, language_label
from app.views.operations import WriteOp
from app.views.tasks import TaskRunner

TEXT_FIELDS = (
    ("last_name", N_("&Last name")),
    ("first_names", N_("&First names")),
    ("hetu", N_("&Identity code")),
    ("birth_date", N_("&Birth date")),
)
CONTACT_FIELDS = (
    ("phone", N_("&Phone")),
    ("email", N_("E&mail")),
    ("street_address", N_("Street &address")),
    ("postal_code", N_("Postal &code")),
    ("post_office", N_("Post &office")),
)
JOBSEEKER_FIELDS = (
    ("jobseeker_registered_on", N_("&Registered as a jobseeker")),
    ("unemployed_since", N_("&Unemployed since")),
    ("first_residence_permit_on", N_("First resi&dence permit")),
)
DATE_FIELDS = {"birth_date", "jobseeker_registered_on", "unemployed_since",
               "first_residence_permit_on"}
MUNICIPALITIES = ("Rovaniemi", "Ranua", "Kemijärvi", "Sodankylä", "Kittilä", "Posio")


class CustomerDialog(QDialog):
    def __init__(
        self,
        runner: TaskRunner,
        save: Callable[[CustomerInput], CustomerCard],
        initial: CustomerInput | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customer_dialog")
        self.runner = runner
        self.save_fn = save
        self.saved: CustomerCard | None = None
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldError] = {}
        self.labels: dict[str, tuple[QLabel, str]] = {}
        self._title = title
        self._build()
        self._fill(initial or CustomerInput())
        self._clean = self.form_input_text()
        self.retranslate()

    # --- building -------------------------------------------------------------------

    def _row(self, form: QFormLayout, name: str, text: str, widget: QWidget) -> None:
        lbl = QLabel()
        lbl.setBuddy(widget)
        self.labels[name] = (lbl, text)
        widget.setObjectName(f"customer_{name}")
        error = FieldError()
        error.setObjectName(f"customer_{name}_error")
        self.errors[name] = error
        holder = QVBoxLayout()
        holder.setSpacing(2)
        holder.addWidget(widget)
        holder.addWidget(error)
        form.addRow(lbl, holder)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.summary = FieldError()
        self.summary.setObjectName("customer_summary_error")
        layout.addWidget(self.summary)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addLayout(form)
        for name, text in TEXT_FIELDS + CONTACT_FIELDS[:2]:
            edit = QLineEdit()
            self.edits[name] = edit
            self._row(form, name, text, edit)
        self.language = QComboBox()
        for code in CUSTOMER_LANGUAGES:
            self.language.addItem("", code)
        self._row(form, "language", N_("Service lan&guage"), self.language)
        self.interpreter = QCheckBox()
        self.interpreter.setObjectName("customer_interpreter")
        form.addRow("", self.interpreter)
        for name, text in CONTACT_FIELDS[2:]:
            edit = QLineEdit()
            self.edits[name] = edit
            self._row(form, name, text, edit)
        self.municipality = QComboBox()
        self.municipality.setEditable(True)
        self.municipality.addItems(MUNICIPALITIES)
        self._row(form, "home_municipality", N_("&Home municipality"), self.municipality)
        for name, text in JOBSEEKER_FIELDS:
            edit = QLineEdit()
            self.edits[name] = edit
            self._row(form, name, text, edit)
        self.edits["postal_code"].setMaxLength(5)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("customer_buttons")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def retranslate(self) -> None:
        self.setWindowTitle(self._title or _("New customer"))
        for lbl, text in self.labels.values():
            lbl.setText(_(text))
        for i, code in enumerate(CUSTOMER_LANGUAGES):
            self.language.setItemText(i, language_label(code))
        self.interpreter.setText(_("&Needs an interpreter"))
        self.interpreter.setAccessibleName(_("Needs an interpreter"))
        for name in DATE_FIELDS:
            self.edits[name].setPlaceholderText(_("d.m.yyyy"))
        self.edits["hetu"].setPlaceholderText(_("DDMMYY-NNNC, or leave empty"))
        self.edits["phone"].setPlaceholderText("040 123 4567")
        for lbl, text in self.labels.values():
            widget = lbl.buddy()
            if widget is not None:
                widget.setAccessibleName(_(text).replace("&", ""))
        combo_line_edit(self.municipality).setAccessibleName(_("Home municipality"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- data ----------------------------------------------------------------------

    def _fill(self, data: CustomerInput) -> None:
        for name, edit in self.edits.items():
            value = getattr(data, name)
            edit.setText(format_date(value) if name in DATE_FIELDS and value else value or "")
        self.language.setCurrentIndex(max(0, self.language.findData(data.language)))
        self.interpreter.setChecked(data.interpreter_needed)
        self.municipality.setCurrentText(data.home_municipality)

    def form_input_text(self) -> tuple:
        return (
            tuple(e.text() for e in self.edits.values()),
            self.language.currentIndex(),
            self.interpreter.isChecked(),
            self.municipality.currentText(),
        )

    def collect(self) -> tuple[CustomerInput, dict[str, str]]:
        """The typed values, and messages for dates that could not be read."""
        errors: dict[str, str] = {}
        dates: dict[str, date | None] = {}
        for name in DATE_FIELDS:
            try:
                dates[name] = parse_date(self.edits[name].text())
            except ValueError:
                dates[name] = None
                errors[name] = N_("Use the form d.m.yyyy, for example 12.3.1985.")
        data = CustomerInput(
            first_names=self.edits["first_names"].text(),
            last_name=self.edits["last_name"].text(),
            hetu=self.edits["hetu"].text(),
            birth_date=dates["birth_date"],
            language=self.language.currentData(),
            interpreter_needed=self.interpreter.isChecked(),
            phone=self.edits["phone"].text(),
            email=self.edits["email"].text(),
            street_address=self.edits["street_address"].text(),
            postal_code=self.edits["postal_code"].text(),
            post_office=self.edits["post_office"].text(),
            home_municipality=self.municipality.currentText(),
            jobseeker_registered_on=dates["jobseeker_registered_on"],
            unemployed_since=dates["unemployed_since"],
            first_residence_permit_on=dates["first_residence_permit_on"],
        )
        return data, errors

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, widget in self.errors.items():
            widget.show_message(_(errors[name]) if name in errors else "")
        self.summary.show_message(_("Check the highlighted fields.") if errors else "")
        if errors:
            first = next((n for n in self.labels if n in errors), None)
            if first is not None:
                buddy = self.labels[first][0].buddy()
                if buddy is not None:
                    buddy.setFocus()

    # --- saving ---------------------------------------------------------------------

    def submit(self) -> None:
        data, errors = self.collect()
        if errors:
            self.show_errors(errors)
            return
        self.buttons.setEnabled(False)
        WriteOp(self.runner, self, lambda: self.save_fn(data), success=self._saved) \
            .on(ValidationFailed, lambda exc: self._invalid(exc.errors)).run_in_background()

    def _saved(self, card: CustomerCard) -> None:
        self.buttons.setEnabled(True)
        self.saved = card
        self._clean = self.form_input_text()
        self.accept()

    def _invalid(self, errors: dict[str, str]) -> None:
        self.buttons.setEnabled(True)
        self.show_errors(errors)

    def show_error(self, text: str) -> None:
        """A refusal that is not about one field, under the form."""
        self.buttons.setEnabled(True)
        self.show_errors({})
        self.summary.show_message(text)

    def reject(self) -> None:
        """Esc and Cancel ask before throwing typed work away."""
        if self.form_input_text() != self._clean:
            answer = QMessageBox.question(
                self,
                _("Unsaved changes"),
                _("Discard the changes to this customer?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.reject()
            return
        super().keyPressEvent(event)
