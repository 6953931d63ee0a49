"""MessagesPage (#23): what the messenger is doing with the messages to customers, for
the staff of a service point. On top, the messenger's heartbeat (are messages being
sent at all?); then four tabs: "To handle" (failed and held messages: send again, it
was sent, do not send), "Today" (the day's e-mails and text messages with their status),
"To print" (letters for customers with no agreed channel: print, then they leave the
list) and "Templates" (the wordings, for those who edit settings).

Every service call runs off the GUI thread (app/views/operations.py)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, format_day, format_number, format_time, ngettext, to_local
from app.rules.codes import MessageChannel, MessageStatus
from app.rules.messages import person_may_move
from app.rules.permissions import Permission, allowed
from app.views import style
from app.views.common import ColumnFitter, heading_label, icon, list_table, shortcut
from app.views.messages.templates import TemplateEditor
from app.views.messages.texts import (
    channel_label,
    heartbeat_text,
    kind_label,
    message_time,
    reason_text,
    status_label,
    when,
)
from app.views.operations import QueryOp, WriteOp, drop_pending, refresh_on_change
from app.views.pdf_printer import print_pdf
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.dto.messages import MessageRow, MessengerStatus
    from app.services.context import Actor
    from app.services.registry import Services

TABLES = {"message", "messenger_heartbeat", "message_template", "contact_preference"}
HANDLE_COLUMNS = (N_("Customer"), N_("Kind"), N_("Channel"), N_("Status"), N_("Was due"),
                  N_("Appointment or event"), N_("Reason"))
TODAY_COLUMNS = (N_("Time"), N_("Customer"), N_("Kind"), N_("Channel"), N_("Status"),
                 N_("Appointment or event"))
PRINT_COLUMNS = (N_("Customer"), N_("Kind"), N_("Appointment or event"), N_("Language"),
                 N_("In the list since"))
LANGUAGE_NAMES = {"fi": N_("Finnish"), "sv": N_("Swedish"), "en": N_("English")}


def _handle_cells(row: MessageRow) -> list[str]:
    return [row.customer_name, kind_label(row.kind), channel_label(row.channel),
            status_label(row.status), when(row.due_at), when(row.about_starts_at),
            reason_text(row)]


def _day_time(row: MessageRow, day: date | None) -> str:
    """The time alone when it is on the day shown (the heading names the day)."""
    moment = message_time(row)
    return format_time(moment) if day is not None and to_local(moment).date() == day \
        else when(moment)


def _print_cells(row: MessageRow) -> list[str]:
    return [row.customer_name, kind_label(row.kind), when(row.about_starts_at),
            _(LANGUAGE_NAMES.get(row.language, row.language)), when(row.due_at)]


def _button(name: str, icon_name: str = "") -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.setProperty("icon_name", icon_name)
    return button


class _ListTab(QWidget):
    """A list of messages with a note above it and buttons under it."""

    def __init__(self, name: str, columns: tuple[str, ...], cells: object,
                 buttons: list[QPushButton]) -> None:
        super().__init__()
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setObjectName(f"{name}_note")
        self.note.setWordWrap(True)
        style.secondary(self.note)
        layout.addWidget(self.note)
        self.bar = QHBoxLayout()
        layout.addLayout(self.bar)
        self.model = SimpleTableModel(columns, cells, self)  # type: ignore[arg-type]
        self.table = list_table(f"{name}_table", self.model)
        ColumnFitter(self.table)
        layout.addWidget(self.table, 1)
        self.state = QLabel()
        self.state.setObjectName(f"{name}_state")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = buttons
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.enable())

    def selected(self) -> MessageRow | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row

    def show_rows(self, rows: list[MessageRow]) -> None:
        keep = self.selected()
        self.model.set_rows(rows)
        if rows:
            again = next((i for i, r in enumerate(rows) if keep is not None and r.id == keep.id),
                         0)
            self.table.selectRow(again)
        self.enable()

    def enable(self) -> None:
        """Set by each tab: which buttons the selected row allows."""


def _may(row: MessageRow | None, status: MessageStatus) -> bool:
    if row is None:
        return False
    try:
        return person_may_move(MessageStatus(row.status), status, MessageChannel(row.channel))
    except ValueError:
        return False


class HandleTab(_ListTab):
    """Failed and held messages: a person decides what happens to each."""

    def __init__(self) -> None:
        self.again = _button("messages_send_again", "mdi6.send-outline")
        self.was_sent = _button("messages_was_sent", "mdi6.check")
        self.not_send = _button("messages_do_not_send", "mdi6.close-circle-outline")
        self.open = _button("messages_handle_open", "mdi6.account")
        super().__init__("messages_handle", HANDLE_COLUMNS, _handle_cells,
                         [self.again, self.was_sent, self.not_send, self.open])

    def enable(self) -> None:
        row = self.selected()
        self.again.setEnabled(_may(row, MessageStatus.QUEUED))
        self.was_sent.setEnabled(_may(row, MessageStatus.SENT))
        self.not_send.setEnabled(_may(row, MessageStatus.CANCELLED))
        self.open.setEnabled(row is not None)

    def retranslate(self) -> None:
        self.note.setText(_("Messages that could not be sent, or that the messenger could "
                            "not confirm. Check the customer's number or address, then "
                            "choose what happens to each."))
        self.again.setText(_("Send &again"))
        self.again.setAccessibleName(_("Send again"))
        self.again.setToolTip(_("Back to the queue: the messenger tries again now."))
        self.was_sent.setText(_("It &was sent"))
        self.was_sent.setAccessibleName(_("It was sent"))
        self.was_sent.setToolTip(_("The customer got it (for example, they said so): it is "
                                   "not sent again."))
        self.not_send.setText(_("Do &not send"))
        self.not_send.setAccessibleName(_("Do not send"))
        self.open.setText(_("&Open the customer"))
        self.open.setAccessibleName(_("Open the customer"))
        self.table.setAccessibleName(_("Messages to handle"))
        self.model.retranslate()


class TodayTab(_ListTab):
    """The day's e-mails and text messages: due, sent, delivered, failed."""

    def __init__(self) -> None:
        self.open = _button("messages_today_open", "mdi6.account")
        self.day: date | None = None
        super().__init__("messages_today", TODAY_COLUMNS, self._cells, [self.open])
        self.previous = _button("messages_previous_day")
        self.today = _button("messages_this_day")
        self.next = _button("messages_next_day")
        self.day_label = style.heading(QLabel())
        self.day_label.setObjectName("messages_day_label")
        for w in (self.previous, self.today, self.next, self.day_label):
            self.bar.addWidget(w)
        self.bar.addStretch(1)

    def _cells(self, row: MessageRow) -> list[str]:
        return [_day_time(row, self.day), row.customer_name, kind_label(row.kind),
                channel_label(row.channel), status_label(row.status),
                when(row.about_starts_at)]

    def enable(self) -> None:
        self.open.setEnabled(self.selected() is not None)

    def summary(self) -> str:
        rows: list[MessageRow] = self.model.rows
        if not rows:
            return _("No e-mails or text messages on this day.")
        sent = sum(1 for r in rows if r.status in ("sent", "delivered"))
        waiting = sum(1 for r in rows if r.status in ("queued", "claimed", "sending"))
        failed = sum(1 for r in rows if r.status in ("failed", "held"))
        parts = [ngettext("{n} message", "{n} messages", len(rows)).format(
            n=format_number(len(rows))),
            ngettext("{n} sent", "{n} sent", sent).format(n=format_number(sent)),
            ngettext("{n} waiting", "{n} waiting", waiting).format(n=format_number(waiting))]
        if failed:
            parts.append("⚠ " + ngettext("{n} to handle", "{n} to handle", failed).format(
                n=format_number(failed)))
        return "  ·  ".join(parts)

    def retranslate(self) -> None:
        self.note.setText(_("The e-mails and text messages of the day: those due and those "
                            "already sent."))
        self.previous.setText(_("◀ Previous day"))
        self.previous.setAccessibleName(_("Previous day"))
        self.today.setText(_("Back to today"))
        self.today.setAccessibleName(_("Back to today"))
        self.next.setText(_("Next day ▶"))
        self.next.setAccessibleName(_("Next day"))
        self.open.setText(_("&Open the customer"))
        self.open.setAccessibleName(_("Open the customer"))
        self.table.setAccessibleName(_("Messages of the day"))
        self.model.retranslate()


class PrintTab(_ListTab):
    """Letters for customers with no agreed channel: printed here, then gone."""

    def __init__(self) -> None:
        self.print = _button("messages_print", "mdi6.printer")
        self.not_needed = _button("messages_print_not_needed", "mdi6.close-circle-outline")
        self.open = _button("messages_print_open", "mdi6.account")
        super().__init__("messages_print", PRINT_COLUMNS, _print_cells,
                         [self.print, self.not_needed, self.open])

    def enable(self) -> None:
        row = self.selected()
        self.print.setEnabled(_may(row, MessageStatus.PRINTED))
        self.not_needed.setEnabled(_may(row, MessageStatus.CANCELLED))
        self.open.setEnabled(row is not None)

    def retranslate(self) -> None:
        self.note.setText(_("Letters for customers who have not agreed to e-mail or text "
                            "messages, or have no number or address. Print each one and "
                            "post it or hand it over; a printed letter leaves the list."))
        self.print.setText(_("P&rint the letter… (Ctrl+P)"))
        self.print.setAccessibleName(_("Print the letter"))
        self.not_needed.setText(_("Not &needed"))
        self.not_needed.setAccessibleName(_("Not needed"))
        self.not_needed.setToolTip(_("The customer already knows (for example, told at the "
                                     "desk): the letter leaves the list unprinted."))
        self.open.setText(_("&Open the customer"))
        self.open.setAccessibleName(_("Open the customer"))
        self.table.setAccessibleName(_("Letters to print"))
        self.model.retranslate()


class MessagesPage(QWidget):
    count_changed = Signal(int)  # messages to handle and letters to print (own point)
    open_customer = Signal(str)

    def __init__(self, services: Services, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messages_page")
        self.services, self.runner = services, runner
        self.actor: Actor | None = None
        self.day: date | None = None
        self.status: MessengerStatus | None = None
        self.can_edit_templates = False

        layout = QVBoxLayout(self)
        self.heading = heading_label()
        layout.addWidget(self.heading)
        self.heartbeat = QLabel()
        self.heartbeat.setObjectName("messages_heartbeat")
        self.heartbeat.setWordWrap(True)
        layout.addWidget(self.heartbeat)
        bar = QHBoxLayout()
        self.point_label = QLabel()
        self.point = QComboBox()
        self.point.setObjectName("messages_point")
        self.point.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.point_label.setBuddy(self.point)
        bar.addWidget(self.point_label)
        bar.addWidget(self.point)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("messages_tabs")
        self.handle = HandleTab()
        self.today = TodayTab()
        self.printing = PrintTab()
        self.templates = TemplateEditor(services, runner)
        for tab in (self.handle, self.today, self.printing):
            self.tabs.addTab(tab, "")
        self.templates.hide()  # a tab only for those who edit settings (_show_templates)
        layout.addWidget(self.tabs, 1)

        self.point.currentIndexChanged.connect(lambda _i: self.load())
        self.tabs.currentChanged.connect(lambda _i: self._point_shown())
        h, t, p = self.handle, self.today, self.printing
        h.again.clicked.connect(lambda: self.decide(h, MessageStatus.QUEUED))
        h.was_sent.clicked.connect(lambda: self.decide(h, MessageStatus.SENT))
        h.not_send.clicked.connect(lambda: self.decide(h, MessageStatus.CANCELLED))
        p.not_needed.clicked.connect(lambda: self.decide(p, MessageStatus.CANCELLED))
        p.print.clicked.connect(self.print_selected)
        for tab in (h, t, p):
            tab.open.clicked.connect(lambda _c=False, tab=tab: self._open(tab))
            tab.table.activated.connect(lambda _i, tab=tab: self._open(tab))
        t.previous.clicked.connect(lambda: self._move(-1))
        t.next.clicked.connect(lambda: self._move(1))
        t.today.clicked.connect(self._this_day)
        shortcut(self.printing, "Ctrl+P", p.print)
        refresh_on_change(runner, self, TABLES, self._changed)
        self.retranslate()

    # --- the Page protocol ------------------------------------------------------------

    def activate(self, actor: Actor) -> None:
        first = self.actor is None
        self.actor = actor
        self.can_edit_templates = allowed(actor.role, Permission.SETTINGS_EDIT)
        self._show_templates(self.can_edit_templates)
        if first:
            self.day = self.services.session.today()
            self._load_points(actor.service_point_id)
        else:
            self.load()
        if self.can_edit_templates:
            self.templates.activate()

    def deactivate(self) -> None:
        pass

    def refresh(self) -> None:
        """Rows arrived (or someone signed in): the count, and what the page shows."""
        if self.actor is not None and self.isVisible():
            self.load()
        else:
            self._count()

    def clear(self) -> None:
        """Signed out: no customer's message, no template draft, no count left."""
        for key in ("handle", "today", "print", "points", "status", "count"):
            drop_pending(self, key)
        self.actor, self.day, self.status = None, None, None
        self.can_edit_templates = False
        for tab in (self.handle, self.today, self.printing):
            tab.show_rows([])
            tab.state.setText("")
        self.today.day_label.setText("")
        self.heartbeat.setText("")
        self.point.blockSignals(True)
        self.point.clear()
        self.point.blockSignals(False)
        self.templates.clear()
        self._show_templates(False)
        self.tabs.setCurrentIndex(0)
        self.count_changed.emit(0)

    def _point_shown(self) -> None:
        """The templates are the whole area's: no service point to choose there."""
        on = self.tabs.currentWidget() is not self.templates
        self.point_label.setVisible(on)
        self.point.setVisible(on)

    def _show_templates(self, on: bool) -> None:
        """The Templates tab is there only for those who edit settings (a hidden tab
        would still take its place in the tab bar)."""
        index = self.tabs.indexOf(self.templates)
        if on and index < 0:
            self.tabs.addTab(self.templates, _("&Templates"))
        elif not on and index >= 0:
            self.tabs.removeTab(index)
            self.templates.hide()

    def focus_first(self) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, _ListTab):
            current.table.setFocus()
        else:
            self.tabs.setFocus()

    def show_error(self, text: str) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, _ListTab):
            style.set_status(current.state, style.WARN, text)
        elif current is self.templates:
            self.templates.show_error(text)

    # --- loading ----------------------------------------------------------------------

    def _point(self) -> str | None:
        return self.point.currentData() or None

    def _load_points(self, own: str) -> None:
        def shown(points: list[tuple[str, str]]) -> None:
            combo = self.point
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("All service points"), "")
            for pid, name in points:
                combo.addItem(name, pid)
            combo.setCurrentIndex(max(0, combo.findData(own)))
            combo.blockSignals(False)
            self.load()

        QueryOp(self.runner, self, self.services.appointments.service_points,
                success=shown).latest("points").run_in_background()

    def load(self) -> None:
        """The heartbeat and the three lists, each read in the database pool."""
        if self.actor is None or self.day is None:
            return
        messages = self.services.messages
        point, day = self._point(), self.day
        self._show_day()
        QueryOp(self.runner, self, messages.messenger_status, success=self.show_status) \
            .latest("status").run_in_background()
        QueryOp(self.runner, self, lambda: messages.to_handle(point),
                success=self._handle_shown).latest("handle").run_in_background()
        QueryOp(self.runner, self, lambda: messages.day_queue(day, point),
                success=self._today_shown).latest("today").run_in_background()
        QueryOp(self.runner, self, lambda: messages.print_list(point),
                success=self._print_shown).latest("print").run_in_background()

    def _count(self) -> None:
        """The navigation's count: what waits for a person at the signed-in worker's own
        service point (read only when someone is signed in)."""
        actor = self.actor or self.services.session.actor
        if actor is None or not hasattr(self.services, "messages"):
            return
        messages, own = self.services.messages, actor.service_point_id
        QueryOp(self.runner, self, lambda: len(messages.to_handle(own))
                + len(messages.print_list(own)), success=self.count_changed.emit) \
            .latest("count").quietly().run_in_background()

    def show_status(self, status: MessengerStatus) -> None:
        self.status = status
        text, kind = heartbeat_text(status)
        style.set_status(self.heartbeat, kind, text)
        self.heartbeat.setAccessibleName(text)
        tip = ""
        if status.heard:
            tip = _("Sent {sent}, failed {failed} since the messenger started.").format(
                sent=format_number(status.sent_count), failed=format_number(status.failed_count))
            if status.last_error:
                tip += "\n" + _("Last problem: {error}").format(error=_(status.last_error))
        self.heartbeat.setToolTip(tip)

    def _handle_shown(self, rows: list[MessageRow]) -> None:
        self.handle.show_rows(rows)
        self.handle.state.setText(
            ngettext("{n} message to handle.", "{n} messages to handle.", len(rows)).format(
                n=format_number(len(rows))) if rows else _("Nothing to handle."))
        self._retitle()

    def _today_shown(self, rows: list[MessageRow]) -> None:
        self.today.day = self.day
        self.today.show_rows(rows)
        self.today.state.setText(self.today.summary())

    def _print_shown(self, rows: list[MessageRow]) -> None:
        self.printing.show_rows(rows)
        self.printing.state.setText(
            ngettext("{n} letter to print.", "{n} letters to print.", len(rows)).format(
                n=format_number(len(rows))) if rows else _("No letters to print."))
        self._retitle()
        if self.actor is not None and self._point() == self.actor.service_point_id:
            self.count_changed.emit(self.handle.model.rowCount() + len(rows))

    def _changed(self) -> None:
        if self.actor is not None:
            self.load()
            if self.can_edit_templates:
                self.templates.reload()

    # --- the day ----------------------------------------------------------------------

    def _show_day(self) -> None:
        if self.day is not None:
            self.today.day_label.setText(format_day(self.day, "cccc", year=True))

    def _move(self, days: int) -> None:
        if self.day is not None:
            self.day += timedelta(days=days)
            self.load()

    def _this_day(self) -> None:
        self.day = self.services.session.today()
        self.load()

    # --- actions ----------------------------------------------------------------------

    def _open(self, tab: _ListTab) -> None:
        row = tab.selected()
        if row is not None:
            self.open_customer.emit(row.customer_id)

    def decide(self, tab: _ListTab, status: MessageStatus) -> None:
        row = tab.selected()
        if row is None or not _may(row, status):
            return
        if status is MessageStatus.CANCELLED and not self.confirm(
                _("{customer}: {kind} is not sent at all. Continue?").format(
                    customer=row.customer_name, kind=kind_label(row.kind))):
            return
        message_id, messages = row.id, self.services.messages
        done = {MessageStatus.QUEUED: _("Back in the queue: the messenger sends it next."),
                MessageStatus.SENT: _("Marked as sent."),
                MessageStatus.CANCELLED: _("It will not be sent.")}[status]
        for button in tab.buttons:
            button.setEnabled(False)

        def decided(_row: MessageRow) -> None:
            style.set_status(tab.state, style.OK, done)
            self.load()

        def failed(text: str) -> None:
            tab.enable()
            style.set_status(tab.state, style.WARN, text)

        WriteOp(self.runner, self, lambda: messages.decide(message_id, status.value),
                success=decided).errors_to(failed).run_in_background()

    def confirm(self, text: str) -> bool:
        """A final decision asked once more (tests answer for the worker here)."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Do not send"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def ask_printer(self) -> QPrinter | None:
        """The printer the worker chooses (tests put a PDF-file printer here)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return None
        return printer

    def print_selected(self) -> None:
        """The letter made (database pool), printed (io pool), then marked printed: it
        leaves the list. Printing the same letter twice is harmless; marking it printed
        without paper is not, so the mark comes last."""
        tab = self.printing
        row = tab.selected()
        if row is None or not _may(row, MessageStatus.PRINTED):
            return
        printer = self.ask_printer()
        if printer is None:
            return
        message_id, messages = row.id, self.services.messages
        folder = Path(tempfile.mkdtemp(prefix="message-letter-"))
        say = lambda text, kind=None: style.set_status(tab.state, kind, text)  # noqa: E731

        def failed(text: str) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            tab.enable()
            say(_("Printing failed: {error}").format(error=text), style.WARN)

        def marked(_row: MessageRow) -> None:
            say(_("Printed. The letter left the list."), style.OK)
            self.load()

        def printed(pages: int) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            say(ngettext("Sent {n} page to the printer.", "Sent {n} pages to the printer.",
                         pages).format(n=pages))
            WriteOp(self.runner, self, lambda: messages.decide(message_id, "printed"),
                    success=marked).errors_to(failed).run_in_background()

        def made(pdf: bytes) -> None:
            def work() -> int:
                path = folder / "letter.pdf"
                path.write_bytes(pdf)
                return print_pdf(path, printer)

            QueryOp(self.runner, self, work, success=printed).errors_to(failed) \
                .in_io_pool().run_in_background()

        for button in tab.buttons:
            button.setEnabled(False)
        say(_("Preparing the letter to print…"))
        QueryOp(self.runner, self, lambda: messages.print_letter(message_id), success=made) \
            .errors_to(failed).run_in_background()

    # --- words ------------------------------------------------------------------------

    def _retitle(self) -> None:
        n_handle, n_print = self.handle.model.rowCount(), self.printing.model.rowCount()
        self.tabs.setTabText(0, _("To &handle") + (f" ({n_handle})" if n_handle else ""))
        self.tabs.setTabText(2, _("To &print") + (f" ({n_print})" if n_print else ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.heading.setText(_("Messages to customers"))
        self.point_label.setText(_("Ser&vice point"))
        self.point.setAccessibleName(_("Service point"))
        if self.point.count():
            self.point.setItemText(0, _("All service points"))
        self._retitle()
        self.tabs.setTabText(1, _("To&day"))
        if self.tabs.indexOf(self.templates) >= 0:
            self.tabs.setTabText(self.tabs.indexOf(self.templates), _("&Templates"))
        self.tabs.setAccessibleName(_("Messages"))
        for tab in (self.handle, self.today, self.printing):
            tab.retranslate()
            for button in tab.buttons:
                name = button.property("icon_name")
                if name:
                    button.setIcon(icon(name, button))
        self.templates.retranslate()
        self._show_day()
        if self.status is not None:
            self.show_status(self.status)
        elif self.actor is not None:
            style.set_status(self.heartbeat, style.INFO, heartbeat_text(None)[0])
