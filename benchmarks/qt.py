"""Qt helpers for the benchmark children (offscreen, no pytest needed)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Run the event loop until `condition()` holds.

    The loop sleeps in the event dispatcher (as `exec()` would) instead of spinning, so
    the GUI thread does not compete with the database thread for the GIL; a worker's
    queued signal wakes it at once. A slow timer only bounds the wait for the timeout.
    """
    if condition():
        return
    deadline = time.perf_counter() + timeout
    ticker = QTimer()
    ticker.setInterval(100)
    ticker.start()
    try:
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"condition not met within {timeout:g} s")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        ticker.stop()


def drain(rounds: int = 3) -> None:
    """Process what is already queued (deferred layouts, posted events)."""
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
