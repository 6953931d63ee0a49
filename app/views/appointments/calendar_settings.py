"""The calendar's settings, a collaborator of AppointmentsPage: a worker's weekly working
hours (working_hours.py), and the year's holidays with their exceptions (exceptions.py).
Both dialogs save through the task runner and keep what was typed when the service
refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QComboBox, QDialog, QWidget

from app.dto.appointments import CalendarWorker
from app.i18n import _, format_date, ngettext
from app.services.calendar_settings import CalendarSettingsService, WeekHours
from app.services.errors import ValidationFailed
from app.services.session import SessionInfo
from app.views.appointments.exceptions import ExceptionsDialog
from app.views.appointments.grid import CalendarGrid
from app.views.appointments.working_hours import WorkingHoursDialog
from app.views.operations import QueryOp, WriteOp
from app.views.tasks import TaskRunner


class SettingsView(Protocol):
    """What the settings actions read and tell of the calendar page."""

    grid: CalendarGrid
    worker_combo: QComboBox
    point_combo: QComboBox
    workers: list[CalendarWorker]
    points: list[tuple[str, str]]

    def say(self, text: str) -> None: ...

    def show_dialog(self, dialog: QDialog) -> None: ...


class CalendarSettingsActions:
    """The calendar's two settings actions, a collaborator of AppointmentsPage: `view`
    is the page and `parent` the widget the dialogs belong to (the same page)."""

    def __init__(self, view: SettingsView, parent: QWidget, service: CalendarSettingsService,
                 session: SessionInfo, runner: TaskRunner) -> None:
        self.view, self.parent = view, parent
        self.service, self.session, self.runner = service, session, runner

    def chosen_worker(self) -> str | None:
        """The worker under the cursor, else the one chosen above, else oneself."""
        column = self.view.grid.cursor_column()
        if column is not None and column.staff_id:
            return column.staff_id
        actor = self.session.actor
        chosen: str | None = self.view.worker_combo.currentData()
        return chosen or (actor.staff_id if actor else None)

    def working_hours(self) -> None:
        staff_id = self.chosen_worker()
        if staff_id is None:
            return
        service, session = self.service, self.session

        def loaded(hours: WeekHours) -> None:
            actor = session.actor
            editable = service.can_manage() or (actor is not None
                                                and actor.staff_id == staff_id)
            dialog = WorkingHoursDialog(hours, session.today(), editable, self.parent,
                                        self.view.points, service, self.runner)

            def submit() -> None:
                days, valid_from = dialog.values()

                def done(saved: WeekHours) -> None:
                    dialog.saved()
                    text = _("Working hours of {name} saved from {day} on.").format(
                        name=saved.staff_name, day=format_date(saved.on))
                    if saved.outside:
                        text += " ⚠ " + ngettext(
                            "{n} booked appointment is now outside the working hours: "
                            "move it.",
                            "{n} booked appointments are now outside the working hours: "
                            "move them.", saved.outside).format(n=saved.outside)
                    self.view.say(text)

                WriteOp(self.runner, dialog,
                        lambda: service.set_working_hours(staff_id, days, valid_from),
                        success=done) \
                    .on(ValidationFailed, lambda exc: dialog.show_invalid(exc.errors)) \
                    .run_in_background()

            dialog.submit_handler = submit
            self.view.show_dialog(dialog)

        def latest() -> WeekHours:
            # A change already saved for a later day is what the person edits further.
            hours = service.working_hours(staff_id)
            return service.working_hours(staff_id, hours.next_change) \
                if hours.next_change else hours

        QueryOp(self.runner, self.parent, latest, success=loaded).run_in_background()

    def exceptions(self) -> None:
        view = self.view
        view.show_dialog(ExceptionsDialog(
            self.service, self.runner, self.session.today(), view.points, view.workers,
            view.point_combo.currentData(), self.chosen_worker(), self.parent))

    def handlers(self) -> dict[str, Callable[[], Any]]:
        """The side panel's buttons, by name (see the page's ACTIONS)."""
        return {"working_hours": self.working_hours, "exceptions": self.exceptions}
