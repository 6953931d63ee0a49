"""A customer's multi-professional meeting (#24), opened from the card's Appointments:
who takes part (partner people with the customer's consent state said in words, and
staff), who attended, an invitation letter to each participant (saved or printed the way
every letter is), the minute recorded into the customer's multi-professional plan, and
the follow-up tasks, each to a named participant with its due day.

Every change is saved at once through the meeting service, which checks the consent
again (and records the sharing or the refusal); the dialog then shows the meeting anew."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.dto.meetings import MeetingRow, ParticipantRow, TaskRow
from app.i18n import N_, _, format_date, format_datetime, format_time, ngettext
from app.rules import plan_vocabulary as vocab
from app.rules.codes import AppointmentStatus, Channel
from app.services.errors import ValidationFailed
from app.services.partners import ConsentRefused
from app.views import file_dialogs, style
from app.views.common import ColumnFitter, FieldError, icon, label, language_label, list_table
from app.views.operations import QueryOp, WriteOp
from app.views.pdf_printer import print_pdf
from app.views.plans.fields import DateEdit
from app.views.plans.participants import (
    Directory,
    PartnerPersonPicker,
    StaffPicker,
    load_directory,
)
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.registry import Services

PARTICIPANT_COLUMNS = (N_("Name"), N_("Organisation"), N_("Role"), N_("Consent"),
                       N_("Invited"), N_("Attended"))
TASK_COLUMNS = (N_("For"), N_("Task"), N_("Due"), N_("Done on"))


def attendance_text(attended: bool | None) -> str:
    if attended is None:
        return ""
    return _("Attended") if attended else _("Did not attend")


def consent_text(p: ParticipantRow) -> str:
    """A partner person's consent state in words (a sign besides any colour)."""
    if p.kind != "partner":
        return _("Staff member")
    if p.consent_refusal is None:
        return "✓ " + _("Consent in force")
    return "⚠ " + _(p.consent_refusal)


def participant_cells(p: ParticipantRow) -> list[str]:
    organisation = p.organisation + (f" ({p.title})" if p.title else "")
    return [p.name, organisation, p.role or "", consent_text(p),
            format_date(p.invited_at) if p.invited_at else "", attendance_text(p.attended)]


def task_cells(t: TaskRow) -> list[str]:
    due = format_date(t.due_on) if t.due_on else ""
    if t.overdue:
        due = f"‼ {due} " + _("overdue")
    return [t.participant_name, t.text, due, format_date(t.done_on) if t.done_on else ""]


def meeting_summary(m: MeetingRow) -> str:
    """"Virtanen, Matti · 14.12.2026 10.00–11.00 · Rovaniemi – Osaamo · …"."""
    when = f"{format_datetime(m.starts_at)}–{format_time(m.ends_at)}"
    parts = [m.customer_name, when, m.service_point_name,
             _("Coach: {name}").format(name=m.staff_name), label(Channel(m.channel)),
             label(AppointmentStatus(m.status))]
    return " · ".join(p for p in parts if p)


class MeetingDialog(QDialog):
    plan_requested = Signal(str, str)  # customer id, plan version id: open the plan

    def __init__(self, services: Services, runner: TaskRunner, appointment_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meeting_dialog")
        self.services, self.runner, self.appointment_id = services, runner, appointment_id
        self.meeting: MeetingRow | None = None
        self.directory = Directory()
        self.version_id: str | None = None
        self.setSizeGripEnabled(True)
        outer = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("meeting_title")
        style.title(self.title)
        self.summary = QLabel()
        self.summary.setObjectName("meeting_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.title)
        outer.addWidget(self.summary)
        # Two tabs, each the dialog's whole width: the tables' columns need it at the
        # largest text size.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("meeting_tabs")
        self.tabs.addTab(self._build_participants(), "")
        work = QWidget()
        work_layout = QVBoxLayout(work)
        work_layout.addWidget(self._build_minute(), 2)
        work_layout.addWidget(self._build_tasks(), 3)
        self.tabs.addTab(work, "")
        outer.addWidget(self.tabs, 1)
        self.message = QLabel()
        self.message.setObjectName("meeting_message")
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.setObjectName("meeting_buttons")
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        # As large as its text needs (the text size is a setting), within the screen.
        fm = self.fontMetrics()
        wanted = QSize(fm.averageCharWidth() * 120, fm.lineSpacing() * 38)
        available = self.screen().availableGeometry().size()
        self.resize(wanted.boundedTo(available) if available.width() > 1000 else wanted)
        self.retranslate()
        self._update()

    # --- building ---------------------------------------------------------------------

    def _button(self, name: str, icon_name: str, handler: Callable[[], Any]) -> QPushButton:
        button = QPushButton()
        button.setObjectName(f"meeting_{name}")
        button.setIcon(icon(icon_name, self))
        button.clicked.connect(handler)
        return button

    def _build_participants(self) -> QGroupBox:
        box = self.participants_box = QGroupBox()
        box.setObjectName("meeting_participants")
        layout = QVBoxLayout(box)
        self.participants_model = SimpleTableModel(PARTICIPANT_COLUMNS, participant_cells, self)
        self.participants = list_table("meeting_participants_table", self.participants_model)
        self.participants_fitter = ColumnFitter(self.participants)  # no sideways scrolling
        self.participants.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        layout.addWidget(self.participants, 1)
        actions = QHBoxLayout()
        self.attended = self._button("attended", "mdi6.account-check-outline",
                                     lambda: self.set_attended(True))
        self.absent = self._button("absent", "mdi6.account-remove-outline",
                                   lambda: self.set_attended(False))
        self.letter = self._button("letter", "mdi6.email-newsletter", lambda: None)
        self.letter_menu = QMenu(self.letter)
        self.letter_save = self.letter_menu.addAction("")
        self.letter_save.triggered.connect(self.save_letter)
        self.letter_print = self.letter_menu.addAction("")
        self.letter_print.triggered.connect(self.print_letter)
        self.letter.setMenu(self.letter_menu)
        self.letter_language = QComboBox()
        self.letter_language.setObjectName("meeting_letter_language")
        for code in vocab.PRINT_LANGUAGES:
            self.letter_language.addItem("", code)
        self.remove = self._button("remove", "mdi6.account-minus-outline",
                                   self.remove_participant)
        # Two short rows (never wider than the narrowest screen at the largest text).
        for widget in (self.attended, self.absent):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.remove)
        layout.addLayout(actions)
        letters = QHBoxLayout()
        letters.addWidget(self.letter)
        letters.addWidget(self.letter_language)
        letters.addStretch(1)
        layout.addLayout(letters)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.partner_label, self.staff_label, self.role_label = QLabel(), QLabel(), QLabel()
        self.partner = PartnerPersonPicker("meeting_partner_person")
        self.partner.combo.setMinimumContentsLength(16)
        self.partner.combo.setSizePolicy(QSizePolicy.Policy.Expanding,
                                         QSizePolicy.Policy.Fixed)
        self.partner.changed.connect(self._update)
        self.staff = StaffPicker("meeting_staff_member")
        self.staff.setMinimumContentsLength(16)
        self.staff.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.staff.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.staff.currentIndexChanged.connect(lambda _i: self._update())
        self.role = QLineEdit()
        self.role.setObjectName("meeting_participant_role")
        self.role.setMaxLength(200)
        self.add_partner = self._button("add_partner", "mdi6.account-plus-outline",
                                        self.add_partner_person)
        self.add_staff = self._button("add_staff", "mdi6.account-tie-outline",
                                      self.add_staff_member)
        # Each choice with its button under it, at the right.
        partner_row = QVBoxLayout()
        partner_row.setSpacing(2)
        partner_row.addWidget(self.partner)
        partner_row.addWidget(self.add_partner, 0, Qt.AlignmentFlag.AlignRight)
        staff_row = QVBoxLayout()
        staff_row.setSpacing(2)
        staff_row.addWidget(self.staff)
        staff_row.addWidget(self.add_staff, 0, Qt.AlignmentFlag.AlignRight)
        self.partner_label.setBuddy(self.partner.combo)
        self.staff_label.setBuddy(self.staff)
        self.role_label.setBuddy(self.role)
        form.addRow(self.role_label, self.role)
        form.addRow(self.partner_label, partner_row)
        form.addRow(self.staff_label, staff_row)
        self.add_heading = QLabel()
        style.heading(self.add_heading)
        layout.addWidget(self.add_heading)
        layout.addLayout(form)
        self.participant_error = FieldError()
        self.participant_error.setObjectName("meeting_participant_error")
        layout.addWidget(self.participant_error)
        return box

    def _build_minute(self) -> QGroupBox:
        box = self.minute_box = QGroupBox()
        box.setObjectName("meeting_minute_box")
        layout = QVBoxLayout(box)
        self.minute = QPlainTextEdit()
        self.minute.setObjectName("meeting_minute")
        self.minute.setTabChangesFocus(True)
        self.minute.textChanged.connect(self._update)
        layout.addWidget(self.minute, 1)
        self.minute_error = FieldError()
        self.minute_error.setObjectName("meeting_minute_error")
        layout.addWidget(self.minute_error)
        row = QHBoxLayout()
        self.record = self._button("record_minute", "mdi6.file-document-edit-outline",
                                   self.record_minute)
        self.open_plan = self._button("open_plan", "mdi6.file-document-outline",
                                      self._open_plan)
        row.addWidget(self.record)
        row.addWidget(self.open_plan)
        row.addStretch(1)
        layout.addLayout(row)
        self.minute_state = QLabel()
        self.minute_state.setObjectName("meeting_minute_state")
        self.minute_state.setWordWrap(True)
        style.secondary(self.minute_state)
        layout.addWidget(self.minute_state)
        return box

    def _build_tasks(self) -> QGroupBox:
        box = self.tasks_box = QGroupBox()
        box.setObjectName("meeting_tasks")
        layout = QVBoxLayout(box)
        self.tasks_model = SimpleTableModel(TASK_COLUMNS, task_cells, self)
        self.tasks = list_table("meeting_tasks_table", self.tasks_model)
        self.tasks_fitter = ColumnFitter(self.tasks)
        self.tasks.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        layout.addWidget(self.tasks, 1)
        self.task_done = self._button("task_done", "mdi6.check", self.toggle_task_done)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        done_row.addWidget(self.task_done)
        layout.addLayout(done_row)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.task_for_label, self.task_text_label, self.task_due_label = (
            QLabel(), QLabel(), QLabel())
        self.task_for = QComboBox()
        self.task_for.setObjectName("meeting_task_for")
        self.task_for.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.task_for.setMinimumContentsLength(16)
        self.task_for.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.task_text = QLineEdit()
        self.task_text.setObjectName("meeting_task_text")
        self.task_text.setMaxLength(2000)
        self.task_text.textChanged.connect(self._update)
        self.task_text.returnPressed.connect(self.add_task)
        self.task_due = DateEdit()
        self.task_due.setObjectName("meeting_task_due")
        self.add_task_button = self._button("add_task", "mdi6.plus", self.add_task)
        due_row = QHBoxLayout()
        due_row.addWidget(self.task_due)
        due_row.addStretch(1)
        due_row.addWidget(self.add_task_button)
        for lbl, widget, field in ((self.task_for_label, self.task_for, self.task_for),
                                   (self.task_text_label, self.task_text, self.task_text),
                                   (self.task_due_label, due_row, self.task_due)):
            lbl.setBuddy(field)
            form.addRow(lbl, widget)
        layout.addLayout(form)
        self.task_error = FieldError()
        self.task_error.setObjectName("meeting_task_error")
        layout.addWidget(self.task_error)
        return box

    def retranslate(self) -> None:
        self.setWindowTitle(_("Multi-professional meeting"))
        self.title.setText(_("Multi-professional meeting"))
        if self.meeting is not None:
            self.summary.setText(meeting_summary(self.meeting))
        self.tabs.setTabText(0, _("Participants ({n})").format(n=len(
            self.meeting.participants) if self.meeting else 0))
        self.tabs.setTabText(1, _("Minute and follow-up tasks"))
        self.participants.setAccessibleName(_("Participants of the meeting"))
        self.add_heading.setText(_("Add a participant"))
        for button, text, name in (
            (self.attended, _("A&ttended"), _("Mark the participant attended")),
            (self.absent, _("Did &not attend"), _("Mark the participant absent")),
            (self.letter, _("&Invitation letter"), _("Invitation letter to the participant")),
            (self.remove, _("Re&move"), _("Remove the participant from the meeting")),
            (self.add_partner, _("Add the &partner person"), _("Add the partner person")),
            (self.add_staff, _("Add the &staff member"), _("Add the staff member")),
            (self.record, _("&Record the minute into the plan"),
             _("Record the minute into the plan")),
            (self.open_plan, _("Open the p&lan"), _("Open the multi-professional plan")),
            (self.task_done, _("Mark &done"), _("Mark the task done")),
            (self.add_task_button, _("Add the tas&k"), _("Add the task")),
        ):
            button.setText(text)
            button.setAccessibleName(name)
        self.letter_save.setText(_("&Save as PDF…"))
        self.letter_print.setText(_("&Print…"))
        self.letter_language.setAccessibleName(_("Language of the letter"))
        self.letter_language.setToolTip(_("Language of the letter"))
        for i in range(self.letter_language.count()):
            self.letter_language.setItemText(i, language_label(self.letter_language.itemData(i)))
        self.role_label.setText(_("R&ole in the meeting"))
        self.role.setAccessibleName(_("Role in the meeting"))
        self.role.setPlaceholderText(_("For example: the customer's social worker"))
        self.partner_label.setText(_("Partner p&erson"))
        self.staff_label.setText(_("Staff mem&ber"))
        self.partner.retranslate()
        self.staff.retranslate()
        self.minute_box.setTitle(_("Minute"))
        self.minute.setAccessibleName(_("Minute of the meeting"))
        self.minute.setPlaceholderText(_("What was agreed: goals, who does what, by when."))
        self.tasks_box.setTitle(_("Follow-up tasks"))
        self.tasks.setAccessibleName(_("Follow-up tasks"))
        self.task_for_label.setText(_("&For"))
        self.task_for.setAccessibleName(_("Task for"))
        self.task_text_label.setText(_("T&ask"))
        self.task_text.setAccessibleName(_("Task"))
        self.task_due_label.setText(_("D&ue"))
        self.task_due.setAccessibleName(_("Task due"))
        self.task_due.retranslate()
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.participants_model.retranslate()
        self.tasks_model.retranslate()
        self._show_minute_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- loading ----------------------------------------------------------------------

    def load(self) -> None:
        """The meeting, the registers and the customer's consent state."""
        services, appointment_id = self.services, self.appointment_id

        def read() -> tuple[MeetingRow, Directory]:
            meeting = services.meetings.meeting(appointment_id)
            return meeting, load_directory(services, meeting.customer_id)

        def shown(found: tuple[MeetingRow, Directory]) -> None:
            meeting, self.directory = found
            self.say("")
            self.show_meeting(meeting, minute=True)

        self.say(_("Loading…"))
        QueryOp(self.runner, self, read, success=shown).latest("meeting").run_in_background()

    def reload(self, then: Callable[[], None] | None = None) -> None:
        def shown(meeting: MeetingRow) -> None:
            self.show_meeting(meeting)
            if then is not None:
                then()

        QueryOp(self.runner, self, lambda: self.services.meetings.meeting(self.appointment_id),
                success=shown).latest("meeting").run_in_background()

    def show_meeting(self, meeting: MeetingRow, minute: bool = False) -> None:
        self.meeting = meeting
        self.summary.setText(meeting_summary(meeting))
        chosen = self.selected_participant()
        self.participants_model.set_rows(list(meeting.participants))
        self._select(self.participants, [p.id for p in meeting.participants],
                     chosen.id if chosen else None)
        task = self.selected_task()
        self.tasks_model.set_rows(list(meeting.tasks))
        self._select(self.tasks, [t.id for t in meeting.tasks], task.id if task else None)
        taken = {p.person_id for p in meeting.participants}
        self.partner.set_directory(self.directory, taken)
        self.staff.set_staff(self.directory.staff, taken)
        current = self.task_for.currentData()
        self.task_for.clear()
        for p in meeting.participants:
            self.task_for.addItem(f"{p.name} – {p.organisation}" if p.organisation else p.name,
                                  p.id)
        self.task_for.setCurrentIndex(max(0, self.task_for.findData(current)))
        if minute:
            self.minute.setPlainText(meeting.minute or "")
        self.version_id = meeting.plan_version_id
        self._show_minute_state()
        self.tabs.setTabText(0, _("Participants ({n})").format(n=len(meeting.participants)))
        self._update()

    @staticmethod
    def _select(table: Any, ids: list[str], chosen: str | None) -> None:
        if not ids:
            return
        table.selectRow(ids.index(chosen) if chosen in ids else 0)

    def selected_participant(self) -> ParticipantRow | None:
        index = self.participants.currentIndex()
        return self.participants_model.row_at(index.row()) if index.isValid() else None

    def selected_task(self) -> TaskRow | None:
        index = self.tasks.currentIndex()
        return self.tasks_model.row_at(index.row()) if index.isValid() else None

    def _update(self) -> None:
        chosen = self.selected_participant()
        loaded = self.meeting is not None
        for button in (self.attended, self.absent, self.remove):
            button.setEnabled(chosen is not None)
        self.attended.setEnabled(chosen is not None and chosen.attended is not True)
        self.absent.setEnabled(chosen is not None and chosen.attended is not False)
        # A partner person's letter names the customer: only with the consent in force.
        letter_ok = chosen is not None and chosen.consent_refusal is None
        self.letter.setEnabled(letter_ok)
        self.letter_language.setEnabled(letter_ok)
        self.add_partner.setEnabled(loaded and self.partner.allowed())
        self.add_staff.setEnabled(loaded and self.staff.member() is not None)
        self.record.setEnabled(loaded and bool(self.minute.toPlainText().strip()))
        self.open_plan.setEnabled(self.version_id is not None)
        self.add_task_button.setEnabled(loaded and self.task_for.count() > 0
                                        and bool(self.task_text.text().strip()))
        task = self.selected_task()
        self.task_done.setEnabled(task is not None)
        self.task_done.setText(_("Not &done") if task is not None and task.done_on
                               else _("Mark &done"))
        self.task_done.setAccessibleName(
            _("Mark the task not done") if task is not None and task.done_on
            else _("Mark the task done"))

    def _show_minute_state(self) -> None:
        self.minute_state.setText(
            _("The minute is in the customer's multi-professional plan.")
            if self.version_id else
            _("Recording writes the minute and the participants with consent into the "
              "draft of the customer's multi-professional plan."))

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_error(self, text: str) -> None:
        self.say("⚠ " + text if text else "")

    # --- participants -----------------------------------------------------------------

    def add_partner_person(self) -> None:
        person = self.partner.person()
        if person is None:
            return
        if not self.partner.allowed():  # said beside the choice; never sent
            self.participant_error.show_message(_(self.partner.refusal() or ""))
            return
        meetings, role = self.services.meetings, self.role.text()
        self.participant_error.show_message("")

        def added(row: ParticipantRow) -> None:
            self.role.clear()
            self.say(_("{name} takes part in the meeting.").format(name=row.name))
            self.reload(self.partner.combo.setFocus)

        WriteOp(self.runner, self, lambda: meetings.add_partner(self.appointment_id,
                                                                 person.id, role),
                success=added) \
            .on(ConsentRefused, self._refused) \
            .on(ValidationFailed, self._participant_errors).run_in_background()

    def _refused(self, exc: ConsentRefused) -> None:
        """The consent was withdrawn meanwhile (another desk): the reason in words, and
        the consent state shown again."""
        self.participant_error.show_message(exc.text())
        self.load()

    def _participant_errors(self, exc: ValidationFailed) -> None:
        self.participant_error.show_message("  ".join(_(m) for m in exc.errors.values()))

    def add_staff_member(self) -> None:
        member = self.staff.member()
        if member is None:
            return
        meetings, role = self.services.meetings, self.role.text()
        self.participant_error.show_message("")

        def added(row: ParticipantRow) -> None:
            self.role.clear()
            self.say(_("{name} takes part in the meeting.").format(name=row.name))
            self.reload(self.staff.setFocus)

        WriteOp(self.runner, self, lambda: meetings.add_staff(self.appointment_id,
                                                               member.id, role),
                success=added).on(ValidationFailed, self._participant_errors) \
            .run_in_background()

    def remove_participant(self) -> None:
        chosen = self.selected_participant()
        if chosen is None:
            return
        meetings = self.services.meetings

        def removed(_none: object) -> None:
            self.say(_("{name} no longer takes part in the meeting.").format(name=chosen.name))
            self.reload(self.participants.setFocus)

        WriteOp(self.runner, self, lambda: meetings.remove_participant(chosen.id),
                success=removed).run_in_background()

    def set_attended(self, attended: bool) -> None:
        chosen = self.selected_participant()
        if chosen is None:
            return
        meetings = self.services.meetings
        WriteOp(self.runner, self, lambda: meetings.set_attended(chosen.id, attended),
                success=lambda _row: self.reload(self.participants.setFocus)) \
            .run_in_background()

    # --- the invitation letter ----------------------------------------------------------

    def _letter(self, then: Callable[[bytes], None]) -> None:
        """The letter from the database (the consent checked again, the sharing
        recorded), then `then(pdf)`."""
        chosen = self.selected_participant()
        if chosen is None:
            return
        meetings, lang = self.services.meetings, self.letter_language.currentData()

        def made(data: bytes) -> None:
            then(data)
            self.reload()  # "invited" shows the day

        self.say(_("Preparing the letter…"))
        WriteOp(self.runner, self, lambda: meetings.invitation_letter(chosen.id, lang),
                success=made).on(ConsentRefused, self._refused).run_in_background()

    def save_letter(self) -> None:
        chosen, meeting = self.selected_participant(), self.meeting
        if chosen is None or meeting is None:
            return
        name = file_dialogs.file_name(chosen.name, _("Invitation letter"),
                                      day=meeting.starts_at.date(), suffix="pdf")
        path = file_dialogs.ask_save_path(self, _("Save the invitation letter as PDF"), name,
                                          _("PDF documents (*.pdf)"))
        if path is None:
            return

        def write(data: bytes) -> None:
            def work() -> Path:
                path.write_bytes(data)
                return path

            QueryOp(self.runner, self, work,
                    success=lambda p: self.say(_("Saved as {path}").format(path=p))) \
                .in_io_pool().run_in_background()

        self._letter(write)

    def print_letter(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return
        folder = Path(tempfile.mkdtemp(prefix="letter-"))

        def sent(pages: int) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.say(ngettext("Sent {n} page to the printer.", "Sent {n} pages to the printer.",
                              pages).format(n=pages))

        def failed(text: str) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.say("⚠ " + _("Printing failed: {error}").format(error=text))

        def send(data: bytes) -> None:
            def work() -> int:
                path = folder / "letter.pdf"
                path.write_bytes(data)
                return print_pdf(path, printer)

            QueryOp(self.runner, self, work, success=sent).errors_to(failed) \
                .in_io_pool().run_in_background()

        self._letter(send)

    # --- the minute -----------------------------------------------------------------------

    def record_minute(self) -> None:
        meetings, text = self.services.meetings, self.minute.toPlainText()
        self.minute_error.show_message("")

        def recorded(version_id: str) -> None:
            self.version_id = version_id
            self.say(_("The minute is recorded into the plan's draft, with the participants "
                       "the customer's consent covers."))
            self.reload(self.open_plan.setFocus)

        WriteOp(self.runner, self, lambda: meetings.record_minute(self.appointment_id, text),
                success=recorded) \
            .on(ValidationFailed, lambda exc: self.minute_error.show_message(
                "  ".join(_(m) for m in exc.errors.values()))).run_in_background()

    def _open_plan(self) -> None:
        if self.meeting is not None and self.version_id is not None:
            self.plan_requested.emit(self.meeting.customer_id, self.version_id)
            self.accept()

    # --- follow-up tasks ----------------------------------------------------------------

    def add_task(self) -> None:
        participant_id, text = self.task_for.currentData(), self.task_text.text()
        if not participant_id or not text.strip():
            return
        if self.task_due.invalid:
            self.task_error.show_message(_("Use the form d.m.yyyy, for example 12.3.2027."))
            return
        due: date | None = self.task_due.date()
        meetings = self.services.meetings
        self.task_error.show_message("")

        def added(_row: TaskRow) -> None:
            self.task_text.clear()
            self.task_due.clear()
            self.reload(self.task_text.setFocus)

        WriteOp(self.runner, self,
                lambda: meetings.add_task(self.appointment_id, participant_id, text, due),
                success=added) \
            .on(ValidationFailed, lambda exc: self.task_error.show_message(
                "  ".join(_(m) for m in exc.errors.values()))).run_in_background()

    def toggle_task_done(self) -> None:
        task = self.selected_task()
        if task is None:
            return
        meetings = self.services.meetings
        done_on = None if task.done_on else self.services.session.today()
        WriteOp(self.runner, self, lambda: meetings.set_task_done(task.id, done_on),
                success=lambda _row: self.reload(self.tasks.setFocus)).run_in_background()


def open_meeting(services: Services, runner: TaskRunner, appointment_id: str,
                 parent: QWidget, open_plan: Callable[[str, str], None]) -> MeetingDialog:
    """The meeting dialog over `parent`, loading; "Open the plan" calls `open_plan`."""
    dialog = MeetingDialog(services, runner, appointment_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.plan_requested.connect(open_plan)
    dialog.open()
    dialog.load()
    return dialog
