"""The first-run dialog: shown by the application when no settings file exists, saves
what was entered, and says why a central database cannot be used."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app import config, i18n
from app.__main__ import main
from app.services.registry import Services
from app.services.setup import MESSAGES, Failure, split_central_url
from app.views.first_run import FirstRunDialog
from app.views.main_window import MainWindow
from app.views.tasks import TaskRunner
from app.views.translator import LanguageSwitcher


@pytest.fixture
def fresh_machine(tmp_path, monkeypatch):
    """A workstation with no settings file anywhere (tests normally name DESK_CONFIG)."""
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    monkeypatch.setenv("DESK_SITE_CONFIG", str(tmp_path / "etc" / "desk.ini"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    monkeypatch.setenv("DESK_DATA_DIR", str(tmp_path / "data"))
    assert config.needs_first_run()
    return tmp_path


@pytest.fixture
def dialog(qapp, qtbot, services):
    runner = TaskRunner(qapp)
    switcher = LanguageSwitcher(qapp)
    switcher.switch("fi")
    dlg = FirstRunDialog(services.setup, runner, switcher, config.load())
    qtbot.addWidget(dlg)
    dlg.show()
    # The service points of the local database fill the list off the GUI thread.
    qtbot.waitUntil(lambda: dlg.point.count() == 1, timeout=10000)
    yield dlg
    runner.wait()
    switcher.detach()
    switcher.switch("fi")


def free_port() -> int:
    """A port on this machine where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _when(predicate, action, tries: list[int]) -> None:
    """Poll from inside the modal loops that main() runs, then act once."""
    def poll() -> None:
        tries[0] += 1
        target = predicate()
        if target is not None:
            action(target)
        elif tries[0] < 400:
            QTimer.singleShot(25, poll)
    QTimer.singleShot(25, poll)


def test_dialog_appears_on_first_start_and_its_settings_are_used(qapp, fresh_machine):
    seen: dict[str, object] = {}

    def fill(dlg: FirstRunDialog) -> None:
        seen["title"] = dlg.windowTitle()
        dlg.language.setCurrentIndex(i18n.LANGUAGES.index("sv"))
        dlg.language.activated.emit(dlg.language.currentIndex())
        dlg.point.setEditText("rov")
        dlg.letter.setText("k")
        dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        _when(main_window, close, [0])

    def first_run() -> FirstRunDialog | None:
        widget = QApplication.activeModalWidget()
        return widget if isinstance(widget, FirstRunDialog) else None

    def main_window() -> MainWindow | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, MainWindow) and w.isVisible()), None)

    def close(window: MainWindow) -> None:
        seen["language"] = i18n.current_language()
        # Closing the last window ends main()'s event loop (QApplication.quit() would
        # leave this process's later event loops unable to deliver queued results).
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.close()

    _when(first_run, fill, [0])
    db = fresh_machine / "desk.sqlite3"
    assert main(["--db", str(db)]) == 0

    assert seen["title"]  # the dialog was shown
    assert seen["language"] == "sv"  # the main window opened in the chosen language
    saved = config.load()
    assert (saved.language, saved.service_point, saved.ticket_letter) == ("sv", "ROV", "K")
    assert saved.central_url is None  # left empty: an offline workstation
    assert not config.needs_first_run()
    services = Services.open(db)
    try:
        assert services.queue.workstation()[1] == "K"  # the queue's letter comes from it
    finally:
        services.close()


def test_cancelling_quits_without_saving(qapp, fresh_machine):
    def cancel(dlg: FirstRunDialog) -> None:
        dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    _when(lambda: QApplication.activeModalWidget()
          if isinstance(QApplication.activeModalWidget(), FirstRunDialog) else None,
          cancel, [0])
    assert main(["--db", str(fresh_machine / "desk.sqlite3")]) == 0
    assert config.needs_first_run()  # asked again next time


def test_no_dialog_when_it_deployed_a_settings_file(fresh_machine):
    site = fresh_machine / "etc" / "desk.ini"
    site.parent.mkdir()
    site.write_text("[desk]\nservice_point = RAN\nlanguage = sv\n", encoding="utf-8")
    assert not config.needs_first_run()
    assert config.load().service_point == "RAN"


def test_saves_the_central_address_and_keeps_input_on_errors(qtbot, dialog, fresh_machine):
    assert dialog.point.itemData(0) == "ROV"
    dialog.url.setText("postgresql://desk%40rovaseutu:s3cr%3At@db.rovaseutu.fi:5433/area")
    dialog.url.editingFinished.emit()
    assert (dialog.host.text(), dialog.port.value(), dialog.user.text()) == (
        "db.rovaseutu.fi", 5433, "desk@rovaseutu")
    dialog.point.setCurrentIndex(0)
    dialog.letter.setText("Q")  # not one of the ticket letters
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()
    assert dialog.error.isVisible() and "A B C" in dialog.error.text()
    assert dialog.letter.text() == "Q"  # what was typed stays
    dialog.letter.setText("B")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = config.load()
    address = split_central_url(saved.central_url)
    assert (address.host, address.port, address.database, address.user, address.password) == (
        "db.rovaseutu.fi", 5433, "area", "desk@rovaseutu", "s3cr:t")
    assert (saved.service_point, saved.ticket_letter) == ("ROV", "B")


def test_user_file_holds_only_what_differs_from_the_deployed_file(fresh_machine):
    site = fresh_machine / "etc" / "desk.ini"
    site.parent.mkdir()
    site.write_text("[desk]\ncentral_url = postgresql+psycopg://desk@central/area\n"
                    "service_point = ROV\n", encoding="utf-8")
    path = config.save_user({"language": "sv", "central_url":
                             "postgresql+psycopg://desk@central/area", "service_point": "RAN"})
    text = path.read_text(encoding="utf-8")
    assert "central_url" not in text and "RAN" in text
    # IT moves the central database later: the user who did not choose otherwise follows.
    site.write_text("[desk]\ncentral_url = postgresql+psycopg://desk@new/area\n",
                    encoding="utf-8")
    assert config.load().central_url == "postgresql+psycopg://desk@new/area"
    assert config.load().service_point == "RAN"


def test_test_connection_tells_an_unreachable_server(qtbot, dialog):
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(free_port())
    dialog.user.setText("desk")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_error.isVisible(), timeout=15000)
    assert i18n._(MESSAGES[Failure.UNREACHABLE]) in dialog.test_error.text()
    assert dialog.test_button.isEnabled()


def test_test_connection_tells_an_unknown_host(qtbot, dialog):
    dialog.host.setText("no-such-host.invalid")
    dialog.user.setText("desk")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_error.isVisible(), timeout=15000)
    assert i18n._(MESSAGES[Failure.HOST_NOT_FOUND]) in dialog.test_error.text()


def test_test_connection_needs_an_address(qtbot, dialog):
    dialog.test_button.click()
    assert i18n._(MESSAGES[Failure.ADDRESS]) in dialog.test_error.text()


def test_setup_shows_the_dialog_again_on_a_configured_workstation(qapp, fresh_machine):
    site = fresh_machine / "etc" / "desk.ini"
    site.parent.mkdir()
    site.write_text("[desk]\nservice_point = RAN\nlanguage = fi\n", encoding="utf-8")
    shown = []

    def cancel(dlg: FirstRunDialog) -> None:
        shown.append(dlg.windowTitle())
        dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    _when(lambda: QApplication.activeModalWidget()
          if isinstance(QApplication.activeModalWidget(), FirstRunDialog) else None,
          cancel, [0])
    assert main(["--db", str(fresh_machine / "desk.sqlite3"), "--setup"]) == 0
    assert shown  # asked although a settings file exists
    assert config.load().service_point == "RAN"  # cancelled: nothing changed


def test_the_language_chosen_in_the_menu_is_kept(qtbot, window):
    kept = []
    window.preferences.remember = lambda key, value: kept.append((key, value))
    window.preferences.set_language("sv")
    window.preferences.set_text_scale(125)
    qtbot.waitUntil(lambda: len(kept) == 2, timeout=15000)
    assert sorted(kept) == [("language", "sv"), ("text_scale", "125")]
    window.preferences.set_language("fi")
    window.preferences.set_text_scale(100)
