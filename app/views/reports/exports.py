"""The reports page's exports: one report as CSV or XLSX, the whole page as PDF. The file
is chosen in a dialog; computing, rendering and writing run in the task runner."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app import i18n
from app.i18n import _
from app.printing.reports_pdf import ReportsDocument, render_reports
from app.services.reports import REPORTS
from app.views import file_dialogs
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
        path = file_dialogs.ask_save_path(self, caption, suggested, kinds)
        return str(path) if path is not None else ""

    def suggested_name(self, title: str, f: ReportFilter, suffix: str) -> str:
        """What, which period and when it was made: "Visits per week 2026-09-07–2026-11-29
        2026-12-02.csv" (ISO dates: no "/" and they sort)."""
        period = f"{f.date_from.isoformat()}–{f.date_to.isoformat()}"
        return file_dialogs.file_name(f"{title} {period}", day=self.services.session.today(),
                                      suffix=suffix)

    def export(self, fmt: str) -> None:
        f, name = self.filter, self.current_name()
        if f is None or self.table is None:
            return
        kinds = {"csv": _("CSV for Excel (*.csv)"), "xlsx": _("Excel workbooks (*.xlsx)")}
        path = self.ask_path(_("Export the report"),
                             self.suggested_name(_(REPORTS[name].title), f, fmt), kinds[fmt])
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
                             self.suggested_name(_("Reports"), f, "pdf"),
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
