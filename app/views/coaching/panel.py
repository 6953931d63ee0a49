"""The coaching section of the customer card: groups, the statutory clock (each date's
source in its tooltip), the barriers checklist and the coach with its history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
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
from app.i18n import _, format_date
from app.rules.groups import Barrier
from app.rules.permissions import Permission, allowed
from app.services.registry import Services
from app.views.coaching.dialogs import AssignCoachDialog
from app.views.coaching.texts import barrier_label, deadline_text, group_label, source_tooltip
from app.views.common import icon
from app.views.operations import QueryOp, WriteOp, refresh_on_change
from app.views.tasks import TaskRunner


class CoachingPanel(QGroupBox):
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
        self.save_barriers = QPushButton()
        self.save_barriers.setObjectName("customer_save_barriers")
        grid.addWidget(self.save_barriers, (len(Barrier) + 1) // 2, 1,
                       Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.barrier_box, 2, Qt.AlignmentFlag.AlignTop)
        self.retranslate()

    def checked(self) -> set[str]:
        return {code for code, check in self.checks.items() if check.isChecked()}

    def show_clock(self, clock: CustomerClock, today: Any) -> None:
        self.clock, self.today = clock, today
        chips = [f"[{group_label(g)}]" for g in clock.groups]
        self.groups.setText("  ".join(chips) if chips else _("No special groups"))
        self.mark.setToolTip(source_tooltip(clock.hundred_day_source))
        while self.deadlines.count():
            item = self.deadlines.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for d in clock.deadlines:
            line = QLabel(deadline_text(d, today))
            line.setWordWrap(True)
            line.setToolTip(source_tooltip(d.source))
            line.setAccessibleDescription(source_tooltip(d.source))
            self.deadlines.addWidget(line)
        for code, check in self.checks.items():
            check.setChecked(code in clock.barriers)

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
        self.change_coach.setText(_("Change coach…"))
        self.change_coach.setIcon(icon("mdi6.account-switch", self))
        self.change_coach.setAccessibleName(_("Change coach"))
        if self.clock is not None:
            self.show_clock(self.clock, self.today)

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
        self.customer_id = customer_id

        def shown(result: tuple[CustomerClock, list[AssignmentRow]]) -> None:
            if self.customer_id == customer_id:
                self.panel.show_clock(result[0], self.services.session.today())
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

    def save_barriers(self) -> None:
        customer_id, chosen = self.customer_id, self.panel.checked()
        if customer_id is None:
            return
        WriteOp(self.runner, self.parent,
                lambda: self.services.coaching.set_barriers(customer_id, chosen)) \
            .run_in_background()

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
