"""Save dialogs: where they start and the file name they propose.

Every save dialog starts in the user's Documents folder (never the program's working
folder, which on a workstation is the install folder), or in the folder the user last
chose during this run, and proposes a name that tells files apart: what the document
is, whose it is and its date ("Virtanen, Matti – Employment plan 2026-12-02.pdf")."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

# Characters Windows (and so a shared network folder) refuses in a file name, control
# characters included; "/" also splits a path on Linux.
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f]')
# The folder chosen last in this run of the program: the next dialog starts there.
_last_folder: Path | None = None


def documents_folder() -> Path:
    """The user's Documents folder, else their home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def start_folder() -> Path:
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    return documents_folder()


def forget_folder() -> None:
    """Back to Documents (the next person at a shared workstation)."""
    global _last_folder
    _last_folder = None


def safe_name(text: str) -> str:
    """`text` usable as a file name on every file system: no path separators or
    characters Windows refuses, no leading or trailing dots and spaces."""
    cleaned = _UNSAFE.sub(" ", text)
    return re.sub(r"\s+", " ", cleaned).strip(" .") or "document"


def file_name(*parts: str | None, day: date | None = None, suffix: str) -> str:
    """The parts joined with " – ", then the date (ISO: sorts by date in any language,
    and has no "/" as the English short date has), made safe: "A – B 2026-12-02.pdf"."""
    text = " – ".join(p.strip() for p in parts if p and p.strip())
    if day is not None:
        text = f"{text} {day.isoformat()}" if text else day.isoformat()
    return f"{safe_name(text)}.{suffix.lstrip('.')}"


def ask_save_path(parent: QWidget | None, caption: str, name: str, kinds: str) -> Path | None:
    """The Save dialog in the start folder with `name` proposed; the chosen path, or
    None when cancelled. The chosen folder is where the next dialog starts."""
    global _last_folder
    path, _filter = QFileDialog.getSaveFileName(parent, caption, str(start_folder() / name),
                                                kinds)
    if not path:
        return None
    chosen = Path(path)
    _last_folder = chosen.parent
    return chosen


def ask_open_path(parent: QWidget | None, caption: str, kinds: str) -> Path | None:
    """The Open dialog in the start folder (never the program's working folder); the
    chosen file, or None. Its folder is where the next dialog starts."""
    global _last_folder
    path, _filter = QFileDialog.getOpenFileName(parent, caption, str(start_folder()), kinds)
    if not path:
        return None
    chosen = Path(path)
    _last_folder = chosen.parent
    return chosen
