"""The pages of the navigation, in its order, and how each is built from the services it
uses. Each factory imports its page's module when called (the window is built before
they are loaded: app.views.main_window.SHELL_MODULES)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QWidget

from app.i18n import N_
from app.rules.codes import Role
from app.rules.permissions import Permission
from app.views.shell.page import PageDeps, PageSpec, checked

if TYPE_CHECKING:
    from app.services.context import Actor
    from app.views.appointments.page import AppointmentsPage
    from app.views.queue.page import QueuePage


def _today(deps: PageDeps) -> QWidget:
    """The signed-in coach's worklist; a row opens the customer's card."""
    from app.views.coaching.today import TodayPage

    page = checked(TodayPage(deps.services.clock, deps.runner))
    page.open_customer.connect(deps.navigator.open_customer)
    page.open_employer_followup.connect(deps.navigator.open_employer_followup)  # (#22)
    return page


def _queue(deps: PageDeps) -> QWidget:
    from app.views.queue.page import QueuePage

    services = deps.services
    return checked(QueuePage(services.queue, services.customers, services.feedback,
                             deps.runner, lookup=services.area_lookup,
                             now=services.session.now, events=services.events))


def _queue_first(widget: QWidget) -> Sequence[QWidget]:
    """Call next when it can be pressed, Finish while someone is at the desk, else the
    new walk-in (F2)."""
    page = cast("QueuePage", widget)
    return (page.buttons["call_next"], page.buttons["finish"], page.new_button)


def _appointments(deps: PageDeps) -> QWidget:
    from app.views.appointments.page import AppointmentsPage

    services = deps.services
    page = checked(AppointmentsPage(services.appointments, services.calendar_settings,
                                    services.customers, services.session, deps.runner,
                                    events=services.events, rooms=services.rooms))
    page.open_event.connect(deps.navigator.open_event)  # an event session: its card
    return page


def _appointments_first(widget: QWidget) -> Sequence[QWidget]:
    """The grid: its keyboard cursor books and acts (see AppointmentsPage)."""
    return (cast("AppointmentsPage", widget).grid,)


def _events(deps: PageDeps) -> QWidget:
    """A service point's week of events, the event card, the annual calendar (#21)."""
    from app.views.events.page import EventsPage

    return checked(EventsPage(deps.services, deps.runner))


def _messages(deps: PageDeps) -> QWidget:
    """Messages to customers (#23): the messenger's heartbeat, failures to handle, the
    day's queue, the print list and (settings.edit) the templates."""
    from app.views.messages.page import MessagesPage

    page = checked(MessagesPage(deps.services, deps.runner))
    page.open_customer.connect(deps.navigator.open_customer)
    return page


def _customers(deps: PageDeps) -> QWidget:
    """The list and the card; the card books in the calendar."""
    from app.views.customers.page import CustomersPage

    page = checked(CustomersPage(deps.services, deps.runner))
    page.book_requested.connect(deps.navigator.book_for_customer)
    return page


def _caseload(deps: PageDeps) -> QWidget:
    from app.views.coaching.caseload import CaseloadPage

    services = deps.services
    page = checked(CaseloadPage(services.coaching, services.settings, deps.runner))
    page.open_customer.connect(deps.navigator.open_customer)
    return page


def _providers(deps: PageDeps) -> QWidget:
    """The register of service providers and contracts: everyone reads it."""
    from app.views.providers.page import ProvidersPage

    services = deps.services
    return checked(ProvidersPage(services.providers, services.session, deps.runner))


def _employers(deps: PageDeps) -> QWidget:
    """The employer register (#22): everyone looks employers up, coaches and up edit."""
    from app.views.employers.page import EmployersPage

    services = deps.services
    return checked(EmployersPage(services.employers, services.vacancies, services.session,
                                 deps.runner))


def _partners(deps: PageDeps) -> QWidget:
    """The partner register (#24): everyone reads it, partner.manage edits it."""
    from app.views.partners.page import PartnersPage

    return checked(PartnersPage(deps.services.partners, deps.runner))


def _feedback(deps: PageDeps) -> QWidget:
    from app.views.feedback.page import FeedbackPage

    return checked(FeedbackPage(deps.services.feedback, deps.runner,
                                deps.services.session.today))


def _reports(deps: PageDeps) -> QWidget:
    """Built when first shown: matplotlib must not slow every start-up."""
    from app.views.lazy_page import LazyPage

    def build() -> QWidget:
        from app.views.reports.page import ReportsPage

        page = ReportsPage(deps.services, deps.runner)
        page.open_customer.connect(deps.navigator.open_customer)  # the drill-down (#25)
        return checked(page)

    return checked(LazyPage(build))


def _sync(deps: PageDeps) -> QWidget:
    """Conflicts and rejected changes; it shows the session's sync state and sends a
    settled conflict at once."""
    from app.views.sync.page import SyncPage

    page = checked(SyncPage(deps.services.sync, deps.runner))
    session = deps.session

    def show_state() -> None:
        page.show_state(*session.sync_status())

    session.sync_changed.connect(show_state)
    page.changed.connect(session.sync_now)
    show_state()
    return page


PAGES: tuple[PageSpec, ...] = (
    PageSpec("today", N_("Today"), "mdi6.calendar-check", _today, Permission.CASELOAD_READ),
    # Every staff role has these; a partner's account (#24) only customers and sync.
    PageSpec("queue", N_("Queue"), "mdi6.account-clock", _queue, Permission.QUEUE_SERVE,
             first=_queue_first),
    PageSpec("appointments", N_("Calendar"), "mdi6.calendar-month", _appointments,
             Permission.APPOINTMENT_BOOK, first=_appointments_first),
    PageSpec("customers", N_("Customers"), "mdi6.account-search", _customers,
             (Permission.CUSTOMER_READ, Permission.PARTNER_READ)),
    PageSpec("caseload", N_("Caseloads"), "mdi6.account-group", _caseload,
             Permission.CASELOAD_READ),
    PageSpec("providers", N_("Service providers"), "mdi6.handshake-outline", _providers,
             Permission.CUSTOMER_READ),
    PageSpec("employers", N_("Employers"), "mdi6.domain", _employers,
             Permission.EMPLOYER_READ),
    # After the pages of every day: Ctrl+1..5 keep their places for the desk.
    PageSpec("events", N_("Events"), "mdi6.calendar-star", _events, Permission.EVENT_READ),
    PageSpec("messages", N_("Messages"), "mdi6.message-text-outline", _messages,
             Permission.MESSAGE_READ),
    PageSpec("partners", N_("Partners"), "mdi6.account-network-outline", _partners,
             Permission.CUSTOMER_READ),  # every staff role reads it; a partner does not
    PageSpec("feedback", N_("Feedback"), "mdi6.emoticon-happy-outline", _feedback,
             Permission.FEEDBACK_RECORD),
    PageSpec("reports", N_("Reports"), "mdi6.chart-bar", _reports, Permission.REPORTS_READ),
    PageSpec("sync", N_("Synchronisation"), "mdi6.sync", _sync),
)
ROW = {spec.key: row for row, spec in enumerate(PAGES)}


def start_page(actor: Actor, chosen: str | None = None) -> str:
    """Where the person's day starts after signing in: the page they chose ("Start on
    this page" in the menu) if they may still see it, else by role and service point:
    an appointment-based point (Ranua) starts in the calendar, a coach and a team lead
    on Today (their worklist), the desk and the others at the walk-in queue."""
    if chosen in ROW and PAGES[ROW[chosen]].shown_to(actor):
        return chosen
    if actor.by_appointment and actor.role != Role.TEAM_LEAD:
        return "appointments"
    if actor.role in (Role.COACH, Role.TEAM_LEAD):
        return "today"
    if actor.role is Role.PARTNER:
        return "customers"  # the customers who consented: all a partner's account sees
    return "queue"
