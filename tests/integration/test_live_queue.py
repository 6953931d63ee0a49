"""Two application windows on one central database see each other's walk-ins live."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.db.migrate import upgrade_central
from app.services.registry import Services
from app.sync.engine import SyncEngine, central_engine
from app.views.application import build_main_window
from app.views.main_window import ROW
from tests.factories import seed_org
from tests.integration.test_sync import _copy_credentials


class _Holder:
    def __init__(self, services):
        self.services = services


def _window(qapp, qtbot, services, url, user):
    window, runner = build_main_window(qapp, services, "fi", central_url=url,
                                       service_point="ROV")
    qtbot.addWidget(window)
    window.show()
    window.login.username.setText(user)
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    window.nav.setCurrentRow(ROW["queue"])  # a coach's day starts on Today
    qtbot.waitUntil(lambda: window.page("queue").snapshot is not None, timeout=10000)
    return window, runner


def test_walk_in_at_one_desk_appears_at_the_other(qapp, qtbot, tmp_path, pg_url):
    upgrade_central(pg_url)
    central = central_engine(pg_url)
    a = Services.open(tmp_path / "a.sqlite3", "a")
    seed_org(a)
    SyncEngine(a.ctx.engine, central, "a", "ROV").sync_once()
    b = Services.open(tmp_path / "b.sqlite3", "b")
    SyncEngine(b.ctx.engine, central, "b", "ROV").sync_once()
    _copy_credentials(_Holder(a), _Holder(b))
    win_a, runner_a = _window(qapp, qtbot, a, pg_url, "coach")
    win_b, runner_b = _window(qapp, qtbot, b, pg_url, "desk")
    sync_b = win_b.session.sync
    qtbot.waitUntil(lambda: sync_b.online is True and sync_b.last_sync is not None,
                    timeout=10000)
    assert "Online" in win_b.sync_label.text() or "Verkossa" in win_b.sync_label.text()

    queue_a, queue_b = win_a.page("queue"), win_b.page("queue")
    runner_a.submit(lambda: a.queue.register_walk_in(None, "information", note="Live"))
    qtbot.waitUntil(lambda: any(r.note == "Live" for r in (
        queue_b.snapshot.waiting if queue_b.snapshot else [])), timeout=10000)
    # And back: desk B calls it; desk A sees it being called.
    ticket = next(r for r in queue_b.snapshot.waiting if r.note == "Live")
    runner_b.submit(lambda: b.queue.call(ticket.id))
    qtbot.waitUntil(lambda: any(r.id == ticket.id for r in (
        queue_a.snapshot.serving if queue_a.snapshot else [])), timeout=10000)

    for window, runner, services in ((win_a, runner_a, a), (win_b, runner_b, b)):
        window.session.sync.stop()
        runner.wait()
        services.close()
    central.dispose()
