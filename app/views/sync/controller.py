"""SyncController: runs the headless sync engine off the GUI thread, when something was
written, when the central database notifies, and every 20 s; reports its state."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from app.services.sync import SyncCounts, SyncService
from app.sync.engine import SyncEngine, SyncReport
from app.views.tasks import TaskRunner

log = logging.getLogger(__name__)

POLL_MS = 20000
SOON_MS = 150  # coalesces a burst of writes into one push
# While a pull leaves rows beyond the horizon (a long transaction somewhere on the
# cluster), pull again soon, backing off, so the cursor follows as soon as it may.
REPULL_MS = (500, 1000, 2000, 4000, 8000, 15000)


class SyncController(QObject):
    state_changed = Signal()  # read .online, .syncing, .counts, .last_sync
    pulled = Signal(int)  # rows pulled: pages refresh what they show
    progress = Signal(int, int)
    # A first sync's working set is in (app/sync/working_set.py): the workstation can
    # serve while the rest follows; pages refresh at once, not at the end.
    working_set_ready = Signal(int)
    _notified = Signal()
    _online = Signal(bool)

    def __init__(self, engine: SyncEngine, service: SyncService, runner: TaskRunner,
                 central_url: str, channels: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine, self.service, self.runner = engine, service, runner
        self.online: bool | None = None
        self.syncing = False
        self.again = False
        self.counts = SyncCounts(0, 0, 0)
        self.last_sync: datetime | None = None
        self.last_error = ""
        self.has_working_set = False  # a first sync's working set came (this session)
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self.sync_now)
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(SOON_MS)
        self.soon.timeout.connect(lambda: self.sync_now(pull=False))
        self.repull = QTimer(self)
        self.repull.setSingleShot(True)
        self.repull.timeout.connect(self.sync_now)
        self.repulls = 0  # in a row, for the back-off
        # The listener thread only emits; Qt queues the signal to the GUI thread.
        self._notified.connect(self.sync_now)
        self.working_set_ready.connect(self._working_set_arrived)
        self._online.connect(self._set_online)
        from app.sync.listen import Listener  # psycopg: loaded only when online is used

        self.listener = Listener(central_url, channels, lambda _c: self._notified.emit(),
                                 self._online.emit)

    def start(self) -> None:
        self.listener.start()
        self.poll.start()
        self.runner.db_task_done.connect(self.soon.start)
        self.sync_now()

    def stop(self) -> None:
        self.poll.stop()
        self.repull.stop()
        self.listener.stop()
        self.engine.stop.set()

    def sync_now(self, pull: bool = True) -> None:
        """Push what is waiting and (unless only a local write woke us) pull."""
        if self.syncing:
            self.again = self.again or pull
            return
        self.syncing = True
        self.state_changed.emit()

        def work() -> tuple[SyncReport, SyncCounts]:
            if not pull:
                return self.engine.push_only(), self.service.counts()
            report = self.engine.sync_once(progress=lambda d, t: self.progress.emit(d, t),
                                           ready=self.working_set_ready.emit)
            self.listener.add_channel(f"desk_{self.engine.point_code_now().lower()}")
            return report, self.service.counts()

        self.runner.submit(work, self._done, self._failed, io=True)

    def _working_set_arrived(self, rows: int) -> None:
        self.has_working_set = True
        self.state_changed.emit()
        if rows:
            self.pulled.emit(rows)

    def _done(self, result: tuple[SyncReport, SyncCounts]) -> None:
        report, self.counts = result
        self.syncing, self.last_error = False, ""
        self.last_sync = report.finished_at
        self._set_online(True)
        if report.pulled:
            self.pulled.emit(report.pulled)
        self._next(more=report.more)

    def _failed(self, exc: Exception) -> None:
        self.syncing = False
        self.last_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # Once when the connection is lost (offline, sync retries every 20 s); the whole
        # traceback each time at DEBUG.
        if self.online is not False:
            log.warning("synchronisation failed: %s: %s", type(exc).__name__, self.last_error)
        log.debug("synchronisation failed", exc_info=exc)
        self._set_online(False)
        self.runner.submit(self.service.counts, self._counted, lambda _e: None)
        self._next()

    def _counted(self, counts: SyncCounts) -> None:
        self.counts = counts
        self.state_changed.emit()

    def _next(self, more: bool = False) -> None:
        self.state_changed.emit()
        if self.again:
            self.again = False
            self.sync_now()
        elif more and not self.engine.stop.is_set():
            self.repull.start(REPULL_MS[min(self.repulls, len(REPULL_MS) - 1)])
            self.repulls += 1
        else:
            self.repulls = 0

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.state_changed.emit()
