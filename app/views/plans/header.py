"""The plan editor's header (the customer, the version, the status and the actions) and
the panel shown when the customer has no plan yet."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dto.plans import CustomerPlans, PlanRow, PlanVersionInfo
from app.i18n import _, format_date
from app.rules import plan_vocabulary as vocab
from app.views import style
from app.views.common import icon, language_label, shortcut
from app.views.plans.dialogs import version_label

STATUS_ICONS = {"draft": "mdi6.pencil-outline", "accepted": "mdi6.check-decagram",
                "superseded": "mdi6.history"}


def button(name: str, icon_name: str, parent: QWidget) -> QPushButton:
    widget = QPushButton()
    widget.setObjectName(f"plan_{name}")
    widget.setIcon(icon(icon_name, parent))
    return widget


def status_text(info: PlanVersionInfo | None) -> str:
    """"Draft · version 2 (from version 1)", "Version 1 · Accepted 12.11.2026 · …"."""
    if info is None:
        return _("No plan")
    row = info.row
    if row.status == "draft":
        text = _("Draft · version {number}").format(number=row.number)
        if info.based_on_number:
            text += " " + _("(from version {number})").format(number=info.based_on_number)
        return text
    how = _(vocab.ACCEPTANCE[row.accepted_how]) if row.accepted_how in vocab.ACCEPTANCE else ""
    parts = [_("Version {number}").format(number=row.number)]
    if row.status == "superseded":
        parts += [_("Superseded"), _("accepted {date}").format(date=format_date(row.accepted_at))]
    else:
        parts.append(_("Accepted {date}").format(date=format_date(row.accepted_at)))
    parts += [how.lower(), row.accepted_by_name or ""]
    return " · ".join(p for p in parts if p)


class PlanHeader(QWidget):
    """Two rows: the customer and the version list; the status, the save state and the
    actions. A note (read-only, print language) and a message line under them."""

    version_chosen = Signal(str)
    save_now = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_header")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.back_button = button("back", "mdi6.arrow-left", self)
        self.back_button.hide()  # shown where the editor is embedded (the customer card)
        self.title = QLabel()
        self.title.setObjectName("plan_title")
        style.title(self.title)
        self.version_label = QLabel()
        self.versions = QComboBox()
        self.versions.setObjectName("plan_versions")
        # Not as wide as its longest version's text (the window grew past 1280 pixels):
        # the open list shows them whole, the status line the chosen one.
        self.versions.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.versions.setMinimumContentsLength(24)
        self.versions.activated.connect(
            lambda index: self.version_chosen.emit(self.versions.itemData(index) or ""))
        self.version_label.setBuddy(self.versions)
        self.new_plan_button = button("new_plan", "mdi6.file-document-plus-outline", self)
        for widget, stretch in ((self.back_button, 0), (self.title, 1),
                                (self.version_label, 0), (self.versions, 0),
                                (self.new_plan_button, 0)):
            top.addWidget(widget, stretch)
        outer.addLayout(top)

        bar = QHBoxLayout()
        self.status_icon = QLabel()
        self.status = QLabel()
        self.status.setObjectName("plan_status")
        self.save_state = QLabel()
        self.save_state.setObjectName("plan_save_state")
        style.secondary(self.save_state)
        self.new_draft_button = button("new_draft", "mdi6.file-replace-outline", self)
        self.accept_button = button("accept", "mdi6.check", self)
        self.print_button = button("print", "mdi6.printer", self)
        self.print_menu = QMenu(self.print_button)
        self.printer_action = self.print_menu.addAction("")
        self.save_pdf_action = self.print_menu.addAction("")
        self.open_pdf_action = self.print_menu.addAction("")
        # The multi-professional plan for a partner, under the customer's consent (#24).
        self.partner_separator = self.print_menu.addSeparator()
        self.partner_print_action = self.print_menu.addAction("")
        self.partner_print_action.setObjectName("plan_print_for_partner")
        self.partner_print_allowed = True  # the editor has the registers to choose from
        # What the signed-in role may do (CustomersPage.set_role): a partner's account
        # (#24) and a reader of a colleague's plan see neither new plans nor printing.
        self.may_edit = self.may_print = True
        self.print_button.setMenu(self.print_menu)
        self.compare_button = button("compare", "mdi6.compare-horizontal", self)
        bar.addWidget(self.status_icon)
        bar.addWidget(self.status)
        bar.addSpacing(16)
        bar.addWidget(self.save_state, 1)
        for widget in (self.accept_button, self.print_button, self.compare_button):
            bar.addWidget(widget)
        outer.addLayout(bar)
        outer.addWidget(self._build_banner())
        # Ctrl+S saves at once through a hidden button (autosave is the normal way).
        self.save_now_button = QPushButton(self)
        self.save_now_button.setObjectName("plan_save_now")
        self.save_now_button.hide()
        self.save_now_button.clicked.connect(self.save_now)
        self.note = QLabel()
        self.note.setObjectName("plan_note")
        self.note.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("plan_message")
        self.message.setWordWrap(True)
        outer.addWidget(self.note)
        outer.addWidget(self.message)
        self.overview: CustomerPlans | None = None
        self.info: PlanVersionInfo | None = None
        self.save_message: tuple[str, bool, dict[str, str]] = ("", False, {})
        self.retranslate()

    def _build_banner(self) -> QFrame:
        """An accepted or superseded version: one notice saying it is read-only and how
        to go on, with the button that starts the next version."""
        self.banner = QFrame()
        self.banner.setObjectName("plan_read_only_banner")
        style.banner(self.banner)
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(style.MARGIN, style.GAP, style.MARGIN, style.GAP)
        row.setSpacing(style.GAP)
        self.banner_icon = QLabel()
        self.banner_title = QLabel()
        self.banner_title.setObjectName("plan_read_only_title")
        font = self.banner_title.font()
        font.setBold(True)
        self.banner_title.setFont(font)
        self.banner_text = QLabel()
        self.banner_text.setObjectName("plan_read_only_text")
        self.banner_text.setWordWrap(True)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.banner_title)
        texts.addWidget(self.banner_text)
        row.addWidget(self.banner_icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)
        row.addWidget(self.new_draft_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.banner.hide()
        return self.banner

    def add_shortcuts(self, page: QWidget) -> None:
        """Keys that work anywhere on the editor's page while it is shown."""
        shortcut(page, "Alt+Left", self.back_button)
        shortcut(page, "Ctrl+S", self.save_now_button)
        shortcut(page, "Ctrl+P", self.print_button)

    def retranslate(self) -> None:
        for widget, text, name in (
            (self.back_button, _("Back to the customer (Alt+Left)"), _("Back to the customer")),
            (self.new_plan_button, _("New plan…"), _("New plan")),
            (self.new_draft_button, _("&New draft from this"), _("New draft from this version")),
            (self.accept_button, _("&Accept…"), _("Accept the plan")),
            (self.print_button, _("&Print… (Ctrl+P)"), _("Print the plan")),
            (self.compare_button, _("&Compare versions…"), _("Compare versions")),
        ):
            widget.setText(text)
            widget.setAccessibleName(name)
        self.version_label.setText(_("&Version"))
        self.versions.setAccessibleName(_("Plan version"))
        self.printer_action.setText(_("&Print on a printer…"))
        self.save_pdf_action.setText(_("&Save as PDF…"))
        self.open_pdf_action.setText(_("&Open in the PDF viewer"))
        self.partner_print_action.setText(_("Print for a pa&rtner…"))
        self.save_now_button.setAccessibleName(_("Save now"))
        self.show_plan(self.overview, self.info)
        message, warning, values = self.save_message
        self.set_save_state(message, warning, **values)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def plan_row(self) -> PlanRow | None:
        if self.overview is None or self.info is None:
            return None
        return next((p for p in self.overview.plans if p.id == self.info.row.plan_id), None)

    def show_plan(self, overview: CustomerPlans | None, info: PlanVersionInfo | None) -> None:
        self.overview, self.info = overview, info
        # The plan's type and version are in the version list beside the name.
        self.title.setText(overview.customer_name if overview else "")
        self.status.setText(status_text(info))
        name = STATUS_ICONS[info.row.status] if info else "mdi6.file-outline"
        self.status_icon.setPixmap(icon(name, self).pixmap(20, 20))
        self.accept_button.setVisible(bool(info and info.editable))
        self.new_draft_button.setVisible(bool(info and info.row.status == "accepted")
                                         and self.may_edit)
        self.print_button.setEnabled(info is not None)
        self.print_button.setVisible(self.may_print)
        self.new_plan_button.setVisible(self.may_edit)
        for_partner = (self.partner_print_allowed and self.may_edit and info is not None
                       and info.plan_type == "multi_professional")
        self.partner_separator.setVisible(for_partner)
        self.partner_print_action.setVisible(for_partner)
        plan = self.plan_row()
        self.compare_button.setEnabled(bool(plan and len(plan.versions) > 1))
        self.new_plan_button.setEnabled(overview is not None)
        self.versions.clear()
        for each in overview.plans if overview else ():
            for row in each.versions:
                self.versions.addItem(
                    f"{_(vocab.PLAN_TYPES[each.plan_type])} · {version_label(row)}", row.id)
        if info is not None:
            self.versions.setCurrentIndex(max(0, self.versions.findData(info.id)))
        self.versions.setEnabled(self.versions.count() > 1)
        self.versions.setVisible(self.versions.count() > 0)
        self.version_label.setVisible(self.versions.count() > 0)
        self._show_banner(info)
        notes = []
        if info is not None and info.customer_language != info.print_language:
            notes.append(_("The customer's language is {language}: the plan prints in "
                           "Finnish. Consider an interpreter.").format(
                               language=language_label(info.customer_language)))
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))
        self.message.setVisible(bool(self.message.text()))

    def _show_banner(self, info: PlanVersionInfo | None) -> None:
        status = info.row.status if info is not None else "draft"
        if info is None or status not in ("accepted", "superseded"):
            self.banner.hide()
            return
        if status == "accepted":
            title = _("Accepted {date} · read-only").format(
                date=format_date(info.row.accepted_at))
            text = _("An accepted plan cannot be changed. To change it, start a new "
                     "draft from it.")
        else:
            title = _("Superseded · read-only")
            text = _("A later version replaces this one.")
        self.banner_title.setText(title)
        self.banner_text.setText(text)
        self.banner_icon.setPixmap(icon("mdi6.lock-outline", self).pixmap(24, 24))
        self.banner.setAccessibleName(title)
        self.banner.show()

    def set_save_state(self, message: str = "", warning: bool = False, **values: str) -> None:
        """The save state as a message id (and its values), so that it follows a change
        of language like every other text."""
        self.save_message = (message, warning, values)
        text = _(message).format(**values) if message else ""
        style.set_status(self.save_state, style.WARN if warning and text else None, text)

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


class NewPlanPanel(QWidget):
    """Shown when the customer has no plan (or the coach starts another): type, create."""

    create_requested = Signal(str)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_new_panel")
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        row = QHBoxLayout()
        self.type_label = QLabel()
        self.plan_type = QComboBox()
        self.plan_type.setObjectName("plan_new_type")
        for code in vocab.PLAN_TYPES:
            self.plan_type.addItem("", code)
        self.type_label.setBuddy(self.plan_type)
        self.create_button = button("create", "mdi6.plus", self)
        self.create_button.clicked.connect(
            lambda: self.create_requested.emit(self.plan_type.currentData()))
        row.addWidget(self.type_label)
        row.addWidget(self.plan_type)
        self.cancel_button = button("create_cancel", "mdi6.close", self)
        self.cancel_button.clicked.connect(self.cancel_requested)
        row.addWidget(self.create_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addStretch(1)
        self.has_plans = False
        self.retranslate()

    def show_for(self, has_plans: bool) -> None:
        """A first plan, or another one beside the customer's plans (which can be
        returned to with Cancel)."""
        self.has_plans = has_plans
        self.cancel_button.setVisible(has_plans)
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setText(
            _("Choose the type of the new plan. A customer has one plan of each type; "
              "a changed plan is a new version of it.") if self.has_plans else
            _("The customer has no plan yet. Choose the type and create the first draft."))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.type_label.setText(_("&Type"))
        self.plan_type.setAccessibleName(_("Type of the new plan"))
        for i, code in enumerate(vocab.PLAN_TYPES):
            self.plan_type.setItemText(i, _(vocab.PLAN_TYPES[code]))
        self.create_button.setText(_("C&reate the plan"))
        self.create_button.setAccessibleName(_("Create the plan"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
