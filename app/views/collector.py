"""Python's cyclic garbage collection on the GUI thread only.

The collector runs in whichever thread happens to allocate when a threshold is passed:
often a task-runner thread. If the cycles it frees hold Qt objects (a dialog and the
closures of its pending operations, say), those are destroyed on the wrong thread, and
Qt may crash (a segmentation fault, seen in a test run). So automatic collection is
switched off and the same thresholds are checked by a timer of the GUI thread, which
collects there (the pattern pyqtgraph and others use). Reference counting, which frees
almost everything, is untouched."""

from __future__ import annotations

import atexit
import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 200
_THRESHOLD = gc.get_threshold()  # as Python set it, before anyone switched it off


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(collect_as_due)
        self.timer.start(interval_ms)


def collect_as_due() -> None:
    """What the automatic collector would do now, on the calling thread."""
    limits = _THRESHOLD
    first, second, third = gc.get_count()
    if first > limits[0]:
        gc.collect(0)
        if second > limits[1]:
            gc.collect(1)
            if third > limits[2]:
                gc.collect(2)


def install(app: QObject) -> GuiThreadCollector:
    """Once per application (a second call returns the first collector). What is left
    is collected while the application still exists: at its aboutToQuit, and at exit
    (a screenshot run quits without an event loop); a final collection during the
    interpreter's shutdown, after Qt is gone, would crash."""
    found = app.findChild(GuiThreadCollector)
    if isinstance(found, GuiThreadCollector):
        return found
    made = GuiThreadCollector(app)
    quitting = getattr(app, "aboutToQuit", None)
    if quitting is not None:
        quitting.connect(finish)
    atexit.register(finish)
    return made


def finish() -> None:
    """Collect everything now, on this thread, and hand collection back to Python."""
    gc.collect()
    gc.enable()
