"""The invitation letter to a multi-professional meeting's participant (#24):
`render_invitation(letter) -> bytes` (ReportLab platypus).

Addressed to the participant (a partner person or a staff member) in the letter's
language: when and where, whose meeting it is and what it is for, who invites. Printed
only under the customer's consent (app/services/meetings.py checks it)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.dto.meetings import MeetingLetter
from app.i18n import N_, format_date, format_time, translate_in
from app.printing import fonts
from app.printing.style import PDF_LANG, RULE, SHADE, letter_styles

MARGIN = 22 * mm
CHANNEL_TEXT = {
    "service_point": N_("At the service point"),
    "phone": N_("By phone: the coach calls you at the time of the meeting."),
    "video": N_("By video: open the link below at the time of the meeting."),
}


def render_invitation(letter: MeetingLetter) -> bytes:
    lang = letter.lang

    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    regular, bold = fonts.register()
    styles = letter_styles(regular, bold)
    body, small, head, title = styles.body, styles.small, styles.head, styles.title

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    when = "{day}, {start}–{end}".format(
        day=format_date(letter.starts_at, "full", lang).rstrip(","),
        start=format_time(letter.starts_at, lang), end=format_time(letter.ends_at, lang))
    place = [t(CHANNEL_TEXT.get(letter.channel, CHANNEL_TEXT["service_point"]))]
    if letter.channel == "service_point":
        place = [letter.service_point_name, letter.service_point_address]
        if letter.room:
            place.append(t(N_("Room: {room}")).format(room=letter.room))
    elif letter.channel == "video" and letter.video_link:
        place.append(letter.video_link)
    inviter = ", ".join(x for x in (letter.staff_name, letter.staff_phone, letter.staff_email)
                        if x)
    rows = [
        (t(N_("Meeting")), t(N_("Multi-professional meeting"))),
        (t(N_("Customer")), letter.customer_name),
        (t(N_("Time")), when),
        (t(N_("Place")), "\n".join(x for x in place if x)),
        (t(N_("Invited by")), inviter),
    ]
    if letter.recipient_role:
        rows.append((t(N_("Your part")), letter.recipient_role))
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
    recipient = "\n".join(x for x in (letter.recipient_name, letter.recipient_organisation)
                          if x)
    story = [
        p(sender, small),
        Spacer(1, 8 * mm),
        p(recipient),
        Spacer(1, 10 * mm),
        p(t(N_("Invitation to a multi-professional meeting")), title),
        p(t(N_("You are invited to a multi-professional meeting to plan the customer's "
               "services and the way to work together with them. The customer has given "
               "their consent to share information with your organisation for this."))),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        p(t(N_("If you cannot come, please tell the coach who invited you as soon as "
               "possible."))),
        Spacer(1, 10 * mm),
        p(t(N_("Printed on {date}")).format(
            date=format_date(letter.printed_at, "short", lang)), small),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=t(N_("Invitation to a multi-professional meeting")),
        author=letter.service_point_name, lang=PDF_LANG[lang], initialFontName=regular)
    doc.build(story)
    return out.getvalue()
