"""The signed-in session: signing in and out, the idle lock, and the session's own sync.

The window shows what the session says: the pages on `signed_in`, the sign-in view on
`signed_out`, the lock view on `locked` until `unlocked`, the sync state on
`sync_changed`; it refreshes its pages on `rows_arrived`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from app.i18n import _, format_number, format_time, ngettext
from app.views.lock import IdleWatcher, LockView
from app.views.login import LoginView
from app.views.operations import QueryOp, WriteOp
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.auth import AuthService
    from app.services.context import Actor
    from app.services.queue import QueueService
    from app.services.settings import SettingsService
    from app.views.sync.controller import SyncController

# Minutes of no input before the lock when the area setting cannot be read.
IDLE_MINUTES_FALLBACK = 10


class SessionController(QObject):
    """Owned by the window (`parent`), which it never hides itself: the other top-level
    windows with customer data are hidden while locked."""

    signed_in = Signal(object)  # the Actor
    signed_out = Signal()
    locked = Signal()
    unlocked = Signal()
    sync_changed = Signal()  # read sync_status()
    rows_arrived = Signal()  # from the central database, while someone is signed in

    def __init__(self, login: LoginView, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.window, self.login, self.runner = parent, login, runner
        self.actor: Actor | None = None
        # A sign-in asked for before the database is open waits here (start-up).
        self.pending_sign_in: tuple[str, str] | None = None
        self.auth: AuthService | None = None  # set by attach
        self.queue: QueueService | None = None
        self.settings: SettingsService | None = None
        self.lock_view: LockView | None = None  # built by attach (it has icons)
        self.is_locked = False
        self.hidden_windows: list[QWidget] = []
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.sync: SyncController | None = None
        # Online with personal credentials: the sync starts once someone signs in.
        self._sync_starter: Callable[[str], SyncController] | None = None
        self._first_sync: tuple[int, int] | None = None  # pulled so far, of how many
        login.sign_in_requested.connect(self.sign_in)

    @property
    def sync_starter(self) -> Callable[[str], SyncController] | None:
        return self._sync_starter

    @sync_starter.setter
    def sync_starter(self, starter: Callable[[str], SyncController] | None) -> None:
        """Set by the composition root once the central database is known: the status
        bar then says so (it is no longer "local only")."""
        self._sync_starter = starter
        self.sync_changed.emit()

    def attach(self, auth: AuthService, queue: QueueService,
               settings: SettingsService) -> LockView:
        """The database is open: sign-ins go through now. Returns the lock view, for the
        window to show on `locked`."""
        self.auth, self.queue, self.settings = auth, queue, settings
        self.lock_view = LockView()
        self.lock_view.unlock_requested.connect(self.unlock)
        self.lock_view.sign_out_requested.connect(self.sign_out)
        return self.lock_view

    def resume_sign_in(self) -> None:
        """Carry out a sign-in given before the database was open."""
        if self.pending_sign_in is not None:
            username, password = self.pending_sign_in
            self.pending_sign_in = None
            self.sign_in(username, password)

    # --- signing in and out -------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> None:
        auth = self.auth
        if auth is None:  # the database is still opening: sign in once it is
            self.pending_sign_in = (username, password)
            return
        WriteOp(self.runner, self.login, lambda: auth.sign_in(username, password),
                success=self._signed_in).errors_to(self.login.failed).run_in_background()

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.login.reset()
        self.signed_in.emit(actor)
        self._start_session_services()

    def _start_session_services(self) -> None:
        """Online with personal credentials: the sync starts with this person's login;
        the idle lock with the area's setting."""
        auth, settings = self.auth, self.settings
        assert auth is not None and settings is not None  # signed in: attached
        url = auth.session_url
        if self.sync_starter is not None and url and self.sync is None:
            self.attach_sync(self.sync_starter(url))
        elif self.sync_starter is not None:
            self.sync_changed.emit()  # signed in offline: no longer "at sign-in"
        QueryOp(self.runner, self, lambda: settings.get("idle_lock_minutes"),
                success=self._start_idle_watch) \
            .failure(lambda _exc: self._start_idle_watch(IDLE_MINUTES_FALLBACK)) \
            .run_in_background()

    def _start_idle_watch(self, minutes: object) -> None:
        if self.actor is not None and isinstance(minutes, int | float) and minutes > 0:
            self.idle.start(float(minutes))

    def sign_out(self) -> None:
        """Back to the sign-in view; the desk's duty ends and the session's sync stops."""
        self.actor = None
        self.is_locked = False
        self.idle.stop()
        for window in self.hidden_windows:
            window.close()
        self.hidden_windows = []
        if self.sync_starter is not None and self.sync is not None:
            self._detach_sync()
        self.signed_out.emit()
        auth, queue = self.auth, self.queue
        if auth is not None and queue is not None:
            def end_duty_and_sign_out() -> None:
                queue.end_duty()
                auth.sign_out()

            WriteOp(self.runner, self, end_duty_and_sign_out).quietly().run_in_background()

    # --- the idle lock ------------------------------------------------------------------

    def lock(self) -> None:
        """Idle: the window shows only the lock view and every other window of the
        application (dialogs with customer data) hides, until the password is given."""
        auth, view = self.auth, self.lock_view
        if self.actor is None or self.is_locked or auth is None or view is None:
            return
        self.is_locked = True
        self.idle.stop()
        self.hidden_windows = [w for w in QApplication.topLevelWidgets()
                               if w is not self.window and w.isVisible() and w.isWindow()
                               and not w.objectName().startswith("lobby")]
        for window in self.hidden_windows:
            window.hide()
        self.locked.emit()
        view.show_for(self.actor.full_name)
        WriteOp(self.runner, self, auth.lock).quietly().run_in_background()

    def unlock(self, password: str) -> None:
        auth, view = self.auth, self.lock_view
        if auth is None or view is None:
            return
        WriteOp(self.runner, view, lambda: auth.unlock(password),
                success=self._unlocked).errors_to(view.failed).run_in_background()

    def _unlocked(self, _result: object) -> None:
        if self.actor is None:
            return
        self.is_locked = False
        self.unlocked.emit()
        for window in self.hidden_windows:
            window.show()
        self.hidden_windows = []
        self.idle.timer.start()

    # --- the session's sync -------------------------------------------------------------

    def attach_sync(self, controller: SyncController) -> None:
        """Online: show the sync state, refresh the pages when rows arrive."""
        self.sync = controller
        self._first_sync = None
        controller.state_changed.connect(self._sync_state_changed)
        controller.progress.connect(self._first_sync_progress)
        controller.pulled.connect(self._pulled)
        self.sync_changed.emit()

    def _detach_sync(self) -> None:
        """Signing out ends the session's own sync (it runs with that person's role)."""
        controller, self.sync = self.sync, None
        if controller is None:
            return
        controller.stop()
        controller.state_changed.disconnect(self._sync_state_changed)
        controller.progress.disconnect(self._first_sync_progress)
        controller.pulled.disconnect(self._pulled)
        self._first_sync = None
        self.sync_changed.emit()

    def repeat_sync_state(self) -> None:
        """Say the sync state again (`sync_changed`): its text is to be shown anew, in
        another language or for another person."""
        self.sync_changed.emit()

    def sync_now(self) -> None:
        """A change to send at once (a conflict settled on the sync page)."""
        if self.sync is not None:
            self.sync.sync_now()

    def _sync_state_changed(self) -> None:
        self._first_sync = None
        self.sync_changed.emit()

    def _first_sync_progress(self, done: int, total: int) -> None:
        """A new workstation's first sync can take a while: count it out."""
        if self.sync is not None and self.sync.last_sync is None:
            self._first_sync = (done, total)
            self.sync_changed.emit()

    def _pulled(self, _count: int) -> None:
        if self.actor is not None:
            self.rows_arrived.emit()

    def sync_status(self) -> tuple[str, int]:
        """The status bar's text for the sync, and the changes a worker must check."""
        if self.sync is None and self._sync_starter is not None:
            # A central database is configured; each session syncs as its own person.
            if self.actor is None:
                return "○ " + _("Central database: connects when you sign in"), 0
            return "○ " + _("Offline"), 0
        return describe_sync(self.sync, self._first_sync)


def describe_sync(sync: SyncController | None,
                  first_sync: tuple[int, int] | None = None) -> tuple[str, int]:
    if sync is None:
        return _("Local only: no central database configured"), 0
    problems = sync.counts.conflicts + sync.counts.rejected
    if first_sync is not None:
        done, total = first_sync
        text = (_("Ready to serve; older records arriving: {done} / {total}")
                if sync.has_working_set else _("Syncing… {done} / {total}"))
        return "⟳ " + text.format(done=format_number(done), total=format_number(total)), \
            problems
    if sync.syncing and sync.last_sync is None:  # the first sync may take a while
        parts = ["⟳ " + (_("Ready to serve; older records arriving…") if sync.has_working_set
                         else _("Syncing…"))]
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
    if problems:
        parts.append("⚠ " + ngettext("{n} to check", "{n} to check", problems)
                     .format(n=format_number(problems)))
    return "  ·  ".join(parts), problems
