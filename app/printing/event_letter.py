"""The invitation to an event (#21): `render_invitations(event, participants, place,
printed_on) -> bytes` (ReportLab platypus), one page per participant.

Each page is printed in its participant's language (fi, sv, en; any other language gets
Finnish, as the appointment letter): labels are gettext messages looked up in that
language, days and times go through Babel in it. A page says what the event is, every
session's day and time, where (the service point's address and the room) or the online
link, the description, who organises it and how to cancel (the point's phone)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from app.dto.events import EventDetail, ParticipantRow
from app.i18n import N_, format_date, format_time, translate_in
from app.printing import fonts
from app.printing.style import ACCENT, MUTED, PDF_LANG, RULE, SHADE
from app.rules.codes import EVENT_LABELS, EventKind

MARGIN = 22 * mm
LETTER_LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class LetterPlace:
    """The service point the invitation comes from and where the event is held."""

    name: str
    address: str = ""
    phone: str = ""


def letter_language(lang: str) -> str:
    return lang if lang in LETTER_LANGUAGES else "fi"


def render_invitations(event: EventDetail, participants: Sequence[ParticipantRow],
                       place: LetterPlace, printed_on: date) -> bytes:
    """One page per participant, each in the participant's language."""
    regular, bold = fonts.register()
    story: list[Flowable] = []
    for i, participant in enumerate(participants):
        if i:
            story.append(PageBreak())
        story += _page(event, participant, place, printed_on, regular, bold)
    first = letter_language(participants[0].language) if participants else "fi"
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=translate_in(first, N_("Invitation")),
        author=place.name, lang=PDF_LANG[first], initialFontName=regular)
    doc.build(story or [Spacer(1, 1)])
    return out.getvalue()


def _page(event: EventDetail, participant: ParticipantRow, place: LetterPlace,
          printed_on: date, regular: str, bold: str) -> list[Flowable]:
    lang = letter_language(participant.language)

    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14.5)
    small = ParagraphStyle("small", body, fontSize=8.5, leading=11, textColor=MUTED)
    head = ParagraphStyle("head", body, fontName=bold)
    title = ParagraphStyle("title", body, fontName=bold, fontSize=18, leading=23,
                           textColor=ACCENT, spaceAfter=3 * mm)
    h2 = ParagraphStyle("h2", body, fontName=bold, fontSize=12, leading=15,
                        textColor=ACCENT, spaceBefore=6 * mm, spaceAfter=2 * mm)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    sessions = [s for s in event.sessions if not s.cancelled]
    when = "\n".join(
        "{day}, {start}–{end}".format(
            day=format_date(s.starts_at, "full", lang).rstrip(","),
            start=format_time(s.starts_at, lang), end=format_time(s.ends_at, lang))
        for s in sessions)
    place_lines: list[str] = []
    rooms = sorted({s.room_name for s in sessions if s.room_name})
    if rooms or not event.online_link:
        place_lines += [event.row.service_point_name or place.name, place.address]
        place_lines += [t(N_("Room: {room}")).format(room=r) for r in rooms]
    links = sorted({s.online_link for s in sessions if s.online_link}
                   | ({event.online_link} if event.online_link else set()))
    if links:
        place_lines.append(t(N_("Online: {link}")).format(link=", ".join(links)))
    organisers = list(event.row.organiser_names)
    if event.external_organisers:
        organisers.append(event.external_organisers)
    if event.employer_name and event.employer_name not in organisers:
        organisers.append(event.employer_name)
    rows = [
        (t(N_("Event")), t(EVENT_LABELS[EventKind(event.row.kind)])),
        (t(N_("Time")) if len(sessions) < 2 else t(N_("Sessions")), when),
        (t(N_("Place")), "\n".join(x for x in place_lines if x)),
        (t(N_("Organisers")), "\n".join(organisers)),
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
    sender = "\n".join(x for x in (place.name, place.address, place.phone) if x)
    story: list[Flowable] = [
        p(sender, small),
        Spacer(1, 8 * mm),
        p(participant.name),
        Spacer(1, 10 * mm),
        p(t(N_("Invitation")), small),
        p(event.row.title, title),
        p(t(N_("You are invited to an event at the employment services.")), body),
        Spacer(1, 4 * mm),
        table,
    ]
    if event.description.strip():
        story += [p(t(N_("About the event")), h2), p(event.description.strip())]
    story.append(p(t(N_("If you cannot come")), h2))
    if place.phone:
        story.append(p(t(N_("Please tell us if you cannot come, by calling {phone}: your "
                            "place can then be given to someone on the waiting list."))
                       .format(phone=place.phone)))
    else:
        story.append(p(t(N_("Please tell your worker if you cannot come: your place can "
                            "then be given to someone on the waiting list."))))
    story += [Spacer(1, 10 * mm), p(t(N_("Printed on {date}")).format(
        date=format_date(printed_on, "short", lang)), small)]
    return story
