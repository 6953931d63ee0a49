"""The customer card's "Messages" tab (#23): the customer's contact preferences (the
channels they agreed to, their language for messages, an opt-out, how and when they said
so) with the phone number and e-mail address messages would go to; the messages sent or
to be sent, with their status and, for a failure, the reason; and, for coaches, the
employment plan sent by e-mail as an encrypted PDF whose password is shown once, to tell
the customer (or sent by text message when they agreed to that).

Everyone reads it (messages are for every worker: the desk prints letters); recording
the preferences needs customer.edit, the plan needs plan.print."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.messages import MessageRow, PlanSent, PreferenceInput, PreferenceRow
from app.i18n import N_, _, format_date, format_number, ngettext, parse_date
from app.rules.codes import ConsentHow, Role
from app.rules.permissions import Permission, allowed
from app.services.errors import ValidationFailed
from app.views import style
from app.views.common import ColumnFitter, FieldError, icon, list_table
from app.views.form_dialog import FormDialog
from app.views.messages.texts import (
    channel_label,
    given_text,
    how_label,
    kind_label,
    message_time,
    reason_text,
    status_label,
    when,
    where_text,
)
from app.views.operations import QueryOp, WriteOp, drop_pending, refresh_on_change
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.registry import Services

MESSAGE_TABLES = {"message", "contact_preference", "customer"}
LANGUAGES = (("fi", N_("Finnish")), ("sv", N_("Swedish")), ("en", N_("English")))
HISTORY_COLUMNS = (N_("When"), N_("Kind"), N_("Channel"), N_("Status"), N_("Sent to"),
                   N_("Reason"))


def _language_name(code: str | None) -> str:
    return _(dict(LANGUAGES).get(code or "", code or ""))


def _history_cells(row: MessageRow) -> list[str]:
    return [when(message_time(row)), kind_label(row.kind), channel_label(row.channel),
            status_label(row.status), where_text(row), reason_text(row)]


def channel_text(agreed: bool, address: str | None, missing: str) -> str:
    """"Agreed · 040 123 4567", "Not agreed · x@y.fi", "Not agreed · no mobile number"."""
    word = _("Agreed") if agreed else _("Not agreed")
    return f"{word}  ·  {address or missing}"


def summary(pref: PreferenceRow) -> tuple[str, str]:
    """What the preferences mean for the worker, and its status kind."""
    if pref.opted_out:
        return (_("The customer does not want messages: nothing is sent, printed letters "
                  "neither. Tell them at the desk or by phone."), style.WARN)
    sms = pref.sms and bool(pref.phone)
    email = pref.email and bool(pref.email_address)
    if not (sms or email):
        return (_("No text messages or e-mail agreed: letters are printed (the print list "
                  "of the service point)."), style.INFO)
    if sms and email:
        return _("Messages go by text message and e-mail."), style.OK
    if sms:
        return _("Messages go by text message."), style.OK
    return _("Messages go by e-mail."), style.OK


class CustomerMessagesSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_messages")
        self.preference: PreferenceRow | None = None
        self.customer_language: str | None = None  # the card's service language
        # Side by side: the preferences beside the history, so that the history has the
        # tab's whole height on an 800-pixel screen.
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        self.box = QGroupBox()
        self.box.setObjectName("customer_preferences")
        box = QVBoxLayout(self.box)
        self.summary = QLabel()
        self.summary.setObjectName("customer_preferences_summary")
        self.summary.setWordWrap(True)
        box.addWidget(self.summary)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, tuple[QLabel, QLabel]] = {}
        for key in ("sms", "email", "language", "given"):
            caption, value = QLabel(), QLabel()
            value.setObjectName(f"customer_preferences_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = (caption, value)
            self.form.addRow(caption, value)
        box.addLayout(self.form)
        buttons = QVBoxLayout()
        self.edit = QPushButton()
        self.edit.setObjectName("customer_preferences_edit")
        self.send_plan = QPushButton()
        self.send_plan.setObjectName("customer_send_plan")
        self.send_plan.setVisible(False)  # plan.print holders: see the controller
        buttons.addWidget(self.edit, 0, Qt.AlignmentFlag.AlignLeft)
        buttons.addWidget(self.send_plan, 0, Qt.AlignmentFlag.AlignLeft)
        box.addLayout(buttons)
        box.addStretch(1)
        outer.addWidget(self.box, 1)
        history = QWidget()
        layout = QVBoxLayout(history)
        layout.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(history, 2)
        self.title = QLabel()
        self.title.setObjectName("customer_messages_title")
        style.heading(self.title)
        layout.addWidget(self.title)
        self.model = SimpleTableModel(HISTORY_COLUMNS, _history_cells, self)
        self.table = list_table("customer_messages_table", self.model)
        ColumnFitter(self.table)
        layout.addWidget(self.table, 1)
        self.state = QLabel()
        self.state.setObjectName("customer_messages_state")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.retranslate()

    def say(self, text: str, kind: str | None = None) -> None:
        style.set_status(self.state, kind, text)

    def show_error(self, text: str) -> None:
        self.say(text, style.WARN)

    def show_preference(self, pref: PreferenceRow | None) -> None:
        self.preference = pref
        if pref is None:
            self.summary.setText("")
            for _caption, value in self.values.values():
                value.setText("")
            return
        text, kind = summary(pref)
        style.set_status(self.summary, kind, text)
        self.summary.setAccessibleName(text)
        self.values["sms"][1].setText(channel_text(pref.sms, pref.phone,
                                                   _("no mobile number on the card")))
        self.values["email"][1].setText(channel_text(pref.email, pref.email_address,
                                                     _("no e-mail address on the card")))
        self.values["language"][1].setText(self._language_text(pref.language))
        self.values["given"][1].setText(
            given_text(pref.given_how, pref.given_on, pref.recorded_by_name)
            if pref.recorded else _("Not asked yet"))

    def _language_text(self, chosen: str | None) -> str:
        """The language messages go in: the one chosen, else the customer's service
        language when messages are written in it, else Finnish (as the messenger does)."""
        if chosen:
            return _language_name(chosen)
        own = self.customer_language
        if own in dict(LANGUAGES):
            return _("{language} (the customer's service language)").format(
                language=_language_name(own))
        if own:
            return _("{language} (messages are only in Finnish, Swedish and English)").format(
                language=_language_name("fi"))
        return _("The customer's service language")

    def show_history(self, rows: list[MessageRow] | None) -> None:
        self.model.set_rows(rows or [])
        if rows is None:
            self.title.setText(_("Messages"))
            return
        failed = sum(1 for r in rows if r.status in ("failed", "held"))
        text = (ngettext("Messages: {n}", "Messages: {n}", len(rows)).format(
            n=format_number(len(rows))) if rows else _("Messages: none yet"))
        if failed:
            text += "  ·  ⚠ " + ngettext("{n} failed", "{n} failed", failed).format(
                n=format_number(failed))
        self.title.setText(text)

    def retranslate(self) -> None:
        self.box.setTitle(_("Contact preferences"))
        for key, caption in (("sms", _("Text messages")), ("email", _("E-mail")),
                             ("language", _("Language of messages")),
                             ("given", _("Given"))):
            self.values[key][0].setText(caption + ":")
        self.edit.setText(_("Edit contact &preferences…"))
        self.edit.setIcon(icon("mdi6.message-cog-outline", self))
        self.edit.setAccessibleName(_("Edit contact preferences"))
        self.send_plan.setText(_("Send the plan by e-&mail…"))
        self.send_plan.setIcon(icon("mdi6.email-lock-outline", self))
        self.send_plan.setAccessibleName(_("Send the employment plan by e-mail"))
        self.send_plan.setToolTip(_("The plan goes as an encrypted PDF; you tell the "
                                    "customer its password."))
        self.table.setAccessibleName(_("Messages to the customer"))
        self.model.retranslate()
        self.show_preference(self.preference)
        self.show_history(self.model.rows if self.model.rows else None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class PreferenceDialog(FormDialog):
    """The customer's channels, language and opt-out, how and when given. A refused
    field (text messages without a number) says why under it; what was chosen stays."""

    def __init__(self, pref: PreferenceRow, today: date, parent: QWidget | None) -> None:
        super().__init__("preference_dialog", parent)
        self.pref = pref
        self.sms = QCheckBox()
        self.sms.setObjectName("preference_sms")
        self.sms.setChecked(pref.sms)
        self.sms_error = FieldError()
        self.email = QCheckBox()
        self.email.setObjectName("preference_email")
        self.email.setChecked(pref.email)
        self.email_error = FieldError()
        self.opted_out = QCheckBox()
        self.opted_out.setObjectName("preference_opted_out")
        self.opted_out.setChecked(pref.opted_out)
        # Each its own row, the reason under it a row of its own: a word-wrapped label in
        # a nested widget would not get the height of its second line.
        for box, error in ((self.sms, self.sms_error), (self.email, self.email_error),
                           (self.opted_out, None)):
            self.form.addRow(box)
            if error is not None:
                self.form.addRow(error)
        self.language = QComboBox()
        self.language.addItem("", "")
        for code, _name in LANGUAGES:
            self.language.addItem("", code)
        self.language.setCurrentIndex(max(0, self.language.findData(pref.language or "")))
        self.add_row(N_("&Language of messages"), self.language, "preference_language")
        self.language_error = FieldError()
        self.form.addRow(self.language_error)
        self.how = QComboBox()
        for code in ConsentHow:
            self.how.addItem("", code.value)
        self.how.setCurrentIndex(max(0, self.how.findData(pref.given_how)))
        self.add_row(N_("&How given"), self.how, "preference_how")
        self.given_on = QLineEdit(format_date(pref.given_on or today, lang="fi"))
        self.given_on.setMaxLength(10)
        self.add_row(N_("&Date (d.m.yyyy)"), self.given_on, "preference_given_on")
        self.given_on_error = FieldError()
        self.form.addRow(self.given_on_error)
        self.note = QLabel()
        self.note.setWordWrap(True)
        style.secondary(self.note)
        self.layout_.addWidget(self.note)
        self.finish_layout()
        self.opted_out.toggled.connect(self._opted_out)
        self._opted_out(pref.opted_out)
        self.retranslate()

    def _opted_out(self, on: bool) -> None:
        """Opting out withdraws every channel: they cannot be ticked meanwhile."""
        for box in (self.sms, self.email):
            if on:
                box.setChecked(False)
            box.setEnabled(not on)

    def retranslate(self) -> None:
        super().retranslate()
        pref = self.pref
        self.setWindowTitle(_("Contact preferences"))
        self.sms.setText(_("&Text messages to {number}").format(number=pref.phone)
                         if pref.phone else _("&Text messages (no mobile number on the card)"))
        self.sms.setAccessibleName(self.sms.text().replace("&", ""))
        self.email.setText(_("&E-mail to {address}").format(address=pref.email_address)
                           if pref.email_address
                           else _("&E-mail (no e-mail address on the card)"))
        self.email.setAccessibleName(self.email.text().replace("&", ""))
        self.opted_out.setText(_("Does &not want any messages, printed letters neither"))
        self.opted_out.setAccessibleName(self.opted_out.text().replace("&", ""))
        self.language.setItemText(0, _("The customer's service language"))
        for i, (_code, name) in enumerate(LANGUAGES, start=1):
            self.language.setItemText(i, _(name))
        for i in range(self.how.count()):
            self.how.setItemText(i, how_label(self.how.itemData(i)))
        self.note.setText(_("Nothing goes to a channel the customer has not agreed to. "
                            "Without an agreed channel, letters are printed. Add a missing "
                            "number or address with Edit on the card."))

    def value(self) -> PreferenceInput | None:
        """The form's values; None (and the date field marked) when the date is no date."""
        try:
            day = parse_date(self.given_on.text())
        except ValueError:
            day = None
        if day is None:
            self.show_errors({"given_on": N_("Write the date as d.m.yyyy, e.g. 3.12.2026.")})
            return None
        return PreferenceInput(sms=self.sms.isChecked(), email=self.email.isChecked(),
                               opted_out=self.opted_out.isChecked(),
                               language=self.language.currentData() or None,
                               given_how=self.how.currentData(), given_on=day)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each refused field's reason under it; the first refused field takes focus."""
        fields = {"sms": (self.sms, self.sms_error), "email": (self.email, self.email_error),
                  "language": (self.language, self.language_error),
                  "given_on": (self.given_on, self.given_on_error)}
        first = None
        for name, (widget, error) in fields.items():
            error.show_message(_(errors[name]) if name in errors else "")
            if name in errors and first is None:
                first = widget
        other = [_(m) for f, m in errors.items() if f not in fields]
        self.show_error("\n".join(other) if other else _("Check the highlighted fields."))
        # Grown to the reasons' wrapped lines (a shown dialog keeps its size otherwise).
        self.layout_.activate()
        self.resize(self.width(), max(self.height(), self.heightForWidth(self.width())))
        if first is not None:
            first.setFocus()


class PlanDialog(FormDialog):
    """Sending the plan: how the customer gets the password."""

    def __init__(self, pref: PreferenceRow, parent: QWidget | None) -> None:
        super().__init__("plan_send_dialog", parent)
        self.pref = pref
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.tell = QRadioButton()
        self.tell.setObjectName("plan_password_tell")
        self.by_sms = QRadioButton()
        self.by_sms.setObjectName("plan_password_sms")
        self.group = QButtonGroup(self)
        for button in (self.tell, self.by_sms):
            self.group.addButton(button)
            self.form.addRow(button)
        self.may_sms = pref.sms and bool(pref.phone) and not pref.opted_out
        self.by_sms.setEnabled(self.may_sms)
        self.tell.setChecked(True)
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        pref = self.pref
        self.setWindowTitle(_("Send the plan by e-mail"))
        self.intro.setText(_("The employment plan goes to {address} as a PDF that opens "
                             "only with a password. How does the customer get the "
                             "password?").format(address=pref.email_address or "–"))
        self.tell.setText(_("&I tell it to the customer now (shown on the next screen)"))
        self.tell.setAccessibleName(self.tell.text().replace("&", ""))
        if self.may_sms:
            self.by_sms.setText(_("By &text message to {number}").format(number=pref.phone))
        else:
            self.by_sms.setText(_("By &text message (not agreed, or no mobile number)"))
        self.by_sms.setAccessibleName(self.by_sms.text().replace("&", ""))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Send the plan"))


class PasswordDialog(QDialog):
    """The plan's password, shown once and large, to tell the customer. Nothing keeps
    it: closing the dialog forgets it."""

    def __init__(self, sent: PlanSent, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_password_dialog")
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.password = QLabel(sent.password)
        self.password.setObjectName("plan_password")
        self.password.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.password.font()
        font.setFamily("monospace")
        font.setStyleHint(font.StyleHint.Monospace)
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        font.setLetterSpacing(font.SpacingType.AbsoluteSpacing, 3)
        self.password.setFont(font)
        layout.addWidget(self.password)
        self.note = QLabel()
        self.note.setWordWrap(True)
        style.secondary(self.note)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.setObjectName("plan_password_buttons")
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)
        layout.addStrut(460)
        self.by_sms = sent.password_message is not None
        self.finished.connect(self._forget_password)
        self.setWindowTitle(_("The plan's password"))
        self.intro.setText(_("The plan was sent. Tell the customer this password: the PDF "
                             "opens only with it."))
        self.password.setAccessibleName(_("Password: {password}").format(
            password=" ".join(sent.password)))
        self.note.setText(
            _("It also goes to the customer by text message. It is shown only now: it is "
              "not kept anywhere you can look it up.") if self.by_sms else
            _("It is shown only now: it is not kept anywhere you can look it up."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            _("&Done, the customer has it"))

    def _forget_password(self, _result: int) -> None:
        self.password.clear()
        self.password.setAccessibleName("")


class CustomerMessagesController:
    """Loads the open customer's preferences and messages; records the preferences;
    sends the plan. Never shows a previous customer's."""

    def __init__(self, section: CustomerMessagesSection, services: Services,
                 runner: TaskRunner, parent: QWidget) -> None:
        self.section, self.services, self.runner, self.parent = section, services, runner, parent
        self.customer_id: str | None = None
        self.role: Role | None = None
        self.dialog: QDialog | None = None
        section.edit.clicked.connect(self.edit)
        section.send_plan.clicked.connect(self.send_plan)
        refresh_on_change(runner, section, MESSAGE_TABLES, self._changed)

    @property
    def may_edit(self) -> bool:
        return self.role is not None and allowed(self.role, Permission.CUSTOMER_EDIT)

    @property
    def may_send_plan(self) -> bool:
        return (self.role is not None and allowed(self.role, Permission.PLAN_PRINT)
                and allowed(self.role, Permission.MESSAGE_SEND))

    def set_role(self, role: Role | None) -> None:
        self.role = role
        self.section.edit.setVisible(self.may_edit)
        self.section.send_plan.setVisible(self.may_send_plan)

    def load(self, customer_id: str, language: str | None = None) -> None:
        """`language`: the customer's service language (the card's), which messages
        use unless another is chosen."""
        self.section.customer_language = language
        if customer_id != self.customer_id:
            self.section.show_preference(None)
            self.section.show_history(None)
            self.section.say("")
        self.customer_id = customer_id
        messages = self.services.messages

        def loaded(found: tuple[PreferenceRow, list[MessageRow]]) -> None:
            if self.customer_id == customer_id:
                self.section.show_preference(found[0])
                self.section.show_history(found[1])

        QueryOp(self.runner, self.parent,
                lambda: (messages.preference(customer_id), messages.history(customer_id)),
                success=loaded).latest("customer_messages").errors_to(self.section.show_error) \
            .run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id, self.section.customer_language)

    def forget(self) -> None:
        drop_pending(self.parent, "customer_messages")
        self.customer_id = None
        self.section.customer_language = None
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None
        self.section.show_preference(None)
        self.section.show_history(None)
        self.section.say("")

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog

        def closed(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            if self.section.edit.isVisible():
                self.section.edit.setFocus()

        dialog.finished.connect(closed)
        dialog.open()

    def edit(self) -> None:
        pref, customer_id = self.section.preference, self.customer_id
        if pref is None or customer_id is None or not self.may_edit:
            return
        dialog = PreferenceDialog(pref, self.services.session.today(), self.parent)
        messages = self.services.messages

        def saved(row: PreferenceRow) -> None:
            dialog.saved()
            if self.customer_id == customer_id:
                self.section.show_preference(row)
                self.section.say(_("Contact preferences saved."), style.OK)

        def submit() -> None:
            data = dialog.value()
            if data is None:
                dialog.buttons.setEnabled(True)
                return
            WriteOp(self.runner, dialog, lambda: messages.save_preference(customer_id, data),
                    success=saved).on(ValidationFailed, lambda exc: dialog.show_errors(
                        exc.errors)).run_in_background()

        dialog.submit_handler = submit
        self._open(dialog)

    def send_plan(self) -> None:
        pref, customer_id = self.section.preference, self.customer_id
        if pref is None or customer_id is None or not self.may_send_plan:
            return
        dialog = PlanDialog(pref, self.parent)
        messages = self.services.messages

        def sent(result: PlanSent) -> None:
            dialog.saved()
            if self.customer_id != customer_id:
                # Signed out, locked or another customer meanwhile: the password is never
                # shown to whoever is at the screen now. The plan still goes (and its
                # password by SMS when chosen); otherwise the worker sends it again.
                return
            self.section.say(_("The plan was sent by e-mail: the messenger sends it next."),
                             style.OK)
            shown = PasswordDialog(result, self.parent)
            self._open(shown)

        def submit() -> None:
            by_sms = dialog.by_sms.isChecked()
            WriteOp(self.runner, dialog, lambda: messages.send_plan(customer_id, by_sms),
                    success=sent).run_in_background()

        dialog.submit_handler = submit
        self._open(dialog)
