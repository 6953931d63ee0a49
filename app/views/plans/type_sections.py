"""Each plan type's own part of the editor (#24), shown after "Situation and goals":

- the multi-professional plan: its participants, the meeting's minute and the follow-up
  meeting's day, the customer's own view;
- the activation plan: the conditions, the measures, the social worker's part;
- the integration plan: language and integration training, the first residence permit's
  date, the interpreter's language, other measures.

The employment plan has none. Each section saves with the rest of the draft (autosave)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
)

from app.dto.plans import PlanContent, PlanParticipantItem
from app.i18n import N_, _
from app.rules.codes import CUSTOMER_LANGUAGES
from app.services.plans import language_name
from app.views.common import combo_line_edit, icon
from app.views.plans.fields import DATE_FORMAT_ERROR, DateEdit, RowList, lock
from app.views.plans.participants import Directory, ParticipantRow, exclude_ids
from app.views.plans.sections import FormSection, Section, row_errors, text_box


class ParticipantsSection(Section):
    """Who takes part in the plan. Partner people and staff are chosen from the
    registers (`add_requested`: the editor opens the chooser); a partner person only
    with the customer's consent in force."""

    intro_text = N_("Who takes part in the plan besides the customer and the coach, what "
                    "each is responsible for and which services they bring. A partner "
                    "person is written in only while the customer's consent to share the "
                    "plan with their organisation is in force.")
    add_requested = Signal(str)  # "partner" or "staff"

    def __init__(self) -> None:
        super().__init__("participants")
        self.list = RowList("plan_participant", ParticipantRow)
        self.list.add_button.hide()  # people come from the registers (below)
        self.add_partner = QPushButton()
        self.add_partner.setObjectName("plan_participant_add_partner")
        self.add_partner.setIcon(icon("mdi6.account-plus-outline", self))
        self.add_partner.clicked.connect(lambda: self.add_requested.emit("partner"))
        self.add_staff = QPushButton()
        self.add_staff.setObjectName("plan_participant_add_staff")
        self.add_staff.setIcon(icon("mdi6.account-tie-outline", self))
        self.add_staff.clicked.connect(lambda: self.add_requested.emit("staff"))
        self.add_other = QPushButton()
        self.add_other.setObjectName("plan_participant_add_other")
        self.add_other.setIcon(icon("mdi6.plus", self))
        self.add_other.clicked.connect(lambda: self.list.add_row(focus=True))
        buttons = QHBoxLayout()
        for button in (self.add_partner, self.add_staff, self.add_other):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.participants_error = self.error_field("participants")
        self.layout_.addWidget(self.list)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.participants_error)
        self.layout_.addStretch(1)
        self.list.changed.connect(self.changed)
        self.directory: Directory | None = None

    def retranslate(self) -> None:
        super().retranslate()
        self.list.retranslate(_("participant"), _("&Add a participant"),
                              _("No participants yet."))
        self.list.add_button.hide()
        for button, text, name in (
            (self.add_partner, _("Add a pa&rtner person…"), _("Add a partner person")),
            (self.add_staff, _("Add a &staff member…"), _("Add a staff member")),
            (self.add_other, _("Add someone &else"),
             _("Add a participant who is not in the registers")),
        ):
            button.setText(text)
            button.setAccessibleName(name)

    def set_content(self, content: PlanContent) -> None:
        self.list.set_items(list(content.participants))
        self._show_refusals()

    def collect(self, values: dict[str, Any]) -> None:
        values["participants"] = tuple(self.list.items())

    def add_participant(self, item: PlanParticipantItem) -> None:
        row = self.list.add_row(item, focus=True)
        if isinstance(row, ParticipantRow) and self.directory is not None:
            person = self.directory.person(item.partner_person_id)
            row.set_refusal(self.directory.refusal(person.partner_org_id) if person else None)

    def taken(self) -> set[str]:
        return exclude_ids(self.list.items())

    def set_directory(self, directory: Directory | None) -> None:
        """The registers and the customer's consents: each partner row says when the
        consent no longer lets them take part."""
        self.directory = directory
        self._show_refusals()

    def _show_refusals(self) -> None:
        for row in self.list.rows:
            if not isinstance(row, ParticipantRow):
                continue
            person = self.directory.person(row.item.partner_person_id) \
                if self.directory else None
            row.set_refusal(self.directory.refusal(person.partner_org_id)
                            if self.directory and person else None)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.list.set_read_only(read_only)
        self.list.add_button.hide()
        for button in (self.add_partner, self.add_staff, self.add_other):
            button.setVisible(not read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors(errors)
        self.list.show_errors(row_errors(errors, "participants"))


class MeetingSection(FormSection):
    """The multi-professional meeting's minute (recorded from the meeting dialog, or
    typed) and the day of the follow-up meeting."""

    intro_text = N_("What the meeting agreed, in a few lines, and when the participants "
                    "meet again. \"Record the minute into the plan\" in the meeting's "
                    "dialog writes the minute here.")

    def __init__(self) -> None:
        super().__init__("meeting")
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above
        self.minute = text_box("plan_meeting_minute", 8)
        self.follow_up = DateEdit()
        self.add_field("meeting_minute", N_("&Minute of the meeting"), self.minute)
        self.add_field("follow_up_on", N_("&Follow-up meeting"), self.follow_up)
        self.source = QLabel()
        self.source.setObjectName("plan_meeting_source")
        self.source.setWordWrap(True)
        self.layout_.addWidget(self.source)
        self.layout_.addStretch(1)
        self.meeting_id: str | None = None
        self.minute.textChanged.connect(self.changed)
        self.follow_up.textChanged.connect(self.changed)

    def retranslate(self) -> None:
        super().retranslate()
        self.follow_up.retranslate()
        self._show_source()

    def _show_source(self) -> None:
        self.source.setText(_("The minute was recorded from the meeting's dialog.")
                            if self.meeting_id else "")
        self.source.setVisible(bool(self.meeting_id))

    def set_content(self, content: PlanContent) -> None:
        self.meeting_id = content.meeting_id
        self.minute.setPlainText(content.meeting_minute)
        self.follow_up.set_date(content.follow_up_on)
        self._show_source()

    def collect(self, values: dict[str, Any]) -> None:
        values["meeting_id"] = self.meeting_id
        values["meeting_minute"] = self.minute.toPlainText()
        values["follow_up_on"] = self.follow_up.date()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        lock(self.minute, read_only)
        lock(self.follow_up, read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors({**self.local_errors(), **errors})

    def local_errors(self) -> dict[str, str]:
        return {"follow_up_on": DATE_FORMAT_ERROR} if self.follow_up.invalid else {}


class TextSection(FormSection):
    """A section of text fields: (field, label) pairs, each a box of `lines` lines."""

    fields_: tuple[tuple[str, str, int], ...] = ()

    def __init__(self, key: str) -> None:
        super().__init__(key)
        # Labels above the boxes: long labels never squeeze the text.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.boxes: dict[str, QPlainTextEdit] = {}
        for name, text, lines in self.fields_:
            box = text_box(f"plan_{name}", lines)
            self.boxes[name] = box
            self.add_field(name, text, box)
            box.textChanged.connect(self.changed)

    def set_content(self, content: PlanContent) -> None:
        for name, box in self.boxes.items():
            box.setPlainText(getattr(content, name))

    def collect(self, values: dict[str, Any]) -> None:
        for name, box in self.boxes.items():
            values[name] = box.toPlainText()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for box in self.boxes.values():
            lock(box, read_only)


class CustomerViewSection(TextSection):
    intro_text = N_("The customer's own view of the situation and of the plan, in their "
                    "own words.")
    fields_ = (("customer_view", N_("The customer's vie&w"), 8),)

    def __init__(self) -> None:
        super().__init__("customer_view")
        self.layout_.addStretch(1)


class ActivationSection(TextSection):
    intro_text = N_("The activation plan is made with the social services: the "
                    "conditions it is made on, the measures agreed and what the social "
                    "worker does.")
    fields_ = (
        ("activation_conditions", N_("&Grounds for the activation plan"), 4),
        ("activation_measures", N_("&Rehabilitative work activity and other measures"), 5),
        ("social_worker_part", N_("The social &worker's part"), 4),
    )

    def __init__(self) -> None:
        super().__init__("activation")
        self.layout_.addStretch(1)


class IntegrationSection(TextSection):
    intro_text = N_("Language and integration training, and the other measures that help "
                    "the customer settle and find work. The plan applies in the first "
                    "years after the first residence permit.")
    fields_ = (("integration_training", N_("Integration and language &training"), 4),)

    def __init__(self) -> None:
        super().__init__("integration")
        self.permit = DateEdit()
        self.add_field("residence_permit_on", N_("First &residence permit"), self.permit)
        # Typed, or a language's name in the plan's language (as the plan prints it).
        self.interpreter = QComboBox()
        self.interpreter.setEditable(True)
        self.interpreter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.interpreter.setMinimumContentsLength(24)
        self.interpreter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo_line_edit(self.interpreter).setMaxLength(60)
        self.add_field("interpreter_language", N_("&Interpreter's language"), self.interpreter)
        self.measures = text_box("plan_integration_measures", 4)
        self.boxes["integration_measures"] = self.measures
        self.add_field("integration_measures", N_("&Other integration measures"),
                       self.measures)
        self.layout_.addStretch(1)
        self.permit.textChanged.connect(self.changed)
        self.interpreter.currentTextChanged.connect(self.changed)
        self.measures.textChanged.connect(self.changed)

    def retranslate(self) -> None:
        super().retranslate()
        self.permit.retranslate()
        edit = combo_line_edit(self.interpreter)
        edit.setAccessibleName(_("Interpreter's language"))
        edit.setPlaceholderText(_("No interpreter needed"))

    def set_plan(self, plan_type: str, lang: str) -> None:
        super().set_plan(plan_type, lang)
        text = self.interpreter.currentText()
        self.interpreter.blockSignals(True)
        self.interpreter.clear()
        self.interpreter.addItems(sorted(
            {language_name(code, lang) for code in CUSTOMER_LANGUAGES
             if code not in ("fi", "other")}, key=str.casefold))
        self.interpreter.setCurrentText(text)
        self.interpreter.blockSignals(False)

    def set_content(self, content: PlanContent) -> None:
        super().set_content(content)
        self.permit.set_date(content.residence_permit_on)
        self.interpreter.setCurrentText(content.interpreter_language)

    def collect(self, values: dict[str, Any]) -> None:
        super().collect(values)
        values["residence_permit_on"] = self.permit.date()
        values["interpreter_language"] = self.interpreter.currentText().strip()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        lock(self.permit, read_only)
        lock(self.interpreter, read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors({**self.local_errors(), **errors})

    def local_errors(self) -> dict[str, str]:
        return {"residence_permit_on": DATE_FORMAT_ERROR} if self.permit.invalid else {}


def type_sections() -> list[Section]:
    """Every plan type's own sections (the editor shows those of the plan's type)."""
    return [ParticipantsSection(), MeetingSection(), CustomerViewSection(),
            ActivationSection(), IntegrationSection()]
