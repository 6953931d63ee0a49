"""The customer card's events (#21): every event the customer is or was on the list of,
on their timeline under the visits: the title, the kind, the first day, their place on
the list and the sessions attended. Shown only when there are any; event lists are for
every worker (the desk checks people in), so no role hides it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.dto.events import CustomerEventRow
from app.i18n import N_, _, format_date, format_number, ngettext
from app.rules.codes import EventKind, ParticipantStatus
from app.views import style
from app.views.common import ColumnFitter, label, list_table
from app.views.operations import QueryOp, drop_pending, refresh_on_change
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.registry import Services

EVENT_TABLES = {"event", "event_session", "event_participant", "event_attendance"}


def attended_text(row: CustomerEventRow) -> str:
    return _("{attended} of {sessions}").format(attended=format_number(row.attended),
                                                sessions=format_number(row.sessions))


def _cells(row: CustomerEventRow) -> list[str]:
    return [format_date(row.starts_at.date()) if row.starts_at else "", row.title,
            label(EventKind(row.kind)), label(ParticipantStatus(row.status)),
            attended_text(row)]


class CustomerEventsSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_events")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("customer_events_title")
        style.heading(self.title)
        layout.addWidget(self.title)
        self.state = QLabel()
        self.state.setObjectName("customer_events_state")
        self.state.setWordWrap(True)
        style.secondary(self.state)
        layout.addWidget(self.state)
        self.model = SimpleTableModel(
            (N_("First day"), N_("Event"), N_("Kind"), N_("On the list"),
             N_("Sessions attended")), _cells, self)
        self.table = list_table("customer_events_table", self.model)
        ColumnFitter(self.table)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Events"))
        self.table.setAccessibleName(_("Events"))
        self.model.retranslate()
        self.show_events(self.model.rows if self.model.rows else None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_events(self, rows: list[CustomerEventRow] | None) -> None:
        self.model.set_rows(rows or [])
        # Up to four rows (more scroll): the visits above keep the room.
        shown = min(max(len(rows or []), 1), 4)
        line = self.table.fontMetrics().lineSpacing()
        self.table.setMaximumHeight(line * (2 * shown + 3))
        self.setMaximumHeight(line * (2 * shown + 9))
        if not rows:
            self.state.setText("")
            return
        attended = sum(1 for r in rows if r.attended)
        self.state.setText(
            ngettext("{n} event", "{n} events", len(rows)).format(n=format_number(len(rows)))
            + "  ·  " + ngettext("attended {n}", "attended {n}", attended).format(
                n=format_number(attended)))


class CustomerEventsController:
    """Loads the open customer's events (EventService.for_customer); the section shows
    (`show`) only when there are some, and never a previous customer's."""

    def __init__(self, section: CustomerEventsSection, services: Services,
                 runner: TaskRunner, parent: QWidget, show: Callable[[bool], None]) -> None:
        self.section, self.services, self.runner, self.parent = section, services, runner, parent
        self.show = show
        self.customer_id: str | None = None
        refresh_on_change(runner, section, EVENT_TABLES, self._changed)

    def load(self, customer_id: str) -> None:
        if customer_id != self.customer_id:
            self.section.show_events(None)
            self.show(False)
        self.customer_id = customer_id

        def loaded(rows: list[CustomerEventRow]) -> None:
            if self.customer_id == customer_id:
                self.section.show_events(rows)
                self.show(bool(rows))

        QueryOp(self.runner, self.parent,
                lambda: self.services.events.for_customer(customer_id), success=loaded) \
            .latest("customer_events").errors_to(self.section.state.setText) \
            .run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)

    def forget(self) -> None:
        drop_pending(self.parent, "customer_events")
        self.customer_id = None
        self.section.show_events(None)
        self.show(False)
