"""Duplicates in the register: the warning when a new customer's name and birth date
match someone already registered, and "Merge into…" (team leads and administrators):
search the real record, see what moves, confirm. The merge itself is
app/services/customer_merge.py, run off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.customer_merge import MergePreview, SimilarCustomer
from app.dto.customers import CustomerCard
from app.i18n import _, ngettext
from app.rules.codes import Role
from app.rules.permissions import Permission, allowed
from app.services.customer_merge import MOVE_LABELS
from app.services.registry import Services
from app.views import style
from app.views.common import FieldError, icon
from app.views.customers.dialog import CustomerDialog
from app.views.operations import QueryOp, WriteOp
from app.views.tasks import TaskRunner

SEARCH_LIMIT = 20
DEBOUNCE_MS = 200


# --- the register's warning --------------------------------------------------------


class DuplicateWarningDialog(QDialog):
    """"Already registered?": the matching customers, each with a button that opens
    their card, and "Register anyway"."""

    def __init__(self, matches: list[SimilarCustomer], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicate_warning")
        self.matches = matches
        self.chosen: str | None = None  # the customer to open, or None: register anyway
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setObjectName("duplicate_warning_text")
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.open_buttons: list[QPushButton] = []
        for i, match in enumerate(matches):
            button = QPushButton()
            button.setObjectName(f"duplicate_open_{i}")
            button.clicked.connect(lambda _c=False, cid=match.id: self._open(cid))
            self.open_buttons.append(button)
            layout.addWidget(button)
        self.buttons = QDialogButtonBox()
        self.register = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.register.setObjectName("duplicate_register_anyway")
        self.back = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.back.setObjectName("duplicate_back")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.retranslate()
        if self.open_buttons:
            self.open_buttons[0].setDefault(True)
            self.open_buttons[0].setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Already registered?"))
        self.text.setText(ngettext(
            "A customer with the same name and birth date is already registered. Open "
            "their record instead of registering them twice?",
            "Customers with the same name and birth date are already registered. Open "
            "one of them instead of registering the person twice?", len(self.matches)))
        for button, match in zip(self.open_buttons, self.matches, strict=True):
            text = _("Open {name} ({number})").format(name=match.name,
                                                      number=match.customer_number)
            button.setText(text)
            button.setAccessibleName(text)
        self.register.setText(_("&Register anyway"))
        self.register.setAccessibleName(_("Register a new customer anyway"))
        self.back.setText(_("Back to the form"))
        self.back.setAccessibleName(_("Back to the form"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _open(self, customer_id: str) -> None:
        self.chosen = customer_id
        self.done(QDialog.DialogCode.Accepted)


def warn_before_creating(dialog: CustomerDialog, services: Services, runner: TaskRunner,
                         open_customer: Callable[[str], object]) -> None:
    """Saving a new customer first asks whether someone with the same name and birth
    date is registered already; if so, the worker opens that record or registers anyway.
    (Hooked on the dialog's Save from outside: CustomerDialog itself stays the form.)"""
    dialog.buttons.accepted.disconnect()
    confirmed: set[tuple] = set()

    def save() -> None:
        data, errors = dialog.collect()
        key = (data.first_names, data.last_name, data.hetu, data.birth_date)
        born = data.birth_date
        if not born and data.hetu:
            from app.rules.hetu import birth_date

            try:
                born = birth_date(data.hetu.strip().upper())
            except ValueError:
                born = None
        if errors or key in confirmed or born is None:
            dialog.submit()
            return

        def checked(matches: list[SimilarCustomer]) -> None:
            if not matches:
                dialog.submit()
                return
            warning = DuplicateWarningDialog(matches, dialog)
            dialog.duplicate_warning = warning  # type: ignore[attr-defined]

            def answered(result: int) -> None:
                if result != QDialog.DialogCode.Accepted:
                    return
                if warning.chosen is None:
                    confirmed.add(key)
                    dialog.submit()
                else:
                    QDialog.reject(dialog)  # not the form's "discard?" question
                    open_customer(warning.chosen)

            warning.finished.connect(answered)
            warning.open()

        QueryOp(runner, dialog, lambda: services.customer_merge.similar(
            data.first_names, data.last_name, born), success=checked).run_in_background()

    dialog.buttons.accepted.connect(save)


# --- "Merge into…" ------------------------------------------------------------------


class MergeDialog(QDialog):
    """Merge the open card's customer (a duplicate) into the real record found here."""

    def __init__(self, services: Services, runner: TaskRunner, duplicate: CustomerCard,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("merge_dialog")
        self.services, self.runner, self.duplicate = services, runner, duplicate
        self.preview: MergePreview | None = None
        self.merged: MergePreview | None = None
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setObjectName("merge_intro")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setObjectName("merge_search")
        self.search_label.setBuddy(self.search)
        layout.addWidget(self.search_label)
        layout.addWidget(self.search)
        self.results = QListWidget()
        self.results.setObjectName("merge_results")
        layout.addWidget(self.results, 1)
        self.moves_title = QLabel()
        style.heading(self.moves_title)
        layout.addWidget(self.moves_title)
        self.moves = QLabel()
        self.moves.setObjectName("merge_moves")
        self.moves.setWordWrap(True)
        self.moves.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                           | Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.moves)
        self.error = FieldError()
        self.error.setObjectName("merge_error")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.confirm = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("merge_confirm")
        self.confirm.setEnabled(False)
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setObjectName("merge_cancel")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._find)
        self.search.textChanged.connect(lambda _t: self.debounce.start())
        self.search.returnPressed.connect(self._find)
        self.results.currentItemChanged.connect(self._chosen)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Merge into another record"))
        self.intro.setText(_(
            "Merge the duplicate record {name} ({number}) into the customer's real record: "
            "everything recorded on it moves there, and the duplicate is removed.").format(
                name=self.duplicate.name, number=self.duplicate.customer_number))
        self.search_label.setText(_("&Find the real record (name, identity code or number)"))
        self.search.setAccessibleName(_("Find the real record"))
        self.results.setAccessibleName(_("Matching customers"))
        self.moves_title.setText(_("What moves"))
        self.moves.setAccessibleName(_("What moves"))
        self.confirm.setText(_("&Merge"))
        self.confirm.setAccessibleName(_("Merge the duplicate into the chosen record"))
        self.cancel.setAccessibleName(_("Cancel"))
        self._show_moves()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_error(self, text: str) -> None:
        self.error.show_message(text)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.search.setFocus()  # the dialog opens to find the real record

    # --- searching and choosing ----------------------------------------------------

    def _find(self) -> None:
        self.debounce.stop()
        query = self.search.text().strip()
        if not query:
            self.results.clear()
            return

        def shown(page) -> None:
            self.results.clear()
            for row in page.rows:
                if row.id == self.duplicate.id:
                    continue
                item = QListWidgetItem(f"{row.name}  {row.customer_number}  "
                                       f"{row.hetu_masked}")
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.results.addItem(item)

        QueryOp(self.runner, self, lambda: self.services.customers.page(
            query, limit=SEARCH_LIMIT), success=shown).latest("merge_search") \
            .run_in_background()

    def _chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        self.preview = None
        self.confirm.setEnabled(False)
        self.error.show_message("")
        self._show_moves()
        if item is None:
            return
        real = item.data(Qt.ItemDataRole.UserRole)

        def shown(preview: MergePreview) -> None:
            if self.results.currentItem() is item:
                self.preview = preview
                self.confirm.setEnabled(True)
                self._show_moves()

        QueryOp(self.runner, self, lambda: self.services.customer_merge.preview(
            self.duplicate.id, real), success=shown).latest("merge_preview") \
            .run_in_background()

    def _show_moves(self) -> None:
        p = self.preview
        if p is None:
            self.moves.setText(_("Choose the real record to see what moves."))
            return
        lines = [_("{duplicate} → {real}").format(
            duplicate=f"{p.duplicate.name} ({p.duplicate.customer_number})",
            real=f"{p.real.name} ({p.real.customer_number})")]
        lines += [f"{_(MOVE_LABELS[table])}: {count}" for table, count in p.moves if count]
        if not p.total:
            lines.append(_("Nothing is recorded on the duplicate: only the record goes."))
        self.moves.setText("\n".join(lines))

    # --- merging ---------------------------------------------------------------------

    def submit(self) -> None:
        preview = self.preview
        if preview is None:
            return
        self.confirm.setEnabled(False)

        def done(result: MergePreview) -> None:
            self.merged = result
            self.accept()

        def failed(exc: Exception) -> None:
            from app.views.operations import error_message

            self.confirm.setEnabled(True)
            self.show_error(error_message(exc))

        WriteOp(self.runner, self, lambda: self.services.customer_merge.merge(
            preview.duplicate.id, preview.real.id), success=done).failure(failed) \
            .run_in_background()


class MergeController:
    """The card's "Merge into…" button (team leads and administrators), placed in the
    card's top row, and its dialog; afterwards the real record opens."""

    def __init__(self, card_view, services: Services, runner: TaskRunner,
                 parent: QWidget, open_customer: Callable[[str], object]) -> None:
        self.card_view, self.services, self.runner = card_view, services, runner
        self.parent, self.open_customer = parent, open_customer
        self.dialog: MergeDialog | None = None
        self.button = _MergeButton()
        self.button.setVisible(False)
        self.button.clicked.connect(self.open)
        bar = card_view.layout().itemAt(0).layout()
        if isinstance(bar, QHBoxLayout):
            bar.insertWidget(bar.indexOf(card_view.access_log), self.button)

    def set_role(self, role: Role | None) -> None:
        self.button.setVisible(role is not None and allowed(role, Permission.CUSTOMER_MERGE))

    def open(self) -> None:
        card = self.card_view.card
        if card is None:
            return
        self.dialog = MergeDialog(self.services, self.runner, card, self.parent)
        self.dialog.accepted.connect(self._merged)
        self.dialog.open()

    def _merged(self) -> None:
        dialog = self.dialog
        if dialog is not None and dialog.merged is not None:
            self.open_customer(dialog.merged.real.id)

    def forget(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None


class _MergeButton(QPushButton):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("customer_merge")
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("Merge &into…"))
        self.setIcon(icon("mdi6.call-merge", self))
        self.setAccessibleName(_("Merge this duplicate record into the real one"))
        self.setToolTip(_("For a customer registered twice (for example with a temporary "
                          "identity code): everything moves to the real record."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
