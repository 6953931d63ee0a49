"""What every printed document shares: the document language tags and the palette."""

from __future__ import annotations

from reportlab.lib import colors

# The PDF's /Lang, so screen readers read each document in its language.
PDF_LANG = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
ACCENT = colors.HexColor("#1f4e79")  # headings and rules of emphasis
SHADE = colors.HexColor("#e9eef4")  # table header background
RULE = colors.HexColor("#9aa9b8")  # thin table lines
MUTED = colors.HexColor("#4a4a4a")  # secondary text
