"""The printed employment plan: `render_plan(document, lang) -> bytes` (ReportLab platypus).

Printed labels are gettext messages looked up in the document's language (the
customer's), whatever the language of the user interface; dates go through Babel in
the same language. Fonts are embedded (see `fonts`), so Sámi letters print and extract.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.dto.plans import PlanActionItem, PlanDocument
from app.i18n import N_, format_date, translate_in
from app.printing import fonts
from app.printing.style import ACCENT, MUTED, PDF_LANG, RULE, SHADE
from app.rules import plan_vocabulary as vocab
from app.rules.plan_wordings import WORDINGS, Wording

MARGIN = 20 * mm
INSET = 6  # the frame's padding: page furniture lines up with the text
HEADER_HEIGHT = 24 * mm
FOOTER_HEIGHT = 14 * mm
PADDING = 6  # ReportLab's default left and right padding of a table cell
# Text is a Paragraph only where it must wrap (or collapse white space). A line that fits
# is a plain string in a table cell (in the cell's font) or a `_Line` in the flow: drawn at
# the same place (the first baseline one font size below the top, one leading per line)
# at a fraction of the layout cost. tests/unit/test_plan_pdf.py compares the pages.
_FIT_SLACK = 0.5  # points: closer to the edge than this, let a Paragraph decide

# Each plan type's own part (#24): its sections, printed after the situation and goals,
# each with its own heading. The employment plan has none and prints as it always has.
TYPE_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "multi_professional": (
        ("participants", N_("Participants and their responsibilities")),
        ("meeting", N_("Multi-professional meeting")),
        ("customer_view", N_("The customer's own view")),
    ),
    "activation": (
        ("activation_conditions", N_("Grounds for the activation plan")),
        ("activation_measures", N_("Rehabilitative work activity and other measures")),
        ("social_worker_part", N_("The social worker's part")),
    ),
    "integration": (
        ("integration_training", N_("Integration and language training")),
        ("integration_background", N_("Residence permit and interpreter")),
        ("integration_measures", N_("Other integration measures")),
    ),
}
TYPE_SECTION_TITLES = {key: title for sections in TYPE_SECTIONS.values()
                       for key, title in sections}


class _Line(Flowable):
    """One line of plain text drawn where a Paragraph in `style` would draw it (the
    baseline one font size below its top, one leading high, the style's space before and
    after) without a Paragraph's markup parsing and line breaking. Only for text that
    `_Plan.fits` on the line."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text, self.style = text, style

    def wrap(self, availWidth: float, _availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, self.style.leading
        return self.width, self.height

    def draw(self) -> None:
        st, canvas = self.style, self.canv
        canvas.setFont(st.fontName, st.fontSize, st.leading)
        canvas.setFillColor(st.textColor)
        canvas.drawString(0, st.leading - st.fontSize, self.text)


@functools.cache
def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=9.5, leading=12),
        "head": ParagraphStyle("head", base, fontName=bold, fontSize=9, leading=11.5),
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=17, leading=21,
                                textColor=ACCENT, spaceAfter=2 * mm),
        "h2": ParagraphStyle("h2", base, fontName=bold, fontSize=12, leading=15,
                             textColor=ACCENT, spaceBefore=5 * mm, spaceAfter=2 * mm),
        "right": ParagraphStyle("right", base, fontSize=8.5, leading=11, alignment=TA_RIGHT),
    }


class _Plan:
    """Builds the story of one printed plan."""

    def __init__(self, doc: PlanDocument, lang: str) -> None:
        self.doc, self.lang = doc, lang
        self.regular, self.bold = fonts.register()
        self.st = _styles(self.regular, self.bold)
        self.width = A4[0] - 2 * MARGIN - 2 * INSET
        self._dates: dict[date, str] = {}  # Babel formats each date once per document

    # --- small helpers --------------------------------------------------------------------

    def t(self, msgid: str) -> str:
        return translate_in(self.lang, msgid)

    def chosen(self, text: str) -> str:
        """A ready wording the coach chose (in whatever language the editor showed it)
        is printed in the plan's language; what the coach wrote stays as written."""
        wording = _ready_wordings().get(text.strip())
        return wording.text(self.lang) if wording is not None else text

    def date(self, value: date | datetime | None) -> str:
        # A datetime is shown as its date in Helsinki (format_date converts it).
        if not value:
            return ""
        text = self._dates.get(value)
        if text is None:
            text = self._dates[value] = format_date(value, lang=self.lang)
        return text

    def fits(self, text: str, style: str, width: float) -> bool:
        """Whether `text` prints on one line `width` points wide exactly as it stands (a
        Paragraph would collapse repeated or edge white space and break it)."""
        st = self.st[style]
        return bool(text) and text.isprintable() and text == text.strip() \
            and "  " not in text \
            and stringWidth(text, st.fontName, st.fontSize) <= width - _FIT_SLACK

    def para(self, text: str, style: str = "body") -> Paragraph:
        """A paragraph of plain text (never markup): user text is escaped."""
        return Paragraph(escape(text).replace("\n", "<br/>"), self.st[style])

    def p(self, text: str, style: str = "body", width: float | None = None) -> Flowable:
        """Plain text (never markup) in `style`, `width` points wide (the frame's by
        default): a `_Line` where it fits on one, else a Paragraph that wraps it."""
        if self.fits(text, style, self.width if width is None else width):
            return _Line(text, self.st[style])
        return self.para(text, style)

    def style(self, *commands: tuple[Any, ...]) -> TableStyle:
        # Tables set their cells' font even when every cell is a Paragraph; without our
        # font here the page would reference an unembedded Helvetica.
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.regular), *commands])

    def cell(self, text: str, style: str, width: float) -> str | Paragraph:
        """`text` in a table cell `width` points wide: the plain string where it prints on
        one line as it stands (the table's font commands from `font` give it the style),
        else a Paragraph that wraps it."""
        if self.fits(text, style, width - 2 * PADDING):
            return text
        return self.para(text, style)

    def font(self, style: str, start: tuple[int, int], stop: tuple[int, int],
             ) -> list[tuple[Any, ...]]:
        """Table style commands that draw plain-string cells like Paragraphs in `style`."""
        st = self.st[style]
        return [("FONT", start, stop, st.fontName, st.fontSize, st.leading),
                ("TEXTCOLOR", start, stop, st.textColor)]

    def table(self, header: list[str], rows: list[list[Any]], widths: list[float]) -> Table:
        columns = [w * self.width for w in widths]
        data: list[list[Any]] = [
            [self.cell(h, "head", w) for h, w in zip(header, columns, strict=True)]]
        data += [[self.cell(c, "cell", w) if isinstance(c, str) else c
                  for c, w in zip(row, columns, strict=True)] for row in rows]
        table = Table(data, colWidths=columns, repeatRows=1)
        table.setStyle(self.style(
            *self.font("head", (0, 0), (-1, 0)),
            *self.font("cell", (0, 1), (-1, -1)),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ))
        return table

    def heading(self, number: int, key: str) -> list[Any]:
        # Keep a heading with the start of its section.
        title = vocab.SECTION_TITLES.get(key) or TYPE_SECTION_TITLES[key]
        return [CondPageBreak(30 * mm), self.p(f"{number}. {self.t(title)}", "h2")]

    def none(self) -> Flowable:
        return self.p(self.t(N_("None recorded.")), "small")

    # --- parts ----------------------------------------------------------------------------

    @functools.cached_property
    def status_text(self) -> str:
        doc = self.doc
        if doc.status == "draft":
            return self.t(N_("Draft – not yet accepted"))
        text = self.t(N_("Accepted on {date}")).format(date=self.date(doc.accepted_at))
        if doc.status == "superseded":
            text += " · " + self.t(N_("superseded by a later version"))
        return text

    def identity(self) -> Table:
        doc = self.doc
        coach = ", ".join(p for p in (doc.coach_name, doc.coach_phone, doc.coach_email) if p)
        rows = [
            (self.t(N_("Customer")), doc.customer_name),
            (self.t(N_("Identity code")), doc.customer_hetu or self.t(N_("none"))),
            (self.t(N_("Customer number")), doc.customer_number),
            (self.t(N_("Coach")), coach or "–"),
            (self.t(N_("Version")), f"{doc.number} · {self.status_text}"),
        ]
        columns = [0.26 * self.width, 0.74 * self.width]
        data = [[self.cell(k, "head", columns[0]), self.cell(v, "cell", columns[1])]
                for k, v in rows]
        table = Table(data, colWidths=columns)
        table.setStyle(self.style(
            *self.font("head", (0, 0), (0, -1)),
            *self.font("cell", (1, 0), (1, -1)),
            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
            ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ))
        return table

    def goals(self) -> list[Any]:
        c = self.doc.content
        out: list[Any] = []
        if c.summary:
            out += [self.p(self.t(N_("Situation")), "head"), self.p(self.chosen(c.summary)),
                    Spacer(1, 2 * mm)]
        if c.goals:
            out.append(self.table(
                [self.t(N_("Goal")), self.t(N_("Goal type"))],
                [[self.chosen(g.text), self.t(vocab.GOAL_KINDS.get(g.kind, g.kind))]
                 for g in c.goals],
                [0.75, 0.25]))
        return out or [self.none()]

    def _action_text(self, action: PlanActionItem) -> str:
        return self.chosen(action.text) + (f" ({self.t(N_('done'))})" if action.done else "")

    def customer_actions(self) -> list[Any]:
        items = [a for a in self.doc.content.actions if a.actor == "customer"]
        if not items:
            return [self.none()]
        return [self.table([self.t(N_("Action")), self.t(N_("Deadline"))],
                           [[self._action_text(a), self.date(a.due_on)] for a in items],
                           [0.80, 0.20])]

    def partner_actions(self) -> list[Any]:
        items = [a for a in self.doc.content.actions if a.actor != "customer"]
        if not items:
            return [self.none()]
        return [self.table(
            [self.t(N_("Who")), self.t(N_("Action")), self.t(N_("Deadline"))],
            [[self.t(vocab.ACTORS.get(a.actor, a.actor)), self._action_text(a),
              self.date(a.due_on)] for a in items],
            [0.24, 0.56, 0.20])]

    def services(self) -> list[Any]:
        items = self.doc.content.services
        if not items:
            return [self.none()]
        widths = [0.40, 0.30, 0.30]
        inner = widths[0] * self.width - 2 * PADDING  # the name column inside its padding
        rows = []
        for s in items:
            name: Any = self.t(vocab.SERVICE_TYPES.get(s.service_type, s.service_type))
            if s.note:
                name = [self.p(name, "cell", inner), self.p(s.note, "small", inner)]
            dates = " – ".join(self.date(d) for d in (s.starts_on, s.ends_on) if d)
            rows.append([name, s.provider, dates])
        header = [self.t(N_("Service")), self.t(N_("Provider")), self.t(N_("When"))]
        return [self.table(header, rows, widths)]

    def obligation(self) -> list[Any]:
        c, periods = self.doc.content, self.doc.periods
        if c.applications_per_period is None:
            return [self.none()]
        if c.applications_per_period == 0:
            out: list[Any] = [self.p(self.t(N_("You have no job-search obligation in this plan.")))]
        else:
            length = vocab.PERIOD_LENGTHS.get(c.period_months or 1, vocab.PERIOD_LENGTHS[1])
            out = [self.p(self.t(N_(
                "You apply for {n} jobs in each review period of {length}, starting on {date}. "
                "Report your applications in the e-service by the end of each period.")).format(
                    n=c.applications_per_period, length=self.t(length),
                    date=self.date(c.obligation_starts_on)))]
        if c.obligation_lowered_reason:
            out += [Spacer(1, 1.5 * mm), self.p(
                self.t(N_("Why the obligation is lower: {reason}")).format(
                    reason=self.chosen(c.obligation_lowered_reason)))]
        if periods and c.applications_per_period:
            out += [Spacer(1, 2 * mm), self.table(
                [self.t(N_("Review period")), self.t(N_("From")), self.t(N_("To")),
                 self.t(N_("Applications"))],
                [[f"{p.number}.", self.date(p.starts_on), self.date(p.ends_on),
                  str(p.applications)] for p in periods],
                [0.25, 0.25, 0.25, 0.25])]
        return out

    def contact(self) -> list[Any]:
        c = self.doc.content
        rows = [(self.t(N_("How")), self.chosen(c.contact_method)),
                (self.t(N_("How often")), self.chosen(c.contact_frequency))]
        rows = [(k, v) for k, v in rows if v]
        if not rows:
            return [self.none()]
        return [self.p(f"{k}: {v}") for k, v in rows]

    def review(self) -> list[Any]:
        review = self.doc.content.next_review_on
        if review is None:
            return [self.none()]
        return [self.p(self.t(N_("The plan is reviewed next on {date}, at the latest.")).format(
            date=self.date(review)))]

    # --- each type's own part (#24) ---------------------------------------------------------

    def text_part(self, text: str) -> list[Any]:
        return [self.p(self.chosen(text))] if text.strip() else [self.none()]

    def participants(self) -> list[Any]:
        items = self.doc.content.participants
        if not items:
            return [self.none()]
        inner = 0.30 * self.width - 2 * PADDING
        rows = []
        for x in items:
            who: Any = x.name
            detail = ", ".join(v for v in (x.role, x.organisation) if v)
            if detail:
                who = [self.p(x.name, "cell", inner), self.p(detail, "small", inner)]
            rows.append([who, x.responsibilities, x.services])
        return [self.table([self.t(N_("Participant")), self.t(N_("Responsibilities")),
                            self.t(N_("Services they bring"))], rows, [0.30, 0.40, 0.30])]

    def meeting(self) -> list[Any]:
        c = self.doc.content
        out: list[Any] = []
        if c.meeting_minute.strip():
            out += [self.p(self.t(N_("Minute")), "head"), self.p(c.meeting_minute),
                    Spacer(1, 2 * mm)]
        if c.follow_up_on:
            out.append(self.p(self.t(N_("The follow-up meeting is on {date}.")).format(
                date=self.date(c.follow_up_on))))
        return out or [self.none()]

    def integration_background(self) -> list[Any]:
        c = self.doc.content
        out: list[Any] = []
        if c.residence_permit_on:
            out.append(self.p(self.t(N_("First residence permit granted on {date}.")).format(
                date=self.date(c.residence_permit_on))))
        if c.interpreter_language.strip():
            out.append(self.p(self.t(N_("Interpreter: {language}")).format(
                language=c.interpreter_language)))
        return out or [self.none()]

    def type_parts(self) -> dict[str, Callable[[], list[Any]]]:
        c = self.doc.content
        return {
            "participants": self.participants, "meeting": self.meeting,
            "customer_view": lambda: self.text_part(c.customer_view),
            "activation_conditions": lambda: self.text_part(c.activation_conditions),
            "activation_measures": lambda: self.text_part(c.activation_measures),
            "social_worker_part": lambda: self.text_part(c.social_worker_part),
            "integration_training": lambda: self.text_part(c.integration_training),
            "integration_background": self.integration_background,
            "integration_measures": lambda: self.text_part(c.integration_measures),
        }

    def acceptance(self) -> list[Any]:
        doc = self.doc
        out: list[Any] = [Spacer(1, 6 * mm)]
        if doc.status != "draft":
            how = self.t(vocab.ACCEPTANCE.get(doc.accepted_how or "", doc.accepted_how or ""))
            out.append(self.p(self.t(N_("Accepted on {date}: {how}. Recorded by {name}.")).format(
                date=self.date(doc.accepted_at), how=how.lower(),
                name=doc.accepted_by_name or "–")))
        if doc.status == "draft" or doc.accepted_how == "signed":
            out += [Spacer(1, 12 * mm), self.signatures()]
        out += [Spacer(1, 6 * mm),
                self.p(self.t(N_("Contact your coach if your situation changes.")), "small")]
        return [KeepTogether(out)]

    def signatures(self) -> Table:
        line = "_" * 38
        half = 0.5 * self.width

        def small(text: str) -> str | Paragraph:
            return self.cell(text, "small", half)

        cells: list[list[str | Flowable]] = [
            [small(line), small(line)],
            [small(self.t(N_("Customer's signature"))), small(self.t(N_("Coach's signature")))],
            [self.cell(self.doc.customer_name, "cell", half),
             self.cell(self.doc.coach_name, "cell", half)],
            [Spacer(1, 8 * mm), Spacer(1, 8 * mm)],
            [small(line), small(line)],
            [small(self.t(N_("Place and date"))) for _column in range(2)],
        ]
        table = Table(cells, colWidths=[half, half])
        table.setStyle(self.style(*self.font("small", (0, 0), (-1, -1)),
                                  *self.font("cell", (0, 2), (-1, 2)),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 1)))
        return table

    def story(self) -> list[Any]:
        title = self.t(vocab.PLAN_TYPES.get(self.doc.plan_type, self.doc.plan_type))
        story: list[Any] = [self.p(title, "title"), self.identity()]
        parts: dict[str, Callable[[], list[Any]]] = {
            "goals": self.goals, "customer_actions": self.customer_actions,
            "partner_actions": self.partner_actions, "services": self.services,
            "obligation": self.obligation, "contact": self.contact, "review": self.review,
        }
        own = TYPE_SECTIONS.get(self.doc.plan_type, ())
        if own:
            parts.update(self.type_parts())
        # The type's own part follows the situation and goals.
        order = [vocab.SECTIONS[0], *own, *vocab.SECTIONS[1:]]
        for number, (key, _title) in enumerate(order, start=1):
            story += self.heading(number, key) + parts[key]()
        return story + self.acceptance()

    # --- page furniture -------------------------------------------------------------------

    def header(self, canvas: Canvas, _doc: Any) -> None:
        d = self.doc
        width, height = A4
        top, left, right = height - 12 * mm, MARGIN + INSET, width - MARGIN - INSET
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.setFont(self.bold, 11)
        canvas.drawString(left, top, self.t(N_("Rovaseutu employment area")))
        canvas.setFillColor(MUTED)
        canvas.setFont(self.regular, 8.5)
        point = " · ".join(p for p in (d.service_point_name, d.service_point_address) if p)
        canvas.drawString(left, top - 4.5 * mm, point)
        title = self.t(vocab.PLAN_TYPES.get(d.plan_type, d.plan_type))
        canvas.setFont(self.bold, 9)
        canvas.setFillColor(colors.black)
        canvas.drawRightString(right, top, title)
        canvas.setFont(self.regular, 8.5)
        canvas.drawRightString(right, top - 4.5 * mm,
                               self.t(N_("Version {number}")).format(number=d.number) + " · "
                               + self.status_text)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 8 * mm, right, top - 8 * mm)
        canvas.restoreState()

    def footer(self, canvas: Canvas, page: int, pages: int) -> None:
        left, right = MARGIN + INSET, A4[0] - MARGIN - INSET
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(left, 14 * mm, right, 14 * mm)
        canvas.setFont(self.regular, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(left, 9.5 * mm, self.t(N_("{name} · printed on {date}")).format(
            name=self.doc.customer_name, date=self.date(self.doc.printed_at)))
        canvas.drawRightString(right, 9.5 * mm,
                               self.t(N_("Page {page} / {pages}")).format(page=page, pages=pages))
        canvas.restoreState()


def _numbered_canvas(draw: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds its pages until the end, so each can say "page X / Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # private in ReportLab, so not in its stubs

        def save(self) -> None:
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw(self, number, len(self._pages))
                super().showPage()
            super().save()

    return NumberedCanvas


@functools.cache
def _ready_wordings() -> dict[str, Wording]:
    """Each ready wording by its text in any of its languages."""
    return {text: w for w in WORDINGS for text in (w.fi, w.sv, w.en)}


def render_plan(document: PlanDocument, lang: str) -> bytes:
    """The printed plan as PDF bytes, every label in `lang` (fi, sv or en)."""
    lang = vocab.print_language(lang)
    plan = _Plan(document, lang)
    buffer = io.BytesIO()
    title = plan.t(vocab.PLAN_TYPES.get(document.plan_type, document.plan_type))
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=HEADER_HEIGHT, bottomMargin=FOOTER_HEIGHT + 6 * mm,
        title=f"{title} – {document.customer_name}",
        author=" – ".join(p for p in (plan.t(N_("Rovaseutu employment area")),
                                      document.coach_name) if p),
        subject=title, creator="Rovaseutu desk", lang=PDF_LANG[lang],
        initialFontName=plan.regular, initialFontSize=10,
    )
    pdf.build(plan.story(), onFirstPage=plan.header, onLaterPages=plan.header,
              canvasmaker=_numbered_canvas(plan.footer))
    return buffer.getvalue()
