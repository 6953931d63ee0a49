"""The diagnostics log: standard `logging` to a rotating file in the user's data folder
(app.config.log_dir(): DESK_LOG_DIR, else <data folder>/logs), so an error seen at a
desk can be looked into afterwards. No Qt here: the command line uses it too; the views
add Qt's messages and the error dialog (app.views.error_dialog).

- desk.log: 1 MB, five older files kept. "time level [thread] logger: message".
- crash.log: where `faulthandler` writes the Python stacks of a hard crash (it needs a
  real file descriptor, which the rotating log cannot promise).
- Unexpected errors (sys.excepthook, threading.excepthook) are logged with their
  traceback, then handed to the presenter the GUI registers (a dialog).
- The level: INFO, raised with DESK_LOG_LEVEL=DEBUG or `--log-level DEBUG`.

No personal data goes into the log: the application logs ids and counts, never a
customer's identity code, name, phone, e-mail or free text. As a backstop, every record
passes `redact()`, which removes identity codes, e-mail addresses, phone numbers, the
parameters SQLAlchemy and PostgreSQL put into their error messages, and quoted values of
personal fields in reprs. (Names in an arbitrary message cannot be recognised: that
part rests on what the code logs.)"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import platform
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from app import __version__, config

LOG_FILE = "desk.log"
CRASH_FILE = "crash.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
CRASH_MAX_BYTES = 256_000
FORMAT = "%(asctime)s %(levelname)-8s [%(threadName)s] %(name)s: %(message)s"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Loggers that would write personal data or floods at DEBUG/INFO: SQLAlchemy's engine
# logs every statement's parameters, psycopg its queries; matplotlib its font search.
QUIET = ("sqlalchemy", "psycopg", "matplotlib", "PIL", "fontTools", "asyncio", "keyring",
         "alembic.runtime.plugins")

log = logging.getLogger(__name__)

_HIDDEN = "<hidden>"
_PERSONAL_FIELDS = (r"hetu|ssn|last_name|first_names?|full_name|name|phone|email|e_mail"
                    r"|address|note|notes|comment|text|reply_contact|contact")
_REDACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    # SQLAlchemy's "[parameters: (...)]" line of a failed statement holds the row's values.
    (re.compile(r"\[parameters: [^\n]*"), "[parameters: " + _HIDDEN + "]"),
    # PostgreSQL's DETAIL of a unique or foreign-key violation, and of a CHECK violation.
    (re.compile(r"(Key \([^)\n]*\)=)\([^\n]*"), r"\1(" + _HIDDEN + ")"),
    (re.compile(r"(Failing row contains )\([^\n]*"), r"\1(" + _HIDDEN + ")"),
    # Quoted values of personal fields in reprs and dicts: last_name='…', "phone": "…".
    (re.compile(r"""(['"]?\b(?:""" + _PERSONAL_FIELDS + r""")['"]?\s*[=:]\s*)"""
                r"""(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")""", re.IGNORECASE),
     r"\1" + _HIDDEN),
    # A Finnish personal identity code (henkilötunnus), with any century sign.
    (re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE), "<hetu>"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<e-mail>"),
    # Phone numbers: +358 40 123 4567, 040-1234567, 0401234567 (not times, ids or dates).
    (re.compile(r"(?<![\w.:/-])(?:\+\d{1,3}[ -]?|0)\d{1,3}(?:[ -]?\d){5,9}(?![\w-])"),
     "<phone>"),
)


def redact(text: str) -> str:
    """`text` without the personal data the patterns above recognise."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def resolve_level(requested: str | None = None) -> int:
    """`--log-level`, else DESK_LOG_LEVEL, else INFO (an unknown name counts as INFO)."""
    name = (requested or os.environ.get("DESK_LOG_LEVEL") or "INFO").strip().upper()
    return getattr(logging, name) if name in LEVELS else logging.INFO


Presenter = Callable[[BaseException], None]


@dataclass
class LogSetup:
    """What `configure` installed; `close()` puts back what was there before (the
    program ends with it; tests call main() many times in one process)."""

    path: Path | None
    crash_path: Path | None
    level: int
    handlers: list[logging.Handler] = field(default_factory=list)
    crash_file: IO[str] | None = None
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def on_close(self, cleanup: Callable[[], None]) -> None:
        self.cleanups.append(cleanup)

    def close(self) -> None:
        global _active
        for cleanup in reversed(self.cleanups):
            cleanup()
        self.cleanups.clear()
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        self.handlers.clear()
        if self.crash_file is not None:
            self.crash_file.close()
            self.crash_file = None
        if _active is self:
            _active = None


_active: LogSetup | None = None
_presenter: Presenter | None = None


def active() -> LogSetup | None:
    return _active


def log_file() -> Path:
    """The log file written now, else where it would be."""
    if _active is not None and _active.path is not None:
        return _active.path
    return config.log_dir() / LOG_FILE


def configure(level: str | None = None, directory: Path | None = None) -> LogSetup:
    """Log to `directory` (default: app.config.log_dir()) at `level` (see resolve_level),
    and route unexpected errors and hard crashes there. A folder that cannot be written
    never stops the program: the log then goes to the console only."""
    global _active
    if _active is not None:
        _active.close()
    directory = directory or config.log_dir()
    numeric = resolve_level(level)
    formatter = RedactingFormatter(FORMAT)
    setup = LogSetup(None, None, numeric)
    problem = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            directory / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8",
            delay=False)
        handler.setFormatter(formatter)
        setup.handlers.append(handler)
        setup.path = directory / LOG_FILE
    except OSError as exc:
        problem = exc
    stream = _console()
    if stream is not None and (setup.path is None or getattr(stream, "isatty", bool)()):
        # A developer at a terminal still sees warnings; without a file, everything.
        console = logging.StreamHandler(stream)
        console.setFormatter(formatter)
        console.setLevel(numeric if setup.path is None else logging.WARNING)
        setup.handlers.append(console)
    root = logging.getLogger()
    previous_level = root.level
    root.setLevel(numeric)
    for handler in setup.handlers:
        root.addHandler(handler)
    quiet = {name: logging.getLogger(name).level for name in QUIET}
    for name in quiet:
        logging.getLogger(name).setLevel(max(logging.WARNING, numeric))

    def restore_levels() -> None:
        root.setLevel(previous_level)
        for name, old in quiet.items():
            logging.getLogger(name).setLevel(old)

    setup.on_close(restore_levels)
    logging.captureWarnings(True)
    setup.on_close(lambda: logging.captureWarnings(False))
    if setup.path is not None:
        _enable_faulthandler(setup, directory / CRASH_FILE)
    _install_hooks(setup)
    _active = setup
    if problem is not None:
        log.warning("cannot write the log in %s: %s", directory, problem)
    log.info("desk %s started, pid %d, log level %s, Python %s on %s", __version__,
             os.getpid(), logging.getLevelName(numeric), platform.python_version(),
             platform.platform())
    return setup


def _console() -> IO[str] | None:
    stream = sys.stderr
    return stream if stream is not None and hasattr(stream, "write") else None


def _enable_faulthandler(setup: LogSetup, path: Path) -> None:
    if faulthandler.is_enabled():
        # Someone chose where crashes go (pytest, -X faulthandler, PYTHONFAULTHANDLER):
        # leave it there. Moving it and back would land on a captured fd 2 and lose it.
        return
    try:
        if path.exists() and path.stat().st_size > CRASH_MAX_BYTES:
            os.replace(path, path.with_name(CRASH_FILE + ".1"))
        # Appended, not truncated: a second desk on the same account shares the file.
        crash = path.open("a", encoding="utf-8")
        crash.write(f"--- desk {__version__} pid {os.getpid()} started "
                    f"{datetime.now(UTC).isoformat(timespec='seconds')} ---\n")
        crash.flush()
        faulthandler.enable(file=crash, all_threads=True)
    except OSError as exc:
        log.warning("no crash log in %s: %s", path.parent, exc)
        return
    setup.crash_file, setup.crash_path = crash, path

    setup.on_close(faulthandler.disable)


def log_unexpected(exc: BaseException, where: str = "") -> None:
    """One unexpected error, with its traceback, into the log."""
    logging.getLogger("app.unexpected").error(
        "unexpected error%s: %s", f" in {where}" if where else "", type(exc).__name__,
        exc_info=(type(exc), exc, exc.__traceback__))


def set_presenter(presenter: Presenter | None) -> Callable[[], None]:
    """Unexpected errors are shown by `presenter` (after being logged); it is called on
    the thread the error happened on and must marshal to its own. Returns the undo."""
    global _presenter
    previous, _presenter = _presenter, presenter

    def undo() -> None:
        global _presenter
        _presenter = previous

    return undo


def _present(exc: BaseException) -> None:
    if _presenter is None:
        return
    try:
        _presenter(exc)
    except Exception:  # the error report must never raise from the hook itself
        log.exception("could not show the unexpected error")


def _install_hooks(setup: LogSetup) -> None:
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook

    def excepthook(kind: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous_hook(kind, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        log_unexpected(exc, threading.current_thread().name
                       if threading.current_thread() is not threading.main_thread() else "")
        _present(exc)
        if previous_hook is not sys.__excepthook__:  # a test harness's: it hears too
            previous_hook(kind, exc, tb)

    def thread_excepthook(args: Any) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        exc = args.exc_value
        if exc.__traceback__ is None:
            exc = exc.with_traceback(args.exc_traceback)
        log_unexpected(exc, f"thread {args.thread.name if args.thread else '?'}")
        _present(exc)
        if previous_thread_hook is not threading.__excepthook__:
            previous_thread_hook(args)

    sys.excepthook, threading.excepthook = excepthook, thread_excepthook

    def restore() -> None:
        # Only if still ours: a test harness may have put its own in meanwhile.
        if sys.excepthook is excepthook:
            sys.excepthook = previous_hook
        if threading.excepthook is thread_excepthook:
            threading.excepthook = previous_thread_hook

    setup.on_close(restore)
