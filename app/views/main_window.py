"""The shell: sign-in, left navigation, one page at a time, and the status bar."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
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
from app.config import TEXT_SCALES
from app.i18n import N_, _, format_number, format_time, ngettext
from app.rules.codes import Role
from app.rules.permissions import Permission, allowed
from app.services.errors import ValidationFailed
from app.views.common import icon, label
from app.views.lock import IdleWatcher, LockView
from app.views.login import LoginView
from app.views.operations import QueryOp, WriteOp
from app.views.tasks import TaskRunner
from app.views.translator import LanguageSwitcher

if TYPE_CHECKING:
    from app.services.context import Actor
    from app.services.registry import Services
    from app.views.feedback.kiosk import KioskWindow
    from app.views.sync.controller import SyncController

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


# The areas that exist; each issue that builds an area adds its page here.
PAGES = (
    ("today", N_("Today"), "mdi6.calendar-check"),
    ("queue", N_("Queue"), "mdi6.account-clock"),
    ("appointments", N_("Calendar"), "mdi6.calendar-month"),
    ("customers", N_("Customers"), "mdi6.account-search"),
    ("caseload", N_("Caseloads"), "mdi6.account-group"),
    ("feedback", N_("Feedback"), "mdi6.emoticon-happy-outline"),
    ("reports", N_("Reports"), "mdi6.chart-bar"),
    ("sync", N_("Synchronisation"), "mdi6.sync"),
)
ROW = {key: row for row, (key, _text, _icon) in enumerate(PAGES)}


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
        self.services: Services = None  # type: ignore[assignment]  # set by attach
        self.runner = runner
        self.switcher = switcher
        self.base_point_size = base_point_size
        self.text_scale = text_scale
        self.actor: Actor | None = None
        self.shell: QWidget | None = None
        self.remember_preference: Callable[[str, str], None] | None = None
        # A sign-in asked for before the database is open waits here (start-up).
        self.pending_sign_in: tuple[str, str] | None = None
        self.root = QStackedWidget()
        self.setCentralWidget(self.root)
        self.login = LoginView(False)
        self.login.sign_in_requested.connect(self.sign_in)
        self.login.language_requested.connect(self.set_language)
        self.root.addWidget(self.login)
        self._build_status_bar()
        self.resize(1280, 800)
        self.retranslate()
        self.show_login()
        if services is not None:
            self.attach(services, services.is_demo())

    def attach(self, services: Services, demo: bool, resume_sign_in: bool = True) -> None:
        """The database is open: build everything behind the sign-in view. `demo` shows
        the demo accounts under the sign-in form. A sign-in given meanwhile is carried
        out now, unless `resume_sign_in` is False (then by resume_sign_in())."""
        self.services = services
        self.login.hint.setVisible(demo)
        self.login.show_icons()
        self.shell = self._build_shell()
        self.root.addWidget(self.shell)
        self._build_lock()
        self._build_menu()
        self.retranslate()
        self.menuBar().setVisible(self.actor is not None)
        self._show_sync()
        if resume_sign_in:
            self.resume_sign_in()

    def resume_sign_in(self) -> None:
        if self.pending_sign_in is not None:
            username, password = self.pending_sign_in
            self.pending_sign_in = None
            self.sign_in(username, password)

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
            self.resume_sign_in()

        QTimer.singleShot(0, step)

    @property
    def attached(self) -> bool:
        return self.shell is not None

    # --- building -------------------------------------------------------------------

    def _build_shell(self) -> QWidget:
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
        from app.views.appointments.page import AppointmentsPage
        from app.views.customers.page import CustomersPage
        from app.views.feedback.page import FeedbackPage
        from app.views.lazy_page import LazyPage
        from app.views.queue.page import QueuePage
        from app.views.sync.page import SyncPage

        self.queue = QueuePage(self.services, self.runner)
        self.customers = CustomersPage(self.services, self.runner)
        self.sync_page = SyncPage(self.services.sync, self.runner)
        self.page_widgets: dict[str, Any] = {"queue": self.queue, "customers": self.customers,
                                             "sync": self.sync_page}
        self.page_widgets["reports"] = LazyPage(self._reports_page)
        self.appointments = AppointmentsPage(self.services, self.runner)
        self.page_widgets["appointments"] = self.appointments
        self.customers.book_requested.connect(self.book_for_customer)
        self.counts: dict[str, int | None] = {"queue": None, "sync": None,
                                              "appointments": None}
        self.appointments.count_changed.connect(lambda n: self._set_count("appointments", n))
        self.feedback_page = FeedbackPage(self.services.feedback, self.runner)
        self.page_widgets["feedback"] = self.feedback_page
        self.feedback_page.open_replies_changed.connect(
            lambda n: self._set_count("feedback", n))
        self.kiosk: KioskWindow | None = None
        self._add_coaching_pages()
        self.queue.waiting_changed.connect(lambda n: self._set_count("queue", n))
        for key, _text, icon_name in PAGES:
            item = QListWidgetItem(icon(icon_name, self.nav), "")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            self.pages.addWidget(self.page_widgets[key])
        self.nav.currentRowChanged.connect(self._show_page)
        body.addWidget(self.nav)
        body.addWidget(self.pages, 1)
        outer.addLayout(body, 1)
        for keys in ("Ctrl+K", "F3"):
            shortcut = QShortcut(QKeySequence(keys), shell)
            shortcut.activated.connect(self.focus_search)
        return shell

    def _add_coaching_pages(self) -> None:
        """Today's worklist and the caseloads; a row opens the customer's card."""
        from app.views.coaching.caseload import CaseloadPage
        from app.views.coaching.today import TodayPage

        self.today = TodayPage(self.services, self.runner)
        self.caseload = CaseloadPage(self.services, self.runner)
        self.page_widgets.update({"today": self.today, "caseload": self.caseload})
        self.counts["today"] = None
        self.today.count_changed.connect(lambda n: self._set_count("today", n))
        self.today.open_customer.connect(self.open_customer)
        self.caseload.open_customer.connect(self.open_customer)
        self.import_action = QAction(self)
        self.import_action.triggered.connect(self.open_import)
        self.import_dialog: QWidget | None = None

    def open_import(self) -> None:
        from app.views.coaching.import_dialog import ImportDialog

        self.import_dialog = ImportDialog(self.services.customer_import, self.runner, self)
        self.import_dialog.finished.connect(lambda _r: self.customers.model.refresh())
        self.import_dialog.open()

    def _retranslate_coaching(self) -> None:
        self.import_action.setText(_("&Import customers…"))

    def _coaching_start(self, actor: Actor) -> int:
        """Everyone starts at the queue, as before; coaches see today's count on the
        navigation at once. The desk (no caseload) does not see the coaching pages."""
        coaching = allowed(actor.role, Permission.CASELOAD_READ)
        for key in ("today", "caseload"):
            self.nav.setRowHidden(ROW[key], not coaching)
        self.import_action.setVisible(allowed(actor.role, Permission.CUSTOMER_IMPORT))
        if coaching:
            self.today.refresh()
        return ROW["queue"]

    def open_customer(self, customer_id: str) -> None:
        self.nav.setCurrentRow(ROW["customers"])
        self.customers.open_customer(customer_id)
    def _build_lock(self) -> None:
        self.lock_view = LockView()
        self.lock_view.unlock_requested.connect(self.unlock)
        self.lock_view.sign_out_requested.connect(self.sign_out)
        self.root.addWidget(self.lock_view)
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock_session)
        QApplication.instance().installEventFilter(self.idle)
        self.hidden_windows: list[QWidget] = []
        # Online with personal credentials: the sync starts once someone signs in.
        self.sync_starter: Callable[[str], SyncController] | None = None

    def _build_menu(self) -> None:
        bar = self.menuBar()
        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in i18n.LANGUAGES:
            action = QAction(i18n.LANGUAGE_NAMES[code], self, checkable=True)
            action.triggered.connect(lambda _c=False, lang=code: self.set_language(lang))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.size_menu = self.view_menu.addMenu("")
        size_group = QActionGroup(self)
        self.size_actions: dict[int, QAction] = {}
        for scale in TEXT_SCALES:
            action = QAction(f"{scale} %", self, checkable=True)
            action.triggered.connect(lambda _c=False, s=scale: self.set_text_scale(s))
            size_group.addAction(action)
            self.size_menu.addAction(action)
            self.size_actions[scale] = action
        self.lobby_action = QAction(self)
        self.lobby_action.triggered.connect(self.open_lobby)
        self.view_menu.addAction(self.lobby_action)
        self.kiosk_action = QAction(self)
        self.kiosk_action.triggered.connect(lambda: self.open_kiosk())
        self.view_menu.addAction(self.kiosk_action)
        self.pin_action = QAction(self)
        self.pin_action.triggered.connect(self.set_kiosk_pin)
        self.view_menu.addAction(self.pin_action)
        self.view_menu.addAction(self.import_action)
        self.view_menu.addSeparator()
        self.sign_out_action = QAction(self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.view_menu.addAction(self.sign_out_action)
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.lock_action.triggered.connect(self.lock_session)
        self.view_menu.addAction(self.lock_action)

    def _build_status_bar(self) -> None:
        self.user_label = QLabel()
        self.user_label.setObjectName("status_user")
        self.statusBar().addWidget(self.user_label, 1)
        self.sync_label = QLabel()
        self.sync_label.setObjectName("status_sync")
        self.statusBar().addPermanentWidget(self.sync_label)
        self.sync: SyncController | None = None

    def attach_sync(self, controller: SyncController) -> None:
        """Online mode: show the sync state, refresh pages when rows arrive."""
        self.sync = controller
        controller.state_changed.connect(self._show_sync)
        controller.progress.connect(self._show_first_sync)
        controller.pulled.connect(self._rows_arrived)
        self.sync_page.changed.connect(controller.sync_now)
        self._show_sync()

    def _detach_sync(self) -> None:
        """Signing out ends the session's own sync (it runs with that person's role)."""
        controller, self.sync = self.sync, None
        controller.stop()
        for signal, slot in ((controller.state_changed, self._show_sync),
                             (controller.progress, self._show_first_sync),
                             (controller.pulled, self._rows_arrived),
                             (self.sync_page.changed, controller.sync_now)):
            signal.disconnect(slot)
        self._show_sync()

    def _rows_arrived(self, _count: int) -> None:
        if self.actor is None:
            return
        if self.queue.started:
            self.queue.refresh()
        if self.pages.currentWidget() is self.sync_page:
            self.sync_page.refresh()
        if self.pages.currentWidget() is self.appointments:
            self.appointments.load()
        else:
            self.appointments.refresh_count()

    def _show_first_sync(self, done: int, total: int) -> None:
        """A new workstation's first sync can take a while: count it out."""
        if self.sync is not None and self.sync.last_sync is None:
            self.sync_label.setText("⟳ " + _("Syncing… {done} / {total}").format(
                done=format_number(done), total=format_number(total)))

    def _show_sync(self) -> None:
        sync = self.sync
        if sync is None:
            text = _("Local only: no central database configured")
        else:
            if sync.syncing and sync.last_sync is None:  # the first sync may take a while
                parts = ["⟳ " + _("Syncing…")]
            elif sync.online:
                parts = ["● " + _("Online")]
            else:
                parts = ["○ " + _("Offline")]
            waiting = sync.counts.pending
            if waiting:
                parts.append(ngettext("{n} change waiting", "{n} changes waiting", waiting)
                             .format(n=format_number(waiting)))
            if sync.last_sync is not None:
                parts.append(_("synced {time}").format(time=format_time(sync.last_sync)))
            problems = sync.counts.conflicts + sync.counts.rejected
            if problems:
                parts.append("⚠ " + ngettext("{n} to check", "{n} to check", problems)
                             .format(n=format_number(problems)))
            self._set_count("sync", problems)
            text = "  ·  ".join(parts)
        self.sync_label.setText(text)
        self.sync_label.setAccessibleName(text)
        self.sync_page.show_state(text)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Rovaseutu employment services"))
        self._show_user()
        if self.attached:
            self._retranslate_shell()

    def _retranslate_shell(self) -> None:
        self.app_title.setText(_("Rovaseutu employment services"))
        self.search_button.setText(_("Search customer… (Ctrl+K)"))
        self.search_button.setIcon(icon("mdi6.magnify", self))
        self.search_button.setAccessibleName(_("Search customer"))
        self.nav.setAccessibleName(_("Navigation"))
        for row, (key, text, _icon) in enumerate(PAGES):
            count = self.counts.get(key)
            self.nav.item(row).setText(_(text) + (f"  {count}" if count else ""))
            self.nav.item(row).setToolTip(_(text))
        self.view_menu.setTitle(_("&Settings"))
        self.language_menu.setTitle(_("&Language"))
        self.size_menu.setTitle(_("&Text size"))
        self.sign_out_action.setText(_("Sign &out"))
        self.lock_action.setText(_("Loc&k the session"))
        self.lobby_action.setText(_("Open the &lobby display"))
        self.kiosk_action.setText(_("Open the feedback &kiosk"))
        self.pin_action.setText(_("Set kiosk &PIN…"))
        self._retranslate_coaching()
        self._show_sync()
        self.language_actions[i18n.current_language()].setChecked(True)
        self.size_actions[self.text_scale].setChecked(True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- actions --------------------------------------------------------------------

    def demo_ready(self) -> None:
        """The first-run demo build finished: show the window and the demo accounts."""
        self.login.hint.setVisible(True)
        self.show()

    def show_login(self) -> None:
        self.root.setCurrentWidget(self.login)
        self.menuBar().setVisible(False)
        self.login.reset()

    def sign_in(self, username: str, password: str) -> None:
        if not self.attached:  # the database is still opening: sign in once it is
            self.pending_sign_in = (username, password)
            return

        WriteOp(self.runner, self.login, lambda: self.services.auth.sign_in(username, password),
                success=self.signed_in).errors_to(self.login.failed).run_in_background()

    def signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.customers.set_role(actor.role)
        self._show_reports_to(actor.role)
        self.caseload.set_role(actor.role)
        self.login.reset()
        self.root.setCurrentWidget(self.shell)
        self.menuBar().setVisible(True)
        self._show_user()
        start = self._coaching_start(actor)
        self.nav.setCurrentRow(start)
        self._show_page(start)
        self._start_session_services()
        self.appointments.refresh_count()

    def _reports_page(self) -> QWidget:
        from app.views.reports.page import ReportsPage  # matplotlib: only when opened

        return ReportsPage(self.services, self.runner)

    def _show_reports_to(self, role: Role) -> None:
        """Reports are for team leads and administrators (Permission.REPORTS_READ)."""
        self.nav.setRowHidden(ROW["reports"], not allowed(role, Permission.REPORTS_READ))

    def _start_session_services(self) -> None:
        """Online with personal credentials: the sync starts with this person's login;
        the idle lock with the area's setting."""
        url = self.services.auth.session_url
        if self.sync_starter is not None and url and self.sync is None:
            self.attach_sync(self.sync_starter(url))
        QueryOp(self.runner, self, lambda: self.services.settings.get("idle_lock_minutes"),
                success=self._start_idle_watch) \
            .failure(lambda _exc: self._start_idle_watch(10)).run_in_background()

    def _start_idle_watch(self, minutes: object) -> None:
        if self.actor is not None and isinstance(minutes, int | float) and minutes > 0:
            self.idle.start(float(minutes))

    def lock_session(self) -> None:
        """Idle: replace the pages with the lock view and hide every other window of the
        application (dialogs with customer data), until the password is given again."""
        if self.actor is None or self.root.currentWidget() is self.lock_view:
            return
        self.idle.stop()
        self.hidden_windows = [w for w in QApplication.topLevelWidgets()
                               if w is not self and w.isVisible() and w.isWindow()
                               and not w.objectName().startswith("lobby")]
        for window in self.hidden_windows:
            window.hide()
        self.root.setCurrentWidget(self.lock_view)
        self.shell.hide()
        self.menuBar().setVisible(False)
        self.lock_view.show_for(self.actor.full_name)
        WriteOp(self.runner, self, self.services.auth.lock).quietly().run_in_background()

    def unlock(self, password: str) -> None:
        WriteOp(self.runner, self.lock_view, lambda: self.services.auth.unlock(password),
                success=self._unlocked).errors_to(self.lock_view.failed).run_in_background()

    def _unlocked(self, _result: object) -> None:
        if self.actor is None:
            return
        self.root.setCurrentWidget(self.shell)
        self.menuBar().setVisible(True)
        for window in self.hidden_windows:
            window.show()
        self.hidden_windows = []
        self.idle.timer.start()

    def sign_out(self) -> None:
        self.actor = None
        self.idle.stop()
        for window in self.hidden_windows:
            window.close()
        self.hidden_windows = []
        if self.sync_starter is not None and self.sync is not None:
            self._detach_sync()
        self.queue.signed_out()
        self.appointments.signed_out()
        self._set_count("appointments", 0)
        WriteOp(self.runner, self, self._end_duty_and_sign_out).quietly().run_in_background()
        self.customers.show_list()
        self.show_login()
        self._show_user()

    def _end_duty_and_sign_out(self) -> None:
        self.services.queue.end_duty()
        self.services.auth.sign_out()

    def _set_count(self, key: str, count: int) -> None:
        self.counts[key] = count
        text = _(PAGES[ROW[key]][1])
        self.nav.item(ROW[key]).setText(text + (f"  {count}" if count else ""))

    def open_lobby(self) -> None:
        """The waiting-room screen, full screen on a second monitor when there is one."""
        from app.views.queue.lobby import LobbyWindow

        self.lobby = LobbyWindow(self.services.queue, self.runner)
        screens = QApplication.screens()
        if len(screens) > 1:
            self.lobby.setScreen(screens[-1])
            self.lobby.move(screens[-1].geometry().topLeft())
        self.lobby.showFullScreen()
        self.lobby.start()

    def open_kiosk(self, point_code: str | None = None) -> None:
        """The feedback kiosk, full screen. Opened by a worker, it signs them out first
        (the kiosk faces customers); leaving it needs a staff member's PIN and returns
        to the sign-in view. With no one signed in (`--view kiosk`) it opens directly."""
        from app.views.feedback.kiosk import KioskWindow

        def opened(point: object) -> None:
            if self.actor is not None:
                self.sign_out()
            self.kiosk = KioskWindow(self.services.feedback, self.services.auth, self.runner,
                                     point)  # type: ignore[arg-type]  # kiosk_point() returns a KioskPoint; QueryOp's success is typed object
            self.kiosk.left.connect(self._kiosk_left)
            self.hide()
            self.kiosk.showFullScreen()

        def failed(text: str) -> None:
            self.statusBar().showMessage("⚠ " + text, 8000)
            self.show()

        QueryOp(self.runner, self, lambda: self.services.feedback.kiosk_point(point_code),
                success=opened).errors_to(failed).run_in_background()

    def _kiosk_left(self) -> None:
        self.kiosk = None
        self.show_login()
        self.show()

    def set_kiosk_pin(self) -> None:
        from app.views.feedback.pin import SetPinDialog

        dialog = SetPinDialog(self)

        def submit() -> None:
            pin = dialog.value()

            def saved(_result: object) -> None:
                dialog.saved()
                self.statusBar().showMessage(_("Kiosk PIN saved."), 5000)

            WriteOp(self.runner, dialog, lambda: self.services.auth.set_pin(pin),
                    success=saved) \
                .on(ValidationFailed,
                    lambda exc: dialog.show_error(_(next(iter(exc.errors.values()))))) \
                .run_in_background()

        dialog.submit_handler = submit
        self.pin_dialog = dialog
        dialog.open()

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        key = PAGES[row][0]
        if key != "queue":
            self.queue.deactivate()
        page = self.page_widgets[key]
        self.pages.setCurrentWidget(page)
        page.activate()

    def book_for_customer(self, customer_id: str, name: str) -> None:
        """From the customer card: the calendar, with the booking dialog for them."""
        self.nav.setCurrentRow(ROW["appointments"])
        self.appointments.book_when_ready((customer_id, name))

    def focus_search(self) -> None:
        if self.actor is None:
            return
        self.nav.setCurrentRow(ROW["customers"])
        self.customers.show_list()
        self.customers.list_view.focus_search()

    def set_language(self, lang: str) -> None:
        self.switcher.switch(lang)
        self._remember("language", lang)

    def _remember(self, key: str, value: str) -> None:
        """Keep a choice from the Settings menu for the next start (the user's settings
        file), when the composition root gave a place to keep it (not in tests)."""
        if self.remember_preference is not None:
            keep = self.remember_preference
            QueryOp(self.runner, self, lambda: keep(key, value)).in_io_pool().quietly() \
                .run_in_background()

    def set_text_scale(self, scale: int) -> None:
        self._remember("text_scale", str(scale))
        self.text_scale = scale
        app = QApplication.instance()
        font = app.font()
        font.setPointSizeF(self.base_point_size * scale / 100)
        app.setFont(font)

    def _show_user(self) -> None:
        language = i18n.LANGUAGE_NAMES[i18n.current_language()]
        if self.actor is None:
            self.user_label.setText(language)
            return
        self.user_label.setText(
            "  ·  ".join(
                (
                    self.actor.full_name,
                    label(self.actor.role),
                    self.actor.service_point_name,
                    language,
                )
            )
        )

