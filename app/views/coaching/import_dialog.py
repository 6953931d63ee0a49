"""ImportDialog: customers from a CSV file in three steps: choose the file, check every
row (each problem shown with its line), import the good rows. The checking and the
import run in the task runner, off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, format_number
from app.rules import hetu as hetu_rules
from app.services.customer_import import (
    CustomerImportService,
    ImportPreview,
    ImportResult,
    ImportRow,
)
from app.views import file_dialogs
from app.views.common import FieldError, list_table
from app.views.operations import QueryOp, WriteOp
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

ACTIONS = {"new": N_("new"), "update": N_("update"), "reject": N_("rejected")}


def _cells(row: ImportRow) -> list[str]:
    problems = "; ".join(p.text(_) for p in row.problems)
    return [format_number(row.line), hetu_rules.masked(row.hetu) if len(row.hetu) == 11
            else row.hetu, row.name, ("⚠ " if row.action == "reject" else "")
            + _(ACTIONS[row.action]), problems]


class ImportDialog(QDialog):
    def __init__(self, service: CustomerImportService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.service, self.runner = service, runner
        self.preview: ImportPreview | None = None
        self.import_result: ImportResult | None = None
        layout = QVBoxLayout(self)
        self.help = QLabel()
        self.help.setWordWrap(True)
        layout.addWidget(self.help)
        row = QHBoxLayout()
        self.file_label = QLabel()
        self.path = QLineEdit()
        self.path.setObjectName("import_path")
        self.file_label.setBuddy(self.path)
        self.browse = QPushButton()
        self.browse.setObjectName("import_browse")
        self.browse.clicked.connect(self._browse)
        self.update_existing = QCheckBox()
        self.update_existing.setObjectName("import_update")
        self.check = QPushButton()
        self.check.setObjectName("import_check")
        self.check.clicked.connect(self.run_check)
        row.addWidget(self.file_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        layout.addLayout(row)
        options = QHBoxLayout()
        options.addWidget(self.update_existing)
        options.addStretch(1)
        options.addWidget(self.check)
        layout.addLayout(options)
        self.error = FieldError()
        layout.addWidget(self.error)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        layout.addWidget(self.summary)
        self.model = SimpleTableModel((N_("Line"), N_("Identity code"), N_("Name"),
                                       N_("Result"), N_("Problems")), _cells, self)
        self.table = list_table("import_rows", self.model)
        layout.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.setObjectName("import_commit")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(900, 560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import customers"))
        self.help.setText(_(
            "A UTF-8 CSV file whose first row names the columns: hetu, first_name, "
            "last_name, birth_date, home_municipality, language, phone, email, registered_on, "
            "unemployed_since, coach_username. Rows with problems are not imported."))
        self.file_label.setText(_("&File:"))
        self.path.setAccessibleName(_("CSV file"))
        self.browse.setText(_("&Browse…"))
        self.browse.setAccessibleName(_("Choose the CSV file"))
        self.update_existing.setText(_("&Update customers already registered"))
        self.update_existing.setAccessibleName(_("Update customers already registered"))
        self.check.setText(_("&Check the file"))
        self.check.setAccessibleName(_("Check the file"))
        self.table.setAccessibleName(_("Rows of the file"))
        self._show_import_button()
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _browse(self) -> None:
        path = file_dialogs.ask_open_path(self, _("Import customers"),
                                          _("CSV files (*.csv);;All files (*)"))
        if path is not None:
            self.path.setText(str(path))
            self.run_check()

    def run_check(self) -> None:
        path, update = Path(self.path.text().strip()), self.update_existing.isChecked()
        self.error.show_message("")
        self.check.setEnabled(False)
        self.import_button.setEnabled(False)
        self.summary.setText(_("Checking…"))
        QueryOp(self.runner, self, lambda: self.service.preview(path, update),
                success=self.show_preview).run_in_background()

    def show_preview(self, preview: ImportPreview) -> None:
        self.preview, self.import_result = preview, None
        self.check.setEnabled(True)
        self.model.set_rows(preview.rows)
        self.summary.setText(_("{good} rows can be imported, {bad} have problems.").format(
            good=format_number(len(preview.accepted)), bad=format_number(len(preview.rejected))))
        self._show_import_button()

    def _show_import_button(self) -> None:
        count = len(self.preview.accepted) if self.preview else 0
        self.import_button.setText(_("&Import {n} customers").format(n=format_number(count)))
        self.import_button.setAccessibleName(_("Import the rows without problems"))
        self.import_button.setEnabled(count > 0 and self.import_result is None)

    def run_import(self) -> None:
        preview = self.preview
        if preview is None:
            return
        self.import_button.setEnabled(False)
        WriteOp(self.runner, self, lambda: self.service.commit(preview),
                success=self.show_result).run_in_background()

    def show_result(self, result: ImportResult) -> None:
        self.import_result = result
        self.summary.setText(_("Imported: {created} new, {updated} updated; {rejected} "
                               "rows rejected.").format(
            created=format_number(result.created), updated=format_number(result.updated),
            rejected=format_number(result.rejected)))
        self._show_import_button()

    def show_error(self, text: str) -> None:
        self.check.setEnabled(True)
        self.summary.setText("")
        self.error.show_message(text)
        self._show_import_button()
