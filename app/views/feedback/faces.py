"""The five-point smiley scale shared by the kiosk and the customer's feedback window:
big touch targets, a face pictogram and words under it (never colour alone)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QSizePolicy, QToolButton, QWidget

from app.i18n import LANGUAGES, N_
from app.views.common import icon
from app.views.feedback.texts import customer_text

SCORE_WORDS = {1: N_("Very poor"), 2: N_("Poor"), 3: N_("Neither good nor poor"),
               4: N_("Good"), 5: N_("Very good")}
FACES = {1: "mdi6.emoticon-frown-outline", 2: "mdi6.emoticon-sad-outline",
         3: "mdi6.emoticon-neutral-outline", 4: "mdi6.emoticon-happy-outline",
         5: "mdi6.emoticon-excited-outline"}


def score_word(score: int, lang: str) -> str:
    return customer_text(lang, SCORE_WORDS[score])


class OneOf(QObject):
    """Checkable buttons of which one is chosen. Not a QButtonGroup: Tab skips the
    unchecked buttons of a group, and every choice must be reachable with Tab."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.ids: dict[QAbstractButton, int] = {}

    def addButton(self, button: QAbstractButton, id_: int) -> None:
        self.ids[button] = id_
        button.clicked.connect(lambda _c=False, i=id_: self.choose(i))

    def buttons(self) -> list[QAbstractButton]:
        return list(self.ids)

    def button(self, id_: int) -> QAbstractButton | None:
        return next((b for b, i in self.ids.items() if i == id_), None)

    def id(self, button: QAbstractButton) -> int:
        return self.ids[button]

    def choose(self, chosen: int) -> None:
        for button, id_ in self.ids.items():
            button.setChecked(id_ == chosen)

    def chosen(self) -> int:
        return next((i for b, i in self.ids.items() if b.isChecked()), -1)


def big_button(text: str = "", height: int = 64) -> QToolButton:
    """A touch target at least `height` px high (guidelines ask for 9 mm or more)."""
    button = QToolButton()
    button.setText(text)
    button.setMinimumHeight(height)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


class FaceScale(QWidget):
    """Five face buttons. `chosen(score)` on a tap; `checkable` keeps the choice shown
    (the customer's window), otherwise each tap is an answer (the kiosk)."""

    chosen = Signal(int)

    def __init__(self, face_px: int, checkable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setSpacing(max(8, face_px // 6))
        self.group = OneOf(self)
        self.buttons: dict[int, QToolButton] = {}
        for score in sorted(FACES):
            button = big_button(height=face_px + 3 * face_px // 4)
            button.setObjectName(f"face_{score}")
            button.setIconSize(QSize(face_px, face_px))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setCheckable(checkable)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            if checkable:
                self.group.addButton(button, score)
            button.clicked.connect(lambda _c=False, s=score: self.chosen.emit(s))
            layout.addWidget(button)
            self.buttons[score] = button
        self.repaint_faces()

    def repaint_faces(self) -> None:
        for score, button in self.buttons.items():
            button.setIcon(icon(FACES[score], button))

    def set_words(self, langs: tuple[str, ...] = LANGUAGES) -> None:
        """The words under each face: one language, or several on their own lines."""
        for score, button in self.buttons.items():
            words = [score_word(score, lang) for lang in langs]
            lines = list(dict.fromkeys(words))  # one line when all are equal
            button.setText("\n".join(lines))
            # No taller than the face and words need: the style would put the words
            # mid-way down a tall button, away from their face.
            line = button.fontMetrics().height()
            button.setMaximumHeight(button.iconSize().height() + (len(lines) + 1) * line + 24)
            button.setAccessibleName(" / ".join(dict.fromkeys(words)))

    def score(self) -> int | None:
        checked = self.group.chosen()
        return checked if checked > 0 else None

    def clear(self) -> None:
        self.group.choose(-1)
