"""The employer card: the register's facts, the timeline of contacts (newest first) with
their follow-ups, the contact persons and the vacancies; and the vacancy view with the
job seekers proposed and how each proposal went. Views only: the page loads and saves
(app/views/employers/page.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.dto.employers import (
    ContactRow,
    EmployerDetail,
    PersonRow,
    ProposalRow,
    VacancyRow,
)
from app.i18n import N_, _, format_number, ngettext
from app.rules.codes import EmployerTopic, ProposalOutcome, VacancyHours, VacancyStatus
from app.views import style
from app.views.common import ColumnFitter, heading_label, icon, list_table, shortcut
from app.views.employers.texts import code_label, day, industry_label, responsible
from app.views.simple_model import SimpleTableModel


def _button(name: str) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    return button


def _name_buttons(*buttons: QPushButton) -> None:
    for button in buttons:
        button.setAccessibleName(button.text().replace("&", "").rstrip("…").split(" (")[0])


def _title_bar(view: QWidget, layout: QVBoxLayout, prefix: str, heading: str,
               second: str) -> tuple[QPushButton, QLabel, QPushButton, QPushButton, QLabel]:
    """The top of a card: back (Alt+Left, emits `view.back_requested`), the heading,
    Edit… and a second action, then the facts under them."""
    top = QHBoxLayout()
    back = _button(f"{prefix}_back")
    back.clicked.connect(view.back_requested)  # type: ignore[attr-defined]
    shortcut(view, "Alt+Left", back)
    title = heading_label()
    title.setObjectName(heading)
    title.setWordWrap(True)
    edit, other = _button(f"{prefix}_edit"), _button(f"{prefix}_{second}")
    top.addWidget(back)
    top.addWidget(title, 1)
    top.addWidget(edit)
    top.addWidget(other)
    layout.addLayout(top)
    facts = _facts_label(f"{prefix}_facts")
    layout.addWidget(facts)
    return back, title, edit, other, facts


def _facts_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return label


def _table(name: str, model: SimpleTableModel) -> QTableView:
    table = list_table(name, model)
    ColumnFitter(table)
    return table


def follow_up_text(row: ContactRow) -> str:
    if row.follow_up_on is None:
        return ""
    who = f" ({row.follow_up_by_name})" if row.follow_up_by_name else ""
    if row.follow_up_done_on is not None:
        return _("{date}{who}: done {done}").format(date=day(row.follow_up_on), who=who,
                                                    done=day(row.follow_up_done_on))
    return f"{day(row.follow_up_on)}{who}"


def _contact_cells(row: ContactRow) -> list[str]:
    return [day(row.contacted_on), code_label(row.channel), code_label(row.topic, EmployerTopic),
            row.person_name, row.staff_name, row.summary, follow_up_text(row)]


def _person_cells(row: PersonRow) -> list[str]:
    return [row.name, row.role, row.phone, row.email, "" if row.active else _("Inactive")]


def vacancy_status_text(row: VacancyRow) -> str:
    text = code_label(row.status)
    if row.closed_on and row.status != VacancyStatus.OPEN:
        text += f" {day(row.closed_on)}"
    return text


def _vacancy_cells(row: VacancyRow) -> list[str]:
    title = row.title + ("\n" + _("hidden job") if row.hidden else "")
    return [title, vacancy_status_text(row), row.municipality, code_label(row.hours, VacancyHours),
            day(row.apply_by), format_number(row.proposed), format_number(row.interviewed),
            format_number(row.hired)]


def _proposal_cells(row: ProposalRow) -> list[str]:
    outcome = code_label(row.outcome)
    if row.outcome_on and row.outcome != ProposalOutcome.PROPOSED:
        outcome += f" {day(row.outcome_on)}"
    return [row.customer_name, row.customer_number, day(row.proposed_on),
            row.proposed_by_name, outcome, row.shared]


class EmployerCard(QWidget):
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("employer_card")
        self.detail: EmployerDetail | None = None
        self.can_edit = False
        layout = QVBoxLayout(self)
        self.back, self.heading, self.edit, self.active_button, self.facts = _title_bar(
            self, layout, "employer", "employer_name", "active")

        self.sections = QTabWidget()
        self.sections.setObjectName("employer_sections")
        self.sections.setDocumentMode(True)
        # The timeline of contacts.
        self.contacts_tab = QWidget()
        contacts = QVBoxLayout(self.contacts_tab)
        contacts.setContentsMargins(0, 4, 0, 0)
        self.contacts = SimpleTableModel(
            (N_("Date"), N_("How"), N_("Topic"), N_("Contact person"), N_("Staff"),
             N_("Summary"), N_("Follow-up")), _contact_cells, self)
        self.contact_table = _table("employer_contacts", self.contacts)
        contacts.addWidget(self.contact_table, 1)
        row = QHBoxLayout()
        self.record = _button("employer_record_contact")
        self.edit_contact = _button("employer_edit_contact")
        self.done = _button("employer_follow_up_done")
        shortcut(self, "Ctrl+R", self.record)
        row.addWidget(self.record)
        row.addWidget(self.edit_contact)
        row.addWidget(self.done)
        row.addStretch(1)
        contacts.addLayout(row)
        self.sections.addTab(self.contacts_tab, "")
        # The vacancies.
        self.vacancies_tab = QWidget()
        vacancies = QVBoxLayout(self.vacancies_tab)
        vacancies.setContentsMargins(0, 4, 0, 0)
        self.vacancies = SimpleTableModel(
            (N_("Vacancy"), N_("Status"), N_("Municipality"), N_("Working hours"),
             N_("Apply by"), N_("Proposed"), N_("Interviewed"), N_("Hired")),
            _vacancy_cells, self)
        self.vacancy_table = _table("employer_vacancies", self.vacancies)
        vacancies.addWidget(self.vacancy_table, 1)
        row = QHBoxLayout()
        self.new_vacancy = _button("employer_new_vacancy")
        self.open_vacancy = _button("employer_open_vacancy")
        self.vacancy_status = _button("employer_vacancy_status")
        self.propose = _button("employer_propose")
        for button in (self.new_vacancy, self.open_vacancy, self.vacancy_status, self.propose):
            row.addWidget(button)
        row.addStretch(1)
        vacancies.addLayout(row)
        self.sections.addTab(self.vacancies_tab, "")
        # The contact persons.
        self.persons_tab = QWidget()
        persons = QVBoxLayout(self.persons_tab)
        persons.setContentsMargins(0, 4, 0, 0)
        self.persons = SimpleTableModel(
            (N_("Name"), N_("Role"), N_("Phone"), N_("E-mail"), N_("State")), _person_cells,
            self)
        self.person_table = _table("employer_persons", self.persons)
        persons.addWidget(self.person_table, 1)
        row = QHBoxLayout()
        self.add_person = _button("employer_add_person")
        self.edit_person = _button("employer_edit_person")
        self.person_active = _button("employer_person_active")
        for button in (self.add_person, self.edit_person, self.person_active):
            row.addWidget(button)
        row.addStretch(1)
        persons.addLayout(row)
        self.sections.addTab(self.persons_tab, "")
        layout.addWidget(self.sections, 1)
        self.message = QLabel()
        self.message.setObjectName("employer_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        for table in (self.contact_table, self.vacancy_table, self.person_table):
            table.selectionModel().selectionChanged.connect(lambda *_a: self.update_buttons())
        self.retranslate()

    # --- texts ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.back.setText(_("← Employers"))
        self.back.setToolTip(_("Back to the employer list (Alt+Left)"))
        self.back.setAccessibleName(_("Back to the employer list"))
        self.edit.setText(_("&Edit…"))
        self.edit.setIcon(icon("mdi6.pencil", self))
        self.sections.setAccessibleName(_("Employer sections"))
        self._tab_texts()
        self.contact_table.setAccessibleName(_("Contacts and visits, newest first"))
        self.vacancy_table.setAccessibleName(_("Vacancies"))
        self.person_table.setAccessibleName(_("Contact persons"))
        self.record.setText(_("&Record a contact… (Ctrl+R)"))
        self.record.setIcon(icon("mdi6.phone-plus", self))
        self.edit_contact.setText(_("Edit the con&tact…"))
        self.done.setText(_("&Mark the follow-up done"))
        self.done.setIcon(icon("mdi6.check", self))
        self.new_vacancy.setText(_("New &vacancy…"))
        self.new_vacancy.setIcon(icon("mdi6.briefcase-plus-outline", self))
        self.open_vacancy.setText(_("&Open the vacancy (Enter)"))
        self.vacancy_status.setText(_("Change the st&atus…"))
        self.propose.setText(_("&Propose job seekers…"))
        self.propose.setIcon(icon("mdi6.account-arrow-right", self))
        self.add_person.setText(_("&Add a contact person…"))
        self.add_person.setIcon(icon("mdi6.account-plus", self))
        self.edit_person.setText(_("Edit the &person…"))
        _name_buttons(self.edit, self.record, self.edit_contact, self.done, self.new_vacancy,
                      self.open_vacancy, self.vacancy_status, self.propose, self.add_person,
                      self.edit_person)
        for model in (self.contacts, self.vacancies, self.persons):
            model.retranslate()
        self.show_facts()
        self.update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _tab_texts(self) -> None:
        """Each tab with its count: "Vacancies (2)"."""
        for tab, text, rows in ((self.contacts_tab, _("Contacts and visits"), self.contacts),
                                (self.vacancies_tab, _("Vacancies"), self.vacancies),
                                (self.persons_tab, _("Contact persons"), self.persons)):
            n = rows.rowCount()
            self.sections.setTabText(self.sections.indexOf(tab),
                                     f"{text} ({format_number(n)})" if n else text)

    # --- showing ----------------------------------------------------------------------

    def set_can_edit(self, on: bool) -> None:
        """The desk looks employers up: the facts and the vacancies, nothing to change;
        contacts and contact persons are not theirs to see."""
        self.can_edit = on
        for button in (self.edit, self.active_button, self.new_vacancy, self.vacancy_status,
                       self.propose):
            button.setVisible(on)
        for tab in (self.contacts_tab, self.persons_tab):
            self.sections.setTabVisible(self.sections.indexOf(tab), on)
        if not on:
            self.sections.setCurrentWidget(self.vacancies_tab)
        self.update_buttons()

    def show_detail(self, detail: EmployerDetail, contact_id: str | None = None,
                    vacancy_id: str | None = None) -> None:
        self.detail = detail
        self.contacts.set_rows(detail.contacts)
        self.persons.set_rows(detail.persons)
        self.vacancies.set_rows(detail.vacancies)
        self._select(self.contact_table, detail.contacts, contact_id)
        self._select(self.vacancy_table, detail.vacancies, vacancy_id)
        if self.persons.rows:
            self.person_table.selectRow(0)
        self._tab_texts()
        self.show_facts()
        self.update_buttons()

    @staticmethod
    def _select(table: QTableView, rows: list, wanted: str | None) -> None:
        index = next((i for i, r in enumerate(rows) if r.id == wanted), 0 if rows else -1)
        if index >= 0:
            table.selectRow(index)

    def show_facts(self) -> None:
        detail = self.detail
        if detail is None:
            self.heading.setText(_("Employer"))
            self.facts.setText("")
            self.facts.setAccessibleName(_("Employer"))
            return
        e, f = detail.employer, detail.form
        self.heading.setText(e.name)
        lines = [_("Business ID: {id}").format(id=e.business_id)]
        if not e.active:
            lines.append("⚠ " + _("Inactive: no longer in the register's list."))
        facts = [industry_label(e.industry), code_label(e.size_class) if e.size_class else "",
                 e.municipality]
        lines.append("  ·  ".join(v for v in facts if v))
        address = ", ".join(v for v in (f.street_address, " ".join(
            v for v in (f.postal_code, f.post_office) if v)) if v)
        if address:
            lines.append(_("Address: {address}").format(address=address))
        if f.visiting_address:
            lines.append(_("Visiting address: {address}").format(address=f.visiting_address))
        reach = "   ".join(v for v in (f.phone, f.email, f.website) if v)
        if reach:
            lines.append(reach)
        who = responsible(e.team_name, e.contact_staff_name)
        lines.append(_("Responsible: {who}").format(who=who) if who
                     else _("Responsible: no team or staff contact named"))
        if detail.last_contact_on is not None:
            lines.append(_("Contacts: first {first}, latest {last}").format(
                first=day(detail.first_contact_on), last=day(detail.last_contact_on)))
        elif self.can_edit:
            lines.append(_("No contacts recorded yet."))
        if f.note:
            lines.append(f.note)
        self.facts.setText("\n".join(line for line in lines if line))
        self.facts.setAccessibleName(_("Employer {name}").format(name=e.name))

    def selected_contact(self) -> ContactRow | None:
        rows = self.contact_table.selectionModel().selectedRows()
        return self.contacts.row_at(rows[0].row()) if rows else None

    def selected_person(self) -> PersonRow | None:
        rows = self.person_table.selectionModel().selectedRows()
        return self.persons.row_at(rows[0].row()) if rows else None

    def selected_vacancy(self) -> VacancyRow | None:
        rows = self.vacancy_table.selectionModel().selectedRows()
        return self.vacancies.row_at(rows[0].row()) if rows else None

    def update_buttons(self) -> None:
        have = self.detail is not None
        active = have and self.detail is not None and self.detail.employer.active
        self.active_button.setText(_("&Deactivate") if active or not have
                                   else _("Re&activate"))
        self.active_button.setAccessibleName(self.active_button.text().replace("&", ""))
        contact = self.selected_contact()
        person = self.selected_person()
        vacancy = self.selected_vacancy()
        edit = self.can_edit and have
        for button in (self.edit, self.active_button, self.record, self.add_person,
                       self.new_vacancy):
            button.setEnabled(edit)
        self.edit_contact.setEnabled(edit and contact is not None)
        self.done.setEnabled(edit and contact is not None and contact.follow_up_on is not None
                             and contact.follow_up_done_on is None)
        self.edit_person.setEnabled(edit and person is not None)
        self.person_active.setEnabled(edit and person is not None)
        self.person_active.setText(_("Deacti&vate the person") if person is None or person.active
                                   else _("Reacti&vate the person"))
        self.person_active.setAccessibleName(self.person_active.text().replace("&", ""))
        self.open_vacancy.setEnabled(vacancy is not None)
        self.vacancy_status.setEnabled(edit and vacancy is not None)
        self.propose.setEnabled(edit and vacancy is not None
                                and vacancy.status == VacancyStatus.OPEN)

    def say(self, text: str, kind: str | None = None) -> None:
        style.set_status(self.message, kind, text)

    def forget(self) -> None:
        self.detail = None
        for model in (self.contacts, self.persons, self.vacancies):
            model.set_rows([])
        self.sections.setCurrentIndex(0 if self.can_edit else 1)
        self._tab_texts()
        self.say("")
        self.show_facts()
        self.update_buttons()


class VacancyView(QWidget):
    """One vacancy: its facts and the job seekers proposed, with their outcomes."""

    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vacancy_view")
        self.row: VacancyRow | None = None
        self.can_edit = False
        self.may_see_proposals = False
        layout = QVBoxLayout(self)
        self.back, self.heading, self.edit, self.status_button, self.facts = _title_bar(
            self, layout, "vacancy", "vacancy_title", "status")
        self.proposals_label = QLabel()
        style.heading(self.proposals_label)
        layout.addWidget(self.proposals_label)
        self.proposals = SimpleTableModel(
            (N_("Job seeker"), N_("Customer number"), N_("Proposed"), N_("Proposed by"),
             N_("Outcome"), N_("Shared with the employer")), _proposal_cells, self)
        self.table = _table("vacancy_proposals", self.proposals)
        self.proposals_label.setBuddy(self.table)
        self.hidden_note = QLabel()
        self.hidden_note.setObjectName("vacancy_hidden_note")
        self.hidden_note.setWordWrap(True)
        style.secondary(self.hidden_note)
        layout.addWidget(self.hidden_note)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.propose = _button("vacancy_propose")
        self.outcome = _button("vacancy_outcome")
        row.addWidget(self.propose)
        row.addWidget(self.outcome)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("vacancy_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_buttons())
        self.retranslate()

    def retranslate(self) -> None:
        self.back.setText(_("← Employer"))
        self.back.setToolTip(_("Back to the employer's card (Alt+Left)"))
        self.back.setAccessibleName(_("Back to the employer's card"))
        self.edit.setText(_("&Edit…"))
        self.edit.setIcon(icon("mdi6.pencil", self))
        self.status_button.setText(_("Change the st&atus…"))
        self.proposals_label.setText(_("&Job seekers proposed"))
        self.table.setAccessibleName(_("Job seekers proposed"))
        self.propose.setText(_("&Propose job seekers…"))
        self.propose.setIcon(icon("mdi6.account-arrow-right", self))
        self.outcome.setText(_("Set the &outcome… (Enter)"))
        _name_buttons(self.edit, self.status_button, self.propose, self.outcome)
        self.proposals.retranslate()
        self.show_facts()
        self.update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_role(self, can_edit: bool, may_see_proposals: bool) -> None:
        self.can_edit, self.may_see_proposals = can_edit, may_see_proposals
        for button in (self.edit, self.status_button, self.propose, self.outcome):
            button.setVisible(can_edit)
        self.proposals_label.setVisible(may_see_proposals)
        self.table.setVisible(may_see_proposals)
        self.update_buttons()

    def show_vacancy(self, row: VacancyRow, proposals: list[ProposalRow],
                     proposal_id: str | None = None) -> None:
        self.row = row
        self.proposals.set_rows(proposals)
        index = next((i for i, p in enumerate(proposals) if p.id == proposal_id),
                     0 if proposals else -1)
        if index >= 0:
            self.table.selectRow(index)
        self.show_facts()
        self.update_buttons()

    def _hidden_note(self) -> None:
        """Job seekers the worker may not read are counted, not listed."""
        row, shown = self.row, self.proposals.rowCount()
        others = (row.proposed - shown) if row is not None and self.may_see_proposals else 0
        self.hidden_note.setText(ngettext(
            "{n} more proposed by other workers is not listed: their case is not yours "
            "to read.", "{n} more proposed by other workers are not listed: their cases "
            "are not yours to read.", others).format(n=format_number(others))
            if others > 0 else "")
        self.hidden_note.setVisible(others > 0)

    def show_facts(self) -> None:
        self._hidden_note()
        row = self.row
        if row is None:
            self.heading.setText(_("Vacancy"))
            self.facts.setText("")
            self.facts.setAccessibleName(_("Vacancy"))
            return
        self.heading.setText(_("{title} — {employer}").format(title=row.title,
                                                              employer=row.employer_name))
        lines = [_("Status: {status}").format(status=vacancy_status_text(row))]
        what = [row.occupation, row.municipality, code_label(row.hours, VacancyHours)]
        lines.append("  ·  ".join(v for v in what if v))
        when = []
        if row.starts_on:
            when.append(_("starts {date}").format(date=day(row.starts_on)))
        if row.apply_by:
            when.append(_("apply by {date}").format(date=day(row.apply_by)))
        when.append(_("{n} to hire").format(n=format_number(row.positions)))
        lines.append(", ".join(when))
        marks = []
        if row.hidden:
            marks.append(_("A hidden job: not advertised"))
        if row.pay_subsidy_possible:
            marks.append(_("Pay subsidy possible"))
        if marks:
            lines.append("  ·  ".join(marks))
        lines.append(_("Opened {date}; responsible: {who}").format(
            date=day(row.opened_on), who=row.staff_name or "–"))
        lines.append(_("Proposed {p}, interviewed {i}, hired {h}").format(
            p=format_number(row.proposed), i=format_number(row.interviewed),
            h=format_number(row.hired)))
        if row.description:
            lines.append(row.description)
        self.facts.setText("\n".join(lines))
        self.facts.setAccessibleName(_("Vacancy {title}").format(title=row.title))

    def selected(self) -> ProposalRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proposals.row_at(rows[0].row()) if rows else None

    def update_buttons(self) -> None:
        have = self.row is not None and self.can_edit
        self.edit.setEnabled(have)
        self.status_button.setEnabled(have)
        self.propose.setEnabled(have and self.row is not None
                                and self.row.status == VacancyStatus.OPEN)
        chosen = self.selected()
        self.outcome.setEnabled(have and chosen is not None)

    def say(self, text: str, kind: str | None = None) -> None:
        style.set_status(self.message, kind, text)

    def forget(self) -> None:
        self.row = None
        self.proposals.set_rows([])
        self.say("")
        self.show_facts()
        self.update_buttons()
