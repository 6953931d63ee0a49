"""The plan editor's section forms: each edits its part of a draft's `PlanContent`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.dto.plans import PlanActionItem, PlanContent, PlanGoalItem
from app.i18n import N_, _
from app.rules import plan_vocabulary as vocab
from app.rules import plan_wordings
from app.views import style
from app.views.common import FieldError
from app.views.plans.fields import DATE_FORMAT_ERROR, RowList, WordingButton, lock
from app.views.plans.rows import ActionRow, GoalRow, ServiceRow

# Which fields (error keys before the first dot) each section edits.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "goals": ("goals", "summary"),
    "customer_actions": ("customer_actions",),
    "partner_actions": ("partner_actions",),
    "services": ("services",),
    "obligation": ("applications_per_period", "period_months", "obligation_starts_on",
                   "obligation_lowered_reason"),
    "contact": ("contact_method", "contact_frequency"),
    "review": ("next_review_on",),
    # Each plan type's own part (#24): app/views/plans/type_sections.py.
    "participants": ("participants",),
    "meeting": ("meeting_minute", "follow_up_on", "meeting_id"),
    "customer_view": ("customer_view",),
    "activation": ("activation_conditions", "activation_measures", "social_worker_part"),
    "integration": ("integration_training", "residence_permit_on", "interpreter_language",
                    "integration_measures"),
}
# The sections each plan type adds to the common ones, shown after "Situation and goals";
# the employment plan adds none.
TYPE_SECTIONS: dict[str, tuple[str, ...]] = {
    "multi_professional": ("participants", "meeting", "customer_view"),
    "activation": ("activation",),
    "integration": ("integration",),
}
TYPE_SECTION_TITLES: dict[str, str] = {
    "participants": N_("Participants"),
    "meeting": N_("Multi-professional meeting"),
    "customer_view": N_("The customer's own view"),
    "activation": N_("Activation"),
    "integration": N_("Integration"),
}


def section_title(key: str) -> str:
    """The section's title, translated: the common ones from the plan vocabulary."""
    return _(vocab.SECTION_TITLES.get(key) or TYPE_SECTION_TITLES[key])


def section_of(field: str) -> str | None:
    head = field.split(".")[0]
    return next((key for key, fields in SECTION_FIELDS.items() if head in fields), None)


def row_errors(errors: dict[str, str], prefix: str) -> dict[int, list[str]]:
    """{"goals.1.text": msg} -> {1: [msg]} for the rows of one list."""
    out: dict[int, list[str]] = {}
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] == prefix and len(parts) > 1 and parts[1].isdigit():
            out.setdefault(int(parts[1]), []).append(message)
    return out


def text_box(name: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setTabChangesFocus(True)  # Tab moves on, as from every other field
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def append_text(box: QPlainTextEdit, text: str) -> None:
    current = box.toPlainText().rstrip()
    box.setPlainText(f"{current}\n{text}" if current else text)
    box.setFocus()


class Section(QWidget):
    """One section's form. `collect` adds its fields to the content being built."""

    changed = Signal()
    intro_text = ""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"plan_section_{key}")
        self.layout_ = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName(f"plan_{key}_heading")
        style.heading(self.heading)
        self.intro = QLabel()
        self.intro.setObjectName(f"plan_{key}_intro")
        self.intro.setWordWrap(True)
        style.secondary(self.intro)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.intro)
        self.plan_type, self.plan_lang = "employment", "fi"
        self.read_only = False
        self.errors: dict[str, FieldError] = {}

    def retranslate(self) -> None:
        self.heading.setText(section_title(self.key))
        self.intro.setText(self.intro_message())

    def intro_message(self) -> str:
        return _(self.intro_text)

    def set_plan(self, plan_type: str, lang: str) -> None:
        """The plan type and language decide which ready wording is offered."""
        self.plan_type, self.plan_lang = plan_type, lang

    def wordings(self, section: str) -> list[tuple[str, str]]:
        return plan_wordings.wordings(section, self.plan_type, self.plan_lang)

    def set_content(self, content: PlanContent) -> None:
        raise NotImplementedError

    def collect(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only

    def error_field(self, name: str) -> FieldError:
        error = FieldError()
        error.setObjectName(f"plan_{name}_error")
        self.errors[name] = error
        return error

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.show_message(_(errors[name]) if name in errors else "")

    def local_errors(self) -> dict[str, str]:
        """Problems the form itself sees: a date that is not a date."""
        return {}


class GoalsSection(Section):
    intro_text = N_("The customer's situation, and what the customer aims at: work, "
                    "education or other goals.")

    def __init__(self) -> None:
        super().__init__("goals")
        self.summary_label = QLabel()
        self.summary = text_box("plan_summary", 3)
        self.summary_label.setBuddy(self.summary)
        self.summary_wording = WordingButton("plan_summary_wording")
        self.goals_label = QLabel()
        self.goals = RowList("plan_goal", GoalRow)
        self.goals_error = self.error_field("goals")
        self.layout_.addWidget(self.summary_label)
        self.layout_.addWidget(self.summary)
        self.layout_.addWidget(self.summary_wording, 0, Qt.AlignmentFlag.AlignLeft)
        self.layout_.addWidget(self.error_field("summary"))
        self.layout_.addSpacing(8)
        self.layout_.addWidget(self.goals_label)
        self.layout_.addWidget(self.goals)
        self.layout_.addWidget(self.goals_error)
        self.layout_.addStretch(1)
        self.summary.textChanged.connect(self.changed)
        self.goals.changed.connect(self.changed)

    def retranslate(self) -> None:
        super().retranslate()
        self.summary_label.setText(_("&Situation"))
        self.summary.setAccessibleName(_("Situation"))
        self.goals_label.setText(_("Goals"))
        self.summary_wording.retranslate()
        self.goals.retranslate(_("goal"), _("&Add a goal"), _("No goals yet."))
        self._wordings()

    def set_plan(self, plan_type: str, lang: str) -> None:
        super().set_plan(plan_type, lang)
        self._wordings()

    def _wordings(self) -> None:
        self.summary_wording.fill(self.wordings("summary"),
                                  lambda _k, text: append_text(self.summary, text))
        self.goals.set_wordings(self.wordings("goals"), self._insert_goal)

    def _insert_goal(self, kind: str, text: str) -> None:
        self.goals.add_row(PlanGoalItem(kind, text), focus=True)

    def set_content(self, content: PlanContent) -> None:
        self.summary.setPlainText(content.summary)
        self.goals.set_items(list(content.goals))

    def collect(self, values: dict[str, Any]) -> None:
        values["summary"] = self.summary.toPlainText()
        values["goals"] = tuple(self.goals.items())

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        lock(self.summary, read_only)
        self.summary_wording.setVisible(not read_only)
        self.goals.set_read_only(read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors(errors)
        self.goals.show_errors(row_errors(errors, "goals"))


class ActionsSection(Section):
    """The customer's own actions, or the coach's and partners' (`partner=True`)."""

    def __init__(self, partner: bool) -> None:
        super().__init__("partner_actions" if partner else "customer_actions")
        self.partner = partner
        self.intro_text = (
            N_("What the coach and partners such as Kela, social services or a training "
               "provider do, and by when.") if partner else
            N_("What the customer does, and by when. Mark an action done when it is."))
        self.list = RowList(f"plan_{self.key}", lambda: ActionRow(partner))
        self.layout_.addWidget(self.list)
        self.layout_.addStretch(1)
        self.list.changed.connect(self.changed)

    def retranslate(self) -> None:
        super().retranslate()
        self.list.retranslate(_("action"), _("&Add an action"), _("No actions yet."))
        self._wordings()

    def set_plan(self, plan_type: str, lang: str) -> None:
        super().set_plan(plan_type, lang)
        self._wordings()

    def _wordings(self) -> None:
        self.list.set_wordings(self.wordings(self.key), self._insert)

    def _insert(self, kind: str, text: str) -> None:
        self.list.add_row(PlanActionItem(kind or "customer", text), focus=True)

    def set_content(self, content: PlanContent) -> None:
        self.list.set_items([a for a in content.actions
                             if (a.actor != "customer") == self.partner])

    def collect(self, values: dict[str, Any]) -> None:
        values.setdefault("actions", ())
        values["actions"] += tuple(self.list.items())

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.list.set_read_only(read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.list.show_errors(row_errors(errors, self.key))

    def local_errors(self) -> dict[str, str]:
        return {f"{self.key}.{i}.due_on": DATE_FORMAT_ERROR
                for i, row in enumerate(self.list.rows) if row.date_errors()}


class ServicesSection(Section):
    intro_text = N_("Services the customer is referred to, who provides them and when: "
                    "purchased coaching, expert assessments, training, work trials, "
                    "pay subsidy, start-up grant, rehabilitation.")

    def __init__(self) -> None:
        super().__init__("services")
        self.list = RowList("plan_service", ServiceRow)
        self.layout_.addWidget(self.list)
        self.layout_.addStretch(1)
        self.list.changed.connect(self.changed)

    def retranslate(self) -> None:
        super().retranslate()
        self.list.retranslate(_("service"), _("&Add a service"), _("No services yet."))

    def set_content(self, content: PlanContent) -> None:
        self.list.set_items(list(content.services))

    def collect(self, values: dict[str, Any]) -> None:
        values["services"] = tuple(self.list.items())

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.list.set_read_only(read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.list.show_errors(row_errors(errors, "services"))

    def local_errors(self) -> dict[str, str]:
        return {f"services.{i}.starts_on": DATE_FORMAT_ERROR
                for i, row in enumerate(self.list.rows) if row.date_errors()}


class FormSection(Section):
    """A section of single fields in a form, each with its error line."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.layout_.addLayout(self.form)
        self.labels: list[tuple[QLabel, QWidget, str]] = []

    def add_field(self, name: str, text: str, widget: QWidget,
                  extra: QWidget | None = None) -> None:
        label = QLabel()
        label.setBuddy(widget)
        widget.setObjectName(f"plan_{name}")
        self.labels.append((label, widget, text))
        holder = QVBoxLayout()
        holder.setSpacing(2)
        holder.addWidget(widget)
        if extra is not None:
            holder.addWidget(extra, 0, Qt.AlignmentFlag.AlignLeft)
        holder.addWidget(self.error_field(name))
        self.form.addRow(label, holder)

    def retranslate(self) -> None:
        super().retranslate()
        for label, widget, text in self.labels:
            label.setText(_(text))
            widget.setAccessibleName(_(text).replace("&", ""))
