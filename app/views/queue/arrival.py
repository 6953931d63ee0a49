"""ArrivalDialog: register a walk-in in a few keystrokes.

Type a name or identity code and pick the customer with ↓ and Enter, or leave it empty
for an anonymous visitor; choose the service, an optional priority and a note. Typed text
that is not a chosen customer never becomes an anonymous ticket by itself: the worker
chooses "anonymous ticket" or "new customer" (which keeps the typed name).

A chosen customer on the list of an event session today (#21) is offered the check-in for
it first, as the default: a walk-in who comes for the event is checked in, not queued
(no ticket is made)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.customers import CustomerCard, CustomerPage
from app.dto.events import CheckInMatch, ParticipantRow
from app.dto.queue import TicketRow
from app.i18n import _, format_time
from app.rules import hetu as hetu_rules
from app.rules.codes import PRIORITY_REASONS
from app.rules.customer import CustomerInput
from app.services.area_lookup import AreaLookupService, AreaMatch
from app.services.customers import CustomerService
from app.services.events import EventService
from app.services.queue import QueueService
from app.views.common import FieldError
from app.views.customers.dialog import CustomerDialog
from app.views.operations import QueryOp, WriteOp, drop_pending
from app.views.queue.dialogs import Service, fill_offered, retranslate_offered
from app.views.tasks import TaskRunner

AREA = "\0area"  # the result row that searches the area's register
MATCHES = 8  # the list shows this many; more: a hint to type more of the name


def typed_customer(text: str) -> CustomerInput:
    """A new customer's form from what was typed: an identity code, "Last, First" or
    "last first…" (the desk types the last name first, as the list shows names)."""
    text = " ".join(text.split())
    if hetu_rules.has_shape(text):
        return CustomerInput(hetu=hetu_rules.normalise(text))

    def cap(words: str) -> str:
        return " ".join(w[:1].upper() + w[1:] for w in words.split())

    last, _sep, first = text.partition(",") if "," in text else text.partition(" ")
    return CustomerInput(last_name=cap(last), first_names=cap(first))


class ArrivalDialog(QDialog):
    def __init__(self, queue: QueueService, customers: CustomerService, runner: TaskRunner,
                 services: Sequence[Service], parent: QWidget | None = None,
                 lookup: AreaLookupService | None = None,
                 events: EventService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arrival_dialog")
        self.queue, self.customers, self.runner = queue, customers, runner
        self.lookup = lookup  # a customer of another service point, by identity code
        self.events = events  # today's event sessions the customer is on the list of
        self.registered: TicketRow | None = None
        # Checked in for an event session instead of a ticket: the session and the row.
        self.checked_in: tuple[CheckInMatch, ParticipantRow] | None = None
        self.matches: list[CheckInMatch] = []
        self.matched_for: str | None = None  # whose sessions `matches` are
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.search = QLineEdit()
        self.search.setObjectName("arrival_search")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("arrival_results")
        self.results.setMaximumHeight(150)
        self.more = QLabel()
        self.more.setObjectName("arrival_more")
        self.more.setWordWrap(True)
        self.more.hide()
        self.chosen = QLabel()
        self.chosen.setObjectName("arrival_chosen")
        self.chosen.setWordWrap(True)
        # Typed text that is no chosen customer: the worker decides what it is.
        self.unmatched = QWidget()
        self.unmatched.setObjectName("arrival_unmatched")
        row = QHBoxLayout(self.unmatched)
        row.setContentsMargins(0, 0, 0, 0)
        self.anonymous_button = QPushButton()
        self.anonymous_button.setObjectName("arrival_anonymous")
        self.anonymous_button.clicked.connect(self.give_anonymous)
        self.register_button = QPushButton()
        self.register_button.setObjectName("arrival_register")
        self.register_button.clicked.connect(self.register_customer)
        row.addWidget(self.anonymous_button)
        row.addWidget(self.register_button)
        row.addStretch(1)
        self.unmatched.hide()
        # Today's event sessions of the chosen customer: check in, the first choice.
        self.checkin_box = QWidget()
        self.checkin_box.setObjectName("arrival_checkin")
        self.checkin_layout = QVBoxLayout(self.checkin_box)
        self.checkin_layout.setContentsMargins(0, 0, 0, 0)
        self.checkin_title = QLabel()
        self.checkin_title.setObjectName("arrival_checkin_title")
        self.checkin_title.setWordWrap(True)
        self.checkin_layout.addWidget(self.checkin_title)
        self.checkin_buttons: list[QPushButton] = []
        self.checkin_rows: list[QWidget] = []  # a button and the session in words each
        self.checkin_box.hide()
        self.customer_dialog: CustomerDialog | None = None
        self.searched: str | None = None  # the query the list shows the results of
        # The point's queue services by name (QueueService.offered); the data: codes.
        self.services = list(services)
        self.service = QComboBox()
        self.service.setObjectName("arrival_service")
        fill_offered(self.service, self.services, None)
        self.priority = QComboBox()
        self.priority.setObjectName("arrival_priority")
        self.priority.addItem("", None)
        for code in PRIORITY_REASONS:
            self.priority.addItem("", code)
        self.note = QLineEdit()
        self.note.setObjectName("arrival_note")
        self.labels = [QLabel() for _ in range(4)]
        for lbl, widget in zip(self.labels, (self.search, self.service, self.priority,
                                             self.note), strict=True):
            lbl.setBuddy(widget)
        form.addRow(self.labels[0], self.search)
        form.addRow("", self.results)
        form.addRow("", self.more)
        form.addRow("", self.chosen)
        form.addRow("", self.checkin_box)
        form.addRow("", self.unmatched)
        form.addRow(self.labels[1], self.service)
        form.addRow(self.labels[2], self.priority)
        form.addRow(self.labels[3], self.note)
        self.error = FieldError()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("arrival_buttons")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.customer_id: str | None = None
        self.chosen_point = ""  # the chosen customer's service point, when another one
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(200)
        self.debounce.timeout.connect(self._search)
        self.search.textChanged.connect(self._typed)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemClicked.connect(self._pick)
        self.setMinimumWidth(480)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New walk-in"))
        texts = (_("&Customer"), _("&Service"), _("&Priority"), _("&Note for the worker"))
        for lbl, text in zip(self.labels, texts, strict=True):
            lbl.setText(text)
            lbl.buddy().setAccessibleName(text.replace("&", ""))
        self.search.setPlaceholderText(_("Name or identity code; empty for an anonymous visitor"))
        self.results.setAccessibleName(_("Matching customers"))
        retranslate_offered(self.service, self.services)
        self.priority.setItemText(0, _("No priority"))
        for i, text in enumerate(PRIORITY_REASONS.values(), 1):
            self.priority.setItemText(i, _(text))
        self.more.setText(_("More than {n} match: type more of the name.").format(n=MATCHES))
        self.anonymous_button.setText(_("Give an &anonymous ticket"))
        self.anonymous_button.setAccessibleName(_("Give an anonymous ticket"))
        self.anonymous_button.setToolTip(_("The typed name is not kept."))
        self.register_button.setText(_("New c&ustomer…"))
        self.register_button.setAccessibleName(_("New customer"))
        self.register_button.setToolTip(_("Register a new customer with the typed name, "
                                          "then give the ticket."))
        self._show_chosen()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Give a ticket"))
        self.checkin_title.setText(_("On the list of an event today: check them in instead "
                                     "of a ticket."))
        for row, button, match in zip(self.checkin_rows, self.checkin_buttons, self.matches,
                                      strict=True):
            self._checkin_text(row, button, match)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched, event) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        if watched is self.search and event.key() == Qt.Key.Key_Down and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        if watched is self.results and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter picks the customer; it must not also press the dialog's OK button.
            item = self.results.currentItem()
            if item is not None:
                self._pick(item)
            return True
        return super().eventFilter(watched, event)

    # --- choosing the customer -----------------------------------------------------------

    def _typed(self, text: str) -> None:
        self.customer_id = None
        self._show_matches([])
        self._show_chosen()
        self.debounce.start()

    def _search(self) -> None:
        query = self.search.text().strip()
        if not query:
            drop_pending(self, "search")
            self.results.clear()
            self.more.hide()
            self.searched = None
            self._show_chosen()
            return

        def shown(page: CustomerPage) -> None:
            self.results.clear()
            self.searched = query
            self.more.setVisible(page.has_more)
            for row in page.rows:
                text = f"{row.name}  ·  {row.hetu_masked or row.customer_number}"
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (row.id, row.name))
                self.results.addItem(item)
            if (not page.rows and self.lookup is not None and self.lookup.online()
                    and hetu_rules.has_shape(query)):
                # Not held here: perhaps a customer of another service point.
                item = QListWidgetItem(_("Search the area's register (logged)"))
                item.setToolTip(_("Not found on this workstation: search the whole "
                                  "area's register by this identity code. The search is "
                                  "logged."))
                item.setData(Qt.ItemDataRole.UserRole, (AREA, hetu_rules.normalise(query)))
                self.results.addItem(item)
            self._show_chosen()

        QueryOp(self.runner, self, lambda: self.customers.page(query, limit=MATCHES),
                success=shown).latest("search").run_in_background()

    def _pick(self, item: QListWidgetItem) -> None:
        customer_id, name = item.data(Qt.ItemDataRole.UserRole)
        if customer_id == AREA:
            self._search_area(name)
            return
        self._choose(customer_id, name)

    def _choose(self, customer_id: str, name: str, point: str = "") -> None:
        """The customer chosen (`point`: their service point, when it is another one)."""
        self.search.blockSignals(True)
        self.search.setText(name)
        self.search.blockSignals(False)
        self.customer_id, self.chosen_point = customer_id, point
        self.results.clear()
        self.more.hide()
        self.error.show_message("")
        self._show_chosen()
        self.service.setFocus()
        self._find_matches(customer_id)

    def _search_area(self, code: str) -> None:
        lookup = self.lookup
        assert lookup is not None

        def found(match: AreaMatch | None) -> None:
            if match is None:
                self.error.show_message(_("Nobody with this identity code in the area's "
                                          "register. Register them as a new customer, or "
                                          "clear the search for an anonymous visitor."))
                return
            self.error.show_message("")
            self._choose(match.customer_id, match.name, match.service_point_name)

        WriteOp(self.runner, self, lambda: lookup.find(code), success=found) \
            .run_in_background()

    def _show_chosen(self) -> None:
        typed = self.search.text().strip()
        self.unmatched.setVisible(bool(typed) and self.customer_id is None)
        if self.customer_id and self.chosen_point:
            self.chosen.setText(_("Customer: {name} ({point})").format(
                name=self.search.text(), point=self.chosen_point))
        elif self.customer_id:
            self.chosen.setText(_("Customer: {name}").format(name=self.search.text()))
        elif not typed:
            self.chosen.setText(_("No customer chosen: an anonymous visitor."))
        elif self.searched == typed and not self.results.count():
            self.chosen.setText(_("No customer matches “{text}”.").format(text=typed))
        else:
            self.chosen.setText(_("Not in the list?"))

    # --- checking in for an event ---------------------------------------------------------

    def _find_matches(self, customer_id: str) -> None:
        events = self.events
        self._show_matches([])
        if events is None:
            return

        def found(matches: list[CheckInMatch]) -> None:
            if self.customer_id == customer_id:
                self._show_matches(matches)
                self.matched_for = customer_id

        QueryOp(self.runner, self, lambda: events.matches_today(customer_id),
                success=found).quietly().latest("matches").run_in_background()

    def _show_matches(self, matches: list[CheckInMatch]) -> None:
        """One button per session; the first is the default (Enter) and has the focus."""
        for row in self.checkin_rows:
            self.checkin_layout.removeWidget(row)
            row.deleteLater()
        self.checkin_rows, self.checkin_buttons, self.matches = [], [], list(matches)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        for i, match in enumerate(matches):
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            button = QPushButton()
            button.setObjectName(f"arrival_checkin_{i}")
            what = QLabel()
            what.setObjectName(f"arrival_checkin_text_{i}")
            what.setWordWrap(True)
            line.addWidget(button)
            line.addWidget(what, 1)
            self._checkin_text(row, button, match)
            button.clicked.connect(lambda _c=False, m=match: self.check_in(m))
            self.checkin_layout.addWidget(row)
            self.checkin_rows.append(row)
            self.checkin_buttons.append(button)
        self.checkin_box.setVisible(bool(matches))
        if matches:
            first = self.checkin_buttons[0]
            ok.setDefault(False)
            ok.setAutoDefault(False)
            first.setAutoDefault(True)
            first.setDefault(True)
            # After the list's row: the check-in comes right after the customer (Tab).
            QWidget.setTabOrder(self.search, first)
            first.setFocus()
        else:
            ok.setAutoDefault(True)
            ok.setDefault(True)

    def _checkin_text(self, row: QWidget, button: QPushButton, match: CheckInMatch) -> None:
        """The button says what it does; the session, which may be long, wraps beside it."""
        what = f"{match.title} {format_time(match.starts_at)}"
        if match.room_name:
            what += f" ({match.room_name})"
        first = not self.checkin_buttons or button is self.checkin_buttons[0]
        button.setText(_("Check &in") if first else _("Check in"))
        button.setAccessibleName(_("Check in for {event} {time}").format(
            event=match.title, time=format_time(match.starts_at))
            + (f" ({match.room_name})" if match.room_name else ""))
        label_ = row.findChild(QLabel)
        if label_ is not None:
            label_.setText(what)

    def check_in(self, match: CheckInMatch) -> None:
        """Checked in for the session (via the queue): no ticket is made."""
        events, customer_id = self.events, self.customer_id
        if events is None or customer_id is None:
            return
        self._enable(False)

        def done(row: ParticipantRow) -> None:
            self.checked_in = (match, row)
            self._enable(True)
            self.accept()

        WriteOp(self.runner, self,
                lambda: events.check_in(match.session_id, customer_id, via="queue"),
                success=done).run_in_background()

    def register_customer(self) -> None:
        """The new-customer form with the typed name; once saved, they are the customer."""
        dialog = CustomerDialog(self.runner, self.customers.create,
                                typed_customer(self.search.text()), _("New customer"), self)

        def saved() -> None:
            card: CustomerCard | None = dialog.saved
            if card is not None:
                self._choose(card.id, f"{card.last_name}, {card.first_names}")

        dialog.accepted.connect(saved)
        self.customer_dialog = dialog
        dialog.open()

    def give_anonymous(self) -> None:
        """The worker's explicit choice: a ticket without a customer (the text is dropped)."""
        self._register(None)

    # --- registering ---------------------------------------------------------------------

    def submit(self) -> None:
        if self.search.text().strip() and self.customer_id is None:
            # Never silently anonymous: the typed name may be a customer not found yet.
            self._show_chosen()
            if self.results.count():
                self.error.show_message(_("Choose the customer from the list, give an "
                                          "anonymous ticket or register a new customer."))
                self.results.setFocus()
                self.results.setCurrentRow(0)
            else:
                self.error.show_message(_("No customer is chosen: give an anonymous ticket "
                                          "or register a new customer."))
                # The choice that keeps the name: a second Enter must not drop it.
                self.register_button.setFocus()
            return
        self._register(self.customer_id)

    def _register(self, customer_id: str | None) -> None:
        service, priority = self.service.currentData(), self.priority.currentData()
        note = self.note.text()
        self._enable(False)

        def done(ticket: TicketRow) -> None:
            self.registered = ticket
            self._enable(True)
            self.accept()

        WriteOp(self.runner, self,
                lambda: self.queue.register_walk_in(customer_id, service, priority, note),
                success=done).run_in_background()

    def _enable(self, on: bool) -> None:
        for widget in (self.buttons, self.anonymous_button, self.register_button,
                       *self.checkin_buttons):
            widget.setEnabled(on)

    def show_error(self, text: str) -> None:
        self._enable(True)
        self.error.show_message(text)
