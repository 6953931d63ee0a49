"""Dialogs of coaching: a change's reason, and assigning a customer's coach."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from app.dto.coaching import CoachOption
from app.i18n import N_, _, format_number
from app.views.form_dialog import FormDialog


class ReasonDialog(FormDialog):
    """Confirms a change of coaches and asks its reason (kept in the history)."""

    def __init__(self, title: str, text: str, default_reason: str,
                 parent: QWidget | None = None) -> None:
        super().__init__("reason_dialog", parent)
        self.setWindowTitle(title)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.layout_.insertWidget(0, self.text)
        self.reason = QLineEdit(default_reason)
        self.reason.setMaxLength(400)
        self.add_row(N_("&Reason"), self.reason, "reason_text")
        self.finish_layout()
        self.retranslate()


class AssignCoachDialog(FormDialog):
    def __init__(self, coaches: list[CoachOption], current: str | None, cap: int,
                 parent: QWidget | None = None) -> None:
        super().__init__("assign_coach_dialog", parent)
        self.cap = cap
        self.coach = QComboBox()
        for option in coaches:
            text = f"{option.full_name} · {option.team_name} · {format_number(option.active)}"
            if option.active >= cap:
                text += " ⚠"
            self.coach.addItem(text, option.staff_id)
        if current is not None:
            self.coach.setCurrentIndex(max(0, self.coach.findData(current)))
        self.coach.currentIndexChanged.connect(self._warn)
        self.options = coaches
        self.add_row(N_("&Coach"), self.coach, "assign_coach_choice")
        self.warning = QLabel()
        self.warning.setObjectName("assign_coach_warning")
        self.warning.setWordWrap(True)
        self.layout_.addWidget(self.warning)
        self.reason = QLineEdit()
        self.reason.setMaxLength(400)
        self.add_row(N_("&Reason"), self.reason, "assign_coach_reason")
        self.finish_layout()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Change the coach"))
        self.retranslate_rows()
        self._warn()

    def _warn(self) -> None:
        index = self.coach.currentIndex()
        option = self.options[index] if 0 <= index < len(self.options) else None
        full = option is not None and option.active >= self.cap
        # A warning, never a refusal: the cap is a target (DOMAIN.md).
        self.warning.setText("⚠ " + _("This coach already has {n} customers (cap {cap}).")
                             .format(n=format_number(option.active),
                                     cap=format_number(self.cap)) if full and option else "")
        self.warning.setVisible(full)

    def value(self) -> tuple[str, str]:
        return self.coach.currentData(), self.reason.text()
