"""The coaching section of the customer card: groups, the statutory clock (each date's
source in its tooltip), the barriers checklist and the coach with its history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.coaching import AssignmentRow, CoachOption, CustomerClock
from app.i18n import N_, _, format_date, format_time
from app.rules.groups import Barrier
from app.rules.permissions import Permission, allowed
from app.services.registry import Services
from app.views import style
from app.views.coaching.dialogs import AssignCoachDialog
from app.views.coaching.texts import barrier_label, deadline_text, group_label, source_tooltip
from app.views.common import AUTOSAVE_MS, icon, shortcut
from app.views.operations import (
    QueryOp,
    WriteOp,
    drop_pending,
    refresh_on_change,
    report_failure,
)
from app.views.tasks import TaskRunner

SAVES_ITSELF = N_("Saves itself when you change it (Ctrl+S saves now)")


class CoachingPanel(QGroupBox):
    barriers_changed = Signal()  # a barrier ticked or unticked by the user
    hidden = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_coaching")
        self.clock: CustomerClock | None = None
        self.today = None
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.groups = QLabel()
        self.groups.setObjectName("customer_groups")
        self.groups.setWordWrap(True)
        # The card's situation line shows the days; this label only carries the source.
        self.mark = QLabel()
        self.mark.setObjectName("customer_hundred_days")
        self.mark.hide()
        self.deadlines = QVBoxLayout()
        left.addWidget(self.groups)
        left.addWidget(self.mark)
        left.addLayout(self.deadlines)
        coach_row = QHBoxLayout()
        self.history = QLabel()
        self.history.setObjectName("customer_coach_history")
        self.history.setWordWrap(True)
        self.change_coach = QPushButton()
        self.change_coach.setObjectName("customer_change_coach")
        coach_row.addWidget(self.history, 1)
        coach_row.addWidget(self.change_coach)
        left.addLayout(coach_row)
        left.addStretch(1)
        layout.addLayout(left, 3)
        self.barrier_box = QGroupBox()
        grid = QGridLayout(self.barrier_box)
        self.checks: dict[str, QCheckBox] = {}
        for i, barrier in enumerate(Barrier):
            check = QCheckBox()
            check.setObjectName(f"barrier_{barrier.value}")
            self.checks[barrier.value] = check
            grid.addWidget(check, i // 2, i % 2)
            check.toggled.connect(self.barriers_changed)
        # Saved like a plan's draft: by themselves a second after a change, at once with
        # Ctrl+S (this hidden button) or on leaving; the state line says which.
        self.save_state = QLabel()
        self.save_state.setObjectName("customer_barriers_state")
        self.save_state.setWordWrap(True)
        style.secondary(self.save_state)
        grid.addWidget(self.save_state, (len(Barrier) + 1) // 2, 0, 1, 2)
        self.save_barriers = QPushButton(self)
        self.save_barriers.setObjectName("customer_save_barriers")
        self.save_barriers.hide()
        shortcut(self, "Ctrl+S", self.save_barriers)
        self.save_message: tuple[str, bool, dict[str, str]] = ("", False, {})
        layout.addWidget(self.barrier_box, 2, Qt.AlignmentFlag.AlignTop)
        self.retranslate()

    def set_save_state(self, message: str = "", warning: bool = False, **values: str) -> None:
        """As the plan editor's: a message id (and its values), so that it follows a
        change of language; a warning is marked with a sign, not colour alone."""
        self.save_message = (message, warning, values)
        text = _(message).format(**values) if message else ""
        style.set_status(self.save_state, style.WARN if warning and text else None, text)

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving the card or its tab: what was ticked is saved now.
        self.hidden.emit()
        super().hideEvent(event)

    def checked(self) -> set[str]:
        return {code for code, check in self.checks.items() if check.isChecked()}

    def show_clock(self, clock: CustomerClock, today: Any, keep_checks: bool = False) -> None:
        """The customer's clock and barriers; `keep_checks` keeps ticks not yet saved."""
        self.clock, self.today = clock, today
        chips = [f"[{group_label(g)}]" for g in clock.groups]
        self.groups.setText("  ".join(chips) if chips else _("No special groups"))
        self.mark.setToolTip(source_tooltip(clock.hundred_day_source))
        while self.deadlines.count():
            item = self.deadlines.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not clock.case_open:
            closed = QLabel(_("The case is closed: no statutory deadlines run until it is "
                              "reopened."))
            closed.setWordWrap(True)
            self.deadlines.addWidget(closed)
        for d in clock.deadlines:
            line = QLabel(deadline_text(d, today))
            line.setWordWrap(True)
            line.setToolTip(source_tooltip(d.source))
            line.setAccessibleDescription(source_tooltip(d.source))
            self.deadlines.addWidget(line)
        if not keep_checks:
            self.set_checked(set(clock.barriers))

    def set_checked(self, codes: set[str]) -> None:
        for code, check in self.checks.items():
            check.blockSignals(True)  # shown, not changed by the user
            check.setChecked(code in codes)
            check.blockSignals(False)

    def show_history(self, rows: list[AssignmentRow]) -> None:
        if not rows:
            self.history.setText(_("No coach changes recorded."))
            return
        latest = rows[0]
        self.history.setText(_("Coach since {date}: {name} ({reason})").format(
            date=format_date(latest.assigned_at.date()), name=latest.coach_name or "–",
            reason=latest.reason))
        self.history.setToolTip("\n".join(
            f"{format_date(r.assigned_at.date())}: {r.previous_coach_name or '–'} → "
            f"{r.coach_name or '–'} · {r.reason}" for r in rows))

    def retranslate(self) -> None:
        # The card shows the panel in a tab of this name: no second title inside it.
        self.setAccessibleName(_("Coaching and the statutory clock"))
        self.setFlat(True)
        self.barrier_box.setTitle(_("Barriers to employment"))
        for code, check in self.checks.items():
            check.setText(barrier_label(code))
            check.setAccessibleName(barrier_label(code))
        self.save_barriers.setText(_("Save barriers"))
        self.save_barriers.setAccessibleName(_("Save barriers"))
        message, warning, values = self.save_message
        self.set_save_state(message, warning, **values)
        self.change_coach.setText(_("Change coach…"))
        self.change_coach.setIcon(icon("mdi6.account-switch", self))
        self.change_coach.setAccessibleName(_("Change coach"))
        if self.clock is not None:
            self.show_clock(self.clock, self.today, keep_checks=True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class CoachingController:
    """Loads the panel for the open customer and saves what is changed there."""

    def __init__(self, panel: CoachingPanel, services: Services, runner: TaskRunner,
                 parent: QWidget, reload_card: Any) -> None:
        self.panel, self.services, self.runner = panel, services, runner
        self.parent, self.reload_card = parent, reload_card
        self.customer_id: str | None = None
        self.dialog: AssignCoachDialog | None = None
        self.stored: set[str] | None = None  # as loaded, or as last saved
        self.submitted: set[str] | None = None  # as last sent to be saved (None: failed)
        self.in_flight = 0  # saves of the shown customer not yet answered
        self.shown_since = 0  # counts the customers shown: older answers are dropped
        self.timer = QTimer(panel)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)  # the plan editor's
        self.timer.timeout.connect(self.save_barriers)
        panel.barriers_changed.connect(self._edited)
        panel.hidden.connect(self.save_barriers)
        panel.save_barriers.clicked.connect(self.save_barriers)
        panel.change_coach.clicked.connect(self.change_coach)
        refresh_on_change(runner, panel, {"customer_barrier", "coach_assignment"},
                          self._changed)

    def set_role(self, role: Any) -> None:
        self.panel.barrier_box.setVisible(role is not None and allowed(
            role, Permission.CUSTOMER_BARRIERS))
        self.panel.change_coach.setVisible(role is not None and allowed(
            role, Permission.CUSTOMER_ASSIGN_COACH))

    def load(self, customer_id: str) -> None:
        if customer_id != self.customer_id:
            self.save_barriers()  # the previous customer's ticks, under their id
            self.stored = self.submitted = None
            self.in_flight, self.shown_since = 0, self.shown_since + 1
            self.panel.set_save_state()
        self.customer_id = customer_id

        def shown(result: tuple[CustomerClock, list[AssignmentRow]]) -> None:
            if self.customer_id == customer_id:
                keep = self.has_unsaved_changes()  # a refresh never undoes a tick
                self.panel.show_clock(result[0], self.services.session.today(), keep)
                if not keep:
                    self.stored = self.submitted = set(result[0].barriers)
                    if not self.panel.save_message[0]:
                        self.panel.set_save_state(SAVES_ITSELF)
                situation = getattr(self.parent, "card_view", None)
                if situation is not None:  # the working-day count's source, as a tooltip
                    situation.situation.setToolTip(source_tooltip(result[0].hundred_day_source))
                self.panel.show_history(result[1])

        QueryOp(self.runner, self.parent, lambda: (
            self.services.clock.customer_clock(customer_id),
            self.services.coaching.history(customer_id)), success=shown) \
            .latest("coaching").run_in_background()

    def _changed(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)

    def forget(self) -> None:
        """Signed out: what was ticked is saved first (the runner takes it before the
        sign-out), then nothing of this customer stays shown or reloads for the next
        person (a change to barriers would have re-read it, audited, under them)."""
        self.save_barriers()
        drop_pending(self.parent, "coaching")
        self.customer_id = None
        self.stored = self.submitted = None
        self.in_flight, self.shown_since = 0, self.shown_since + 1
        self.panel.set_checked(set())
        self.panel.show_history([])
        self.panel.set_save_state()

    def has_unsaved_changes(self) -> bool:
        return self.timer.isActive() or self.in_flight > 0 or (
            self.stored is not None and self.panel.checked() != self.stored)

    def _edited(self) -> None:
        self.timer.start()
        self.panel.set_save_state(N_("Unsaved changes…"))

    def save_barriers(self) -> None:
        """Save the ticks now if they changed since they were loaded or last sent."""
        self.timer.stop()
        customer_id, chosen = self.customer_id, self.panel.checked()
        if customer_id is None or self.stored is None:
            return
        if chosen == self.submitted:
            if self.in_flight == 0 and chosen == self.stored:  # ticked and unticked again
                self.panel.set_save_state(SAVES_ITSELF)
            return
        self.submitted = chosen
        self.in_flight += 1
        self.panel.set_save_state(N_("Saving…"))
        shown = self.shown_since

        def saved(_codes: object) -> None:
            if shown != self.shown_since:
                return  # saved for a customer no longer shown
            self.in_flight -= 1
            self.stored = chosen
            if not self.has_unsaved_changes():
                self.panel.set_save_state(N_("All changes saved {time}"),
                                          time=format_time(self.services.session.now()))

        def failed(exc: Exception) -> None:
            if shown != self.shown_since:  # another customer is shown: say it the one way
                report_failure(exc, self.parent, translate=lambda m: _(
                    "The barriers were not saved: {error}").format(error=_(m)))
                return
            # The ticks stay as they are; the next change (or Ctrl+S) tries again.
            self.in_flight -= 1
            self.submitted = None
            report_failure(exc, self.parent, show=lambda text: self.panel.set_save_state(
                N_("Not saved: {error}"), True, error=text))

        WriteOp(self.runner, self.parent,
                lambda: self.services.coaching.set_barriers(customer_id, chosen),
                success=saved).failure(failed).run_in_background()

    def change_coach(self) -> None:
        customer_id = self.customer_id
        if customer_id is None:
            return
        def opened(result: tuple[list[CoachOption], int]) -> None:
            coaches, cap = result
            current = self.panel.clock.coach_id if self.panel.clock else None
            dialog = AssignCoachDialog(coaches, current, cap, self.parent)

            def assigned(_row: object) -> None:
                dialog.saved()
                self.reload_card(customer_id)

            def submit() -> None:
                coach_id, reason = dialog.value()
                WriteOp(self.runner, dialog,
                        lambda: self.services.coaching.assign(customer_id, coach_id, reason),
                        success=assigned).run_in_background()

            dialog.submit_handler = submit
            self.dialog = dialog
            dialog.open()

        services = self.services
        QueryOp(self.runner, self.parent, lambda: (
            services.coaching.coaches(), int(services.settings.get("caseload_cap"))),
            success=opened).run_in_background()
