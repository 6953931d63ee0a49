"""Propose job seekers for a vacancy: filter the worker's own caseload (or every customer
whose case work they may write) by group, language, municipality and name, tick the ones
to propose, and write what may be told to the employer. Only that text and the job
seeker's name leave the service; nothing of their case."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.dto.employers import CandidateFilter, CandidateRow, VacancyRow
from app.i18n import N_, _, format_number, ngettext
from app.rules.codes import CUSTOMER_LANGUAGES
from app.services.vacancies import CANDIDATE_GROUPS
from app.views import style
from app.views.common import FieldError, language_label
from app.views.operations import QueryOp
from app.views.tasks import TaskRunner

FILTER_DELAY_MS = 250


class ProposeDialog(QDialog):
    """`candidates` runs in the database thread; `submit_handler` (set by the caller)
    proposes `chosen()` with `shared()` and calls `saved()` or `show_error()`."""

    def __init__(self, vacancy: VacancyRow, runner: TaskRunner,
                 candidates: Callable[[CandidateFilter], list[CandidateRow]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("propose_dialog")
        self.vacancy, self.runner, self.candidates = vacancy, runner, candidates
        self.submit_handler: Callable[[], None] | None = None
        self.found = 0
        layout = QVBoxLayout(self)
        self.about = QLabel()
        self.about.setObjectName("propose_about")
        self.about.setWordWrap(True)
        layout.addWidget(self.about)

        filters = QFormLayout()
        self.own = QCheckBox()
        self.own.setObjectName("propose_own")
        self.own.setChecked(True)
        self.group = QComboBox()
        self.group.setObjectName("propose_group")
        self.group.addItem("", "")
        for code, _label in CANDIDATE_GROUPS:
            self.group.addItem("", code)
        self.language = QComboBox()
        self.language.setObjectName("propose_language")
        self.language.addItem("", "")
        for code in CUSTOMER_LANGUAGES:
            self.language.addItem("", code)
        self.municipality = QLineEdit()
        self.municipality.setObjectName("propose_municipality")
        self.municipality.setMaxLength(80)
        self.text = QLineEdit()
        self.text.setObjectName("propose_text")
        self.text.setClearButtonEnabled(True)
        self.labels: list[tuple[QLabel, QWidget, str]] = []
        for widget, msgid in ((self.text, N_("&Name or customer number")),
                              (self.group, N_("&Group")), (self.language, N_("&Language")),
                              (self.municipality, N_("&Municipality"))):
            lbl = QLabel()
            lbl.setBuddy(widget)
            filters.addRow(lbl, widget)
            self.labels.append((lbl, widget, msgid))
        filters.addRow("", self.own)
        layout.addLayout(filters)

        self.found_label = QLabel()
        layout.addWidget(self.found_label)
        self.list = QListWidget()
        self.list.setObjectName("propose_candidates")
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * 8)
        self.found_label.setBuddy(self.list)
        layout.addWidget(self.list, 1)
        self.count = QLabel()
        self.count.setObjectName("propose_count")
        layout.addWidget(self.count)

        self.shared_label = QLabel()
        self.shared = QPlainTextEdit()
        self.shared.setObjectName("propose_shared")
        self.shared.setTabChangesFocus(True)
        self.shared.setMaximumHeight(self.shared.fontMetrics().lineSpacing() * 4 + 16)
        self.shared_label.setBuddy(self.shared)
        layout.addWidget(self.shared_label)
        layout.addWidget(self.shared)
        self.note = QLabel()
        self.note.setObjectName("propose_note")
        self.note.setWordWrap(True)
        style.set_status(self.note, style.INFO, "")
        layout.addWidget(self.note)
        self.error = FieldError()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("propose_ok")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        layout.addStrut(520)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(FILTER_DELAY_MS)
        self.timer.timeout.connect(self.search)
        for edit in (self.text, self.municipality):
            edit.textChanged.connect(lambda _t: self.timer.start())
        for combo in (self.group, self.language):
            combo.currentIndexChanged.connect(lambda _i: self.search())
        self.own.toggled.connect(lambda _on: self.search())
        self.list.itemChanged.connect(lambda _item: self._update_count())
        self.retranslate()
        self.search()

    # --- texts ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(_("Propose job seekers"))
        self.about.setText(_("{title} — {employer}").format(
            title=self.vacancy.title, employer=self.vacancy.employer_name))
        for lbl, widget, msgid in self.labels:
            lbl.setText(_(msgid))
            widget.setAccessibleName(_(msgid).replace("&", ""))
        self.own.setText(_("Only my own &caseload"))
        self.own.setAccessibleName(_("Only my own caseload"))
        self.group.setItemText(0, _("Any group"))
        for i, (_code, label) in enumerate(CANDIDATE_GROUPS, start=1):
            self.group.setItemText(i, _(label))
        self.language.setItemText(0, _("Any language"))
        for i in range(1, self.language.count()):
            self.language.setItemText(i, language_label(self.language.itemData(i)))
        self.municipality.setPlaceholderText(_("Any municipality"))
        self.text.setPlaceholderText(_("Any job seeker"))
        self.found_label.setText(_("Job seekers (Space ticks, already proposed ones are "
                                   "marked)"))
        self.list.setAccessibleName(_("Job seekers to propose"))
        self.shared_label.setText(_("Shared with the &employer"))
        self.shared.setAccessibleName(_("Shared with the employer"))
        self.shared.setPlaceholderText(_("e.g. Forklift licence, available from next week"))
        self.note.setText(_("Only the job seeker's name and this text leave the service. "
                            "Nothing of their case, plan or situation is told to the "
                            "employer."))
        self.shared.setAccessibleDescription(self.note.text())
        self.ok.setText(_("&Propose"))
        self.ok.setAccessibleName(_("Propose"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- the candidates ---------------------------------------------------------------

    def filter(self) -> CandidateFilter:
        return CandidateFilter(own_caseload=self.own.isChecked(),
                               group=self.group.currentData() or "",
                               language=self.language.currentData() or "",
                               municipality=self.municipality.text().strip(),
                               text=self.text.text().strip())

    def search(self) -> None:
        self.timer.stop()
        f = self.filter()
        QueryOp(self.runner, self, lambda: self.candidates(f), success=self.show_candidates) \
            .errors_to(self.show_error).latest("candidates").run_in_background()

    def show_candidates(self, rows: list[CandidateRow]) -> None:
        ticked = set(self.chosen())
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            parts = [row.name, row.customer_number, row.municipality,
                     language_label(row.language) if row.language else "",
                     row.coach_name]
            text = "  ·  ".join(p for p in parts if p)
            if row.already_proposed:
                text += "  ·  " + _("already proposed")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.customer_id)
            if row.already_proposed:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable
                              & ~Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if row.customer_id in ticked
                                   else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self.list.count() and self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self.found = len(rows)
        self._update_count()

    def chosen(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.list.count())
                if self.list.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable
                and self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _update_count(self) -> None:
        n = len(self.chosen())
        self.count.setText(
            ngettext("{found} found", "{found} found", self.found).format(
                found=format_number(self.found)) + "  ·  "
            + ngettext("{n} chosen", "{n} chosen", n).format(n=format_number(n)))
        self.ok.setEnabled(n > 0)

    def shared_text(self) -> str:
        """As typed (the service refuses more than it keeps, naming the limit: nothing
        typed is cut without a word)."""
        return self.shared.toPlainText().strip()

    # --- submitting -------------------------------------------------------------------

    def _submit(self) -> None:
        if not self.chosen():
            self.show_error(_("Tick at least one job seeker."))
            return
        if self.submit_handler is None:
            self.accept()
            return
        self.error.show_message("")
        self.buttons.setEnabled(False)
        self.submit_handler()

    def saved(self) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def show_errors(self, errors: dict[str, str]) -> None:
        self.show_error("\n".join(_(message) for message in errors.values()))
        if "shared" in errors:
            self.shared.setFocus()

    def show_error(self, text: str) -> None:
        self.buttons.setEnabled(True)
        self.error.show_message(text)
