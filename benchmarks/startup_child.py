"""One start of the application (or of a bare PySide6 window), for the start-up benchmark.

`python -m benchmarks.startup_child app DB` runs the real entry point, `app.__main__.main`
with `--db DB`, with two hooks: `sign_in_window` is wrapped so that the window reports its
first paint (the sign-in view, MARK), and `MainWindow.attach` so that it reports when the
database is open and the pages are built behind the sign-in view (READY), then quits.
`python -m benchmarks.startup_child bare` shows a bare QMainWindow and quits at its first
paint. The parent times process start -> each marker.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402

MARK = "SHOWN "
READY = "READY "
stages: dict[str, float] = {}


def _since_start() -> float:
    return time.perf_counter() - STARTED


def _quit_on_first_paint(qapp, window, quit_after: bool = True) -> None:
    """Report once the window has painted (the sign-in view is on screen), then quit
    (unless `quit_after` is False: the application then quits when it is ready)."""
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
            if quit_after:
                qapp.quit()

    qapp._bench_first_paint = FirstPaint(qapp)
    qapp.installEventFilter(qapp._bench_first_paint)


def run_app(db: str) -> int:
    import app.views.application as application
    from app.views.main_window import MainWindow

    stages["imported"] = _since_start()
    original_window = application.sign_in_window
    original_attach = MainWindow.attach

    def hooked_window(qapp, *args, **kwargs):
        stages["window_build_start"] = _since_start()
        window, runner = original_window(qapp, *args, **kwargs)
        stages["window_built"] = _since_start()
        _quit_on_first_paint(qapp, window, quit_after=False)
        return window, runner

    def hooked_attach(window, *args, **kwargs):
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        stages["attach_start"] = _since_start()
        original_attach(window, *args, **kwargs)
        stages["ready"] = _since_start()

        def report() -> None:
            if "painted" not in stages:  # not painted yet: wait for it
                QTimer.singleShot(5, report)
                return
            print(READY + json.dumps(stages), flush=True)
            QApplication.instance().quit()

        QTimer.singleShot(0, report)

    application.sign_in_window = hooked_window
    MainWindow.attach = hooked_attach
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
