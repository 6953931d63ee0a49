"""CustomerFeedbackWindow: offered by the worker at the end of a visit, facing the
customer (on a second screen when there is one). The customer picks the language, a
face, optionally the 0-10 recommendation, a comment, and a reply with a contact."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import LANGUAGE_NAMES, LANGUAGES, N_, current_language
from app.services.errors import ValidationFailed
from app.services.feedback import FeedbackAnswer
from app.views.common import FieldError
from app.views.feedback.faces import FaceScale, OneOf, big_button
from app.views.feedback.kiosk import QUESTION
from app.views.feedback.texts import customer_text
from app.views.operations import WriteOp
from app.views.tasks import TaskRunner

CLOSE_AFTER_MS = 5000
TOUCH = 56  # px: the smallest touch target here


class CustomerFeedbackWindow(QWidget):
    """`save(answer)` stores the answer (the page binds it to the visit); it runs in the
    task runner. The window closes by itself a few seconds after the thanks."""

    def __init__(self, save: Callable[[FeedbackAnswer], object], runner: TaskRunner,
                 ask_recommend: bool, lang: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customer_feedback")
        self.save_answer, self.runner = save, runner
        self.lang = lang or current_language()
        self.sent = False
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.5)
        self.setFont(big)
        # The customer's choices must stand out plainly: the palette's highlight. (With a
        # style sheet, sizes must be in it too: it overrides fonts set on the widgets.)
        size = big.pointSizeF()
        self.setStyleSheet(
            f"QWidget {{ font-size: {size:.1f}pt; }}"
            f" #customer_question, #customer_thanks {{ font-size: {size * 1.4:.1f}pt;"
            " font-weight: bold; }"
            " QToolButton:checked, QPushButton:checked { background-color: palette(highlight);"
            " color: palette(highlighted-text); border: 2px solid palette(shadow);"
            " border-radius: 4px; }")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        langs = QHBoxLayout()
        langs.addStretch(1)
        self.lang_group = OneOf(self)
        for index, code in enumerate(LANGUAGES):
            button = QPushButton(LANGUAGE_NAMES[code])  # each language by its own name
            button.setObjectName(f"customer_lang_{code}")
            button.setCheckable(True)
            button.setChecked(code == self.lang)
            button.setMinimumHeight(TOUCH)
            button.setMinimumWidth(140)
            button.clicked.connect(lambda _c=False, c=code: self.set_lang(c))
            self.lang_group.addButton(button, index)
            langs.addWidget(button)
        outer.addLayout(langs)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)

        form = QWidget()
        layout = QVBoxLayout(form)
        self.question = QLabel()
        self.question.setObjectName("customer_question")
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        qfont = QFont(big)
        qfont.setPointSizeF(big.pointSizeF() * 1.4)
        qfont.setBold(True)
        self.question.setFont(qfont)
        layout.addWidget(self.question)
        self.faces = FaceScale(face_px=88, checkable=True)
        self.faces.setObjectName("customer_faces")
        self.faces.chosen.connect(lambda _s: self.error.show_message(""))
        layout.addWidget(self.faces, 1)

        self.recommend_label = QLabel()
        self.recommend_label.setWordWrap(True)
        layout.addWidget(self.recommend_label)
        self.recommend_box = QWidget()
        grid = QGridLayout(self.recommend_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.recommend = OneOf(self)
        for n in range(11):
            digit = big_button(str(n), TOUCH)
            digit.setObjectName(f"recommend_{n}")
            digit.setCheckable(True)
            self.recommend.addButton(digit, n)
            grid.addWidget(digit, 0, n)
        self.not_likely, self.very_likely = QLabel(), QLabel()
        self.very_likely.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.not_likely, 1, 0, 1, 5)
        grid.addWidget(self.very_likely, 1, 6, 1, 5)
        layout.addWidget(self.recommend_box)
        for widget in (self.recommend_label, self.recommend_box):
            widget.setVisible(ask_recommend)

        self.comment_label = QLabel()
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("customer_comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(120)
        self.comment_label.setBuddy(self.comment)
        layout.addWidget(self.comment_label)
        layout.addWidget(self.comment)
        reply = QHBoxLayout()
        self.wants_reply = QCheckBox()
        self.wants_reply.setObjectName("customer_wants_reply")
        self.wants_reply.setMinimumHeight(TOUCH)
        self.wants_reply.setStyleSheet(
            f"QCheckBox::indicator {{ width: {TOUCH // 2}px; height: {TOUCH // 2}px; }}")
        self.wants_reply.setFont(big)  # a style sheet of its own drops the inherited font
        self.contact = QLineEdit()
        self.contact.setObjectName("customer_contact")
        self.contact.setMinimumHeight(TOUCH)
        self.contact.setEnabled(False)
        self.wants_reply.toggled.connect(self.contact.setEnabled)
        self.wants_reply.toggled.connect(lambda on: on and self.contact.setFocus())
        reply.addWidget(self.wants_reply)
        reply.addWidget(self.contact, 1)
        layout.addLayout(reply)
        self.contact_note = QLabel()
        self.contact_note.setWordWrap(True)
        layout.addWidget(self.contact_note)
        self.error: FieldError = FieldError()  # typed: the faces' handler above uses it
        self.error.setObjectName("customer_error")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.skip = QPushButton()
        self.skip.setObjectName("customer_skip")
        self.skip.setMinimumHeight(TOUCH)
        self.skip.setMinimumWidth(200)
        self.skip.clicked.connect(self.close)
        self.send = QPushButton()
        self.send.setObjectName("customer_send")
        self.send.setMinimumHeight(TOUCH)
        self.send.setMinimumWidth(240)
        self.send.setDefault(True)
        self.send.clicked.connect(self.submit)
        buttons.addWidget(self.skip)
        buttons.addStretch(1)
        buttons.addWidget(self.send)
        layout.addLayout(buttons)
        self.pages.addWidget(form)

        self.thanks = QLabel()
        self.thanks.setObjectName("customer_thanks")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setWordWrap(True)
        self.thanks.setFont(qfont)
        self.pages.addWidget(self.thanks)
        self.close_timer = QTimer(self)
        self.close_timer.setSingleShot(True)
        self.close_timer.setInterval(CLOSE_AFTER_MS)
        self.close_timer.timeout.connect(self.close)
        self.retranslate()

    def t(self, message: str) -> str:
        """In the customer's chosen language, whatever the worker's UI language (so this
        window ignores the application's LanguageChange)."""
        return customer_text(self.lang, message)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        t = self.t
        self.setWindowTitle(t(N_("Your feedback")))
        self.question.setText(t(QUESTION))
        self.faces.set_words((self.lang,))
        self.recommend_label.setText(t(N_(
            "How likely would you recommend our services to a friend?")))
        self.not_likely.setText("0 = " + t(N_("not at all likely")))
        self.very_likely.setText("10 = " + t(N_("very likely")))
        for button in self.recommend.buttons():
            button.setAccessibleName(t(N_("Recommend: {n} of 10")).format(
                n=self.recommend.id(button)))
        self.comment_label.setText(t(N_("&Comment (optional)")))
        self.comment.setAccessibleName(t(N_("Comment (optional)")))
        self.wants_reply.setText(t(N_("I would like a &reply")))
        self.contact.setPlaceholderText(t(N_("Phone number or e-mail address")))
        self.contact.setAccessibleName(t(N_("Contact for the reply")))
        self.contact_note.setText(t(N_(
            "Your answer is anonymous. A contact you give is kept apart from the answer "
            "and used only to reply to you.")))
        self.skip.setText(t(N_("No, thank you")))
        self.send.setText(t(N_("&Send")))
        self.thanks.setText(t(N_("Thank you for your feedback!")))

    def value(self) -> FeedbackAnswer | None:
        score = self.faces.score()
        if score is None:
            return None
        recommend = self.recommend.chosen() if self.recommend_box.isVisible() else -1
        return FeedbackAnswer(
            score=score, recommend=recommend if recommend >= 0 else None,
            comment=self.comment.toPlainText(), wants_reply=self.wants_reply.isChecked(),
            contact=self.contact.text() if self.wants_reply.isChecked() else "",
        )

    def submit(self) -> None:
        answer = self.value()
        if answer is None:
            self.error.show_message(self.t(N_("Choose one of the five faces.")))
            return
        self.send.setEnabled(False)
        self.error.show_message("")

        # Refusals in the customer's language, like everything in this window.
        WriteOp(self.runner, self, lambda: self.save_answer(answer), success=self._sent) \
            .on(ValidationFailed,
                lambda exc: self._refused(self.t(next(iter(exc.errors.values()))))) \
            .errors_to(self._refused, translate=self.t).run_in_background()

    def _refused(self, text: str) -> None:
        self.send.setEnabled(True)
        self.error.show_message(text)

    def _sent(self, _result: object) -> None:
        self.sent = True
        self.pages.setCurrentIndex(1)
        self.close_timer.start()

    def place(self) -> None:
        """Facing the customer: full screen on a second screen when there is one, else
        a window on this screen."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setScreen(screens[-1])
            self.move(screens[-1].geometry().topLeft())
            self.showFullScreen()
        else:
            self.resize(1000, 760)
            self.show()
        self.raise_()
        self.activateWindow()
