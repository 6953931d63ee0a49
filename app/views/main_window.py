"""The shell: the left navigation with one page at a time, and the status bar.

Its collaborators (app.views.shell) do the rest: the session signs in and out, locks and
syncs; the Settings menu, the lobby and kiosk windows and the preferences are their own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QElapsedTimer, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
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
from app.views import file_dialogs
from app.views.common import icon, label
from app.views.login import LoginView
from app.views.operations import QueryOp
from app.views.shell.page import Counted, Focusing, Page, PageDeps, as_page
from app.views.shell.pages import PAGES, ROW, start_page
from app.views.shell.preferences import Preferences
from app.views.shell.session import SessionController
from app.views.shell.shortcuts import PAGE_KEYS, SEARCH_KEYS, ShortcutsDialog
from app.views.tasks import TaskRunner
from app.views.translator import LanguageSwitcher

if TYPE_CHECKING:
    from app.dto.messages import MessengerStatus
    from app.services.context import Actor
    from app.services.registry import Services
    from app.views.appointments.page import AppointmentsPage
    from app.views.customers.page import CustomersPage
    from app.views.employers.page import EmployersPage
    from app.views.events.page import EventsPage
    from app.views.shell.displays import Displays
    from app.views.shell.menus import SettingsMenu

__all__ = ["PAGES", "ROW", "SHELL_MODULES", "MainWindow"]

# The messenger's heartbeat (#23) is read again at most this often, when the sync state
# is shown again (the sync's poll) or someone signs in.
MESSENGER_CHECK_MS = 30000

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


class NavigationList(QListWidget):
    """The left navigation. Arrowing in it shows the pages while focus stays in it (the
    window asks `arrowing`); Enter moves into the page shown."""

    enter_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.arrowing = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._fit_icons()

    def _fit_icons(self) -> None:
        """Icons as tall as a line of text: they grow with the text size."""
        side = max(16, self.fontMetrics().height())
        self.setIconSize(QSize(side, side))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_icons()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()
            return
        self.arrowing = True
        try:
            super().keyPressEvent(event)
        finally:
            self.arrowing = False


def first_focusable(root: QWidget) -> QWidget | None:
    """The first control of `root` in Tab order that can take focus now."""
    widget = root.nextInFocusChain()
    while widget is not root and widget is not None:
        if (root.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            return widget
        widget = widget.nextInFocusChain()
    return None


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
        # The next person's save dialogs start in Documents, not where this one saved.
        self.session.signed_out.connect(file_dialogs.forget_folder)
        self.session.locked.connect(self._locked)
        self.session.unlocked.connect(self._show_shell)
        self.session.sync_changed.connect(self._show_sync)
        self.session.sync_changed.connect(self._check_messenger)
        self.session.rows_arrived.connect(self._refresh_pages)
        self.shell: QWidget | None = None
        self.menus: SettingsMenu | None = None
        self.displays: Displays | None = None
        self.page_widgets: dict[str, QWidget] = {}
        self._pages: dict[str, Page] = {}
        self.counts: dict[str, int] = {}
        self.shortcuts_dialog: ShortcutsDialog | None = None
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
        self.login.hint.setVisible(demo or self.login.demo_missing)
        self.login.show_icons()
        lock_view = self.session.attach(services.auth, services.queue, services.settings)
        self.shell = self._build_shell(PageDeps(services, self.runner, self.session, self))
        self.root.addWidget(self.shell)
        self.root.addWidget(lock_view)
        self.displays = Displays(self, self.session, services.queue, services.feedback,
                                 services.auth, self.runner)
        self.displays.kiosk_closed.connect(self.show_login)
        self.menus = SettingsMenu(self.menuBar(), self.preferences, self.session,
                                  self.displays, services.customer_import, self.runner, self,
                                  services.rooms, services.queue_services)
        self.menus.add_view_actions(self.set_start_here, self.show_shortcuts)
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
        self.nav = NavigationList()
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
        self.nav.enter_pressed.connect(lambda: self.focus_page(self.current_key()))
        body.addWidget(self.nav)
        body.addWidget(self.pages, 1)
        outer.addLayout(body, 1)
        for keys in SEARCH_KEYS:
            shortcut = QShortcut(QKeySequence(keys), shell)
            shortcut.activated.connect(self.focus_search)
        for place, keys in enumerate(PAGE_KEYS, start=1):
            shortcut = QShortcut(QKeySequence(keys), shell)
            shortcut.activated.connect(lambda place=place: self.go_to_place(place))
        return shell

    def _build_status_bar(self) -> None:
        self.user_label = QLabel()
        self.user_label.setObjectName("status_user")
        self.statusBar().addWidget(self.user_label, 1)
        # A warning when no messenger has been heard from (#23): no messages go out.
        self.messenger_label = QLabel()
        self.messenger_label.setObjectName("status_messenger")
        self.messenger_label.hide()
        self.messenger_status: MessengerStatus | None = None
        self.messenger_checked = QElapsedTimer()
        self.statusBar().addPermanentWidget(self.messenger_label)
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
        arrowing = self.nav.arrowing
        for other, page in self._pages.items():
            if other != key:
                page.deactivate()
        self.pages.setCurrentWidget(self.page_widgets[key])
        self._pages[key].activate(actor)
        if arrowing:  # the worker is choosing in the navigation: focus stays there
            self.nav.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.focus_page(key)
        if self.menus is not None:
            self.menus.show_start_page(key == self.start_key())

    def current_key(self) -> str | None:
        row = self.nav.currentRow()
        return PAGES[row].key if row >= 0 else None

    def visible_rows(self) -> list[int]:
        return [row for row in range(self.nav.count()) if not self.nav.isRowHidden(row)]

    def go_to_place(self, place: int) -> None:
        """Ctrl+1 … Ctrl+9: the page at that place of the navigation as it is shown."""
        rows = self.visible_rows()
        if self.session.actor is None or not 0 < place <= len(rows):
            return
        if self.nav.currentRow() == rows[place - 1]:
            self.focus_page(PAGES[rows[place - 1]].key)
        else:
            self.nav.setCurrentRow(rows[place - 1])

    def focus_page(self, key: str | None, again: bool = True) -> None:
        """Focus on the page's first useful control: its own choice (`focus_first`), the
        spec's candidates, else its first control in Tab order; never a hidden one.
        A page with nothing to focus yet leaves focus in the navigation and is tried
        `again` on the next turn of the event loop (a page just built shows its
        controls then: the reports)."""
        if key is None or self.session.actor is None:
            return
        widget, page = self.page_widgets[key], self._pages[key]
        if isinstance(page, Focusing):
            page.focus_first()
        elif (first := PAGES[ROW[key]].first) is not None:
            for candidate in first(widget):
                if candidate.isVisible() and candidate.isEnabled():
                    candidate.setFocus(Qt.FocusReason.OtherFocusReason)
                    break
        focused = QApplication.focusWidget()
        # QStackedWidget gives focus to the incoming page itself when it finds nothing
        # better: that is no control (and a hidden one is none either).
        if (focused is None or focused is widget or not widget.isAncestorOf(focused)
                or not focused.isVisible()
                or focused.focusPolicy() == Qt.FocusPolicy.NoFocus):
            fallback = first_focusable(widget)
            (fallback or self.nav).setFocus(Qt.FocusReason.OtherFocusReason)
            if fallback is None and again:
                QTimer.singleShot(0, lambda: self._focus_page_later(key))

    def _focus_page_later(self, key: str) -> None:
        if self.current_key() == key and QApplication.focusWidget() is self.nav:
            self.focus_page(key, again=False)

    def show_shortcuts(self) -> None:
        """F1, Ctrl+/: every keyboard shortcut of the application."""
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.deleteLater()  # one at a time, in today's language
        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.open()

    # --- the start page -------------------------------------------------------------

    def start_key(self) -> str:
        """The signed-in person's start page: their own choice, else by role and point."""
        actor = self.session.actor
        assert actor is not None
        return start_page(actor, self.preferences.start_page_of(actor.username))

    def set_start_here(self, on: bool) -> None:
        """Settings → "Start on this page": the page shown becomes this person's start
        (kept per username); unticked, the start is their role's again."""
        actor, key = self.session.actor, self.current_key()
        if actor is None or key is None:
            return
        self.preferences.set_start_page(actor.username, key if on else None)
        if self.menus is not None:
            self.menus.show_start_page(key == self.start_key())

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
        item = self.nav.item(row)
        item.setText(text + (f"  {count}" if count else ""))
        rows = self.visible_rows()
        place = rows.index(row) + 1 if row in rows else 0
        if self.session.actor is not None and 0 < place <= len(PAGE_KEYS):
            keys = QKeySequence(PAGE_KEYS[place - 1]).toString(
                QKeySequence.SequenceFormat.NativeText)
            item.setToolTip(f"{text} ({keys})")
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole,
                         _("Shortcut: {keys}").format(keys=keys))
        else:
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, None)

    def open_customer(self, customer_id: str) -> None:
        self.nav.setCurrentRow(ROW["customers"])
        cast("CustomersPage", self.page("customers")).open_customer(customer_id)

    def open_employer_followup(self, contact_id: str) -> None:
        """From Today: the employer's card with the follow-up chosen (#22)."""
        self.nav.setCurrentRow(ROW["employers"])
        cast("EmployersPage", self.page("employers")).open_follow_up(contact_id)

    def open_event(self, event_id: str) -> None:
        """From the calendar: the event's card on the Events page (#21)."""
        self.nav.setCurrentRow(ROW["events"])
        cast("EventsPage", self.page("events")).open_event(event_id)

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
        for spec in PAGES:
            self._show_nav_row(spec.key)  # the Ctrl+n of each row shown
        if self.menus is not None:
            self.menus.show_for(actor)
        self._refresh_pages()  # the navigation's counts, while no page is on screen
        self._show_shell()
        self._show_user()
        self._check_messenger(force=True)
        start = ROW[self.start_key()]
        if self.nav.currentRow() == start:
            self._show_page(start)
        else:
            self.nav.setCurrentRow(start)

    def _signed_out(self) -> None:
        # The sign-in form first: whatever a page does below, the next person starts
        # from an empty form (not even the username of who was signed in).
        self.login.clear()
        closed_dialogs = self._close_dialogs()
        for page in self._pages.values():
            page.deactivate()
            page.clear()
        self.counts.clear()
        self.nav.setCurrentRow(-1)  # the next person starts on their own start page
        for spec in PAGES:
            self._show_nav_row(spec.key)
        self.statusBar().clearMessage()
        self.messenger_checked.invalidate()
        self._show_messenger(None)
        self.show_login()
        if closed_dialogs:  # the keyboard back to the sign-in form, not to the dialog gone
            self.activateWindow()
        self._show_user()
        self.session.repeat_sync_state()  # the sync's count of changes to check is kept

    def _close_dialogs(self) -> bool:
        """Signed out: no dialog of the previous person stays open (a customer's form, a
        visit record, the access log); the lobby and the kiosk are no dialogs. Whether
        there was one."""
        dialogs = [top for top in QApplication.topLevelWidgets()
                   if isinstance(top, QDialog) and top.isVisible()]
        for dialog in dialogs:
            dialog.reject()
        return bool(dialogs)

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

    def _check_messenger(self, force: bool = False) -> None:
        """Read the messenger's heartbeat off the GUI thread (at most every
        MESSENGER_CHECK_MS unless `force`d) and warn in the status bar when it is stale."""
        services = self.services
        if (services is None or self.session.actor is None
                or getattr(services, "messages", None) is None):
            return
        if (not force and self.messenger_checked.isValid()
                and self.messenger_checked.elapsed() < MESSENGER_CHECK_MS):
            return
        self.messenger_checked.start()
        QueryOp(self.runner, self, services.messages.messenger_status,
                success=self._show_messenger).latest("messenger").quietly() \
            .run_in_background()

    def _show_messenger(self, status: MessengerStatus | None) -> None:
        """The warning shows while someone is signed in and the messenger is stale: heard
        from once but not lately, or never while a central database is in use (a desk
        working alone has no messenger to hear from)."""
        self.messenger_status = status
        warn = bool(self.session.actor is not None and status is not None and status.stale
                    and (status.heard or self.session.sync_starter is not None))
        if warn and status is not None:
            from app.views import style
            from app.views.messages.texts import heartbeat_text, status_bar_warning

            text = status_bar_warning()
            style.set_status(self.messenger_label, style.WARN, text)
            self.messenger_label.setToolTip(heartbeat_text(status)[0])
            self.messenger_label.setAccessibleName(text)
        else:
            self.messenger_label.clear()
            self.messenger_label.setToolTip("")
        self.messenger_label.setVisible(warn)

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
        self._show_messenger(self.messenger_status)
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
