"""The Messages page's "Templates" tab (#23): the wording of each kind of message on
each channel in each language, for those who edit settings (team leads, administrators).

Choose the kind, channel and language; edit the subject (e-mail) and the text; the
preview beside it shows the message filled with sample details as it would go out. A
refused field says why next to it and keeps what was typed; a changed template not yet
saved is kept as a draft while another one is looked at. "Back to the built-in wording"
drops the area's own wording."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTime, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, current_language, format_number
from app.rules.codes import MessageChannel, MessageKind
from app.services.errors import ValidationFailed
from app.views import style
from app.views.common import FieldError, icon, shortcut
from app.views.messages.texts import channel_label, kind_label
from app.views.operations import QueryOp, WriteOp, drop_pending
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.dto.messages import TemplateRow
    from app.services.registry import Services

Key = tuple[str, str, str]  # kind, channel, language
LANGUAGES = (("fi", N_("Finnish")), ("sv", N_("Swedish")), ("en", N_("English")))
SMS_LIMIT = 480  # characters (app/rules/message_text.py refuses a longer text)
PREVIEW_MS = 300  # after the last keystroke
REMINDER_SETTING = "messages.reminder_time"  # app/rules/settings.py


def _placeholders(kind: str, channel: str) -> tuple[str, ...]:
    try:
        from app.rules.message_text import placeholders

        return tuple(placeholders(MessageKind(kind), MessageChannel(channel)))
    except (ImportError, ValueError):
        return ()


class TemplateEditor(QWidget):
    def __init__(self, services: Services, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messages_templates")
        self.services, self.runner = services, runner
        self.rows: dict[Key, TemplateRow] = {}
        self.drafts: dict[Key, tuple[str | None, str]] = {}
        self.key: Key | None = None
        self._filling = False
        self.loaded = False

        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        outer.addLayout(left, 3)
        choose = QGridLayout()
        self.kind_label, self.kind = QLabel(), QComboBox()
        self.kind.setObjectName("template_kind")
        self.channel_label, self.channel = QLabel(), QComboBox()
        self.channel.setObjectName("template_channel")
        self.language_label, self.language = QLabel(), QComboBox()
        self.language.setObjectName("template_language")
        for code, _name in LANGUAGES:
            self.language.addItem("", code)
        for column, (lbl, combo) in enumerate(((self.kind_label, self.kind),
                                               (self.channel_label, self.channel),
                                               (self.language_label, self.language))):
            lbl.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            choose.addWidget(lbl, 0, column)
            choose.addWidget(combo, 1, column)
        choose.setColumnStretch(3, 1)
        left.addLayout(choose)
        self.state = QLabel()
        self.state.setObjectName("template_state")
        self.state.setWordWrap(True)
        left.addWidget(self.state)
        self.subject_label = QLabel()
        self.subject = QLineEdit()
        self.subject.setObjectName("template_subject")
        self.subject.setMaxLength(300)
        self.subject_label.setBuddy(self.subject)
        self.subject_error = FieldError()
        self.subject_error.setObjectName("template_subject_error")
        self.body_label = QLabel()
        self.body = QPlainTextEdit()
        self.body.setObjectName("template_body")
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(self.body.fontMetrics().lineSpacing() * 8 + 16)
        self.body_label.setBuddy(self.body)
        self.body_error = FieldError()
        self.body_error.setObjectName("template_body_error")
        self.counter = QLabel()
        self.counter.setObjectName("template_counter")
        style.secondary(self.counter)
        self.fill_ins = QLabel()
        self.fill_ins.setObjectName("template_placeholders")
        self.fill_ins.setWordWrap(True)
        self.fill_ins.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        style.secondary(self.fill_ins)
        for w in (self.subject_label, self.subject, self.subject_error, self.body_label):
            left.addWidget(w)
        left.addWidget(self.body, 1)
        for w in (self.body_error, self.counter, self.fill_ins):
            left.addWidget(w)
        self.error = FieldError()
        self.error.setObjectName("template_error")
        left.addWidget(self.error)
        buttons = QHBoxLayout()
        self.save = QPushButton()
        self.save.setObjectName("template_save")
        self.reset = QPushButton()
        self.reset.setObjectName("template_reset")
        buttons.addWidget(self.save)
        buttons.addWidget(self.reset)
        buttons.addStretch(1)
        left.addLayout(buttons)
        # The area's reminder time: when the day-before reminders go out (the messenger
        # reads it at the centre).
        reminder = QHBoxLayout()
        self.reminder_label = QLabel()
        self.reminder_time = QTimeEdit()
        self.reminder_time.setObjectName("reminder_time")
        self.reminder_time.setDisplayFormat("HH:mm")
        self.reminder_label.setBuddy(self.reminder_time)
        self.reminder_save = QPushButton()
        self.reminder_save.setObjectName("reminder_save")
        for part in (self.reminder_label, self.reminder_time, self.reminder_save):
            reminder.addWidget(part)
        reminder.addStretch(1)
        left.addLayout(reminder)
        self.reminder_error = FieldError()
        self.reminder_error.setObjectName("reminder_error")
        left.addWidget(self.reminder_error)

        self.preview_box = QGroupBox()
        self.preview_box.setObjectName("template_preview_box")
        preview = QVBoxLayout(self.preview_box)
        self.preview_note = QLabel()
        self.preview_note.setWordWrap(True)
        style.secondary(self.preview_note)
        self.preview_subject = QLabel()
        self.preview_subject.setObjectName("template_preview_subject")
        self.preview_subject.setWordWrap(True)
        font = self.preview_subject.font()
        font.setBold(True)
        self.preview_subject.setFont(font)
        self.preview = QLabel()
        self.preview.setObjectName("template_preview")
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for w in (self.preview_note, self.preview_subject):
            preview.addWidget(w)
        preview.addWidget(self.preview, 1)
        outer.addWidget(self.preview_box, 2)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_MS)
        self.timer.timeout.connect(self.update_preview)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_chosen())
        self.channel.currentIndexChanged.connect(lambda _i: self._show_chosen())
        self.language.currentIndexChanged.connect(lambda _i: self._show_chosen())
        self.subject.textChanged.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        self.save.clicked.connect(self.save_template)
        self.reset.clicked.connect(self.reset_template)
        self.reminder_save.clicked.connect(self.save_reminder_time)
        shortcut(self, "Ctrl+S", self.save)
        self._enable()

    # --- loading ----------------------------------------------------------------------

    def activate(self) -> None:
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        QueryOp(self.runner, self, self.services.messages.templates, success=self.show_rows) \
            .latest("templates").run_in_background()
        settings = self.services.settings
        QueryOp(self.runner, self, lambda: settings.get(REMINDER_SETTING),
                success=self.show_reminder_time).latest("reminder").run_in_background()

    def show_reminder_time(self, value: str) -> None:
        hours, _sep, minutes = str(value).partition(":")
        self.reminder_time.setTime(QTime(int(hours or 16), int(minutes or 0)))
        self.reminder_error.show_message("")

    def show_rows(self, rows: list[TemplateRow]) -> None:
        if not self.loaded:  # first in the language the worker uses
            self.language.blockSignals(True)
            self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
            self.language.blockSignals(False)
        self.loaded = True
        self.rows = {(r.kind, r.channel, r.language): r for r in rows}
        kinds = [k.value for k in MessageKind if any(key[0] == k.value for key in self.rows)]
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for code in kinds:
            self.kind.addItem(kind_label(code), code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)
        self._kind_chosen()

    def clear(self) -> None:
        """Signed out: no draft, no template, no preview left."""
        for key in ("templates", "preview", "reminder"):
            drop_pending(self, key)
        self.reminder_time.setTime(QTime(16, 0))
        self.reminder_error.show_message("")
        self.timer.stop()
        self.rows, self.drafts, self.key, self.loaded = {}, {}, None, False
        for combo in (self.kind, self.channel):
            combo.blockSignals(True)
            combo.clear()
            combo.blockSignals(False)
        self._filling = True
        self.subject.clear()
        self.body.clear()
        self._filling = False
        for w in (self.state, self.preview, self.preview_subject, self.counter, self.fill_ins):
            w.setText("")
        self.show_errors({})
        self.error.show_message("")
        self._enable()

    # --- choosing ---------------------------------------------------------------------

    def _chosen(self) -> Key | None:
        kind, channel, lang = (self.kind.currentData(), self.channel.currentData(),
                               self.language.currentData())
        if not (kind and channel and lang):
            return None
        return kind, channel, lang

    def _kind_chosen(self) -> None:
        kind = self.kind.currentData()
        channels = [c.value for c in MessageChannel
                    if any(k[0] == kind and k[1] == c.value for k in self.rows)]
        current = self.channel.currentData()
        self.channel.blockSignals(True)
        self.channel.clear()
        for code in channels:
            self.channel.addItem(channel_label(code), code)
        self.channel.setCurrentIndex(max(0, self.channel.findData(current)))
        self.channel.blockSignals(False)
        self._show_chosen()

    def _show_chosen(self) -> None:
        """The chosen template in the editor: its draft when there is one."""
        self._keep_draft()
        key = self._chosen()
        self.key = key if key in self.rows else None
        self.show_errors({})
        self.error.show_message("")
        self._filling = True
        if self.key is None:
            self.subject.clear()
            self.body.clear()
        else:
            row = self.rows[self.key]
            subject, body = self.drafts.get(self.key, (row.subject, row.body))
            self.subject.setText(subject or "")
            self.body.setPlainText(body)
        self._filling = False
        self._show_state()
        self._enable()
        self.update_preview()

    def _is_email(self) -> bool:
        return self.key is not None and self.key[1] == MessageChannel.EMAIL.value

    def _value(self) -> tuple[str | None, str]:
        return (self.subject.text() if self._is_email() else None), self.body.toPlainText()

    def _keep_draft(self) -> None:
        if self.key is None or self.key not in self.rows:
            return
        row = self.rows[self.key]
        subject, body = self._value()
        if (subject or None, body) != (row.subject or None, row.body):
            self.drafts[self.key] = (subject, body)
        else:
            self.drafts.pop(self.key, None)

    def _edited(self) -> None:
        if self._filling:
            return
        self._keep_draft()
        self._show_state()
        self.timer.start()

    # --- showing ----------------------------------------------------------------------

    def _show_state(self) -> None:
        if self.key is None:
            self.state.setText("")
            self.counter.setText("")
            self.fill_ins.setText("")
            return
        row = self.rows[self.key]
        if self.key in self.drafts:
            style.set_status(self.state, style.WARN, _("Changed, not saved yet."))
        elif row.custom:
            style.set_status(self.state, style.INFO, _("The area's own wording."))
        else:
            style.set_status(self.state, style.INFO, _("The built-in wording."))
        if self.key[1] == MessageChannel.SMS.value:
            n = len(self.body.toPlainText())
            text = _("{n} of at most {limit} characters").format(
                n=format_number(n), limit=format_number(SMS_LIMIT))
            self.counter.setText(("⚠ " + text) if n > SMS_LIMIT else text)
        else:
            self.counter.setText("")
        names = _placeholders(*self.key[:2])
        self.fill_ins.setText(_("Fill-ins you can use: {names}").format(
            names="  ".join("{" + n + "}" for n in names)) if names else "")

    def _enable(self) -> None:
        chosen = self.key is not None
        email = self._is_email()
        for w in (self.subject_label, self.subject):
            w.setVisible(email or not chosen)
        self.subject.setEnabled(email)
        self.body.setEnabled(chosen)
        self.save.setEnabled(chosen)
        row = self.rows.get(self.key) if self.key is not None else None
        self.reset.setEnabled(bool(row is not None and (row.custom or self.key in self.drafts)))

    def update_preview(self) -> None:
        key = self.key
        if key is None:
            self.preview.setText("")
            self.preview_subject.setText("")
            return
        subject, body = self._value()
        messages = self.services.messages

        def shown(result: tuple[str | None, str]) -> None:
            if self.key != key:
                return
            self.show_errors({})
            rendered_subject, rendered = result
            self.preview_subject.setText(rendered_subject or "")
            self.preview_subject.setVisible(bool(rendered_subject))
            self.preview.setText(rendered)

        def refused(exc: ValidationFailed) -> None:
            if self.key != key:
                return
            self.show_errors(exc.errors)
            self.preview_subject.setText("")
            self.preview.setText(_("The preview shows once the text is fixed."))

        def failed(text: str) -> None:
            if self.key == key:
                self.preview.setText("⚠ " + text)

        QueryOp(self.runner, self, lambda: messages.preview(*key, subject, body),
                success=shown).on(ValidationFailed, refused).errors_to(failed) \
            .latest("preview").run_in_background()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each refused field's reason next to it; the first refused field is marked."""
        self.subject_error.show_message(_(errors["subject"]) if "subject" in errors else "")
        self.body_error.show_message(_(errors["body"]) if "body" in errors else "")
        other = [_(m) for f, m in errors.items() if f not in ("subject", "body")]
        self.error.show_message("\n".join(other))

    def show_error(self, text: str) -> None:
        self.error.show_message(text)

    # --- saving -----------------------------------------------------------------------

    def save_template(self) -> None:
        key = self.key
        if key is None:
            return
        subject, body = self._value()
        messages = self.services.messages
        self.save.setEnabled(False)

        def saved(row: TemplateRow) -> None:
            self.rows[key] = row
            self.drafts.pop(key, None)
            self.save.setEnabled(True)
            if self.key == key:
                self._show_state()
                self._enable()
                style.set_status(self.state, style.OK, _("Saved. Messages made from now on "
                                                         "use this wording."))

        def refused(exc: ValidationFailed) -> None:
            self.save.setEnabled(True)
            self.show_errors(exc.errors)
            (self.subject if "subject" in exc.errors and self._is_email()
             else self.body).setFocus()

        def failed(text: str) -> None:
            self.save.setEnabled(True)
            self.error.show_message(text)

        WriteOp(self.runner, self, lambda: messages.save_template(*key, subject, body),
                success=saved).on(ValidationFailed, refused).errors_to(failed) \
            .run_in_background()

    def save_reminder_time(self) -> None:
        value = self.reminder_time.time().toString("HH:mm")
        settings = self.services.settings

        def saved(_result: object) -> None:
            self.reminder_error.show_message("")
            style.set_status(self.state, style.OK, _(
                "Saved. Reminders go out the day before at {time}.").format(time=value))

        def refused(exc: ValidationFailed) -> None:
            self.reminder_error.show_message(_(exc.errors.get(REMINDER_SETTING, "")))
            self.reminder_time.setFocus()

        WriteOp(self.runner, self, lambda: settings.set(REMINDER_SETTING, value),
                success=saved).on(ValidationFailed, refused) \
            .errors_to(self.reminder_error.show_message).run_in_background()

    def reset_template(self) -> None:
        key = self.key
        if key is None:
            return
        messages = self.services.messages

        def done(row: TemplateRow) -> None:
            self.rows[key] = row
            self.drafts.pop(key, None)
            if self.key == key:
                self.key = None  # shown afresh, not kept as a draft
                self._show_chosen()
                style.set_status(self.state, style.OK, _("Back to the built-in wording."))

        WriteOp(self.runner, self, lambda: messages.reset_template(*key), success=done) \
            .errors_to(self.error.show_message).run_in_background()

    # --- words ------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.kind_label.setText(_("&Kind of message"))
        self.kind.setAccessibleName(_("Kind of message"))
        self.channel_label.setText(_("&Channel"))
        self.channel.setAccessibleName(_("Channel"))
        self.language_label.setText(_("&Language"))
        self.language.setAccessibleName(_("Language"))
        for i, (_code, name) in enumerate(LANGUAGES):
            self.language.setItemText(i, _(name))
        for i in range(self.kind.count()):
            self.kind.setItemText(i, kind_label(self.kind.itemData(i)))
        for i in range(self.channel.count()):
            self.channel.setItemText(i, channel_label(self.channel.itemData(i)))
        self.subject_label.setText(_("S&ubject"))
        self.subject.setAccessibleName(_("Subject"))
        self.body_label.setText(_("Te&xt"))
        self.body.setAccessibleName(_("Text of the message"))
        self.save.setText(_("&Save (Ctrl+S)"))
        self.save.setIcon(icon("mdi6.content-save", self.save))
        self.save.setAccessibleName(_("Save the template"))
        self.reset.setText(_("&Back to the built-in wording"))
        self.reset.setIcon(icon("mdi6.restore", self.reset))
        self.reset.setAccessibleName(_("Back to the built-in wording"))
        self.reminder_label.setText(_("Re&minders go out the day before at"))
        self.reminder_time.setAccessibleName(_("Time of the day-before reminders"))
        self.reminder_save.setText(_("Save the time"))
        self.reminder_save.setAccessibleName(_("Save the time of the reminders"))
        self.preview_box.setTitle(_("Preview with sample details"))
        self.preview_note.setText(_("As the customer would get it. The details are made up."))
        self.preview.setAccessibleName(_("Preview"))
        self._show_state()
