"""The shell: the left navigation with one page at a time, and the status bar.

Its collaborators (app.views.shell) do the rest: the session signs in and out, locks and
syncs; the Settings menu, the lobby and kiosk windows and the preferences are their own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.i18n import _
from app.views.common import icon, label
from app.views.login import LoginView
from app.views.shell.page import Counted, Page, PageDeps, as_page
from app.views.shell.pages import PAGES, ROW, START
from app.views.shell.preferences import Preferences
from app.views.shell.session import SessionController
from app.views.tasks import TaskRunner
from app.views.translator import LanguageSwitcher

if TYPE_CHECKING:
    from app.services.context import Actor
    from app.services.registry import Services
    from app.views.appointments.page import AppointmentsPage
    from app.views.customers.page import CustomersPage
    from app.views.shell.displays import Displays
    from app.views.shell.menus import SettingsMenu

__all__ = ["PAGES", "ROW", "SHELL_MODULES", "MainWindow"]

# What the pages import on top of the services (which start_behind_sign_in imports in
# the database thread: they hold no Qt), one module per turn of the event loop (see
# attach_soon); each takes some tens of milliseconds, qtawesome (with the Qt modules qtpy
# loads) a few hundred. They are imported on the GUI thread: PySide6 crashes when a
# worker thread loads one of its extension modules while the event loop runs.
SHELL_MODULES = (
    "qtawesome",
    "app.views.queue.page",
    "app.views.customers.page",
    "app.views.appointments.page",
    "app.views.coaching.today",
    "app.views.coaching.caseload",
    "app.views.feedback.page",
    "app.views.sync.page",
)


class MainWindow(QMainWindow):
    """The one window. Built in two steps so that the sign-in view paints at once: the
    constructor makes the sign-in view and the status bar; `attach` (with the opened
    services) builds the pages, the lock and the menu. Given services, the constructor
    does both (tests, screenshots, the first-run paths)."""

    def __init__(
        self,
        services: Services | None,
        runner: TaskRunner,
        switcher: LanguageSwitcher,
        base_point_size: float,
        text_scale: int = 100,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.services: Services | None = None  # set by attach
        self.runner = runner
        self.preferences = Preferences(switcher, base_point_size, text_scale, runner, self)
        self.root = QStackedWidget()
        self.setCentralWidget(self.root)
        self.login = LoginView(False)
        self.login.language_requested.connect(self.preferences.set_language)
        self.root.addWidget(self.login)
        self.session = SessionController(self.login, runner, self)
        self.session.signed_in.connect(self._signed_in)
        self.session.signed_out.connect(self._signed_out)
        self.session.locked.connect(self._locked)
        self.session.unlocked.connect(self._show_shell)
        self.session.sync_changed.connect(self._show_sync)
        self.session.rows_arrived.connect(self._refresh_pages)
        self.shell: QWidget | None = None
        self.menus: SettingsMenu | None = None
        self.displays: Displays | None = None
        self.page_widgets: dict[str, QWidget] = {}
        self._pages: dict[str, Page] = {}
        self.counts: dict[str, int] = {}
        self._build_status_bar()
        self.resize(1280, 800)
        self.retranslate()
        self.show_login()
        if services is not None:
            self.attach(services, services.is_demo())

    def attach(self, services: Services, demo: bool, resume_sign_in: bool = True) -> None:
        """The database is open: build everything behind the sign-in view. `demo` shows
        the demo accounts under the sign-in form. A sign-in given meanwhile is carried
        out now, unless `resume_sign_in` is False (then by session.resume_sign_in())."""
        from app.views.shell.displays import Displays
        from app.views.shell.menus import SettingsMenu

        self.services = services
        self.login.hint.setVisible(demo)
        self.login.show_icons()
        lock_view = self.session.attach(services.auth, services.queue, services.settings)
        self.shell = self._build_shell(PageDeps(services, self.runner, self.session, self))
        self.root.addWidget(self.shell)
        self.root.addWidget(lock_view)
        self.displays = Displays(self, self.session, services.queue, services.feedback,
                                 services.auth, self.runner)
        self.displays.kiosk_closed.connect(self.show_login)
        self.menus = SettingsMenu(self.menuBar(), self.preferences, self.session,
                                  self.displays, services.customer_import, self.runner, self)
        self.retranslate()
        self.menuBar().setVisible(self.actor is not None)
        if resume_sign_in:
            self.session.resume_sign_in()

    def attach_soon(self, services: Services, demo: bool,
                    then: Callable[[], None] | None = None) -> None:
        """`attach`, after importing the pages' modules one per turn of the event loop,
        so that what is typed into the sign-in view meanwhile shows as it is typed.
        `then` runs before a waiting sign-in is carried out: it connects the central
        database, which an online sign-in needs (AuthService.central_url)."""
        waiting = list(SHELL_MODULES)

        def step() -> None:
            if waiting:
                importlib.import_module(waiting.pop(0))
                QTimer.singleShot(0, step)
                return
            self.attach(services, demo, resume_sign_in=False)
            if then is not None:
                then()
            self.session.resume_sign_in()

        QTimer.singleShot(0, step)

    @property
    def attached(self) -> bool:
        return self.shell is not None

    @property
    def actor(self) -> Actor | None:
        """Who is signed in (the session's)."""
        return self.session.actor

    # --- building -------------------------------------------------------------------

    def _build_shell(self, deps: PageDeps) -> QWidget:
        shell = QWidget()
        outer = QVBoxLayout(shell)
        outer.setContentsMargins(8, 8, 8, 0)
        top = QHBoxLayout()
        self.app_title = QLabel()
        font = self.app_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.app_title.setFont(font)
        self.search_button = QPushButton()
        self.search_button.setObjectName("global_search")
        self.search_button.clicked.connect(self.focus_search)
        top.addWidget(self.app_title)
        top.addStretch(1)
        top.addWidget(self.search_button)
        outer.addLayout(top)
        body = QHBoxLayout()
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(170)
        self.nav.setMaximumWidth(210)
        self.pages = QStackedWidget()
        for spec in PAGES:
            widget = spec.build(deps)
            page = as_page(widget)
            self.page_widgets[spec.key] = widget
            self._pages[spec.key] = page
            if isinstance(page, Counted):
                page.count_changed.connect(lambda n, key=spec.key: self._set_count(key, n))
            item = QListWidgetItem(icon(spec.icon, self.nav), "")
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            self.pages.addWidget(widget)
        self.nav.currentRowChanged.connect(self._show_page)
        body.addWidget(self.nav)
        body.addWidget(self.pages, 1)
        outer.addLayout(body, 1)
        for keys in ("Ctrl+K", "F3"):
            shortcut = QShortcut(QKeySequence(keys), shell)
            shortcut.activated.connect(self.focus_search)
        return shell

    def _build_status_bar(self) -> None:
        self.user_label = QLabel()
        self.user_label.setObjectName("status_user")
        self.statusBar().addWidget(self.user_label, 1)
        self.sync_label = QLabel()
        self.sync_label.setObjectName("status_sync")
        self.statusBar().addPermanentWidget(self.sync_label)

    # --- the pages ------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page of a navigation row (PAGES)."""
        return self.page_widgets[key]

    def _show_page(self, row: int) -> None:
        actor = self.session.actor
        if row < 0 or actor is None:
            return
        key = PAGES[row].key
        for other, page in self._pages.items():
            if other != key:
                page.deactivate()
        self.pages.setCurrentWidget(self.page_widgets[key])
        self._pages[key].activate(actor)

    def _shown_pages(self) -> list[Page]:
        """The pages the signed-in person's role may see."""
        actor = self.session.actor
        if actor is None:
            return []
        return [self._pages[spec.key] for spec in PAGES if spec.shown_to(actor)]

    def _refresh_pages(self) -> None:
        for page in self._shown_pages():
            page.refresh()

    def _set_count(self, key: str, count: int) -> None:
        self.counts[key] = count
        self._show_nav_row(key)

    def _show_nav_row(self, key: str) -> None:
        row = ROW[key]
        text, count = _(PAGES[row].title), self.counts.get(key)
        self.nav.item(row).setText(text + (f"  {count}" if count else ""))
        self.nav.item(row).setToolTip(text)

    def open_customer(self, customer_id: str) -> None:
        self.nav.setCurrentRow(ROW["customers"])
        cast("CustomersPage", self.page("customers")).open_customer(customer_id)

    def book_for_customer(self, customer_id: str, name: str) -> None:
        """From the customer card: the calendar, with the booking dialog for them."""
        self.nav.setCurrentRow(ROW["appointments"])
        cast("AppointmentsPage", self.page("appointments")).book_when_ready(
            (customer_id, name))

    def focus_search(self) -> None:
        if self.session.actor is None:
            return
        self.nav.setCurrentRow(ROW["customers"])
        customers = cast("CustomersPage", self.page("customers"))
        customers.show_list()
        customers.list_view.focus_search()

    # --- the session ----------------------------------------------------------------

    def _signed_in(self, actor: Actor) -> None:
        for spec in PAGES:
            self.nav.setRowHidden(ROW[spec.key], not spec.shown_to(actor))
        if self.menus is not None:
            self.menus.show_for(actor)
        self._refresh_pages()  # the navigation's counts, while no page is on screen
        self._show_shell()
        self._show_user()
        if self.nav.currentRow() == ROW[START]:
            self._show_page(ROW[START])
        else:
            self.nav.setCurrentRow(ROW[START])

    def _signed_out(self) -> None:
        for page in self._pages.values():
            page.deactivate()
            page.clear()
        self.counts.clear()
        for spec in PAGES:
            self._show_nav_row(spec.key)
        self.show_login()
        self.login.clear()  # not even the username of who was signed in
        self._show_user()
        self.session.repeat_sync_state()  # the sync's count of changes to check is kept

    def show_login(self) -> None:
        self.root.setCurrentWidget(self.login)
        self.menuBar().setVisible(False)
        self.login.reset()

    def _show_shell(self) -> None:
        if self.shell is not None:
            self.root.setCurrentWidget(self.shell)
            self.menuBar().setVisible(True)

    def _locked(self) -> None:
        """The pages leave the window (not merely covered) while it is locked."""
        if self.session.lock_view is not None and self.shell is not None:
            self.root.setCurrentWidget(self.session.lock_view)
            self.shell.hide()
            self.menuBar().setVisible(False)

    def demo_ready(self) -> None:
        """The first-run demo build finished: show the window and the demo accounts."""
        self.login.hint.setVisible(True)
        self.show()

    # --- the status bar and the texts -----------------------------------------------

    def _show_sync(self) -> None:
        text, _problems = self.session.sync_status()  # the sync page counts them
        self.sync_label.setText(text)
        self.sync_label.setAccessibleName(text)

    def _show_user(self) -> None:
        language = i18n.LANGUAGE_NAMES[i18n.current_language()]
        actor = self.session.actor
        if actor is None:
            self.user_label.setText(language)
            return
        self.user_label.setText("  ·  ".join(
            (actor.full_name, label(actor.role), actor.service_point_name, language)))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Rovaseutu employment services"))
        self._show_user()
        self._show_sync()
        if self.shell is None:
            return
        self.app_title.setText(_("Rovaseutu employment services"))
        self.search_button.setText(_("Search customer… (Ctrl+K)"))
        self.search_button.setIcon(icon("mdi6.magnify", self))
        self.search_button.setAccessibleName(_("Search customer"))
        self.nav.setAccessibleName(_("Navigation"))
        for spec in PAGES:
            self._show_nav_row(spec.key)
        if self.menus is not None:
            self.menus.retranslate()
        self.session.repeat_sync_state()  # for the pages that show it too

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
