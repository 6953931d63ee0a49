import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the real user's settings or data.
os.environ.setdefault("DESK_CONFIG", str(Path("/nonexistent/desk.ini")))
# Nor its log folder: main() of the program and of the CLI log to DESK_LOG_DIR.
if "DESK_LOG_DIR" not in os.environ:
    os.environ["DESK_LOG_DIR"] = tempfile.mkdtemp(prefix="desk-test-logs-")
    atexit.register(shutil.rmtree, os.environ["DESK_LOG_DIR"], True)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest

from app import i18n
from tests import memory_keyring

# The local databases are encrypted; their key comes from this in-memory keyring.
memory_keyring.install()


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with garbage collection on the GUI thread as the
    program has it (app/views/collector.py), and the main window active again when a
    dialog closes (app/views/focus_return.py)."""
    from app.views import collector, focus_return

    collector.install(qapp)
    focus_return.install(qapp)
    return qapp


@pytest.fixture(autouse=True)
def delete_the_last_tests_widgets():
    """pytest-qt closes a test's widgets and deletes them later: left alone, a main window
    of an earlier test is destroyed inside some later test's wait, in the middle of what
    that test is doing, and every window still waiting for deletion takes part in the
    application-wide font and style changes (the text scale of a sign-in). Deleted here,
    before the test starts, at a quiet moment."""
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent

        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    yield


@pytest.fixture(autouse=True)
def collect_between_tests():
    """Once the GUI tests have switched automatic collection off, tests without an event
    loop (no collector timer) still collect between tests, on this thread."""
    yield
    import gc

    if not gc.isenabled():
        from app.views.collector import collect_as_due

        collect_as_due()


@pytest.fixture(autouse=True)
def finnish_by_default():
    i18n.set_language("fi")
    yield
    i18n.set_language("fi")


@pytest.fixture
def services(tmp_path):
    from tests.factories import open_services

    svc = open_services(tmp_path)
    yield svc
    svc.close()


@pytest.fixture
def signed_in(services):
    services.auth.sign_in("coach", "demo")
    return services
