"""Composition root: parse arguments, build config, services and the Qt window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__, config, i18n
from app.diagnostics import logsetup
from app.i18n import _

if TYPE_CHECKING:  # imported where they are needed: the sign-in view paints first
    from PySide6.QtWidgets import QApplication

    from app.services.registry import Services
    from app.views.main_window import MainWindow
    from app.views.tasks import TaskRunner

log = logging.getLogger("app.main")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="desk" if getattr(sys, "frozen", False) else "python -m app",
        description="Rovaseutu service-point desk application",
    )
    parser.add_argument("--db", type=Path, help="local database file")
    parser.add_argument("--central", help="central PostgreSQL URL")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help="user interface language")
    parser.add_argument("--demo", action="store_true",
                        help="fill an empty database with the demo area on first run")
    parser.add_argument("--demo-scale", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png",
                        help="render a view offscreen to a PNG and exit")
    parser.add_argument("--view", help="the view to render with --screenshot; without it, "
                        "'kiosk' opens the feedback kiosk full screen")
    parser.add_argument("--setup", action="store_true",
                        help="show the workstation settings dialog of the first start again")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--diagnostics", action="store_true",
                        help="print versions, paths, the local database's state and the "
                        "central address for IT support, then exit (no window)")
    parser.add_argument("--log-level", type=str.upper, choices=logsetup.LEVELS,
                        help="the diagnostics log's level (default INFO, or DESK_LOG_LEVEL)")
    args = parser.parse_args(argv)
    if args.screenshot and not args.view:
        parser.error("--screenshot needs --view")
    if args.view and not args.screenshot and args.view != "kiosk":
        parser.error("--view without --screenshot opens only 'kiosk'")
    return args


def with_arguments(settings: config.Config, args: argparse.Namespace) -> config.Config:
    """The command line overrides the settings files."""
    if args.db:
        settings = settings.with_(db_path=args.db)
    if args.central:
        settings = settings.with_(central_url=args.central)
    if args.lang:
        settings = settings.with_(language=args.lang)
    return settings


def main(argv: list[str] | None = None) -> int:
    # The Windows bundle is a GUI program: started from the Start menu it has no console,
    # and printing (--version, an error) to a missing stream must not crash it.
    console = sys.stdout is not None
    for stream in ("stdout", "stderr"):
        if getattr(sys, stream) is None:
            setattr(sys, stream, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.diagnostics:
        return print_diagnostics(args, console)
    logs = logsetup.configure(args.log_level)
    try:
        return _start(args)
    except Exception as exc:  # before or after the event loop: logged, then reported
        logsetup.log_unexpected(exc, "start-up")
        raise
    finally:
        logs.close()


def print_diagnostics(args: argparse.Namespace, console: bool = True) -> int:
    """`--diagnostics`: the report for IT support (app.diagnostics.report); no window.
    The Windows bundle has no console: there it goes to diagnostics.txt in the log
    folder instead."""
    from app.diagnostics import report

    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt: tuple[str, str] | None = (PySide6.__version__, qVersion())
    except ImportError:
        qt = None
    settings = with_arguments(config.load(), args)
    text = report.render(report.collect(settings, qt))
    if console:
        print(text, end="")
        return 0
    folder = config.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "diagnostics.txt").write_text(text, encoding="utf-8")
    return 0


def _start(args: argparse.Namespace) -> int:
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from app.views import screenshot

        if args.view not in screenshot.VIEWS:
            print(
                f"error: unknown view {args.view!r}; available: {', '.join(screenshot.VIEWS)}",
                file=sys.stderr,
            )
            return 2

    # A workstation without any settings file asks for them first; never for a
    # screenshot or the demo (nor in tests: they name a DESK_CONFIG, see app.config).
    # --setup shows the same dialog again (a moved workstation, a new central address).
    first_run = (not args.screenshot and not args.demo
                 and (args.setup or config.needs_first_run()))
    settings = with_arguments(config.load(), args)
    i18n.set_language(settings.language)
    log.info("database %s, central database %s, language %s", settings.db_path,
             "configured" if settings.central_url else "not configured", settings.language)

    if not (first_run or args.screenshot or args.view == "kiosk"):
        return start_behind_sign_in(args, settings)

    from app.services.registry import Services

    try:
        services = Services.open(settings.db_path, settings.workstation)
    except Exception as exc:
        message = database_problem(settings.db_path, exc)
        if not args.screenshot:  # a person is starting the program: a box, not a trace
            from app.views.application import make_application

            show_start_failure(make_application(sys.argv[:1]), None, message)
        return 1

    from app.views.application import build_demo_with_progress, build_main_window, make_application

    app = make_application(sys.argv[:1])
    report_errors_in_dialogs(app)
    if first_run:
        from app.views.first_run import run_first_run

        chosen = run_first_run(app, services, settings)
        if chosen is None:  # cancelled: nothing saved, asked again next time
            services.close()
            return 0
        settings = with_arguments(chosen, args)
        i18n.set_language(settings.language)
    if settings.ticket_letter:
        services.setup.preset_letter(settings.ticket_letter)
    window, runner = build_main_window(app, services, settings.language, settings.text_scale,
                                       settings.central_url, settings.service_point)

    if args.screenshot:
        from app.views import screenshot

        return screenshot.run(app, window, runner, services, args.view, args.screenshot,
                              demo=args.demo, scale=args.demo_scale)

    window.preferences.remember = remember_preference
    window.preferences.start_pages = config.start_pages()
    # The feedback kiosk stands at the configured service point (else a walk-in point).
    displays = window.displays  # the window is attached: built over the open services
    start = ((lambda: displays.open_kiosk(settings.service_point))
             if args.view == "kiosk" and displays is not None else window.show)
    keep_alive: list[object] = []  # the demo's progress dialog (no parent) until the end
    if args.demo and services.is_empty():
        def demo_built() -> None:
            window.demo_ready()
            start()

        keep_alive.append(build_demo_with_progress(
            runner, services, args.demo_scale, 1, demo_built, window.login.no_demo_data))
    else:
        start()
    return run_until_closed(app, window, runner, lambda: services)


def report_errors_in_dialogs(app: QApplication) -> None:
    """Qt's warnings into the log; unexpected errors into one dialog (until exit)."""
    from app.views.error_dialog import install_error_reporting

    undo = install_error_reporting(app)
    setup = logsetup.active()
    if setup is not None:
        setup.on_close(undo)


def remember_preference(key: str, value: str) -> None:
    """Language and text size chosen in the Settings menu are kept for the next start."""
    config.save_user({key: value})


def start_behind_sign_in(args: argparse.Namespace, settings: config.Config) -> int:
    """The everyday start: the sign-in view paints first, with nothing but Qt and the
    translations loaded; the database opens and the rest of the program is imported in
    the database thread meanwhile, and the pages are built behind the sign-in view when
    it is ready. A sign-in given before that waits for it (SessionController.pending_sign_in)."""
    from app.views.application import (
        build_demo_with_progress,
        connect_central,
        make_application,
        sign_in_window,
    )

    app = make_application(sys.argv[:1])
    report_errors_in_dialogs(app)
    window, runner = sign_in_window(app, settings.language, settings.text_scale)
    window.preferences.remember = remember_preference
    window.preferences.start_pages = config.start_pages()
    opened: dict[str, Services] = {}
    keep_alive: list[object] = []  # the demo's progress dialog (no parent) until the end

    def open_services() -> tuple[Services, bool, bool]:
        # SQLAlchemy, the models and the services, imported here in the database thread
        # (they hold no Qt); the pages' Qt modules follow on the GUI thread (attach_soon).
        from app.services.registry import Services

        # The file's pages are checked right after, still ahead of any sign-in (ready).
        services = Services.open(settings.db_path, settings.workstation, check_later=True)
        opened["services"] = services  # closed at the end even if the window never attached
        if settings.ticket_letter:
            services.setup.preset_letter(settings.ticket_letter)
        return services, services.is_demo(), services.is_empty()

    def ready(result: tuple[Services, bool, bool]) -> None:
        services, demo, empty = result
        # The integrity check (every page: about 1 s per 100 MB) runs in the database
        # thread while the pages are built and the user types; the one database thread
        # runs tasks in order, so a sign-in (it writes its audit row) and every page's
        # first read wait for it. A damaged file is said and the program ends, as when
        # it does not open at all.
        runner.submit(services.ctx.check_integrity, None, failed)

        def attach(demo: bool) -> None:
            window.attach_soon(services, demo, lambda: connect_central(
                window, services, runner, settings.central_url, settings.service_point))

        if args.demo and empty:  # first run of the demo: fill it, then show its accounts
            keep_alive.append(build_demo_with_progress(
                runner, services, args.demo_scale, 1, lambda: attach(True),
                window.login.no_demo_data))
        else:
            attach(demo)

    def failed(exc: Exception) -> None:
        show_start_failure(app, window, database_problem(settings.db_path, exc))
        app.exit(1)

    window.show()
    runner.submit(open_services, ready, failed)
    return run_until_closed(app, window, runner, lambda: opened.get("services"))


def database_problem(path: Path, exc: BaseException) -> str:
    """What the person starting the program is told when the local database does not
    open, printed on stderr too. An empty, damaged or keyless file (app.db.errors) says
    so with the file and what to do; the log gets its type, no traceback (no bug)."""
    from app.db.errors import LocalDatabaseError

    if isinstance(exc, LocalDatabaseError):
        log.error("cannot open the database %s: %s", path, type(exc).__name__)
        message = exc.text()
        print(f"error: {message}", file=sys.stderr)
        return message
    print(f"error: cannot open the database {path}: {exc}", file=sys.stderr)
    log.error("cannot open the database %s", path, exc_info=exc)
    return _("The local database {path} cannot be opened: {error}").format(path=path, error=exc)


def show_start_failure(app: QApplication, window: MainWindow | None, message: str) -> None:
    """A message box, not a traceback (the windowed build has no console)."""
    if not can_show_boxes(app):
        return
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(window, _("Rovaseutu employment services"), message)


def can_show_boxes(app: QApplication) -> bool:
    return app.platformName() != "offscreen"  # no one to close a message box there


def run_until_closed(app: QApplication, window: MainWindow, runner: TaskRunner,
                     services: Callable[[], Services | None]) -> int:
    """The event loop; then stop the sync, let the database thread finish and close the
    services (`services()` gives them, or None if they never opened)."""
    code = app.exec()
    if window.session.sync is not None:
        window.session.sync.stop()
    runner.wait()
    opened = services()
    if opened is not None:
        opened.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
