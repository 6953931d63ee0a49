import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.views.application import build_main_window
from app.views.main_window import ROW
from app.views.translator import LanguageSwitcher
from tests.factories import add_people

# pytest-qt waits 5 s by default; under the CI's load (four full runs on two shared
# cores) a search or a save sometimes takes longer. A wait ends as soon as its condition
# holds, so a longer limit costs nothing when all is well.
_wait_until = QtBot.waitUntil


def _patient_wait_until(self, callback, *, timeout=20000):  # type: ignore[no-untyped-def]
    # At least 20 s whatever a test asked for: the date runs timed out twice at 10 s on
    # a sign-in's first page that takes half a second alone.
    return _wait_until(self, callback, timeout=max(timeout, 20000))


QtBot.waitUntil = _patient_wait_until  # type: ignore[method-assign]


@pytest.fixture
def window(qapp, qtbot, services):
    services.auth.sign_in("admin", "demo")
    add_people(services)
    services.auth.sign_out()
    win, runner = build_main_window(qapp, services, "fi")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    runner.wait()
    win.preferences.switcher.switch("fi")


def sign_in(qtbot, win, username="coach", password="demo"):
    win.login.username.setText(username)
    win.login.password.setText(password)
    qtbot.mouseClick(win.login.button, Qt.MouseButton.LeftButton)
    # Generous: under CI load (two cores, faketime) a first page took over 10 s once.
    qtbot.waitUntil(lambda: win.actor is not None, timeout=20000)
    win.nav.setCurrentRow(ROW["customers"])
    qtbot.waitUntil(lambda: win.page("customers").model.rowCount() > 0, timeout=20000)


@pytest.fixture
def switcher(qapp):
    """Switches the application's language; Finnish again afterwards."""
    switch = LanguageSwitcher(qapp)
    yield switch
    switch.switch("fi")
    switch.detach()
