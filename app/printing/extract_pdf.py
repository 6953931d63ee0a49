"""The right-of-access extract as PDF: every section of the extract (app/services/
rights.py) with every row and field, in the requested language. Pure data -> bytes."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.i18n import N_, format_datetime, translate_in
from app.printing import fonts
from app.printing.style import PDF_LANG

SECTIONS = {
    "customer": N_("Personal details"),
    "unemployment_period": N_("Unemployment periods"),
    "customer_note": N_("Notes"),
    "plan": N_("Plans"),
    "plan_version": N_("Plan versions"),
    "plan_goal": N_("Plan goals"),
    "plan_action": N_("Plan actions"),
    "plan_service": N_("Services in plans"),
    "visit": N_("Visits and contacts"),
    "queue_ticket": N_("Queue tickets"),
    "appointment": N_("Appointments"),
    "referral": N_("Referrals"),
    "support_decision": N_("Support decisions"),
    "effect_followup": N_("Follow-ups of effect"),
    "audit_event": N_("Who has handled the data"),
}


def render_extract(extract: dict[str, Any], lang: str = "fi") -> bytes:
    lang = lang if lang in PDF_LANG else "fi"
    regular, bold = fonts.register()

    def t(message: str) -> str:
        return translate_in(lang, message)

    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
    key = ParagraphStyle("key", body, fontName=bold)
    h1 = ParagraphStyle("h1", body, fontName=bold, fontSize=16, leading=20, spaceAfter=4)
    h2 = ParagraphStyle("h2", body, fontName=bold, fontSize=12, leading=15, spaceBefore=10,
                        spaceAfter=4)
    title = t("Extract of personal data")
    story: list[Any] = [
        Paragraph(escape(title), h1),
        Paragraph(escape(t("Everything held on this customer by the employment services, "
                           "made on {made_at} by {made_by}.").format(
                               made_at=format_datetime(datetime.fromisoformat(
                                   extract["made_at"]), lang=lang),
                               made_by=extract["made_by"])),
                  body),
    ]
    for name, rows in extract["sections"].items():
        story.append(Paragraph(escape(t(SECTIONS.get(name, name))), h2))
        if not rows:
            story.append(Paragraph(escape(t("Nothing.")), body))
            continue
        for row in rows:
            cells = [[Paragraph(escape(str(k)), key), Paragraph(escape(_text(v)), body)]
                     for k, v in row.items()]
            table = Table(cells, colWidths=[48 * mm, 122 * mm])
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b7c3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            story += [table, Spacer(1, 3 * mm)]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=18 * mm, title=title, author=t("Rovaseutu employment area"),
        creator="Rovaseutu desk", lang=PDF_LANG[lang], initialFontName=regular,
        initialFontSize=9,
    ).build(story)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "–"
    return str(value)
