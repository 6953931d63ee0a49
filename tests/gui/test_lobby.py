"""The lobby display fits any screen (issue 18, fault 3): its type follows the window,
never the window the type; with a clock, how many wait, and the calls in Finnish and the
point's other languages. Nothing personal, ever."""

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from app.dto.visits import VisitInput
from app.rules.queue import lobby_languages
from app.views.queue.lobby import LobbyWindow
from app.views.tasks import TaskRunner
from tests.factories import Clock, add_people


@pytest.fixture
def busy_morning(services):
    """Six finished calls and three desks calling at once (three workers on duty)."""
    clock = Clock()
    services.ctx.now = clock
    services.auth.sign_in("admin", "demo")
    ids = add_people(services)
    queue = services.queue
    for i in range(11):
        queue.register_walk_in(ids[i % len(ids)] if i % 2 else None, "information")
        clock.advance(1)
    for desk, username in enumerate(("coach", "desk", "lead"), 1):
        services.auth.sign_in(username, "demo")
        queue.set_workstation(str(desk), "A")
        queue.start_duty()
        for _ in range(2):
            ticket = queue.call_next()
            queue.start(ticket.id)
            queue.finish(ticket.id, VisitInput("information"))
        queue.call_next()
    return services


def labels(lobby):
    return [lbl for lbl in lobby.findChildren(QLabel) if lbl.isVisible() and lbl.text()]


def shown_lobby(qtbot, services, size=None):
    runner = TaskRunner()
    lobby = LobbyWindow(services.queue, runner, chime=False)
    qtbot.addWidget(lobby)
    if size is None:
        lobby.showFullScreen()
    else:
        lobby.resize(*size)
        lobby.show()
    qtbot.waitExposed(lobby)
    lobby.start()
    qtbot.waitUntil(lambda: lobby.board is not None, timeout=15000)
    qtbot.wait(50)  # the fit after the layout has placed the labels
    return lobby, runner


@pytest.mark.parametrize("size", [(1600, 1000), (1920, 1080), (1280, 720), (1024, 768)])
def test_lobby_fits_the_screen_and_cuts_nothing(qtbot, busy_morning, size):
    lobby, runner = shown_lobby(qtbot, busy_morning, size)
    assert lobby.width() <= size[0] and lobby.height() <= size[1]
    shown = labels(lobby)
    assert len([lbl for lbl in lobby.big if lbl[0].text()]) == 3
    assert sum(1 for lbl in lobby.recent_labels if lbl.text()) == 6
    for lbl in shown:
        metrics = lbl.fontMetrics()
        assert metrics.horizontalAdvance(lbl.text()) <= lbl.width(), (lbl.objectName(),
                                                                       lbl.text())
        assert metrics.height() <= lbl.height(), lbl.objectName()
    # Readable across the room: the first call is the largest and large indeed.
    first = lobby.big[0][0]
    assert first.font().pixelSize() >= size[1] // 12
    assert first.font().pixelSize() == max(lbl.font().pixelSize() for lbl in shown)
    lobby.close()
    runner.wait()


def test_lobby_full_screen_fits(qtbot, busy_morning):
    screen = QGuiApplication.primaryScreen().geometry()
    lobby, runner = shown_lobby(qtbot, busy_morning)
    assert lobby.width() <= screen.width() and lobby.height() <= screen.height()
    for lbl in labels(lobby):
        assert lbl.fontMetrics().horizontalAdvance(lbl.text()) <= lbl.width()
    lobby.close()
    runner.wait()


def test_lobby_clock_waiting_and_languages(qtbot, busy_morning):
    lobby, runner = shown_lobby(qtbot, busy_morning, (1600, 1000))
    # The services' clock (10.11 in Helsinki after eleven arrivals), not the wall clock.
    assert lobby.clock.text() == "10.11"
    assert lobby.waiting.text().startswith("Jonossa: 2 ")  # eleven arrived, nine called
    # Finnish first, then Swedish and English (the default when the point chose none).
    assert lobby.title.text().startswith("Nyt vuorossa")
    assert "Nu på tur" in lobby.title.text() and "Now calling" in lobby.title.text()
    call, other = lobby.big[0]
    assert "Tiski" in call.text() and "Disk" in other.text() and "Desk" in other.text()
    shown = " ".join(lbl.text() for lbl in lobby.findChildren(QLabel))
    for name in ("Virtanen", "Mäkelä", "Aikio", "Guttorm", "Korhonen"):
        assert name not in shown
    lobby.close()
    runner.wait()


def test_the_point_chooses_its_lobby_languages(busy_morning):
    services = busy_morning
    assert services.queue.lobby_board().languages == ("fi", "sv", "en")
    services.auth.sign_in("admin", "demo")
    services.settings.set("lobby_languages", {"ROV": ["en"]})
    assert services.queue.lobby_board().languages == ("fi", "en")
    services.settings.set("lobby_languages", {"ROV": []})
    assert services.queue.lobby_board().languages == ("fi",)
    # Finnish always first; unknown languages are left out.
    assert lobby_languages({"ROV": ["de", "fi", "sv"]}, "ROV") == ("fi", "sv")
    assert lobby_languages({"RAN": ["en"]}, "ROV") == ("fi", "sv", "en")
