"""The annual calendar (vuosikello, #21) on one landscape A4 page:
`render_annual_calendar(calendar, title, lang) -> bytes`.

Twelve months in a 4 x 3 grid, each with its themes (bold) and its events (day, title;
the annual ones marked ↻). A month with more than fits is shortened with "+ N more" so
the page stays one page: the grid's rows have a fixed height."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from babel import dates as babel_dates
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from app.dto.events import AnnualCalendar, AnnualMonth
from app.i18n import N_, babel_locale, format_day, translate_in
from app.printing import fonts
from app.printing.annual_lines import month_lines
from app.printing.style import ACCENT, MUTED, PDF_LANG, RULE, SHADE

PAGE = landscape(A4)
MARGIN = 12 * mm
COLUMNS, ROWS = 4, 3
TITLE_SPACE = 16 * mm
LINES_PER_MONTH = 12 # theme and event lines a month shows before "+ N more"


def month_name(month: int, lang: str) -> str:
    """The month's stand-alone name, capitalised ("Tammikuu", "Januari", "January")."""
    name = babel_dates.get_month_names("wide", "stand-alone", locale=babel_locale(lang))[month]
    return name[:1].upper() + name[1:]


def render_annual_calendar(calendar: AnnualCalendar, place: str, lang: str) -> bytes:
    lang = lang if lang in PDF_LANG else "fi"

    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    regular, bold = fonts.register()
    body = ParagraphStyle("body", fontName=regular, fontSize=7.5, leading=9.2)
    theme = ParagraphStyle("theme", body, fontName=bold, textColor=ACCENT)
    muted = ParagraphStyle("muted", body, textColor=MUTED)
    month_head = ParagraphStyle("month", body, fontName=bold, fontSize=10.5, leading=13,
                                textColor=ACCENT)
    title = ParagraphStyle("title", body, fontName=bold, fontSize=15, leading=19,
                           textColor=ACCENT)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    def cell(month: AnnualMonth) -> list[Flowable]:
        lines: list[Paragraph] = [p(f"◆ {th.title[:60]}", theme) for th in month.themes]
        lines += [p(line) for line in month_lines(
            month.events, lambda when: format_day(when, lang=lang), shorten=44)]
        if len(lines) > LINES_PER_MONTH:
            more = len(lines) - (LINES_PER_MONTH - 1)
            lines = lines[:LINES_PER_MONTH - 1]
            lines.append(p(t(N_("+ {n} more")).format(n=more), muted))
        if not lines:
            lines.append(p("–", muted))
        return [p(month_name(month.month, lang), month_head), *lines]

    months = {m.month: m for m in calendar.months}
    grid = [[cell(months.get(r * COLUMNS + c + 1, AnnualMonth(r * COLUMNS + c + 1, (), ())))
             for c in range(COLUMNS)] for r in range(ROWS)]
    width = PAGE[0] - 2 * MARGIN
    height = (PAGE[1] - 2 * MARGIN - TITLE_SPACE) / ROWS
    table = Table(grid, colWidths=[width / COLUMNS] * COLUMNS, rowHeights=[height] * ROWS)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    heading = t(N_("Annual calendar {year}")).format(year=calendar.year)
    legend = t(N_("◆ theme of the month   ↻ recurs every year"))
    story: list[Flowable] = [p(f"{heading} – {place}" if place else heading, title),
                             p(legend, muted), table]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=heading, lang=PDF_LANG[lang], initialFontName=regular)
    doc.build(story)
    return out.getvalue()
