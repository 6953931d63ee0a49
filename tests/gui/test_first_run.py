"""`make run` on a fresh machine: the demo area is built off the GUI thread with progress,
then the sign-in window opens with the demo accounts shown."""

from pathlib import Path

from app import i18n
from app.i18n import translate_in
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


def test_cancelled_demo_build_says_so_instead_of_offering_the_demo_accounts(
        qapp, qtbot, tmp_path: Path, monkeypatch):
    """Cancelling left the hint "Demo accounts: desk, coach…" under the sign-in form, but
    the rolled-back database has no such accounts: every sign-in was refused, unexplained."""
    from app.demo.area import DemoCancelled
    from app.views import application

    def fill(_services, seed, scale, progress, cancel):  # the build's worker thread
        progress("Creating customers…", 0.1)
        assert cancel.wait(10)
        raise DemoCancelled("cancelled")

    monkeypatch.setattr(application.demo, "fill", fill)
    services = Services.open(tmp_path / "fresh.sqlite3", "ws")
    window, runner = build_main_window(qapp, services, "fi")
    qtbot.addWidget(window)
    dialog = build_demo_with_progress(runner, services, 0.02, 7, window.demo_ready,
                                      window.login.no_demo_data)
    dialog.canceled.emit()  # the Cancel button
    qtbot.waitUntil(window.isVisible, timeout=10000)
    assert services.is_empty()
    hint = window.login.hint
    assert hint.isVisible()
    assert "desk, coach" not in hint.text()
    assert hint.text() == i18n._("No demo data was made, so the demo accounts cannot sign "
                                 "in. To make it, close the program and start it again.")
    window.preferences.switcher.switch("sv")  # the message survives a language change
    swedish = translate_in("sv", "No demo data was made, so the demo accounts cannot sign "
                           "in. To make it, close the program and start it again.")
    qtbot.waitUntil(lambda: hint.text() == swedish, timeout=15000)  # LanguageChange is posted
    window.preferences.switcher.switch("fi")
    window.session.sign_in("desk", "demo")
    qtbot.waitUntil(lambda: bool(window.login.error.text()), timeout=10000)
    assert window.actor is None
    runner.wait()
    services.close()
