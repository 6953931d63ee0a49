"""The pieces of the reports page: key-figure cards, the table model over a computed
report, and the chart canvas coloured from the Qt palette."""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.dto.report_display import header, table_cell
from app.dto.reports import COUNT, HOUR, NUMBER, PERCENT, ReportTable
from app.i18n import N_, _
from app.printing.report_charts import ChartStyle, draw

Index = QModelIndex | QPersistentModelIndex
NUMERIC = (COUNT, NUMBER, PERCENT, HOUR)
# The drill-down's hint on a figure with customers behind it (app/views/reports/drilldown.py).
DRILL_HINT = N_("Enter: the customers behind this figure")


class KeyFigureCard(QFrame):
    """One figure a lead looks for first, large, with its name above it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"figure_{name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.caption = QLabel()
        self.caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # Wrapped: five captions on one line each made the window wider than the screen
        # at 150 % text.
        self.caption.setWordWrap(True)
        self.value = QLabel("–")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value.setFont(font)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def show_figure(self, caption: str, value: str) -> None:
        self.caption.setText(caption)
        self.value.setText(value)
        self.setAccessibleName(f"{caption}: {value}")


class ReportTableModel(QAbstractTableModel):
    """A computed report's rows (and its total row, in bold), formatted with Babel."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: ReportTable | None = None
        self.rows: list[tuple[Any, ...]] = []

    def set_table(self, table: ReportTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self.rows = [] if table is None else [*table.rows, *([table.total] if table.total
                                                             else [])]
        self.endResetModel()

    def retranslate(self) -> None:
        self.set_table(self.table)

    def members_at(self, index: Index) -> tuple[int, str] | None:
        """The drill-down's (row, column key) of a figure with customers behind it (the
        total row is -1), or None."""
        table = self.table
        if table is None or not index.isValid():
            return None
        row = -1 if table.total and index.row() == len(table.rows) else index.row()
        key = table.columns[index.column()].key
        return (row, key) if table.members_of(row, key) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (self.table is None or orientation != Qt.Orientation.Horizontal
                or role != Qt.ItemDataRole.DisplayRole):
            return None
        return header(self.table.columns[section])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        column = self.table.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return table_cell(self.table, index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            text = table_cell(self.table, index.row(), index.column())
            # A figure with customers behind it says so (the drill-down, #25).
            return f"{text}\n{_(DRILL_HINT)}" if self.members_at(index) else text
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and self.members_at(index):
            return _(DRILL_HINT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            total = bool(self.table.total) and index.row() == len(self.rows) - 1
            partial = self.table.partial_row(index.row()) is not None
            drillable = self.members_at(index) is not None
            if not (total or partial or drillable):
                return None
            font = QFont()
            font.setBold(total)
            font.setItalic(partial)  # an incomplete period, as its hatched bar
            font.setUnderline(drillable)  # opens the customers behind it, as a link
            return font
        return None


def palette_style(palette: QPalette) -> ChartStyle:
    """Chart colours from the palette: the highlight first, further series at hues
    turned from it, so a dark or high-contrast theme carries into the chart."""
    base = palette.color(QPalette.ColorRole.Highlight)
    hue, sat, val = base.hsvHue(), max(base.hsvSaturation(), 120), max(base.value(), 150)
    series = tuple(QColor.fromHsv((hue + step * 137) % 360, sat, val).name()
                   for step in range(8))
    background = palette.color(QPalette.ColorRole.Base)
    dark = background.lightness() < 128
    return ChartStyle(series=series,
                      text=palette.color(QPalette.ColorRole.Text).name(),
                      background=background.name(),
                      grid=palette.color(QPalette.ColorRole.Mid).name(),
                      reference="#ff8a80" if dark else "#b00020")


class ChartView(FigureCanvasQTAgg):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Figure(figsize=(5, 3), dpi=100))
        self.setParent(parent)
        self.setObjectName("report_chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 260)
        self.table: ReportTable | None = None

    def show_table(self, table: ReportTable | None) -> None:
        self.table = table
        self.redraw()

    def redraw(self) -> None:
        self._follow_text_size()
        self.figure.clear()
        if self.table is not None:
            draw(self.figure, self.table, palette_style(self.palette()))
        self.draw_idle()

    def _follow_text_size(self) -> None:
        """The chart's text (in points) in step with the application's: the figure's
        dots per inch follow the font's pixel size, 100 at 12 pixels (9 points on a
        96-dpi screen). At 150 % text the labels were still their 100 % size."""
        dpi = chart_dpi(self.font()) * self.device_pixel_ratio
        if abs(self.figure.dpi - dpi) > 0.5:
            self.figure.set_dpi(dpi)
            # The canvas keeps its size in pixels: the same pixels in the new inches.
            ratio = self.device_pixel_ratio
            self.figure.set_size_inches(max(1, self.width()) * ratio / dpi,
                                        max(1, self.height()) * ratio / dpi, forward=False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self.redraw()
        super().changeEvent(event)


def chart_dpi(font: QFont) -> float:
    """The figure resolution at which the charts' text matches the interface's `font`."""
    return 100 * QFontInfo(font).pixelSize() / 12

