"""ReportsPage: the dashboard a team lead opens on Monday. Filters on top, key figures
as cards, the reports listed on the left, the chosen report's chart with its numbers
beside it, and exports (CSV, XLSX per report; PDF of the whole page).

Every computation and every file write is an operation (app.views.operations); a result
that arrives after the filters changed again is dropped (latest only)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.dto.report_display import cell, partial_note
from app.dto.reports import PERCENT, Column, FilterOptions, KeyFigures, ReportFilter, ReportTable
from app.i18n import N_, _, format_date, format_number
from app.services.registry import Services
from app.services.reports import REPORTS
from app.views.common import ColumnFitter, FieldError, heading_label, icon, list_table, shortcut
from app.views.operations import QueryOp, drop_pending
from app.views.reports.drilldown import DrilldownLauncher
from app.views.reports.exports import ExportActions
from app.views.reports.services_view import PurchasedServicesView
from app.views.reports.statistics import StatisticsDialog
from app.views.reports.targets_view import ReportsTabs
from app.views.reports.widgets import ChartView, KeyFigureCard, ReportTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor

DATE_FORMATS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "dd/MM/yyyy"}
FIGURES = (("visits", N_("Visits")), ("wait", N_("Median wait, walk-ins")),
           ("satisfied", N_("Satisfied (4–5)")), ("no_shows", N_("No-show rate")),
           ("overdue", N_("Plan reviews overdue")))


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReportsPage(ExportActions, QWidget):
    # The drill-down asks for a customer's card (the window's navigator opens it).
    open_customer = Signal(str)

    def __init__(self, services: Services, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reports_page")
        self.services, self.runner = services, runner
        self.reports = services.reports
        self.started = False
        self.options = FilterOptions((), ())
        self.figures: KeyFigures | None = None
        self.table: ReportTable | None = None
        self.filter: ReportFilter | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.heading = heading_label()
        # The quarterly export for the ministry and the ELY centre (#25), beside the
        # heading: it covers the whole page (its own dialog), and the rows below are full.
        self.quarterly_button = QPushButton()
        self.quarterly_button.setObjectName("reports_quarterly")
        self.quarterly_button.clicked.connect(self.open_quarterly)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.quarterly_button)
        layout.addLayout(top)
        # The reports and the annual targets (issue #25) as two tabs; the rest of the
        # page goes in the first.
        self.targets_tabs = ReportsTabs(services, runner)
        # Purchased services and decisions in figures (#20): a third tab.
        self.services_tab = PurchasedServicesView(services, runner)
        self.services_tab.open_customer.connect(self.open_customer)
        self.targets_tabs.addTab(self.services_tab, "")
        self.targets_tabs.currentChanged.connect(self._tab_shown)
        layout.addWidget(self.targets_tabs, 1)
        layout = self.targets_tabs.inner
        layout.addLayout(self._filter_bar())
        cards = QHBoxLayout()
        self.cards = {key: KeyFigureCard(key) for key, _t in FIGURES}
        for card in self.cards.values():
            cards.addWidget(card, 1)
        layout.addLayout(cards)
        layout.addWidget(self._body(), 1)
        self.message = QLabel()
        self.message.setObjectName("reports_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.retranslate()

    # --- building -------------------------------------------------------------------

    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.from_label, self.to_label = QLabel(), QLabel()
        self.point_label, self.team_label = QLabel(), QLabel()
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for name, edit, caption in (("reports_from", self.date_from, self.from_label),
                                    ("reports_to", self.date_to, self.to_label)):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self._filters_changed)
            caption.setBuddy(edit)
        self.date_error = FieldError()
        self.point = QComboBox()
        self.point.setObjectName("reports_point")
        self.team = QComboBox()
        self.team.setObjectName("reports_team")
        self.point_label.setBuddy(self.point)
        self.team_label.setBuddy(self.team)
        for combo in (self.point, self.team):
            combo.currentIndexChanged.connect(self._filters_changed)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMaximumWidth(200)
        for widget in (self.from_label, self.date_from, self.to_label, self.date_to,
                       self.date_error, self.point_label, self.point, self.team_label,
                       self.team):
            if isinstance(widget, QLabel) and widget is not self.date_error:
                # A crowded bar must squeeze the inputs, never cut a caption.
                widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
            bar.addWidget(widget)
        bar.addStretch(1)
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("reports_pdf")
        self.pdf_button.clicked.connect(self.save_pdf)
        bar.addWidget(self.pdf_button)
        shortcut(self, "Ctrl+P", self.pdf_button)
        return bar

    def _body(self) -> QSplitter:
        self.report_list = QListWidget()
        self.report_list.setObjectName("reports_list")
        self.report_list.setWordWrap(True)
        self.report_list.setSpacing(2)
        self.report_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for name in REPORTS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.report_list.addItem(item)
        self.report_list.currentRowChanged.connect(lambda _row: self._load_report())
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.report_title = QLabel()
        self.report_title.setObjectName("report_title")
        font = self.report_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.report_title.setFont(font)
        column.addWidget(self.report_title)
        self.beside = beside = QSplitter(Qt.Orientation.Horizontal)
        self.chart = ChartView()
        self.model = ReportTableModel(self)
        self.numbers = list_table("report_numbers", self.model)
        self.fitter = ColumnFitter(self.numbers)  # no figure cut, no sideways scrolling
        # Enter on a figure: the customers behind it (#25).
        self.drilldown = DrilldownLauncher(self.reports, self.runner, self)
        self.drilldown.attach(self.numbers)
        self.drilldown.open_customer.connect(self.open_customer)
        beside.addWidget(self.chart)
        beside.addWidget(self.numbers)
        beside.setStretchFactor(0, 1)  # the chart takes what the figures leave
        beside.setStretchFactor(1, 0)
        beside.setSizes([480, 440])

        self.numbers.verticalHeader().setDefaultSectionSize(
            self.numbers.fontMetrics().height() + 6)
        column.addWidget(beside, 1)
        self.note = QLabel()
        self.note.setObjectName("report_note")
        self.note.setWordWrap(True)
        column.addWidget(self.note)
        buttons = QHBoxLayout()
        self.csv_button, self.xlsx_button = QPushButton(), QPushButton()
        self.statistics_button = QPushButton()
        for button, name in ((self.csv_button, "reports_csv"), (self.xlsx_button, "reports_xlsx"),
                             (self.statistics_button, "reports_statistics")):
            button.setObjectName(name)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.statistics_button.clicked.connect(self.edit_statistics)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addStretch(1)
        buttons.addWidget(self.statistics_button)
        column.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.report_list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        # The list of reports some 28 letters wide (its longest words fit at any text
        # size), the report the rest.
        split.setSizes([self.fontMetrics().averageCharWidth() * 28, 900])
        return split

    def _tab_shown(self, index: int) -> None:
        if self.targets_tabs.widget(index) is self.services_tab:
            self.services_tab.activate()

    def retranslate(self) -> None:
        self.heading.setText(_("Reports"))
        self.targets_tabs.setTabText(self.targets_tabs.indexOf(self.services_tab),
                                     _("P&urchased services"))
        self.from_label.setText(_("&From"))
        self.to_label.setText(_("&To"))
        self.point_label.setText(_("Service &point"))
        self.team_label.setText(_("T&eam"))
        for caption in (self.from_label, self.to_label, self.point_label, self.team_label):
            # Qt measures "To" kerned but draws a caption with a mnemonic unkerned.
            plain = caption.text().replace("&", "")
            caption.setFixedWidth(caption.fontMetrics().horizontalAdvance(plain + "  "))
        self.date_from.setAccessibleName(_("From"))
        self.date_to.setAccessibleName(_("To"))
        self.point.setAccessibleName(_("Service point"))
        self.team.setAccessibleName(_("Team"))
        fmt = DATE_FORMATS[i18n.current_language()]
        self.date_from.setDisplayFormat(fmt)
        self.date_to.setDisplayFormat(fmt)
        self.pdf_button.setText(_("Save as &PDF…"))
        self.pdf_button.setToolTip(_("The key figures and every report as a PDF (Ctrl+P)"))
        self.pdf_button.setIcon(icon("mdi6.file-pdf-box", self))
        self.csv_button.setText(_("Export &CSV…"))
        self.csv_button.setIcon(icon("mdi6.file-delimited-outline", self))
        self.xlsx_button.setText(_("Export &XLSX…"))
        self.xlsx_button.setIcon(icon("mdi6.file-excel-outline", self))
        self.statistics_button.setText(_("Municipal &statistics…"))
        self.quarterly_button.setText(_("Export quarter for the &ministry…"))
        self.quarterly_button.setAccessibleName(_("Export quarter for the ministry"))
        self.quarterly_button.setToolTip(_("The agreed indicators of a quarter for the "
                                           "ministry and the ELY centre: PDF, XLSX or CSV"))
        self.quarterly_button.setIcon(icon("mdi6.file-chart-outline", self))
        self.statistics_button.setToolTip(
            _("Working-age population and broad unemployment behind the cost split"))
        self.report_list.setAccessibleName(_("Reports"))
        self.numbers.setAccessibleName(_("The report's figures"))
        self.chart.setAccessibleName(_("Chart"))
        for row, spec in enumerate(REPORTS.values()):
            self.report_list.item(row).setText(_(spec.title))
        self._fill_combos()
        self._show_figures()
        self._show_table()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self.chart.redraw()
        super().changeEvent(event)

    # --- filters --------------------------------------------------------------------

    def activate(self, actor: Actor) -> None:
        self.targets_tabs.activate()
        if self.targets_tabs.currentWidget() is self.services_tab:
            self.services_tab.activate()
        if self.started:
            self.compute()
            return
        self.started = True
        initial = self.reports.default_filter()
        for edit, value in ((self.date_from, initial.date_from),
                            (self.date_to, initial.date_to)):
            edit.blockSignals(True)
            edit.setDate(_qdate(value))
            edit.blockSignals(False)
        self.report_list.blockSignals(True)
        self.report_list.setCurrentRow(0)
        self.report_list.blockSignals(False)
        QueryOp(self.runner, self, self.reports.options, success=self._got_options) \
            .run_in_background()

    def _got_options(self, options: FilterOptions) -> None:
        self.options = options
        self._fill_combos()
        self.compute()

    def _fill_combos(self) -> None:
        for combo, everything, choices in (
            (self.point, _("All service points"), self.options.service_points),
            (self.team, _("All teams"), self.options.teams),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for option in choices:
                combo.addItem(option.name, option.id)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.blockSignals(False)

    def current_filter(self) -> ReportFilter | None:
        start, end = _pydate(self.date_from.date()), _pydate(self.date_to.date())
        if end < start:
            self.date_error.show_message(_("The end date is before the start date."))
            return None
        self.date_error.show_message("")
        return ReportFilter(start, end, self.point.currentData(), self.team.currentData())

    def _filters_changed(self) -> None:
        if self.started:
            self.compute()

    def current_name(self) -> str:
        item = self.report_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else next(iter(REPORTS))

    # --- computing ------------------------------------------------------------------

    def deactivate(self) -> None:
        pass

    def refresh(self) -> None:
        """Rows arrived: nothing. The figures are of a chosen period and take a while:
        they are computed again when shown or asked for with the filters."""

    def clear(self) -> None:
        """Signed out: the filters start afresh for the next person, and nothing of the
        figures shown stays on the page until theirs are computed."""
        self.targets_tabs.clear()
        self.services_tab.clear()
        self.drilldown.clear()
        self.started = False
        for key in ("figures", "table"):
            drop_pending(self, key)
        self.figures, self.table = None, None
        self._show_figures()
        self._show_table()
        self.message.setText("")

    def compute(self) -> None:
        """Key figures and the shown report for the filters as they are now."""
        f = self.current_filter()
        if f is None:
            return
        self.filter = f
        self.message.setText(_("Computing…"))
        QueryOp(self.runner, self, lambda: self.reports.key_figures(f),
                success=self._got_figures).latest("figures").run_in_background()
        self._load_report()

    def _load_report(self) -> None:
        f = self.filter
        if f is None:
            return
        name = self.current_name()
        QueryOp(self.runner, self, lambda: self.reports.run(name, f),
                success=self._got_table).latest("table").run_in_background()

    def _got_figures(self, figures: KeyFigures) -> None:
        self.figures = figures
        self._show_figures()

    def _got_table(self, table: ReportTable) -> None:
        if table.name == self.current_name():
            self.table = table
            self.message.setText("")
            self._show_table()

    def show_error(self, text: str) -> None:
        self.message.setText("⚠ " + text)

    # --- showing --------------------------------------------------------------------

    def figure_texts(self) -> list[tuple[str, str]]:
        fig = self.figures
        if fig is None:
            return [(_(title), "–") for _k, title in FIGURES]
        pct = _percent
        wait = ("–" if fig.walk_in_median_wait is None
                else _("{n} min").format(n=format_number(round(fig.walk_in_median_wait, 1))))
        values = (format_number(fig.visits), wait, pct(fig.satisfied_share),
                  pct(fig.no_show_rate), format_number(fig.reviews_overdue))
        return [(_(title), value) for (_k, title), value in zip(FIGURES, values, strict=True)]

    def _show_figures(self) -> None:
        for card, (caption, value) in zip(self.cards.values(), self.figure_texts(),
                                          strict=True):
            card.show_figure(caption, value)

    def _show_table(self) -> None:
        table = self.table
        name = table.name if table else self.current_name()
        self.report_title.setText(_(REPORTS[name].title))
        self.model.set_table(table)
        self._fit_columns()
        self.chart.show_table(table)
        note = " ".join(t for t in (table.note_text(_), partial_note(table)) if t) \
            if table else ""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.statistics_button.setVisible(name == "municipal_split")
        for button in (self.csv_button, self.xlsx_button):
            button.setEnabled(table is not None)

    def _fit_columns(self) -> None:
        """The table beside the chart gets the width its columns need on one line (the
        "Total" column was cut off), the chart the rest; with less room the columns
        share it and a long name wraps (ColumnFitter)."""
        table, fitter = self.numbers, self.fitter
        needed = sum(fitter.widths(c)[1] for c in range(self.model.columnCount())) \
            + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
        total = sum(self.beside.sizes())
        if total > 0:
            width = min(needed, max(0, total - self.chart.minimumWidth()))
            self.beside.setSizes([total - width, width])
        fitter.fit()

    def filter_text(self) -> str:
        f = self.filter
        if f is None:
            return ""
        return "  ·  ".join((f"{format_date(f.date_from)}–{format_date(f.date_to)}",
                             self.point.currentText(), self.team.currentText()))

    # --- the statistics behind the cost split ---------------------------------------

    def edit_statistics(self) -> None:
        QueryOp(self.runner, self, self.reports.statistics, success=self._open_statistics) \
            .run_in_background()

    def open_quarterly(self) -> None:
        from app.views.reports.quarterly_dialog import QuarterlyDialog

        dialog = QuarterlyDialog(self.services, self.runner, self.options, self)
        dialog.saved.connect(self._saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _open_statistics(self, statistics: dict[str, Any]) -> None:
        dialog = StatisticsDialog(statistics, self.reports.set_statistics, self.runner, self)
        dialog.saved.connect(self._load_report)
        dialog.open()


def _percent(value: float | None) -> str:
    return "–" if value is None else cell(Column("share", "", PERCENT), value)
