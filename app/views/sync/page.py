"""SyncPage: conflicts side by side for a worker to settle, and rejected changes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, format_datetime, format_number, ngettext
from app.services.sync import ConflictRow, OthersWaiting, RejectedRow, SyncService
from app.views.common import heading_label, icon, list_table
from app.views.operations import QueryOp, WriteOp
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor

TABLE_NAMES = {
    "customer": N_("Customer"), "queue_ticket": N_("Queue ticket"), "visit": N_("Visit"),
    "appointment": N_("Appointment"), "plan_version": N_("Plan"), "staff": N_("Staff"),
    "employer": N_("Employer"), "vacancy": N_("Vacancy"),
    "employer_person": N_("Contact person"), "employer_contact": N_("Employer contact"),
    "job_proposal": N_("Job tip"),
    "event_session": N_("Event"),
}


FIELD_NAMES = {
    "phone": N_("Phone"), "email": N_("Email"), "first_names": N_("First names"),
    "last_name": N_("Last name"), "street_address": N_("Address"),
    "postal_code": N_("Postal code"), "post_office": N_("Post office"),
    "language": N_("Service language"), "home_municipality": N_("Home municipality"),
    "unemployed_since": N_("Unemployed since"), "coach_id": N_("Coach"),
    "note": N_("Note"), "starts_at": N_("When"), "name": N_("Name"),
    "website": N_("Web site"), "title": N_("Title"), "outcome": N_("Outcome"),
    "room_id": N_("Room"),
}


def table_label(name: str) -> str:
    return _(TABLE_NAMES[name]) if name in TABLE_NAMES else name


def field_label(name: str) -> str:
    return _(FIELD_NAMES[name]) if name in FIELD_NAMES else name


def _fields_text(fields_json: str) -> str:
    fields = json.loads(fields_json)
    return ", ".join(f"{k}={v}" for k, v in fields.items() if k not in ("updated_at",
                                                                       "updated_by"))


def others_text(others: OthersWaiting) -> list[str]:
    """Other workers' changes waiting here, in counts (their content is theirs)."""
    lines = []
    if others.changes:
        who = ngettext("Changes of {n} other user wait until they sign in online here",
                       "Changes of {n} other users wait until they sign in online here",
                       others.users).format(n=format_number(others.users))
        what = ngettext("{n} change, the oldest from {when}",
                        "{n} changes, the oldest from {when}", others.changes).format(
            n=format_number(others.changes), when=format_datetime(others.oldest))
        lines.append(f"⏳ {who}: {what}.")
    if others.refused:
        lines.append(ngettext(
            "{n} change of other users was refused centrally: only its author sees it.",
            "{n} changes of other users were refused centrally: only their authors see "
            "them.", others.refused).format(n=format_number(others.refused)))
    if others.orphaned:
        lines.append(ngettext(
            "{n} change by staff who have left cannot be sent: export it with "
            "“python -m app.cli sync orphaned”.",
            "{n} changes by staff who have left cannot be sent: export them with "
            "“python -m app.cli sync orphaned”.", others.orphaned).format(
            n=format_number(others.orphaned)))
    return lines


class SyncPage(QWidget):
    changed = Signal()  # a conflict or rejected change settled: send it
    count_changed = Signal(int)  # changes a worker must check (the navigation's count)

    def __init__(self, service: SyncService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_page")
        self.service, self.runner = service, runner
        layout = QVBoxLayout(self)
        self.heading = heading_label()
        self.state = QLabel()
        self.state.setObjectName("sync_state")
        self.state.setWordWrap(True)
        # Other workers' changes on this workstation: counts only, never their content.
        self.others = QLabel()
        self.others.setObjectName("sync_others")
        self.others.setWordWrap(True)
        self.others.hide()
        layout.addWidget(self.heading)
        layout.addWidget(self.state)
        layout.addWidget(self.others)

        self.conflict_box = QGroupBox()
        inner = QVBoxLayout(self.conflict_box)
        self.conflict_help = QLabel()
        self.conflict_help.setWordWrap(True)
        inner.addWidget(self.conflict_help)
        self.conflicts = SimpleTableModel(
            (N_("Record"), N_("Field"), N_("Central value"), N_("Value from a desk"),
             N_("Workstation"), N_("When")), self._conflict_cells, self)
        self.conflict_table = list_table("sync_conflicts", self.conflicts)
        inner.addWidget(self.conflict_table)
        buttons = QHBoxLayout()
        self.keep_central = QPushButton()
        self.keep_central.setObjectName("sync_keep_central")
        self.keep_central.clicked.connect(lambda: self._resolve("central"))
        self.keep_client = QPushButton()
        self.keep_client.setObjectName("sync_keep_client")
        self.keep_client.clicked.connect(lambda: self._resolve("client"))
        buttons.addWidget(self.keep_central)
        buttons.addWidget(self.keep_client)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        layout.addWidget(self.conflict_box, 1)

        self.rejected_box = QGroupBox()
        inner = QVBoxLayout(self.rejected_box)
        self.rejected = SimpleTableModel(
            (N_("When"), N_("Record"), N_("Change"), N_("Reason")), self._rejected_cells, self)
        self.rejected_table = list_table("sync_rejected", self.rejected)
        inner.addWidget(self.rejected_table)
        buttons = QHBoxLayout()
        self.retry = QPushButton()
        self.retry.setObjectName("sync_retry")
        self.retry.clicked.connect(lambda: self._on_rejected(self.service.retry))
        self.discard = QPushButton()
        self.discard.setObjectName("sync_discard")
        self.discard.clicked.connect(lambda: self._on_rejected(self.service.discard))
        buttons.addWidget(self.retry)
        buttons.addWidget(self.discard)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        layout.addWidget(self.rejected_box, 1)
        self.message = QLabel()
        self.message.setObjectName("sync_message")
        layout.addWidget(self.message)
        for table in (self.conflict_table, self.rejected_table):
            table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.status_text = ""
        self.others_waiting: OthersWaiting | None = None
        self.retranslate()

    @staticmethod
    def _conflict_cells(row: ConflictRow) -> tuple[str, ...]:
        return (f"{table_label(row.table_name)}: {row.record_label}", field_label(row.field),
                row.central_value, row.client_value, row.client_node,
                format_datetime(row.created_at))

    @staticmethod
    def _rejected_cells(row: RejectedRow) -> tuple[str, ...]:
        reason = row.reason if row.status == "rejected" else _("Failed repeatedly: {reason}") \
            .format(reason=row.reason)
        return (format_datetime(row.created_at), table_label(row.table_name),
                _fields_text(row.fields), reason)

    def retranslate(self) -> None:
        self.heading.setText(_("Synchronisation"))
        self.conflict_box.setTitle(_("Conflicts to settle"))
        self.conflict_help.setText(_(
            "Two desks changed the same detail while apart. The central value is in use; "
            "choose which one is right."))
        self.keep_central.setText(_("Keep the &central value"))
        self.keep_central.setIcon(icon("mdi6.server", self))
        self.keep_client.setText(_("Use the &desk's value"))
        self.keep_client.setIcon(icon("mdi6.monitor", self))
        self.rejected_box.setTitle(_("Changes the central database refused"))
        self.retry.setText(_("&Try again"))
        self.discard.setText(_("D&iscard the change"))
        for button in (self.keep_central, self.keep_client, self.retry, self.discard):
            button.setAccessibleName(button.text().replace("&", ""))
        self.conflict_table.setAccessibleName(_("Conflicts to settle"))
        self.rejected_table.setAccessibleName(_("Changes the central database refused"))
        self.conflicts.retranslate()
        self.rejected.retranslate()
        self.state.setText(self.status_text)
        self._show_others()
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def activate(self, actor: Actor) -> None:
        self.load()

    def deactivate(self) -> None:
        pass

    def clear(self) -> None:
        """Signed out: the conflicts are the workstation's, not the person's; the message
        about the last choice goes, and the counts of others' changes (per person)."""
        self.message.setText("")
        self.others_waiting = None
        self._show_others()

    def show_state(self, text: str, problems: int = 0) -> None:
        """The sync's state in words, and how many changes a worker must check."""
        self.status_text = text
        self.state.setText(text)
        self.count_changed.emit(problems)

    def refresh(self) -> None:
        """Again, as long as it is on screen (rows arrived, a choice saved)."""
        if self.isVisible():
            self.load()

    def load(self) -> None:
        service = self.service
        QueryOp(self.runner, self,
                lambda: (service.conflicts(), service.rejected(), service.others()),
                success=self._show).latest("rows").run_in_background()

    def _show(self, rows: tuple[list[ConflictRow], list[RejectedRow], OthersWaiting]) -> None:
        self.conflicts.set_rows(rows[0])
        self.rejected.set_rows(rows[1])
        self.others_waiting = rows[2]
        self._show_others()
        self._update_buttons()

    def _show_others(self) -> None:
        others = self.others_waiting
        lines = [] if others is None else others_text(others)
        self.others.setText("\n".join(lines))
        self.others.setAccessibleName(" ".join(lines))
        self.others.setVisible(bool(lines))

    def _selected(self, table: QTableView, model: SimpleTableModel):
        rows = table.selectionModel().selectedRows()
        return model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        has_conflict = self._selected(self.conflict_table, self.conflicts) is not None
        self.keep_central.setEnabled(has_conflict)
        self.keep_client.setEnabled(has_conflict)
        has_rejected = self._selected(self.rejected_table, self.rejected) is not None
        self.retry.setEnabled(has_rejected)
        self.discard.setEnabled(has_rejected)

    def _resolve(self, keep: str) -> None:
        row = self._selected(self.conflict_table, self.conflicts)
        if row is not None:
            WriteOp(self.runner, self, lambda: self.service.resolve(row.id, keep),
                    success=self._done).run_in_background()

    def _on_rejected(self, action) -> None:
        row = self._selected(self.rejected_table, self.rejected)
        if row is not None:
            WriteOp(self.runner, self, lambda: action(row.seq), success=self._done) \
                .run_in_background()

    def _done(self, _result: object) -> None:
        self.message.setText(_("Saved. The choice goes to the other desks with the next sync."))
        self.load()  # the outbox is local: no table change tells this page
        self.changed.emit()

    def show_error(self, text: str) -> None:
        self.message.setText("⚠ " + text)
