"""QueuePage: one desk's view of the walk-in queue.

The customer at this desk comes first, large, with what can be done with them beside it;
the waiting list and the other desks below. F5 never opens a second visit: while someone
is still at the desk it asks to finish them first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.dto.queue import OfferedChoice, QueueSnapshot, TicketRow
from app.i18n import N_, _, format_number, format_time, ngettext
from app.rules.codes import Role, ServiceArea, TicketState
from app.rules.permissions import Permission, allowed
from app.services.area_lookup import AreaLookupService
from app.services.customers import CustomerService
from app.services.events import EventService
from app.services.feedback import FeedbackService
from app.services.queue import QueueService
from app.views import style
from app.views.common import heading_label, icon, label, list_table, shortcut
from app.views.feedback.customer_window import CustomerFeedbackWindow
from app.views.operations import QueryOp, WriteOp, drop_pending, refresh_on_change
from app.views.queue.arrival import ArrivalDialog
from app.views.queue.dialogs import DeskDialog, TransferDialog, VisitRecordDialog, offered
from app.views.queue.models import ServingTableModel, WaitingTableModel, minutes_since
from app.views.queue.models import service_text as ticket_service
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor

REFRESH_MS = 5000  # the local queue; sync will also refresh on notification
# A write to one of these (here or on another page: a check-in) shows the queue again.
QUEUE_TABLES = {"queue_ticket", "desk_duty"}
TICK_MS = 15000

# (attribute, icon, shortcut, text)
ACTIONS = (
    ("call_next", "mdi6.bullhorn", "F5", N_("Call &next")),
    ("call_selected", "mdi6.account-arrow-right", "F6", N_("Call &selected")),
    ("recall", "mdi6.replay", "F7", N_("Call &again")),
    ("not_present", "mdi6.account-off", "F8", N_("Not &present")),
    ("start", "mdi6.play", "F9", N_("S&tart service")),
    ("transfer", "mdi6.swap-horizontal", "F11", N_("T&ransfer…")),
    ("finish", "mdi6.check", "F12", N_("&Finish…")),
)
# A partner's desk finishes at once: no visit record to fill in (no "…").
FINISH_AT_ONCE = N_("&Finish")
# The actions on the customer at the desk, beside them: (row, column) in their grid.
CURRENT_ACTIONS = {"start": (0, 0), "recall": (0, 1), "not_present": (1, 1),
                   "transfer": (1, 0), "finish": (0, 0)}


class QueuePage(QWidget):
    count_changed = Signal(int)  # how many are waiting (the navigation's count)

    def __init__(self, queue: QueueService, customers: CustomerService,
                 feedback: FeedbackService, runner: TaskRunner,
                 parent: QWidget | None = None,
                 lookup: AreaLookupService | None = None,
                 now: Callable[[], datetime] | None = None,
                 events: EventService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_page")
        self.events = events  # the arrival offers today's event check-ins
        self._clock = now  # the services' clock (session.now): live times tick from it
        self.queue, self.customers, self.feedback = queue, customers, feedback
        self.lookup = lookup
        self.runner = runner
        self.snapshot: QueueSnapshot | None = None
        self.since = QElapsedTimer()
        # The point's queue services (QueueService.offered), loaded when going on duty.
        self.offered: list[OfferedChoice] = []
        # Who is signed in, as the page needs it (set on `activate`, reset on `clear`):
        # a partner's desk (#24) serves its organisation's services only: no
        # registration, no transfer, and it finishes without a visit record.
        self.partner = False
        self.partner_org_id: str | None = None
        self.can_register = True
        self.started = False
        self.dialog: Any = None
        self.feedback_window: CustomerFeedbackWindow | None = None
        self.offers_feedback = False
        self._build()
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self._tick)
        refresh_on_change(runner, self, QUEUE_TABLES, self._tables_changed)
        # An admin's change of the point's services: the dialogs' choices again.
        refresh_on_change(runner, self, {"queue_service"}, self._services_changed)
        self.retranslate()

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = heading_label()
        self.duty_label = QLabel()
        self.duty_label.setObjectName("queue_duty")
        self.duty_label.setWordWrap(True)
        self.duty_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        style.secondary(self.duty_label)
        self.desk_button = QPushButton()
        self.desk_button.setObjectName("queue_desk")
        self.desk_button.clicked.connect(self.edit_desk)
        self.new_button = QPushButton()
        self.new_button.setObjectName("queue_new")
        shortcut(self, "F2", self.new_button)
        self.new_button.clicked.connect(self.new_arrival)
        top.addWidget(self.heading)
        top.addWidget(self.duty_label, 1)
        top.addWidget(self.desk_button)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        self.buttons: dict[str, QPushButton] = {}
        for name, icon_name, key, _text in ACTIONS:
            button = QPushButton()
            button.setObjectName(f"queue_{name}")
            shortcut(self, key, button)
            button.setIcon(icon(icon_name, self))
            button.clicked.connect(getattr(self, name))
            self.buttons[name] = button
        layout.addWidget(self._build_current())

        lists = QHBoxLayout()
        self.waiting_model = WaitingTableModel(self)
        self.serving_model = ServingTableModel(self)
        self.waiting_box = QGroupBox()
        self.waiting_table = list_table("queue_waiting", self.waiting_model)
        waiting_layout = QVBoxLayout(self.waiting_box)
        waiting_layout.addWidget(self.waiting_table)
        under = QHBoxLayout()
        under.addWidget(self.buttons["call_selected"])
        under.addStretch(1)
        waiting_layout.addLayout(under)
        self.serving_box = QGroupBox()
        self.serving_table = list_table("queue_serving", self.serving_model)
        QVBoxLayout(self.serving_box).addWidget(self.serving_table)
        lists.addWidget(self.waiting_box, 1)
        lists.addWidget(self.serving_box, 1)
        layout.addLayout(lists, 1)
        self.waiting_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.serving_table.selectionModel().selectionChanged.connect(self._selected_serving)
        self.waiting_table.doubleClicked.connect(lambda _i: self.call_selected())

        self.stats = QLabel()
        self.stats.setObjectName("queue_stats")
        style.secondary(self.stats)
        self.message = QLabel()
        self.message.setObjectName("queue_message")
        bottom = QHBoxLayout()
        bottom.addWidget(self.stats, 1)
        bottom.addWidget(self.message)
        layout.addLayout(bottom)

    def _build_current(self) -> QGroupBox:
        """The customer at this desk: ticket, name, service, times and note; the actions
        on them beside; when no one is there, a calm line and Call next."""
        self.current_box = QGroupBox()
        self.current_box.setObjectName("queue_current_box")
        row = QHBoxLayout(self.current_box)
        row.setSpacing(style.MARGIN * 2)
        self.current_code = QLabel()
        self.current_code.setObjectName("queue_current_code")
        font = self.current_code.font()
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setBold(True)
        self.current_code.setFont(font)
        self.current_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.current_code, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.current_name = style.heading(QLabel())
        self.current_name.setObjectName("queue_current_name")
        self.current_info = QLabel()
        self.current_info.setObjectName("queue_current_info")
        self.current_times = QLabel()
        self.current_times.setObjectName("queue_current_times")
        self.current_note = QLabel()
        self.current_note.setObjectName("queue_current_note")
        for lbl in (self.current_name, self.current_info, self.current_times,
                    self.current_note):
            lbl.setWordWrap(True)
            text.addWidget(lbl)
        text.addStretch(1)
        row.addLayout(text, 1)
        actions = QGridLayout()
        actions.setSpacing(style.GAP)
        for name, (r, c) in CURRENT_ACTIONS.items():
            actions.addWidget(self.buttons[name], r, c)
        actions.addWidget(self.buttons["call_next"], 0, 0)
        actions.setRowStretch(2, 1)
        row.addLayout(actions)
        self.current_box.setSizePolicy(QSizePolicy.Policy.Preferred,
                                       QSizePolicy.Policy.Maximum)
        return self.current_box

    def retranslate(self) -> None:
        self.heading.setText(_("Queue"))
        self.new_button.setText(_("New &walk-in (F2)"))
        self.new_button.setIcon(icon("mdi6.ticket-account", self))
        self.new_button.setAccessibleName(_("New walk-in"))
        self.desk_button.setText(_("My &desk…"))
        self.desk_button.setAccessibleName(_("My desk"))
        self.current_box.setAccessibleName(_("At your desk"))
        self.waiting_table.setAccessibleName(_("Waiting customers"))
        self.serving_table.setAccessibleName(_("Customers being served"))
        for name, _icon, key, text in ACTIONS:
            button = self.buttons[name]
            if name == "finish" and self.partner:
                text = FINISH_AT_ONCE
            button.setText(f"{_(text)} ({key})")
            button.setAccessibleName(_(text).replace("&", ""))
            button.setToolTip(f"{_(text).replace('&', '')} ({key})")
        for model in (self.waiting_model, self.serving_model):
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, model.columnCount() - 1)
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.started:  # the services' and the tickets' names in the new language
                self._load_offered()
                self.refresh()
        super().changeEvent(event)

    # --- loading ------------------------------------------------------------------------------

    def activate(self, actor: Actor) -> None:
        """Shown: go on duty at this desk the first time, then keep the queue fresh."""
        self.set_role(actor)
        if not self.started:
            self.started = True
            self._load_offered()
            WriteOp(self.runner, self, self._go_on_duty, success=self._on_duty) \
                .run_in_background()
        else:
            self.refresh()
        self.refresh_timer.start()
        self.tick_timer.start()

    def set_role(self, actor: Actor | None) -> None:
        """What the signed-in person does here: a partner's desk serves, never registers
        or transfers, and finishes without a visit record."""
        self.partner = actor is not None and actor.role is Role.PARTNER
        self.partner_org_id = actor.partner_org_id if actor is not None else None
        self.can_register = actor is not None and allowed(actor.role,
                                                          Permission.QUEUE_REGISTER)
        self.new_button.setVisible(self.can_register)
        self.new_button.setEnabled(self.can_register)  # F2 presses only an enabled one
        self.retranslate()

    def _load_offered(self) -> None:
        QueryOp(self.runner, self, self.queue.offered, success=self._offered_loaded) \
            .latest("offered").run_in_background()

    def _offered_loaded(self, choices: list[OfferedChoice]) -> None:
        if not self.started:
            return  # signed out while it loaded
        self.offered = choices
        self._show()

    def _go_on_duty(self) -> None:
        self.queue.start_duty()

    def _on_duty(self, _result: object) -> None:
        self.refresh()

    def deactivate(self) -> None:
        self.refresh_timer.stop()
        self.tick_timer.stop()

    def clear(self) -> None:
        """Signed out: nothing of the previous worker stays (their customer at the desk,
        an open dialog with what was typed in it, the last message); the next person's
        queue loads when shown."""
        self.deactivate()
        self.started = False
        for key in ("snapshot", "dialog", "call", "offered"):
            drop_pending(self, key)  # loaded for the previous worker: never shown after
        self.snapshot = None
        for model in (self.waiting_model, self.serving_model):
            if model.now is not None:
                model.set_rows([], model.now)
        # (The customer's own feedback window stays: it holds nothing of the worker's.)
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = None
        self.offers_feedback = False  # the previous worker's habit, not the next one's
        self.offered = []
        self.set_role(None)  # the next person's role comes with `activate`
        self.message.setText("")
        self._show()

    def refresh(self) -> None:
        """The queue again, once on duty (a timer, rows arrived, a change)."""
        if not self.started:
            return
        QueryOp(self.runner, self, self.queue.snapshot, success=self._apply) \
            .latest("snapshot").run_in_background()

    def _tables_changed(self) -> None:
        if self.started:
            self.refresh()

    def _services_changed(self) -> None:
        if self.started:
            self._load_offered()
            self.refresh()  # the tickets' service names too

    def _apply(self, snapshot: QueueSnapshot) -> None:
        if not self.started:
            return  # signed out while it loaded
        selected = self._selected(self.waiting_table, self.waiting_model)
        serving_selected = self._selected(self.serving_table, self.serving_model)
        self.snapshot = snapshot
        self.since.start()
        self.waiting_model.set_rows(snapshot.waiting, snapshot.now)
        self.serving_model.set_rows(snapshot.serving, snapshot.now)
        self._reselect(self.waiting_table, self.waiting_model, selected)
        self._reselect(self.serving_table, self.serving_model, serving_selected)
        self.count_changed.emit(len(snapshot.waiting))
        self._show()

    def now(self) -> datetime | None:
        """The services' clock; between reads, the last snapshot's time moved on."""
        if self._clock is not None:
            return self._clock()
        if self.snapshot is None:
            return None
        return self.snapshot.now + timedelta(milliseconds=self.since.elapsed())

    def _tick(self) -> None:
        now = self.now()
        if self.snapshot is not None and now is not None:
            self.waiting_model.tick(now)
            self.serving_model.tick(now)
            self._show_current()

    @staticmethod
    def _selected(table: QTableView, model: Any) -> str | None:
        rows = table.selectionModel().selectedRows()
        row = model.row_at(rows[0].row()) if rows else None
        return row.id if row else None

    @staticmethod
    def _reselect(table: QTableView, model: Any, ticket_id: str | None) -> None:
        for position, row in enumerate(model.rows):
            if row.id == ticket_id:
                table.selectRow(position)
                return

    # --- what is shown --------------------------------------------------------------------

    def _show(self) -> None:
        snap = self.snapshot
        if snap is None:
            self.stats.setText("")
            self.duty_label.setText("")
            self._show_current()
            return
        self.waiting_box.setTitle(_("Waiting ({n})").format(n=format_number(len(snap.waiting))))
        self.serving_box.setTitle(_("Being served"))
        median = snap.stats.median_wait_minutes
        parts = [
            _("Today: waiting {n}").format(n=format_number(snap.stats.waiting)),
            _("served {n}").format(n=format_number(snap.stats.served_today)),
        ]
        if median is not None:
            parts.append(_("median wait {n} min").format(n=format_number(round(median))))
        self.stats.setText("  ·  ".join(parts))
        if snap.duty is not None:
            services = ", ".join(self.service_name(c) for c in snap.duty.services)
            self.duty_label.setText(_("Desk {desk}").format(desk=snap.duty.desk) + "  ·  "
                                    + services)
        else:
            self.duty_label.setText(_("Not on duty"))
        self._show_current()

    def _show_current(self) -> None:
        """The customer at this desk, with their live waiting and service times."""
        ticket = self.current_ticket()
        snap = self.snapshot
        desk = snap.duty.desk if snap is not None and snap.duty is not None else ""
        mine = {r.id for r in snap.mine} if snap is not None else set()
        if ticket is not None and ticket.id not in mine:  # a serving row chosen in the list
            self.current_box.setTitle(_("Chosen: at desk {desk}").format(desk=ticket.desk))
        else:
            self.current_box.setTitle(_("At your desk (desk {desk})").format(desk=desk)
                                      if desk else _("At your desk"))
        self.current_code.setVisible(ticket is not None)
        self.current_note.setVisible(False)
        if ticket is None:
            self.current_code.setText("")
            self.current_name.setText(_("No one at your desk.") if snap else "")
            waiting = len(snap.waiting) if snap else 0
            self.current_info.setText(
                ngettext("{n} customer waiting. Call the next one with F5.",
                         "{n} customers waiting. Call the next one with F5.", waiting)
                .format(n=format_number(waiting)) if snap and waiting else
                _("No one is waiting.") if snap else "")
            self.current_times.setText("")
        else:
            self.current_code.setText(ticket.code)
            self.current_name.setText(ticket.customer_label or _("(anonymous)"))
            self.current_info.setText("  ·  ".join((
                ticket_service(ticket), label(TicketState(ticket.state)))))
            self.current_times.setText(self._times(ticket))
            notes = [n for n in (ticket.note, ticket.transfer_note) if n]
            if notes:
                self.current_note.setText("✎ " + _("Note: {note}").format(
                    note=" / ".join(notes)))
                self.current_note.setVisible(True)
        self.current_box.setAccessibleDescription(self.current_text())
        self._update_buttons()

    def service_name(self, code: str) -> str:
        """A queue service's name in the user's language, by its code."""
        for choice in self.offered:
            if choice.code == code:
                return choice.name
        return offered(code).name  # not loaded yet: a built-in's name, else the code

    def _times(self, ticket: TicketRow) -> str:
        now = self.now() or ticket.arrived_at
        waited = minutes_since(ticket.arrived_at, ticket.called_at or now) or 0
        parts = [_("Waited {n} min").format(n=format_number(waited))]
        if ticket.state == TicketState.SERVING.value:
            served = minutes_since(ticket.service_started_at, now) or 0
            parts.append(_("in service {n} min").format(n=format_number(served)))
        elif ticket.called_at is not None:
            parts.append(_("called at {time}").format(time=format_time(ticket.called_at)))
        return "  ·  ".join(parts)

    def current_text(self) -> str:
        """The customer at the desk in one line (read aloud; the tests read it too)."""
        return "  ·  ".join(t for t in (
            self.current_code.text(), self.current_name.text(), self.current_info.text(),
            self.current_times.text()) if t)

    def _selected_serving(self, *_args: object) -> None:
        self._show_current()

    def current_ticket(self) -> TicketRow | None:
        """The selected ticket being served, else this worker's latest one."""
        chosen = self._selected(self.serving_table, self.serving_model)
        if chosen is not None:
            return next((r for r in self.serving_model.rows if r.id == chosen), None)
        mine = self.snapshot.mine if self.snapshot else []
        return mine[-1] if mine else None

    def _update_buttons(self, *_args: object) -> None:
        ticket = self.current_ticket()
        state = ticket.state if ticket else None
        called, serving = TicketState.CALLED.value, TicketState.SERVING.value
        on_duty = self.snapshot is not None and self.snapshot.duty is not None
        # Enabled: the key works. Shown: it belongs beside the customer at the desk.
        # Call next stays enabled while someone is at the desk: F5 then asks to finish.
        enabled = {
            "call_next": on_duty,
            "call_selected": self._selected(self.waiting_table, self.waiting_model) is not None,
            "recall": state == called,
            "not_present": state == called and bool(ticket and ticket.recalls),
            "start": state == called,
            "transfer": ticket is not None and not self.partner,
            "finish": state == serving,
        }
        shown = {
            "call_next": ticket is None,
            "recall": state == called,
            "not_present": state == called,
            "start": state == called,
            "transfer": ticket is not None and not self.partner,
            "finish": state == serving,
        }
        for name, on in enabled.items():
            self.buttons[name].setEnabled(on)
            if name in shown:
                self.buttons[name].setVisible(shown[name])

    # --- actions ---------------------------------------------------------------------------

    def _run(self, fn: Callable[[], Any], message: Callable[[Any], str] | None = None) -> None:
        """A queue action; the queue shows again when the ticket is written."""

        def done(result: Any) -> None:
            if message is not None:
                self.message.setText(message(result))

        WriteOp(self.runner, self, fn, success=done).run_in_background()

    def show_error(self, text: str) -> None:
        self.message.setText("⚠ " + text)

    def busy_ticket(self) -> TicketRow | None:
        """This worker's customer still at the desk (called or being served)."""
        mine = self.snapshot.mine if self.snapshot else []
        return mine[-1] if mine else None

    def _unless_busy(self, then: Callable[[], None]) -> None:
        """`then`, unless this worker still has someone at the desk: asked of the queue as
        it is now (the runner takes it after a finish just saved), not of the last
        snapshot shown, which may be up to a refresh old (F5 right after F12 was refused
        as "still serving" the customer just finished)."""

        def decide(snapshot: QueueSnapshot) -> None:
            self._apply(snapshot)
            busy = self.busy_ticket()
            if busy is not None:
                self.ask_to_finish(busy)
            else:
                then()

        QueryOp(self.runner, self, self.queue.snapshot, success=decide) \
            .latest("call").run_in_background()

    def call_next(self) -> None:
        def said(ticket: TicketRow | None) -> str:
            if ticket is None:
                return _("No one is waiting for your services.")
            return _("Calling {code} to desk {desk}.").format(code=ticket.code, desk=ticket.desk)

        self._unless_busy(lambda: self._run(self.queue.call_next, said))

    def _set_dialog(self, dialog: Any) -> None:
        """The page's open dialog; the last one, closed by now, goes (else every F2, F5
        and F12 of a working day would stay in memory as a hidden child of the page)."""
        old, self.dialog = self.dialog, dialog
        if old is not None and old is not dialog and shiboken6.isValid(old) \
                and not old.isVisible():
            old.deleteLater()

    def ask_to_finish(self, busy: TicketRow) -> None:
        """Someone is still at the desk: one visit at a time. Serving: offer to finish it
        (F12's dialog); called: say how to go on (start, call again, not present)."""
        who = f"{busy.code} · {busy.customer_label or _('(anonymous)')}"
        box = QMessageBox(QMessageBox.Icon.Information, _("Still at your desk"), "", parent=self)
        box.setObjectName("queue_busy")
        if busy.state == TicketState.SERVING.value:
            box.setText(_("You are still serving {who}. Finish this visit before calling "
                          "the next customer.").format(who=who))
            # A partner's desk finishes at once (no visit form): no "…" on its button.
            label = _("&Finish {code}") if self.partner else _("&Finish {code}…")
            finish = box.addButton(label.format(code=busy.code),
                                   QMessageBox.ButtonRole.AcceptRole)
            finish.setObjectName("queue_busy_finish")
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(finish)
            finish.clicked.connect(lambda: self.finish(busy))
        else:
            box.setText(_("{who} has been called to your desk. Start the service (F9), call "
                          "again (F7) or mark them not present (F8) before calling the next "
                          "customer.").format(who=who))
            box.addButton(QMessageBox.StandardButton.Ok)
        self._set_dialog(box)
        box.open()

    def call_selected(self) -> None:
        ticket_id = self._selected(self.waiting_table, self.waiting_model)
        if ticket_id is not None:
            self._unless_busy(lambda: self._run(lambda: self.queue.call(ticket_id), lambda t: _(
                "Calling {code} to desk {desk}.").format(code=t.code, desk=t.desk)))

    def _on_current(self, action: Callable[[str], TicketRow], message: str) -> None:
        ticket = self.current_ticket()
        if ticket is not None:
            self._run(lambda: action(ticket.id), lambda t: _(message).format(code=t.code))

    def recall(self) -> None:
        self._on_current(self.queue.recall, N_("Called {code} again."))

    def not_present(self) -> None:
        self._on_current(self.queue.not_present, N_("{code} marked not present."))

    def start(self) -> None:
        self._on_current(self.queue.start, N_("Serving {code}."))

    def transfer(self) -> None:
        ticket = self.current_ticket()
        if ticket is None or self.partner:  # a partner's desk does not transfer
            return

        def opened(staff: list) -> None:
            dialog = TransferDialog(self.offered, ticket.service or ticket.service_area,
                                    staff, self)
            self._open(dialog, lambda: self.queue.transfer(ticket.id, *dialog.value()),
                       _("{code} transferred."))

        QueryOp(self.runner, self, self.queue.staff_choices, success=opened) \
            .latest("dialog").run_in_background()

    def finish(self, ticket: TicketRow | None = None) -> None:
        """F12: the visit record of the customer at the desk (named in the dialog)."""
        ticket = ticket if isinstance(ticket, TicketRow) else self.current_ticket()
        now = self.now()
        if ticket is None or now is None:
            return
        if self.partner:
            self._finish_at_once(ticket)
            return
        times = _("Waited {wait} min, served {served} min.").format(
            wait=format_number(minutes_since(ticket.arrived_at, ticket.called_at or now) or 0),
            served=format_number(minutes_since(ticket.service_started_at, now) or 0))
        who = ticket.customer_label or _("(anonymous)")
        # The visit is counted by its service area: any of them, the ticket's preselected.
        areas = [area.value for area in ServiceArea]
        dialog = VisitRecordDialog(areas, ticket.service_area, times, parent=self,
                                   finishing=f"{ticket.code} · {who}")
        dialog.offer_feedback.setChecked(self.offers_feedback)  # as at the last visit

        def then(_result: Any) -> None:
            self.offers_feedback = dialog.offer_feedback.isChecked()
            if self.offers_feedback:
                self.offer_feedback(ticket.id)

        self._open(dialog, lambda: self.queue.finish(ticket.id, dialog.value()),
                   _("{code} finished; the visit is recorded."), then=then)

    def _finish_at_once(self, ticket: TicketRow) -> None:
        """A partner's desk: the service ends without a visit record (the partner's
        service is its own; the employment services record only their own visits)."""
        ticket_id = ticket.id
        self._run(lambda: self.queue.finish(ticket_id, None),
                  lambda t: _("{code} finished.").format(code=t.code))

    def offer_feedback(self, ticket_id: str) -> None:
        """The customer's feedback window for the visit this ticket ended in."""
        feedback = self.feedback

        def show(ask: bool) -> None:
            self.feedback_window = CustomerFeedbackWindow(
                lambda answer: feedback.record_for_ticket(ticket_id, answer), self.runner,
                bool(ask), parent=self)
            self.feedback_window.place()

        QueryOp(self.runner, self, feedback.ask_recommend, success=show) \
            .latest("dialog").run_in_background()

    def new_arrival(self) -> None:
        if not self.can_register:
            return
        dialog = ArrivalDialog(self.queue, self.customers, self.runner,
                               self.offered, self, lookup=self.lookup,
                               events=self.events)

        def registered() -> None:
            if dialog.checked_in is not None:
                match, row = dialog.checked_in
                who = f"{row.name}: " if row.name else ""
                text = _("Checked in for {event} at {time}: no ticket was given.").format(
                    event=match.title, time=format_time(match.starts_at))
                self.message.setText(f"{style.status_symbol(style.OK)} {who}{text}")
            elif dialog.registered is not None:
                self.message.setText(_("Ticket {code} given.").format(
                    code=dialog.registered.code))

        dialog.accepted.connect(registered)
        self._set_dialog(dialog)
        dialog.open()

    def edit_desk(self) -> None:
        QueryOp(self.runner, self, self.queue.workstation, success=self._desk_dialog) \
            .latest("dialog").run_in_background()

    def _desk_dialog(self, workstation: tuple[str, str]) -> None:
        desk, letter = workstation
        choices = self.desk_services()
        mine = set(self.snapshot.duty.services) if self.snapshot and self.snapshot.duty else \
            {c.code for c in choices if c.partner_org_id == self.partner_org_id}
        dialog = DeskDialog(desk, letter, choices, mine, self)

        def save() -> TicketRow | None:
            name, new_letter, chosen = dialog.value()
            self.queue.set_workstation(name, new_letter)
            self.queue.start_duty(chosen or None)
            return None

        self._open(dialog, save, _("Desk settings saved."))

    def desk_services(self) -> list[OfferedChoice]:
        """The services this desk may call: a partner's desk its organisation's, the
        area's desks any of the point's (QueueService.start_duty holds the same line)."""
        if self.partner:
            return [c for c in self.offered
                    if c.partner_org_id is not None and c.partner_org_id == self.partner_org_id]
        return list(self.offered)

    def _open(self, dialog: Any, work: Callable[[], Any], message: str,
              then: Callable[[Any], Any] | None = None) -> None:
        """Open a form dialog whose OK runs `work` off the GUI thread; errors stay in it."""

        def submit() -> None:
            def done(result: Any) -> None:
                dialog.saved()
                code = getattr(result, "code", "")
                self.message.setText(message.format(code=code))
                if then is not None:
                    then(result)

            WriteOp(self.runner, dialog, work, success=done).run_in_background()

        dialog.submit_handler = submit
        self._set_dialog(dialog)
        dialog.open()
