"""An unexpected error, shown once: a short message in the user's language, "Copy details"
(the traceback and versions, for IT support) and where the log file is.

`show_unexpected_error(parent, exc)` logs the error with its traceback and opens the
dialog without blocking (`open()`, window-modal), so it is safe from any callback and in
tests. While one is open, later errors are logged and added to its details, never a
second dialog. `install_error_reporting(app)` (the composition root) routes Qt's own
messages into the log and the unexpected errors of sys.excepthook and
threading.excepthook (app.diagnostics.logsetup) here, on the GUI thread."""

from __future__ import annotations

import logging
import platform
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

import PySide6
from PySide6.QtCore import (
    QEvent,
    QMessageLogContext,
    QObject,
    Qt,
    QThread,
    QtMsgType,
    QUrl,
    Signal,
    Slot,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import __version__
from app.diagnostics import logsetup
from app.i18n import _

_open: ErrorDialog | None = None
_relay: _Relay | None = None


def show_unexpected_error(parent: QWidget | None, exc: BaseException) -> None:
    """Log `exc` with its traceback, then show it (at most one dialog at a time)."""
    logsetup.log_unexpected(exc)
    _present(parent, exc)


def open_dialog() -> ErrorDialog | None:
    """The error dialog shown now, if any."""
    if _open is not None and isValid(_open) and _open.isVisible():
        return _open
    return None


def _on_gui_thread() -> bool:
    app = QApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def _present(parent: QWidget | None, exc: BaseException) -> None:
    """Show an error already logged; from another thread, hand it to the GUI thread."""
    global _open
    if not _on_gui_thread():
        if _relay is not None and isValid(_relay):
            _relay.arrived.emit(exc)  # queued to the GUI thread; else it stays logged
        return
    shown = open_dialog()
    if shown is not None:
        shown.add(exc)
        return
    if parent is None:
        parent = QApplication.activeWindow()
    elif isValid(parent):
        parent = parent.window()
    else:
        parent = None
    dialog = ErrorDialog(parent, exc)
    _open = dialog
    dialog.open()


class ErrorDialog(QDialog):
    def __init__(self, parent: QWidget | None, exc: BaseException) -> None:
        super().__init__(parent)
        self.setObjectName("unexpected_error_dialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.errors: list[str] = []
        self.log_file = logsetup.log_file()

        self.icon = QLabel()
        self.icon.setObjectName("error_icon")
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        self.icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size, size))
        self.message = QLabel()
        self.message.setObjectName("error_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location = QLabel()
        self.location.setObjectName("error_log_location")
        self.location.setWordWrap(True)
        self.location.setTextFormat(Qt.TextFormat.PlainText)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                              | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.status = QLabel()  # says when the details were copied
        self.status.setObjectName("copy_status")
        self.status.hide()

        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copy_details")
        self.copy_button.clicked.connect(self.copy_details)
        self.folder_button = QPushButton()
        self.folder_button.setObjectName("open_log_folder")
        self.folder_button.clicked.connect(self.open_log_folder)
        self.close_button = QPushButton()
        self.close_button.setObjectName("close_error")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addWidget(self.location)
        text.addWidget(self.status)
        top.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        self.setMinimumWidth(440)
        self.finished.connect(self._forget)
        self.add(exc)
        self.retranslate()
        self.close_button.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Something went wrong"))
        self.icon.setAccessibleName(_("Error"))
        self.message.setText(_(
            "Something unexpected went wrong, and what you were doing may not have been "
            "saved. Check it and try again. If it happens again, copy the details and "
            "send them to IT support."))
        self.message.setAccessibleName(self.message.text())
        self.location.setText(_("Log file: {path}").format(path=self.log_file))
        self.location.setAccessibleName(self.location.text())
        self.copy_button.setText(_("Copy details"))
        self.copy_button.setAccessibleName(self.copy_button.text().replace("&", ""))
        self.folder_button.setText(_("Open log folder"))
        self.folder_button.setAccessibleName(self.folder_button.text().replace("&", ""))
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(self.close_button.text().replace("&", ""))
        if self.status.text():
            self.status.setText(_("The details are on the clipboard."))
        self.status.setAccessibleName(self.status.text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def add(self, exc: BaseException) -> None:
        """Another error while this one is shown: into the details, no second dialog."""
        at = datetime.now(UTC).isoformat(timespec="seconds")
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.errors.append(f"{at}\n{trace}")

    def details(self) -> str:
        """What "Copy details" copies: versions, the log's place and the tracebacks,
        without the personal data the log leaves out either (logsetup.redact)."""
        head = (f"Rovaseutu desk {__version__}\n"
                f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
                f"Qt {qVersion()}\n{platform.platform()}\nLog: {self.log_file}\n")
        return logsetup.redact(head + "\n" + "\n".join(self.errors))

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())
        self.status.setText(_("The details are on the clipboard."))
        self.status.setAccessibleName(self.status.text())
        self.status.show()

    @Slot()
    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))

    @Slot(int)
    def _forget(self, _result: int) -> None:
        global _open
        if _open is self:
            _open = None


class _Relay(QObject):
    """Lives on the GUI thread: errors of other threads arrive here through a queued
    signal (they are logged already where they happened)."""

    arrived = Signal(object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.arrived.connect(self._show)

    @Slot(object)
    def _show(self, exc: BaseException) -> None:
        _present(None, exc)


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's qDebug/qWarning/… into the log, under the logger `qt.<category>`."""
    category = context.category or "default"
    name = "qt" if category == "default" else (
        category if category.startswith("qt.") or category == "qt" else f"qt.{category}")
    logging.getLogger(name).log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def install_error_reporting(app: QApplication) -> Callable[[], None]:
    """Qt messages into the log; unexpected errors of any thread into the dialog.
    Returns the undo (app.__main__ calls it when the program ends)."""
    global _relay
    previous_handler = qInstallMessageHandler(qt_message)
    relay = _Relay(app)
    _relay = relay
    undo_presenter = logsetup.set_presenter(relay.arrived.emit)

    def undo() -> None:
        global _relay
        qInstallMessageHandler(previous_handler)
        undo_presenter()
        if _relay is relay:
            _relay = None
        if isValid(relay):
            relay.deleteLater()

    return undo
