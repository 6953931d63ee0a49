"""Adding and editing a service provider and a contract. What was typed stays until the
save succeeds; a refused field is named in the error line and takes the focus."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.dto.providers import ContractInput, ProviderInput
from app.i18n import N_, _
from app.rules.codes import SERVICE_LABELS, PlacesPeriod, ServiceKind
from app.views.form_dialog import FieldsFormDialog
from app.views.plans.fields import DATE_FORMAT_ERROR, DateEdit

PROVIDER_FIELDS = (
    ("name", N_("&Name"), 200),
    ("business_id", N_("&Business ID (Y-tunnus)"), 20),
    ("contact_person", N_("Contact pe&rson"), 200),
    ("email", N_("E&mail"), 200),
    ("phone", N_("&Phone"), 40),
    ("street_address", N_("Street &address"), 200),
    ("postal_code", N_("Postal &code"), 10),
    ("post_office", N_("Post &office"), 80),
)


class ProviderDialog(FieldsFormDialog):
    def __init__(self, data: ProviderInput | None = None, parent: QWidget | None = None) -> None:
        super().__init__("provider_dialog", parent)
        self.new = data is None
        data = data or ProviderInput()
        self.edits: dict[str, QLineEdit] = {}
        for name, text, limit in PROVIDER_FIELDS:
            edit = QLineEdit(getattr(data, name))
            edit.setMaxLength(limit)
            self.add_row(text, edit, f"provider_{name}")
            self.edits[name] = edit
            self.fields[name] = text
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New service provider") if self.new
                            else _("Edit the service provider"))
        self.retranslate_rows()
        self.edits["business_id"].setPlaceholderText("1234567-8")
        self.ok_text(_("&Save"), "provider_save")

    def value(self) -> ProviderInput:
        return ProviderInput(**{name: edit.text() for name, edit in self.edits.items()})


class ContractDialog(FieldsFormDialog):
    def __init__(self, provider_id: str, service_points: list[tuple[str, str]],
                 data: ContractInput | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("contract_dialog", parent)
        self.new = data is None
        self.provider_id = provider_id
        data = data or ContractInput(provider_id=provider_id, starts_on=today)
        self.service = QComboBox()
        for kind in ServiceKind:
            self.service.addItem("", kind.value)
        self.service.setCurrentIndex(self.service.findData(data.service) if data.service
                                     else -1)
        self.add_row(N_("Se&rvice"), self.service, "contract_service")
        self.title = QLineEdit(data.title)
        self.title.setMaxLength(200)
        self.add_row(N_("T&itle"), self.title, "contract_title")
        self.starts_on = DateEdit()
        self.starts_on.set_date(data.starts_on)
        self.add_row(N_("S&tarts on"), self.starts_on, "contract_starts_on")
        self.ends_on = DateEdit()
        self.ends_on.set_date(data.ends_on)
        self.add_row(N_("&Ends on"), self.ends_on, "contract_ends_on")
        self.places = QLineEdit(data.places)
        self.places.setMaxLength(6)
        self.add_row(N_("P&laces"), self.places, "contract_places")
        self.places_per = QComboBox()
        for period in PlacesPeriod:
            self.places_per.addItem("", period.value)
        self.places_per.setCurrentIndex(max(0, self.places_per.findData(data.places_per)))
        self.add_row(N_("Places &counted"), self.places_per, "contract_places_per")
        self.unit_price = QLineEdit(data.unit_price)
        self.unit_price.setMaxLength(20)
        self.add_row(N_("&Price per customer (€)"), self.unit_price, "contract_unit_price")
        self.lump_sum = QLineEdit(data.lump_sum)
        self.lump_sum.setMaxLength(20)
        self.add_row(N_("Or a lump s&um (€)"), self.lump_sum, "contract_lump_sum")
        self.points = QListWidget()
        self.points.setObjectName("contract_points")
        for point_id, name in service_points:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, point_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if point_id in data.service_point_ids
                               else Qt.CheckState.Unchecked)
            self.points.addItem(item)
        rows = max(1, min(len(service_points), 4))
        self.points.setMaximumHeight(self.points.fontMetrics().height() * (rows + 1) + 16)
        self.add_row(N_("Ser&vice points"), self.points, "contract_points")
        self.points_hint = QLabel()
        self.points_hint.setWordWrap(True)
        self.form.addRow("", self.points_hint)
        self.note = QLineEdit(data.note)
        self.note.setMaxLength(2000)
        self.add_row(N_("&Note"), self.note, "contract_note")
        self.fields = {
            "service": N_("Se&rvice"), "title": N_("T&itle"), "starts_on": N_("S&tarts on"),
            "ends_on": N_("&Ends on"), "places": N_("P&laces"),
            "places_per": N_("Places &counted"), "unit_price": N_("&Price per customer (€)"),
            "lump_sum": N_("Or a lump s&um (€)"), "service_point_ids": N_("Ser&vice points"),
            "note": N_("&Note")}
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New contract") if self.new else _("Edit the contract"))
        self.retranslate_rows()
        self.starts_on.retranslate()
        self.ends_on.retranslate()
        self.service.setPlaceholderText(_("Choose the service"))
        for i in range(self.service.count()):
            self.service.setItemText(i, _(SERVICE_LABELS[ServiceKind(self.service.itemData(i))]))
        for i in range(self.places_per.count()):
            self.places_per.setItemText(
                i, _(SERVICE_LABELS[PlacesPeriod(self.places_per.itemData(i))]))
        self.places.setPlaceholderText(_("empty: no limit"))
        self.points.setToolTip(_("None ticked: every service point of the area."))
        self.points_hint.setText(self.points.toolTip())
        self.points.setAccessibleDescription(self.points.toolTip())
        self.ok_text(_("&Save"), "contract_save")

    def _submit(self) -> None:
        for edit in (self.starts_on, self.ends_on):
            if edit.invalid:
                self.show_error(_(DATE_FORMAT_ERROR))
                edit.setFocus()
                return
        super()._submit()

    def value(self) -> ContractInput:
        points = tuple(
            self.points.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.points.count())
            if self.points.item(i).checkState() == Qt.CheckState.Checked)
        service = self.service.currentData() if self.service.currentIndex() >= 0 else ""
        return ContractInput(
            provider_id=self.provider_id, service=service or "", title=self.title.text(),
            starts_on=self.starts_on.date(), ends_on=self.ends_on.date(),
            places=self.places.text(), places_per=self.places_per.currentData() or "",
            unit_price=self.unit_price.text(), lump_sum=self.lump_sum.text(),
            service_point_ids=points, note=self.note.text())
