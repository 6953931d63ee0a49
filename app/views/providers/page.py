"""ProvidersPage: the register of service providers for everyone — a searchable list,
the chosen provider's details and contracts with the places used and left in the current
period; team leads and administrators add and edit providers and contracts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from babel.numbers import format_currency
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.dto.providers import ContractRow, ProviderDetail, ProviderRow
from app.i18n import N_, _, babel_locale, format_date, format_number
from app.rules.codes import SERVICE_LABELS, PlacesPeriod, ServiceKind
from app.rules.permissions import Permission, allowed
from app.services.errors import ValidationFailed
from app.views.common import ColumnFitter, heading_label, icon, list_table
from app.views.operations import QueryOp, WriteOp, refresh_on_change
from app.views.providers.dialogs import ContractDialog, ProviderDialog
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor
    from app.services.providers import ProvidersService
    from app.services.session import SessionInfo

SEARCH_DELAY_MS = 250


def euros(cents: int | None) -> str:
    if cents is None:
        return ""
    return format_currency(cents / 100, "EUR", locale=babel_locale())


def period_text(start: date, end: date) -> str:
    return f"{format_date(start)}–{format_date(end)}"


def price_text(row: ContractRow) -> str:
    if row.unit_price_cents is not None:
        return _("{amount} per customer").format(amount=euros(row.unit_price_cents))
    return _("{amount} lump sum").format(amount=euros(row.lump_sum_cents))


def places_text(row: ContractRow) -> str:
    if row.places is None:
        return _("No limit")
    return f"{format_number(row.places)} {_(SERVICE_LABELS[PlacesPeriod(row.places_per)])}"


def left_text(row: ContractRow) -> str:
    places = row.places_now
    if places.left is None:
        return "–"
    if not places.full:
        return format_number(places.left)
    if places.next_free is not None:
        return "⚠ " + _("Full; next free {period}").format(period=period_text(*places.next_free))
    return "⚠ " + _("Full")


def _provider_cells(row: ProviderRow) -> list[str]:
    return [row.name, row.business_id, format_number(row.contracts),
            "" if row.active else _("Inactive")]


class ProvidersPage(QWidget):
    def __init__(self, providers: ProvidersService, session: SessionInfo, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("providers_page")
        self.service, self.session, self.runner = providers, session, runner
        self.can_manage = False
        self.detail: ProviderDetail | None = None
        self.wanted: str | None = None  # the provider to select after a load
        self.dialog: ProviderDialog | ContractDialog | None = None
        self.loaded = False

        layout = QVBoxLayout(self)
        self.heading = heading_label()
        layout.addWidget(self.heading)
        # Above: the list and the chosen provider; below, the whole width: its contracts.
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.setChildrenCollapsible(False)
        layout.addWidget(vertical, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        vertical.addWidget(splitter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setObjectName("providers_search")
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        left_layout.addWidget(self.search_label)
        left_layout.addWidget(self.search)
        self.providers = SimpleTableModel(
            (N_("Name"), N_("Business ID"), N_("Contracts in force"), N_("State")),
            _provider_cells, self)
        self.table = list_table("providers_table", self.providers)
        ColumnFitter(self.table)
        left_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_provider = QPushButton()
        self.new_provider.setObjectName("providers_new")
        self.new_provider.clicked.connect(self.add_provider)
        buttons.addWidget(self.new_provider)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        splitter.addWidget(left)

        self.details_box = QGroupBox()
        details = QVBoxLayout(self.details_box)
        self.details = QLabel()
        self.details.setObjectName("providers_details")
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        details.addWidget(self.details, 1)
        provider_buttons = QHBoxLayout()
        self.edit_provider_button = QPushButton()
        self.edit_provider_button.setObjectName("providers_edit")
        self.edit_provider_button.clicked.connect(self.edit_provider)
        self.active_button = QPushButton()
        self.active_button.setObjectName("providers_active")
        self.active_button.clicked.connect(self.toggle_active)
        provider_buttons.addWidget(self.edit_provider_button)
        provider_buttons.addWidget(self.active_button)
        provider_buttons.addStretch(1)
        details.addLayout(provider_buttons)
        splitter.addWidget(self.details_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        self.contracts_box = QGroupBox()
        contracts = QVBoxLayout(self.contracts_box)
        self.contracts = SimpleTableModel(
            (N_("Service"), N_("Contract period"), N_("Places"), N_("Current places period"),
             N_("Used"), N_("Left"), N_("Price"), N_("Service points")),
            self._contract_cells, self)
        self.contract_table = list_table("providers_contracts", self.contracts)
        ColumnFitter(self.contract_table)
        self.contract_table.doubleClicked.connect(lambda _i: self.edit_contract())
        contracts.addWidget(self.contract_table, 1)
        contract_buttons = QHBoxLayout()
        self.new_contract_button = QPushButton()
        self.new_contract_button.setObjectName("providers_new_contract")
        self.new_contract_button.clicked.connect(self.add_contract)
        self.edit_contract_button = QPushButton()
        self.edit_contract_button.setObjectName("providers_edit_contract")
        self.edit_contract_button.clicked.connect(self.edit_contract)
        contract_buttons.addWidget(self.new_contract_button)
        contract_buttons.addWidget(self.edit_contract_button)
        contract_buttons.addStretch(1)
        contracts.addLayout(contract_buttons)
        bottom_layout.addWidget(self.contracts_box, 1)
        self.message = QLabel()
        self.message.setObjectName("providers_message")
        self.message.setWordWrap(True)
        bottom_layout.addWidget(self.message)
        vertical.addWidget(bottom)
        vertical.setStretchFactor(0, 1)
        vertical.setStretchFactor(1, 1)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.load)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.contract_table.selectionModel().selectionChanged.connect(self._update_buttons)
        refresh_on_change(runner, self, {"service_provider", "service_contract", "referral"},
                          self.refresh)
        self.retranslate()

    # --- texts ------------------------------------------------------------------------

    def _contract_cells(self, row: ContractRow) -> list[str]:
        places = row.places_now
        period = period_text(row.starts_on, row.ends_on)
        if not row.in_force:
            period += " (" + (_("not started") if row.starts_on > self.session.today()
                              else _("ended")) + ")"
        points = ", ".join(self._point_names.get(i, i) for i in row.service_point_ids) \
            or _("All service points")
        return [f"{_(SERVICE_LABELS[ServiceKind(row.service)])}\n{row.title}", period,
                places_text(row), period_text(places.period_start, places.period_end),
                format_number(places.used), left_text(row), price_text(row), points]

    @property
    def _point_names(self) -> dict[str, str]:
        return dict(self.detail.service_points) if self.detail else {}

    def retranslate(self) -> None:
        self.heading.setText(_("Service providers"))
        self.search_label.setText(_("Se&arch by name or business ID"))
        self.search.setAccessibleName(_("Search by name or business ID"))
        self.search.setPlaceholderText(_("Name or business ID"))
        self.table.setAccessibleName(_("Service providers"))
        self.new_provider.setText(_("&New provider…"))
        self.new_provider.setIcon(icon("mdi6.plus", self))
        self.details_box.setTitle(_("Provider"))
        self.details.setAccessibleName(_("Provider"))
        self.edit_provider_button.setText(_("&Edit provider…"))
        self.contracts_box.setTitle(_("Contracts"))
        self.contract_table.setAccessibleName(_("Contracts"))
        self.new_contract_button.setText(_("New &contract…"))
        self.new_contract_button.setIcon(icon("mdi6.file-document-plus-outline", self))
        self.edit_contract_button.setText(_("Edit con&tract…"))
        for button in (self.new_provider, self.edit_provider_button, self.new_contract_button,
                       self.edit_contract_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.providers.retranslate()
        self.contracts.retranslate()
        self._show_details()
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- the Page protocol ------------------------------------------------------------

    def activate(self, actor: Actor) -> None:
        self.can_manage = allowed(actor.role, Permission.PROVIDER_MANAGE)
        self._update_buttons()
        self.load()

    def deactivate(self) -> None:
        pass

    def refresh(self) -> None:
        if self.isVisible() and self.loaded:
            self.load()

    def clear(self) -> None:
        self.search_timer.stop()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.providers.set_rows([])
        self.contracts.set_rows([])
        self.detail = None
        self.wanted = None
        self.loaded = False
        self.can_manage = False
        self.message.setText("")
        self._show_details()
        self._update_buttons()

    def focus_first(self) -> None:
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, text: str) -> None:
        self.message.setText("⚠ " + text)

    # --- loading ----------------------------------------------------------------------

    def _search_now(self) -> None:
        self.search_timer.stop()
        self.load()
        self.table.setFocus()

    def load(self) -> None:
        query = self.search.text()
        current = self._selected_provider()
        if current is not None and self.wanted is None:
            self.wanted = current.id
        QueryOp(self.runner, self, lambda: self.service.providers(query),
                success=self._show_providers).latest("providers").run_in_background()

    def _show_providers(self, rows: list[ProviderRow]) -> None:
        self.loaded = True
        wanted, self.wanted = self.wanted, None
        self.providers.set_rows(rows)
        index = next((i for i, r in enumerate(rows) if r.id == wanted), 0 if rows else -1)
        if index >= 0:
            self.table.selectRow(index)
        else:
            self.detail = None
            self.contracts.set_rows([])
            self._show_details()
            self._update_buttons()

    def _selected_provider(self) -> ProviderRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.providers.row_at(rows[0].row()) if rows else None

    def _selected_contract(self) -> ContractRow | None:
        rows = self.contract_table.selectionModel().selectedRows()
        return self.contracts.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        row = self._selected_provider()
        if row is None:
            return
        self._load_detail(row.id)

    def _load_detail(self, provider_id: str, contract_id: str | None = None) -> None:
        today = self.session.today()

        def shown(detail: ProviderDetail) -> None:
            self.detail = detail
            self.contracts.set_rows(detail.contracts)
            index = next((i for i, c in enumerate(detail.contracts) if c.id == contract_id),
                         -1)
            if index >= 0:
                self.contract_table.selectRow(index)
            self._show_details()
            self._update_buttons()

        QueryOp(self.runner, self, lambda: self.service.provider(provider_id, today),
                success=shown).latest("detail").run_in_background()

    def _show_details(self) -> None:
        detail = self.detail
        if detail is None:
            self.details.setText(_("Choose a provider from the list."))
            return
        p = detail.provider
        lines = [p.name, _("Business ID: {id}").format(id=p.business_id)]
        if not p.active:
            lines.append("⚠ " + _("Inactive: no new referrals to this provider."))
        if p.contact_person:
            lines.append(_("Contact person: {name}").format(name=p.contact_person))
        contact = "   ".join(v for v in (p.phone, p.email) if v)
        if contact:
            lines.append(contact)
        address = ", ".join(v for v in (p.street_address,
                                        " ".join(x for x in (p.postal_code, p.post_office)
                                                 if x)) if v)
        if address:
            lines.append(address)
        self.details.setText("\n".join(lines))
        self.details.setAccessibleDescription(" ".join(lines))

    def _update_buttons(self, *_args: object) -> None:
        has_provider = self.detail is not None
        for button in (self.new_provider, self.edit_provider_button, self.active_button,
                       self.new_contract_button, self.edit_contract_button):
            button.setVisible(self.can_manage)
        self.edit_provider_button.setEnabled(has_provider)
        self.active_button.setEnabled(has_provider)
        self.new_contract_button.setEnabled(has_provider)
        self.edit_contract_button.setEnabled(self._selected_contract() is not None)
        active = self.detail is None or self.detail.provider.active
        self.active_button.setText(_("&Deactivate") if active else _("&Reactivate"))
        self.active_button.setAccessibleName(self.active_button.text().replace("&", ""))

    # --- writing ----------------------------------------------------------------------

    def add_provider(self) -> None:
        self._provider_dialog(ProviderDialog(None, self), None)

    def edit_provider(self) -> None:
        if self.detail is None:
            return
        p = self.detail.provider
        from app.dto.providers import ProviderInput

        data = ProviderInput(p.name, p.business_id, p.email, p.phone, p.contact_person,
                             p.street_address, p.postal_code, p.post_office)
        self._provider_dialog(ProviderDialog(data, self), p.id)

    def _provider_dialog(self, dialog: ProviderDialog, provider_id: str | None) -> None:
        def saved(row: ProviderRow) -> None:
            dialog.saved()
            self.message.setText(_("Saved."))
            self.wanted = row.id
            self.load()
            self._load_detail(row.id)

        def submit() -> None:
            data = dialog.value()
            WriteOp(self.runner, dialog,
                    lambda: self.service.save_provider(data, provider_id), success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    def toggle_active(self) -> None:
        if self.detail is None:
            return
        p = self.detail.provider

        def done(row: ProviderRow) -> None:
            self.message.setText(_("Saved."))
            self.wanted = row.id
            self.load()
            self._load_detail(row.id)

        WriteOp(self.runner, self, lambda: self.service.set_active(p.id, not p.active),
                success=done).run_in_background()

    def add_contract(self) -> None:
        if self.detail is None:
            return
        detail = self.detail
        dialog = ContractDialog(detail.provider.id, detail.service_points, None,
                                self.session.today(), self)
        self._contract_dialog(dialog, None)

    def edit_contract(self) -> None:
        row = self._selected_contract()
        if row is None or self.detail is None or not self.can_manage:
            return
        detail = self.detail

        def opened(data) -> None:
            dialog = ContractDialog(detail.provider.id, detail.service_points, data,
                                    self.session.today(), self)
            self._contract_dialog(dialog, row.id)

        QueryOp(self.runner, self, lambda: self.service.contract_form(row.id),
                success=opened).run_in_background()

    def _contract_dialog(self, dialog: ContractDialog, contract_id: str | None) -> None:
        def saved(row: ContractRow) -> None:
            dialog.saved()
            self.message.setText(_("Saved."))
            self._load_detail(row.provider_id, row.id)
            self.load()

        def submit() -> None:
            data = dialog.value()
            WriteOp(self.runner, dialog,
                    lambda: self.service.save_contract(data, contract_id), success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()
