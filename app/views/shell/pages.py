"""The pages of the navigation, in its order, and how each is built from the services it
uses. Each factory imports its page's module when called (the window is built before
they are loaded: app.views.main_window.SHELL_MODULES)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.i18n import N_
from app.rules.permissions import Permission
from app.views.shell.page import PageDeps, PageSpec, checked


def _today(deps: PageDeps) -> QWidget:
    """The signed-in coach's worklist; a row opens the customer's card."""
    from app.views.coaching.today import TodayPage

    page = checked(TodayPage(deps.services.clock, deps.runner))
    page.open_customer.connect(deps.navigator.open_customer)
    return page


def _queue(deps: PageDeps) -> QWidget:
    from app.views.queue.page import QueuePage

    services = deps.services
    return checked(QueuePage(services.queue, services.customers, services.feedback,
                             deps.runner, lookup=services.area_lookup))


def _appointments(deps: PageDeps) -> QWidget:
    from app.views.appointments.page import AppointmentsPage

    services = deps.services
    return checked(AppointmentsPage(services.appointments, services.calendar_settings,
                                    services.customers, services.session, deps.runner))


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


def _feedback(deps: PageDeps) -> QWidget:
    from app.views.feedback.page import FeedbackPage

    return checked(FeedbackPage(deps.services.feedback, deps.runner,
                                deps.services.session.today))


def _reports(deps: PageDeps) -> QWidget:
    """Built when first shown: matplotlib must not slow every start-up."""
    from app.views.lazy_page import LazyPage

    def build() -> QWidget:
        from app.views.reports.page import ReportsPage

        return checked(ReportsPage(deps.services, deps.runner))

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
    PageSpec("queue", N_("Queue"), "mdi6.account-clock", _queue),
    PageSpec("appointments", N_("Calendar"), "mdi6.calendar-month", _appointments),
    PageSpec("customers", N_("Customers"), "mdi6.account-search", _customers),
    PageSpec("caseload", N_("Caseloads"), "mdi6.account-group", _caseload,
             Permission.CASELOAD_READ),
    PageSpec("feedback", N_("Feedback"), "mdi6.emoticon-happy-outline", _feedback),
    PageSpec("reports", N_("Reports"), "mdi6.chart-bar", _reports, Permission.REPORTS_READ),
    PageSpec("sync", N_("Synchronisation"), "mdi6.sync", _sync),
)
ROW = {spec.key: row for row, spec in enumerate(PAGES)}
# Everyone starts at the queue after signing in.
START = "queue"
