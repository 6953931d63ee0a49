"""The "Purchased services" tab of the Reports page (#20): for a period and optionally a
service point, the places contracted against used, the referrals by outcome and by end
reason, the share employed or studying 3 and 6 months after a service (with its chart),
and the euros by municipality next to the cost split. Each figure is a report of the
catalogue (app/services/reports/purchased.py): the same tables print on the command line
(`report NAME`) and export from the Reports tab. Computed off the GUI thread (QueryOp)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.dto.reports import (
    PERCENT,
    ChartSpec,
    Column,
    FilterOptions,
    ReportFilter,
    ReportTable,
)
from app.i18n import N_, _
from app.services.registry import Services
from app.services.reports import REPORTS
from app.views.common import ColumnFitter, FieldError, list_table
from app.views.operations import QueryOp, drop_pending
from app.views.reports.drilldown import DrilldownLauncher
from app.views.reports.widgets import ChartView, ReportTableModel
from app.views.tasks import TaskRunner

# The figures shown, in order; the effect's with its chart.
FIGURES = ("purchased_places", "purchased_referrals", "purchased_end_reasons",
           "purchased_effect", "purchased_euros")
CHARTED = "purchased_effect"
# The euros' eleven columns do not fit the page at 150 % text: the tab shows them as two
# tables, the euros and the shares beside the cost split (the export keeps one table).
EURO_COLUMNS = ("municipality", "referrals_eur", "lump_sums_eur", "decisions_eur",
                "total_eur", "by_split_eur")
SHARE_COLUMNS = ("municipality", "euro_share", "cost_share", "visit_share", "staff_share",
                 "customer_share")
SHARES = "purchased_euros_shares"
SHARES_TITLE = N_("Euros against the cost split: shares by municipality")
SECTIONS = (*FIGURES, SHARES)


def project(table: ReportTable, keys: tuple[str, ...], name: str, title: str,
            note: str | None) -> ReportTable:
    """`table` with only the columns `keys`, as a figure of its own."""
    at = [table.column(k) for k in keys]
    return replace(table, name=name, title=title, note=note,
                   columns=tuple(table.columns[i] for i in at),
                   rows=tuple(tuple(row[i] for i in at) for row in table.rows),
                   total=tuple(table.total[i] for i in at) if table.total else None,
                   note_args=table.note_args if note else ())


def split_euros(table: ReportTable) -> list[ReportTable]:
    return [project(table, EURO_COLUMNS, table.name, table.title, table.note),
            project(table, SHARE_COLUMNS, SHARES, SHARES_TITLE, None)]
DATE_FORMATS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "dd/MM/yyyy"}


def word_lines(text: str) -> str:
    """A column title a word a line, its unit ("(%)", "(€)") kept with the word before:
    eleven columns of euros and shares fit the page at 150 % text."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < (12 if word.startswith("(") else 8):
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


class WrappedModel(ReportTableModel):
    """Column titles a word a line (see word_lines)."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        text = super().headerData(section, orientation, role)
        return word_lines(text) if isinstance(text, str) else text


def by_service(table: ReportTable) -> ReportTable:
    """The effect's chart: the shares per service, its providers together (a bar per
    row would repeat each service once per provider)."""
    sums: dict[str, list[int]] = {}
    labels: dict[str, Any] = {}
    c3, g3, c6, g6 = (table.column(k) for k in ("counted_3", "good_3", "counted_6",
                                                 "good_6"))
    for row in table.rows:
        key = str(row[0])
        labels.setdefault(key, row[0])
        into = sums.setdefault(key, [0, 0, 0, 0])
        for i, column in enumerate((c3, g3, c6, g6)):
            into[i] += row[column]
    rows = tuple((labels[k], v[1] / v[0] if v[0] else None, v[3] / v[2] if v[2] else None)
                 for k, v in sums.items())
    return ReportTable(table.name, table.title,
                       (table.columns[0], *(Column(k, table.columns[table.column(k)].title,
                                                   PERCENT) for k in ("share_3", "share_6"))),
                       rows, ChartSpec("bars", "service", ("share_3", "share_6"),
                                       percent=True))


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class FigureSection(QWidget):
    """One figure: its title, its table (as tall as its rows: the tab scrolls, not the
    table) and what it counts."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName(f"services_{name}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        self.title = QLabel()
        self.title.setObjectName(f"services_{name}_title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.model = WrappedModel(self)
        self.table: QTableView = list_table(f"services_{name}_table", self.model)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.fitter = ColumnFitter(self.table)
        self.title.setBuddy(self.table)
        layout.addWidget(self.table)
        self.chart: ChartView | None = None
        if name == CHARTED:  # under the table, as wide as the page
            self.chart = ChartView()
            self.chart.setObjectName(f"services_{name}_chart")
            self.chart.setFixedHeight(max(300, self.fontMetrics().height() * 22))
            layout.addWidget(self.chart)
        self.note = QLabel()
        self.note.setObjectName(f"services_{name}_note")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.report: ReportTable | None = None
        self.retranslate()

    def show_table(self, table: ReportTable | None) -> None:
        self.report = table
        self.model.set_table(table)
        self.fitter.fit()
        if self.chart is not None:
            self.chart.show_table(by_service(table) if table and table.rows else None)
        self.retranslate()
        self.fit_height()

    def fit_height(self) -> None:
        """Every row on show: the header, the rows as wrapped, the frame."""
        self.table.resizeRowsToContents()
        header = self.table.horizontalHeader()
        rows = self.table.verticalHeader().length()
        bar = self.table.horizontalScrollBar()
        extra = bar.sizeHint().height() if bar.isVisible() else 0
        height = header.sizeHint().height() + rows + 2 * self.table.frameWidth() + extra + 2
        self.table.setFixedHeight(max(height, self.table.fontMetrics().height() * 3))

    def retranslate(self) -> None:
        title = _(SHARES_TITLE if self.name == SHARES else REPORTS[self.name].title)
        self.title.setText(title)
        self.table.setAccessibleName(title)
        if self.chart is not None:
            self.chart.setAccessibleName(_("Chart: {title}").format(title=title))
        table = self.report
        note = table.note_text(_) if table else ""
        if table is not None and not table.rows:
            note = " ".join(t for t in (_("Nothing in the period."), note) if t)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_height()


class PurchasedServicesView(QWidget):
    """The tab: period and service point on top, the figures one under another."""

    open_customer = Signal(str)  # from the drill-down (#25)

    def __init__(self, services: Services, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("purchased_services_view")
        self.services, self.runner = services, runner
        self.started = False
        self.options = FilterOptions((), ())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        bar = QHBoxLayout()
        self.from_label, self.to_label, self.point_label = QLabel(), QLabel(), QLabel()
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for name, edit, caption in (("services_from", self.date_from, self.from_label),
                                    ("services_to", self.date_to, self.to_label)):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self._changed)
            caption.setBuddy(edit)
        self.point = QComboBox()
        self.point.setObjectName("services_point")
        self.point.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.point.currentIndexChanged.connect(self._changed)
        self.point_label.setBuddy(self.point)
        self.date_error = FieldError()
        for widget in (self.from_label, self.date_from, self.to_label, self.date_to,
                       self.date_error, self.point_label, self.point):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.message = QLabel()
        self.message.setObjectName("services_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.message.hide()
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 8, 0)
        self.sections = {name: FigureSection(name, body) for name in SECTIONS}
        for section in self.sections.values():
            column.addWidget(section)
        column.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("services_scroll")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(body)
        layout.addWidget(self.scroller, 1)
        for section in self.sections.values():  # Tab into a table brings it into view
            section.table.installEventFilter(self)
        # Enter on a figure: the customers behind it (#25).
        self.drilldown = DrilldownLauncher(services.reports, runner, self)
        self.drilldown.open_customer.connect(self.open_customer)
        for section in self.sections.values():
            self.drilldown.attach(section.table)
        self.retranslate()

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QTableView):
            self.scroller.ensureWidgetVisible(watched.parentWidget() or watched)
        return False

    def retranslate(self) -> None:
        self.from_label.setText(_("&From"))
        self.to_label.setText(_("&To"))
        self.point_label.setText(_("Service &point"))
        self.date_from.setAccessibleName(_("From"))
        self.date_to.setAccessibleName(_("To"))
        self.point.setAccessibleName(_("Service point"))
        fmt = DATE_FORMATS[i18n.current_language()]
        self.date_from.setDisplayFormat(fmt)
        self.date_to.setDisplayFormat(fmt)
        self._fill_points()
        for section in self.sections.values():
            section.model.retranslate()
            section.retranslate()
            if section.chart is not None:
                section.chart.redraw()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            for section in self.sections.values():
                if section.chart is not None:
                    section.chart.redraw()
        super().changeEvent(event)

    # --- computing ------------------------------------------------------------------

    def activate(self) -> None:
        """The tab was shown: the figures of the period (this calendar year at first)."""
        if self.started:
            self.compute()
            return
        self.started = True
        today = self.services.session.today()
        for edit, value in ((self.date_from, date(today.year, 1, 1)),
                            (self.date_to, date(today.year, 12, 31))):
            edit.blockSignals(True)
            edit.setDate(_qdate(value))
            edit.blockSignals(False)
        QueryOp(self.runner, self, self.services.reports.options,
                success=self._got_options).run_in_background()

    def _got_options(self, options: FilterOptions) -> None:
        self.options = options
        self._fill_points()
        self.compute()

    def _fill_points(self) -> None:
        chosen = self.point.currentData()
        self.point.blockSignals(True)
        self.point.clear()
        self.point.addItem(_("All service points"), None)
        for option in self.options.service_points:
            self.point.addItem(option.name, option.id)
        self.point.setCurrentIndex(max(0, self.point.findData(chosen)) if chosen else 0)
        self.point.blockSignals(False)

    def current_filter(self) -> ReportFilter | None:
        start, end = _pydate(self.date_from.date()), _pydate(self.date_to.date())
        if end < start:
            self.date_error.show_message(_("The end date is before the start date."))
            return None
        self.date_error.show_message("")
        return ReportFilter(start, end, self.point.currentData())

    def _changed(self) -> None:
        if self.started:
            self.compute()

    def compute(self) -> None:
        f = self.current_filter()
        if f is None:
            return
        self._say(_("Computing…"))
        reports = self.services.reports

        def run() -> list[ReportTable]:
            return [reports.run(name, f) for name in FIGURES]

        QueryOp(self.runner, self, run, success=self._got).latest("services") \
            .run_in_background()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _got(self, tables: list[ReportTable]) -> None:
        self._say("")
        for table in tables:
            for shown in (split_euros(table) if table.name == "purchased_euros"
                          else [table]):
                self.sections[shown.name].show_table(shown)

    def show_error(self, text: str) -> None:
        self._say("⚠ " + text)

    def clear(self) -> None:
        """Signed out: no figure left, the period afresh for the next person."""
        self.started = False
        drop_pending(self, "services")
        self.drilldown.clear()
        self._say("")
        for section in self.sections.values():
            section.show_table(None)
