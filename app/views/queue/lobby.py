"""LobbyWindow: the waiting-room screen. Ticket codes and desks in very large type, a
clock and how many are waiting; no names or other personal data, ever (the service hands
it codes and desks only).

The type follows the window, never the other way round: every label ignores its own size
hint, the layout shares the height out by fixed stretches, and each label's font is the
largest that fits the space it was given (so any screen, 720p to a 4K TV, shows it all).
The calls are in Finnish first, then in the languages the service point chose."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.dto.queue import LobbyBoard, LobbyCall
from app.i18n import N_, format_number, format_time, translate_in
from app.rules.queue import LOBBY_DEFAULT_LANGUAGES
from app.services.queue import QueueService
from app.views.operations import QueryOp
from app.views.tasks import TaskRunner

REFRESH_MS = 2000
CLOCK_MS = 1000
LATEST = 3  # shown large; the rest are the "last calls"
RECENT, RECENT_COLUMNS = 6, 3
LINE = 1.3  # a label's height per pixel of font size (ascent, descent and air)

NOW_CALLING, LAST_CALLS = N_("Now calling"), N_("Last calls")
DESK, WAITING = N_("Desk {desk}"), N_("Waiting: {n}")


class LobbyWindow(QWidget):
    def __init__(self, queue: QueueService, runner: TaskRunner, chime: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lobby")
        self.queue, self.runner, self.chime = queue, runner, chime
        self.calls: list[LobbyCall] = []
        self.board: LobbyBoard | None = None
        self.languages: tuple[str, ...] = ("fi", *LOBBY_DEFAULT_LANGUAGES)
        self.since = QElapsedTimer()
        self._announced: set[tuple[str, str]] = set()
        self.setAutoFillBackground(True)
        palette = self.palette()
        # High contrast for a screen across the room: the palette's own dark and light.
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.WindowText))
        palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.Base))
        self.setPalette(palette)
        self.bold: set[QLabel] = set()
        layout = self.main_layout = QVBoxLayout(self)
        layout.setSpacing(0)
        header = QHBoxLayout()
        self.title = self._label("lobby_title")
        self.clock = self._label("lobby_clock", bold=True)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.title, 3)
        header.addWidget(self.clock, 1)
        layout.addLayout(header, 7)
        # Each call: "A 012  →  Tiski 3", and under it the desk in the other languages.
        self.big: list[tuple[QLabel, QLabel]] = []
        for row in range(LATEST):
            call = self._label(f"lobby_call_{row}", bold=row == 0)
            other = self._label(f"lobby_call_{row}_other")
            layout.addWidget(call, 15 if row == 0 else 10)
            layout.addWidget(other, 5 if row == 0 else 4)
            self.big.append((call, other))
        layout.addSpacing(8)
        self.recent_title = self._label("lobby_recent_title")
        layout.addWidget(self.recent_title, 5)
        grid = QGridLayout()
        grid.setSpacing(0)
        self.recent_labels = [self._label(f"lobby_recent_{i}") for i in range(RECENT)]
        for i, lbl in enumerate(self.recent_labels):
            grid.addWidget(lbl, i // RECENT_COLUMNS, i % RECENT_COLUMNS)
        for column in range(RECENT_COLUMNS):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid, 12)
        layout.addStretch(3)  # air between the calls and the queue's length
        self.waiting = self._label("lobby_waiting")
        layout.addWidget(self.waiting, 6)
        self._margins()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(CLOCK_MS)
        self.clock_timer.timeout.connect(self._show_clock)
        self.retranslate()

    def _label(self, name: str, bold: bool = False) -> QLabel:
        """A label that takes the space the layout gives it, never asks for more."""
        lbl = QLabel()
        lbl.setObjectName(name)
        lbl.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        lbl.setMinimumSize(0, 0)
        # Its own copy of the light-on-dark palette: under the application's style sheet
        # a parent's palette does not reach its children.
        lbl.setPalette(self.palette())
        if bold:
            self.bold.add(lbl)
        return lbl

    def _margins(self) -> None:
        side = max(12, self.width() // 30)
        self.main_layout.setContentsMargins(side, side // 2, side, side // 2)

    # --- text -------------------------------------------------------------------------

    def _in_all(self, message: str, languages: Iterable[str] | None = None,
                **values: object) -> str:
        """The message in each language, once each: "Nyt vuorossa · Nu på tur · …"."""
        langs = self.languages if languages is None else languages
        texts = [translate_in(lang, message).format(**values) for lang in langs]
        return "  ·  ".join(dict.fromkeys(texts))

    def retranslate(self) -> None:
        # The window is for the waiting room: its languages are the point's, not the UI's.
        self.setWindowTitle(self._in_all(N_("Lobby display"), self.languages[:1]))
        self.title.setText(self._in_all(NOW_CALLING))
        self.recent_title.setText(self._in_all(LAST_CALLS))
        self.show_calls(self.calls)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- loading -----------------------------------------------------------------------

    def start(self) -> None:
        self.refresh()
        self.timer.start()
        self.clock_timer.start()

    def refresh(self) -> None:
        QueryOp(self.runner, self, self.queue.lobby_board, success=self.show_board).quietly() \
            .latest("calls").run_in_background()

    def show_board(self, board: LobbyBoard) -> None:
        self.board = board
        self.since.start()
        if board.languages != self.languages:
            self.languages = board.languages
            self.retranslate()
        self.waiting.setText(self._in_all(WAITING, n=format_number(board.waiting, "fi")))
        self._show_clock()
        self.show_calls(board.calls)

    def _show_clock(self) -> None:
        """The time by the services' clock, moved on since the last read."""
        if self.board is None:
            self.clock.setText("")
            return
        now = self.board.now + timedelta(milliseconds=self.since.elapsed())
        text = format_time(now, "fi")
        if text != self.clock.text():
            self.clock.setText(text)
            self._fit(self.clock)

    def show_calls(self, calls: list[LobbyCall]) -> None:
        """Large: those being called now. Small: the calls before them."""
        self.calls = calls
        calling = [c for c in calls if c.calling][:LATEST]
        for i, (big, other) in enumerate(self.big):
            call = calling[i] if i < len(calling) else None
            desk = translate_in(self.languages[0], DESK).format(desk=call.desk) if call else ""
            big.setText(f"{call.code}  →  {desk}" if call else "")
            other.setText(self._in_all(DESK, self.languages[1:], desk=call.desk)
                          if call else "")
        earlier = [c for c in calls if c not in calling][:RECENT]
        self.recent_title.setVisible(bool(earlier))
        for i, lbl in enumerate(self.recent_labels):
            lbl.setText(f"{earlier[i].code} → {earlier[i].desk}" if i < len(earlier) else "")
        self._fit_all()
        new = {(c.code, c.called_at.isoformat()) for c in calls}
        if self.chime and new - self._announced and self._announced:
            QApplication.beep()
        self._announced = new or self._announced

    # --- the type follows the screen -----------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._margins()
        # The layout places the labels after this event: fit them once it has.
        QTimer.singleShot(0, self._fit_all)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_all)

    def labels(self) -> list[QLabel]:
        return [self.title, self.clock, *(lbl for pair in self.big for lbl in pair),
                self.recent_title, *self.recent_labels, self.waiting]

    def _fit_all(self) -> None:
        self.main_layout.activate()
        for lbl in self.labels():
            self._fit(lbl)

    def _fit(self, lbl: QLabel) -> None:
        """The largest font for which the text fits the label's height and width."""
        width, height = lbl.contentsRect().width(), lbl.contentsRect().height()
        if width <= 0 or height <= 0:
            return
        font = QFont(self.font())
        font.setBold(lbl in self.bold)
        size = max(6, int(height / LINE))
        text = lbl.text() or "M"
        while True:
            font.setPixelSize(size)
            metrics = QFontMetrics(font)
            if size <= 6 or (metrics.horizontalAdvance(text) <= width
                             and metrics.height() <= height):
                break
            # Shrink in proportion to the overflow, at least a pixel at a time.
            ratio = width / max(1, metrics.horizontalAdvance(text))
            size = min(size - 1, max(6, int(size * ratio)))
        if lbl.font() != font:
            lbl.setFont(font)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        self.timer.stop()
        self.clock_timer.stop()
        super().closeEvent(event)
