"""The referral letter to the service provider and the customer's own copy (#20),
ReportLab platypus like the plan and the appointment letter.

Printed in the letter's language (the customer's: fi, sv or en): labels are gettext
messages looked up in that language, dates go through Babel in it. The provider's letter
names the customer by name and customer number (never the identity code), the service,
the contract, the dates, the coach and how to reach them, and the note; the customer's
copy says what, where (the provider's address and contact), when and what to do."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.dto.referrals import ReferralLetter
from app.i18n import N_, format_date, translate_in
from app.printing import fonts
from app.printing.style import ACCENT, MUTED, PDF_LANG, RULE, SHADE
from app.rules.codes import SERVICE_LABELS, ServiceKind

MARGIN = 22 * mm
PROVIDER_TITLE = N_("Referral to a purchased service")
CUSTOMER_TITLE = N_("Your referral to a service")


class _Writer:
    def __init__(self, letter: ReferralLetter) -> None:
        self.letter = letter
        self.lang = letter.language if letter.language in PDF_LANG else "fi"
        self.regular, bold = fonts.register()
        body = ParagraphStyle("body", fontName=self.regular, fontSize=10.5, leading=14.5)
        self.styles = {
            "body": body,
            "small": ParagraphStyle("small", body, fontSize=8.5, leading=11, textColor=MUTED),
            "head": ParagraphStyle("head", body, fontName=bold),
            "title": ParagraphStyle("title", body, fontName=bold, fontSize=18, leading=23,
                                    textColor=ACCENT, spaceAfter=3 * mm),
            "h2": ParagraphStyle("h2", body, fontName=bold, fontSize=12, leading=15,
                                 textColor=ACCENT, spaceBefore=6 * mm, spaceAfter=2 * mm),
        }

    def t(self, msgid: str) -> str:
        return translate_in(self.lang, msgid)

    def d(self, day: date | None) -> str:
        return format_date(day, "short", self.lang) if day else ""

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), self.styles[style])

    def table(self, rows: list[tuple[str, str]]) -> Table:
        table = Table([[self.p(k, "head"), self.p(v)] for k, v in rows if v],
                      colWidths=[48 * mm, A4[0] - 2 * MARGIN - 48 * mm])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.regular),
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]))
        return table

    def sender(self) -> Paragraph:
        x = self.letter
        return self.p("\n".join(v for v in (x.office_name, x.office_address, x.office_phone)
                                if v), "small")

    def service(self) -> str:
        return self.t(SERVICE_LABELS[ServiceKind(self.letter.service)])

    def period(self) -> str:
        x = self.letter
        start = x.plan_service_starts_on or x.started_on
        end = x.plan_service_ends_on
        if start and end:
            return f"{self.d(start)}–{self.d(end)}"
        if start:
            return self.t(N_("from {date}")).format(date=self.d(start))
        return self.t(N_("as agreed with the provider"))

    def coach(self) -> str:
        x = self.letter
        return "\n".join(v for v in (
            ", ".join(w for w in (x.coach_name, x.coach_title) if w),
            x.coach_phone, x.coach_email) if v)

    def provider(self) -> str:
        x = self.letter
        return "\n".join(v for v in (x.provider_name, *x.provider_address,
                                     x.provider_contact_person, x.provider_phone,
                                     x.provider_email) if v)

    def printed(self) -> Paragraph:
        return self.p(self.t(N_("Printed on {date}")).format(
            date=self.d(self.letter.printed_on)), "small")

    def provider_letter(self) -> list[Any]:
        x = self.letter
        rows = [
            (self.t(N_("Customer")), x.customer_name),
            (self.t(N_("Customer number")), x.customer_number),
            (self.t(N_("Customer's contact")), "\n".join(
                v for v in (*x.customer_address, x.customer_phone, x.customer_email) if v)),
            (self.t(N_("Service")), self.service()),
            (self.t(N_("Contract")), f"{x.contract_title} ({self.d(x.contract_starts_on)}–"
                                     f"{self.d(x.contract_ends_on)})"),
            (self.t(N_("Referred on")), self.d(x.sent_on or x.proposed_on)),
            (self.t(N_("Planned time")), self.period()),
            (self.t(N_("Coach")), self.coach()),
        ]
        story: list[Any] = [
            self.sender(), Spacer(1, 8 * mm),
            self.p("\n".join(v for v in (x.provider_name, *x.provider_address,
                                         x.provider_contact_person) if v)),
            Spacer(1, 10 * mm),
            self.p(self.t(PROVIDER_TITLE), "title"),
            self.p(self.t(N_("We refer the customer below to the service under our "
                             "contract. Please tell the coach whether you accept the "
                             "referral, and when the service starts and ends."))),
            Spacer(1, 4 * mm), self.table(rows)]
        if x.note:
            story += [self.p(self.t(N_("Note")), "h2"), self.p(x.note)]
        story += [Spacer(1, 10 * mm), self.printed()]
        return story

    def customer_copy(self) -> list[Any]:
        x = self.letter
        rows = [
            (self.t(N_("Service")), self.service()),
            (self.t(N_("Provider")), self.provider()),
            (self.t(N_("When")), self.period()),
            (self.t(N_("Referred on")), self.d(x.sent_on or x.proposed_on)),
            (self.t(N_("Your coach")), self.coach()),
        ]
        story: list[Any] = [
            self.sender(), Spacer(1, 8 * mm),
            self.p("\n".join(v for v in (x.customer_name, *x.customer_address) if v)),
            Spacer(1, 10 * mm),
            self.p(self.t(CUSTOMER_TITLE), "title"),
            self.p(self.t(N_("Your coach has referred you to the service below, as agreed in "
                             "your employment plan."))),
            Spacer(1, 4 * mm), self.table(rows),
            self.p(self.t(N_("What to do")), "h2"),
            self.p("• " + self.t(N_("The provider contacts you to agree on the start. If "
                                    "you have not heard from them within two weeks, call "
                                    "them."))),
            self.p("• " + self.t(N_("If you cannot take part, tell your coach at once."))),
            self.p("• " + self.t(N_("Taking part is part of your employment plan: tell your "
                                    "coach how the service went.")))]
        # The coach's note is for the provider only.
        story += [Spacer(1, 10 * mm), self.printed()]
        return story

    def build(self, story: list[Any], title: str) -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(
            out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN, title=self.t(title), author=self.letter.office_name,
            lang=PDF_LANG[self.lang], initialFontName=self.regular)
        doc.build(story)
        return out.getvalue()


def _render(letter: ReferralLetter, parts: Callable[[_Writer], list[Any]],
            title: str) -> bytes:
    writer = _Writer(letter)
    return writer.build(parts(writer), title)


def provider_letter_pdf(letter: ReferralLetter) -> bytes:
    return _render(letter, _Writer.provider_letter, PROVIDER_TITLE)


def customer_copy_pdf(letter: ReferralLetter) -> bytes:
    return _render(letter, _Writer.customer_copy, CUSTOMER_TITLE)


def both_pdf(letter: ReferralLetter) -> bytes:
    """The provider's letter, then the customer's copy on a page of its own."""
    return _render(letter, lambda w: [*w.provider_letter(), PageBreak(), *w.customer_copy()],
                   PROVIDER_TITLE)
