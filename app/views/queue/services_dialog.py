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
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
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
    QVBoxLayout,
    QWidget,
)

from app.dto.queue_services import OfferedServiceInput, OfferedServiceRow
from app.i18n import N_, _
from app.rules.codes import LABELS, ServiceArea
from app.rules.queue import NAME_MAX
from app.services.errors import ValidationFailed
from app.services.queue_services import QueueServiceAdmin
from app.views.common import ColumnFitter, FieldError, list_table
from app.views.operations import QueryOp, WriteOp
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

COLUMNS = (N_("Service"), N_("Code"), N_("Counted as"), N_("Served at"), N_("Offered"))
AREA_DESKS = N_("The area's desks")


def _cells(r: OfferedServiceRow) -> list[str]:
    return [r.name, r.code, _(LABELS[ServiceArea(r.service_area)]),
            r.partner_name or _(AREA_DESKS), _("Yes") if r.active else _("No")]


class QueueServicesDialog(QDialog):
    """The queue services of one service point, and the form for a new or the chosen
    service."""

    def __init__(self, service: QueueServiceAdmin, runner: TaskRunner, point_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_services_dialog")
        self.service, self.runner = service, runner
        self.wanted_point = point_id
        self.editing: OfferedServiceRow | None = None
        self.partner_choices: list[tuple[str, str]] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.point_label = QLabel()
        self.point = QComboBox()
        self.point.setObjectName("queue_services_point")
        self.point_label.setBuddy(self.point)
        top.addWidget(self.point_label)
        top.addWidget(self.point, 1)
        layout.addLayout(top)
        self.model = SimpleTableModel(COLUMNS, _cells, self)
        self.table = list_table("queue_services_table", self.model)
        self.fitter = ColumnFitter(self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._row_chosen())
        layout.addWidget(self.table, 1)
        order = QHBoxLayout()
        self.up_button, self.down_button = QPushButton(), QPushButton()
        self.up_button.setObjectName("queue_services_up")
        self.down_button.setObjectName("queue_services_down")
        self.up_button.clicked.connect(lambda: self.move_service(-1))
        self.down_button.clicked.connect(lambda: self.move_service(1))
        order.addWidget(self.up_button)
        order.addWidget(self.down_button)
        order.addStretch(1)
        layout.addLayout(order)
        # The order also by keyboard from the list itself.
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            sc = QShortcut(QKeySequence(keys), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(lambda step=step: self.move_service(step))

        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
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
        self.labels: list[tuple[QLabel, QWidget, str]] = []
        self.errors: dict[str, FieldError] = {}
        self.fields: dict[str, QWidget] = {}
        for text, widget, key in ((N_("&Code"), self.code, "code"),
                                  (N_("Name in &Finnish"), self.name_fi, "name_fi"),
                                  (N_("Name in S&wedish"), self.name_sv, "name_sv"),
                                  (N_("Name in &English"), self.name_en, "name_en"),
                                  (N_("Counted &as"), self.area, "service_area"),
                                  (N_("Ser&ved at"), self.partner, "partner_org_id")):
            lbl = QLabel()
            lbl.setBuddy(widget)
            self.labels.append((lbl, widget, text))
            form.addRow(lbl, widget)
            if key == "code":
                form.addRow("", self.code_hint)
            self.errors[key] = FieldError()
            self.errors[key].setObjectName(f"queue_services_error_{key}")
            self.fields[key] = widget
            form.addRow("", self.errors[key])
        form.addRow("", self.active)
        actions = QHBoxLayout()
        self.new_button, self.add_button, self.save_button = (QPushButton(), QPushButton(),
                                                              QPushButton())
        self.new_button.setObjectName("queue_services_new")
        self.add_button.setObjectName("queue_services_add")
        self.save_button.setObjectName("queue_services_save")
        self.new_button.clicked.connect(lambda: self.new_service())
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        for b in (self.new_button, self.add_button, self.save_button):
            actions.addWidget(b)
        actions.addStretch(1)
        form.addRow(actions)
        layout.addWidget(self.form_box)
        self.error = FieldError()
        self.error.setObjectName("queue_services_error")
        self.errors["service_point_id"] = self.error
        self.status = QLabel()
        self.status.setObjectName("queue_services_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_buttons = buttons
        layout.addWidget(buttons)
        chain = (self.point, self.table, self.up_button, self.down_button, self.code,
                 self.name_fi, self.name_sv, self.name_en, self.area, self.partner,
                 self.active, self.new_button, self.add_button, self.save_button, buttons)
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.manage = service.can_manage()
        self.form_box.setEnabled(self.manage)
        self.point.currentIndexChanged.connect(lambda _i: self.load())
        self.resize(900, 760)
        self.retranslate()
        self.load_choices()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Queue services"))
        self.point_label.setText(_("&Service point"))
        self.point.setAccessibleName(_("Service point"))
        self.table.setAccessibleName(_("Queue services of the service point, in order"))
        self.up_button.setText(_("Move &up"))
        self.up_button.setAccessibleName(_("Move the chosen service up in the queue's order"))
        self.down_button.setText(_("Move &down"))
        self.down_button.setAccessibleName(
            _("Move the chosen service down in the queue's order"))
        self.form_box.setTitle(_("Queue service"))
        for lbl, widget, text in self.labels:
            lbl.setText(_(text))
            widget.setAccessibleName(_(text).replace("&", ""))
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
        self.close_buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.model.retranslate()
        self._enable()

    # --- reading ----------------------------------------------------------------------

    def load_choices(self) -> None:
        """The service points and the partner organisations, then the point's list."""

        def fetch() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            return self.service.service_points(), self.service.partners()

        def shown(choices: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
            points, self.partner_choices = choices
            self._fill_partners(None)
            self.point.blockSignals(True)
            self.point.clear()
            for pid, name in points:
                self.point.addItem(name, pid)
            self.point.setCurrentIndex(max(0, self.point.findData(self.wanted_point)))
            self.point.blockSignals(False)
            self.load()

        QueryOp(self.runner, self, fetch, success=shown).run_in_background()

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

    def load(self, keep: str | None = None) -> None:
        point = self.point.currentData()
        if not point:
            return

        def shown(rows: list[OfferedServiceRow]) -> None:
            if point != self.point.currentData():
                return
            self.model.set_rows(rows)
            at = next((i for i, r in enumerate(rows) if r.id == keep), None)
            if at is not None:
                self.table.selectRow(at)
                self.table.scrollTo(self.model.index(at, 0))
            elif self.editing is not None and self.editing.service_point_id != point:
                self.new_service(focus=False)
            self._enable()

        QueryOp(self.runner, self, lambda: self.service.list(point, include_inactive=True),
                success=shown).latest("queue_services").run_in_background()

    def selected(self) -> OfferedServiceRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _row_chosen(self) -> None:
        row = self.selected()
        if row is not None:
            self._clear_errors()
            self.editing = row
            self.code.setText(row.code)
            self.code.setReadOnly(True)
            self.name_fi.setText(row.name_fi)
            self.name_sv.setText(row.name_sv)
            self.name_en.setText(row.name_en)
            self.area.setCurrentIndex(self.area.findData(row.service_area))
            self._fill_partners(row)
            self.partner.setCurrentIndex(max(0, self.partner.findData(
                row.partner_org_id or "")))
            self.partner.setEnabled(False)  # who serves a service stays so (the service)
            self.active.setChecked(row.active)
        self._enable()

    def _enable(self) -> None:
        row = self.selected()
        at = self.table.currentIndex().row() if row is not None else -1
        self.up_button.setEnabled(self.manage and row is not None and at > 0)
        self.down_button.setEnabled(self.manage and row is not None
                                    and at < self.model.rowCount() - 1)
        self.save_button.setEnabled(self.manage and self.editing is not None)
        self.add_button.setEnabled(self.manage and self.editing is None)

    # --- writing ----------------------------------------------------------------------

    def new_service(self, focus: bool = True) -> None:
        self.editing = None
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        for w in (self.code, self.name_fi, self.name_sv, self.name_en):
            w.clear()
        self.code.setReadOnly(False)
        self.partner.setEnabled(True)
        self.area.setCurrentIndex(-1)
        self._fill_partners(None)
        self.partner.setCurrentIndex(0)
        self.active.setChecked(True)
        self._clear_errors()
        self._enable()
        if focus:
            self.code.setFocus()

    def values(self) -> OfferedServiceInput:
        return OfferedServiceInput(
            self.point.currentData() or "", self.code.text(), self.name_fi.text(),
            self.name_sv.text(), self.name_en.text(), self.area.currentData() or "",
            self.partner.currentData() or None, self.active.isChecked())

    def add(self) -> None:
        data = self.values()
        self._write(lambda: self.service.add(data), _("Added: {service}."))

    def save(self) -> None:
        row = self.editing
        if row is None:
            return
        data = self.values()
        self._write(lambda: self.service.edit(row.id, data), _("Saved: {service}."))

    def move_service(self, step: int) -> None:
        row = self.selected()
        if row is None or not self.manage:
            return
        self._write(lambda: self.service.move(row.id, step), _("Moved: {service}."))

    def _write(self, work: Callable[[], OfferedServiceRow], said: str) -> None:
        self._clear_errors()
        self.status.setText("")
        for b in (self.add_button, self.save_button, self.up_button, self.down_button):
            b.setEnabled(False)

        def done(row: OfferedServiceRow) -> None:
            self.editing = row
            self.status.setText(said.format(service=row.name))
            self.load(keep=row.id)

        WriteOp(self.runner, self, work, success=done) \
            .on(ValidationFailed, lambda exc: self.show_invalid(exc.errors)) \
            .run_in_background()

    def _clear_errors(self) -> None:
        for e in self.errors.values():
            e.show_message("")

    def show_invalid(self, errors: dict[str, str]) -> None:
        """Each problem under its field; what was typed stays as it was. The first
        field to correct, in the form's order, gets the focus."""
        self._enable()
        for key, message in errors.items():
            self.errors.get(key, self.error).show_message(_(message))
        first = next((w for key, w in self.fields.items() if key in errors), None)
        if first is not None:
            first.setFocus()

    def show_error(self, text: str) -> None:
        self._enable()
        self.error.show_message(text)
