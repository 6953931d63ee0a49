"""Cells a spreadsheet would run: every CSV and XLSX the application writes passes its text
through `safe_cell` (reports, the reminder list), so a formula typed into a field (a room
"=cmd|' /C calc'!A0", a name "@SUM(...)") is shown as text when the file is opened in
Excel or LibreOffice, never evaluated ("CSV injection", OWASP).

The OWASP advice: a text whose first character (after any leading whitespace, which the
spreadsheet skips) is = + - @ (or their full-width forms, which some Excel input
modes read the same), a tab or a carriage return gets a leading single quote. Numbers
written as numbers are left alone by the writers (an XLSX numeric cell, or a CSV figure
the writer formatted itself), and so is a text that is only a number: an optional sign,
digits, spaces and one decimal separator ("+358 40 123 4567", "-12,5"): it holds no
letter, so no function, reference or DDE call, and a messaging service reading the
reminder list's phone column needs it as it is. Pure: no I/O."""

from __future__ import annotations

import re

FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d ]*(?:[.,]\d+)?")
# Not allowed in an XLSX cell at all (openpyxl refuses them): C0 controls but \t \n \r.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula."""
    if not text:
        return False
    if text[0] in "\t\r":
        return True
    stripped = text.lstrip()
    if not stripped or stripped[0] not in FORMULA_STARTS:
        return False
    return _PLAIN_NUMBER.fullmatch(stripped.rstrip()) is None


def safe_cell(text: str) -> str:
    """`text` as a spreadsheet shows it, never runs it: a formula gets a leading quote."""
    return "'" + text if is_formula(text) else text


def safe_xlsx_text(text: str) -> str:
    """`safe_cell`, and the control characters an XLSX cannot hold replaced (text stored
    before the input rules refused them must not make the whole export fail)."""
    return _XLSX_ILLEGAL.sub("\ufffd", safe_cell(text))
