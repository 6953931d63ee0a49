"""Qt start-up: the application object, fonts, translators, first-run demo data."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QProgressDialog, QStyleFactory

from app import APP_NAME, __version__, demo
from app.i18n import _
from app.views import collector, focus_return, style
from app.views.main_window import MainWindow
from app.views.operations import QueryOp, report_failure
from app.views.tasks import TaskRunner
from app.views.translator import LanguageSwitcher

if TYPE_CHECKING:
    from app.services.registry import Services
    from app.views.sync.controller import SyncController


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Rovaniemi")
    if not QStyleFactory.keys() or app.style().name().lower() == "windows":
        app.setStyle("Fusion")
    icon_file = application_icon_file()
    app.setWindowIcon(QIcon(str(icon_file)) if icon_file else QIcon.fromTheme("system-users"))
    collector.install(app)  # cycles holding Qt objects are freed on the GUI thread only
    style.install(app)
    focus_return.install(app)  # the keyboard back to the window when a dialog closes
    return app


def application_icon_file() -> Path | None:
    """resources/icons/desk.png in the source tree, or in the bundle's folder."""
    here = Path(__file__).resolve().parent.parent
    bundle = getattr(sys, "_MEIPASS", None)
    for base in ([Path(bundle)] if bundle else []) + [here.parent, here]:
        candidate = base / "resources" / "icons" / "desk.png"
        if candidate.is_file():
            return candidate
    return None


def build_main_window(
    app: QApplication, services: Services, lang: str, text_scale: int = 100,
    central_url: str | None = None, service_point: str | None = None,
) -> tuple[MainWindow, TaskRunner]:
    """The whole window at once, over services already open (tests, screenshots, the
    first-run paths). A normal start uses `sign_in_window` and `attach_services`."""
    window, runner = sign_in_window(app, lang, text_scale)
    window.attach(services, services.is_demo())
    connect_central(window, services, runner, central_url, service_point)
    return window, runner


def sign_in_window(app: QApplication, lang: str,
                   text_scale: int = 100) -> tuple[MainWindow, TaskRunner]:
    """The window with only its sign-in view: nothing here touches the database or
    imports the services, so it paints at once (start-up, benchmarks/README.md)."""
    style.install(app)  # once; again on a change of palette or text size (style.py)
    runner = TaskRunner(app)
    switcher = LanguageSwitcher(app)
    switcher.switch(lang)
    base = QGuiApplication.font().pointSizeF()
    window = MainWindow(None, runner, switcher, base, text_scale)
    if text_scale != 100:
        window.preferences.set_text_scale(text_scale)
    return window, runner


def connect_central(window: MainWindow, services: Services, runner: TaskRunner,
                    central_url: str | None, service_point: str | None) -> None:
    services.auth.central_url = central_url
    if central_url:
        from app.sync.central_login import has_credentials

        session = window.session
        if has_credentials(central_url):  # development: one shared account, sync at once
            # ...once the database thread's earlier tasks are done: at the window's start,
            # the integrity check of the local file (app/__main__.py).
            runner.submit(lambda: None, lambda _done: session.attach_sync(
                start_sync(services, runner, central_url, service_point)))
        else:  # each session syncs with the signed-in staff member's own role
            session.sync_starter = lambda url: start_sync(services, runner, url, service_point)


def start_sync(services: Services, runner: TaskRunner, central_url: str,
               service_point: str | None) -> SyncController:
    from app.views.sync.controller import SyncController

    engine = services.sync.engine(central_url, service_point)
    channels = ["desk_all"] + ([f"desk_{service_point.lower()}"] if service_point else [])
    controller = SyncController(engine, services.sync, runner, central_url, channels, runner)
    controller.start()
    return controller


@dataclass
class _DemoProgress:
    """Where the demo build (a worker thread) leaves its progress for the dialog."""

    text: str = ""
    fraction: float = 0.0


def build_demo_with_progress(
    runner: TaskRunner, services: Services, scale: float, seed: int, then: Callable[[], None],
    not_built: Callable[[], None] | None = None,
) -> QProgressDialog:
    """First run with --demo: fill the database off the GUI thread, showing progress.
    `then` runs when the dialog is gone; before it, `not_built` when the build was
    cancelled or failed (everything rolled back: there are no demo accounts)."""
    dialog = QProgressDialog(_("Creating the demo area…"), _("Cancel"), 0, 1000)
    dialog.setObjectName("demo_progress")
    dialog.setWindowTitle(_("Demo data"))
    # Not modal: a modal progress dialog runs processEvents() inside setValue(), which
    # would re-enter our callbacks. The main window only shows once the build is done.
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(0)
    cancel = threading.Event()
    dialog.canceled.connect(cancel.set)
    state = _DemoProgress()

    def progress(text: str, fraction: float) -> None:  # runs in the worker thread
        state.text, state.fraction = text, fraction

    def show_progress() -> None:
        dialog.setValue(int(state.fraction * 1000))
        # The stages are msgids (the build runs in another thread): translated here.
        dialog.setLabelText(_("Creating the demo area…") + "\n" + (_(state.text) if state.text
                                                                   else ""))

    timer = QTimer(dialog)
    timer.setInterval(100)
    timer.timeout.connect(show_progress)
    timer.start()

    def dismiss() -> None:
        # hide(), not close(): QProgressDialog's close emits canceled() and was seen
        # to hang offscreen; the dialog has done its job either way.
        timer.stop()
        dialog.canceled.disconnect(cancel.set)
        dialog.hide()
        dialog.deleteLater()
        then()

    def finished(_result: object) -> None:
        dismiss()

    def failed(exc: Exception) -> None:
        if not_built is not None:
            not_built()
        dismiss()
        if not cancel.is_set():  # cancelled is no failure
            report_failure(exc, None)

    QueryOp(runner, None,  # no parent: `then` must run whatever becomes of the dialog
            lambda: demo.fill(services, seed=seed, scale=scale, progress=progress, cancel=cancel),
            success=finished).failure(failed).run_in_background()
    dialog.show()
    return dialog
