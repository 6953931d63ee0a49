"""A new workstation's first sync (#28 item 1): once its working set is in, the pages
refresh at once and the status bar says the desk can serve while older records arrive
(app/views/sync/controller.py, app/views/shell/session.py describe_sync)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from app.i18n import _
from app.views.shell.session import describe_sync
from app.views.sync.controller import SyncController


def _sync(has_working_set: bool, syncing: bool = True) -> SimpleNamespace:
    counts = SimpleNamespace(conflicts=0, rejected=0, pending=0)
    return SimpleNamespace(counts=counts, syncing=syncing, online=True, last_sync=None,
                           has_working_set=has_working_set)


def test_the_status_says_ready_to_serve_once_the_working_set_is_in(switcher):
    for language in ("fi", "sv", "en"):
        switcher.switch(language)
        before, _n = describe_sync(_sync(False), (1200, 600000))
        after, _n = describe_sync(_sync(True), (1200, 600000))
        waiting, _n = describe_sync(_sync(True))  # counted before the first progress
        assert _("Ready to serve; older records arriving: {done} / {total}").split(":")[0] \
            in after
        assert _("Ready to serve; older records arriving…") in waiting
        assert after != before and "600" in after and before.startswith("⟳")


def test_the_working_set_refreshes_the_pages_before_the_sync_ends(qtbot):
    engine = SimpleNamespace(stop=SimpleNamespace(set=lambda: None, is_set=lambda: False))
    controller = SyncController(engine, None, None,  # type: ignore[arg-type]
                                "postgresql://nobody@127.0.0.1:1/none", [])
    assert controller.has_working_set is False
    pulled: list[int] = []
    states: list[bool] = []
    controller.pulled.connect(pulled.append)
    controller.state_changed.connect(lambda: states.append(controller.has_working_set))
    # From the sync's thread, as `sync_once` calls it: queued to the GUI thread.
    worker = threading.Thread(target=controller.working_set_ready.emit, args=(42,))
    worker.start()
    worker.join()
    assert pulled == []  # not yet: it waits for the GUI thread's event loop
    qtbot.waitUntil(lambda: pulled == [42])
    assert states == [True] and controller.has_working_set is True
