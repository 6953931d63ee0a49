"""The event card: the event's facts, its sessions and its participant list with the
actions on a participant (register, cancel, check in, mark absent) and on the event
(invite, print invitations, edit, cancel). The page (page.py) runs the actions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.dto.events import EventDetail, ParticipantRow, SessionRow
from app.i18n import N_, _, format_number, to_local
from app.views import style
from app.views.common import heading_label, list_table
from app.views.events.texts import (
    OTHER_POINT,
    day_text,
    group_label,
    kind_label,
    participant_label,
    seats,
    status_label,
    time_span,
)
from app.views.simple_model import SimpleTableModel

SESSION_COLUMNS = (N_("No."), N_("Day"), N_("Time"), N_("Room"), N_("Attended"))
PARTICIPANT_COLUMNS = (N_("Name"), N_("Customer number"), N_("Status"), N_("Waiting"),
                       N_("Attended"))


class EventCard(QWidget):
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("event_card")
        self.detail: EventDetail | None = None
        self.participants: list[ParticipantRow] = []
        self.today: date | None = None
        self.can_edit = False
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back = QPushButton()
        self.back.setObjectName("event_back")
        self.back.clicked.connect(self.back_requested)
        self.heading = heading_label()
        self.heading.setWordWrap(True)
        self.heading.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.edit = QPushButton()
        self.edit.setObjectName("event_edit")
        self.cancel_event = QPushButton()
        self.cancel_event.setObjectName("event_cancel")
        top.addWidget(self.back)
        top.addWidget(self.heading, 1)
        top.addWidget(self.edit)
        top.addWidget(self.cancel_event)
        layout.addLayout(top)
        self.facts = QLabel()
        self.facts.setObjectName("event_facts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout.addWidget(self.facts)
        self.sessions_title = style.heading(QLabel())
        layout.addWidget(self.sessions_title)
        self.session_model = SimpleTableModel(SESSION_COLUMNS, self._session_cells, self)
        self.session_table = list_table("event_sessions", self.session_model)
        layout.addWidget(self.session_table)
        self.participants_title = style.heading(QLabel())
        self.participants_title.setObjectName("event_participants_title")
        layout.addWidget(self.participants_title)
        self.participant_model = SimpleTableModel(PARTICIPANT_COLUMNS, self._participant_cells,
                                                  self)
        self.table = list_table("event_participants", self.participant_model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.check_in = QPushButton()
        self.check_in.setObjectName("event_check_in")
        self.absent = QPushButton()
        self.absent.setObjectName("event_absent")
        self.register = QPushButton()
        self.register.setObjectName("event_register")
        self.cancel_participation = QPushButton()
        self.cancel_participation.setObjectName("event_cancel_participation")
        self.invite = QPushButton()
        self.invite.setObjectName("event_invite")
        self.print_letters = QPushButton()
        self.print_letters.setObjectName("event_print")
        self.save_letters = QPushButton()
        self.save_letters.setObjectName("event_save_letters")
        for b in (self.check_in, self.absent, self.register, self.cancel_participation):
            actions.addWidget(b)
        actions.addStretch(1)
        layout.addLayout(actions)
        letters = QHBoxLayout()  # a row of its own: the card stays narrow at 150 % text
        for b in (self.invite, self.print_letters, self.save_letters):
            letters.addWidget(b)
        letters.addStretch(1)
        layout.addLayout(letters)
        self.message = QLabel()
        self.message.setObjectName("event_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self.retranslate()
        self._enable()

    # --- showing ----------------------------------------------------------------------

    def show_detail(self, detail: EventDetail, participants: list[ParticipantRow],
                    today: date) -> None:
        keep = {p.customer_id for p in self.selected()} if (
            self.detail is not None and self.detail.row.id == detail.row.id) else set()
        self.detail, self.participants, self.today = detail, participants, today
        self.session_model.set_rows(list(detail.sessions))
        lines = min(max(len(detail.sessions), 1), 6) + 1  # the header and the rows
        self.session_table.setFixedHeight(
            self.session_table.fontMetrics().lineSpacing() * 2 * lines + 8)
        self.participant_model.set_rows(participants)
        for i, p in enumerate(participants):
            if p.customer_id in keep:
                self.table.selectRow(i)
        if not keep and participants:
            self.table.selectRow(0)
        self._show_facts()
        self._enable()

    def forget(self) -> None:
        """Nothing of the event or its participants is left (sign-out, another event)."""
        self.detail, self.participants, self.today = None, [], None
        self.session_model.set_rows([])
        self.participant_model.set_rows([])
        self.heading.setText("")
        self.facts.setText("")
        self.message.setText("")
        self._enable()

    def set_can_edit(self, can: bool) -> None:
        self.can_edit = can
        self._enable()

    def say(self, text: str, kind: str | None = None) -> None:
        if kind is not None:
            style.set_status(self.message, kind, text)
        else:
            self.message.setText(text)

    def show_error(self, text: str) -> None:
        self.say("⚠ " + text, style.WARN)

    def selected(self) -> list[ParticipantRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.participants[r] for r in rows if r < len(self.participants)]

    def current(self) -> ParticipantRow | None:
        index = self.table.currentIndex()
        chosen = self.selected()
        if index.isValid() and index.row() < len(self.participants):
            row = self.participants[index.row()]
            if row in chosen or not chosen:
                return row
        return chosen[0] if chosen else None

    def todays_sessions(self) -> list[SessionRow]:
        if self.detail is None or self.today is None:
            return []
        return [s for s in self.detail.sessions
                if not s.cancelled and to_local(s.starts_at).date() == self.today]

    def _show_facts(self) -> None:
        d = self.detail
        if d is None:
            return
        row = d.row
        self.heading.setText(row.title)
        organisers = ", ".join(row.organiser_names)
        lines = [
            (_("Kind"), kind_label(row.kind)),
            (_("Status"), status_label(row.status)
             + (f" – {d.cancel_reason}" if d.cancel_reason else "")),
            (_("Service point"), row.service_point_name),
            (_("Organisers"), organisers),
            (_("External organisers"), d.external_organisers),
            (_("Employer"), d.employer_name),
            (_("Language"), {"fi": _("Finnish"), "sv": _("Swedish"),
                             "en": _("English")}.get(row.language, row.language)),
            (_("Registered / capacity"), seats(row)),
            (_("On the waiting list"), format_number(row.waiting) if row.waiting else ""),
            (_("Target groups"), ", ".join(group_label(g) for g in d.target_groups)),
            (_("Online link"), d.online_link),
            (_("Recurs every year"), _("Yes") if row.annual else ""),
            (_("Description"), d.description),
        ]
        self.facts.setText("\n".join(f"{k}: {v}" for k, v in lines if v))
        self._retitle()

    def _retitle(self) -> None:
        n = len(self.participants)
        self.participants_title.setText(_("Participants ({n})").format(n=n))
        self.sessions_title.setText(_("Sessions"))

    def _session_cells(self, s: SessionRow) -> list[str]:
        room = s.room_name or (s.online_link and _("Online")) or ""
        return [str(s.number), day_text(s.starts_at), time_span(s.starts_at, s.ends_at),
                room, format_number(s.attended)
                + (" · " + _("cancelled") if s.cancelled else "")]

    def _participant_cells(self, p: ParticipantRow) -> list[str]:
        attended = []
        if p.attended_today:
            attended.append("✓ " + _("today"))
        if p.attended_sessions:
            attended.append(_("{n} sessions").format(n=p.attended_sessions)
                            if (self.detail and self.detail.row.sessions > 1)
                            else ("✓" if not p.attended_today else ""))
        return [p.name or _(OTHER_POINT), p.customer_number, participant_label(p.status),
                str(p.waiting_position) if p.waiting_position else "",
                " ".join(a for a in attended if a)]

    def _enable(self) -> None:
        d = self.detail
        planned = d is not None and d.row.status == "planned"
        one = self.current() is not None
        for b in (self.check_in, self.absent, self.register, self.cancel_participation):
            b.setEnabled(planned and one)
        for b in (self.invite, self.edit, self.cancel_event):
            b.setVisible(self.can_edit)
            b.setEnabled(planned)
        for b in (self.print_letters, self.save_letters):
            b.setEnabled(planned and bool(self.participants))

    # --- words ------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        texts = {
            self.back: _("← Even&ts"), self.edit: _("&Edit"),
            self.cancel_event: _("Cancel the e&vent"), self.check_in: _("C&heck in"),
            self.absent: _("Mark &absent"), self.register: _("&Register"),
            self.cancel_participation: _("Ca&ncel participation"),
            self.invite: _("&Invite…"), self.print_letters: _("&Print invitations…"),
            self.save_letters: _("&Save invitations as PDF…"),
        }
        for button, text in texts.items():
            button.setText(text)
            button.setAccessibleName(text.replace("&", "").replace("…", "").replace("← ", ""))
        self.table.setAccessibleName(_("Participants"))
        self.session_table.setAccessibleName(_("Sessions"))
        self.facts.setAccessibleName(_("The event"))
        self.session_model.retranslate()
        self.participant_model.retranslate()
        self._show_facts()
        self._retitle()
