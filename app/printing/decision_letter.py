"""The decision letter of a support decision: `render_decision(letter) -> bytes`
(ReportLab platypus, the fonts and palette of the plan and the appointment letter).

Printed in the letter's language (the customer's: fi, sv or en, else Finnish): labels
are gettext messages looked up in that language, dates and euros go through Babel in
it. The decision (kind, employer and Y-tunnus, period, hours or percentage, amount,
paying municipality), who decided and when; an ended one its end date and reason; a
replaced one names the decision that replaced it; a draft says it is not yet decided.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.dto.decisions import DecisionLetter, DecisionRow
from app.i18n import N_, format_date, translate_in
from app.printing import fonts
from app.printing.style import ACCENT, MUTED, PDF_LANG, RULE, SHADE
from app.rules.codes import SERVICE_LABELS, DecisionKind, DecisionStatus
from app.rules.decisions import format_euros, format_hours

MARGIN = 22 * mm
LANGUAGES = ("fi", "sv", "en")


def render_decision(letter: DecisionLetter) -> bytes:
    lang = letter.language if letter.language in LANGUAGES else "fi"
    d = letter.decision

    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    def day(value: object) -> str:
        return format_date(value, "short", lang)  # type: ignore[arg-type]

    def kind_of(row: DecisionRow) -> str:
        return t(SERVICE_LABELS[DecisionKind(row.kind)])

    regular, bold = fonts.register()
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14.5)
    small = ParagraphStyle("small", body, fontSize=8.5, leading=11, textColor=MUTED)
    head = ParagraphStyle("head", body, fontName=bold)
    title = ParagraphStyle("title", body, fontName=bold, fontSize=18, leading=23,
                           textColor=ACCENT, spaceAfter=3 * mm)
    h2 = ParagraphStyle("h2", body, fontName=bold, fontSize=12, leading=15,
                        textColor=ACCENT, spaceBefore=6 * mm, spaceAfter=2 * mm)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    employer = d.employer_name
    if d.employer_business_id:
        employer += "\n" + t(N_("Business ID {id}")).format(id=d.employer_business_id)
    rows: list[tuple[str, str]] = [
        (t(N_("Decision")), kind_of(d)),
        (t(N_("Customer")), "\n".join(x for x in (letter.customer_name,
                                                  letter.customer_hetu) if x)),
        (t(N_("Employer or organiser")), employer),
        (t(N_("Period")), f"{day(d.starts_on)} – {day(d.ends_on)}"),
    ]
    if d.hours_per_week is not None:
        rows.append((t(N_("Hours per week")), format_hours(d.hours_per_week, lang)))
    if d.percentage is not None:
        rows.append((t(N_("Percentage of pay")), f"{d.percentage} %"))
    if d.amount_cents is not None:
        rows.append((t(N_("Amount")), format_euros(d.amount_cents, lang)))
    rows.append((t(N_("Paid by")), d.paying_municipality))
    rows.append((t(N_("Status")), t(SERVICE_LABELS[DecisionStatus(d.status)])))
    if d.decided_on:
        rows.append((t(N_("Decided")), t(N_("{day} by {name}")).format(
            day=day(d.decided_on), name=d.decided_by_name or "–")))
    table = Table([[p(k, head), p(v)] for k, v in rows],
                  colWidths=[46 * mm, A4[0] - 2 * MARGIN - 46 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    sender = "\n".join(x for x in (letter.service_point_name,
                                   letter.service_point_address) if x)
    heading = t(N_("Decision: {kind}")).format(kind=kind_of(d))
    story = [p(sender, small), Spacer(1, 8 * mm), p(letter.customer_name),
             Spacer(1, 10 * mm), p(heading, title)]
    if d.status == DecisionStatus.DRAFT:
        story.append(p(t(N_("DRAFT: this decision has not been decided yet.")), head))
    story += [Spacer(1, 4 * mm), table]
    if d.status == DecisionStatus.ENDED and d.ended_on:
        story += [p(t(N_("Ended early")), h2),
                  p(t(N_("The decision ended early on {day}.")).format(day=day(d.ended_on))),
                  p(t(N_("Reason: {reason}")).format(reason=d.end_reason or ""))]
    if d.status == DecisionStatus.REPLACED:
        story.append(p(t(N_("Replaced")), h2))
        other = letter.replaced_by
        if other is not None and other.decided_on:
            story.append(p(t(N_("This decision was replaced by the decision of {day} "
                                "({kind}, {start} – {end}).")).format(
                day=day(other.decided_on), kind=kind_of(other), start=day(other.starts_on),
                end=day(other.ends_on))))
        else:
            story.append(p(t(N_("This decision was replaced by a later decision."))))
    if letter.replaces is not None and letter.replaces.decided_on:
        story.append(p(t(N_("This decision replaces the decision of {day}.")).format(
            day=day(letter.replaces.decided_on)), body))
    story += [Spacer(1, 10 * mm), p(t(N_("Printed on {date}")).format(
        date=day(letter.printed_on)), small)]

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=heading, author=letter.service_point_name,
        lang=PDF_LANG[lang], initialFontName=regular)
    doc.build(story)
    return out.getvalue()
