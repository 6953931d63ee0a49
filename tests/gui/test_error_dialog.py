"""An unexpected error: logged with its traceback, then one dialog in the user's language
with "Copy details" and the log's place; never a second dialog, never blocking."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import Qt, qWarning
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from app import __version__
from app.diagnostics import logsetup
from app.views import error_dialog
from app.views.error_dialog import install_error_reporting, show_unexpected_error


@pytest.fixture
def logs(tmp_path, monkeypatch):
    # Python's own hooks underneath, not pytest's: errors here are raised on purpose.
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)
    setup = logsetup.configure("DEBUG", tmp_path / "logs")
    yield setup
    setup.close()


def log_text(setup: logsetup.LogSetup) -> str:
    for handler in setup.handlers:
        handler.flush()
    return setup.path.read_text(encoding="utf-8")


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    widget.setObjectName("some_page")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def close_dialog(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: error_dialog.open_dialog() is None, timeout=15000)


def test_one_dialog_with_copy_details_and_the_log_place(qtbot, logs, parent):
    show_unexpected_error(parent, raised(ZeroDivisionError("division by zero in 120385-123A")))
    dialog = error_dialog.open_dialog()
    assert dialog is not None and dialog.isVisible()  # open(): the call did not block
    assert dialog.isModal() and dialog.parent() is parent
    assert dialog.windowTitle()
    assert str(logs.path) in dialog.location.text()
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, QPushButton) or (isinstance(widget, QLabel) and widget.text()):
            assert widget.objectName(), widget
            assert widget.accessibleName(), widget.objectName()

    # A second error while it is open: logged, added to the details, no second dialog.
    show_unexpected_error(parent, raised(KeyError("again")))
    shown = [w for w in QApplication.topLevelWidgets()
             if w.objectName() == "unexpected_error_dialog" and w.isVisible()]
    assert shown == [dialog]

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert __version__ in copied and "Traceback (most recent call last)" in copied
    assert "ZeroDivisionError" in copied and "KeyError: 'again'" in copied
    assert "120385-123A" not in copied  # the details are redacted like the log
    assert dialog.status.text()
    close_dialog(qtbot, dialog)

    text = log_text(logs)
    assert "unexpected error: ZeroDivisionError" in text and "unexpected error: KeyError" in text
    assert "Traceback (most recent call last)" in text and "120385-123A" not in text

    # Closed: the next error shows a dialog again.
    show_unexpected_error(None, raised(RuntimeError("third")))
    assert error_dialog.open_dialog() is not None
    close_dialog(qtbot, error_dialog.open_dialog())


def test_the_dialog_speaks_the_user_language(qtbot, logs, parent):
    from app import i18n

    i18n.set_language("fi")
    show_unexpected_error(parent, raised(RuntimeError("x")))
    dialog = error_dialog.open_dialog()
    assert dialog.windowTitle() == i18n._("Something went wrong") != "Something went wrong"
    close_dialog(qtbot, dialog)


def test_hooks_qt_messages_and_other_threads_reach_the_log_and_the_dialog(qtbot, qapp,
                                                                           logs, parent):
    undo = install_error_reporting(qapp)
    try:
        qWarning("a Qt warning for the log")
        # sys.excepthook on the GUI thread (an exception in a slot or event handler).
        exc = raised(ValueError("in a slot"))
        sys.excepthook(type(exc), exc, exc.__traceback__)
        dialog = error_dialog.open_dialog()
        assert dialog is not None
        close_dialog(qtbot, dialog)

        # A Python thread: logged there, the dialog on the GUI thread.
        def fail() -> None:
            raise LookupError("in a thread")

        worker = threading.Thread(target=fail, name="sync-worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: error_dialog.open_dialog() is not None, timeout=15000)
        assert "LookupError" in error_dialog.open_dialog().details()
        close_dialog(qtbot, error_dialog.open_dialog())
    finally:
        undo()
    text = log_text(logs)
    assert "WARNING  [MainThread] qt: a Qt warning for the log" in text
    assert "unexpected error: ValueError" in text
    assert "unexpected error in thread sync-worker: LookupError" in text
    assert logging.getLogger().level == logging.DEBUG
