"""PartnersPage: the register of partner organisations (#24) — the wellbeing services
county, Kela, Ohjaamo, schools, Työkanava, third-sector organisations — and their people,
whom a customer's consent lets into multi-professional meetings and plans.

Everyone reads it (the desk looks a partner's number up); partner.manage (coaches, team
leads, administrators) adds and edits organisations and people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.dto.partners import (
    PartnerOrgInput,
    PartnerOrgRow,
    PartnerPersonInput,
    PartnerPersonRow,
)
from app.i18n import N_, _, format_number
from app.rules.codes import PARTNER_LABELS, PartnerKind
from app.rules.permissions import Permission, allowed
from app.services.errors import ValidationFailed
from app.views import style
from app.views.common import ColumnFitter, heading_label, icon, list_table
from app.views.operations import QueryOp, WriteOp, refresh_on_change
from app.views.partners.dialogs import PartnerOrgDialog, PartnerPersonDialog
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor
    from app.services.partners import PartnerService

SEARCH_DELAY_MS = 250
PARTNER_TABLES = {"partner_org", "partner_person"}


def kind_text(code: str) -> str:
    return _(PARTNER_LABELS[PartnerKind(code)]) if code in set(PartnerKind) else code


def _org_cells(row: PartnerOrgRow) -> list[str]:
    # No column of its own for the state: the organisations share the page with their
    # people at 150 % text; an inactive one says so after its name.
    name = row.name if row.active else _("{name} (inactive)").format(name=row.name)
    return [name, kind_text(row.kind), format_number(row.people)]


def _person_cells(row: PartnerPersonRow) -> list[str]:
    return [row.full_name, row.title or "", row.phone or "", row.email or "",
            "" if row.active else _("Inactive")]


class PartnersPage(QWidget):
    def __init__(self, partners: PartnerService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partners_page")
        self.service, self.runner = partners, runner
        self.can_manage = False
        self.loaded = False
        self.all_orgs: list[PartnerOrgRow] = []
        self.wanted: str | None = None  # the organisation to select after a load
        self.wanted_person: str | None = None
        self.dialog: PartnerOrgDialog | PartnerPersonDialog | None = None

        layout = QVBoxLayout(self)
        self.heading = heading_label()
        layout.addWidget(self.heading)
        self.intro = QLabel()
        self.intro.setObjectName("partners_intro")
        self.intro.setWordWrap(True)
        style.secondary(self.intro)
        layout.addWidget(self.intro)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setObjectName("partners_search")
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        left_layout.addWidget(self.search_label)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        self.inactive = QCheckBox()
        self.inactive.setObjectName("partners_show_inactive")
        search_row.addWidget(self.inactive)
        left_layout.addLayout(search_row)
        self.orgs = SimpleTableModel((N_("Organisation"), N_("Kind"), N_("People")),
                                     _org_cells, self)
        self.table = list_table("partners_table", self.orgs)
        ColumnFitter(self.table)
        self.table.doubleClicked.connect(lambda _i: self.edit_org())
        left_layout.addWidget(self.table, 1)
        org_buttons = QHBoxLayout()
        self.new_org = QPushButton()
        self.new_org.setObjectName("partners_new")
        self.new_org.clicked.connect(self.add_org)
        self.edit_org_button = QPushButton()
        self.edit_org_button.setObjectName("partners_edit")
        self.edit_org_button.clicked.connect(self.edit_org)
        org_buttons.addWidget(self.new_org)
        org_buttons.addWidget(self.edit_org_button)
        org_buttons.addStretch(1)
        left_layout.addLayout(org_buttons)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.details_box = QGroupBox()
        details = QVBoxLayout(self.details_box)
        self.details = QLabel()
        self.details.setObjectName("partners_details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        details.addWidget(self.details)
        right_layout.addWidget(self.details_box)
        self.people_box = QGroupBox()
        people = QVBoxLayout(self.people_box)
        self.people = SimpleTableModel((N_("Name"), N_("Job title"), N_("Phone"), N_("Email"),
                                        N_("State")), _person_cells, self)
        self.people_table = list_table("partners_people", self.people)
        ColumnFitter(self.people_table)
        self.people_table.doubleClicked.connect(lambda _i: self.edit_person())
        people.addWidget(self.people_table, 1)
        person_buttons = QHBoxLayout()
        self.new_person = QPushButton()
        self.new_person.setObjectName("partners_new_person")
        self.new_person.clicked.connect(self.add_person)
        self.edit_person_button = QPushButton()
        self.edit_person_button.setObjectName("partners_edit_person")
        self.edit_person_button.clicked.connect(self.edit_person)
        person_buttons.addWidget(self.new_person)
        person_buttons.addWidget(self.edit_person_button)
        person_buttons.addStretch(1)
        people.addLayout(person_buttons)
        right_layout.addWidget(self.people_box, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        self.message = QLabel()
        self.message.setObjectName("partners_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._filter)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.inactive.toggled.connect(lambda _on: self.load())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.people_table.selectionModel().selectionChanged.connect(self._update_buttons)
        refresh_on_change(runner, self, PARTNER_TABLES, self.refresh)
        self.retranslate()

    # --- texts ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(_("Partners"))
        self.intro.setText(_("The organisations the area works with in multi-professional "
                             "work and their people. A customer's consent, recorded on "
                             "their card, lets a partner into meetings and plans."))
        self.search_label.setText(_("Se&arch by name"))
        self.search.setAccessibleName(_("Search partners by name"))
        self.search.setPlaceholderText(_("Organisation or kind"))
        self.inactive.setText(_("Show &inactive"))
        self.inactive.setAccessibleName(_("Show inactive organisations and people"))
        self.table.setAccessibleName(_("Partner organisations"))
        self.new_org.setText(_("&New organisation…"))
        self.new_org.setIcon(icon("mdi6.plus", self))
        self.edit_org_button.setText(_("&Edit organisation…"))
        self.edit_org_button.setIcon(icon("mdi6.pencil", self))
        self.details_box.setTitle(_("Organisation"))
        self.details.setAccessibleName(_("Organisation"))
        self.people_box.setTitle(_("People"))
        self.people_table.setAccessibleName(_("The organisation's people"))
        self.new_person.setText(_("New &person…"))
        self.new_person.setIcon(icon("mdi6.account-plus", self))
        self.edit_person_button.setText(_("Edit pe&rson…"))
        for button in (self.new_org, self.edit_org_button, self.new_person,
                       self.edit_person_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.orgs.retranslate()
        self.people.retranslate()
        self._show_details()
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- the Page protocol ------------------------------------------------------------

    def activate(self, actor: Actor) -> None:
        self.can_manage = allowed(actor.role, Permission.PARTNER_MANAGE)
        self._update_buttons()
        self.load()

    def deactivate(self) -> None:
        pass

    def refresh(self) -> None:
        if self.isVisible() and self.loaded:
            self.load()

    def clear(self) -> None:
        self.search_timer.stop()
        for widget in (self.search, self.inactive):
            widget.blockSignals(True)
        self.search.clear()
        self.inactive.setChecked(False)
        for widget in (self.search, self.inactive):
            widget.blockSignals(False)
        self.all_orgs = []
        self.orgs.set_rows([])
        self.people.set_rows([])
        self.wanted = self.wanted_person = None
        self.loaded = False
        self.can_manage = False
        self.message.setText("")
        self._show_details()
        self._update_buttons()

    def focus_first(self) -> None:
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, text: str) -> None:
        style.set_status(self.message, style.WARN, text)

    # --- loading ----------------------------------------------------------------------

    def _search_now(self) -> None:
        self.search_timer.stop()
        self._filter()
        self.table.setFocus()

    def load(self) -> None:
        current = self.selected_org()
        if current is not None and self.wanted is None:
            self.wanted = current.id
        include = self.inactive.isChecked()
        QueryOp(self.runner, self, lambda: self.service.orgs(include),
                success=self._show_orgs).latest("partners").run_in_background()

    def _show_orgs(self, rows: list[PartnerOrgRow]) -> None:
        self.loaded = True
        self.all_orgs = rows
        self._filter()

    def _filter(self) -> None:
        """The organisations whose name or kind has the search's words."""
        current = self.selected_org()
        wanted = self.wanted or (current.id if current else None)
        self.wanted = None
        words = self.search.text().casefold().split()
        rows = [r for r in self.all_orgs
                if all(w in f"{r.name} {kind_text(r.kind)}".casefold() for w in words)]
        self.orgs.set_rows(rows)
        index = next((i for i, r in enumerate(rows) if r.id == wanted), 0 if rows else -1)
        if index >= 0:
            self.table.selectRow(index)
            self._selection_changed()
        else:
            self.people.set_rows([])
            self._show_details()
            self._update_buttons()

    def selected_org(self) -> PartnerOrgRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.orgs.row_at(rows[0].row()) if rows else None

    def selected_person(self) -> PartnerPersonRow | None:
        rows = self.people_table.selectionModel().selectedRows()
        return self.people.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        org = self.selected_org()
        self._show_details()
        self._update_buttons()
        if org is None:
            return
        include = self.inactive.isChecked()
        org_id = org.id

        def shown(rows: list[PartnerPersonRow]) -> None:
            current = self.selected_org()
            if current is None or current.id != org_id:
                return
            wanted, self.wanted_person = self.wanted_person, None
            self.people.set_rows(rows)
            index = next((i for i, r in enumerate(rows) if r.id == wanted), -1)
            if index >= 0:
                self.people_table.selectRow(index)
            self._update_buttons()

        QueryOp(self.runner, self, lambda: self.service.people(org_id, include),
                success=shown).latest("partner_people").run_in_background()

    def _show_details(self) -> None:
        org = self.selected_org()
        if org is None:
            self.details.setText(_("Choose an organisation from the list."))
            self.details.setAccessibleDescription("")
            return
        lines = [org.name, kind_text(org.kind)]
        if not org.active:
            lines.append("⚠ " + _("Inactive: not offered for new consents or meetings."))
        contact = "   ".join(v for v in (org.phone, org.email) if v)
        if contact:
            lines.append(contact)
        address = ", ".join(v for v in (org.street_address, " ".join(
            x for x in (org.postal_code, org.post_office) if x)) if v)
        if address:
            lines.append(address)
        self.details.setText("\n".join(lines))
        self.details.setAccessibleDescription(" ".join(lines))

    def _update_buttons(self, *_args: object) -> None:
        for button in (self.new_org, self.edit_org_button, self.new_person,
                       self.edit_person_button):
            button.setVisible(self.can_manage)
        has_org = self.selected_org() is not None
        self.edit_org_button.setEnabled(has_org)
        self.new_person.setEnabled(has_org)
        self.edit_person_button.setEnabled(self.selected_person() is not None)

    # --- writing ----------------------------------------------------------------------

    def add_org(self) -> None:
        if self.can_manage:
            self._org_dialog(PartnerOrgDialog(None, self), None)

    def edit_org(self) -> None:
        org = self.selected_org()
        if org is None or not self.can_manage:
            return
        data = PartnerOrgInput(org.name, org.kind, org.phone or "", org.email or "",
                               org.street_address or "", org.postal_code or "",
                               org.post_office or "", org.active)
        self._org_dialog(PartnerOrgDialog(data, self), org.id)

    def _org_dialog(self, dialog: PartnerOrgDialog, org_id: str | None) -> None:
        back_to = self.new_org if org_id is None else self.table

        def saved(row: PartnerOrgRow) -> None:
            dialog.saved()
            style.set_status(self.message, style.OK, _("Saved: {name}.").format(name=row.name))
            self.wanted = row.id
            if not row.active:
                self.inactive.setChecked(True)  # loads
            else:
                self.load()

        def submit() -> None:
            data = dialog.value()
            WriteOp(self.runner, dialog, lambda: self.service.save_org(org_id, data),
                    success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        self._open(dialog, submit, back_to)

    def add_person(self) -> None:
        org = self.selected_org()
        if org is None or not self.can_manage:
            return
        dialog = PartnerPersonDialog(self.all_orgs, PartnerPersonInput(org.id, ""), True, self)
        self._person_dialog(dialog, None)

    def edit_person(self) -> None:
        person = self.selected_person()
        if person is None or not self.can_manage:
            return
        data = PartnerPersonInput(person.partner_org_id, person.full_name, person.title or "",
                                  person.phone or "", person.email or "", person.active)
        dialog = PartnerPersonDialog(self.all_orgs, data, False, self)
        self._person_dialog(dialog, person.id)

    def _person_dialog(self, dialog: PartnerPersonDialog, person_id: str | None) -> None:
        back_to = self.new_person if person_id is None else self.people_table

        def saved(row: PartnerPersonRow) -> None:
            dialog.saved()
            style.set_status(self.message, style.OK,
                             _("Saved: {name}.").format(name=row.full_name))
            self.wanted, self.wanted_person = row.partner_org_id, row.id
            if not row.active:
                self.inactive.setChecked(True)  # loads
            else:
                self.load()

        def submit() -> None:
            data = dialog.value()
            WriteOp(self.runner, dialog, lambda: self.service.save_person(person_id, data),
                    success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        self._open(dialog, submit, back_to)

    def _open(self, dialog: PartnerOrgDialog | PartnerPersonDialog, submit: object,
              back_to: QWidget) -> None:
        dialog.submit_handler = submit  # type: ignore[assignment]
        self.dialog = dialog

        def closed(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            if back_to.isVisible():
                back_to.setFocus()

        dialog.finished.connect(closed)
        dialog.open()
