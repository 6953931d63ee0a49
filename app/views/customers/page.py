"""CustomersPage: the list and the card of one customer, with create and edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.dto.customers import CustomerCard
from app.dto.visits import VisitRow
from app.i18n import N_, _
from app.rules.codes import Role, ServiceArea
from app.rules.customer import CustomerInput
from app.rules.permissions import Permission, allowed
from app.services.registry import Services
from app.views.appointments.letter import LetterActions
from app.views.coaching.panel import CoachingController
from app.views.customers.card import CustomerCardView
from app.views.customers.case_section import CaseController
from app.views.customers.consents_section import CustomerConsentsController
from app.views.customers.decisions_section import DecisionsController
from app.views.customers.dialog import CustomerDialog
from app.views.customers.events_section import CustomerEventsController
from app.views.customers.facts_section import CaseFactsController
from app.views.customers.list_view import CustomerListView
from app.views.customers.merge_dialog import MergeController, warn_before_creating
from app.views.customers.messages_section import CustomerMessagesController
from app.views.customers.notes_section import CaseNotesController
from app.views.customers.referrals_section import ReferralsController
from app.views.customers.table_model import COLUMNS, CustomerTableModel
from app.views.employers.job_tips import JobTipsController
from app.views.operations import QueryOp, WriteOp, drop_pending, refresh_on_change
from app.views.plans.editor import PlanEditor
from app.views.queue.dialogs import VisitRecordDialog
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor


class CustomersPage(QStackedWidget):
    book_requested = Signal(str, str)  # customer id, name: book in the calendar
    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customers_page")
        self.role: Role | None = None
        self.service = services.customers
        self.visits = services.visits
        self.audit = services.audit
        self.runner = runner
        self.model = CustomerTableModel(self.service, runner, self)
        self.list_view = CustomerListView(self.model)
        self.card_view = CustomerCardView()
        self.plan_view = PlanEditor(services.plans, runner, services.session.today,
                                    services=services)
        self.plan_view.header.back_button.show()
        self.plan_view.back_requested.connect(lambda: self.setCurrentWidget(self.card_view))
        self.addWidget(self.list_view)
        self.addWidget(self.card_view)
        self.addWidget(self.plan_view)
        self.list_view.open_requested.connect(self.open_customer)
        self.list_view.new_requested.connect(self.new_customer)
        self.card_view.back_requested.connect(self.show_list)
        self.card_view.edit_requested.connect(self.edit_customer)
        self.card_view.reveal_requested.connect(self.reveal_hetu)
        self.card_view.contact_requested.connect(self.record_contact)
        self.card_view.plan_requested.connect(self.open_plan)
        self.card_view.access_log_requested.connect(self.open_access_log)
        self.dialog: CustomerDialog | VisitRecordDialog | None = None
        self.case_notes = CaseNotesController(self.card_view.case_notes, services, runner,
                                              self, self.card_view.visits_model.set_notes)
        self.case_facts = CaseFactsController(self.card_view.case_facts, services, runner,
                                              self)
        self.referrals = ReferralsController(self.card_view.referrals, services, runner, self)
        self.job_tips = JobTipsController(  # shown on the timeline when there are tips (#22)
            self.card_view.job_tips, services, runner, self,
            self.card_view.job_tips.setVisible)
        self.events = CustomerEventsController(  # on the timeline when there are any (#21)
            self.card_view.events, services, runner, self, self.card_view.events.setVisible)
        self.messages = CustomerMessagesController(  # the Messages tab (#23)
            self.card_view.messages, services, runner, self)
        self.consents = CustomerConsentsController(  # the Consents tab (#24)
            self.card_view.consents, services, runner, self)
        self.decisions = DecisionsController(
            self.card_view.decisions, services, runner, self,
            lambda on: self.card_view.sections.setTabVisible(
                self.card_view.sections.indexOf(self.card_view.decisions), on))
        self.coaching = CoachingController(self.card_view.coaching, services, runner, self,
                                           self.open_customer)
        self.case = CaseController(self.card_view.case, services, runner, self,
                                   self.open_customer)
        self.merge = MergeController(self.card_view, services, runner, self,
                                     self.open_customer)
        self._wire_appointments(services)
        # Writes here or on other pages: the list and the open card show them.
        refresh_on_change(runner, self, {"customer"}, self._customers_changed)
        refresh_on_change(runner, self, {"visit"}, self._visits_changed)
        refresh_on_change(runner, self, {"appointment"}, self._appointments_changed)

    def activate(self, actor: Actor) -> None:
        """Called when the page is shown: load the list the first time."""
        self.set_role(actor.role)
        if not self.model.started:
            self.model.set_query("")

    def deactivate(self) -> None:
        pass

    def refresh(self) -> None:
        """Rows arrived: nothing reloads under the worker's hands (the list would jump);
        a write to customers, visits or appointments reloads what shows it
        (refresh_on_change)."""

    def clear(self) -> None:
        """Signed out: the list shows, empty, with no search; it loads when next shown.
        No card stays behind it: nothing reloads it for the next person."""
        for key in ("card", "visits", "appointments"):
            drop_pending(self, key)  # still loading: not shown to the next person
        self.coaching.forget()
        self.case.forget()
        self.case_notes.forget()
        self.case_facts.forget()
        self.referrals.forget()
        self.job_tips.forget()
        self.events.forget()
        self.messages.forget()
        self.consents.forget()
        self.decisions.forget()
        self.merge.forget()
        self.card_view.forget()
        self.plan_view.forget()
        self.show_list()
        self.list_view.clear()
        self.set_role(None)

    def focus_first(self) -> None:
        """The search on the list; on a card, its first action."""
        if self.currentWidget() is self.list_view:
            self.list_view.focus_search()
        elif self.currentWidget() is self.card_view:
            self.card_view.edit.setFocus()

    def _customers_changed(self) -> None:
        if self.model.started:
            self.model.refresh()

    def _visits_changed(self) -> None:
        if self.card_view.card is not None:
            self.load_visits(self.card_view.card.id)

    def _appointments_changed(self) -> None:
        if self.card_view.card is not None:
            self.load_appointments(self.card_view.card.id)

    def show_list(self) -> None:
        self.setCurrentWidget(self.list_view)
        self.list_view.table.setFocus()

    def open_customer(self, customer_id: str) -> None:
        QueryOp(self.runner, self, lambda: self.service.get(customer_id),
                success=self.show_card).latest("card").run_in_background()

    def show_card(self, card: CustomerCard) -> None:
        self.card_view.show_card(card)
        self.setCurrentWidget(self.card_view)
        if self.role is Role.PARTNER:
            # A partner's account (#24): the identity and contact details the consent
            # covers, and the plan (refused with the reason unless it covers plans too).
            self.card_view.plan.setFocus()
            return
        self.card_view.edit.setFocus()
        self.load_visits(card.id)
        self.coaching.load(card.id)
        self.case.load(card.id)
        self.case_notes.load(card.id)
        self.case_facts.load(card.id)
        self.referrals.load(card.id)
        self.job_tips.load(card.id)
        self.events.load(card.id)
        self.messages.load(card.id, card.language)
        self.consents.load(card.id)
        self.decisions.load(card.id)
        self.load_appointments(card.id)

    def load_visits(self, customer_id: str) -> None:
        def shown(rows: list[VisitRow]) -> None:
            card = self.card_view.card
            if card is not None and card.id == customer_id:
                self.card_view.show_visits(rows)

        QueryOp(self.runner, self, lambda: self.visits.timeline(customer_id), success=shown) \
            .latest("visits").run_in_background()

    # --- the card's appointments (issue 4) ----------------------------------------------

    def _wire_appointments(self, services: Services) -> None:
        self.appointments = services.appointments
        self.now = services.session.now  # reads the context clock: tests set it
        section = self.card_view.appointments
        letters = LetterActions(services.appointments, self.runner, self, section.say)
        section.save_letter_requested.connect(letters.save)
        section.print_letter_requested.connect(letters.print)
        messages = services.messages

        def email_letter(appointment_id: str) -> None:
            # Queued here; the messenger at the centre sends it (#23).
            def queued(_row: object) -> None:
                section.say(_("The letter goes by e-mail: the messenger sends it next."))

            section.say(_("Preparing the letter…"))
            WriteOp(self.runner, self, lambda: messages.send_appointment_letter(appointment_id),
                    success=queued).errors_to(lambda text: section.say("⚠ " + text)) \
                .run_in_background()

        section.email_letter_requested.connect(email_letter)
        section.book_requested.connect(self._book_for_card)
        section.meeting_requested.connect(
            lambda appointment_id: self.open_meeting(services, appointment_id))

    def open_meeting(self, services: Services, appointment_id: str) -> None:
        """A multi-professional meeting's dialog (#24); "Open the plan" shows the plan."""
        from app.views.customers.meeting_dialog import open_meeting

        def open_plan(customer_id: str, version_id: str) -> None:
            self.plan_view.open_customer(customer_id, prefer=version_id)
            self.setCurrentWidget(self.plan_view)

        self.meeting_dialog = open_meeting(services, self.runner, appointment_id, self,
                                           open_plan)

    def _book_for_card(self) -> None:
        card = self.card_view.card
        if card is not None:
            self.book_requested.emit(card.id, card.name)

    def load_appointments(self, customer_id: str) -> None:
        def shown(rows: list) -> None:
            card = self.card_view.card
            if card is not None and card.id == customer_id:
                self.card_view.appointments.show_rows(rows, self.now())

        QueryOp(self.runner, self, lambda: self.appointments.for_customer(customer_id),
                success=shown).latest("appointments").run_in_background()

    def set_role(self, role: Role | None) -> None:
        """Plan content is for coaches: the desk does not see the button (and the
        service refuses it anyway). A partner's account (#24) sees the card's details and
        the plan button, nothing of the case (every service refuses it anyway)."""
        self.role = role
        partner = role is Role.PARTNER
        self.card_view.plan.setVisible(role is not None and (
            allowed(role, Permission.PLAN_READ) or partner))
        for button, needs in ((self.card_view.edit, Permission.CUSTOMER_EDIT),
                              (self.card_view.contact, Permission.VISIT_RECORD),
                              (self.list_view.new_button, Permission.CUSTOMER_EDIT)):
            button.setVisible(role is None or allowed(role, needs))
        self.card_view.may_reveal = role is None or allowed(
            role, Permission.CUSTOMER_REVEAL_HETU)
        if not self.card_view.may_reveal:
            self.card_view.reveal.hide()
        header = self.plan_view.header
        header.may_edit = role is not None and allowed(role, Permission.PLAN_EDIT)
        header.may_print = role is not None and allowed(role, Permission.PLAN_PRINT)
        # The jobseeker facts (registration, days unemployed, the 100-day mark) are not
        # identity or contact details: not for a partner's account either.
        self.card_view.situation.setVisible(not partner)
        for column in (COLUMNS.index(N_("Days unemployed")), COLUMNS.index(N_("Case"))):
            self.list_view.table.setColumnHidden(column, partner)
        self.card_view.groups["jobseeker"][0].setVisible(not partner)
        self.card_view.sections.setVisible(not partner)
        self.card_view.case.strip.setVisible(not partner)
        self.card_view.appointments.meeting.setVisible(  # the meeting's dialog (#24)
            role is not None and allowed(role, Permission.PLAN_READ))
        self.coaching.set_role(role)
        self.case.set_role(role)
        # Case notes and facts: coaches, team leads and administrators; never the desk.
        self.case_notes.set_role(role)
        self.case_facts.set_role(role)
        self.referrals.set_role(role)  # the Referrals tab: plan.read, never the desk
        self.job_tips.set_role(role)  # job tips (#22): plan.read, never the desk
        self.decisions.set_role(role)  # the Decisions tab: not the desk
        self.messages.set_role(role)  # messages (#23): edit and the plan by role
        self.consents.set_role(role)  # consents (#24): recording by consent.record
        self.merge.set_role(role)  # "Merge into…": team leads and administrators
        sections = self.card_view.sections
        sections.setTabVisible(sections.indexOf(self.card_view.referrals),
                               self.referrals.may_read)
        sections.setTabVisible(sections.indexOf(self.card_view.case_work),
                               self.case_notes.may_read or self.case_facts.may_read)
        self.card_view.case_notes.setVisible(self.case_notes.may_read)
        self.card_view.case_facts.setVisible(self.case_facts.may_read)
        self.card_view.access_log.setVisible(
            role is not None and allowed(role, Permission.AUDIT_READ))

    def open_access_log(self, customer_id: str) -> None:
        from app.views.customers.access_log import AccessLogDialog

        def shown(rows: list) -> None:
            card = self.card_view.card
            name = card.name if card else ""
            self.access_dialog = AccessLogDialog(name, rows, self)
            self.access_dialog.open()

        QueryOp(self.runner, self, lambda: self.audit.access_log(customer_id), success=shown) \
            .run_in_background()

    def open_plan(self, customer_id: str) -> None:
        self.plan_view.open_customer(customer_id)
        self.setCurrentWidget(self.plan_view)

    def record_contact(self, customer_id: str) -> None:
        """A phone or video contact: recorded as a visit of its channel, no ticket."""
        areas = [a.value for a in ServiceArea]
        dialog = VisitRecordDialog(areas, ServiceArea.FINDING_WORK.value, contact=True,
                                   parent=self)

        def submit() -> None:
            channel, minutes, record = (dialog.channel.currentData(), dialog.minutes.value(),
                                        dialog.value())
            WriteOp(self.runner, dialog,
                    lambda: self.visits.record_contact(customer_id, channel, record, minutes),
                    success=lambda _row: dialog.saved()).run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    def reveal_hetu(self, customer_id: str) -> None:
        def shown(code: str) -> None:
            if self.card_view.card is not None:
                self.card_view.show_card(self.card_view.card, code)

        QueryOp(self.runner, self, lambda: self.service.reveal_hetu(customer_id), success=shown) \
            .run_in_background()

    def new_customer(self) -> None:
        self._open_dialog(self.service.create, None, _("New customer"))
        if isinstance(self.dialog, CustomerDialog):  # already registered? asks first
            warn_before_creating(self.dialog, self.merge.services, self.runner,
                                 self.open_customer)

    def edit_customer(self, customer_id: str) -> None:
        card = self.card_view.card
        if card is None:
            return
        revision = card.revision

        def opened(data: CustomerInput) -> None:
            self._open_dialog(
                lambda d: self.service.update(customer_id, d, revision),
                data,
                _("Edit customer"),
            )

        QueryOp(self.runner, self, lambda: self.service.edit_form(customer_id), success=opened) \
            .run_in_background()

    def _open_dialog(self, save, initial: CustomerInput | None, title: str) -> None:
        self.dialog = CustomerDialog(self.runner, save, initial, title, self)
        self.dialog.accepted.connect(self._dialog_saved)
        self.dialog.open()

    def _dialog_saved(self) -> None:
        dialog = self.dialog
        if isinstance(dialog, CustomerDialog) and dialog.saved is not None:
            self.show_card(dialog.saved)  # the list shows the change (customer table)
