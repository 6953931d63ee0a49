"""One start of the application (or of a bare PySide6 window), for the start-up benchmark.

`python -m benchmarks.startup_child app DB` runs the real entry point, `app.__main__.main`
with `--db DB`, with one hook: `build_main_window` is wrapped so that the window reports
its first paint and the application quits. `python -m benchmarks.startup_child bare` shows
a bare QMainWindow and quits the same way. The parent times process start -> the marker.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402

MARK = "SHOWN "
stages: dict[str, float] = {}


def _since_start() -> float:
    return time.perf_counter() - STARTED


def _quit_on_first_paint(qapp, window) -> None:
    """Report once the window has painted (the sign-in view is on screen), then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, watched, event):
            if (not self.done and event.type() == QEvent.Type.Paint
                    and hasattr(watched, "window") and watched.window() is window):
                self.done = True
                QTimer.singleShot(0, self.report)  # after this paint pass has finished
            return False

        def report(self) -> None:
            stages["painted"] = _since_start()
            print(MARK + json.dumps(stages), flush=True)
            qapp.quit()

    qapp._bench_first_paint = FirstPaint(qapp)
    qapp.installEventFilter(qapp._bench_first_paint)


def run_app(db: str) -> int:
    import app.services.registry as registry
    import app.views.application as application

    stages["imported"] = _since_start()
    original_open = registry.Services.open.__func__
    original_build = application.build_main_window

    def timed_open(cls, *args, **kwargs):
        stages["services_open_start"] = _since_start()
        services = original_open(cls, *args, **kwargs)
        stages["services_opened"] = _since_start()
        return services

    def hooked_build(qapp, *args, **kwargs):
        stages["window_build_start"] = _since_start()
        window, runner = original_build(qapp, *args, **kwargs)
        stages["window_built"] = _since_start()
        _quit_on_first_paint(qapp, window)
        return window, runner

    registry.Services.open = classmethod(timed_open)
    application.build_main_window = hooked_build
    from app.__main__ import main

    return main(["--db", db])


def run_bare() -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    stages["imported"] = _since_start()
    qapp = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.setCentralWidget(QLabel("Sign in"))
    window.resize(1280, 800)
    stages["window_built"] = _since_start()
    _quit_on_first_paint(qapp, window)
    window.show()
    return qapp.exec()


if __name__ == "__main__":
    if sys.argv[1] == "app":
        sys.exit(run_app(sys.argv[2]))
    sys.exit(run_bare())
