"""The annual calendar (vuosikello, #21): a year's twelve months, each with its themes
and its events (the annual ones marked ↻), for one service point or the whole area.
Printed on one landscape page, saved as PDF, exported as iCalendar (.ics) for partners;
team leads and administrators (calendar.manage) keep the themes."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.dto.events import AnnualCalendar, ThemeInput, ThemeRow
from app.i18n import _, current_language, format_day, ngettext
from app.printing.annual_lines import month_lines
from app.rules.permissions import Permission, allowed
from app.services.errors import ValidationFailed
from app.views import file_dialogs, style
from app.views.events.dialogs import ThemeDialog, theme_input
from app.views.operations import QueryOp, WriteOp, drop_pending
from app.views.pdf_printer import print_pdf
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor
    from app.services.registry import Services


def _month_name(month: int) -> str:
    from app.printing.annual_calendar import month_name

    return month_name(month, current_language())


class AnnualView(QWidget):
    def __init__(self, services: Services, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("events_annual")
        self.services, self.runner = services, runner
        self.calendar: AnnualCalendar | None = None
        self.actor: Actor | None = None
        self.points: list[tuple[str, str]] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.year_label = QLabel()
        self.year = QSpinBox()
        self.year.setObjectName("annual_year")
        self.year.setRange(2000, 2100)
        self.year_label.setBuddy(self.year)
        self.point_label = QLabel()
        self.point = QComboBox()
        self.point.setObjectName("annual_point")
        self.point.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.point_label.setBuddy(self.point)
        self.print_button = QPushButton()
        self.print_button.setObjectName("annual_print")
        self.save_button = QPushButton()
        self.save_button.setObjectName("annual_save")
        self.ics_button = QPushButton()
        self.ics_button.setObjectName("annual_ics")
        self.themes_button = QPushButton()
        self.themes_button.setObjectName("annual_themes")
        for w in (self.year_label, self.year, self.point_label, self.point):
            bar.addWidget(w)
        bar.addStretch(1)
        layout.addLayout(bar)
        outputs = QHBoxLayout()  # a row of its own: the page stays narrow at 150 % text
        for b in (self.print_button, self.save_button, self.ics_button, self.themes_button):
            outputs.addWidget(b)
        outputs.addStretch(1)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.months: list[tuple[QGroupBox, QLabel]] = []
        for m in range(12):
            box = QGroupBox()
            inner = QVBoxLayout(box)
            text = QLabel()
            text.setObjectName(f"annual_month_{m + 1}")
            text.setWordWrap(True)
            text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            text.setTextFormat(Qt.TextFormat.RichText)
            inner.addWidget(text, 1)
            self.grid.addWidget(box, m // 4, m % 4)
            self.months.append((box, text))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        layout.addLayout(outputs)
        layout.addWidget(scroll, 1)
        self.status = QLabel()
        self.status.setObjectName("annual_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.point.currentIndexChanged.connect(lambda _i: self.reload())
        self.print_button.clicked.connect(lambda: self.pdf(print_it=True))
        self.save_button.clicked.connect(lambda: self.pdf(print_it=False))
        self.ics_button.clicked.connect(self.export_ics)
        self.themes_button.clicked.connect(self.edit_themes)
        self.retranslate()

    # --- set up by the page -----------------------------------------------------------

    def set_actor(self, actor: Actor) -> None:
        first = self.actor is None
        self.actor = actor
        self.themes_button.setVisible(allowed(actor.role, Permission.CALENDAR_MANAGE))
        if first:
            self.year.blockSignals(True)
            self.year.setValue(self.services.session.today().year)
            self.year.blockSignals(False)

    def set_points(self, points: list[tuple[str, str]], own: str) -> None:
        self.points = points
        self.point.blockSignals(True)
        self.point.clear()
        self.point.addItem(_("The whole area"), "")
        for pid, name in points:
            self.point.addItem(name, pid)
        self.point.setCurrentIndex(max(0, self.point.findData(own)))
        self.point.blockSignals(False)
        self.reload()

    def clear(self) -> None:
        drop_pending(self, "annual")
        for dialog in self.findChildren(QDialog):  # the themes and a theme's form
            dialog.reject()
        self.actor, self.calendar = None, None
        self.point.blockSignals(True)
        self.point.clear()
        self.point.blockSignals(False)
        self.status.setText("")
        self._show()

    def show_error(self, text: str) -> None:
        self.status.setText("⚠ " + text)

    # --- the year ---------------------------------------------------------------------

    def _point(self) -> str | None:
        return self.point.currentData() or None

    def _place_name(self) -> str:
        return self.point.currentText() if self._point() else _("The whole area")

    def reload(self) -> None:
        if self.actor is None or self.point.count() == 0:
            return
        year, point = self.year.value(), self._point()

        def shown(calendar: AnnualCalendar) -> None:
            self.calendar = calendar
            self._show()

        QueryOp(self.runner, self, lambda: self.services.events.annual(year, point),
                success=shown).latest("annual").run_in_background()

    def _show(self) -> None:
        months = {m.month: m for m in self.calendar.months} if self.calendar else {}
        for i, (box, text) in enumerate(self.months, 1):
            box.setTitle(_month_name(i))
            month = months.get(i)
            lines: list[str] = []
            if month is not None:  # the themes in bold (and marked: not by weight alone)
                lines += [f"<b>◆ {escape(t.title)}</b>" for t in month.themes]
                lines += [escape(line) for line in month_lines(month.events, format_day)]
            text.setText("<br>".join(lines) or "–")
            text.setAccessibleName(box.title())

    # --- print, save, export ----------------------------------------------------------

    def _render(self) -> bytes:
        from app.printing.annual_calendar import render_annual_calendar

        if self.calendar is None:
            raise ValueError("no calendar")
        return render_annual_calendar(self.calendar, self._place_name(), current_language())

    def pdf(self, print_it: bool) -> None:
        if self.calendar is None:
            return
        calendar, place, lang = self.calendar, self._place_name(), current_language()

        def render() -> bytes:
            from app.printing.annual_calendar import render_annual_calendar

            return render_annual_calendar(calendar, place, lang)

        if print_it:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
                return
            folder = Path(tempfile.mkdtemp(prefix="annual-"))

            def printed() -> int:
                path = folder / "annual.pdf"
                path.write_bytes(render())
                return print_pdf(path, printer)

            def sent(pages: int) -> None:
                shutil.rmtree(folder, ignore_errors=True)
                self.status.setText(ngettext("Sent {n} page to the printer.",
                                             "Sent {n} pages to the printer.", pages)
                                    .format(n=pages))

            QueryOp(self.runner, self, printed, success=sent).in_io_pool().run_in_background()
            return
        name = file_dialogs.file_name(_("Annual calendar {year}").format(year=calendar.year),
                                      place, suffix="pdf")
        path = file_dialogs.ask_save_path(self, _("Save the annual calendar as PDF"), name,
                                          _("PDF documents (*.pdf)"))
        if path is not None:
            self._write(path, render)

    def export_ics(self) -> None:
        if self.actor is None:
            return
        year, point = self.year.value(), self._point()
        name = file_dialogs.file_name(_("Events {year}").format(year=year), self._place_name(),
                                      suffix="ics")
        path = file_dialogs.ask_save_path(self, _("Export the events as iCalendar"), name,
                                          _("iCalendar files (*.ics)"))
        if path is None:
            return
        QueryOp(self.runner, self, lambda: self.services.events.ics(year, point),
                success=lambda data: self._write(path, lambda: data)).run_in_background()

    def _write(self, path: Path, make: Callable[[], bytes]) -> None:
        QueryOp(self.runner, self, lambda: path.write_bytes(make()),
                success=lambda _n: style.set_status(
                    self.status, style.OK, _("Saved as {path}").format(path=path))) \
            .in_io_pool().run_in_background()

    # --- themes -----------------------------------------------------------------------

    def edit_themes(self) -> None:
        if self.actor is None or not allowed(self.actor.role, Permission.CALENDAR_MANAGE):
            return
        dialog = ThemesDialog(self, self.year.value())
        dialog.open()

    def retranslate(self) -> None:
        self.year_label.setText(_("&Year"))
        self.year.setAccessibleName(_("Year"))
        self.point_label.setText(_("Ser&vice point"))
        self.point.setAccessibleName(_("Service point"))
        if self.point.count():
            self.point.setItemText(0, _("The whole area"))
        texts = {self.print_button: _("P&rint…"), self.save_button: _("Save as P&DF…"),
                 self.ics_button: _("E&xport .ics…"), self.themes_button: _("T&hemes…")}
        for b, text in texts.items():
            b.setText(text)
            b.setAccessibleName(text.replace("&", "").replace("…", ""))
        self._show()


class ThemesDialog(QDialog):
    """The year's themes: add, edit, remove."""

    def __init__(self, view: AnnualView, year: int) -> None:
        super().__init__(view)
        self.setObjectName("themes_dialog")
        self.view, self.year = view, year
        self.rows: list[ThemeRow] = []
        self.setWindowTitle(_("Themes of {year}").format(year=year))
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("themes_list")
        self.list.setAccessibleName(_("Themes"))
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.add = QPushButton(_("&Add…"))
        self.edit = QPushButton(_("&Edit…"))
        self.remove = QPushButton(_("&Remove"))
        for b in (self.add, self.edit, self.remove):
            b.setAccessibleName(b.text().replace("&", "").replace("…", ""))
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        layout.addStrut(420)
        self.add.clicked.connect(lambda: self._form(None))
        self.edit.clicked.connect(self._edit)
        self.list.itemActivated.connect(lambda _i: self._edit())
        self.remove.clicked.connect(self._remove)
        self.finished.connect(lambda _r: self.view.reload())
        self.load()

    def show_error(self, text: str) -> None:
        self.status.setText("⚠ " + text)

    def load(self) -> None:
        QueryOp(self.view.runner, self, lambda: self.view.services.events.themes(self.year),
                success=self._shown).run_in_background()

    def _shown(self, rows: list[ThemeRow]) -> None:
        self.rows = rows
        self.list.clear()
        for r in rows:
            where = r.service_point_name or _("The whole area")
            item = QListWidgetItem(f"{_month_name(r.month)}: {r.title} ({where})")
            self.list.addItem(item)
        if rows:
            self.list.setCurrentRow(0)
        self.edit.setEnabled(bool(rows))
        self.remove.setEnabled(bool(rows))

    def _current(self) -> ThemeRow | None:
        i = self.list.currentRow()
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def _edit(self) -> None:
        row = self._current()
        if row is not None:
            self._form(row)

    def _form(self, row: ThemeRow | None) -> None:
        data = theme_input(row) if row else ThemeInput(
            year=str(self.year), month="1",
            service_point_id=self.view._point() or "")
        dialog = ThemeDialog(data, self.view.points, row is None, self)
        events = self.view.services.events

        def submit() -> None:
            value = dialog.value()
            op = (lambda: events.add_theme(value)) if row is None else (
                lambda: events.edit_theme(row.id, value))
            def saved(_row: ThemeRow) -> None:
                dialog.saved()
                self.load()

            WriteOp(self.view.runner, dialog, op, success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        dialog.submit_handler = submit
        dialog.open()

    def _remove(self) -> None:
        row = self._current()
        if row is None:
            return
        WriteOp(self.view.runner, self, lambda: self.view.services.events.remove_theme(row.id),
                success=lambda _r: self.load()).run_in_background()
