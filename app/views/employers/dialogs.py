"""The employer register's forms: an employer, a contact person, a contact with the
employer, a vacancy, a vacancy's status and a proposal's outcome. What was typed stays
until the save succeeds; a refused field is named in the error line and takes the focus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.dto.employers import (
    ContactInput,
    EmployerInput,
    PersonInput,
    PersonRow,
    ProposalRow,
    VacancyInput,
    VacancyRow,
)
from app.i18n import N_, _
from app.rules.codes import (
    EmployerChannel,
    EmployerSize,
    EmployerTopic,
    ProposalOutcome,
    VacancyHours,
    VacancyStatus,
)
from app.rules.employers import INDUSTRIES
from app.views import style
from app.views.employers.texts import code_label, industry_label
from app.views.form_dialog import FieldsFormDialog
from app.views.plans.fields import DATE_FORMAT_ERROR, DateEdit

Choices = list[tuple[str, str]]  # (id, name)


def _text_edit(text: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 16)
    return edit


def _combo(codes: list[tuple[str, str]], current: str, none: str | None = None) -> QComboBox:
    """A combo of (code, msgid-or-text) choices; `none` adds an empty choice first."""
    combo = QComboBox()
    if none is not None:
        combo.addItem("", "")
    for code, _text in codes:
        combo.addItem("", code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.setProperty("none_text", none or "")
    return combo


class _Form(FieldsFormDialog):
    """The register's forms, with `field` naming each row and its date fields checked
    before saving."""

    def __init__(self, object_name: str, parent: QWidget | None) -> None:
        super().__init__(object_name, parent)
        self.dates: list[DateEdit] = []

    def field(self, name: str, text: str, widget: QWidget) -> None:
        self.add_row(text, widget, f"{self.objectName().removesuffix('_dialog')}_{name}")
        self.fields[name] = text
        if isinstance(widget, DateEdit):
            self.dates.append(widget)

    def retranslate_rows(self) -> None:
        super().retranslate_rows()
        for edit in self.dates:
            edit.retranslate()

    def _submit(self) -> None:
        for edit in self.dates:
            if edit.invalid:
                self.show_error(_(DATE_FORMAT_ERROR))
                edit.setFocus()
                return
        super()._submit()


def _label_combo(combo: QComboBox, label: Callable[[str], str]) -> None:
    for i in range(combo.count()):
        code = combo.itemData(i)
        combo.setItemText(i, label(code) if code else _(combo.property("none_text") or ""))


EMPLOYER_TEXT_FIELDS = (
    ("business_id", N_("&Business ID (Y-tunnus)"), 20),
    ("name", N_("&Name"), 200),
)
EMPLOYER_MORE_FIELDS = (
    ("municipality", N_("&Municipality"), 80),
    ("street_address", N_("Street &address"), 200),
    ("postal_code", N_("Postal &code"), 10),
    ("post_office", N_("Post &office"), 80),
    ("visiting_address", N_("&Visiting address"), 200),
    ("phone", N_("&Phone"), 40),
    ("email", N_("E-mai&l"), 200),
    ("website", N_("&Website"), 200),
)


class EmployerDialog(_Form):
    """An employer's facts; the business ID is fixed once the employer exists (its id is
    derived from it)."""

    def __init__(self, data: EmployerInput | None, teams: Choices, staff: Choices,
                 parent: QWidget | None = None) -> None:
        super().__init__("employer_dialog", parent)
        self.new = data is None
        data = data or EmployerInput()
        self.edits: dict[str, QLineEdit] = {}
        for name, text, limit in EMPLOYER_TEXT_FIELDS:
            self.edits[name] = self._line(name, text, limit, getattr(data, name))
        self.edits["business_id"].setReadOnly(not self.new)
        self.industry = _combo([(k, k) for k in INDUSTRIES], data.industry, N_("Not given"))
        self.field("industry", N_("&Industry (TOL 2008)"), self.industry)
        self.size_class = _combo([(s.value, s.value) for s in EmployerSize], data.size_class,
                           N_("Not given"))
        self.field("size_class", N_("Si&ze"), self.size_class)
        for name, text, limit in EMPLOYER_MORE_FIELDS:
            self.edits[name] = self._line(name, text, limit, getattr(data, name))
        self.team = _combo(teams, data.team_id, N_("No team"))
        self.team_names = dict(teams)
        self.field("team_id", N_("Responsible &team"), self.team)
        self.staff = _combo(staff, data.contact_staff_id, N_("No named contact"))
        self.staff_names = dict(staff)
        self.field("contact_staff_id", N_("Sta&ff contact"), self.staff)
        self.note = _text_edit(data.note, 2)
        self.field("note", N_("Not&e"), self.note)
        self.finish_layout()
        self.retranslate()

    def _line(self, name: str, text: str, limit: int, value: str) -> QLineEdit:
        edit = QLineEdit(value)
        edit.setMaxLength(limit)
        self.field(name, text, edit)
        return edit

    def retranslate(self) -> None:
        self.setWindowTitle(_("New employer") if self.new else _("Edit the employer"))
        self.retranslate_rows()
        self.edits["business_id"].setPlaceholderText("1234567-8")
        _label_combo(self.industry, industry_label)
        _label_combo(self.size_class, code_label)
        _label_combo(self.team, lambda i: self.team_names.get(i, i))
        _label_combo(self.staff, lambda i: self.staff_names.get(i, i))
        self.ok_text(_("&Save"), "employer_save")

    def value(self) -> EmployerInput:
        return EmployerInput(
            **{name: edit.text() for name, edit in self.edits.items()},
            industry=self.industry.currentData() or "",
            size_class=self.size_class.currentData() or "",
            team_id=self.team.currentData() or "", contact_staff_id=self.staff.currentData() or "",
            note=self.note.toPlainText())


class PersonDialog(_Form):
    def __init__(self, data: PersonInput | None, parent: QWidget | None = None) -> None:
        super().__init__("person_dialog", parent)
        self.new = data is None
        data = data or PersonInput()
        self.edits: dict[str, QLineEdit] = {}
        for name, text, limit in (("name", N_("&Name"), 200), ("role", N_("&Role"), 200),
                                  ("phone", N_("&Phone"), 40), ("email", N_("E-&mail"), 200)):
            edit = QLineEdit(getattr(data, name))
            edit.setMaxLength(limit)
            self.field(name, text, edit)
            self.edits[name] = edit
        self.privacy = QLabel()
        self.privacy.setWordWrap(True)
        style.secondary(self.privacy)
        self.layout_.addWidget(self.privacy)
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New contact person") if self.new
                            else _("Edit the contact person"))
        self.retranslate_rows()
        self.edits["role"].setPlaceholderText(_("e.g. HR manager"))
        self.privacy.setText(_("A contact person is personal data: record only what the "
                               "work with the employer needs."))
        self.ok_text(_("&Save"), "person_save")

    def value(self) -> PersonInput:
        return PersonInput(**{name: edit.text() for name, edit in self.edits.items()})


class ContactDialog(_Form):
    """A contact with the employer: when, how, what about, with whom, what was agreed,
    and a follow-up that appears in the responsible worker's Today."""

    def __init__(self, data: ContactInput | None, persons: list[PersonRow], staff: Choices,
                 today: date, parent: QWidget | None = None) -> None:
        super().__init__("contact_dialog", parent)
        self.new = data is None
        data = data or ContactInput(contacted_on=today)
        self.contacted_on = DateEdit()
        self.contacted_on.set_date(data.contacted_on)
        self.field("contacted_on", N_("&Date"), self.contacted_on)
        self.channel = _combo([(c.value, c.value) for c in EmployerChannel], data.channel)
        self.field("channel", N_("&How"), self.channel)
        self.topic = _combo([(t.value, t.value) for t in EmployerTopic], data.topic)
        self.field("topic", N_("&Topic"), self.topic)
        active = [(p.id, p.name) for p in persons if p.active or p.id == data.person_id]
        self.person = _combo(active, data.person_id, N_("No one named"))
        self.person_names = dict(active)
        self.field("person_id", N_("Contact &person"), self.person)
        self.summary = _text_edit(data.summary, 4)
        self.field("summary", N_("S&ummary"), self.summary)
        self.follow_up_on = DateEdit()
        self.follow_up_on.set_date(data.follow_up_on)
        self.field("follow_up_on", N_("&Follow up on"), self.follow_up_on)
        self.follow_up_by = _combo(staff, data.follow_up_by,
                                   N_("The employer's staff contact, else me"))
        self.staff_names = dict(staff)
        self.field("follow_up_by", N_("Follow up &by"), self.follow_up_by)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        style.secondary(self.hint)
        self.layout_.addWidget(self.hint)
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Record a contact") if self.new else _("Edit the contact"))
        self.retranslate_rows()
        _label_combo(self.channel, code_label)
        _label_combo(self.topic, code_label)
        _label_combo(self.person, lambda i: self.person_names.get(i, i))
        _label_combo(self.follow_up_by, lambda i: self.staff_names.get(i, i))
        self.hint.setText(_("A follow-up date puts the employer in that worker's Today "
                            "until it is marked done. The summary is about the employer: "
                            "no job seeker's details."))
        self.ok_text(_("&Save"), "contact_save")

    def value(self) -> ContactInput:
        return ContactInput(
            contacted_on=self.contacted_on.date(), channel=self.channel.currentData() or "",
            topic=self.topic.currentData() or "", person_id=self.person.currentData() or "",
            summary=self.summary.toPlainText(), follow_up_on=self.follow_up_on.date(),
            follow_up_by=self.follow_up_by.currentData() or "")


class VacancyDialog(_Form):
    def __init__(self, data: VacancyInput | None, staff: Choices, municipality: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__("vacancy_dialog", parent)
        self.new = data is None
        data = data or VacancyInput(municipality=municipality)
        self.title = QLineEdit(data.title)
        self.title.setMaxLength(200)
        self.field("title", N_("&Title"), self.title)
        self.occupation = QLineEdit(data.occupation)
        self.occupation.setMaxLength(200)
        self.field("occupation", N_("&Occupation"), self.occupation)
        self.municipality = QLineEdit(data.municipality)
        self.municipality.setMaxLength(80)
        self.field("municipality", N_("&Municipality"), self.municipality)
        self.hours = _combo([(h.value, h.value) for h in VacancyHours], data.hours)
        self.field("hours", N_("Working &hours"), self.hours)
        self.starts_on = DateEdit()
        self.starts_on.set_date(data.starts_on)
        self.field("starts_on", N_("Sta&rts on"), self.starts_on)
        self.positions = QLineEdit(data.positions)
        self.positions.setMaxLength(4)
        self.field("positions", N_("&Number of people"), self.positions)
        self.apply_by = DateEdit()
        self.apply_by.set_date(data.apply_by)
        self.field("apply_by", N_("&Apply by"), self.apply_by)
        self.hidden = QCheckBox()
        self.hidden.setChecked(data.hidden)
        self.field("hidden", N_("Hi&dden job"), self.hidden)
        self.subsidy = QCheckBox()
        self.subsidy.setChecked(data.pay_subsidy_possible)
        self.field("pay_subsidy_possible", N_("Pay su&bsidy"), self.subsidy)
        self.staff = _combo(staff, data.staff_id, N_("Me"))
        self.staff_names = dict(staff)
        self.field("staff_id", N_("Res&ponsible worker"), self.staff)
        self.description = _text_edit(data.description, 3)
        self.field("description", N_("D&escription"), self.description)
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New vacancy") if self.new else _("Edit the vacancy"))
        self.retranslate_rows()
        _label_combo(self.hours, code_label)
        _label_combo(self.staff, lambda i: self.staff_names.get(i, i))
        self.hidden.setText(_("Not advertised (a hidden job)"))
        self.subsidy.setText(_("Pay subsidy possible"))
        self.ok_text(_("&Save"), "vacancy_save")

    def value(self) -> VacancyInput:
        return VacancyInput(
            title=self.title.text(), occupation=self.occupation.text(),
            municipality=self.municipality.text(), hours=self.hours.currentData() or "",
            starts_on=self.starts_on.date(), positions=self.positions.text(),
            apply_by=self.apply_by.date(), hidden=self.hidden.isChecked(),
            pay_subsidy_possible=self.subsidy.isChecked(),
            staff_id=self.staff.currentData() or "",
            description=self.description.toPlainText())


def vacancy_input(row: VacancyRow) -> VacancyInput:
    """The form of a stored vacancy."""
    return VacancyInput(title=row.title, occupation=row.occupation,
                        municipality=row.municipality, hours=row.hours,
                        starts_on=row.starts_on, positions=str(row.positions),
                        apply_by=row.apply_by, hidden=row.hidden,
                        pay_subsidy_possible=row.pay_subsidy_possible, staff_id=row.staff_id,
                        description=row.description)


class StatusDialog(_Form):
    """A vacancy's status: open, filled, closed without a hire or cancelled."""

    def __init__(self, row: VacancyRow, today: date, parent: QWidget | None = None) -> None:
        super().__init__("status_dialog", parent)
        self.row = row
        self.status = _combo([(s.value, s.value) for s in VacancyStatus], row.status)
        self.field("status", N_("S&tatus"), self.status)
        self.on = DateEdit()
        self.on.set_date(today)
        self.field("on", N_("&On"), self.on)
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Vacancy status: {title}").format(title=self.row.title))
        self.retranslate_rows()
        _label_combo(self.status, code_label)
        self.ok_text(_("&Save"), "status_save")

    def value(self) -> tuple[str, date | None]:
        return self.status.currentData() or "", self.on.date()


OUTCOMES = (ProposalOutcome.APPLIED, ProposalOutcome.INTERVIEWED, ProposalOutcome.HIRED,
            ProposalOutcome.NOT_CHOSEN)


class OutcomeDialog(_Form):
    """How a proposal went; a hire may close the job seeker's case as employed."""

    def __init__(self, row: ProposalRow, today: date, parent: QWidget | None = None) -> None:
        super().__init__("outcome_dialog", parent)
        self.row = row
        current = row.outcome if row.outcome != ProposalOutcome.PROPOSED else "applied"
        self.outcome = _combo([(o.value, o.value) for o in OUTCOMES], current)
        self.field("outcome", N_("&Outcome"), self.outcome)
        self.on = DateEdit()
        self.on.set_date(today)
        self.field("on", N_("&Date"), self.on)
        self.close_case = QCheckBox()
        self.close_case.setObjectName("outcome_close_case")
        self.layout_.addWidget(self.close_case)
        self.outcome.currentIndexChanged.connect(lambda _i: self._hired_changed())
        self.finish_layout()
        self.retranslate()
        self._hired_changed()

    def _hired_changed(self) -> None:
        hired = self.outcome.currentData() == ProposalOutcome.HIRED
        self.close_case.setEnabled(hired)
        if not hired:
            self.close_case.setChecked(False)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Outcome: {name}").format(name=self.row.customer_name))
        self.retranslate_rows()
        _label_combo(self.outcome, code_label)
        self.close_case.setText(_("&Close the customer's case as employed"))
        self.close_case.setAccessibleName(_("Close the customer's case as employed"))
        self.close_case.setToolTip(_("Ends the open job-search period with the reason "
                                     "employed on the open labour market."))
        self.ok_text(_("&Save"), "outcome_save")

    def value(self) -> tuple[str, date | None, bool]:
        return (self.outcome.currentData() or "", self.on.date(),
                self.close_case.isEnabled() and self.close_case.isChecked())
