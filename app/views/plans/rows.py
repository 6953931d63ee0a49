"""The rows of the plan editor's lists: goals, actions and services."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.dto.plans import PlanActionItem, PlanGoalItem, PlanServiceItem
from app.i18n import N_, _, format_date
from app.rules import plan_vocabulary as vocab
from app.rules.codes import SERVICE_LABELS, ReferralState
from app.views.plans.fields import DATE_FORMAT_ERROR, DateEdit, Row


def fill_codes(combo: QComboBox, codes: dict[str, str] | tuple[str, ...]) -> None:
    for code in codes:
        combo.addItem("", code)


def label_codes(combo: QComboBox, labels: dict[str, str]) -> None:
    for i in range(combo.count()):
        combo.setItemText(i, _(labels[combo.itemData(i)]))


def name_fields(row: Row, prefix: str, number: int,
                fields: tuple[tuple[str, QWidget, str], ...]) -> None:
    for name, widget, text in fields:
        widget.setObjectName(f"{prefix}_{number}_{name}")
        widget.setAccessibleName(_(text).format(n=number))


class GoalRow(Row):
    def __init__(self) -> None:
        super().__init__()
        self.kind = QComboBox()
        fill_codes(self.kind, vocab.GOAL_KINDS)
        self.text = QLineEdit()
        self.line.addWidget(self.kind)
        self.line.addWidget(self.text, 1)
        self.finish()
        self.kind.currentIndexChanged.connect(self.changed)
        self.text.textChanged.connect(self.changed)
        self.retranslate()

    def retranslate(self) -> None:
        label_codes(self.kind, vocab.GOAL_KINDS)
        self.text.setPlaceholderText(_("The goal, in words the customer uses"))

    def renumber(self, number: int, prefix: str, noun: str) -> None:
        super().renumber(number, prefix, noun)
        name_fields(self, prefix, number, (("kind", self.kind, N_("Goal {n}: type")),
                                           ("text", self.text, N_("Goal {n}"))))

    def first_field(self) -> QWidget:
        return self.text

    def value(self) -> PlanGoalItem:
        return PlanGoalItem(self.kind.currentData(), self.text.text())

    def set_value(self, item: PlanGoalItem) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(item.kind)))
        self.text.setText(item.text)

    def fields(self) -> list[QWidget]:
        return [self.kind, self.text]


class ActionRow(Row):
    """An action with its deadline; the coach's and partners' rows also say who."""

    def __init__(self, partner: bool) -> None:
        super().__init__()
        self.partner = partner
        self.actor = QComboBox()
        fill_codes(self.actor, vocab.PARTNER_ACTORS)
        self.actor.setVisible(partner)
        self.text = QLineEdit()
        self.due_label = QLabel()
        self.due = DateEdit()
        self.due_label.setBuddy(self.due)
        self.done = QCheckBox()
        for widget, stretch in ((self.actor, 0), (self.text, 1), (self.due_label, 0),
                                (self.due, 0), (self.done, 0)):
            self.line.addWidget(widget, stretch)
        self.finish()
        self.actor.currentIndexChanged.connect(self.changed)
        self.text.textChanged.connect(self.changed)
        self.due.textChanged.connect(self.changed)
        self.done.toggled.connect(self.changed)
        self.retranslate()

    def retranslate(self) -> None:
        label_codes(self.actor, vocab.ACTORS)
        self.text.setPlaceholderText(_("What is done"))
        self.due_label.setText(_("by"))
        self.due.retranslate()
        self.done.setText(_("done"))

    def renumber(self, number: int, prefix: str, noun: str) -> None:
        super().renumber(number, prefix, noun)
        name_fields(self, prefix, number, (
            ("actor", self.actor, N_("Action {n}: who")),
            ("text", self.text, N_("Action {n}")),
            ("due", self.due, N_("Action {n}: deadline")),
            ("done", self.done, N_("Action {n}: done")),
        ))

    def first_field(self) -> QWidget:
        return self.text

    def value(self) -> PlanActionItem:
        actor = self.actor.currentData() if self.partner else "customer"
        return PlanActionItem(actor, self.text.text(), self.due.date(), self.done.isChecked())

    def set_value(self, item: PlanActionItem) -> None:
        self.actor.setCurrentIndex(max(0, self.actor.findData(item.actor)))
        self.text.setText(item.text)
        self.due.set_date(item.due_on)
        self.done.setChecked(item.done)

    def fields(self) -> list[QWidget]:
        return [self.actor, self.text, self.due, self.done]

    def date_errors(self) -> list[str]:
        return [DATE_FORMAT_ERROR] if self.due.invalid else []


class ServiceRow(Row):
    """A service in a small framed form: what, who provides it, when, a note."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.kind = QComboBox()
        fill_codes(self.kind, vocab.SERVICE_TYPES)
        self.provider = QLineEdit()
        self.provider.setMaxLength(200)
        self.starts, self.ends = DateEdit(), DateEdit()
        self.note = QLineEdit()
        dates = QHBoxLayout()
        dates.addWidget(self.starts)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.ends)
        dates.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.labels = {name: QLabel() for name in ("kind", "provider", "when", "note")}
        for name, field, buddy in (("kind", self.kind, self.kind),
                                   ("provider", self.provider, self.provider),
                                   ("when", dates, self.starts), ("note", self.note, self.note)):
            self.labels[name].setBuddy(buddy)
            form.addRow(self.labels[name], field)
        # The live state of the referral carrying the line out (#20), read-only.
        self.referral = QLabel()
        self.referral.setObjectName("plan_service_referral")
        self.referral.setWordWrap(True)
        self.referral.hide()
        self.referral_state: tuple[str, object] | None = None
        self.referral_id: str | None = None
        form.addRow(self.referral)
        self.line.addLayout(form, 1)
        self.finish()
        self.kind.currentIndexChanged.connect(self.changed)
        for edit in (self.provider, self.starts, self.ends, self.note):
            edit.textChanged.connect(self.changed)
        self.retranslate()

    def retranslate(self) -> None:
        label_codes(self.kind, vocab.SERVICE_TYPES)
        for name, text in (("kind", _("Service")), ("provider", _("Provider")),
                           ("when", _("When")), ("note", _("Note"))):
            self.labels[name].setText(text)
        self._show_referral()
        self.starts.retranslate()
        self.ends.retranslate()

    def renumber(self, number: int, prefix: str, noun: str) -> None:
        super().renumber(number, prefix, noun)
        name_fields(self, prefix, number, (
            ("kind", self.kind, N_("Service {n}")),
            ("provider", self.provider, N_("Service {n}: provider")),
            ("starts", self.starts, N_("Service {n}: starts")),
            ("ends", self.ends, N_("Service {n}: ends")),
            ("note", self.note, N_("Service {n}: note")),
        ))

    def first_field(self) -> QWidget:
        return self.kind

    def value(self) -> PlanServiceItem:
        return PlanServiceItem(self.kind.currentData(), self.provider.text(),
                               self.starts.date(), self.ends.date(), self.note.text(),
                               referral_id=self.referral_id)

    def set_value(self, item: PlanServiceItem) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(item.service_type)))
        self.provider.setText(item.provider)
        self.starts.set_date(item.starts_on)
        self.ends.set_date(item.ends_on)
        self.note.setText(item.note)
        self.referral_state = (item.referral_state, item.referral_on) \
            if item.referral_state else None
        self.referral_id = item.referral_id
        self._show_referral()

    def _show_referral(self) -> None:
        if self.referral_state is None:
            self.referral.hide()
            return
        state, day = self.referral_state
        text = _("Referral: {state} {day}").format(
            state=_(SERVICE_LABELS[ReferralState(state)]), day=format_date(day))  # type: ignore[arg-type]
        self.referral.setText(text)
        self.referral.setAccessibleName(text)
        self.referral.show()

    def fields(self) -> list[QWidget]:
        return [self.kind, self.provider, self.starts, self.ends, self.note]

    def date_errors(self) -> list[str]:
        return [DATE_FORMAT_ERROR] if self.starts.invalid or self.ends.invalid else []
