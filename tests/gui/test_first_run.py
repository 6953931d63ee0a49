"""`make run` on a fresh machine: the demo area is built off the GUI thread with progress,
then the sign-in window opens with the demo accounts shown."""

from pathlib import Path

from app.services.registry import Services
from app.views.application import build_demo_with_progress, build_main_window


def test_first_run_builds_demo_with_progress_then_shows_sign_in(qapp, qtbot, tmp_path: Path):
    services = Services.open(tmp_path / "fresh.sqlite3", "ws")
    assert services.is_empty()
    window, runner = build_main_window(qapp, services, "fi")
    qtbot.addWidget(window)
    dialog = build_demo_with_progress(runner, services, 0.02, 7, window.demo_ready)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()  # the GUI thread is free to paint it while the build runs
    qtbot.waitUntil(window.isVisible, timeout=60000)
    assert not services.is_empty() and services.is_demo()
    assert window.login.hint.isVisible() and "demo" in window.login.hint.text()
    window.session.sign_in("desk", "demo")
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    runner.wait()
    services.close()
