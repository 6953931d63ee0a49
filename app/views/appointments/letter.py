"""Saving and printing an appointment letter, from the calendar and the customer card.

The letter's data is read (and the print audited) in the database pool; the PDF is
rendered and written in the io pool; nothing of it runs on the GUI thread."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from app.dto.appointments import AppointmentLetter
from app.i18n import _, ngettext, to_local
from app.services.appointments import AppointmentService
from app.views import file_dialogs
from app.views.operations import QueryOp
from app.views.pdf_printer import print_pdf
from app.views.tasks import TaskRunner


class LetterActions:
    def __init__(self, service: AppointmentService, runner: TaskRunner, parent: QWidget,
                 say: Callable[[str], None]) -> None:
        self.service, self.runner, self.parent, self.say = service, runner, parent, say

    def _failed(self, text: str) -> None:
        self.say("⚠ " + _("The letter could not be made: {error}").format(error=text))

    def write(self, appointment_id: str, path: Path, then: Callable[[Path], None]) -> None:
        def render(letter: AppointmentLetter) -> None:
            def work() -> Path:
                path.write_bytes(self.service.render_letter(letter))
                return path

            QueryOp(self.runner, self.parent, work, success=then).errors_to(self._failed) \
                .in_io_pool().run_in_background()

        self.say(_("Preparing the letter…"))
        QueryOp(self.runner, self.parent, lambda: self.service.letter(appointment_id),
                success=render).errors_to(self._failed).run_in_background()

    def save(self, appointment_id: str) -> None:
        """The letter's data first (the name proposed says whose letter and for which
        day: "Matti Virtanen – Appointment letter 2026-12-14.pdf"), then where to save it."""
        def ask(letter: AppointmentLetter) -> None:
            name = file_dialogs.file_name(letter.customer_name, _("Appointment letter"),
                                          day=to_local(letter.starts_at).date(), suffix="pdf")
            path = file_dialogs.ask_save_path(
                self.parent, _("Save the appointment letter as PDF"), name,
                _("PDF documents (*.pdf)"))
            if path is None:
                self.say("")
                return
            self.say(_("Preparing the letter…"))
            QueryOp(self.runner, self.parent, lambda: self._written(letter, path),
                    success=lambda p: self.say(_("Saved as {path}").format(path=p))) \
                .errors_to(self._failed).in_io_pool().run_in_background()

        self.say(_("Preparing the letter…"))
        QueryOp(self.runner, self.parent, lambda: self.service.letter(appointment_id),
                success=ask).errors_to(self._failed).run_in_background()

    def _written(self, letter: AppointmentLetter, path: Path) -> Path:
        path.write_bytes(self.service.render_letter(letter))
        return path

    def print(self, appointment_id: str) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self.parent).exec() != QPrintDialog.DialogCode.Accepted:
            return
        folder = Path(tempfile.mkdtemp(prefix="letter-"))

        def sent(pages: int) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.say(ngettext("Sent {n} page to the printer.", "Sent {n} pages to the printer.",
                              pages).format(n=pages))

        def failed(text: str) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.say("⚠ " + _("Printing failed: {error}").format(error=text))

        self.write(appointment_id, folder / "letter.pdf", lambda p: QueryOp(
            self.runner, self.parent, lambda: print_pdf(p, printer), success=sent)
            .errors_to(failed).in_io_pool().run_in_background())
