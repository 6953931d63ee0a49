"""The appointment letter: `render_letter(letter) -> bytes` (ReportLab platypus).

Printed in the letter's language (the customer's): labels are gettext messages looked up
in that language, dates and times go through Babel in it. One page: when and where, whom
the customer meets, what to bring for this type of appointment, how to cancel.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.dto.appointments import AppointmentLetter
from app.i18n import N_, format_date, format_time, translate_in
from app.printing import fonts
from app.printing.style import PDF_LANG, RULE, SHADE, letter_styles
from app.rules.codes import APPOINTMENT_LABELS, AppointmentType

MARGIN = 22 * mm

# What to bring, by type: the papers each meeting actually uses.
BRING: dict[str, tuple[str, ...]] = {
    AppointmentType.INITIAL_INTERVIEW.value: (
        N_("an identity document with a photo"),
        N_("your CV or a list of your jobs and studies"),
        N_("certificates of your latest work and studies"),
    ),
    AppointmentType.JOB_SEARCH_CONVERSATION.value: (
        N_("a list of the jobs you have applied for since our last meeting"),
        N_("your CV, if it has changed"),
    ),
    AppointmentType.PLAN_REVIEW.value: (
        N_("your employment plan"),
        N_("a list of the jobs you have applied for since our last meeting"),
    ),
    AppointmentType.MULTI_PROFESSIONAL.value: (
        N_("an identity document with a photo"),
        N_("any medical or other statements you want us to know about"),
    ),
    AppointmentType.OTHER.value: (N_("an identity document with a photo"),),
}
CHANNEL_TEXT = {
    "service_point": N_("At the service point"),
    "phone": N_("By phone: your worker calls you at the time of the appointment."),
    "video": N_("By video: open the link below at the time of the appointment."),
}


def render_letter(letter: AppointmentLetter) -> bytes:
    lang = letter.lang

    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    regular, bold = fonts.register()
    styles = letter_styles(regular, bold)
    body, small, head, title, h2 = (styles.body, styles.small, styles.head, styles.title,
                                    styles.h2)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    when = "{day}, {start}–{end}".format(
        day=format_date(letter.starts_at, "full", lang).rstrip(","),
        start=format_time(letter.starts_at, lang), end=format_time(letter.ends_at, lang))
    place_lines = [t(CHANNEL_TEXT[letter.channel])]
    if letter.channel == "service_point":
        place_lines = [letter.service_point_name, letter.service_point_address]
        if letter.room:
            place_lines.append(t(N_("Room: {room}")).format(room=letter.room))
    elif letter.channel == "video" and letter.video_link:
        place_lines.append(letter.video_link)
    worker = letter.staff_name + (f", {letter.staff_phone}" if letter.staff_phone else "")
    rows = [
        (t(N_("Appointment")), t(APPOINTMENT_LABELS[AppointmentType(letter.type)])),
        (t(N_("Time")), when),
        (t(N_("Place")), "\n".join(x for x in place_lines if x)),
        (t(N_("You will meet")), worker),
    ]
    table = Table([[p(k, head), p(v)] for k, v in rows],
                  colWidths=[42 * mm, A4[0] - 2 * MARGIN - 42 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    sender = "\n".join(x for x in (letter.service_point_name, letter.service_point_address,
                                   letter.service_point_phone) if x)
    story = [
        p(sender, small),
        Spacer(1, 8 * mm),
        p("\n".join(x for x in (letter.customer_name, letter.customer_address) if x)),
        Spacer(1, 10 * mm),
        p(t(N_("Your appointment")), title),
        p(t(N_("Welcome to your appointment at the employment services.")), body),
        Spacer(1, 4 * mm),
        table,
        p(t(N_("Please bring")), h2),
    ]
    story += [p("• " + t(item)) for item in BRING[letter.type]]
    story += [p(t(N_("If you cannot come")), h2)]
    phone = letter.service_point_phone or letter.staff_phone
    if phone:
        story.append(p(t(N_("Cancel or change the time by calling {phone} at least one working "
                            "day before. If you do not come and have not cancelled, it may "
                            "affect your unemployment benefit.")).format(phone=phone)))
    else:
        story.append(p(t(N_("Cancel or change the time by contacting your worker at least "
                            "one working day before."))))
    story += [Spacer(1, 10 * mm), p(t(N_("Printed on {date}")).format(
        date=format_date(letter.printed_at, "short", lang)), small)]

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=t(N_("Your appointment")), author=letter.service_point_name,
        lang=PDF_LANG[lang], initialFontName=regular)
    doc.build(story)
    return out.getvalue()
