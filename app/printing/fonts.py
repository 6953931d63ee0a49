"""The fonts embedded into every printed document.

The base-14 PDF fonts have no glyphs for Sámi letters (Č đ ŋ ŧ print as ■), so the
documents use DejaVu Sans, shipped in `resources/fonts/` and embedded as subsets.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()
_registered = False


def fonts_dir() -> Path:
    """`resources/fonts` in the source tree, or beside the code in a frozen bundle."""
    here = Path(__file__).resolve().parent
    candidates = [here.parent.parent / "resources" / "fonts", here.parent / "resources" / "fonts"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "resources" / "fonts")
    for candidate in candidates:
        if (candidate / FILES[REGULAR]).is_file():
            return candidate
    raise FileNotFoundError("the DejaVu fonts are missing from resources/fonts")


def register() -> tuple[str, str]:
    """Register the fonts with ReportLab once (thread-safe); returns (regular, bold)."""
    global _registered
    with _lock:
        if not _registered:
            folder = fonts_dir()
            for name, file in FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(folder / file)))
            # <b> in paragraphs picks the bold face; there are no italics in our documents.
            addMapping(REGULAR, 0, 0, REGULAR)
            addMapping(REGULAR, 1, 0, BOLD)
            addMapping(REGULAR, 0, 1, REGULAR)
            addMapping(REGULAR, 1, 1, BOLD)
            _registered = True
    return REGULAR, BOLD
