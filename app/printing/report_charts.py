"""A report's chart drawn on a matplotlib Figure: the same drawing on screen (the view
puts the figure in a FigureCanvasQTAgg) and on paper (rendered to PNG for the PDF).
No pyplot: its global state is not safe off the GUI thread."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from app.dto.report_display import axis_label, format_decimal, header, partial_marker, title
from app.dto.reports import ReportTable
from app.i18n import current_language


@dataclass(frozen=True)
class ChartStyle:
    """Colours as '#rrggbb': the view takes them from the Qt palette, print uses PRINT."""

    series: tuple[str, ...]
    text: str
    background: str
    grid: str
    reference: str


# Print: a calm, colour-blind-safe set (Okabe-Ito) that also reads in greyscale.
PRINT = ChartStyle(series=("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                           "#F0E442", "#000000"),
                   text="#222222", background="#ffffff", grid="#d0d0d0", reference="#b00020")


def draw(figure: Figure, table: ReportTable, style: ChartStyle, lang: str | None = None
         ) -> None:
    figure.clear()
    # Constrained layout makes room for the legend and the rotated labels.
    figure.set_layout_engine("constrained")
    figure.set_facecolor(style.background)
    ax = figure.add_subplot()
    ax.set_facecolor(style.background)
    chart = table.chart
    x_column = table.columns[table.column(chart.x)]
    rows = table.rows[: chart.limit] if chart.limit else table.rows
    labels = [axis_label(x_column, row[table.column(chart.x)], lang) for row in rows]
    # A figure not yet known (None) is a gap in a line, never a point at zero.
    missing = float("nan") if chart.kind == "lines" else 0
    series = [(header(table.columns[table.column(key)], lang),
               [missing if row[table.column(key)] is None else row[table.column(key)]
                for row in rows]) for key in chart.series]
    positions = list(range(len(rows)))
    colours = [style.series[i % len(style.series)] for i in range(len(series))]
    if chart.kind == "hbars":
        _hbars(ax, positions, labels, series, colours)
    elif chart.kind == "lines":
        for (name, values), colour in zip(series, colours, strict=True):
            ax.plot(positions, values, marker="o", label=name, color=colour, linewidth=2)
    elif chart.kind == "stacked":
        bottom = [0.0] * len(rows)
        for (name, values), colour in zip(series, colours, strict=True):
            ax.bar(positions, values, 0.7, bottom=bottom, label=name, color=colour)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    else:
        width = 0.8 / max(1, len(series))
        for i, ((name, values), colour) in enumerate(zip(series, colours, strict=True)):
            offset = (i - (len(series) - 1) / 2) * width
            ax.bar([p + offset for p in positions], values, width, label=name, color=colour)
    _mark_partial(ax, table, len(rows), style, lang)
    if chart.kind != "hbars":
        ax.set_xticks(positions, labels, rotation=45 if len(rows) > 8 else 0,
                      ha="right" if len(rows) > 8 else "center")
    value_axis = ax.xaxis if chart.kind == "hbars" else ax.yaxis
    language = lang or current_language()
    if chart.percent:
        # A share runs from 0 up: all zeros (no plan made yet) must not draw -4..4 %.
        (ax.set_xlim if chart.kind == "hbars" else ax.set_ylim)(
            0, max([1.0, *(v for _n, vs in series for v in vs if v == v)]))
        value_axis.set_major_formatter(FuncFormatter(
            lambda v, _p: format_decimal(100 * v, "0", language) + " %"))
    else:
        value_axis.set_major_locator(MaxNLocator(integer=True))
        value_axis.set_major_formatter(FuncFormatter(
            lambda v, _p: format_decimal(v, "#,##0", language)))
    if chart.reference is not None:
        line = ax.axvline if chart.kind == "hbars" else ax.axhline
        line(chart.reference, color=style.reference, linestyle="--", linewidth=1.5,
             label=title(chart.reference_title or "", lang))
    _style_axes(ax, style)
    if len(series) > 1 or chart.reference is not None:
        entries = len(series) + (chart.reference is not None)
        handles, names = ax.get_legend_handles_labels()
        if chart.kind == "stacked":  # the legend lists the stack top down
            handles, names = handles[::-1], names[::-1]
        # A few series read best in a row above the plot; many (seven service areas)
        # beside it on paper, under it in the narrower view, never off the edge.
        loc: Literal["outside upper left", "outside right upper", "outside lower center"]
        if entries <= 3:
            loc, ncols = "outside upper left", entries
        elif figure.get_figwidth() >= 8:
            loc, ncols = "outside right upper", 1
        else:
            loc, ncols = "outside lower center", 2
        legend = figure.legend(handles, names, loc=loc, ncols=ncols, frameon=False,
                               fontsize=8, handlelength=1.2, columnspacing=1.2)
        for text in legend.get_texts():
            text.set_color(style.text)


def _mark_partial(ax: Axes, table: ReportTable, shown: int, style: ChartStyle,
                  lang: str | None) -> None:
    """A week or month not counted whole (the current one): its bars lighter and
    hatched, "so far" above them, so a short bar does not read as a collapse."""
    marked = {p.row: p for p in table.partial if p.row < shown}
    if not marked or not ax.containers:
        return
    tops: dict[int, float] = {}
    for container in ax.containers:
        for position, patch in enumerate(container):
            if position in marked:
                patch.set_alpha(0.45)
                patch.set_hatch("////")
                patch.set_edgecolor(style.text)
                patch.set_linewidth(0)
                top = patch.get_y() + patch.get_height()
                tops[position] = max(tops.get(position, top), top)
    for position, partial in marked.items():
        ax.annotate(partial_marker(partial, lang), (position, tops.get(position, 0)),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize=7, fontstyle="italic", color=style.text)


def _hbars(ax: Axes, positions: Sequence[int], labels: Sequence[str],
           series: Sequence[tuple[str, Sequence[float]]], colours: Sequence[str]) -> None:
    name, values = series[0]
    ax.barh(positions, values, 0.7, color=colours[0], label=name)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()  # the first row (the largest) on top


def _style_axes(ax: Axes, style: ChartStyle) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(style.grid)
    ax.tick_params(colors=style.text, labelsize=8)
    ax.grid(axis="both", color=style.grid, linewidth=0.5, alpha=0.7)
    ax.set_axisbelow(True)


def png(table: ReportTable, style: ChartStyle = PRINT, lang: str | None = None,
        size: tuple[float, float] = (6.4, 3.0), dpi: int = 150) -> bytes:
    """The chart as PNG (Agg renderer, no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(figure)
    draw(figure, table, style, lang)
    out = io.BytesIO()
    figure.savefig(out, format="png", facecolor=style.background)
    return out.getvalue()
