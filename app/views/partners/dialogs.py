"""Adding and editing a partner organisation and one of its people (#24). What was typed
stays until the save succeeds; a refused field is named in the error line and takes the
focus."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from app.dto.partners import PartnerOrgInput, PartnerOrgRow, PartnerPersonInput
from app.i18n import N_, _
from app.rules.codes import PARTNER_LABELS, PartnerKind
from app.views.form_dialog import FieldsFormDialog

ORG_FIELDS = (
    ("phone", N_("&Phone"), 40),
    ("email", N_("E&mail"), 200),
    ("street_address", N_("Street &address"), 200),
    ("postal_code", N_("Postal &code"), 10),
    ("post_office", N_("Post &office"), 80),
)
ORG_NAME = N_("&Name")
ORG_KIND = N_("&Kind")
ACTIVE = N_("Ac&tive")


class PartnerOrgDialog(FieldsFormDialog):
    def __init__(self, data: PartnerOrgInput | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("partner_org_dialog", parent)
        self.new = data is None
        data = data or PartnerOrgInput(name="", kind="")
        self.name = QLineEdit(data.name)
        self.name.setMaxLength(200)
        self.add_row(ORG_NAME, self.name, "partner_org_name")
        self.kind = QComboBox()
        for kind in PartnerKind:
            self.kind.addItem("", kind.value)
        self.kind.setCurrentIndex(self.kind.findData(data.kind) if data.kind else -1)
        self.add_row(ORG_KIND, self.kind, "partner_org_kind")
        self.edits: dict[str, QLineEdit] = {}
        for name, text, limit in ORG_FIELDS:
            edit = QLineEdit(getattr(data, name))
            edit.setMaxLength(limit)
            self.add_row(text, edit, f"partner_org_{name}")
            self.edits[name] = edit
            self.fields[name] = text
        self.active = QCheckBox()
        self.active.setChecked(data.active)
        self.add_row(ACTIVE, self.active, "partner_org_active")
        self.fields.update({"name": ORG_NAME, "kind": ORG_KIND, "active": ACTIVE})
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New partner organisation") if self.new
                            else _("Edit the partner organisation"))
        self.retranslate_rows()
        self.kind.setPlaceholderText(_("Choose the kind"))
        for i in range(self.kind.count()):
            self.kind.setItemText(i, _(PARTNER_LABELS[PartnerKind(self.kind.itemData(i))]))
        self.active.setToolTip(_("An inactive organisation is not offered for new consents "
                                 "or meetings."))
        self.ok_text(_("&Save"), "partner_org_save")

    def value(self) -> PartnerOrgInput:
        kind = self.kind.currentData() if self.kind.currentIndex() >= 0 else ""
        return PartnerOrgInput(name=self.name.text(), kind=kind or "",
                               active=self.active.isChecked(),
                               **{name: edit.text() for name, edit in self.edits.items()})


PERSON_FIELDS = (
    ("full_name", N_("&Name"), 160),
    ("title", N_("&Job title"), 120),
    ("phone", N_("&Phone"), 40),
    ("email", N_("E&mail"), 200),
)
PERSON_ORG = N_("&Organisation")


class PartnerPersonDialog(FieldsFormDialog):
    def __init__(self, orgs: list[PartnerOrgRow], data: PartnerPersonInput,
                 new: bool = True, parent: QWidget | None = None) -> None:
        super().__init__("partner_person_dialog", parent)
        self.new = new
        self.org = QComboBox()
        for org in orgs:
            self.org.addItem(org.name, org.id)
        self.org.setCurrentIndex(self.org.findData(data.partner_org_id))
        self.org.setEnabled(new)  # a person stays with their organisation
        self.add_row(PERSON_ORG, self.org, "partner_person_org")
        self.edits: dict[str, QLineEdit] = {}
        for name, text, limit in PERSON_FIELDS:
            edit = QLineEdit(getattr(data, name))
            edit.setMaxLength(limit)
            self.add_row(text, edit, f"partner_person_{name}")
            self.edits[name] = edit
            self.fields[name] = text
        self.active = QCheckBox()
        self.active.setChecked(data.active)
        self.add_row(ACTIVE, self.active, "partner_person_active")
        self.fields.update({"partner_org_id": PERSON_ORG, "active": ACTIVE})
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New person of a partner") if self.new
                            else _("Edit the partner's person"))
        self.retranslate_rows()
        self.org.setPlaceholderText(_("Choose the organisation"))
        self.edits["title"].setPlaceholderText(_("e.g. social worker"))
        self.active.setToolTip(_("An inactive person is not offered for new meetings."))
        self.ok_text(_("&Save"), "partner_person_save")

    def value(self) -> PartnerPersonInput:
        org = self.org.currentData() if self.org.currentIndex() >= 0 else ""
        return PartnerPersonInput(partner_org_id=org or "", active=self.active.isChecked(),
                                  **{name: edit.text() for name, edit in self.edits.items()})
