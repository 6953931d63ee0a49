"""The windows the desk opens for customers: the lobby display and the feedback kiosk
(with the PIN a worker leaves the kiosk with)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow

from app.i18n import _
from app.services.errors import ValidationFailed
from app.views.operations import QueryOp, WriteOp
from app.views.shell.session import SessionController
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.auth import AuthService
    from app.services.feedback import FeedbackService, KioskPoint
    from app.services.queue import QueueService
    from app.views.feedback.kiosk import KioskWindow
    from app.views.feedback.pin import SetPinDialog
    from app.views.queue.lobby import LobbyWindow


class Displays(QObject):
    kiosk_closed = Signal()  # left with a staff member's PIN: the sign-in view shows

    def __init__(self, host: QMainWindow, session: SessionController, queue: QueueService,
                 feedback: FeedbackService, auth: AuthService, runner: TaskRunner) -> None:
        super().__init__(host)
        self.host, self.session, self.runner = host, session, runner
        self.queue, self.feedback, self.auth = queue, feedback, auth
        self.lobby: LobbyWindow | None = None
        self.kiosk: KioskWindow | None = None
        self.pin_dialog: SetPinDialog | None = None

    def open_lobby(self) -> None:
        """The waiting-room screen, full screen on a second monitor when there is one."""
        from app.views.queue.lobby import LobbyWindow

        self.lobby = LobbyWindow(self.queue, self.runner)
        screens = QApplication.screens()
        if len(screens) > 1:
            self.lobby.setScreen(screens[-1])
            self.lobby.move(screens[-1].geometry().topLeft())
        self.lobby.showFullScreen()
        self.lobby.start()

    def open_kiosk(self, point_code: str | None = None) -> None:
        """The feedback kiosk, full screen. Opened by a worker, it signs them out first
        (the kiosk faces customers); leaving it needs a staff member's PIN and returns
        to the sign-in view. With no one signed in (`--view kiosk`) it opens directly."""
        from app.views.feedback.kiosk import KioskWindow

        def opened(point: KioskPoint) -> None:
            if self.session.actor is not None:
                self.session.sign_out()
            self.kiosk = KioskWindow(self.feedback, self.auth, self.runner, point)
            self.kiosk.left.connect(self._kiosk_left)
            self.host.hide()
            self.kiosk.showFullScreen()

        def failed(text: str) -> None:
            self.host.statusBar().showMessage("⚠ " + text, 8000)
            self.host.show()

        feedback = self.feedback
        QueryOp(self.runner, self, lambda: feedback.kiosk_point(point_code),
                success=opened).errors_to(failed).run_in_background()

    def _kiosk_left(self) -> None:
        self.kiosk = None
        self.kiosk_closed.emit()
        self.host.show()

    def set_kiosk_pin(self) -> None:
        """The signed-in worker's own PIN for leaving the kiosk."""
        from app.views.feedback.pin import SetPinDialog

        dialog = SetPinDialog(self.host)
        auth = self.auth

        def submit() -> None:
            pin = dialog.value()

            def saved(_result: object) -> None:
                dialog.saved()
                self.host.statusBar().showMessage(_("Kiosk PIN saved."), 5000)

            WriteOp(self.runner, dialog, lambda: auth.set_pin(pin), success=saved) \
                .on(ValidationFailed,
                    lambda exc: dialog.show_error(_(next(iter(exc.errors.values()))))) \
                .run_in_background()

        dialog.submit_handler = submit
        self.pin_dialog = dialog
        dialog.open()
