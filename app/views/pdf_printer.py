"""Print a PDF on a real printer: Qt cannot send a PDF file to a printer, so each page
is rendered with QPdfDocument and painted onto the QPrinter chosen in the print dialog.
Qt allows painting on a QPrinter outside the GUI thread, so this runs in the task
runner; pages are rendered at most at 300 dpi (a 1200 dpi A4 image would be ~0.5 GB)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

MAX_DPI = 300


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Paint every page of the PDF at `path` onto `printer`; returns the pages printed."""
    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_:
        raise OSError(f"cannot read {path}")
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        dpi = min(printer.resolution(), MAX_DPI)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
            image = document.render(page, size)
            target = painter.viewport()
            scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), scaled), image)
    finally:
        painter.end()
    return document.pageCount()
