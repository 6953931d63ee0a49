"""Closing a customer's case (date, coded reason, outcome note, the coach) and reopening
it as a new job-search period."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit, QWidget

from app.i18n import N_, _
from app.rules.codes import LABELS, CaseExitReason, CoachOnClose
from app.views.form_dialog import FormDialog
from app.views.plans.fields import DATE_FORMAT_ERROR, DateEdit

NOTE_LIMIT = 2000  # services/case_periods.py
COACH_CHOICES = (
    (CoachOnClose.RELEASE, N_("Release the coach: the customer leaves {name}'s caseload")),
    (CoachOnClose.KEEP, N_("Keep {name} as the coach (a closed case counts in no caseload)")),
)


class _DateDialog(FormDialog):
    """A form with a date field: its field errors shown in the error line."""

    def __init__(self, object_name: str, parent: QWidget | None) -> None:
        super().__init__(object_name, parent)
        self.fields: dict[str, str] = {}  # service field -> the form's label (msgid)

    def show_errors(self, errors: dict[str, str]) -> None:
        lines = [f"{_(self.fields.get(field, field)).replace('&', '')}: {_(message)}"
                 for field, message in errors.items()]
        self.show_error("\n".join(lines))
        for field in errors:  # the first wrong field takes the focus
            widget = next((w for _l, w, text in self.rows if text == self.fields.get(field)),
                          None)
            if widget is not None:
                widget.setFocus()
                break

    def check_date(self, edit: DateEdit) -> bool:
        if edit.invalid:
            self.show_error(_(DATE_FORMAT_ERROR))
            edit.setFocus()
            return False
        return True


class CloseCaseDialog(_DateDialog):
    def __init__(self, today: date, coach_name: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("close_case_dialog", parent)
        self.coach_name = coach_name
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.layout_.insertWidget(0, self.explain)
        self.on = DateEdit()
        self.on.set_date(today)
        self.add_row(N_("&Last day of the period"), self.on, "close_case_on")
        self.reason = QComboBox()
        for code in CaseExitReason:
            self.reason.addItem("", code.value)
        self.reason.setCurrentIndex(-1)  # no reason is assumed: the worker chooses one
        self.add_row(N_("&Reason"), self.reason, "close_case_reason")
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_LIMIT)
        self.add_row(N_("&Outcome note"), self.note, "close_case_note")
        self.coach = QComboBox()
        for choice, _text in COACH_CHOICES:
            self.coach.addItem("", choice.value)
        if coach_name:  # asked only when the customer is in someone's caseload
            self.add_row(N_("&Coach"), self.coach, "close_case_coach")
        else:
            self.coach.hide()
        self.fields = {"on": N_("&Last day of the period"), "reason": N_("&Reason"),
                       "note": N_("&Outcome note"), "coach": N_("&Coach")}
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Close the case"))
        self.explain.setText(_("The job-search period ends: the customer leaves the "
                               "caseloads and the worklist. The case can be reopened later "
                               "as a new period."))
        self.retranslate_rows()
        self.on.retranslate()
        self.reason.setPlaceholderText(_("Choose the reason"))
        for i in range(self.reason.count()):
            self.reason.setItemText(i, _(LABELS[CaseExitReason(self.reason.itemData(i))]))
        for i, (_choice, text) in enumerate(COACH_CHOICES):
            self.coach.setItemText(i, _(text).format(name=self.coach_name or ""))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Close the case"))
        ok.setObjectName("close_case_ok")

    def _submit(self) -> None:
        if self.check_date(self.on):
            super()._submit()

    def value(self) -> tuple[date | None, str | None, str, str]:
        reason = self.reason.currentData() if self.reason.currentIndex() >= 0 else None
        coach = self.coach.currentData() if self.coach_name else CoachOnClose.KEEP.value
        return self.on.date(), reason, self.note.text(), coach


class ReopenCaseDialog(_DateDialog):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__("reopen_case_dialog", parent)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.layout_.insertWidget(0, self.explain)
        self.on = DateEdit()
        self.on.set_date(today)
        self.add_row(N_("&First day of the new period"), self.on, "reopen_case_on")
        self.fields = {"on": N_("&First day of the new period")}
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Reopen the case"))
        self.explain.setText(_("A new job-search period begins; the earlier ones stay in "
                               "the history."))
        self.retranslate_rows()
        self.on.retranslate()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Reopen the case"))
        ok.setObjectName("reopen_case_ok")

    def _submit(self) -> None:
        if self.check_date(self.on):
            super()._submit()

    def value(self) -> date | None:
        return self.on.date()
