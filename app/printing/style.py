"""What every printed document shares: the document language tags and the palette."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

# The PDF's /Lang, so screen readers read each document in its language.
PDF_LANG = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
ACCENT = colors.HexColor("#1f4e79")  # headings and rules of emphasis
SHADE = colors.HexColor("#e9eef4")  # table header background
RULE = colors.HexColor("#9aa9b8")  # thin table lines
MUTED = colors.HexColor("#4a4a4a")  # secondary text


@dataclass(frozen=True)
class LetterStyles:
    """The paragraph styles of a letter to a person (an appointment, a meeting's
    invitation): one look for every letter the area sends."""

    body: ParagraphStyle
    small: ParagraphStyle
    head: ParagraphStyle
    title: ParagraphStyle
    h2: ParagraphStyle


def letter_styles(regular: str, bold: str) -> LetterStyles:
    """The letters' styles in the fonts `regular` and `bold` (app.printing.fonts)."""
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14.5)
    return LetterStyles(
        body=body,
        small=ParagraphStyle("small", body, fontSize=8.5, leading=11, textColor=MUTED),
        head=ParagraphStyle("head", body, fontName=bold),
        title=ParagraphStyle("title", body, fontName=bold, fontSize=18, leading=23,
                             textColor=ACCENT, spaceAfter=3 * mm),
        h2=ParagraphStyle("h2", body, fontName=bold, fontSize=12, leading=15,
                          textColor=ACCENT, spaceBefore=6 * mm, spaceAfter=2 * mm),
    )
