"""The plan editor's single-field sections: the job-search obligation, keeping in contact
and the next review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from app.dto.plans import PlanContent
from app.i18n import N_, _, format_date, format_number
from app.rules import plan_vocabulary as vocab
from app.services.plans import (
    DEFAULT_APPLICATIONS_PER_MONTH,
    MAX_PERIOD_MONTHS,
    add_months,
    is_lowered,
    review_periods,
)
from app.views.common import combo_line_edit
from app.views.plans.fields import DATE_FORMAT_ERROR, DateEdit, lock
from app.views.plans.sections import FormSection, WordingButton, append_text, text_box


class ObligationSection(FormSection):
    def __init__(self) -> None:
        super().__init__("obligation")
        self.applications = QSpinBox()
        self.applications.setRange(-1, 99)  # -1: not set yet
        self.period = QComboBox()
        for months in range(1, MAX_PERIOD_MONTHS + 1):
            self.period.addItem("", months)
        self.starts = DateEdit()
        self.reason = text_box("plan_obligation_lowered_reason", 3)
        self.reason_wording = WordingButton("plan_reason_wording")
        self.add_field("applications_per_period", N_("&Applications per period"),
                       self.applications)
        self.add_field("period_months", N_("&Review period"), self.period)
        self.add_field("obligation_starts_on", N_("&Starts on"), self.starts)
        self.add_field("obligation_lowered_reason", N_("Reason for a lower &obligation"),
                       self.reason, self.reason_wording)
        self.preview = QLabel()
        self.preview.setObjectName("plan_obligation_preview")
        self.preview.setWordWrap(True)
        self.layout_.addWidget(self.preview)
        self.layout_.addStretch(1)
        for signal in (self.applications.valueChanged, self.period.currentIndexChanged,
                       self.starts.textChanged, self.reason.textChanged):
            signal.connect(self.changed)
        self.changed.connect(self.update_preview)
        self.next_review: date | None = None

    def intro_message(self) -> str:
        return _("By default the customer applies for {n} jobs a month, in review periods of "
                 "one month. A lower obligation needs a reason.").format(
                     n=format_number(DEFAULT_APPLICATIONS_PER_MONTH))

    def retranslate(self) -> None:
        super().retranslate()
        self.applications.setSpecialValueText(_("not set"))
        for i in range(self.period.count()):
            self.period.setItemText(i, _(vocab.PERIOD_LENGTHS[self.period.itemData(i)]))
        self.starts.retranslate()
        self.reason_wording.retranslate()
        self.reason_wording.fill(self.wordings("lowered_reason"),
                                 lambda _k, text: append_text(self.reason, text))
        self.update_preview()

    def set_plan(self, plan_type: str, lang: str) -> None:
        super().set_plan(plan_type, lang)
        self.reason_wording.fill(self.wordings("lowered_reason"),
                                 lambda _k, text: append_text(self.reason, text))

    def set_content(self, content: PlanContent) -> None:
        value = content.applications_per_period
        self.applications.setValue(-1 if value is None else value)
        self.period.setCurrentIndex(max(0, self.period.findData(content.period_months or 1)))
        self.starts.set_date(content.obligation_starts_on)
        self.reason.setPlainText(content.obligation_lowered_reason)
        self.next_review = content.next_review_on
        self.update_preview()

    def collect(self, values: dict[str, Any]) -> None:
        value = self.applications.value()
        values["applications_per_period"] = None if value < 0 else value
        values["period_months"] = None if value < 0 else self.period.currentData()
        values["obligation_starts_on"] = self.starts.date()
        values["obligation_lowered_reason"] = self.reason.toPlainText()

    def update_preview(self) -> None:
        values: dict[str, Any] = {}
        self.collect(values)
        content = PlanContent(next_review_on=self.next_review, **values)
        lines = []
        if is_lowered(content) and not content.obligation_lowered_reason.strip():
            lines.append("⚠ " + _("Lower than usual: write the reason."))
        periods = review_periods(content)
        if periods and content.applications_per_period:
            lines.append(_("Review periods:") + " " + ", ".join(
                f"{format_date(p.starts_on)}–{format_date(p.ends_on)}" for p in periods))
        self.preview.setText("\n".join(lines))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for field in (self.applications, self.period, self.starts, self.reason):
            lock(field, read_only)
        self.reason_wording.setVisible(not read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors({**self.local_errors(), **errors})

    def local_errors(self) -> dict[str, str]:
        return {"obligation_starts_on": DATE_FORMAT_ERROR} if self.starts.invalid else {}


class ContactSection(FormSection):
    intro_text = N_("How and how often the customer and the service keep in contact.")

    def __init__(self) -> None:
        super().__init__("contact")
        self.method, self.frequency = QComboBox(), QComboBox()
        for combo in (self.method, self.frequency):
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo_line_edit(combo).setMaxLength(200)
            combo.currentTextChanged.connect(self.changed)
        self.add_field("contact_method", N_("&How"), self.method)
        self.add_field("contact_frequency", N_("How &often"), self.frequency)
        self.layout_.addStretch(1)

    def retranslate(self) -> None:
        super().retranslate()
        for combo, text in ((self.method, _("How")), (self.frequency, _("How often"))):
            edit = combo_line_edit(combo)
            edit.setAccessibleName(text)
            edit.setPlaceholderText(_("Type, or pick a ready wording"))

    def set_plan(self, plan_type: str, lang: str) -> None:
        super().set_plan(plan_type, lang)
        for combo, section in ((self.method, "contact_method"),
                               (self.frequency, "contact_frequency")):
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([t for _k, t in self.wordings(section)])
            combo.setCurrentText(text)
            combo.blockSignals(False)

    def set_content(self, content: PlanContent) -> None:
        self.method.setCurrentText(content.contact_method)
        self.frequency.setCurrentText(content.contact_frequency)

    def collect(self, values: dict[str, Any]) -> None:
        values["contact_method"] = self.method.currentText()
        values["contact_frequency"] = self.frequency.currentText()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for combo in (self.method, self.frequency):
            lock(combo, read_only)


class ReviewSection(FormSection):
    intro_text = N_("The plan is reviewed at each job-search conversation, at least every "
                    "three months.")

    def __init__(self, today: Callable[[], date]) -> None:
        super().__init__("review")
        self.today = today
        self.review = DateEdit()
        self.quick = QWidget()
        row = QHBoxLayout(self.quick)
        row.setContentsMargins(0, 0, 0, 0)
        self.quick_buttons: list[tuple[QPushButton, int]] = []
        for months in (1, 3, 6):
            button = QPushButton()
            button.setObjectName(f"plan_review_in_{months}")
            button.clicked.connect(lambda _c=False, m=months: self._in_months(m))
            row.addWidget(button)
            self.quick_buttons.append((button, months))
        row.addStretch(1)
        self.add_field("next_review_on", N_("&Next review"), self.review, self.quick)
        self.layout_.addStretch(1)
        self.review.textChanged.connect(self.changed)

    def retranslate(self) -> None:
        super().retranslate()
        self.review.retranslate()
        for button, months in self.quick_buttons:
            text = {1: _("In 1 month"), 3: _("In 3 months"), 6: _("In 6 months")}[months]
            button.setText(text)
            button.setAccessibleName(_("Next review: {when}").format(when=text))

    def _in_months(self, months: int) -> None:
        self.review.set_date(add_months(self.today(), months))

    def set_content(self, content: PlanContent) -> None:
        self.review.set_date(content.next_review_on)

    def collect(self, values: dict[str, Any]) -> None:
        values["next_review_on"] = self.review.date()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        lock(self.review, read_only)
        self.quick.setVisible(not read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors({**self.local_errors(), **errors})

    def local_errors(self) -> dict[str, str]:
        return {"next_review_on": DATE_FORMAT_ERROR} if self.review.invalid else {}
