"""LobbyWindow: the waiting-room screen. Ticket codes and desks in very large type;
no names or other personal data, ever (the service hands it codes and desks only)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.dto.queue import LobbyCall
from app.i18n import _
from app.services.queue import QueueService
from app.views.operations import QueryOp
from app.views.tasks import TaskRunner

REFRESH_MS = 2000
LATEST = 3  # shown large; the rest are the "last calls"


class LobbyWindow(QWidget):
    def __init__(self, queue: QueueService, runner: TaskRunner, chime: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lobby")
        self.queue, self.runner, self.chime = queue, runner, chime
        self.calls: list[LobbyCall] = []
        self._announced: set[tuple[str, str]] = set()
        self.setAutoFillBackground(True)
        palette = self.palette()
        # High contrast for a screen across the room: the palette's own dark and light.
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.WindowText))
        palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.Base))
        self.setPalette(palette)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        self.title = QLabel()
        self.title.setFont(self._font(0.05))
        layout.addWidget(self.title)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(3, 1)  # code, arrow and desk stay together on the left
        self.grid.setHorizontalSpacing(60)
        layout.addLayout(self.grid, 3)
        self.big: list[tuple[QLabel, QLabel, QLabel]] = []
        for row in range(LATEST):
            code, arrow, desk = QLabel(), QLabel("→"), QLabel()
            for col, widget in enumerate((code, arrow, desk)):
                widget.setFont(self._font(0.12 if row == 0 else 0.08, bold=row == 0))
                self.grid.addWidget(widget, row, col)
            self.big.append((code, arrow, desk))
        self.recent_title = QLabel()
        self.recent_title.setFont(self._font(0.04))
        self.recent = QLabel()
        self.recent.setObjectName("lobby_recent")
        self.recent.setFont(self._font(0.05))
        layout.addWidget(self.recent_title)
        layout.addWidget(self.recent, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.retranslate()

    def _font(self, share_of_height: float, bold: bool = False) -> QFont:
        screen = QApplication.primaryScreen()
        height = screen.size().height() if screen else 1080
        font = QFont(self.font())
        font.setPixelSize(max(24, int(height * share_of_height)))
        font.setBold(bold)
        return font

    def retranslate(self) -> None:
        self.setWindowTitle(_("Lobby display"))
        self.title.setText(_("Now calling"))
        self.recent_title.setText(_("Last calls"))
        self.show_calls(self.calls)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def start(self) -> None:
        self.refresh()
        self.timer.start()

    def refresh(self) -> None:
        QueryOp(self.runner, self, self.queue.lobby, success=self.show_calls).quietly() \
            .latest("calls").run_in_background()

    def show_calls(self, calls: list[LobbyCall]) -> None:
        """Large: those being called now. Small: the calls before them."""
        self.calls = calls
        calling = [c for c in calls if c.calling][:LATEST]
        for i, (code, arrow, desk) in enumerate(self.big):
            call = calling[i] if i < len(calling) else None
            code.setText(call.code if call else "")
            arrow.setVisible(call is not None)
            desk.setText(_("Desk {desk}").format(desk=call.desk) if call else "")
        earlier = [c for c in calls if c not in calling][:6]
        self.recent_title.setVisible(bool(earlier))
        self.recent.setText("     ".join(f"{c.code} → {c.desk}" for c in earlier))
        new = {(c.code, c.called_at.isoformat()) for c in calls}
        if self.chime and new - self._announced and self._announced:
            QApplication.beep()
        self._announced = new or self._announced

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        self.timer.stop()
        super().closeEvent(event)
