"""The queue's services (#24), kept by administrators (Settings > Queue services): a
service point's services in the queue's order (name in the user's language, code, how
its visits are counted, who serves it, offered or not), moved up and down, and the form
that adds a service or changes the one chosen: its names in Finnish, Swedish and
English, its service area, and whether the area's own desks or a partner organisation's
serve it. A service's code never changes once it is added (tickets and desk duties name
it): the field is read-only for a chosen service. A refused form keeps what was typed
and says what is wrong under each field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.dto.queue_services import OfferedServiceInput, OfferedServiceRow
from app.i18n import N_, _
from app.rules.codes import LABELS, ServiceArea
from app.rules.queue import NAME_MAX
from app.services.queue_services import QueueServiceAdmin
from app.views.register_dialog import PointRegisterDialog
from app.views.tasks import TaskRunner

COLUMNS = (N_("Service"), N_("Code"), N_("Counted as"), N_("Served at"), N_("Offered"))
AREA_DESKS = N_("The area's desks")


def _cells(r: OfferedServiceRow) -> list[str]:
    return [r.name, r.code, _(LABELS[ServiceArea(r.service_area)]),
            r.partner_name or _(AREA_DESKS), _("Yes") if r.active else _("No")]


class QueueServicesDialog(PointRegisterDialog[OfferedServiceRow]):
    """The queue services of one service point, and the form for a new or the chosen
    service."""

    def __init__(self, service: QueueServiceAdmin, runner: TaskRunner, point_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("queue_services", runner, point_id, COLUMNS, _cells, parent)
        self.service = service
        self.partner_choices: list[tuple[str, str]] = []
        order = QHBoxLayout()
        self.up_button, self.down_button = QPushButton(), QPushButton()
        self.up_button.setObjectName("queue_services_up")
        self.down_button.setObjectName("queue_services_down")
        self.up_button.clicked.connect(lambda: self.move_service(-1))
        self.down_button.clicked.connect(lambda: self.move_service(1))
        order.addWidget(self.up_button)
        order.addWidget(self.down_button)
        order.addStretch(1)
        self.layout_.addLayout(order)
        # The order also by keyboard from the list itself.
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            sc = QShortcut(QKeySequence(keys), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(lambda step=step: self.move_service(step))

        self.code = QLineEdit()
        self.code.setObjectName("queue_services_code")
        self.code.setMaxLength(40)
        self.code_hint = QLabel()
        self.code_hint.setObjectName("queue_services_code_hint")
        self.code_hint.setWordWrap(True)
        self.name_fi, self.name_sv, self.name_en = QLineEdit(), QLineEdit(), QLineEdit()
        for edit, key in ((self.name_fi, "name_fi"), (self.name_sv, "name_sv"),
                          (self.name_en, "name_en")):
            edit.setObjectName(f"queue_services_{key}")
            edit.setMaxLength(NAME_MAX)
        self.area = QComboBox()
        self.area.setObjectName("queue_services_area")
        for area in ServiceArea:
            self.area.addItem("", area.value)
        self.area.setCurrentIndex(-1)
        self.partner = QComboBox()
        self.partner.setObjectName("queue_services_partner")
        self.partner.addItem("", "")
        self.active = QCheckBox()
        self.active.setObjectName("queue_services_active")
        self.active.setChecked(True)
        self.add_field(N_("&Code"), self.code, "code", hint=self.code_hint)
        self.add_field(N_("Name in &Finnish"), self.name_fi, "name_fi")
        self.add_field(N_("Name in S&wedish"), self.name_sv, "name_sv")
        self.add_field(N_("Name in &English"), self.name_en, "name_en")
        self.add_field(N_("Counted &as"), self.area, "service_area")
        self.add_field(N_("Ser&ved at"), self.partner, "partner_org_id")
        self.form.addRow("", self.active)
        self.finish((self.point, self.table, self.up_button, self.down_button, self.code,
                     self.name_fi, self.name_sv, self.name_en, self.area, self.partner,
                     self.active), service.can_manage(), 900, 760)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Queue services"))
        self.table.setAccessibleName(_("Queue services of the service point, in order"))
        self.up_button.setText(_("Move &up"))
        self.up_button.setAccessibleName(_("Move the chosen service up in the queue's order"))
        self.down_button.setText(_("Move &down"))
        self.down_button.setAccessibleName(
            _("Move the chosen service down in the queue's order"))
        self.form_box.setTitle(_("Queue service"))
        self.code.setPlaceholderText(_("For example: career_guidance"))
        self.code_hint.setText(_("The code names the service in tickets and desk duties: it "
                                 "cannot be changed once the service is added."))
        self.code.setAccessibleDescription(self.code_hint.text())
        for i in range(self.area.count()):
            self.area.setItemText(i, _(LABELS[ServiceArea(self.area.itemData(i))]))
        self.partner.setItemText(0, _(AREA_DESKS))
        self.active.setText(_("&Offered in the queue"))
        self.active.setAccessibleName(_("Offered in the queue"))
        self.new_button.setText(_("&New service"))
        self.new_button.setAccessibleName(_("New service: empty the form"))
        self.add_button.setText(_("Add the serv&ice"))
        self.add_button.setAccessibleName(_("Add the service"))
        self.save_button.setText(_("Save the c&hanges"))
        self.save_button.setAccessibleName(_("Save the changes to the chosen service"))
        super().retranslate()

    # --- the register's rows ----------------------------------------------------------

    def fetch_choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The service points, and the partner organisations for "served at"."""
        return self.service.service_points(), self.service.partners()

    def choices_loaded(self, extra: list[tuple[str, str]]) -> None:
        self.partner_choices = extra
        self._fill_partners(None)

    def _fill_partners(self, kept: OfferedServiceRow | None) -> None:
        """The partner choice: the area's desks, the active organisations, and the
        chosen service's own partner even if no longer active."""
        choices = list(self.partner_choices)
        if kept is not None and kept.partner_org_id and all(
                pid != kept.partner_org_id for pid, _n in choices):
            choices.append((kept.partner_org_id, kept.partner_name or kept.partner_org_id))
        if [(self.partner.itemData(i), self.partner.itemText(i))
                for i in range(1, self.partner.count())] == choices:
            return
        self.partner.blockSignals(True)
        while self.partner.count() > 1:
            self.partner.removeItem(1)
        for pid, name in choices:
            self.partner.addItem(name, pid)
        self.partner.blockSignals(False)

    def fetch_rows(self, point: str) -> list[OfferedServiceRow]:
        return self.service.list(point, include_inactive=True)

    def rows_shown(self, point: str, kept: bool) -> None:
        if not kept and self.editing is not None and self.editing.service_point_id != point:
            self.new_service(focus=False)

    def fill_form(self, row: OfferedServiceRow) -> None:
        self.code.setText(row.code)
        self.code.setReadOnly(True)
        self.name_fi.setText(row.name_fi)
        self.name_sv.setText(row.name_sv)
        self.name_en.setText(row.name_en)
        self.area.setCurrentIndex(self.area.findData(row.service_area))
        self._fill_partners(row)
        self.partner.setCurrentIndex(max(0, self.partner.findData(row.partner_org_id or "")))
        self.partner.setEnabled(False)  # who serves a service stays so (the service)
        self.active.setChecked(row.active)

    def empty_form(self) -> None:
        for w in (self.code, self.name_fi, self.name_sv, self.name_en):
            w.clear()
        self.code.setReadOnly(False)
        self.partner.setEnabled(True)
        self.area.setCurrentIndex(-1)
        self._fill_partners(None)
        self.partner.setCurrentIndex(0)
        self.active.setChecked(True)

    def new_service(self, focus: bool = True) -> None:
        self.new_row(focus)

    def _enable(self) -> None:
        row = self.selected()
        at = self.table.currentIndex().row() if row is not None else -1
        self.up_button.setEnabled(self.manage and row is not None and at > 0)
        self.down_button.setEnabled(self.manage and row is not None
                                    and at < self.model.rowCount() - 1)
        self.save_button.setEnabled(self.manage and self.editing is not None)
        self.add_button.setEnabled(self.manage and self.editing is None)

    def _write_buttons(self) -> tuple[QPushButton, ...]:
        return (self.add_button, self.save_button, self.up_button, self.down_button)

    # --- writing ----------------------------------------------------------------------

    def values(self) -> OfferedServiceInput:
        return OfferedServiceInput(
            self.point.currentData() or "", self.code.text(), self.name_fi.text(),
            self.name_sv.text(), self.name_en.text(), self.area.currentData() or "",
            self.partner.currentData() or None, self.active.isChecked())

    @staticmethod
    def _said(text: str) -> Callable[[OfferedServiceRow], str]:
        return lambda row: text.format(service=row.name)

    def add(self) -> None:
        data = self.values()
        self._write(lambda: self.service.add(data), self._said(_("Added: {service}.")))

    def save(self) -> None:
        row = self.editing
        if row is None:
            return
        data = self.values()
        self._write(lambda: self.service.edit(row.id, data),
                    self._said(_("Saved: {service}.")))

    def move_service(self, step: int) -> None:
        row = self.selected()
        if row is None or not self.manage:
            return
        self._write(lambda: self.service.move(row.id, step),
                    self._said(_("Moved: {service}.")))
