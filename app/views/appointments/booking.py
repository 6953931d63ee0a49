"""BookingDialog: book, reschedule or rebook an appointment.

Customer search, type (sets the default length), channel (video asks for the link,
at the service point an optional room), who (a worker, or any worker of a team or of
the service point), the time, and a list of the first free slots: choosing one fills in
the worker and the time. For an initial interview the statutory deadline is shown (its
source in the tooltip) and a slot after it is warned about."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.dto.appointments import (
    AppointmentRow,
    BookingInput,
    CalendarWorker,
    DeadlineInfo,
    SlotRow,
)
from app.dto.events import RoomRow
from app.i18n import HELSINKI, N_, _, date_input_format, format_date, format_day, format_time
from app.rules.booking import DEFAULT_MINUTES
from app.rules.codes import AppointmentType, Channel
from app.services.appointments import AppointmentService
from app.services.customers import CustomerService
from app.services.session import SessionInfo
from app.views.coaching.texts import source_text, source_tooltip
from app.views.common import FieldError, icon, label, shortcut
from app.views.form_dialog import FormDialog
from app.views.operations import QueryOp, drop_pending
from app.views.tasks import TaskRunner

SEARCH_DELAY_MS = 200
ANY_POINT, ANY_TEAM = "point:", "team:"


class BookingDialog(FormDialog):
    """`mode` is "book", "reschedule" (of `original`) or "rebook" (after a no-show)."""

    def __init__(self, appointments: AppointmentService, customers: CustomerService,
                 session: SessionInfo, runner: TaskRunner, workers: list[CalendarWorker],
                 teams: list[tuple[str, str]], service_point: tuple[str, str],
                 start: datetime, staff_id: str | None = None, mode: str = "book",
                 original: AppointmentRow | None = None, customer: tuple[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("booking_dialog", parent)
        self.appointments, self.customers, self.session = appointments, customers, session
        self.runner, self.mode, self.original = runner, mode, original
        self.workers = workers
        self.customer_id: str | None = customer[0] if customer else None
        self.deadline: DeadlineInfo | None = None
        self.slot_staff: str | None = None
        self.slot_point: str | None = None
        self.errors: dict[str, FieldError] = {}

        self.customer_label = QLabel(customer[1] if customer else "")
        self.customer_label.setObjectName("booking_customer_chosen")
        font = self.customer_label.font()
        font.setBold(True)
        self.customer_label.setFont(font)
        self.search = QLineEdit()
        self.results = QListWidget()
        self.results.setObjectName("booking_customer_results")
        self.results.setMaximumHeight(110)
        self.results.itemActivated.connect(self._customer_chosen)
        self.results.currentItemChanged.connect(lambda item, _old: self._customer_chosen(item))
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self._run_search)
        self.search.textEdited.connect(lambda _t: self.timer.start())
        fixed_customer = customer is not None
        if not fixed_customer:
            self.add_row(N_("Search &customer"), self.search, "booking_customer_search")
            self.form.addRow("", self.results)
        self.add_row(N_("Customer"), self.customer_label, "booking_customer")
        self._error_row("customer")
        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("booking_deadline")
        self.deadline_label.setWordWrap(True)
        self.deadline_label.hide()
        self.form.addRow("", self.deadline_label)

        self.type = QComboBox()
        for t in AppointmentType:
            self.type.addItem("", t.value)
        self.add_row(N_("&Type"), self.type, "booking_type")
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 8 * 60)
        self.minutes.setSingleStep(15)
        self.add_row(N_("&Length (min)"), self.minutes, "booking_minutes")
        self._error_row("minutes")
        self.channel = QComboBox()
        for c in Channel:
            self.channel.addItem("", c.value)
        self.add_row(N_("C&hannel"), self.channel, "booking_channel")
        self.video_link = QLineEdit()
        self.video_link.setPlaceholderText("https://")
        self.add_row(N_("&Video link"), self.video_link, "booking_video_link")
        self._error_row("video_link")
        # A room of the slot's service point (#21), "No room" first.
        self.room = QComboBox()
        self.room.addItem("", "")
        self.add_row(N_("&Room"), self.room, "booking_room")
        self._error_row("room")
        self.rooms_point: str | None = None
        self.wanted_room = original.room_id if original is not None else None

        self.who = QComboBox()
        point_id, point_name = service_point
        self.who.addItem("", ANY_POINT + point_id)
        self.point_name = point_name
        self.teams = [(tid, name) for tid, name in teams
                      if any(w.team_id == tid for w in workers)]
        for tid, _name in self.teams:
            self.who.addItem("", ANY_TEAM + tid)
        for w in workers:
            self.who.addItem(w.name, w.id)
        self.add_row(N_("&Worker"), self.who, "booking_worker")
        self._error_row("staff")
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(date_input_format(with_time=True))
        self.add_row(N_("&Starts"), self.when, "booking_start")
        self._error_row("starts_at")

        finder = QWidget()
        row = QHBoxLayout(finder)
        row.setContentsMargins(0, 0, 0, 0)
        self.find_button = QPushButton()
        self.find_button.setObjectName("booking_find_slots")
        self.find_button.clicked.connect(self.find_slots)
        shortcut(self, "Ctrl+F", self.find_button)
        row.addWidget(self.find_button)
        row.addStretch(1)
        self.form.addRow("", finder)
        self.slots = QListWidget()
        self.slots.setMinimumHeight(150)
        self.slots.currentItemChanged.connect(lambda item, _old: self._slot_chosen(item))
        self.slots.itemActivated.connect(lambda _item: self._submit())
        self.add_row(N_("First &free slots"), self.slots, "booking_slots")

        self.reason = QLineEdit()
        if mode == "reschedule":
            self.add_row(N_("&Reason for moving"), self.reason, "booking_reason")
            self._error_row("reason")
        self.finish_layout()

        # Initial values.
        if original is not None:
            self.type.setCurrentIndex(max(0, self.type.findData(original.type)))
            self.channel.setCurrentIndex(max(0, self.channel.findData(original.channel)))
            self.video_link.setText(original.video_link or "")
            minutes = round((original.ends_at - original.starts_at).total_seconds() / 60)
            self.minutes.setValue(minutes)
            staff_id = staff_id or original.staff_id
        else:
            self._type_changed()
        if mode == "reschedule":
            for widget in (self.type, self.channel, self.minutes):
                widget.setEnabled(False)
        if staff_id is not None and self.who.findData(staff_id) >= 0:
            self.who.setCurrentIndex(self.who.findData(staff_id))
        local = start.astimezone(HELSINKI)
        self.when.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                                        QTime(local.hour, local.minute)))
        self.type.currentIndexChanged.connect(lambda _i: self._type_changed())
        self.channel.currentIndexChanged.connect(lambda _i: self._channel_changed())
        self.when.dateTimeChanged.connect(lambda _d: self._show_deadline())
        self.who.currentIndexChanged.connect(lambda _i: self._who_changed())
        self._channel_changed()
        self.retranslate()
        self._load_rooms(point_id if original is None else original.service_point_id)
        if self.customer_id:
            self._load_deadline()
        if mode == "rebook":
            self.find_slots()

    # --- building helpers -----------------------------------------------------------------

    def _error_row(self, name: str) -> None:
        error = FieldError()
        error.setObjectName(f"booking_error_{name}")
        self.errors[name] = error
        self.form.addRow("", error)

    def retranslate(self) -> None:
        titles = {"book": _("Book an appointment"), "reschedule": _("Move the appointment"),
                  "rebook": _("Book a new time after a no-show")}
        self.setWindowTitle(titles[self.mode])
        self.retranslate_rows()
        for i in range(self.type.count()):
            self.type.setItemText(i, label(AppointmentType(self.type.itemData(i))))
        for i in range(self.channel.count()):
            self.channel.setItemText(i, label(Channel(self.channel.itemData(i))))
        self.who.setItemText(0, _("Any worker at {point}").format(point=self.point_name))
        for i, (_tid, name) in enumerate(self.teams, 1):
            self.who.setItemText(i, _("Any worker of the team {team}").format(team=name))
        self.room.setItemText(0, _("No room"))
        self.search.setPlaceholderText(_("Name, identity code or customer number"))
        self.find_button.setText(_("Find the first free slots (Ctrl+F)"))
        self.find_button.setIcon(icon("mdi6.calendar-search", self))
        self.find_button.setAccessibleName(_("Find the first free slots"))
        self.results.setAccessibleName(_("Customers found"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Move") if self.mode == "reschedule" else _("Book"))
        if not self.customer_label.text():
            self.customer_label.setText(_("none chosen"))
        self._show_deadline()

    # --- reactions -----------------------------------------------------------------------

    def _type_changed(self) -> None:
        kind = AppointmentType(self.type.currentData())
        self.minutes.setValue(DEFAULT_MINUTES[kind])
        self._show_deadline()

    def _channel_changed(self) -> None:
        channel = self.channel.currentData()
        self.video_link.setEnabled(channel == Channel.VIDEO.value)
        self.room.setEnabled(channel == Channel.SERVICE_POINT.value)

    def _who_changed(self) -> None:
        self.slot_staff = None
        self.slots.clear()

    def _load_rooms(self, point_id: str | None) -> None:
        """The active rooms of `point_id` (the chosen slot's point), the chosen room kept
        when that point has it."""
        if not point_id or point_id == self.rooms_point:
            return
        self.rooms_point = point_id
        keep = self.room.currentData() or self.wanted_room

        def shown(rooms: list[RoomRow]) -> None:
            if point_id != self.rooms_point:
                return
            self.room.blockSignals(True)
            while self.room.count() > 1:
                self.room.removeItem(1)
            for r in rooms:
                text = _("{name} ({seats} seats)").format(name=r.name, seats=r.seats)
                if r.accessible:
                    text += ", " + _("accessible")
                self.room.addItem(text, r.id)
                if r.equipment:
                    self.room.setItemData(self.room.count() - 1, r.equipment,
                                          Qt.ItemDataRole.ToolTipRole)
            self.room.setCurrentIndex(max(0, self.room.findData(keep)) if keep else 0)
            self.room.blockSignals(False)

        QueryOp(self.runner, self, lambda: self.appointments.rooms(point_id),
                success=shown).latest("rooms").run_in_background()

    def _run_search(self) -> None:
        query = self.search.text().strip()
        if len(query) < 2:
            drop_pending(self, "search")
            self.results.clear()
            return

        def shown(page) -> None:
            self.results.clear()
            for row in page.rows:
                item = QListWidgetItem(f"{row.name}  ·  {row.hetu_masked}  ·  "
                                       f"{row.customer_number}")
                item.setData(Qt.ItemDataRole.UserRole, (row.id, row.name))
                self.results.addItem(item)

        QueryOp(self.runner, self, lambda: self.customers.page(query, limit=8),
                success=shown).latest("search").run_in_background()

    def _customer_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.customer_id, name = item.data(Qt.ItemDataRole.UserRole)
        self.customer_label.setText(name)
        self.errors["customer"].show_message("")
        self._load_deadline()

    def _load_deadline(self) -> None:
        customer_id = self.customer_id
        if customer_id is None:  # both callers have a customer
            return

        def shown(info: DeadlineInfo | None) -> None:
            if customer_id == self.customer_id:
                self.deadline = info
                self._show_deadline()

        QueryOp(self.runner, self, lambda: self.appointments.deadline(customer_id),
                success=shown).quietly().latest("deadline").run_in_background()

    def _show_deadline(self) -> None:
        info = self.deadline
        initial = self.type.currentData() == AppointmentType.INITIAL_INTERVIEW.value
        if info is None or not initial:
            self.deadline_label.hide()
            return
        text = _("Initial interview due by {due} ({n} working days from registration on "
                 "{registered}).").format(due=format_date(info.due_on), n=info.working_days,
                                          registered=format_date(info.registered_on))
        if self.chosen_start().astimezone(HELSINKI).date() > info.due_on:
            text = "⚠ " + text + " " + _("The chosen time is after the deadline.")
        self.deadline_label.setText(text)
        self.deadline_label.setToolTip(source_tooltip(info.source))
        self.deadline_label.setAccessibleDescription(source_text(info.source))
        self.deadline_label.show()

    def find_slots(self) -> None:
        who = self.who.currentData()
        minutes = self.minutes.value()
        kwargs: dict[str, str] = {}
        if who.startswith(ANY_POINT):
            kwargs["service_point_id"] = who[len(ANY_POINT):]
        elif who.startswith(ANY_TEAM):
            kwargs["team_id"] = who[len(ANY_TEAM):]
        else:
            kwargs["staff_id"] = who
        now = self.session.now()
        start = now if self.mode == "rebook" else min(self.chosen_start(),
                                                       now + timedelta(days=365))

        def shown(rows: list[SlotRow]) -> None:
            self.slots.clear()
            for row in rows:
                text = f"{format_day(row.starts_at, 'EEE')} {format_time(row.starts_at)}–" \
                       f"{format_time(row.ends_at)}  ·  {row.staff_name}"
                if row.remote:
                    text += "  ·  " + _("remote: phone or video")
                elif row.service_point_name and row.service_point_name != self.point_name:
                    text += "  ·  " + row.service_point_name
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row)
                self.slots.addItem(item)
            if not rows:
                self.slots.addItem(_("No free slots in the next three months."))
            else:
                self.slots.setCurrentRow(0)
                self.slots.setFocus()

        QueryOp(self.runner, self,
                lambda: self.appointments.find_slots(minutes, start, count=10, **kwargs),
                success=shown).latest("slots").run_in_background()

    def _slot_chosen(self, item: QListWidgetItem | None) -> None:
        row = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not isinstance(row, SlotRow):
            return
        local = row.starts_at.astimezone(HELSINKI)
        self.when.blockSignals(True)
        self.when.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                                        QTime(local.hour, local.minute)))
        self.when.blockSignals(False)
        self.slot_staff = row.staff_id
        self.slot_point = row.service_point_id or None
        self._load_rooms(self.slot_point)
        if row.remote and self.channel.currentData() == Channel.SERVICE_POINT.value \
                and self.channel.isEnabled():
            self.channel.setCurrentIndex(self.channel.findData(Channel.PHONE.value))
        self._show_deadline()

    # --- values ---------------------------------------------------------------------------

    def chosen_start(self) -> datetime:
        value = self.when.dateTime()
        d, t = value.date(), value.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=HELSINKI)

    def chosen_staff(self) -> str:
        who = self.who.currentData() or ""
        if who.startswith((ANY_POINT, ANY_TEAM)):
            return self.slot_staff or ""
        return who

    def value(self) -> BookingInput:
        return BookingInput(
            customer_id=self.customer_id or "", staff_id=self.chosen_staff(),
            type=self.type.currentData(), channel=self.channel.currentData(),
            starts_at=self.chosen_start(), minutes=self.minutes.value(),
            video_link=self.video_link.text() if self.video_link.isEnabled() else "",
            room_id=(self.room.currentData() or "") if self.room.isEnabled() else "")

    def show_errors(self, errors: dict[str, str]) -> None:
        self.buttons.setEnabled(True)
        for name, widget in self.errors.items():
            widget.show_message(_(errors[name]) if name in errors else "")
        rest = [msg for name, msg in errors.items() if name not in self.errors]
        self.error.show_message(" ".join(_(m) for m in rest) or _(
            "Check the highlighted fields."))

    def clear_errors(self) -> None:
        for widget in self.errors.values():
            widget.show_message("")

