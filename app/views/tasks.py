"""TaskRunner: runs service calls off the GUI thread and hands results back to it.

Database work goes to a pool with one thread (SQLite has one writer, and writes then
happen in submission order); printing and network go to the global pool. Results come
back through signals connected to slots of an object living in the GUI thread, so Qt
queues them and the callbacks always run on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Courier(QObject):
    """Lives in the GUI thread; receives the worker's result and calls back there."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[Exception], None] | None,
        finished: Callable[[_Courier], None],
    ) -> None:
        super().__init__()
        self._on_done, self._on_error, self._finished = on_done, on_error, finished
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)

    @Slot(object)
    def _deliver_done(self, result: Any) -> None:
        self._finished(self)
        if self._on_done is not None:
            self._on_done(result)

    @Slot(object)
    def _deliver_failed(self, exc: Exception) -> None:
        self._finished(self)
        if self._on_error is not None:
            self._on_error(exc)
        else:
            log.error("background task failed", exc_info=exc)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], courier: _Courier) -> None:
        super().__init__()
        self.fn, self.courier = fn, courier

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:
            self.courier.failed.emit(exc)
        else:
            self.courier.done.emit(result)


class TaskRunner(QObject):
    # After each database task: the sync controller pushes what it may have written.
    db_task_done = Signal()
    # After a write (app.views.operations.WriteOp): the names of the tables it wrote, so
    # that each page shows again only what changed (operations.refresh_on_change).
    tables_changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_pool = QThreadPool(self)
        self.db_pool.setMaxThreadCount(1)
        self.io_pool = QThreadPool.globalInstance()
        self._couriers: set[_Courier] = set()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        io: bool = False,
    ) -> None:
        def finished(courier: _Courier) -> None:
            self._couriers.discard(courier)
            if not io:
                self.db_task_done.emit()

        courier = _Courier(on_done, on_error, finished)
        self._couriers.add(courier)  # keep it alive until its result is delivered
        (self.io_pool if io else self.db_pool).start(_Task(fn, courier))

    @property
    def busy(self) -> bool:
        return bool(self._couriers)

    def wait(self, msecs: int = 30000) -> bool:
        return self.db_pool.waitForDone(msecs)
