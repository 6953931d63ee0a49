"""Printing a plan on a printer: every page of the PDF reaches the QPrinter."""

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.views.pdf_printer import print_pdf


def test_every_page_is_painted_onto_the_printer(qapp, tmp_path):
    source = tmp_path / "plan.pdf"
    pdf = canvas.Canvas(str(source), pagesize=A4)
    for page in range(3):
        pdf.drawString(72, 720, f"Page {page + 1}")
        pdf.showPage()
    pdf.save()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a printer that writes a file
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert print_pdf(source, printer) == 3
    printed = PdfReader(str(out))
    assert len(printed.pages) == 3
    # The pages carry the rendered image of the plan, not blank paper.
    assert all(page.images for page in printed.pages)
