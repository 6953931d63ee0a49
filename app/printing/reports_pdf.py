"""The reports view on paper: `render_reports(...) -> bytes` (ReportLab platypus), each
report's chart as an image (the same drawing as on screen, see report_charts) with its
figures in a table under it. Landscape A4: the tables are wide."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.dto.report_display import header, partial_note, text_rows, title
from app.dto.reports import COUNT, NUMBER, PERCENT, ReportTable
from app.i18n import N_, format_datetime, translate_in
from app.printing import fonts
from app.printing.report_charts import png
from app.printing.style import ACCENT, MUTED, PDF_LANG, RULE, SHADE

MARGIN = 14 * mm
PAGE = landscape(A4)
WIDTH = PAGE[0] - 2 * MARGIN
CHART_SIZE = (11.0, 2.8)  # inches, drawn at 150 dpi, scaled to the text width


@dataclass(frozen=True)
class ReportsDocument:
    """What the view shows, already in words: the filters, the key figures and the
    generation time, plus the computed reports."""

    filters: str  # "1.9.2026–28.11.2026 · Rovaniemi – Osaamo · every team"
    key_figures: tuple[tuple[str, str], ...]  # (title, value) as shown on the cards
    generated_at: datetime
    reports: tuple[ReportTable, ...]


def paragraph_styles() -> dict[str, ParagraphStyle]:
    """The styles of the reports PDF (the quarterly export's PDF uses them too)."""
    regular, bold = fonts.register()
    base = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8, leading=10,
                                textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", base, fontName=bold, fontSize=7.5, leading=9),
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=16, leading=20,
                                textColor=ACCENT),
        "h2": ParagraphStyle("h2", base, fontName=bold, fontSize=12, leading=15,
                             textColor=ACCENT, spaceAfter=2 * mm),
        "figure": ParagraphStyle("figure", base, fontName=bold, fontSize=13, leading=16),
    }


def render_reports(document: ReportsDocument, lang: str) -> bytes:
    regular, _bold = fonts.register()
    styles = paragraph_styles()

    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), styles[style])

    story: list = [p(t(N_("Reports")) + " – " + t(N_("Rovaseutu employment area")), "title"),
                   p(document.filters),
                   p(t(N_("Printed {time}")).format(
                       time=format_datetime(document.generated_at, "short", lang)), "small"),
                   Spacer(1, 4 * mm)]
    if document.key_figures:
        cards = [[Paragraph(escape(name), styles["small"]) for name, _v in document.key_figures],
                 [Paragraph(escape(value), styles["figure"])
                  for _n, value in document.key_figures]]
        width = WIDTH / len(document.key_figures)
        grid = Table(cards, colWidths=[width] * len(document.key_figures))
        grid.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), SHADE),
                                  ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                                  ("TOPPADDING", (0, 0), (-1, -1), 4),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
        story += [grid, Spacer(1, 4 * mm)]
    for table in document.reports:
        story += _report(table, lang, styles)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=t(N_("Reports")), author=t(N_("Rovaseutu employment area")),
        creator="Rovaseutu desk", lang=PDF_LANG.get(lang, "fi-FI"),
        initialFontName=regular, initialFontSize=9)
    pdf.build(story)
    return buffer.getvalue()


def _report(table: ReportTable, lang: str, styles: dict[str, ParagraphStyle]) -> list:
    chart = Image(io.BytesIO(png(table, lang=lang, size=CHART_SIZE)), width=WIDTH,
                  height=WIDTH * CHART_SIZE[1] / CHART_SIZE[0])
    numeric = [c.kind in (COUNT, NUMBER, PERCENT) for c in table.columns]
    head = [Paragraph(escape(header(c, lang)), styles["head"]) for c in table.columns]
    body = [[Paragraph(escape(v), styles["cell"]) for v in row]
            for row in text_rows(table, lang)]
    grid = Table([head, *body], repeatRows=1, colWidths=_widths(table))
    commands: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    commands += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i, n in enumerate(numeric) if n]
    if table.total:
        commands.append(("BACKGROUND", (0, len(body)), (-1, len(body)), SHADE))
    grid.setStyle(TableStyle(commands))
    parts: list = [Paragraph(escape(title(table.title, lang)), styles["h2"]), chart,
                   Spacer(1, 3 * mm), grid]
    note = " ".join(t for t in (table.note_text(lambda m: translate_in(lang, m)),
                                partial_note(table, lang)) if t)
    if note:
        parts += [Spacer(1, 2 * mm), Paragraph(escape(note), styles["small"])]
    # A report that fits a page moves to the next page whole; a longer one (sixty
    # workers) splits, its header row repeated.
    return [KeepTogether(parts), Spacer(1, 6 * mm)]


def _widths(table: ReportTable) -> list[float]:
    """Names get room; figures share the rest."""
    text = [c.kind not in (COUNT, NUMBER, PERCENT) for c in table.columns]
    wide = sum(text) * 2 + (len(text) - sum(text))
    unit = WIDTH / max(1, wide)
    return [unit * (2 if t else 1) for t in text]
