"""The quarterly export for the ministry and the ELY centre as a PDF summary (#25):
`render_quarterly(report, lang) -> bytes`. What it is (the area, the quarter, when it was
made and by which role: no names), the indicators table by section (the three months and
the quarter, each row's source report), then the charts, drawn and tabled exactly as the
reports PDF draws a report (reports_pdf._report). Landscape A4, in the user's language."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.dto.quarterly import (
    QuarterlyReport,
    area_text,
    column_titles,
    detail_text,
    notes,
    period_text,
    value_text,
)
from app.i18n import N_, format_datetime, translate_in
from app.printing import fonts
from app.printing.reports_pdf import MARGIN, PAGE, WIDTH, _report, paragraph_styles
from app.printing.style import ACCENT, PDF_LANG, RULE, SHADE
from app.rules.codes import LABELS, Role


def render_quarterly(report: QuarterlyReport, lang: str) -> bytes:
    regular, _bold = fonts.register()
    styles = paragraph_styles()

    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), styles[style])

    title = t(N_("Quarterly indicators for the ministry and the ELY centre"))
    made = t(N_("Made {time} by: {role}")).format(
        time=format_datetime(report.made_at, "short", lang),
        role=t(LABELS[Role(report.role)]))
    story: list[Any] = [p(title, "title"), p(period_text(report, lang), "figure"),
                        p(area_text(report, lang)), p(made, "small"), Spacer(1, 4 * mm)]
    story += [_indicators(report, lang, styles), Spacer(1, 3 * mm)]
    story += [p(note, "small") for note in notes(report, lang)]
    story.append(Spacer(1, 6 * mm))
    for table in report.charts:
        story += _report(table, lang, styles)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=f"{title} – {period_text(report, lang)}",
        author=t(N_("Rovaseutu employment area")), creator="Rovaseutu desk",
        lang=PDF_LANG.get(lang, "fi-FI"), initialFontName=regular, initialFontSize=9)
    pdf.build(story)
    return buffer.getvalue()


def _indicators(report: QuarterlyReport, lang: str, styles: dict[str, Any]) -> Table:
    """The indicators with a heading row per section; the quarter's column shaded."""
    cell, head = styles["cell"], styles["head"]
    figure_style = ParagraphStyle("figure_cell", cell, alignment=TA_RIGHT)
    figure_head = ParagraphStyle("figure_head", head, alignment=TA_RIGHT)

    def p(text: str, style: Any = cell) -> Paragraph:
        return Paragraph(escape(text), style)

    rows: list[list[Any]] = [[p(translate_in(lang, N_("Indicator")), head), p("", head),
                              *(p(c, figure_head) for c in column_titles(report, lang)),
                              p(translate_in(lang, N_("Source report")), head)]]
    commands: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (2, 0), (5, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    section = None
    previous_title = previous_source = None
    for indicator in report.indicators:
        if indicator.section != section:
            section, previous_title, previous_source = indicator.section, None, None
            rows.append([p(translate_in(lang, section), styles["h2"]), "", "", "", "", "",
                         ""])
            commands += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                         ("TOPPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 6)]
        # A title repeated on the rows under it reads as noise: shown once per group.
        title = translate_in(lang, indicator.title)
        source = translate_in(lang, indicator.source_title)
        rows.append([p("" if title == previous_title else title),
                     p(detail_text(indicator, lang)),
                     *(p(value_text(indicator, v, lang), figure_style)
                       for v in indicator.values),
                     p("" if source == previous_source else source, styles["small"])])
        previous_title, previous_source = title, source
        row = len(rows) - 1
        commands += [("LINEBELOW", (0, row), (-1, row), 0.25, RULE),
                     ("BACKGROUND", (5, row), (5, row), SHADE)]
    # Names get room; an amount in euros ("716 482,88 €") fits a figure column.
    names, details, sources = 0.26 * WIDTH, 0.17 * WIDTH, 0.21 * WIDTH
    figure = (WIDTH - names - details - sources) / 4
    grid = Table(rows, repeatRows=1,
                 colWidths=[names, details, figure, figure, figure, figure, sources])
    grid.setStyle(TableStyle(commands))
    return grid
