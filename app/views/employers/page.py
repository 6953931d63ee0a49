"""EmployersPage: the employer register for everyone — the list searched as you type, the
employer's card and a vacancy with the job seekers proposed. Coaches, team leads and
administrators (employer.edit) add and edit; the desk looks employers up read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QStackedWidget, QWidget

from app.dto.employers import (
    ContactRow,
    EmployerDetail,
    EmployerRow,
    PersonInput,
    PersonRow,
    ProposalRow,
    VacancyRow,
)
from app.i18n import _, format_number, ngettext
from app.rules.codes import ProposalOutcome
from app.rules.permissions import Permission, allowed
from app.services.errors import ValidationFailed
from app.views import style
from app.views.employers.card import EmployerCard, VacancyView
from app.views.employers.dialogs import (
    ContactDialog,
    EmployerDialog,
    OutcomeDialog,
    PersonDialog,
    StatusDialog,
    VacancyDialog,
    vacancy_input,
)
from app.views.employers.list_view import EmployerListView, EmployerTableModel
from app.views.employers.propose_dialog import ProposeDialog
from app.views.operations import QueryOp, WriteOp, drop_pending, refresh_on_change
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from app.services.context import Actor
    from app.services.employers import EmployersService
    from app.services.session import SessionInfo
    from app.services.vacancies import VacanciesService

TABLES = {"employer", "employer_person", "employer_contact", "vacancy", "job_proposal"}


class EmployersPage(QStackedWidget):
    def __init__(self, employers: EmployersService, vacancies: VacanciesService,
                 session: SessionInfo, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("employers_page")
        self.employers, self.vacancies_service = employers, vacancies
        self.session, self.runner = session, runner
        self.can_edit = False
        self.may_see_proposals = False
        self.dialog: QDialog | None = None
        self.model = EmployerTableModel(employers.search, runner, self, employers.count)
        self.list_view = EmployerListView(self.model)
        self.card = EmployerCard()
        self.vacancy_view = VacancyView()
        self.addWidget(self.list_view)
        self.addWidget(self.card)
        self.addWidget(self.vacancy_view)
        self.list_view.open_requested.connect(self.open_employer)
        self.list_view.new_requested.connect(self.new_employer)
        self.card.back_requested.connect(self.show_list)
        self.card.edit.clicked.connect(self.edit_employer)
        self.card.active_button.clicked.connect(self.toggle_active)
        self.card.record.clicked.connect(self.record_contact)
        self.card.edit_contact.clicked.connect(self.edit_contact)
        self.card.done.clicked.connect(self.follow_up_done)
        self.card.add_person.clicked.connect(self.add_person)
        self.card.edit_person.clicked.connect(self.edit_person)
        self.card.person_active.clicked.connect(self.toggle_person)
        self.card.person_table.activated.connect(lambda _i: self.edit_person())
        self.card.contact_table.activated.connect(lambda _i: self._contact_activated())
        self.card.new_vacancy.clicked.connect(self.new_vacancy)
        self.card.open_vacancy.clicked.connect(self.open_selected_vacancy)
        self.card.vacancy_table.activated.connect(lambda _i: self.open_selected_vacancy())
        self.card.vacancy_status.clicked.connect(
            lambda: self.change_status(self.card.selected_vacancy()))
        self.card.propose.clicked.connect(
            lambda: self.propose(self.card.selected_vacancy()))
        self.vacancy_view.back_requested.connect(self.back_to_card)
        self.vacancy_view.edit.clicked.connect(self.edit_vacancy)
        self.vacancy_view.status_button.clicked.connect(
            lambda: self.change_status(self.vacancy_view.row))
        self.vacancy_view.propose.clicked.connect(lambda: self.propose(self.vacancy_view.row))
        self.vacancy_view.outcome.clicked.connect(self.set_outcome)
        self.vacancy_view.table.activated.connect(lambda _i: self.set_outcome())
        refresh_on_change(runner, self, TABLES, self._changed)

    # --- the Page protocol ------------------------------------------------------------

    def activate(self, actor: Actor) -> None:
        self.set_role(actor)
        if not self.model.started:
            self.model.set_query("")

    def deactivate(self) -> None:
        pass

    def refresh(self) -> None:
        """Rows arrived from the central database: the list reloads only after a write
        here (refresh_on_change), so it never jumps under the worker's hands."""

    def clear(self) -> None:
        """Signed out: no search, no card, no vacancy, no dialog left for the next one."""
        for key in ("detail", "vacancy", "open"):
            drop_pending(self, key)
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None
        self.card.forget()
        self.vacancy_view.forget()
        self.setCurrentWidget(self.list_view)
        self.list_view.clear()
        self.can_edit = self.may_see_proposals = False
        self.list_view.set_can_edit(False)
        self.card.set_can_edit(False)
        self.vacancy_view.set_role(False, False)

    def focus_first(self) -> None:
        if self.currentWidget() is self.list_view:
            self.list_view.focus_search()
        elif self.currentWidget() is self.card:
            self._focus_card()
        else:
            self.vacancy_view.table.setFocus()

    def set_role(self, actor: Actor | None) -> None:
        role = actor.role if actor else None
        self.can_edit = role is not None and allowed(role, Permission.EMPLOYER_EDIT)
        self.may_see_proposals = role is not None and allowed(role, Permission.PLAN_READ)
        self.list_view.set_can_edit(self.can_edit)
        self.card.set_can_edit(self.can_edit)
        self.vacancy_view.set_role(self.can_edit, self.may_see_proposals)

    def _changed(self) -> None:
        self.model.refresh()
        if self.card.detail is not None:
            self.load_detail(self.card.detail.employer.id)
        if self.vacancy_view.row is not None and self.currentWidget() is self.vacancy_view:
            self.load_vacancy(self.vacancy_view.row.id)

    def show_error(self, text: str) -> None:
        widget = self.currentWidget()
        if widget is self.card:
            self.card.say("⚠ " + text, style.WARN)
        elif widget is self.vacancy_view:
            self.vacancy_view.say("⚠ " + text, style.WARN)
        else:
            self.list_view.status.setText("⚠ " + text)

    # --- moving between the list, the card and a vacancy ------------------------------

    def show_list(self) -> None:
        self.setCurrentWidget(self.list_view)
        self.list_view.table.setFocus()

    def back_to_card(self) -> None:
        self.setCurrentWidget(self.card)
        self.card.vacancy_table.setFocus()

    def open_employer(self, employer_id: str, contact_id: str | None = None) -> None:
        """The employer's card (from the list, Today's follow-up, the command of another
        page); `contact_id` chooses that contact on the timeline."""
        self.card.say("")

        def shown(detail: EmployerDetail) -> None:
            self.card.show_detail(detail, contact_id)
            self.setCurrentWidget(self.card)
            if contact_id is not None and self.can_edit:
                self.card.sections.setCurrentWidget(self.card.contacts_tab)
            self._focus_card(contact_id is not None)

        QueryOp(self.runner, self, lambda: self.employers.employer(employer_id),
                success=shown).latest("detail").run_in_background()

    def open_follow_up(self, contact_id: str) -> None:
        """From Today: the employer's card with the follow-up chosen, "Mark the follow-up
        done" at hand."""
        QueryOp(self.runner, self, lambda: self.employers.contact(contact_id),
                success=lambda row: self.open_employer(row.employer_id, row.id)) \
            .latest("open").run_in_background()

    def _focus_card(self, follow_up: bool = False) -> None:
        if follow_up and self.card.done.isEnabled():
            self.card.done.setFocus()
        elif self.can_edit:
            self.card.record.setFocus()
        else:
            self.card.vacancy_table.setFocus()

    def load_detail(self, employer_id: str, contact_id: str | None = None,
                    vacancy_id: str | None = None) -> None:
        keep_contact = contact_id or (c.id if (c := self.card.selected_contact()) else None)
        keep_vacancy = vacancy_id or (v.id if (v := self.card.selected_vacancy()) else None)

        def shown(detail: EmployerDetail) -> None:
            if self.card.detail is None or self.card.detail.employer.id != employer_id:
                return
            self.card.show_detail(detail, keep_contact, keep_vacancy)

        QueryOp(self.runner, self, lambda: self.employers.employer(employer_id),
                success=shown).latest("detail").run_in_background()

    def open_selected_vacancy(self) -> None:
        row = self.card.selected_vacancy()
        if row is not None:
            self.open_vacancy(row.id)

    def open_vacancy(self, vacancy_id: str, proposal_id: str | None = None) -> None:
        self.vacancy_view.say("")

        def shown(found: tuple[VacancyRow, list[ProposalRow]]) -> None:
            self.vacancy_view.show_vacancy(*found, proposal_id=proposal_id)
            self.setCurrentWidget(self.vacancy_view)
            self.vacancy_view.table.setFocus()

        QueryOp(self.runner, self, lambda: self._vacancy(vacancy_id), success=shown) \
            .latest("vacancy").run_in_background()

    def _vacancy(self, vacancy_id: str) -> tuple[VacancyRow, list[ProposalRow]]:
        row = self.vacancies_service.vacancy(vacancy_id)
        proposals = (self.vacancies_service.proposals(vacancy_id) if self.may_see_proposals
                     else [])
        return row, proposals

    def load_vacancy(self, vacancy_id: str, proposal_id: str | None = None) -> None:
        keep = proposal_id or (p.id if (p := self.vacancy_view.selected()) else None)

        def shown(found: tuple[VacancyRow, list[ProposalRow]]) -> None:
            if self.vacancy_view.row is not None and self.vacancy_view.row.id == vacancy_id:
                self.vacancy_view.show_vacancy(*found, proposal_id=keep)

        QueryOp(self.runner, self, lambda: self._vacancy(vacancy_id), success=shown) \
            .latest("vacancy").run_in_background()

    # --- the employer -----------------------------------------------------------------

    def _choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        return self.employers.team_choices(), self.employers.staff_choices()

    def new_employer(self) -> None:
        if not self.can_edit:
            return

        def opened(choices: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
            self._employer_dialog(EmployerDialog(None, *choices, parent=self), None)

        QueryOp(self.runner, self, self._choices, success=opened).run_in_background()

    def edit_employer(self) -> None:
        detail = self.card.detail
        if detail is None or not self.can_edit:
            return

        def opened(choices: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
            self._employer_dialog(EmployerDialog(detail.form, *choices, parent=self),
                                  detail.employer.id)

        QueryOp(self.runner, self, self._choices, success=opened).run_in_background()

    def _employer_dialog(self, dialog: EmployerDialog, employer_id: str | None) -> None:
        def saved(row: EmployerRow) -> None:
            dialog.saved()
            self.open_employer(row.id)
            self.card.say(_("Saved."), style.OK)

        def submit() -> None:
            data = dialog.value()
            WriteOp(self.runner, dialog,
                    lambda: self.employers.save_employer(data, employer_id), success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        self._open(dialog, submit)

    def toggle_active(self) -> None:
        detail = self.card.detail
        if detail is None or not self.can_edit:
            return
        e = detail.employer
        WriteOp(self.runner, self, lambda: self.employers.set_active(e.id, not e.active),
                success=lambda row: self.card.say(
                    _("Reactivated.") if row.active else _("Deactivated."), style.OK)) \
            .run_in_background()

    # --- contacts ---------------------------------------------------------------------

    def _contact_choices(self, employer_id: str) -> tuple[list[PersonRow],
                                                          list[tuple[str, str]]]:
        return (self.employers.persons(employer_id, include_inactive=True),
                self.employers.staff_choices())

    def record_contact(self) -> None:
        self._contact_dialog(None)

    def edit_contact(self) -> None:
        row = self.card.selected_contact()
        if row is not None:
            self._contact_dialog(row.id)

    def _contact_activated(self) -> None:
        row = self.card.selected_contact()
        if row is not None and self.can_edit:
            self._contact_dialog(row.id)

    def _contact_dialog(self, contact_id: str | None) -> None:
        detail = self.card.detail
        if detail is None or not self.can_edit:
            return
        employer_id = detail.employer.id
        today = self.session.today()

        def load() -> tuple:
            persons, staff = self._contact_choices(employer_id)
            form = self.employers.contact_form(contact_id) if contact_id else None
            return form, persons, staff

        def opened(found: tuple) -> None:
            form, persons, staff = found
            dialog = ContactDialog(form, persons, staff, today, self)

            def saved(row: ContactRow) -> None:
                dialog.saved()
                self.card.say(_("Contact saved."), style.OK)
                self.card.sections.setCurrentWidget(self.card.contacts_tab)
                self.load_detail(employer_id, contact_id=row.id)

            def submit() -> None:
                data = dialog.value()
                WriteOp(self.runner, dialog,
                        lambda: self.employers.record_contact(employer_id, data, contact_id),
                        success=saved) \
                    .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                    .run_in_background()

            self._open(dialog, submit)

        QueryOp(self.runner, self, load, success=opened).run_in_background()

    def follow_up_done(self) -> None:
        row = self.card.selected_contact()
        if row is None or not self.can_edit:
            return
        def done(_row: ContactRow) -> None:
            self.card.say(_("Follow-up marked done."), style.OK)
            self.card.contact_table.setFocus()

        WriteOp(self.runner, self, lambda: self.employers.follow_up_done(row.id),
                success=done).run_in_background()

    # --- contact persons --------------------------------------------------------------

    def add_person(self) -> None:
        self._person_dialog(None)

    def edit_person(self) -> None:
        row = self.card.selected_person()
        if row is not None and self.can_edit:
            self._person_dialog(row)

    def _person_dialog(self, row: PersonRow | None) -> None:
        detail = self.card.detail
        if detail is None or not self.can_edit:
            return
        employer_id = detail.employer.id
        data = PersonInput(row.name, row.role, row.phone, row.email) if row else None
        dialog = PersonDialog(data, self)

        def saved(_saved: PersonRow) -> None:
            dialog.saved()
            self.card.say(_("Contact person saved."), style.OK)

        def submit() -> None:
            value = dialog.value()
            WriteOp(self.runner, dialog,
                    lambda: self.employers.save_person(employer_id, value,
                                                       row.id if row else None),
                    success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        self._open(dialog, submit)

    def toggle_person(self) -> None:
        row = self.card.selected_person()
        if row is None or not self.can_edit:
            return
        WriteOp(self.runner, self,
                lambda: self.employers.set_person_active(row.id, not row.active),
                success=lambda _p: self.card.say(_("Saved."), style.OK)).run_in_background()

    # --- vacancies --------------------------------------------------------------------

    def new_vacancy(self) -> None:
        detail = self.card.detail
        if detail is None or not self.can_edit:
            return
        self._vacancy_dialog(detail.employer.id, None, detail.employer.municipality)

    def edit_vacancy(self) -> None:
        row = self.vacancy_view.row
        if row is not None and self.can_edit:
            self._vacancy_dialog(row.employer_id, row)

    def _vacancy_dialog(self, employer_id: str, row: VacancyRow | None,
                        municipality: str = "") -> None:
        def opened(staff: list[tuple[str, str]]) -> None:
            dialog = VacancyDialog(vacancy_input(row) if row else None, staff, municipality,
                                   self)

            def saved(saved_row: VacancyRow) -> None:
                dialog.saved()
                if row is None:
                    self.card.say(_("Vacancy saved."), style.OK)
                    self.card.sections.setCurrentWidget(self.card.vacancies_tab)
                    self.load_detail(employer_id, vacancy_id=saved_row.id)
                    self.card.vacancy_table.setFocus()
                else:
                    self.vacancy_view.say(_("Saved."), style.OK)

            def submit() -> None:
                data = dialog.value()
                WriteOp(self.runner, dialog,
                        lambda: self.vacancies_service.save_vacancy(
                            employer_id, data, row.id if row else None), success=saved) \
                    .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                    .run_in_background()

            self._open(dialog, submit)

        QueryOp(self.runner, self, self.employers.staff_choices, success=opened) \
            .run_in_background()

    def change_status(self, row: VacancyRow | None) -> None:
        if row is None or not self.can_edit:
            return
        dialog = StatusDialog(row, self.session.today(), self)

        def saved(_row: VacancyRow) -> None:
            dialog.saved()
            self._said(_("Status saved."))

        def submit() -> None:
            status, on = dialog.value()
            WriteOp(self.runner, dialog,
                    lambda: self.vacancies_service.set_status(row.id, status, on),
                    success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        self._open(dialog, submit)

    def _said(self, text: str) -> None:
        view = self.vacancy_view if self.currentWidget() is self.vacancy_view else self.card
        view.say(text, style.OK)

    # --- proposals --------------------------------------------------------------------

    def propose(self, row: VacancyRow | None) -> None:
        if row is None or not self.can_edit:
            return
        dialog = ProposeDialog(row, self.runner,
                               lambda f: self.vacancies_service.candidates(row.id, f), self)

        def saved(rows: list[ProposalRow]) -> None:
            dialog.saved()
            text = ngettext("{n} job seeker proposed.", "{n} job seekers proposed.",
                            len(rows)).format(n=format_number(len(rows)))
            if self.currentWidget() is self.vacancy_view:
                self.vacancy_view.say(text, style.OK)
            else:
                self.open_vacancy(row.id)
                self.vacancy_view.say(text, style.OK)

        def submit() -> None:
            chosen, shared = dialog.chosen(), dialog.shared_text()
            WriteOp(self.runner, dialog,
                    lambda: self.vacancies_service.propose(row.id, chosen, shared),
                    success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        self._open(dialog, submit)

    def set_outcome(self) -> None:
        row = self.vacancy_view.selected()
        if row is None or not self.can_edit:
            return
        dialog = OutcomeDialog(row, self.session.today(), self)

        def saved(saved_row: ProposalRow) -> None:
            dialog.saved()
            text = _("Outcome saved.")
            if saved_row.outcome == ProposalOutcome.HIRED and dialog.value()[2]:
                text = _("Hired; the customer's case is closed as employed.")
            self.vacancy_view.say(text, style.OK)
            self.vacancy_view.table.setFocus()

        def submit() -> None:
            outcome, on, close = dialog.value()
            WriteOp(self.runner, dialog,
                    lambda: self.vacancies_service.set_outcome(row.id, outcome, on, close),
                    success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        self._open(dialog, submit)

    # --- dialogs ----------------------------------------------------------------------

    def _open(self, dialog: Any, submit: Callable[[], None]) -> None:
        dialog.submit_handler = submit
        self.dialog = dialog
        focus = self.focusWidget()

        def closed(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            if focus is not None and focus.isVisible():
                focus.setFocus()

        dialog.finished.connect(closed)
        dialog.open()
