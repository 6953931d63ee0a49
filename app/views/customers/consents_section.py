"""The customer card's consents (#24): which partner organisations the customer agreed
to share information with, what information, for what purpose, how they said so and for
how long; a consent in force, withdrawn or expired is told apart in words and colour.

Everyone who reads the customer reads their consents (customer.read); recording and
withdrawing one needs consent.record (coaches, team leads, administrators). A withdrawal
asks first and is never undone: a new consent is recorded instead."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.partners import ConsentInput, ConsentRow, PartnerOrgRow
from app.i18n import N_, _, format_date, ngettext
from app.rules.codes import PARTNER_LABELS, ConsentHow, ConsentInfo, Role
from app.rules.permissions import Permission, allowed
from app.services.errors import ValidationFailed
from app.views import style
from app.views.common import ColumnFitter, FieldError, icon, list_table
from app.views.form_dialog import FormDialog
from app.views.messages.texts import how_label
from app.views.operations import QueryOp, WriteOp, drop_pending, refresh_on_change
from app.views.plans.fields import DATE_FORMAT_ERROR, DateEdit
from app.views.simple_model import Index, SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.registry import Services

CONSENT_TABLES = {"customer_consent", "partner_org"}
CONSENT_COLUMNS = (N_("Partner"), N_("Information"), N_("Purpose"), N_("Valid"),
                   N_("State"), N_("Given"))


def info_label(code: str) -> str:
    return _(PARTNER_LABELS[ConsentInfo(code)]) if code in set(ConsentInfo) else code


def kind_label(code: str) -> str:
    from app.rules.codes import PartnerKind

    return _(PARTNER_LABELS[PartnerKind(code)]) if code in set(PartnerKind) else code


def state_of(row: ConsentRow, today: date) -> tuple[str, str]:
    """The consent's state in words, and its status kind (style.OK/WARN/OVERDUE/INFO)."""
    if row.withdrawn_on is not None and row.withdrawn_on <= today:
        return (_("Withdrawn {date}").format(date=format_date(row.withdrawn_on)),
                style.OVERDUE)
    if row.valid_until is not None and row.valid_until < today:
        return _("Expired {date}").format(date=format_date(row.valid_until)), style.WARN
    if row.valid_from > today:
        return (_("Not yet in force (from {date})").format(date=format_date(row.valid_from)),
                style.INFO)
    if row.withdrawn_on is not None:  # withdrawn from a later day
        return (_("In force; withdrawn from {date}").format(
            date=format_date(row.withdrawn_on)), style.WARN)
    return _("In force"), style.OK


def valid_text(row: ConsentRow) -> str:
    if row.valid_until is None:
        return _("from {date}, until further notice").format(date=format_date(row.valid_from))
    return f"{format_date(row.valid_from)}–{format_date(row.valid_until)}"


def given_text(row: ConsentRow) -> str:
    text = how_label(row.given_how)
    if row.recorded_by_name:
        text = _("{how}, recorded by {name}").format(how=text, name=row.recorded_by_name)
    if row.withdrawn_on is not None and row.withdrawn_by_name:
        text += "\n" + _("withdrawn by {name}").format(name=row.withdrawn_by_name)
    return text


class ConsentTableModel(SimpleTableModel):
    """The consents, the state cell in its status colour with its symbol."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(CONSENT_COLUMNS, self._cells, parent)
        self.today = today

    def _cells(self, row: ConsentRow) -> list[str]:
        text, kind = state_of(row, self.today)
        return [row.org_name, ", ".join(info_label(i) for i in row.information),
                row.purpose or "", valid_text(row), f"{style.status_symbol(kind)} {text}",
                given_text(row)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ForegroundRole and index.isValid()
                and index.column() == CONSENT_COLUMNS.index(N_("State"))):
            row = self.rows[index.row()]
            return style.status_color(state_of(row, self.today)[1])
        return super().data(index, role)


class CustomerConsentsSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_consents")
        self.rows: list[ConsentRow] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("customer_consents_title")
        style.heading(self.title)
        top.addWidget(self.title)
        top.addStretch(1)
        self.record = QPushButton()
        self.record.setObjectName("customer_consent_record")
        self.withdraw = QPushButton()
        self.withdraw.setObjectName("customer_consent_withdraw")
        top.addWidget(self.record)
        top.addWidget(self.withdraw)
        layout.addLayout(top)
        # Its day comes with the rows (show_consents: the context clock's today).
        self.model = ConsentTableModel(date.min, self)
        self.table = list_table("customer_consents_table", self.model)
        ColumnFitter(self.table)
        layout.addWidget(self.table, 1)
        self.state = QLabel()
        self.state.setObjectName("customer_consents_state")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.may_record = False
        self.retranslate()

    def retranslate(self) -> None:
        self.record.setText(_("Record a &consent…"))
        self.record.setIcon(icon("mdi6.handshake-outline", self))
        self.record.setAccessibleName(_("Record a consent"))
        self.withdraw.setText(_("&Withdraw the consent…"))
        self.withdraw.setIcon(icon("mdi6.cancel", self))
        self.withdraw.setAccessibleName(_("Withdraw the chosen consent"))
        self.table.setAccessibleName(_("Consents to share information with partners"))
        self.model.retranslate()
        self.show_consents(self.rows, self.model.today)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def say(self, text: str, kind: str | None = None) -> None:
        style.set_status(self.state, kind, text)

    def show_error(self, text: str) -> None:
        self.say(text, style.WARN)

    def set_may_record(self, on: bool) -> None:
        self.may_record = on
        self.record.setVisible(on)
        self.withdraw.setVisible(on)
        self._update_buttons()

    def show_consents(self, rows: list[ConsentRow] | None, today: date) -> None:
        selected = self.selected()
        self.rows = rows
        self.model.today = today
        self.model.set_rows(rows or [])
        if rows is None:
            self.title.setText(_("Consents"))
        elif not rows:
            self.title.setText(_("Consents: none recorded"))
        else:
            in_force = sum(1 for r in rows if r.in_force)
            self.title.setText(ngettext("Consents: {n} in force of {total}",
                                        "Consents: {n} in force of {total}", in_force).format(
                n=in_force, total=len(rows)))
        if selected is not None and rows:
            index = next((i for i, r in enumerate(rows) if r.id == selected.id), -1)
            if index >= 0:
                self.table.selectRow(index)
        self._update_buttons()

    def selected(self) -> ConsentRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected()
        # Withdrawn already (never undone) or expired: nothing left to withdraw.
        self.withdraw.setEnabled(
            row is not None and row.withdrawn_on is None
            and (row.valid_until is None or row.valid_until >= self.model.today))


class ConsentDialog(FormDialog):
    """Recording a consent: the partner, the purpose, what information, how given and
    for how long. What was typed stays until the save succeeds."""

    def __init__(self, orgs: list[PartnerOrgRow], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__("consent_dialog", parent)
        self.org = QComboBox()
        for org in orgs:
            self.org.addItem(org.name, org.id)
            self.org.setItemData(self.org.count() - 1, kind_label(org.kind),
                                 Qt.ItemDataRole.ToolTipRole)
        self.org.setCurrentIndex(-1)
        self.add_row(N_("&Partner"), self.org, "consent_partner")
        self.org_error = FieldError()
        self.form.addRow(self.org_error)
        self.purpose = QLineEdit()
        self.purpose.setMaxLength(500)
        self.add_row(N_("P&urpose"), self.purpose, "consent_purpose")
        self.purpose_error = FieldError()
        self.form.addRow(self.purpose_error)
        self.info_caption = QLabel()
        self.form.addRow(self.info_caption)
        self.info: dict[str, QCheckBox] = {}
        for code in ConsentInfo:
            box = QCheckBox()
            box.setObjectName(f"consent_info_{code.value}")
            self.info[code.value] = box
            self.form.addRow(box)
        self.info_error = FieldError()
        self.form.addRow(self.info_error)
        self.how = QComboBox()
        for how in ConsentHow:
            self.how.addItem("", how.value)
        self.add_row(N_("&How given"), self.how, "consent_how")
        self.valid_from = DateEdit()
        self.valid_from.set_date(today)
        self.add_row(N_("Valid &from"), self.valid_from, "consent_valid_from")
        self.valid_from_error = FieldError()
        self.form.addRow(self.valid_from_error)
        self.valid_until = DateEdit()
        self.add_row(N_("Valid u&ntil (empty: until withdrawn)"), self.valid_until,
                     "consent_valid_until")
        self.valid_until_error = FieldError()
        self.form.addRow(self.valid_until_error)
        self.finish_layout()
        self.no_partners = not orgs
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Record a consent"))
        if self.no_partners:  # nothing to choose: say where partners are added
            self.error.show_message(_("The partner register has no organisations yet: "
                                      "add them on the Partners page."))
        self.org.setPlaceholderText(_("Choose the partner"))
        self.purpose.setPlaceholderText(_("e.g. a multi-professional plan"))
        self.info_caption.setText(_("Information the customer agrees to share:"))
        for code, box in self.info.items():
            box.setText(info_label(code))
            box.setAccessibleName(_("Share: {information}").format(information=info_label(code)))
        for i in range(self.how.count()):
            self.how.setItemText(i, how_label(self.how.itemData(i)))
        self.valid_from.retranslate()
        self.valid_until.retranslate()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Record the consent"))
        ok.setObjectName("consent_save")
        ok.setAccessibleName(_("Record the consent"))

    def _field_widgets(self) -> dict[str, tuple[QWidget, FieldError]]:
        return {"partner_org_id": (self.org, self.org_error),
                "purpose": (self.purpose, self.purpose_error),
                "information": (self.info[ConsentInfo.CONTACT.value], self.info_error),
                "valid_from": (self.valid_from, self.valid_from_error),
                "valid_until": (self.valid_until, self.valid_until_error)}

    def value(self) -> ConsentInput | None:
        """The form's values; None (and the date marked) while a date is no date."""
        errors = {name: DATE_FORMAT_ERROR for name, edit in
                  (("valid_from", self.valid_from), ("valid_until", self.valid_until))
                  if edit.invalid}
        if not self.valid_from.text().strip():
            errors["valid_from"] = N_("Write the day the consent was given.")
        if errors:
            self.show_errors(errors)
            return None
        day = self.valid_from.date()
        assert day is not None
        return ConsentInput(
            partner_org_id=self.org.currentData() if self.org.currentIndex() >= 0 else "",
            purpose=self.purpose.text().strip(),
            information=tuple(c.value for c in ConsentInfo if self.info[c.value].isChecked()),
            given_how=self.how.currentData(), valid_from=day,
            valid_until=self.valid_until.date())

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each refused field's reason under it; the first refused field takes focus."""
        fields = self._field_widgets()
        first = None
        for name, (widget, error) in fields.items():
            error.show_message(_(errors[name]) if name in errors else "")
            if name in errors and first is None:
                first = widget
        other = [_(m) for f, m in errors.items() if f not in fields]
        self.show_error("\n".join(other) if other else _("Check the highlighted fields."))
        self.layout_.activate()
        self.resize(self.width(), max(self.height(), self.heightForWidth(self.width()),
                                      self.sizeHint().height()))
        if first is not None:
            first.setFocus()


class WithdrawDialog(FormDialog):
    """Withdrawing a consent: asks first, with the day it takes effect."""

    def __init__(self, row: ConsentRow, today: date, parent: QWidget | None = None) -> None:
        super().__init__("consent_withdraw_dialog", parent)
        self.row = row
        self.question = QLabel()
        self.question.setObjectName("consent_withdraw_question")
        self.question.setWordWrap(True)
        self.form.addRow(self.question)
        self.on = DateEdit()
        self.on.set_date(today)
        self.add_row(N_("Withdrawn &on"), self.on, "consent_withdraw_on")
        self.on_error = FieldError()
        self.form.addRow(self.on_error)
        self.note = QLabel()
        self.note.setWordWrap(True)
        style.secondary(self.note)
        self.form.addRow(self.note)
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        row = self.row
        self.setWindowTitle(_("Withdraw the consent"))
        self.question.setText(_(
            "Withdraw the customer's consent to share information with {partner} "
            "({information})?").format(partner=row.org_name, information=", ".join(
                info_label(i) for i in row.information)))
        self.note.setText(_("From that day nothing more is shared with the partner under "
                            "this consent. A withdrawal cannot be undone: if the customer "
                            "agrees again, record a new consent."))
        self.on.retranslate()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Withdraw the consent"))
        ok.setObjectName("consent_withdraw_confirm")
        ok.setAccessibleName(_("Withdraw the consent"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("&Keep it"))
        cancel.setAccessibleName(_("Keep the consent"))
        cancel.setDefault(True)

    def value(self) -> date | None:
        day = self.on.date()
        if day is None:
            self.show_errors({"on": DATE_FORMAT_ERROR if self.on.text().strip()
                              else N_("Write the day the consent was withdrawn.")})
        return day

    def show_errors(self, errors: dict[str, str]) -> None:
        messages = [_(m) for m in errors.values()]
        self.on_error.show_message("\n".join(messages))
        self.show_error(_("Check the highlighted fields."))
        self.on.setFocus()


class CustomerConsentsController:
    """Loads the open customer's consents; records and withdraws them. Never shows a
    previous customer's."""

    def __init__(self, section: CustomerConsentsSection, services: Services,
                 runner: TaskRunner, parent: QWidget) -> None:
        self.section, self.services, self.runner, self.parent = section, services, runner, parent
        self.customer_id: str | None = None
        self.role: Role | None = None
        self.dialog: FormDialog | None = None
        section.record.clicked.connect(self.record)
        section.withdraw.clicked.connect(self.withdraw)
        refresh_on_change(runner, section, CONSENT_TABLES, self._changed)

    @property
    def may_record(self) -> bool:
        return self.role is not None and allowed(self.role, Permission.CONSENT_RECORD)

    def set_role(self, role: Role | None) -> None:
        self.role = role
        self.section.set_may_record(self.may_record)

    def load(self, customer_id: str) -> None:
        if customer_id != self.customer_id:
            self.section.show_consents(None, self.services.session.today())
            self.section.say("")
        self.customer_id = customer_id
        consents = self.services.consents
        today = self.services.session.today()

        def loaded(rows: list[ConsentRow]) -> None:
            if self.customer_id == customer_id:
                self.section.show_consents(rows, today)

        QueryOp(self.runner, self.parent, lambda: consents.consents(customer_id),
                success=loaded).latest("customer_consents") \
            .errors_to(self.section.show_error).run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)

    def forget(self) -> None:
        drop_pending(self.parent, "customer_consents")
        self.customer_id = None
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None
        self.section.show_consents(None, self.services.session.today())
        self.section.say("")

    def _open(self, dialog: FormDialog, back_to: QWidget) -> None:
        self.dialog = dialog

        def closed(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            if back_to.isVisible() and back_to.isEnabled():
                back_to.setFocus()
            elif self.section.record.isVisible():
                self.section.record.setFocus()

        dialog.finished.connect(closed)
        dialog.open()

    def record(self) -> None:
        customer_id = self.customer_id
        if customer_id is None or not self.may_record:
            return
        partners, consents = self.services.partners, self.services.consents
        today = self.services.session.today()

        def opened(orgs: list[PartnerOrgRow]) -> None:
            if self.customer_id != customer_id:
                return
            dialog = ConsentDialog(orgs, today, self.parent)

            def saved(row: ConsentRow) -> None:
                dialog.saved()
                if self.customer_id == customer_id:
                    self.section.say(_("Consent recorded: {partner}.").format(
                        partner=row.org_name), style.OK)
                    self.load(customer_id)

            def submit() -> None:
                data = dialog.value()
                if data is None:
                    dialog.buttons.setEnabled(True)
                    return
                WriteOp(self.runner, dialog, lambda: consents.record(customer_id, data),
                        success=saved).on(ValidationFailed, lambda exc: dialog.show_errors(
                            exc.errors)).run_in_background()

            dialog.submit_handler = submit
            self._open(dialog, self.section.record)

        QueryOp(self.runner, self.parent, partners.orgs, success=opened) \
            .errors_to(self.section.show_error).run_in_background()

    def withdraw(self) -> None:
        row, customer_id = self.section.selected(), self.customer_id
        if row is None or customer_id is None or not self.may_record \
                or row.withdrawn_on is not None:
            return
        consents = self.services.consents
        dialog = WithdrawDialog(row, self.services.session.today(), self.parent)

        def done(new: ConsentRow) -> None:
            dialog.saved()
            if self.customer_id == customer_id:
                self.section.say(_("Consent withdrawn: {partner}.").format(
                    partner=new.org_name), style.OK)
                self.load(customer_id)

        def submit() -> None:
            day = dialog.value()
            if day is None:
                dialog.buttons.setEnabled(True)
                return
            WriteOp(self.runner, dialog, lambda: consents.withdraw(row.id, day),
                    success=done).on(ValidationFailed, lambda exc: dialog.show_errors(
                        exc.errors)).run_in_background()

        dialog.submit_handler = submit
        self._open(dialog, self.section.table)
