"""The event screens' forms: an event (create and edit, with its sessions), the
invitation of customers from a filter, an annual theme, and the reason an event is
cancelled. What was typed stays until the save succeeds; a refused field is named in the
error line and takes the focus."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.dto.events import (
    EventDetail,
    EventInput,
    InviteCandidate,
    InviteFilter,
    RoomRow,
    SessionInput,
    ThemeInput,
    ThemeRow,
)
from app.i18n import N_, _, ngettext, parse_date, to_local
from app.rules.codes import EventKind
from app.rules.groups import Group
from app.views import style
from app.views.common import FieldError
from app.views.events.texts import EVENT_LANGUAGES, group_label, input_day, kind_label
from app.views.form_dialog import FormDialog

Choices = list[tuple[str, str]]  # (id, name)


def _text_edit(text: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 16)
    return edit


def _checklist(name: str, choices: Choices, checked: Sequence[str], lines: int = 4
               ) -> QListWidget:
    """A list of check boxes (Space checks the current one)."""
    widget = QListWidget()
    widget.setObjectName(name)
    for code, text in choices:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if code in checked
                           else Qt.CheckState.Unchecked)
        widget.addItem(item)
    if widget.count():
        widget.setCurrentRow(0)
    row = widget.sizeHintForRow(0) if widget.count() else widget.fontMetrics().lineSpacing()
    widget.setFixedHeight(row * max(1, min(widget.count(), lines)) + 2 * widget.frameWidth()
                          + 4)
    return widget


def checked_codes(widget: QListWidget) -> tuple[str, ...]:
    return tuple(widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)


@dataclass(frozen=True)
class EventChoices:
    """What the event form offers: loaded in the background before it opens."""

    points: Choices
    organisers: Choices
    employers: Choices
    rooms: dict[str, list[RoomRow]] = field(default_factory=dict)


class SessionRowWidget(QWidget):
    """One session: day, start, end, room; its remove button."""

    def __init__(self, number: int, data: SessionInput, rooms: list[RoomRow],
                 remove: Callable[[SessionRowWidget], None]) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.number = QLabel()
        self.day = QLineEdit(data.day)
        self.day.setMaxLength(10)
        self.start = QLineEdit(data.start)
        self.end = QLineEdit(data.end)
        for edit in (self.start, self.end):
            edit.setMaxLength(5)
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00:000") + 24)
        self.day.setMaximumWidth(self.day.fontMetrics().horizontalAdvance("00.00.00000") + 24)
        self.room = QComboBox()
        self.online_link = data.online_link
        self.session_id = data.session_id  # kept: the edit matches sessions by it
        self.remove = QPushButton()
        self.remove.clicked.connect(lambda: remove(self))
        for w in (self.number, self.day, self.start, self.end, self.room, self.remove):
            layout.addWidget(w)
        layout.addStretch(1)
        self.set_rooms(rooms, data.room_id)
        self.set_number(number)

    def set_rooms(self, rooms: list[RoomRow], current: str | None = None) -> None:
        current = self.room.currentData() if current is None else current
        self.room.clear()
        self.room.addItem(_("No room"), "")
        for r in rooms:
            self.room.addItem(f"{r.name} ({r.seats})" if r.seats else r.name, r.id)
        self.room.setCurrentIndex(max(0, self.room.findData(current or "")))

    def set_number(self, n: int) -> None:
        self.n = n
        self.number.setText(f"{n}.")
        names = {self.day: _("Session {n}: day"), self.start: _("Session {n}: starts"),
                 self.end: _("Session {n}: ends"), self.room: _("Session {n}: room"),
                 self.remove: _("Remove session {n}")}
        for widget, text in names.items():
            widget.setAccessibleName(text.format(n=n))
        self.day.setObjectName(f"event_session_day_{n}")
        self.start.setObjectName(f"event_session_start_{n}")
        self.end.setObjectName(f"event_session_end_{n}")
        self.room.setObjectName(f"event_session_room_{n}")
        self.day.setPlaceholderText(_("d.m.yyyy"))
        self.start.setPlaceholderText("10:00")
        self.end.setPlaceholderText("11:30")
        self.remove.setText(_("Remove"))

    def value(self) -> SessionInput:
        return SessionInput(day=self.day.text(), start=self.start.text(), end=self.end.text(),
                            room_id=self.room.currentData() or "",
                            online_link=self.online_link, session_id=self.session_id)


FIELDS = {
    "kind": N_("&Kind"),
    "title": N_("&Title"),
    "description": N_("&Description"),
    "service_point_id": N_("Service &point"),
    "language": N_("&Language"),
    "capacity": N_("&Capacity"),
    "target_groups": N_("Target &groups"),
    "organiser_ids": N_("&Organisers"),
    "external_organisers": N_("E&xternal organisers"),
    "employer_id": N_("E&mployer"),
    "online_link": N_("Online l&ink"),
    "annual": N_("Recurs every &year"),
}


class EventDialog(FormDialog):
    """A new event or an existing one edited: its facts and its sessions."""

    def __init__(self, data: EventInput, choices: EventChoices, new: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__("event_dialog", parent)
        self.new, self.choices = new, choices
        self.widgets: dict[str, QWidget] = {}
        self.kind = QComboBox()
        for kind in EventKind:
            self.kind.addItem("", kind.value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(data.kind)))
        self._row("kind", self.kind)
        self.title = QLineEdit(data.title)
        self.title.setMaxLength(200)
        self._row("title", self.title)
        self.description = _text_edit(data.description, 4)
        self._row("description", self.description)
        self.point = QComboBox()
        for pid, name in choices.points:
            self.point.addItem(name, pid)
        self.point.setCurrentIndex(max(0, self.point.findData(data.service_point_id)))
        self._row("service_point_id", self.point)
        self.language = QComboBox()
        for code, _text in EVENT_LANGUAGES:
            self.language.addItem("", code)
        self.language.setCurrentIndex(max(0, self.language.findData(data.language)))
        self._row("language", self.language)
        self.capacity = QLineEdit(data.capacity)
        self.capacity.setMaxLength(5)
        self._row("capacity", self.capacity)
        self.groups = _checklist("event_groups", [(g.value, group_label(g.value)) for g in Group],
                                 data.target_groups, 6)
        self._row("target_groups", self.groups)
        self.organisers = _checklist("event_organisers", choices.organisers,
                                     data.organiser_ids, 4)
        self._row("organiser_ids", self.organisers)
        self.external = QLineEdit(data.external_organisers)
        self.external.setMaxLength(400)
        self._row("external_organisers", self.external)
        self.employer = QComboBox()
        self.employer.addItem("", "")
        for eid, name in choices.employers:
            self.employer.addItem(name, eid)
        self.employer.setCurrentIndex(max(0, self.employer.findData(data.employer_id)))
        self._row("employer_id", self.employer)
        self.online_link = QLineEdit(data.online_link)
        self.online_link.setMaxLength(500)
        self._row("online_link", self.online_link)
        self.annual = QCheckBox()
        self.annual.setChecked(data.annual)
        self._row("annual", self.annual)

        self.sessions_box = QGroupBox()
        box = QVBoxLayout(self.sessions_box)
        # A series of many sessions scrolls: the dialog stays on the screen.
        holder = QWidget()
        self.session_list = QVBoxLayout(holder)
        self.session_list.setContentsMargins(0, 0, 0, 0)
        self.session_list.addStretch(1)
        self.session_scroll = QScrollArea()
        self.session_scroll.setObjectName("event_sessions_scroll")
        self.session_scroll.setWidgetResizable(True)
        self.session_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.session_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.session_scroll.setWidget(holder)
        box.addWidget(self.session_scroll)
        buttons = QHBoxLayout()
        self.add_session = QPushButton()
        self.add_session.setObjectName("event_add_session")
        self.add_session.clicked.connect(lambda: self._add(SessionInput(), focus=True))
        self.repeat_count = QSpinBox()
        self.repeat_count.setObjectName("event_repeat_count")
        self.repeat_count.setRange(2, 30)
        self.repeat_count.setValue(max(2, len(data.sessions)) if data.sessions else 6)
        self.repeat_label = QLabel()
        self.repeat_label.setBuddy(self.repeat_count)
        self.repeat = QPushButton()
        self.repeat.setObjectName("event_repeat_weekly")
        self.repeat.clicked.connect(self._repeat_weekly)
        for w in (self.add_session, self.repeat_label, self.repeat_count, self.repeat):
            buttons.addWidget(w)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.layout_.addWidget(self.sessions_box)
        self.rows_: list[SessionRowWidget] = []
        for s in data.sessions or (SessionInput(),):
            self._add(s)
        self.point.currentIndexChanged.connect(self._point_changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.finish_layout()
        self.retranslate()
        self._kind_changed()

    def _row(self, name: str, widget: QWidget) -> None:
        self.add_row(FIELDS[name], widget, f"event_{name}")
        self.widgets[name] = widget

    def _rooms(self) -> list[RoomRow]:
        return self.choices.rooms.get(self.point.currentData() or "", [])

    def _add(self, data: SessionInput, focus: bool = False) -> None:
        row = SessionRowWidget(len(self.rows_) + 1, data, self._rooms(), self._remove)
        self.rows_.append(row)
        self.session_list.insertWidget(len(self.rows_) - 1, row)
        self._fit_sessions()
        if focus:
            self.session_scroll.ensureWidgetVisible(row)
        if focus:
            row.day.setFocus()

    def _remove(self, row: SessionRowWidget) -> None:
        if len(self.rows_) == 1:  # one session stays: clear it instead
            row.day.clear()
            row.start.clear()
            row.end.clear()
            row.day.setFocus()
            return
        index = self.rows_.index(row)
        self.rows_.remove(row)
        row.setParent(None)
        row.deleteLater()
        for n, r in enumerate(self.rows_, 1):
            r.set_number(n)
        self._fit_sessions()
        self.rows_[min(index, len(self.rows_) - 1)].day.setFocus()

    def _fit_sessions(self) -> None:
        """Room for up to five sessions; more scroll."""
        height = self.rows_[0].sizeHint().height() + max(0, self.session_list.spacing()) \
            if self.rows_ else 0
        self.session_scroll.setFixedHeight(height * min(max(len(self.rows_), 1), 5) + 4)

    def _repeat_weekly(self) -> None:
        """N sessions a week apart at the first one's time and room."""
        first = self.rows_[0]
        try:
            start = parse_date(first.day.text())
        except ValueError:
            start = None
        if start is None:
            self.show_error(_("Give the first session's day first."))
            first.day.setFocus()
            return
        self.error.show_message("")
        value = first.value()
        while len(self.rows_) > 1:
            row = self.rows_.pop()
            row.setParent(None)
            row.deleteLater()
        for n in range(1, self.repeat_count.value()):
            day = start + timedelta(weeks=n)
            self._add(SessionInput(day=input_day(day), start=value.start, end=value.end,
                                   room_id=value.room_id))

    def _point_changed(self) -> None:
        for row in self.rows_:
            row.set_rooms(self._rooms(), "")

    def _kind_changed(self) -> None:
        series = self.kind.currentData() == EventKind.GROUP_COACHING.value
        for w in (self.repeat_label, self.repeat_count, self.repeat):
            w.setVisible(series)

    def retranslate(self) -> None:
        self.setWindowTitle(_("New event") if self.new else _("Edit the event"))
        self.retranslate_rows()
        for i in range(self.kind.count()):
            self.kind.setItemText(i, kind_label(self.kind.itemData(i)))
        for i, (_code, text) in enumerate(EVENT_LANGUAGES):
            self.language.setItemText(i, _(text))
        self.employer.setItemText(0, _("No employer"))
        self.capacity.setPlaceholderText(_("No limit"))
        self.online_link.setPlaceholderText("https://")
        self.external.setPlaceholderText(_("e.g. a staffing agency or a partner"))
        self.sessions_box.setTitle(_("Sessions"))
        self.add_session.setText(_("&Add session"))
        self.add_session.setAccessibleName(_("Add session"))
        self.repeat_label.setText(_("Repeat &weekly, times:"))
        self.repeat_count.setAccessibleName(_("Repeat weekly, times"))
        self.repeat.setText(_("Make weekly sessio&ns"))
        for row in self.rows_:
            row.set_number(row.n)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Save"))
        ok.setObjectName("event_save")
        ok.setAccessibleName(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def value(self) -> EventInput:
        return EventInput(
            service_point_id=self.point.currentData() or "", kind=self.kind.currentData(),
            title=self.title.text(), description=self.description.toPlainText(),
            language=self.language.currentData(), capacity=self.capacity.text(),
            target_groups=checked_codes(self.groups),
            organiser_ids=checked_codes(self.organisers),
            external_organisers=self.external.text(),
            employer_id=self.employer.currentData() or "",
            online_link=self.online_link.text(), annual=self.annual.isChecked(),
            sessions=tuple(row.value() for row in self.rows_))

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each refused field by its label; the first takes the focus."""
        lines, first = [], None
        for name, msgid in errors.items():
            if name.startswith("session:"):
                n = int(name.split(":", 1)[1]) if name.split(":", 1)[1].isdigit() else 1
                lines.append(_("Session {n}: {error}").format(n=n, error=_(msgid)))
                widget: QWidget | None = self.rows_[min(n, len(self.rows_)) - 1].day
            elif name in FIELDS:
                lines.append(f"{_(FIELDS[name]).replace('&', '')}: {_(msgid)}")
                widget = self.widgets[name]
            elif name == "sessions":
                lines.append(f"{_('Sessions')}: {_(msgid)}")
                widget = self.rows_[0].day
            else:
                lines.append(_(msgid))
                widget = None
            first = first or widget
        self.show_error("\n".join(lines))
        if first is not None:
            first.setFocus()


def detail_input(detail: EventDetail) -> EventInput:
    """An event as the form shows it for editing."""
    row = detail.row
    return EventInput(
        service_point_id=row.service_point_id, kind=row.kind, title=row.title,
        description=detail.description, language=row.language,
        capacity="" if row.capacity is None else str(row.capacity),
        target_groups=detail.target_groups, organiser_ids=detail.organiser_ids,
        external_organisers=detail.external_organisers, employer_id=detail.employer_id or "",
        online_link=detail.online_link, annual=row.annual,
        sessions=tuple(SessionInput(
            day=input_day(to_local(s.starts_at).date()),
            start=to_local(s.starts_at).strftime("%H:%M"),
            end=to_local(s.ends_at).strftime("%H:%M"), room_id=s.room_id or "",
            online_link=s.online_link if s.online_link != detail.online_link else "",
            session_id=s.id)
            for s in detail.sessions if not s.cancelled))


class InviteDialog(QDialog):
    """Whom to invite: the filter, then the candidates (the ones already on the list
    shown greyed and not choosable), then "Invite N"."""

    def __init__(self, search: Callable[[InviteFilter], None], my_id: str, may_all: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("invite_dialog")
        self.search_fn, self.my_id = search, my_id
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.caseload = QComboBox()
        self.caseload.setObjectName("invite_caseload")
        self.caseload.addItem("", my_id)
        if may_all:
            self.caseload.addItem("", "")
        self.language = QComboBox()
        self.language.setObjectName("invite_language")
        self.language.addItem("", "")
        for code, _text in EVENT_LANGUAGES:
            self.language.addItem("", code)
        self.min_days = QSpinBox()
        self.min_days.setObjectName("invite_min_days")
        self.min_days.setRange(0, 9999)
        self.no_plan = QCheckBox()
        self.no_plan.setObjectName("invite_no_plan")
        self.groups = _checklist("invite_groups", [(g.value, group_label(g.value)) for g in Group],
                                 (), 6)
        self.labels = [QLabel() for _i in range(4)]
        for i, (lbl, w) in enumerate(zip(self.labels, (self.caseload, self.language,
                                                       self.min_days, self.groups),
                                         strict=True)):
            lbl.setBuddy(w)
            grid.addWidget(lbl, i, 0)
            grid.addWidget(w, i, 1)
        grid.addWidget(self.no_plan, 4, 1)
        layout.addLayout(grid)
        self.find_button = QPushButton()
        self.find_button.setObjectName("invite_search")
        self.find_button.clicked.connect(self._search)
        layout.addWidget(self.find_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.count = QLabel()
        layout.addWidget(self.count)
        self.candidates = QListWidget()
        self.candidates.setObjectName("invite_candidates")
        self.candidates.itemChanged.connect(self._count)
        layout.addWidget(self.candidates, 1)
        self.error = FieldError()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.invite = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.invite.setObjectName("invite_ok")
        self.invite.setEnabled(False)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.submit_handler: Callable[[tuple[str, ...]], None] | None = None
        layout.addStrut(480)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Invite customers"))
        texts = (_("&Whose customers"), _("&Language"), _("At least &days unemployed"),
                 _("&Groups"))
        for lbl, text in zip(self.labels, texts, strict=True):
            lbl.setText(text)
            lbl.buddy().setAccessibleName(text.replace("&", ""))
        self.caseload.setItemText(0, _("My caseload"))
        if self.caseload.count() > 1:
            self.caseload.setItemText(1, _("Everyone I may see"))
        self.language.setItemText(0, _("Any language"))
        for i, (_code, text) in enumerate(EVENT_LANGUAGES, 1):
            self.language.setItemText(i, _(text))
        self.no_plan.setText(_("Only those &without a valid plan"))
        self.find_button.setText(_("&Find customers"))
        self.candidates.setAccessibleName(_("Customers to invite"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self._count()

    def value(self) -> InviteFilter:
        return InviteFilter(coach_id=self.caseload.currentData() or "",
                            groups=checked_codes(self.groups),
                            language=self.language.currentData() or "",
                            min_days_unemployed=self.min_days.value() or None,
                            without_valid_plan=self.no_plan.isChecked())

    def _search(self) -> None:
        self.error.show_message("")
        self.search_fn(self.value())

    def show_candidates(self, rows: list[InviteCandidate]) -> None:
        self.candidates.blockSignals(True)
        self.candidates.clear()
        for c in rows:
            days = "" if c.days_unemployed is None else " · " + ngettext(
                "{n} day unemployed", "{n} days unemployed", c.days_unemployed).format(
                n=c.days_unemployed)
            text = f"{c.name} ({c.customer_number}){days}"
            if c.already_on_list:
                text += " · " + _("already on the list")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, c.customer_id)
            if c.already_on_list:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            self.candidates.addItem(item)
        self.candidates.blockSignals(False)
        if self.candidates.count():
            self.candidates.setCurrentRow(0)
        self.count.setText(ngettext("{n} customer found.", "{n} customers found.",
                                    len(rows)).format(n=len(rows)))
        self._count()

    def chosen(self) -> tuple[str, ...]:
        return checked_codes(self.candidates)

    def _count(self) -> None:
        n = len(self.chosen())
        self.invite.setText(ngettext("&Invite {n}", "&Invite {n}", n).format(n=n))
        self.invite.setAccessibleName(self.invite.text().replace("&", ""))
        self.invite.setEnabled(n > 0)

    def _submit(self) -> None:
        if self.submit_handler is None or not self.chosen():
            return
        self.invite.setEnabled(False)
        self.submit_handler(self.chosen())

    def show_error(self, text: str) -> None:
        self.error.show_message(text)
        self._count()


class ThemeDialog(FormDialog):
    """A theme of a month of the annual calendar, area-wide or one point's."""

    def __init__(self, data: ThemeInput, points: Choices, new: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__("theme_dialog", parent)
        from app.i18n import current_language
        from app.printing.annual_calendar import month_name

        self.new = new
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(int(data.year) if data.year.isdigit() else 2000)
        self.add_row(N_("&Year"), self.year, "theme_year")
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(month_name(m, current_language()), m)
        self.month.setCurrentIndex(int(data.month) - 1 if data.month.isdigit() else 0)
        self.add_row(N_("&Month"), self.month, "theme_month")
        self.title = QLineEdit(data.title)
        self.title.setMaxLength(200)
        self.add_row(N_("&Theme"), self.title, "theme_title")
        self.description = _text_edit(data.description, 2)
        self.add_row(N_("&Description"), self.description, "theme_description")
        self.point = QComboBox()
        self.point.addItem("", "")
        for pid, name in points:
            self.point.addItem(name, pid)
        self.point.setCurrentIndex(max(0, self.point.findData(data.service_point_id)))
        self.add_row(N_("Service &point"), self.point, "theme_point")
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New theme") if self.new else _("Edit the theme"))
        self.retranslate_rows()
        self.point.setItemText(0, _("The whole area"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def value(self) -> ThemeInput:
        return ThemeInput(year=str(self.year.value()), month=str(self.month.currentData()),
                          title=self.title.text(), description=self.description.toPlainText(),
                          service_point_id=self.point.currentData() or "")

    def show_errors(self, errors: dict[str, str]) -> None:
        self.show_error("\n".join(_(m) for m in errors.values()))


def theme_input(row: ThemeRow) -> ThemeInput:
    return ThemeInput(year=str(row.year), month=str(row.month), title=row.title,
                      description=row.description, service_point_id=row.service_point_id or "")


class ReasonDialog(FormDialog):
    """Why the event is cancelled (kept with the event)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("event_cancel_dialog", parent)
        self.reason = _text_edit("", 2)
        self.add_row(N_("&Reason"), self.reason, "event_cancel_reason")
        self.note = QLabel()
        self.note.setWordWrap(True)
        style.secondary(self.note)
        self.layout_.addWidget(self.note)
        self.finish_layout()
        self.setWindowTitle(_("Cancel the event"))
        self.retranslate_rows()
        self.note.setText(_("The participants are not told automatically: call or write "
                            "to those registered."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Cancel the &event"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("&Keep it"))
