"""A message of the print list as a letter (#23) when no other printout says it: the
notice that an appointment was cancelled. `render_notice(...) -> bytes` (ReportLab).

The wording is the message's own (app/rules/message_text.py: the admins' e-mail
template, else the built-in one) in the customer's language; only the date line is a
gettext label looked up in that language."""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from app.i18n import N_, format_date, translate_in
from app.printing import fonts
from app.printing.style import ACCENT, MUTED, PDF_LANG

MARGIN = 22 * mm


def render_notice(lang: str, customer_name: str, customer_address: str, subject: str,
                  body: str, sender: str, printed_on: date) -> bytes:
    lang = lang if lang in PDF_LANG else "fi"
    regular, bold = fonts.register()
    text = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14.5,
                          spaceAfter=2 * mm)
    small = ParagraphStyle("small", text, fontSize=8.5, leading=11, textColor=MUTED)
    title = ParagraphStyle("title", text, fontName=bold, fontSize=16, leading=21,
                           textColor=ACCENT, spaceAfter=4 * mm)

    def p(value: str, style: ParagraphStyle = text) -> Paragraph:
        return Paragraph(escape(value).replace("\n", "<br/>"), style)

    story = [p(sender, small), Spacer(1, 8 * mm),
             p("\n".join(x for x in (customer_name, customer_address) if x)),
             Spacer(1, 10 * mm)]
    if subject:
        story.append(p(subject, title))
    story += [p(part) for part in body.split("\n\n") if part.strip()]
    story += [Spacer(1, 10 * mm), p(translate_in(lang, N_("Printed on {date}")).format(
        date=format_date(printed_on, "short", lang)), small)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=subject or sender,
                            author=sender, lang=PDF_LANG[lang], initialFontName=regular)
    doc.build(story)
    return out.getvalue()
