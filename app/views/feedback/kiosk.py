"""KioskWindow: the unattended feedback terminal at a service point. Full screen, one
tap on a face is an answer; the question in Finnish, Swedish and English at once; thanks,
then ready for the next customer. Nothing personal is asked or shown. Leaving needs a
staff member's username and kiosk PIN."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import LANGUAGES, N_, _
from app.services.auth import AuthService
from app.services.feedback import FeedbackAnswer, FeedbackService, KioskPoint
from app.views.common import icon
from app.views.feedback.faces import FaceScale
from app.views.feedback.pin import LeaveKioskDialog
from app.views.feedback.texts import customer_text
from app.views.operations import QueryOp, WriteOp
from app.views.tasks import TaskRunner

THANKS_MS = 4000  # long enough to read, short enough for the next customer
PIN_DIALOG_MS = 60000  # a PIN dialog opened by mistake closes by itself
MAX_TRIES, LOCKOUT_MS = 5, 30000  # wrong PINs in a row, then a pause
# The kiosk and the customer's window after a visit ask the same question in the same
# words (customer_window imports it): the answers are one series in the reports.
QUESTION = N_("How satisfied were you with our service today?")
TAP = N_("Tap a face. Your answer is anonymous.")
THANKS = N_("Thank you for your feedback!")


def _in_all(message: str) -> list[str]:
    return [customer_text(lang, message) for lang in LANGUAGES]


class KioskWindow(QWidget):
    answered = Signal(int)  # the score, once stored
    left = Signal()

    def __init__(self, feedback: FeedbackService, auth: AuthService, runner: TaskRunner,
                 point: KioskPoint, thanks_ms: int = THANKS_MS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.feedback, self.auth, self.runner, self.point = feedback, auth, runner, point
        self.dialog: LeaveKioskDialog | None = None
        self._leaving = False
        self.wrong_tries = 0
        height = self._screen_height()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(height // 20, height // 30, height // 20, height // 30)
        top = QHBoxLayout()
        self.point_label = QLabel()
        self.point_label.setObjectName("kiosk_point")
        self.point_label.setFont(self._font(height * 0.025))
        # Discreet, but a real button (keyboard and screen readers reach it too).
        self.leave_button = QPushButton()
        self.leave_button.setObjectName("kiosk_leave")
        self.leave_button.setFlat(True)
        self.leave_button.setMinimumHeight(max(44, height // 20))
        self.leave_button.clicked.connect(self.ask_pin)
        top.addWidget(self.point_label, 1)
        top.addWidget(self.leave_button)
        outer.addLayout(top)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)

        ask = QWidget()
        ask_layout = QVBoxLayout(ask)
        self.questions: list[QLabel] = []
        for i, _lang in enumerate(LANGUAGES):
            q = QLabel()
            q.setObjectName(f"kiosk_question_{LANGUAGES[i]}")
            q.setAlignment(Qt.AlignmentFlag.AlignCenter)
            q.setWordWrap(True)
            q.setFont(self._font(height * (0.06 if i == 0 else 0.045), bold=i == 0))
            ask_layout.addWidget(q)
            self.questions.append(q)
        ask_layout.addSpacing(height // 30)
        self.faces = FaceScale(face_px=max(64, int(height / 5.5)), checkable=False)
        self.faces.setObjectName("kiosk_faces")
        self.faces.setFont(self._font(height * 0.027))
        self.faces.chosen.connect(self.answer)
        ask_layout.addWidget(self.faces, 1)
        self.tap = QLabel()
        self.tap.setObjectName("kiosk_tap")
        self.tap.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tap.setWordWrap(True)
        self.tap.setFont(self._font(height * 0.022))
        ask_layout.addWidget(self.tap)
        self.pages.addWidget(ask)

        thanks = QWidget()
        thanks_layout = QVBoxLayout(thanks)
        self.thanks = QLabel()
        self.thanks.setObjectName("kiosk_thanks")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setWordWrap(True)
        self.thanks.setFont(self._font(height * 0.07, bold=True))
        self.thanks_face = QLabel()
        self.thanks_face.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error = QLabel()
        self.error.setObjectName("kiosk_error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        thanks_layout.addStretch(1)
        thanks_layout.addWidget(self.thanks_face)
        thanks_layout.addWidget(self.thanks)
        thanks_layout.addWidget(self.error)
        thanks_layout.addStretch(1)
        self.pages.addWidget(thanks)

        self.reset_timer = QTimer(self)
        self.reset_timer.setSingleShot(True)
        self.reset_timer.setInterval(thanks_ms)
        self.reset_timer.timeout.connect(self.reset)
        self.retranslate()

    @staticmethod
    def _screen_height() -> int:
        screen = QApplication.primaryScreen()
        return screen.size().height() if screen else 1080

    def _font(self, pixels: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(16, int(pixels)))
        font.setBold(bold)
        return font

    def retranslate(self) -> None:
        # The customer-facing texts are in all three languages whatever the UI language;
        # only the staff button follows the UI language.
        self.setWindowTitle(_("Feedback kiosk"))
        self.point_label.setText(self.point.name)
        for label, text in zip(self.questions, _in_all(QUESTION), strict=True):
            label.setText(text)
        self.tap.setText("  ·  ".join(_in_all(TAP)))
        self.thanks.setText("\n".join(dict.fromkeys(_in_all(THANKS))))
        self.faces.set_words()
        self.leave_button.setText(_("Staff"))
        self.leave_button.setIcon(icon("mdi6.lock-outline", self.leave_button))
        self.leave_button.setAccessibleName(_("Leave the kiosk (staff PIN)"))
        self.thanks_face.setPixmap(icon("mdi6.heart-outline", self).pixmap(
            self._screen_height() // 8))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- answering --------------------------------------------------------------------

    def answer(self, score: int) -> None:
        """Thanks at once (the customer does not wait for the disk), stored in the
        background, then back to the question after a few seconds."""
        if self.pages.currentIndex() != 0:
            return
        self.error.clear()
        self.pages.setCurrentIndex(1)
        self.reset_timer.start()
        WriteOp(self.runner, self,
                lambda: self.feedback.record_at_kiosk(self.point.id, FeedbackAnswer(score=score)),
                success=lambda _id: self.answered.emit(score)).run_in_background()

    def show_error(self, text: str) -> None:
        # Shown to staff passing by; the customer has had their thanks.
        self.error.setText("⚠ " + text)

    def reset(self) -> None:
        self.reset_timer.stop()
        self.pages.setCurrentIndex(0)

    # --- leaving ----------------------------------------------------------------------

    def ask_pin(self) -> None:
        dialog = LeaveKioskDialog(self)

        def submit() -> None:
            username, pin = dialog.value()
            QueryOp(self.runner, dialog, lambda: self.auth.verify_pin(username, pin),
                    success=checked).run_in_background()

        def checked(ok: bool) -> None:
            if not ok:
                self.wrong_tries += 1
                dialog.buttons.setEnabled(True)
                dialog.refused()
                if self.wrong_tries >= MAX_TRIES:
                    # Guessing a short PIN takes long: a pause after a few wrong ones.
                    ok_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
                    ok_button.setEnabled(False)
                    dialog.show_error(_("Too many wrong PINs. Try again in 30 seconds."))
                    QTimer.singleShot(LOCKOUT_MS, dialog, lambda: ok_button.setEnabled(True))
                    self.wrong_tries = 0
                return
            self.wrong_tries = 0
            dialog.saved()
            self.leave()

        dialog.submit_handler = submit
        self.dialog = dialog
        QTimer.singleShot(PIN_DIALOG_MS, dialog, dialog.reject)
        dialog.open()

    def leave(self) -> None:
        self._leaving = True
        self.reset_timer.stop()
        self.close()
        self.left.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.ask_pin()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Alt+F4 or the window manager must not end the kiosk: only the PIN does.
        if self._leaving:
            event.accept()
        else:
            event.ignore()
