"""One way for a view to run an operation (after Anki's `aqt.operations`): the service
call off the GUI thread, its result back on the GUI thread, a failure shown once and the
same way everywhere.

    QueryOp(self.runner, self, lambda: services.customers.get(customer_id),
            success=self.show_card).run_in_background()

    WriteOp(self.runner, dialog, lambda: services.coaching.assign(cid, coach, reason),
            success=lambda _row: dialog.saved()) \\
        .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \\
        .run_in_background()

- `op` runs in the runner's database pool (one thread: SQLite has one writer), or with
  `.in_io_pool()` in the general pool (PDFs, files, printers, the network); `success`
  runs on the GUI thread with its result.
- Errors are decoded here and nowhere else (`error_message`). A refusal the user can act
  on (a ServiceError) shows its translated text in the nearest widget, from `parent` up,
  that has a `show_error(text)` method (a page's message line, a dialog's error line),
  else in a message box. Anything else is unexpected: `show_unexpected_error` logs it
  with its traceback and shows the error dialog, and the message line says it failed.
  `.errors_to(fn)` sends the text elsewhere; `.on(ErrorType, fn)` handles one kind of
  refusal itself (a form's field errors); `.failure(fn)` takes every failure over;
  `.quietly()` shows nothing (a background poll) yet logs the unexpected.
- `.latest(key)`: of the operations of one parent with the same key only the newest
  counts; an older one still queued is skipped and its result (or failure) dropped, so
  typing fast or changing filters never shows a stale result (`drop_pending` when the
  search box is emptied). Nothing comes back to a parent that was deleted meanwhile.
- A WriteOp collects the synchronised tables its service calls wrote; after `success`
  the runner emits `tables_changed(set[str])`, and a page that `refresh_on_change`
  subscribed shows itself again when one of its tables is among them.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, Self, TypeVar

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QMessageBox, QWidget
from shiboken6 import isValid

from app.i18n import N_, _
from app.services.errors import ServiceError
from app.views.error_dialog import show_unexpected_error
from app.views.tasks import TaskRunner

log = logging.getLogger(__name__)

T = TypeVar("T")
E = TypeVar("E", bound=ServiceError)
# The text a message line shows for an unexpected error (the dialog tells the rest).
UNEXPECTED = N_("Something went wrong")
# A file or printer the system refused (locked, full, no permission, no printer): the
# user can act on it, so it is told, not reported as a bug. The reason is the system's.
DEVICE_FAILED = N_("The file or printer could not be used: {reason}")


def _expected(exc: BaseException) -> bool:
    return isinstance(exc, ServiceError | OSError)


def error_message(exc: BaseException, translate: Callable[[str], str] | None = None) -> str:
    """What to show for a failure: a refusal's own text, translated (by `translate`, by
    default into the UI language); for anything else a short "something went wrong"."""
    if isinstance(exc, ServiceError):
        return exc.text(translate)
    if isinstance(exc, OSError):
        return (translate or _)(DEVICE_FAILED).format(reason=exc.strerror or str(exc))
    return (translate or _)(UNEXPECTED)


def log_if_unexpected(exc: BaseException) -> None:
    """A failure nobody will see (a closed page's, one handed to a `failure` function):
    a bug still reaches the log."""
    if not _expected(exc):
        log.error("unexpected error in a background operation",
                  exc_info=(type(exc), exc, exc.__traceback__))


def report_failure(exc: BaseException, parent: QObject | None,
                   show: Callable[[str], object] | None = None,
                   translate: Callable[[str], str] | None = None, quiet: bool = False) -> None:
    """Show a failure the one way (see the module's docstring)."""
    expected = _expected(exc)
    if isinstance(exc, OSError):  # the type and number only: a path may name a customer
        log.warning("file or printer failed: %s errno %s", type(exc).__name__, exc.errno)
    elif expected:
        log.info("refused: %s", exc)
    elif quiet:
        log.error("unexpected error in a background operation",
                  exc_info=(type(exc), exc, exc.__traceback__))
    else:
        show_unexpected_error(_widget(parent), exc)
    if quiet:
        return
    text = error_message(exc, translate)
    show = show or _error_line(parent)
    if show is not None:
        show(text)
    elif expected:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Something went wrong"), text,
                          QMessageBox.StandardButton.Ok, _widget(parent))
        box.setObjectName("operation_error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def _error_line(parent: QObject | None) -> Callable[[str], object] | None:
    """The `show_error` of the nearest object, from `parent` up, that has one."""
    while parent is not None:
        show = getattr(parent, "show_error", None)
        if callable(show):
            return show
        parent = parent.parent()
    return None


def _widget(parent: QObject | None) -> QWidget | None:
    while parent is not None and not isinstance(parent, QWidget):
        parent = parent.parent()
    return parent


class _Channel:
    """The newest operation of one (parent, key): older ones are stale."""

    newest = 0


class _Owner:
    """Stands in for a missing parent as the owner of keys."""


_NO_PARENT = _Owner()
_channels: weakref.WeakKeyDictionary[object, dict[Hashable, _Channel]] = (
    weakref.WeakKeyDictionary())


def _channel(parent: QObject | None, key: Hashable) -> _Channel:
    keys = _channels.setdefault(parent if parent is not None else _NO_PARENT, {})
    return keys.setdefault(key, _Channel())


def drop_pending(parent: QObject | None, key: Hashable) -> None:
    """Make the operations of this parent and key still under way stale (a search box
    cleared: no late result may fill the list again)."""
    _channel(parent, key).newest += 1


_SKIPPED = object()  # what a stale operation returns instead of running


class QueryOp(Generic[T]):
    """Reads (or anything whose writes no page needs to see again)."""

    def __init__(self, runner: TaskRunner, parent: QObject | None, op: Callable[[], T],
                 success: Callable[[T], object] | None = None) -> None:
        self.runner, self.parent, self.op = runner, parent, op
        self._success = success
        self._failure: Callable[[Exception], object] | None = None
        self._handlers: list[tuple[type[ServiceError], Callable[[Any], object]]] = []
        self._show: Callable[[str], object] | None = None
        self._translate: Callable[[str], str] | None = None
        self._quiet = False
        self._key: Hashable | None = None
        self._io = False

    def success(self, fn: Callable[[T], object]) -> Self:
        self._success = fn
        return self

    def failure(self, fn: Callable[[Exception], object]) -> Self:
        """`fn` takes every failure over: nothing is shown for it (a bug is logged)."""
        self._failure = fn
        return self

    def on(self, kind: type[E], fn: Callable[[E], object]) -> Self:
        """`fn` handles refusals of this kind (e.g. ValidationFailed: the form marks its
        fields); every other failure is shown as usual."""
        self._handlers.append((kind, fn))
        return self

    def errors_to(self, show: Callable[[str], object],
                  translate: Callable[[str], str] | None = None) -> Self:
        """Where the failure's text goes instead of the nearest `show_error`, translated
        with `translate` (the customer's language) instead of into the UI language."""
        self._show, self._translate = show, translate
        return self

    def quietly(self) -> Self:
        """Show no failure (a poll, a count): the unexpected ones are still logged."""
        self._quiet = True
        return self

    def latest(self, key: Hashable) -> Self:
        """Only the newest operation of this parent with this key counts."""
        self._key = key
        return self

    def in_io_pool(self) -> Self:
        """Run in the general pool (files, printing, network), not the database's."""
        self._io = True
        return self

    def run_in_background(self) -> None:
        channel = _channel(self.parent, self._key) if self._key is not None else None
        ticket = 0
        if channel is not None:
            channel.newest += 1
            ticket = channel.newest

        def stale() -> bool:
            return channel is not None and channel.newest != ticket

        def work() -> Any:
            return _SKIPPED if stale() else self._run()

        def gone() -> bool:
            return stale() or (self.parent is not None and not isValid(self.parent))

        def done(result: Any) -> None:
            if result is not _SKIPPED:
                self._succeeded(result, gone())

        def failed(exc: Exception) -> None:
            if gone():
                log_if_unexpected(exc)
            else:
                self._failed(exc)

        self.runner.submit(work, done, failed, io=self._io)

    # --- in the worker thread, then back on the GUI thread -----------------------------

    def _run(self) -> Any:
        return self.op()

    def _succeeded(self, result: Any, gone: bool) -> None:
        if not gone and self._success is not None:
            self._success(result)

    def _failed(self, exc: Exception) -> None:
        if self._failure is not None:
            log_if_unexpected(exc)
            self._failure(exc)
            return
        for kind, fn in self._handlers:
            if isinstance(exc, kind):
                fn(exc)
                return
        report_failure(exc, self.parent, self._show, self._translate, self._quiet)


class WriteOp(QueryOp[T]):
    """A change: after `success` the runner tells every page which tables it wrote."""

    def latest(self, key: Hashable) -> Self:
        # A stale op is skipped before it runs: for a write that would lose the change.
        raise TypeError("a write is never dropped as stale: latest() is for QueryOp")

    def _run(self) -> Any:
        # Imported here, in the database thread (the services are not loaded on the GUI
        # thread at start-up).
        from app.services.registry import tables_written

        with tables_written() as tables:
            result = self.op()
        return result, frozenset(tables)

    def _succeeded(self, result: Any, gone: bool) -> None:
        value, tables = result
        super()._succeeded(value, gone)
        if tables:
            self.runner.tables_changed.emit(set(tables))


class _TableWatch(QObject):
    def __init__(self, runner: TaskRunner, receiver: QObject, tables: Iterable[str],
                 refresh: Callable[[], object]) -> None:
        super().__init__(receiver)  # goes (and disconnects) with the receiver
        self.tables, self.refresh = frozenset(tables), refresh
        runner.tables_changed.connect(self._changed)

    @Slot(object)
    def _changed(self, tables: set[str]) -> None:
        if self.tables & tables:
            self.refresh()


def refresh_on_change(runner: TaskRunner, receiver: QObject, tables: Iterable[str],
                      refresh: Callable[[], object]) -> QObject:
    """Call `refresh` after every write (WriteOp) to one of `tables`, as long as
    `receiver` lives."""
    return _TableWatch(runner, receiver, tables, refresh)
