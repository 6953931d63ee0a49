"""The reports page's exports: one report as CSV or XLSX, the whole page as PDF. The file
is chosen in a dialog; computing, rendering and writing run in the task runner."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from app import i18n
from app.i18n import _
from app.printing.reports_pdf import ReportsDocument, render_reports
from app.views.operations import QueryOp

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QWidget

    from app.dto.reports import ReportFilter, ReportTable
    from app.services.registry import Services
    from app.services.reports import ReportService
    from app.views.tasks import TaskRunner

    _Page = QWidget  # what the mixin is mixed into (ReportsPage), as mypy sees it
else:
    _Page = object


class ExportActions(_Page):
    """Mixed into ReportsPage (which has reports, runner, filter, table, message and
    show_error, where a failed export shows)."""

    reports: ReportService
    runner: TaskRunner
    services: Services
    filter: ReportFilter | None
    table: ReportTable | None
    message: QLabel

    if TYPE_CHECKING:  # the page's own
        def current_name(self) -> str: ...
        def filter_text(self) -> str: ...
        def figure_texts(self) -> list[tuple[str, str]]: ...

    def ask_path(self, caption: str, suggested: str, kinds: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(self, caption, suggested, kinds)
        return path

    def export(self, fmt: str) -> None:
        f, name = self.filter, self.current_name()
        if f is None or self.table is None:
            return
        kinds = {"csv": _("CSV for Excel (*.csv)"), "xlsx": _("Excel workbooks (*.xlsx)")}
        path = self.ask_path(_("Export the report"),
                             f"{name}_{f.date_from}_{f.date_to}.{fmt}", kinds[fmt])
        if not path:
            return
        self.message.setText(_("Exporting…"))

        def write() -> str:
            Path(path).write_bytes(self.reports.export(name, f, fmt))
            return path

        QueryOp(self.runner, self, write, success=self._saved).run_in_background()

    def save_pdf(self) -> None:
        f = self.filter
        if f is None:
            return
        path = self.ask_path(_("Save the reports as PDF"),
                             f"reports_{f.date_from}_{f.date_to}.pdf",
                             _("PDF documents (*.pdf)"))
        if not path:
            return
        self.message.setText(_("Preparing the PDF…"))
        lang, filters, cards = i18n.current_language(), self.filter_text(), self.figure_texts()

        def compute() -> ReportsDocument:
            tables = tuple(self.reports.run_all(f))
            self.reports.record_export("all", f, "pdf")
            return ReportsDocument(filters, tuple(cards), self.services.session.now(), tables)

        def render(document: ReportsDocument) -> None:
            def write() -> str:
                Path(path).write_bytes(render_reports(document, lang))
                return path

            QueryOp(self.runner, self, write,
                    success=self._saved).in_io_pool().run_in_background()

        QueryOp(self.runner, self, compute, success=render).run_in_background()

    def _saved(self, path: str) -> None:
        self.message.setText(_("Saved as {path}").format(path=path))
