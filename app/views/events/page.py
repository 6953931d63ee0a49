"""EventsPage (#21): a service point's week of events, the event card with its
participant list, and the annual calendar. Everyone sees the events and checks people
in; coaches and up (event.edit) organise events and invite customers; team leads and
administrators (calendar.manage) keep the annual calendar's themes."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.dto.events import (
    CalendarSession,
    EventDetail,
    EventInput,
    EventRow,
    InviteFilter,
    InviteResult,
    ParticipantRow,
    SessionInput,
)
from app.i18n import N_, _, format_day, ngettext
from app.rules.permissions import Permission, allowed
from app.services.errors import ValidationFailed
from app.views import file_dialogs, style
from app.views.common import heading_label, list_table, shortcut
from app.views.events.annual import AnnualView
from app.views.events.card import EventCard
from app.views.events.dialogs import (
    EventChoices,
    EventDialog,
    InviteDialog,
    ReasonDialog,
    detail_input,
)
from app.views.events.texts import day_text, kind_label, kinds, seats, time_span
from app.views.operations import QueryOp, WriteOp, drop_pending, refresh_on_change
from app.views.pdf_printer import print_pdf
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from app.services.context import Actor
    from app.services.registry import Services

TABLES = {"event", "event_session", "event_participant", "event_attendance", "annual_theme",
          "room"}
WEEK_COLUMNS = (N_("Day"), N_("Time"), N_("Title"), N_("Kind"), N_("Room"),
                N_("Registered"), N_("Waiting"))


@dataclass(frozen=True)
class WeekRow:
    """A session of the week with its event's figures."""

    session: CalendarSession
    event: EventRow


class WeekView(QWidget):
    """The week's sessions of one service point, filtered by kind."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("events_week")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.point_label = QLabel()
        self.point = QComboBox()
        self.point.setObjectName("events_point")
        self.point.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.point_label.setBuddy(self.point)
        self.previous = QPushButton()
        self.previous.setObjectName("events_previous")
        self.this_week = QPushButton()
        self.this_week.setObjectName("events_this_week")
        self.next = QPushButton()
        self.next.setObjectName("events_next")
        self.week_label = style.heading(QLabel())
        self.week_label.setObjectName("events_week_label")
        self.kind_label = QLabel()
        self.kind = QComboBox()
        self.kind.setObjectName("events_kind")
        self.kind_label.setBuddy(self.kind)
        self.kind.addItem("", "")
        for code in kinds():
            self.kind.addItem("", code)
        self.new = QPushButton()
        self.new.setObjectName("events_new")
        # Two rows: at 150 % text one row would make the page wider than the screen.
        for w in (self.previous, self.this_week, self.next, self.week_label):
            bar.addWidget(w)
        bar.addStretch(1)
        filters = QHBoxLayout()
        for w2 in (self.point_label, self.point, self.kind_label, self.kind):
            filters.addWidget(w2)
        filters.addStretch(1)
        filters.addWidget(self.new)
        layout.addLayout(filters)
        layout.addLayout(bar)
        for a, b in ((self.point, self.kind), (self.kind, self.new), (self.new, self.previous)):
            QWidget.setTabOrder(a, b)
        self.model = SimpleTableModel(WEEK_COLUMNS, self._cells, self)
        self.table = list_table("events_table", self.model)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("events_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

    def _cells(self, row: WeekRow) -> list[str]:
        s, e = row.session, row.event
        title = e.title if s.sessions < 2 else f"{e.title} ({s.number}/{s.sessions})"
        return [day_text(s.starts_at), time_span(s.starts_at, s.ends_at), title,
                kind_label(e.kind), s.room_name, seats(e), str(e.waiting) if e.waiting else ""]

    def selected(self) -> WeekRow | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row if isinstance(row, WeekRow) else None

    def retranslate(self) -> None:
        self.point_label.setText(_("Service &point"))
        self.point.setAccessibleName(_("Service point"))
        self.previous.setText(_("◀ Previous week"))
        self.previous.setAccessibleName(_("Previous week"))
        self.this_week.setText(_("This &week"))
        self.this_week.setAccessibleName(_("This week"))
        self.next.setText(_("Next week ▶"))
        self.next.setAccessibleName(_("Next week"))
        self.kind_label.setText(_("&Kind"))
        self.kind.setAccessibleName(_("Kind"))
        self.kind.setItemText(0, _("All kinds"))
        for i in range(1, self.kind.count()):
            self.kind.setItemText(i, kind_label(self.kind.itemData(i)))
        self.new.setText(_("&New event…"))
        self.new.setAccessibleName(_("New event"))
        self.table.setAccessibleName(_("Events of the week"))
        self.model.retranslate()


class EventsPage(QStackedWidget):
    def __init__(self, services: Services, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("events_page")
        self.services, self.runner = services, runner
        self.events = services.events
        self.actor: Actor | None = None
        self.can_edit = False
        self.monday: date | None = None
        self.dialog: QDialog | None = None
        self.points: list[tuple[str, str]] = []

        self.overview = QWidget()
        layout = QVBoxLayout(self.overview)
        self.heading = heading_label()
        layout.addWidget(self.heading)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("events_tabs")
        self.week = WeekView()
        self.annual = AnnualView(services, runner)
        self.tabs.addTab(self.week, "")
        self.tabs.addTab(self.annual, "")
        layout.addWidget(self.tabs, 1)
        self.card = EventCard()
        self.addWidget(self.overview)
        self.addWidget(self.card)

        w = self.week
        w.point.currentIndexChanged.connect(lambda _i: self.load_week())
        w.kind.currentIndexChanged.connect(lambda _i: self.load_week())
        w.previous.clicked.connect(lambda: self._move(-7))
        w.next.clicked.connect(lambda: self._move(7))
        w.this_week.clicked.connect(self._this_week)
        w.new.clicked.connect(self.new_event)
        w.table.activated.connect(lambda _i: self._open_selected())
        self.card.back_requested.connect(self.show_list)
        self.card.edit.clicked.connect(self.edit_event)
        self.card.cancel_event.clicked.connect(self.cancel_event)
        self.card.check_in.clicked.connect(self.check_in)
        self.card.absent.clicked.connect(self.mark_absent)
        self.card.register.clicked.connect(
            lambda: self._participant_write(self.events.register, _("Registered.")))
        self.card.cancel_participation.clicked.connect(
            lambda: self._participant_write(self.events.cancel_participation,
                                            _("Participation cancelled.")))
        self.card.invite.clicked.connect(self.invite)
        self.card.print_letters.clicked.connect(lambda: self.letters(print_them=True))
        self.card.save_letters.clicked.connect(lambda: self.letters(print_them=False))
        back = QShortcut(QKeySequence("Alt+Left"), self.card)
        back.activated.connect(self.show_list)
        shortcut(self.overview, "Ctrl+N", self.week.new)
        shortcut(self.card, "F5", self.card.check_in)
        refresh_on_change(runner, self, TABLES, self._changed)
        self.retranslate()

    # --- the Page protocol ------------------------------------------------------------

    def activate(self, actor: Actor) -> None:
        first = self.actor is None
        self.actor = actor
        self.can_edit = allowed(actor.role, Permission.EVENT_EDIT)
        self.week.new.setVisible(self.can_edit)
        self.card.set_can_edit(self.can_edit)
        self.annual.set_actor(actor)
        if first:
            self.monday = self._week_of(self.services.session.today())
            self._load_points(actor.service_point_id)

    def deactivate(self) -> None:
        pass

    def refresh(self) -> None:
        """Rows arrived: the week (and the open card) show them."""
        if self.actor is not None and self.monday is not None and self.isVisible():
            self._changed()

    def clear(self) -> None:
        """Signed out: no events, participants, dialog or annual calendar left."""
        for key in ("week", "card", "points"):
            drop_pending(self, key)
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None
        self.actor, self.monday, self.can_edit = None, None, False
        self.card.forget()
        self.card.set_can_edit(False)
        self.week.model.set_rows([])
        self.week.status.setText("")
        self.week.week_label.setText("")
        self.week.point.blockSignals(True)
        self.week.point.clear()
        self.week.point.blockSignals(False)
        self.week.kind.setCurrentIndex(0)
        self.annual.clear()
        self.tabs.setCurrentIndex(0)
        self.setCurrentWidget(self.overview)

    def focus_first(self) -> None:
        if self.currentWidget() is self.card:
            self.card.table.setFocus()
        else:
            self.week.table.setFocus()

    def show_error(self, text: str) -> None:
        if self.currentWidget() is self.card:
            self.card.show_error(text)
        else:
            self.week.status.setText("⚠ " + text)

    # --- the week ---------------------------------------------------------------------

    @staticmethod
    def _week_of(day: date) -> date:
        return day - timedelta(days=day.weekday())

    def _load_points(self, own: str) -> None:
        def shown(points: list[tuple[str, str]]) -> None:
            self.points = points
            combo = self.week.point
            combo.blockSignals(True)
            combo.clear()
            for pid, name in points:
                combo.addItem(name, pid)
            combo.setCurrentIndex(max(0, combo.findData(own)))
            combo.blockSignals(False)
            self.annual.set_points(points, own)
            self.load_week()

        QueryOp(self.runner, self, self.services.appointments.service_points,
                success=shown).latest("points").run_in_background()

    def _move(self, days: int) -> None:
        if self.monday is not None:
            self.monday += timedelta(days=days)
            self.load_week()

    def _this_week(self) -> None:
        self.monday = self._week_of(self.services.session.today())
        self.load_week()

    def load_week(self) -> None:
        if self.monday is None or self.actor is None:
            return
        first, last = self.monday, self.monday + timedelta(days=6)
        point = self.week.point.currentData() or None
        kind = self.week.kind.currentData() or ""
        self.week.week_label.setText(_("Week {week}: {first}–{last}").format(
            week=first.isocalendar()[1], first=format_day(first),
            last=format_day(last, year=True)))

        def read() -> list[WeekRow]:
            events = {e.id: e for e in self.events.list_events(
                first, last, point, kinds=(kind,) if kind else ())}
            sessions = self.events.calendar_sessions(first, last, service_point_id=point)
            return [WeekRow(s, events[s.event_id]) for s in
                    sorted(sessions, key=lambda s: s.starts_at) if s.event_id in events]

        def shown(rows: list[WeekRow]) -> None:
            keep = self.week.selected()
            self.week.model.set_rows(rows)
            self.week.status.setText(
                ngettext("{n} session this week.", "{n} sessions this week.", len(rows))
                .format(n=len(rows)) if rows else _("No events this week."))
            again = next((i for i, r in enumerate(rows) if keep is not None
                          and r.session.session_id == keep.session.session_id), 0)
            if rows:
                self.week.table.selectRow(again)

        QueryOp(self.runner, self, read, success=shown).latest("week").run_in_background()

    def _changed(self) -> None:
        if self.actor is None:
            return
        self.load_week()
        if self.card.detail is not None:
            self.load_card(self.card.detail.row.id)
        self.annual.reload()

    # --- the card ---------------------------------------------------------------------

    def _open_selected(self) -> None:
        row = self.week.selected()
        if row is not None:
            self.open_event(row.event.id)

    def show_list(self) -> None:
        self.setCurrentWidget(self.overview)
        self.week.table.setFocus()

    def _read_card(self, event_id: str) -> tuple[EventDetail, list[ParticipantRow], date]:
        today = self.services.session.today()
        return (self.events.get(event_id), self.events.participants(event_id, on_day=today),
                today)

    def open_event(self, event_id: str) -> None:
        if self.card.detail is None or self.card.detail.row.id != event_id:
            self.card.forget()  # nothing of the previous event while this one loads
        self.card.say("")

        def shown(found: tuple[EventDetail, list[ParticipantRow], date]) -> None:
            self.card.show_detail(*found)
            self.setCurrentWidget(self.card)
            self.card.table.setFocus()

        QueryOp(self.runner, self, lambda: self._read_card(event_id), success=shown) \
            .latest("card").run_in_background()

    def load_card(self, event_id: str) -> None:
        def shown(found: tuple[EventDetail, list[ParticipantRow], date]) -> None:
            if self.card.detail is not None and self.card.detail.row.id == event_id:
                self.card.show_detail(*found)

        QueryOp(self.runner, self, lambda: self._read_card(event_id), success=shown) \
            .latest("card").run_in_background()

    # --- participants -----------------------------------------------------------------

    def _participant_write(self, fn: Callable[[str, str], ParticipantRow], done: str) -> None:
        d, p = self.card.detail, self.card.current()
        if d is None or p is None:
            return
        event_id, customer_id = d.row.id, p.customer_id
        WriteOp(self.runner, self, lambda: fn(event_id, customer_id),
                success=lambda row: self.card.say(self._status_text(done, row), style.OK)) \
            .run_in_background()

    @staticmethod
    def _status_text(done: str, row: ParticipantRow) -> str:
        if row.status == "waiting" and row.waiting_position:
            return _("The event is full: on the waiting list, number {n}.").format(
                n=row.waiting_position)
        return done

    def _pick_session(self, then: Callable[[str], None]) -> None:
        """Today's session, or the worker picks one of the event's sessions."""
        d = self.card.detail
        if d is None:
            return
        today = self.card.todays_sessions()
        if len(today) == 1:
            then(today[0].id)
            return
        sessions = today or [s for s in d.sessions if not s.cancelled]
        if not sessions:
            return
        labels = [f"{s.number}. {day_text(s.starts_at)} {time_span(s.starts_at, s.ends_at)}"
                  for s in sessions]
        text, ok = QInputDialog.getItem(self, _("Which session?"), _("&Session"), labels, 0,
                                        False)
        if ok and text in labels:
            then(sessions[labels.index(text)].id)

    def check_in(self) -> None:
        people = self.card.selected() or ([c] if (c := self.card.current()) else [])
        if not people:
            return

        def go(session_id: str) -> None:
            ids = [p.customer_id for p in people]

            def write() -> int:
                for cid in ids:
                    self.events.check_in(session_id, cid, "list")
                return len(ids)

            WriteOp(self.runner, self, write, success=lambda n: self.card.say(
                ngettext("{n} checked in.", "{n} checked in.", n).format(n=n), style.OK)) \
                .run_in_background()

        self._pick_session(go)

    def mark_absent(self) -> None:
        p = self.card.current()
        if p is None:
            return
        customer_id = p.customer_id
        self._pick_session(lambda sid: WriteOp(
            self.runner, self, lambda: self.events.mark_absent(sid, customer_id),
            success=lambda _row: self.card.say(_("Marked absent."), style.OK))
            .run_in_background())

    def invite(self) -> None:
        d, actor = self.card.detail, self.actor
        if d is None or actor is None or not self.can_edit:
            return
        event_id = d.row.id
        dialog = InviteDialog(lambda f: None, actor.staff_id,
                              allowed(actor.role, Permission.CASELOAD_READ), self)

        def search(f: InviteFilter) -> None:
            QueryOp(self.runner, dialog, lambda: self.events.invite_candidates(event_id, f),
                    success=dialog.show_candidates).run_in_background()

        dialog.search_fn = search

        def submit(ids: tuple[str, ...]) -> None:
            def done(result: InviteResult) -> None:
                dialog.accept()
                text = ngettext("{n} invited", "{n} invited", result.invited).format(
                    n=result.invited)
                if result.already:
                    text += ", " + ngettext("{n} was already on the list",
                                            "{n} were already on the list",
                                            result.already).format(n=result.already)
                if result.refused:
                    text += ", " + ngettext("{n} could not be invited",
                                            "{n} could not be invited",
                                            result.refused).format(n=result.refused)
                self.card.say(text + ".", style.OK)

            WriteOp(self.runner, dialog, lambda: self.events.invite(event_id, ids),
                    success=done).run_in_background()

        self._open(dialog, submit)
        search(dialog.value())

    # --- the event --------------------------------------------------------------------

    def _choices(self) -> EventChoices:
        points = self.services.appointments.service_points()
        employers = [(e.id, e.name) for e in self.services.employers.search("", limit=1000)]
        return EventChoices(points, self.events.organisers(), employers,
                            {pid: self.events.rooms(pid) for pid, _n in points})

    def new_event(self) -> None:
        actor = self.actor
        if actor is None or not self.can_edit:
            return
        point = self.week.point.currentData() or actor.service_point_id
        data = EventInput(service_point_id=point, kind="service_info",
                          organiser_ids=(actor.staff_id,), sessions=(SessionInput(),))
        QueryOp(self.runner, self, self._choices, success=lambda c: self._event_dialog(
            EventDialog(data, c, True, self), None)).run_in_background()

    def edit_event(self) -> None:
        d = self.card.detail
        if d is None or not self.can_edit:
            return
        QueryOp(self.runner, self, self._choices, success=lambda c: self._event_dialog(
            EventDialog(detail_input(d), c, False, self), d.row.id)).run_in_background()

    def _event_dialog(self, dialog: EventDialog, event_id: str | None) -> None:
        def saved(detail: EventDetail) -> None:
            dialog.saved()
            self.open_event(detail.row.id)
            self.card.say(_("Saved."), style.OK)

        def submit() -> None:
            data = dialog.value()
            op = (lambda: self.events.create(data)) if event_id is None else (
                lambda: self.events.update(event_id, data))
            WriteOp(self.runner, dialog, op, success=saved) \
                .on(ValidationFailed, lambda exc: dialog.show_errors(exc.errors)) \
                .run_in_background()

        self._open(dialog, submit)

    def cancel_event(self) -> None:
        d = self.card.detail
        if d is None or not self.can_edit:
            return
        event_id = d.row.id
        dialog = ReasonDialog(self)

        def submit() -> None:
            reason = dialog.reason.toPlainText()

            def done(_detail: EventDetail) -> None:
                dialog.saved()
                self.card.say(_("The event was cancelled."), style.OK)

            WriteOp(self.runner, dialog, lambda: self.events.cancel(event_id, reason),
                    success=done).run_in_background()

        self._open(dialog, submit)

    def _open(self, dialog: Any, submit: Callable[..., None]) -> None:
        dialog.submit_handler = submit
        self.dialog = dialog
        focus = self.focusWidget()

        def closed(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            if focus is not None and focus.isVisible():
                focus.setFocus()

        dialog.finished.connect(closed)
        dialog.open()

    # --- invitations ------------------------------------------------------------------

    def letters(self, print_them: bool) -> None:
        """The invitations of the chosen participants, else of everyone invited,
        registered or waiting: printed, or saved as one PDF."""
        d = self.card.detail
        if d is None:
            return
        chosen = self.card.selected()
        people = chosen if len(chosen) > 1 else [
            p for p in self.card.participants
            if p.status in ("invited", "registered", "waiting")]
        if len(chosen) == 1 and not people:
            people = chosen
        # A customer of another point this workstation does not hold has no name here:
        # their own point prints theirs.
        people = [p for p in people if p.name]
        if not people:
            self.card.say(_("No one to send an invitation to."), style.WARN)
            return
        detail = d
        today = self.services.session.today()

        def render() -> bytes:
            from app.printing.event_letter import render_invitations

            return render_invitations(detail, people, self._place(detail), today)

        if print_them:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
                return
            folder = Path(tempfile.mkdtemp(prefix="invitations-"))

            def printed() -> int:
                path = folder / "invitations.pdf"
                path.write_bytes(pdf_bytes[0])
                return print_pdf(path, printer)

            pdf_bytes: list[bytes] = []

            def sent(pages: int) -> None:
                shutil.rmtree(folder, ignore_errors=True)
                self.card.say(ngettext("Sent {n} page to the printer.",
                                       "Sent {n} pages to the printer.", pages).format(n=pages))

            def made(pdf: bytes) -> None:
                pdf_bytes.append(pdf)
                QueryOp(self.runner, self, printed, success=sent).in_io_pool() \
                    .run_in_background()

            self.card.say(_("Preparing the invitations…"))
            QueryOp(self.runner, self, render, success=made).run_in_background()
            return
        name = file_dialogs.file_name(detail.row.title, _("Invitations"), day=today,
                                      suffix="pdf")
        path = file_dialogs.ask_save_path(self, _("Save the invitations as PDF"), name,
                                          _("PDF documents (*.pdf)"))
        if path is None:
            return

        def write(pdf: bytes) -> None:
            QueryOp(self.runner, self, lambda: path.write_bytes(pdf),
                    success=lambda _n: self.card.say(
                        _("Saved as {path}").format(path=path), style.OK)) \
                .in_io_pool().run_in_background()

        QueryOp(self.runner, self, render, success=write).run_in_background()

    def _place(self, detail: EventDetail) -> Any:
        """The sending point's name, address and phone (read in the database pool)."""
        from app.printing.event_letter import LetterPlace

        lookup = getattr(self.events, "point_contact", None)
        if callable(lookup):
            name, address, phone = lookup(detail.row.service_point_id)
            return LetterPlace(name, address, phone)
        return LetterPlace(detail.row.service_point_name)

    # --- words ------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.heading.setText(_("Events"))
        self.tabs.setTabText(0, _("Week"))
        self.tabs.setTabText(1, _("Annual calendar"))
        self.week.retranslate()
        if self.monday is not None:
            first, last = self.monday, self.monday + timedelta(days=6)
            self.week.week_label.setText(_("Week {week}: {first}–{last}").format(
                week=first.isocalendar()[1], first=format_day(first),
                last=format_day(last, year=True)))

