"""Which typed or imported text may be stored: the one rule every text field obeys.

Refused everywhere (the services check each field, and a flush-time check in
app.services.text_guard is the net under every write):
- control characters: C0 (U+0000-U+001F, NUL and ESC included, so no terminal escape
  sequence), DEL (U+007F) and C1 (U+0080-U+009F); a multi-line free-text field (a note,
  a plan's text, a feedback comment) allows a line break (\\n) and a tab (\\t), nothing else
  of these. The central PostgreSQL refuses a NUL in text for ever (a row that can never be
  pushed), a terminal prints an ESC sequence, a CSV reader splits a row on a CR.
- the line and paragraph separators (U+2028, U+2029) and lone surrogates (not text: they
  cannot be written as UTF-8).
- the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069):
  they reorder what is shown ("Trojan source"), so a name or a file name reads otherwise
  than it is stored. The marks U+200E, U+200F and U+061C (LRM, RLM, ALM) are allowed: they
  reorder nothing beyond a neutral character beside them, and Arabic and Hebrew text
  typed on an ordinary keyboard contains them.
- more characters than the field holds: a single-line field the size of its column, a
  multi-line one at most MAX_TEXT characters.

Pure: no I/O. `refusal()` returns the reason as an untranslated message (N_) without
placeholders, so a form can show it beside the field; the length, when that is the reason,
travels in `limit` for messages that name it (TOO_LONG_AT_MOST)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from app.i18n import N_

# A multi-line free text (notes, plan texts, comments) when no smaller limit is given.
MAX_TEXT = 10_000

CONTROL = N_("It contains a control character (such as NUL or an escape sequence).")
LINE_BREAK = N_("A line break or a tab is not allowed in this field.")
DIRECTION = N_("It contains an invisible character that reverses the text direction.")
TOO_LONG = N_("The text is too long.")
TOO_LONG_AT_MOST = N_("Too long: at most {n} characters.")

# Embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI).
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
_LINE_SEPARATORS = frozenset("\u2028\u2029")
_MULTILINE_ALLOWED = frozenset("\n\t")


@dataclass(frozen=True)
class Refusal:
    """Why a text cannot be stored: `message` an untranslated id without placeholders;
    `limit` the most characters the field holds when the text is too long."""

    message: str
    limit: int | None = None

    def detail(self) -> tuple[str, dict[str, object]]:
        """The message id and its values for a message that may name the limit."""
        if self.limit is not None:
            return TOO_LONG_AT_MOST, {"n": self.limit}
        return self.message, {}


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs")


def refusal(text: str, *, multiline: bool = False, limit: int | None = None,
            ) -> Refusal | None:
    """None when `text` may be stored in a field of this kind, else why not. `limit`:
    the field's most characters (default: none for a line, MAX_TEXT for multi-line)."""
    if limit is None and multiline:
        limit = MAX_TEXT
    if text.isprintable() and not BIDI_CONTROLS.intersection(text):
        # The common case in one pass; isprintable() is False for every control,
        # separator and surrogate (and for spaces other than U+0020: checked below).
        return _length(text, limit)
    for ch in text:
        if ch in BIDI_CONTROLS:
            return Refusal(DIRECTION)
        if ch in _MULTILINE_ALLOWED or ch in _LINE_SEPARATORS or ch == "\r":
            if multiline and ch in _MULTILINE_ALLOWED:
                continue
            if not multiline:
                return Refusal(LINE_BREAK)
            return Refusal(CONTROL)
        if _is_control(ch):
            return Refusal(CONTROL)
    return _length(text, limit)


def _length(text: str, limit: int | None) -> Refusal | None:
    if limit is not None and len(text) > limit:
        return Refusal(TOO_LONG, limit)
    return None


def acceptable(text: str, *, multiline: bool = False, limit: int | None = None) -> bool:
    return refusal(text, multiline=multiline, limit=limit) is None
