"""QuarterlyDialog: "Export quarter for the ministry…" on the Reports page (#25). The year
and the quarter (the last complete one by default), the service point and team (the
whole area by default: the ministry follows the area), the format; then the save
dialog. Computing and writing run in the task runner; the dialog stays open, saying so,
until the file is written, then closes (the page says where it was saved)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.dto.quarterly import QuarterlyReport, last_complete_quarter, quarter_range
from app.dto.reports import FilterOptions
from app.i18n import N_, _, format_date
from app.services.errors import ValidationFailed
from app.services.registry import Services
from app.views import file_dialogs
from app.views.common import FieldError
from app.views.operations import QueryOp
from app.views.tasks import TaskRunner

FORMATS = (("pdf", N_("PDF summary with charts")), ("xlsx", N_("Excel workbook (XLSX)")),
           ("csv", N_("CSV for Excel")))
KINDS = {"pdf": N_("PDF documents (*.pdf)"), "xlsx": N_("Excel workbooks (*.xlsx)"),
         "csv": N_("CSV for Excel (*.csv)")}


class QuarterlyDialog(QDialog):
    saved = Signal(str)  # the path written

    def __init__(self, services: Services, runner: TaskRunner, options: FilterOptions,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quarterly_dialog")
        self.setWindowTitle(_("Export quarter for the ministry"))
        self.services, self.runner = services, runner
        self.busy = False
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        layout = QVBoxLayout(self)
        intro = QLabel(_("The agreed indicators of the quarter for the ministry (TEM) and "
                         "the ELY centre: each month and the whole quarter, every figure "
                         "from the report named beside it."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        today = services.session.today()
        year, quarter = last_complete_quarter(today)
        self.year = QSpinBox()
        self.year.setObjectName("quarterly_year")
        self.year.setRange(2000, today.year)
        self.year.setValue(year)
        self.year.setAccessibleName(_("Year"))
        self.quarter = QComboBox()
        self.quarter.setObjectName("quarterly_quarter")
        self.quarter.setAccessibleName(_("Quarter"))
        for number in range(1, 5):
            self.quarter.addItem("", number)
        self.quarter.setCurrentIndex(quarter - 1)
        self.year.valueChanged.connect(self._name_quarters)
        self.point = QComboBox()
        self.point.setObjectName("quarterly_point")
        self.point.setAccessibleName(_("Service point"))
        self.point.addItem(_("All service points"), None)
        for option in options.service_points:
            self.point.addItem(option.name, option.id)
        self.team = QComboBox()
        self.team.setObjectName("quarterly_team")
        self.team.setAccessibleName(_("Team"))
        self.team.addItem(_("All teams"), None)
        for option in options.teams:
            self.team.addItem(option.name, option.id)
        self.format = QComboBox()
        self.format.setObjectName("quarterly_format")
        self.format.setAccessibleName(_("Format"))
        for key, title in FORMATS:
            self.format.addItem(_(title), key)
        for caption, field in ((_("&Year"), self.year), (_("&Quarter"), self.quarter),
                               (_("Service &point"), self.point), (_("T&eam"), self.team),
                               (_("&Format"), self.format)):
            label = QLabel(caption)
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addLayout(form)
        self.error = FieldError()
        self.error.setObjectName("quarterly_error")
        layout.addWidget(self.error)
        self.status = QLabel()
        self.status.setObjectName("quarterly_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = QPushButton(_("E&xport…"))
        self.export_button.setObjectName("quarterly_export")
        self.export_button.setAccessibleName(_("Export"))
        self.export_button.setDefault(True)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        for button in self.buttons.buttons():
            # Enter exports wherever the focus is, even after Tab passed Cancel.
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._name_quarters()
        self.year.setFocus(Qt.FocusReason.OtherFocusReason)

    def _name_quarters(self) -> None:
        """"4 (1.10.2026–31.12.2026)": the days each quarter covers in the chosen year."""
        for index in range(4):
            first, last = quarter_range(self.year.value(), index + 1)
            days = f"{format_date(first)}–{format_date(last)}"
            self.quarter.setItemText(index, f"{index + 1} ({days})")

    def ask_path(self, caption: str, suggested: str, kinds: str) -> str:
        path = file_dialogs.ask_save_path(self, caption, suggested, kinds)
        return str(path) if path is not None else ""

    def export(self) -> None:
        if self.busy:
            return
        year, quarter = self.year.value(), int(self.quarter.currentData())
        fmt = str(self.format.currentData())
        point, team = self.point.currentData(), self.team.currentData()
        today = self.services.session.today()
        if quarter_range(year, quarter)[0] > today:
            self.show_error(_("The quarter has not begun yet."))
            return
        self.error.show_message("")
        suggested = file_dialogs.file_name(
            _("Quarterly indicators"), f"{year}-Q{quarter}", day=today, suffix=fmt)
        path = self.ask_path(_("Export quarter for the ministry"), suggested, _(KINDS[fmt]))
        if not path:
            return
        self._working(True)
        lang = i18n.current_language()
        reports = self.services.reports

        def compute() -> QuarterlyReport:  # the database thread: compute and audit
            report = reports.quarterly(year, quarter, point, team)
            reports.record_export("quarterly", report.filter, fmt)
            return report

        def write(report: QuarterlyReport) -> None:
            def save() -> str:  # the io pool: no database here
                Path(path).write_bytes(reports.render_quarterly(report, fmt, lang))
                return path

            QueryOp(self.runner, self, save, success=self._done) \
                .errors_to(self._failed).in_io_pool().run_in_background()

        QueryOp(self.runner, self, compute, success=write) \
            .on(ValidationFailed, self._refused).errors_to(self._failed) \
            .run_in_background()

    def _working(self, busy: bool) -> None:
        self.busy = busy
        self.export_button.setEnabled(not busy)
        self.status.setText(_("Computing the quarter and writing the file…") if busy else "")

    def _done(self, path: str) -> None:
        self._working(False)
        self.saved.emit(path)
        self.accept()

    def _refused(self, exc: ValidationFailed) -> None:
        self._working(False)
        self.show_error(_(next(iter(exc.errors.values()))))

    def _failed(self, text: str) -> None:
        self._working(False)
        self.show_error(text)

    def show_error(self, text: str) -> None:
        self.error.show_message(text)
