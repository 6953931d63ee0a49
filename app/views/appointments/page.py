"""AppointmentsPage: the day and week calendar with booking and the appointment actions.

Keys on the grid: ←/→ previous/next working day, Ctrl+←/→ between workers (day view),
↑/↓ half hours, PgUp/PgDn weeks, Home/End first/last row, T today, Enter books the
free cell or goes to the chosen appointment's actions, or opens the event session under
the cursor (#21: sessions show in their organisers' columns). The room choice shows a
room's week instead: every appointment and event session holding it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SIGNAL, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.dto.appointments import AppointmentRow, CalendarData, CalendarWorker
from app.dto.events import CalendarSession, EventDetail, RoomBooking
from app.i18n import HELSINKI, N_, _, format_date, format_day, format_time
from app.rules.codes import EventKind
from app.services.appointments import AppointmentService
from app.services.calendar_settings import CalendarSettingsService
from app.services.customers import CustomerService
from app.services.events import EventService
from app.services.rooms import RoomService
from app.services.session import SessionInfo
from app.views.appointments import columns as cols
from app.views.appointments.actions import AppointmentActions
from app.views.appointments.calendar_settings import CalendarSettingsActions
from app.views.appointments.grid import ROW_MINUTES, Block, CalendarGrid
from app.views.appointments.letter import LetterActions
from app.views.common import heading_label, icon, label, shortcut
from app.views.operations import QueryOp, refresh_on_change
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor

# (action, icon, shortcut, text): the actions are AppointmentActions' and, from
# working_hours on, CalendarSettingsActions'.
ACTIONS = (
    ("book", "mdi6.calendar-plus", "F2", N_("&Book… (F2)")),
    ("check_in", "mdi6.account-check", "F5", N_("Check &in (F5)")),
    ("no_show", "mdi6.account-cancel", "F6", N_("&No-show and rebook… (F6)")),
    ("reschedule", "mdi6.calendar-arrow-right", "F7", N_("&Move… (F7)")),
    ("cancel", "mdi6.calendar-remove", "F8", N_("Ca&ncel… (F8)")),
    ("save_letter", "mdi6.file-pdf-box", "Ctrl+S", N_("Save &letter… (Ctrl+S)")),
    ("print_letter", "mdi6.printer", "Ctrl+P", N_("&Print letter… (Ctrl+P)")),
    ("reminders", "mdi6.phone-message", "Ctrl+M", N_("&Reminders… (Ctrl+M)")),
    ("working_hours", "mdi6.clock-edit-outline", "Ctrl+H", N_("&Working hours… (Ctrl+H)")),
    ("exceptions", "mdi6.calendar-star", "Ctrl+E", N_("&Holidays and exceptions… (Ctrl+E)")),
)
# A write to one of these (here, a check-in's ticket aside, or on the customer card) shows
# the calendar again.
CALENDAR_TABLES = {"appointment", "working_hours", "calendar_override", "event",
                   "event_session"}


class AppointmentsPage(QWidget):
    """The calendar; its actions are collaborators: `calendar_actions` (the
    appointments) and `calendar_settings` (working hours, holidays and exceptions)."""

    # The signed-in worker's appointments still to come today (the navigation's count).
    count_changed = Signal(int)
    # An event session activated (Enter, double-click): the event's id, for the window to
    # open its card. Not connected: a read-only summary shows here instead.
    open_event = Signal(str)

    def __init__(self, appointments: AppointmentService,
                 calendar_settings: CalendarSettingsService, customers: CustomerService,
                 session: SessionInfo, runner: TaskRunner,
                 parent: QWidget | None = None, events: EventService | None = None,
                 rooms: RoomService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appointments_page")
        self.service, self.session, self.runner = appointments, session, runner
        self.events, self.rooms = events, rooms
        self.sessions: list[CalendarSession] = []
        # The room's bookings when a room's calendar is shown, else None.
        self.room_bookings: list[RoomBooking] | None = None
        self.mode = "week"
        self.anchor = cols.weekday_on_or_after(session.today())
        self.points: list[tuple[str, str]] = []
        self.teams: list[tuple[str, str]] = []
        self.workers: list[CalendarWorker] = []
        self.data: CalendarData | None = None
        self.cursor_staff: str | None = None
        self.started = False
        self.dialog: QDialog | None = None  # the one open from the page
        self.pending_customer: tuple[str, str] | None = None
        self.letters = LetterActions(self.service, runner, self, self.say)
        self.calendar_actions = AppointmentActions(self, self, appointments, customers,
                                                   session, runner, self.letters)
        self.calendar_settings = CalendarSettingsActions(self, self, calendar_settings,
                                                         session, runner)
        self._build()
        refresh_on_change(runner, self, CALENDAR_TABLES, self._tables_changed)
        self.retranslate()

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = heading_label()
        top.addWidget(self.heading)
        self.day_button, self.week_button = QPushButton(), QPushButton()
        # Not an exclusive QButtonGroup: Tab would then skip the unchecked button.
        # Not Ctrl+1/2: those switch the window's pages (app.views.shell.shortcuts).
        for button, mode, key in ((self.day_button, "day", "Ctrl+D"),
                                  (self.week_button, "week", "Ctrl+W")):
            button.setObjectName(f"appointments_{mode}_view")
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False, m=mode: self.set_mode(m))
            shortcut(self, key, button)
            top.addWidget(button)
        self.week_button.setChecked(True)
        self.prev_button, self.today_button, self.next_button = (QPushButton() for _i in range(3))
        for button, name, step in ((self.prev_button, "prev", -1), (self.today_button, "today", 0),
                                   (self.next_button, "next", 1)):
            button.setObjectName(f"appointments_{name}")
            button.clicked.connect(lambda _c=False, s=step: self.navigate(
                "today" if s == 0 else "week", s))
            top.addWidget(button)
        self.range_label = QLabel()
        self.range_label.setObjectName("appointments_range")
        font = self.range_label.font()
        font.setBold(True)
        self.range_label.setFont(font)
        top.addWidget(self.range_label, 1)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.point_label, self.team_label, self.worker_label = QLabel(), QLabel(), QLabel()
        self.point_combo, self.team_combo, self.worker_combo = (QComboBox() for _i in range(3))
        self.room_label, self.room_combo = QLabel(), QComboBox()
        # The room's calendar on a row of its own: beside the three filters it would cut
        # them short (Swedish at 1280 pixels).
        rooms_row = QHBoxLayout()
        for lbl, combo, name, row in (
                (self.point_label, self.point_combo, "point", filters),
                (self.team_label, self.team_combo, "team", filters),
                (self.worker_label, self.worker_combo, "worker", filters),
                (self.room_label, self.room_combo, "room", rooms_row)):
            combo.setObjectName(f"appointments_{name}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMaximumWidth(320)
            lbl.setBuddy(combo)
            row.addSpacing(8)
            row.addWidget(lbl)
            row.addWidget(combo)
        filters.addStretch(1)
        rooms_row.addStretch(1)
        self.point_combo.activated.connect(lambda _i: self._point_changed())
        self.team_combo.activated.connect(lambda _i: self._filter_changed())
        self.worker_combo.activated.connect(lambda _i: self._filter_changed())
        self.room_combo.activated.connect(lambda _i: self._room_changed())
        self.room_label.setVisible(self.rooms is not None)
        self.room_combo.setVisible(self.rooms is not None)
        layout.addLayout(filters)
        layout.addLayout(rooms_row)

        body = QHBoxLayout()
        self.grid = CalendarGrid()
        self.grid.navigate.connect(self.navigate)
        self.grid.activated.connect(self.activate_cursor)
        self.grid.cursor_moved.connect(self._cursor_moved)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(lambda _pos: self._show_context_menu())
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("appointments_scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.grid)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body.addWidget(self.scroll_area, 1)

        side = QVBoxLayout()
        self.details_box = QGroupBox()
        details_layout = QVBoxLayout(self.details_box)
        self.details = QLabel()
        self.details.setObjectName("appointments_details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        details_layout.addWidget(self.details)
        side.addWidget(self.details_box)
        self.buttons: dict[str, QPushButton] = {}
        handlers: dict[str, Callable[[], Any]] = {**self.calendar_actions.handlers(),
                                                  **self.calendar_settings.handlers()}
        for name, icon_name, key, _text in ACTIONS:
            button = QPushButton()
            button.setObjectName(f"appointments_{name}")
            button.setIcon(icon(icon_name, self))
            button.setStyleSheet("text-align: left; padding: 4px 8px;")
            shortcut(self, key, button)
            button.clicked.connect(lambda _c=False, act=handlers[name]: act())
            side.addWidget(button)
            self.buttons[name] = button
        self.legend = QLabel()
        self.legend.setObjectName("appointments_legend")
        self.legend.setWordWrap(True)
        side.addSpacing(12)
        side.addWidget(self.legend)
        side.addStretch(1)
        self.side_panel = panel = QWidget()
        self.side_layout = side
        panel.setLayout(side)
        body.addWidget(panel)
        layout.addLayout(body, 1)

        bottom = QHBoxLayout()
        self.cursor_label = QLabel()
        self.cursor_label.setObjectName("appointments_cursor")
        self.message = QLabel()
        self.message.setObjectName("appointments_message")
        self.message.setWordWrap(True)
        bottom.addWidget(self.cursor_label, 1)
        bottom.addWidget(self.message, 1)
        layout.addLayout(bottom)

    def retranslate(self) -> None:
        self.heading.setText(_("Calendar"))
        self.legend.setText(_("White: working time. Grey: outside working hours and lunch. "
                              "Hatched: a public holiday, closed. Dashed border: no-show. "
                              "Icons: a group at the service point, a phone, a camera for "
                              "video.") + " "
                            + _("A star: an event (Enter opens it)."))
        self.day_button.setText(_("Day (Ctrl+D)"))
        self.week_button.setText(_("Week (Ctrl+W)"))
        self.prev_button.setText("◀ " + _("Previous week"))
        self.prev_button.setAccessibleName(_("Previous week (Page Up)"))
        self.prev_button.setToolTip(_("Page Up"))
        self.today_button.setText(_("Today (T)"))
        self.today_button.setAccessibleName(_("Today"))
        self.next_button.setText(_("Next week") + " ▶")
        self.next_button.setAccessibleName(_("Next week (Page Down)"))
        self.next_button.setToolTip(_("Page Down"))
        self.point_label.setText(_("&Service point"))
        self.team_label.setText(_("&Team"))
        self.worker_label.setText(_("W&orker"))
        self.room_label.setText(_("Room cal&endar"))
        for combo, name in ((self.point_combo, _("Service point")), (self.team_combo, _("Team")),
                            (self.worker_combo, _("Worker")),
                            (self.room_combo, _("Room calendar"))):
            combo.setAccessibleName(name)
        self.grid.setAccessibleName(_("Calendar: arrows move between days and half hours, "
                                      "Page Up and Page Down between weeks, T goes to today, "
                                      "Enter books or opens"))
        self.details_box.setTitle(_("Appointment"))
        for name, _icon, _key, text in ACTIONS:
            self.buttons[name].setText(_(text))
            self.buttons[name].setAccessibleName(_(text).replace("&", "").split(" (")[0])
        self._fit_side_panel()
        self._fill_filter_texts()
        self._show_range()
        self._cursor_moved()

    def _fit_side_panel(self) -> None:
        """As wide as its widest button in this language and text size (a fixed 270
        pixels cut them at 150 % text), and never narrower than that."""
        margins = self.side_layout.contentsMargins()
        widest = max(b.sizeHint().width() for b in self.buttons.values())
        self.side_panel.setFixedWidth(max(270, widest + margins.left() + margins.right()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._rebuild()
        elif event.type() == QEvent.Type.FontChange:
            self._fit_side_panel()
        super().changeEvent(event)

    # --- loading ----------------------------------------------------------------------------

    def activate(self, actor: Actor) -> None:
        """Shown: the first time, load the choices and this worker's (or point's) week."""
        if self.started:
            self.load()
            return
        self.started = True
        self.anchor = cols.weekday_on_or_after(self.session.today())
        service = self.service

        def loaded(result: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
            self.points, self.teams = result
            self.point_combo.clear()
            for point_id, name in self.points:
                self.point_combo.addItem(name, point_id)
            self.point_combo.setCurrentIndex(
                max(0, self.point_combo.findData(actor.service_point_id)))
            self._point_changed(prefer=actor.staff_id)

        QueryOp(self.runner, self, lambda: (service.service_points(), service.teams()),
                success=loaded).run_in_background()

    def deactivate(self) -> None:
        pass

    def refresh(self) -> None:
        """Rows arrived: the shown calendar again, else only the count."""
        if self.started and self.isVisible():
            self.load()
        else:
            self.refresh_count()

    def clear(self) -> None:
        """Signed out: no one's calendar, choice, appointment or message is left; the
        next person starts from their own week (or their service point's day)."""
        self.started = False
        self.data = None
        self.pending_customer = None
        self.mode, self.cursor_staff = "week", None
        self.day_button.setChecked(False)
        self.week_button.setChecked(True)
        self.points, self.teams, self.workers = [], [], []
        self.sessions, self.room_bookings = [], None
        for combo in (self.point_combo, self.team_combo, self.worker_combo, self.room_combo):
            combo.clear()
        self.calendar_actions.clear()
        self.grid.set_columns([], self.session.now())
        self._cursor_moved()  # the details panel and the cursor line: nothing
        self.say("")
        self.count_changed.emit(0)

    def _point_changed(self, prefer: str | None = None) -> None:
        point_id = self.point_combo.currentData()

        def loaded(workers: list[CalendarWorker]) -> None:
            self.workers = workers
            self.team_combo.clear()
            self.team_combo.addItem("", None)
            for team_id, name in self.teams:
                if any(w.team_id == team_id for w in workers):
                    self.team_combo.addItem(name, team_id)
            self._fill_workers()
            if prefer and self.worker_combo.findData(prefer) >= 0:
                self.worker_combo.setCurrentIndex(self.worker_combo.findData(prefer))
            elif prefer:  # reception: the whole service point's day
                self.set_mode("day", load=False)
            self._filter_changed()
            if self.pending_customer is not None:
                customer, self.pending_customer = self.pending_customer, None
                self.calendar_actions.book(customer)

        QueryOp(self.runner, self, lambda: self.service.workers(point_id), success=loaded) \
            .latest("workers").run_in_background()
        self._load_rooms(point_id)

    def _load_rooms(self, point_id: str | None) -> None:
        """The point's rooms for the room calendar choice (the workers' calendar first)."""
        self.room_combo.clear()
        self.room_combo.addItem(_("Workers' calendar"), None)
        rooms = self.rooms
        if rooms is None or point_id is None:
            return

        def loaded(found: list[Any]) -> None:
            for room in found:
                self.room_combo.addItem(room.name, room.id)

        QueryOp(self.runner, self, lambda: rooms.list(point_id), success=loaded) \
            .latest("rooms").run_in_background()

    def room_id(self) -> str | None:
        return self.room_combo.currentData() if self.rooms is not None else None

    def _room_changed(self) -> None:
        self.load()
        self.grid.setFocus()

    def _fill_workers(self) -> None:
        team = self.team_combo.currentData()
        current = self.worker_combo.currentData()
        self.worker_combo.clear()
        self.worker_combo.addItem("", None)
        for w in self.workers:
            if team is None or w.team_id == team:
                self.worker_combo.addItem(w.name, w.id)
        self.worker_combo.setCurrentIndex(max(0, self.worker_combo.findData(current)))
        self._fill_filter_texts()

    def _fill_filter_texts(self) -> None:
        if self.team_combo.count():
            self.team_combo.setItemText(0, _("All teams"))
        if self.worker_combo.count():
            self.worker_combo.setItemText(0, _("All workers"))
        if self.room_combo.count():
            self.room_combo.setItemText(0, _("Workers' calendar"))

    def _filter_changed(self) -> None:
        if self.sender() is self.team_combo:
            self._fill_workers()
        self.load()

    def shown_staff(self) -> list[str]:
        chosen = self.worker_combo.currentData()
        if chosen:
            return [chosen]
        team = self.team_combo.currentData()
        return [w.id for w in self.workers if team is None or w.team_id == team]

    def refresh_count(self) -> None:
        # Quietly: signed out meanwhile, there is nothing to count.
        QueryOp(self.runner, self, self.service.still_to_come_today,
                success=self.count_changed.emit).quietly().latest("count").run_in_background()

    def _tables_changed(self) -> None:
        self.refresh()

    def load(self) -> None:
        self.refresh_count()  # every change in the calendar reloads it
        if not self.workers and self.point_combo.currentData() is None:
            return
        days = cols.week_days(self.anchor)
        staff = self.shown_staff()
        service, events, rooms, room = self.service, self.events, self.rooms, self.room_id()

        def fetch() -> tuple[CalendarData, list[RoomBooking] | None, list[CalendarSession]]:
            data = service.calendar(days[0], days[-1], staff)
            if room and rooms is not None:
                sessions = (events.calendar_sessions(days[0], days[-1], room_id=room)
                            if events is not None else [])
                return data, rooms.calendar(room, days[0], days[-1]), sessions
            sessions = (events.calendar_sessions(days[0], days[-1], staff_ids=staff)
                        if events is not None else [])
            return data, None, sessions

        def shown(result: tuple[CalendarData, list[RoomBooking] | None,
                                list[CalendarSession]]) -> None:
            self.data, self.room_bookings, self.sessions = result
            self._rebuild()

        QueryOp(self.runner, self, fetch, success=shown).latest("calendar") \
            .run_in_background()

    def _rebuild(self) -> None:
        data = self.data
        self._show_range()
        if data is None:
            return
        slot = self.grid.slot
        if self.room_bookings is not None:
            columns = cols.room_columns(data, self.anchor, self.room_combo.currentText(),
                                        self.room_bookings, self.sessions)
            col = self.anchor.weekday()
        elif self.mode == "day":
            columns = cols.day_columns(data, self.anchor, self.sessions)
            ids = [c.staff_id for c in columns]
            col = ids.index(self.cursor_staff) if self.cursor_staff in ids else 0
        else:
            columns = cols.week_columns(data, self.anchor, self.sessions)
            col = self.anchor.weekday()
        self.grid.set_columns(columns, self.session.now())
        self.grid.set_cursor(col, slot)

    def _show_range(self) -> None:
        if self.mode == "day" and self.room_bookings is None:
            text = format_date(self.anchor, "full")
        else:
            days = cols.week_days(self.anchor)
            text = _("Week {week}: {first}–{last}").format(
                week=self.anchor.isocalendar().week, first=format_date(days[0]),
                last=format_date(days[-1]))
        self.range_label.setText(text)

    # --- navigation -------------------------------------------------------------------------

    def set_mode(self, mode: str, load: bool = True) -> None:
        self.mode = mode
        self.day_button.setChecked(mode == "day")
        self.week_button.setChecked(mode == "week")
        if load:
            self._rebuild()
        else:
            self._show_range()
        self.grid.setFocus()

    def navigate(self, kind: str, delta: int) -> None:
        before = cols.week_days(self.anchor)[0]
        if kind == "day":
            self.anchor = cols.step_weekday(self.anchor, delta)
        elif kind == "week":
            self.anchor = cols.step_weekday(self.anchor, 5 * delta)
        elif kind == "today":
            self.anchor = cols.weekday_on_or_after(self.session.today())
            now = self.session.now().astimezone(HELSINKI)
            self.grid.slot = self.grid.slot_for_minute(now.hour * 60 + now.minute)
        elif kind == "slot":
            self.grid.set_cursor(self.grid.col, self.grid.slot + delta)
            return
        elif kind == "edge":
            self.grid.set_cursor(self.grid.col, 0 if delta < 0 else self.grid.rows - 1)
            return
        elif kind == "worker":
            if self.mode == "day":
                self.grid.set_cursor(self.grid.col + delta)
                column = self.grid.cursor_column()
                self.cursor_staff = column.staff_id if column else None
            return
        if cols.week_days(self.anchor)[0] != before:
            self._show_range()
            self.load()
        else:
            self._rebuild()

    def _cursor_moved(self) -> None:
        text = self.grid.describe_cursor()
        self.cursor_label.setText(text)
        self.grid.setAccessibleDescription(text)
        column = self.grid.cursor_column()
        if column is not None:
            if self.mode == "week":
                self.anchor = column.day
            elif column.staff_id:
                self.cursor_staff = column.staff_id
        appointment = self.grid.cursor_appointment()
        self.calendar_actions.show_appointment(appointment)
        block = self.grid.cursor_block()
        if appointment is None and block is not None:
            when = (f"{format_day(block.starts_at, 'EEEE', year=True)} "
                    f"{format_time(block.starts_at)}–{format_time(block.ends_at)}")
            what = " · ".join(x for x in (block.subtitle, block.series) if x)
            hint = _("Press Enter to open the event.") if block.kind == "event" else ""
            self.details.setText("<br>".join(
                escape(x) for x in (block.title, when, what, block.room, hint) if x
            ).replace(escape(block.title), f"<b>{escape(block.title)}</b>", 1))
        elif appointment is None and self.room_bookings is not None:
            self.details.setText(escape(_("Nothing holds the room at this time.")))

    def selected(self) -> AppointmentRow | None:
        return self.grid.cursor_appointment()

    def activate_cursor(self) -> None:
        row = self.selected()
        block = self.grid.cursor_block() if row is None else None
        if block is not None:
            self.open_block(block)
            return
        if row is None and self.room_bookings is not None:
            self.say(_("A room's calendar shows what holds the room: choose the workers' "
                       "calendar to book."))
            return
        if row is None:
            self.calendar_actions.book()
            return
        for name in ("check_in", "no_show", "reschedule", "save_letter"):
            if self.buttons[name].isEnabled():
                self.buttons[name].setFocus()
                return

    def context_menu(self) -> QMenu:
        """The side panel's actions at the cursor (a right click, the Menu key)."""
        menu = QMenu(self)
        menu.setObjectName("appointments_menu")
        for name, _icon, _key, _text in ACTIONS:
            if name == "working_hours":
                menu.addSeparator()  # the calendar's settings, apart from the appointment's
            button = self.buttons[name]
            action = menu.addAction(button.icon(), button.text())
            action.setObjectName(f"appointments_menu_{name}")
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        return menu

    def _show_context_menu(self) -> None:
        rect = self.grid.cell_rect(self.grid.col, self.grid.slot)
        self.context_menu().popup(self.grid.mapToGlobal(rect.center()))

    # --- event sessions ------------------------------------------------------------------

    def open_block(self, block: Block) -> None:
        """An event session: to its card when the window routes it, else a read-only
        summary of the event here."""
        if block.kind != "event" or not block.event_id:
            return
        if self.receivers(SIGNAL("open_event(QString)")) > 0:
            self.open_event.emit(block.event_id)
            return
        events = self.events
        if events is None:
            return
        event_id = block.event_id
        QueryOp(self.runner, self, lambda: events.get(event_id), success=self._summary) \
            .run_in_background()

    def _summary(self, detail: EventDetail) -> None:
        row = detail.row
        lines = [label(EventKind(row.kind)), row.service_point_name]
        for s in detail.sessions:
            if s.cancelled:
                continue
            where = f" · {s.room_name}" if s.room_name else ""
            lines.append(f"{s.number}. {format_day(s.starts_at, 'EEEE', year=True)} "
                         f"{format_time(s.starts_at)}–{format_time(s.ends_at)}{where}")
        if row.organiser_names:
            lines.append(_("Organisers: {names}").format(names=", ".join(row.organiser_names)))
        seats = (_("Registered: {n} of {capacity}").format(n=row.registered,
                                                          capacity=row.capacity)
                 if row.capacity else _("Registered: {n}").format(n=row.registered))
        lines.append(seats)
        if row.waiting:
            lines.append(_("On the waiting list: {n}").format(n=row.waiting))
        box = QMessageBox(QMessageBox.Icon.Information, row.title, "\n".join(lines),
                          QMessageBox.StandardButton.Close, self)
        box.setObjectName("appointments_event_summary")
        box.setAccessibleName(row.title)
        self.show_dialog(box)

    # --- helpers ----------------------------------------------------------------------------

    def book_when_ready(self, customer: tuple[str, str]) -> None:
        """Book for a customer once the calendar's workers are loaded (first visit)."""
        if self.workers:
            self.calendar_actions.book(customer)
        else:
            self.pending_customer = customer

    def go_to(self, row: AppointmentRow) -> None:
        """Show the week (and cell) of an appointment that was just booked or moved."""
        local = row.starts_at.astimezone(HELSINKI)
        self.anchor = local.date()
        self.cursor_staff = row.staff_id
        self.grid.slot = max(0, (local.hour * 60 + local.minute - self.grid.first_minute)
                             // ROW_MINUTES)
        self._show_range()
        self.load()
        self.grid.setFocus()

    def show_dialog(self, dialog: QDialog) -> None:
        """Open a dialog of the page's actions (kept: one at a time)."""
        self.dialog = dialog
        dialog.open()

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)

    def show_error(self, text: str) -> None:
        self.say("⚠ " + text)
