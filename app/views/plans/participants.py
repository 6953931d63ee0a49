"""Choosing who takes part in a customer's multi-professional work (#24): a partner
organisation's person, whose consent state is said in words beside the choice, or a
staff member. The plan editor's participants section and the meeting dialog both use
them; the services check the consent again whatever the screen allowed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.dto.plans import PlanParticipantItem
from app.i18n import N_, _
from app.rules.partners import MEETING_NEEDS
from app.services.errors import PermissionDenied
from app.views import style
from app.views.common import FieldError
from app.views.plans.fields import Row, lock
from app.views.plans.rows import name_fields

if TYPE_CHECKING:
    from app.services.registry import Services

CONSENT_OK = N_("The customer's consent to share the plan with this partner is in force.")


@dataclass
class PartnerPerson:
    """What the pickers need of a partner person (a PartnerPersonRow, or a test's)."""

    id: str
    partner_org_id: str
    org_name: str
    full_name: str
    title: str | None = None


@dataclass
class StaffMember:
    id: str
    name: str
    organisation: str = ""


@dataclass
class Directory:
    """The partner people and staff one can add for a customer, and for each partner
    organisation why the customer's consent does not let it take part (None: it does)."""

    people: list[PartnerPerson] = field(default_factory=list)
    refusals: dict[str, str | None] = field(default_factory=dict)
    staff: list[StaffMember] = field(default_factory=list)

    def refusal(self, partner_org_id: str) -> str | None:
        return self.refusals.get(partner_org_id, N_(
            "The customer has not given consent to share information with this partner."))

    def person(self, person_id: str | None) -> PartnerPerson | None:
        return next((p for p in self.people if p.id == person_id), None)


def load_directory(services: Services, customer_id: str) -> Directory:
    """In the database pool: the active partner people, the customer's consent state for
    each of their organisations (MEETING_NEEDS: the plan) and the staff."""
    people = [PartnerPerson(p.id, p.partner_org_id, p.org_name, p.full_name, p.title)
              for p in services.partners.people()]
    people.sort(key=lambda p: (p.org_name.casefold(), p.full_name.casefold()))
    refusals = {org: services.consents.check(customer_id, org, MEETING_NEEDS.value)
                for org in {p.partner_org_id for p in people}}
    try:
        points = dict(services.appointments.service_points())
        staff = [StaffMember(w.id, w.name, points.get(w.service_point_id, ""))
                 for w in services.appointments.workers()]
    except PermissionDenied:  # a role that books nothing: no staff to choose from
        staff = []
    return Directory(people, refusals, staff)


def person_text(person: PartnerPerson) -> str:
    title = f", {person.title}" if person.title else ""
    return f"{person.full_name}{title} – {person.org_name}"


def show_consent(label: QLabel, refusal: str | None, chosen: bool = True) -> None:
    """The consent state in words, with a sign as well as colour."""
    if not chosen:
        style.set_status(label, None, "")
    elif refusal is None:
        style.set_status(label, style.OK, _(CONSENT_OK))
    else:
        style.set_status(label, style.WARN, _(refusal))
    label.setAccessibleName(label.text())
    label.setVisible(bool(label.text()))


class PartnerPersonPicker(QWidget):
    """A partner person from the register, and beside the choice whether the customer's
    consent lets them take part (the refusal in words when it does not)."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.combo = QComboBox()
        self.combo.setObjectName(name)
        self.combo.setMinimumContentsLength(30)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.consent = QLabel()
        self.consent.setObjectName(f"{name}_consent")
        self.consent.setWordWrap(True)
        layout.addWidget(self.combo)
        layout.addWidget(self.consent)
        self.directory = Directory()
        self.combo.currentIndexChanged.connect(self._chosen)
        self.retranslate()

    def retranslate(self) -> None:
        self.combo.setAccessibleName(_("Partner person"))
        if self.combo.count():
            self.combo.setItemText(0, _("Choose a partner person…"))
        self._chosen()

    def set_directory(self, directory: Directory, exclude: set[str] | None = None) -> None:
        """The people to choose from (not those already taking part)."""
        self.directory = directory
        current = self.person_id()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(_("Choose a partner person…"), None)
        for person in directory.people:
            if person.id not in (exclude or set()):
                self.combo.addItem(person_text(person), person.id)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.blockSignals(False)
        self._chosen()

    def person_id(self) -> str | None:
        return self.combo.currentData()

    def person(self) -> PartnerPerson | None:
        return self.directory.person(self.person_id())

    def refusal(self) -> str | None:
        person = self.person()
        return self.directory.refusal(person.partner_org_id) if person else None

    def allowed(self) -> bool:
        return self.person() is not None and self.refusal() is None

    def _chosen(self) -> None:
        show_consent(self.consent, self.refusal(), self.person() is not None)
        self.changed.emit()


class StaffPicker(QComboBox):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.staff: list[StaffMember] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(_("Staff member"))
        if self.count():
            self.setItemText(0, _("Choose a staff member…"))

    def set_staff(self, staff: list[StaffMember], exclude: set[str] | None = None) -> None:
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(_("Choose a staff member…"), None)
        self.staff = staff
        for member in staff:
            if member.id not in (exclude or set()):
                where = f" – {member.organisation}" if member.organisation else ""
                self.addItem(f"{member.name}{where}", member.id)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)

    def member(self) -> StaffMember | None:
        return next((m for m in self.staff if m.id == self.currentData()), None)


class ChooseParticipantDialog(QDialog):
    """Add a partner person or a staff member to the plan's participants."""

    def __init__(self, kind: str, directory: Directory, exclude: set[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"plan_add_{kind}_dialog")
        layout = QVBoxLayout(self)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        form = QFormLayout()
        layout.addLayout(form)
        self.who_label = QLabel()
        self.partner = PartnerPersonPicker("plan_add_partner_person")
        self.staff = StaffPicker("plan_add_staff_member")
        if kind == "partner":
            self.partner.set_directory(directory, exclude)
            self.who_label.setBuddy(self.partner.combo)
            form.addRow(self.who_label, self.partner)
            self.partner.changed.connect(self._update)
        else:
            self.staff.set_staff(directory.staff, exclude)
            self.who_label.setBuddy(self.staff)
            form.addRow(self.who_label, self.staff)
            self.staff.currentIndexChanged.connect(self._update)
        self.error = FieldError()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("plan_add_participant_buttons")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        layout.addStrut(520)
        self.chosen: PlanParticipantItem | None = None
        self.retranslate()
        self._update()

    def retranslate(self) -> None:
        partner = self.kind == "partner"
        self.setWindowTitle(_("Add a partner person") if partner else _("Add a staff member"))
        self.explain.setText(
            _("A partner person is written into the plan only while the customer's consent "
              "to share the plan with their organisation is in force.") if partner else
            _("A staff member of the employment services who takes part in the plan."))
        self.who_label.setText(_("Partner &person") if partner else _("Staff &member"))
        self.partner.retranslate()
        self.staff.retranslate()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Add"))
        ok.setAccessibleName(_("Add to the participants"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.partner.allowed() if self.kind == "partner"
                      else self.staff.member() is not None)
        self.error.show_message("")

    def _submit(self) -> None:
        if self.kind == "partner":
            person = self.partner.person()
            if person is None or not self.partner.allowed():
                return
            self.chosen = PlanParticipantItem(person.full_name, person.org_name,
                                              person.title or "", partner_person_id=person.id)
        else:
            member = self.staff.member()
            if member is None:
                return
            self.chosen = PlanParticipantItem(member.name, member.organisation,
                                              staff_id=member.id)
        self.accept()


class ParticipantRow(Row):
    """One participant of the plan: who (as printed), their role, what they are
    responsible for and the services they bring. Someone from the partner register or
    the staff keeps their name and organisation as chosen."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.item = PlanParticipantItem("")
        self.kind = QLabel()
        self.kind.setObjectName("plan_participant_kind")
        self.kind.setWordWrap(True)
        self.name, self.organisation, self.role = QLineEdit(), QLineEdit(), QLineEdit()
        self.name.setMaxLength(160)
        self.organisation.setMaxLength(160)
        self.role.setMaxLength(200)
        self.responsibilities = QPlainTextEdit()
        self.responsibilities.setTabChangesFocus(True)
        self.responsibilities.setFixedHeight(
            self.responsibilities.fontMetrics().lineSpacing() * 2 + 14)
        self.services = QLineEdit()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.labels = {n: QLabel() for n in ("name", "organisation", "role",
                                             "responsibilities", "services")}
        for name, widget in (("name", self.name), ("organisation", self.organisation),
                             ("role", self.role), ("responsibilities", self.responsibilities),
                             ("services", self.services)):
            self.labels[name].setBuddy(widget)
            form.addRow(self.labels[name], widget)
        form.insertRow(0, self.kind)
        self.line.addLayout(form, 1)
        self.finish()
        self.refusal: str | None = None
        for edit in (self.name, self.organisation, self.role, self.services):
            edit.textChanged.connect(self.changed)
        self.responsibilities.textChanged.connect(self.changed)
        self.retranslate()

    def linked(self) -> bool:
        return bool(self.item.partner_person_id or self.item.staff_id)

    def retranslate(self) -> None:
        for name, text in (("name", _("Name")), ("organisation", _("Organisation")),
                           ("role", _("Role")), ("responsibilities", _("Responsible for")),
                           ("services", _("Services they bring"))):
            self.labels[name].setText(text)
        self._show_kind()

    def _show_kind(self) -> None:
        if self.item.partner_person_id:
            text = _("Partner person")
            if self.refusal:
                text += " · " + _(self.refusal)
            style.set_status(self.kind, style.WARN if self.refusal else None, text)
        elif self.item.staff_id:
            style.set_status(self.kind, None, _("Staff member"))
        else:
            style.set_status(self.kind, None, _("Other participant"))
        self.kind.setAccessibleName(self.kind.text())

    def set_refusal(self, refusal: str | None) -> None:
        """A partner person whose organisation the customer's consent no longer covers:
        said on the row (the save is refused with the reason)."""
        self.refusal = refusal if self.item.partner_person_id else None
        self._show_kind()

    def renumber(self, number: int, prefix: str, noun: str) -> None:
        super().renumber(number, prefix, noun)
        name_fields(self, prefix, number, (
            ("name", self.name, N_("Participant {n}: name")),
            ("organisation", self.organisation, N_("Participant {n}: organisation")),
            ("role", self.role, N_("Participant {n}: role")),
            ("responsibilities", self.responsibilities,
             N_("Participant {n}: responsible for")),
            ("services", self.services, N_("Participant {n}: services")),
        ))

    def first_field(self) -> QWidget:
        return self.role if self.linked() else self.name

    def value(self) -> PlanParticipantItem:
        return PlanParticipantItem(
            self.name.text(), self.organisation.text(), self.role.text(),
            self.responsibilities.toPlainText(), self.services.text(),
            self.item.partner_person_id, self.item.staff_id)

    def set_value(self, item: PlanParticipantItem) -> None:
        self.item = item
        self.name.setText(item.name)
        self.organisation.setText(item.organisation)
        self.role.setText(item.role)
        self.responsibilities.setPlainText(item.responsibilities)
        self.services.setText(item.services)
        self._show_kind()

    def fields(self) -> list[QWidget]:
        return [self.name, self.organisation, self.role, self.responsibilities, self.services]

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        if self.linked():  # as in the register: who they are is not typed over
            lock(self.name, True)
            lock(self.organisation, True)


def exclude_ids(items: list[Any]) -> set[str]:
    """The people already among `items` (PlanParticipantItems)."""
    return {i.partner_person_id or i.staff_id for i in items
            if i.partner_person_id or i.staff_id}

