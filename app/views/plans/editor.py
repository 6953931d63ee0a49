"""PlanEditor: one customer's employment plan. Sections on the left, the chosen section's
form on the right, the status and the actions on top. Drafts save themselves a second
after typing stops (and at once when the editor is hidden or another plan is opened);
accepted versions are read-only."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QHideEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.dto.plans import CustomerPlans, DraftSaved, PlanContent, PlanDocument, PlanVersionInfo
from app.i18n import N_, _, format_time, ngettext
from app.rules import plan_vocabulary as vocab
from app.services.errors import Conflict, ValidationFailed
from app.services.plans import PlanService, check_acceptance
from app.views import file_dialogs
from app.views.common import AUTOSAVE_MS, icon
from app.views.operations import QueryOp, WriteOp, drop_pending, error_message
from app.views.pdf_printer import print_pdf
from app.views.plans.dialogs import AcceptDialog, CompareDialog
from app.views.plans.forms import ContactSection, ObligationSection, ReviewSection
from app.views.plans.header import NewPlanPanel, PlanHeader
from app.views.plans.participants import ChooseParticipantDialog, Directory, load_directory
from app.views.plans.sections import (
    TYPE_SECTIONS,
    ActionsSection,
    GoalsSection,
    Section,
    ServicesSection,
    section_of,
    section_title,
)
from app.views.plans.type_sections import ParticipantsSection, type_sections
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.registry import Services


class DraftSaver:
    """Saves one draft. Runs in the database thread, where it also keeps the draft's
    revision: saves queued back to back chain correctly without asking the GUI."""

    def __init__(self, plans: PlanService, version_id: str, revision: str) -> None:
        self.plans, self.version_id, self.revision = plans, version_id, revision

    def save(self, content: PlanContent) -> DraftSaved:
        result = self.plans.save_draft(self.version_id, content, self.revision)
        self.revision = result.revision
        return result

    def accept(self, how: str, when: Any, content: PlanContent) -> PlanVersionInfo:
        return self.plans.accept(self.version_id, how, when, content, self.revision)


class PlanEditor(QWidget):
    loaded = Signal()  # a version (or the new-plan panel) is shown
    saved = Signal()  # a draft save finished
    back_requested = Signal()  # the header's back button (`header.back_button.show()`)

    def __init__(self, plans: PlanService, runner: TaskRunner,
                 today: Callable[[], date], parent: QWidget | None = None, *,
                 services: Services | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_editor")
        # The context clock (services.session.today): never the wall clock.
        self.plans, self.runner, self.today = plans, runner, today
        # The registers and consents (#24): choosing participants, printing for a partner.
        self.services = services
        self.customer_id: str | None = None
        self.overview: CustomerPlans | None = None
        self.info: PlanVersionInfo | None = None
        self.saver: DraftSaver | None = None
        self.submitted: PlanContent | None = None  # the last content sent to be saved
        self.in_flight = 0
        self.loading = False
        self.live_check = False  # after a refused acceptance, errors follow the typing
        self.dialog: Any = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.flush)
        self._build()
        self.retranslate()

    # --- building ---------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.header = header = PlanHeader()
        header.add_shortcuts(self)
        header.back_button.clicked.connect(self.back_requested)
        header.version_chosen.connect(self._version_chosen)
        header.save_now.connect(self.flush)
        header.new_plan_button.clicked.connect(self.new_plan)
        header.new_draft_button.clicked.connect(self.new_draft)
        header.accept_button.clicked.connect(self.accept_plan)
        header.printer_action.triggered.connect(self.print_on_printer)
        header.save_pdf_action.triggered.connect(self.save_pdf)
        header.open_pdf_action.triggered.connect(self.open_pdf)
        header.partner_print_action.triggered.connect(self.print_for_partner)
        header.partner_print_allowed = self.services is not None
        header.compare_button.clicked.connect(self.compare)
        outer.addWidget(header)

        self.body = QStackedWidget()
        self.new_panel = NewPlanPanel()
        self.new_panel.create_requested.connect(self.create_plan)
        self.new_panel.cancel_requested.connect(
            lambda: self.body.setCurrentWidget(self.editor if self.info else self.new_panel))
        self.editor: QWidget = QWidget()  # typed: the panel's cancel handler above uses it
        columns = QHBoxLayout(self.editor)
        columns.setContentsMargins(0, 0, 0, 0)
        self.section_list = QListWidget()
        self.section_list.setObjectName("plan_sections")
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.section_list.setWordWrap(True)
        self.section_list.setSpacing(2)
        self.pages = QStackedWidget()
        self.obligation_section = ObligationSection()
        self.review_section = ReviewSection(self.today)
        # Each plan type's own sections follow the goals; those of other types are hidden.
        self.type_sections = type_sections()
        self.participants_section = next(
            s for s in self.type_sections if isinstance(s, ParticipantsSection))
        self.participants_section.add_requested.connect(self.add_participant)
        self.sections: list[Section] = [
            GoalsSection(), *self.type_sections, ActionsSection(partner=False),
            ActionsSection(partner=True), ServicesSection(), self.obligation_section,
            ContactSection(), self.review_section]
        for section in self.sections:
            self.section_list.addItem(QListWidgetItem())
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            scroll.setWidget(section)
            self.pages.addWidget(scroll)
            section.changed.connect(self._edited)
        self.section_by_key = {s.key: s for s in self.sections}
        self.section_list.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.section_list.setCurrentRow(0)
        columns.addWidget(self.section_list)
        columns.addWidget(self.pages, 1)
        self.loading_label = QLabel()
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.loading_label, self.new_panel, self.editor):
            self.body.addWidget(widget)
        outer.addWidget(self.body, 1)

    def retranslate(self) -> None:
        self.section_list.setAccessibleName(_("Sections of the plan"))
        self.loading_label.setText(_("Loading…"))
        for section in self.sections:
            section.retranslate()
        self._show_errors({})

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving the page or closing the window: what was typed is saved now.
        self.flush()
        super().hideEvent(event)

    # --- loading ----------------------------------------------------------------------

    def open_customer(self, customer_id: str, prefer: str | None = None) -> None:
        """Show the customer's plan: its draft, else its accepted version (or `prefer`)."""
        self.flush()
        if customer_id != self.customer_id:
            self.info = self.saver = None
            self.loading_label.setText(_("Loading…"))
            self.body.setCurrentWidget(self.loading_label)
        self.customer_id = customer_id
        QueryOp(self.runner, self, lambda: self.plans.open_customer(customer_id),
                success=lambda o: self._opened(o, prefer)).latest("plan").run_in_background()

    def forget(self) -> None:
        """Signed out: what was typed is saved first (the runner takes it before the
        sign-out); then no plan stays behind the card or loads late for the next person."""
        self.flush()
        drop_pending(self, "plan")
        self.customer_id = None
        self.info = self.saver = self.overview = None
        self.loading_label.setText("")
        self.body.setCurrentWidget(self.loading_label)

    def _opened(self, overview: CustomerPlans, prefer: str | None) -> None:
        if overview.customer_id != self.customer_id:
            return  # another customer was opened meanwhile
        self.overview = overview
        if overview.current is None:
            self.info = self.saver = None
            self.new_panel.show_for(False)
            self.body.setCurrentWidget(self.new_panel)
            self.header.show_plan(overview, None)
            self.loaded.emit()
        elif prefer and prefer != overview.current.id:
            self.load_version(prefer)
        else:
            self.show_version(overview.current)

    def load_version(self, version_id: str) -> None:
        self.flush()
        QueryOp(self.runner, self, lambda: self.plans.version(version_id),
                success=self.show_version).latest("plan").run_in_background()

    def show_version(self, info: PlanVersionInfo) -> None:
        if info.customer_id != self.customer_id:
            return
        self.loading = True
        self.info = info
        self.saver = DraftSaver(self.plans, info.id, info.revision) if info.editable else None
        for section in self.sections:
            section.set_plan(info.plan_type, info.print_language)
            section.set_content(info.content)
            section.set_read_only(not info.editable)
        self._show_type_sections(info.plan_type)
        self.loading = False
        self.submitted = self.collect()
        self.live_check = False
        self.header.set_save_state(N_("Saves itself as you type") if info.editable else "")
        self._show_errors({})
        self.body.setCurrentWidget(self.editor)
        self.header.show_plan(self.overview, info)
        self.loaded.emit()

    def _show_type_sections(self, plan_type: str) -> None:
        """The sections of this plan's type, none of another's (the employment plan's
        list stays as it was)."""
        own = TYPE_SECTIONS.get(plan_type, ())
        other = {k for keys in TYPE_SECTIONS.values() for k in keys} - set(own)
        for row, section in enumerate(self.sections):
            self.section_list.setRowHidden(row, section.key in other)
        if self.section_list.isRowHidden(self.section_list.currentRow()):
            self.section_list.setCurrentRow(0)
        self.participants_section.set_directory(None)
        if plan_type == "multi_professional" and self.info is not None and self.info.editable:
            # Whose consent no longer lets them take part: said on their rows.
            self._load_directory(self.participants_section.set_directory)

    def _load_directory(self, then: Callable[[Directory], object]) -> None:
        """The registers and the customer's consent state, fresh (a consent may have been
        withdrawn a minute ago on another desk)."""
        services, customer_id = self.services, self.customer_id
        if services is None or customer_id is None:
            return

        def loaded(directory: Directory) -> None:
            if customer_id == self.customer_id:
                then(directory)

        QueryOp(self.runner, self, lambda: load_directory(services, customer_id),
                success=loaded).errors_to(lambda t: self.header.say("⚠ " + t)) \
            .latest("directory").run_in_background()

    def add_participant(self, kind: str) -> None:
        """Choose a partner person (with the customer's consent in force) or a staff
        member, and add them to the participants."""
        if self.info is None or not self.info.editable:
            return
        if self.services is None:
            self.participants_section.list.add_row(focus=True)
            return

        def chosen(directory: Directory) -> None:
            section = self.participants_section
            section.set_directory(directory)
            dialog = ChooseParticipantDialog(kind, directory, section.taken(), self)

            def add() -> None:
                if dialog.chosen is not None:
                    section.add_participant(dialog.chosen)

            dialog.accepted.connect(add)
            self.dialog = dialog
            dialog.open()

        self._load_directory(chosen)

    def _version_chosen(self, version_id: str) -> None:
        if version_id and (self.info is None or version_id != self.info.id):
            self.load_version(version_id)

    # --- editing and autosave -----------------------------------------------------------

    def collect(self) -> PlanContent:
        values: dict[str, Any] = {}
        for section in self.sections:
            section.collect(values)
        return PlanContent(**values)

    def _edited(self) -> None:
        if self.loading or self.info is None or not self.info.editable:
            return
        obligation = self.obligation_section
        obligation.next_review = self.review_section.review.date()
        obligation.update_preview()
        self.timer.start()
        self.header.set_save_state(N_("Unsaved changes…"))
        self._show_errors(check_acceptance(self.collect(), self.today()) if self.live_check else {})

    def has_unsaved_changes(self) -> bool:
        editable = self.info is not None and self.info.editable
        return self.timer.isActive() or self.in_flight > 0 or (
            editable and self.collect() != self.submitted)

    def flush(self) -> None:
        """Save the draft now if it changed since it was last sent."""
        self.timer.stop()
        saver = self.saver
        if saver is None or self.info is None or not self.info.editable:
            return
        content = self.collect()
        if content == self.submitted:
            return
        self.submitted = content
        self.in_flight += 1
        self.header.set_save_state(N_("Saving…"))
        WriteOp(self.runner, self, lambda: saver.save(content),
                success=lambda r: self._saved(saver, r)) \
            .on(ValidationFailed, lambda exc: self._save_failed(saver, errors=exc.errors)) \
            .on(Conflict, lambda exc: self._save_failed(saver, error_message(exc), alone=True)) \
            .errors_to(lambda text: self._save_failed(saver, text)) \
            .run_in_background()

    def _saved(self, saver: DraftSaver, result: DraftSaved) -> None:
        self.in_flight -= 1
        if saver is self.saver and self.in_flight == 0 and not self.timer.isActive():
            self.header.set_save_state(N_("All changes saved {time}"),
                                       time=format_time(result.saved_at))
            if not self.live_check:
                self._show_errors({})
        self.saved.emit()

    def _save_failed(self, saver: DraftSaver, text: str = "",
                     errors: dict[str, str] | None = None, alone: bool = False) -> None:
        """The save was refused: `errors` by field, or `text` (`alone`: a conflict, which
        says itself that nothing was saved)."""
        self.in_flight -= 1
        if saver is not self.saver:
            return
        self.submitted = None  # the next edit (or Ctrl+S) tries again
        if errors is not None:
            self._show_errors(errors)
            self.header.set_save_state(N_("Not saved: check the marked fields."), True)
        elif alone:
            self.header.set_save_state("{error}", True, error=text)
        else:
            self.header.set_save_state(N_("Not saved: {error}"), True, error=text)

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Errors beside their fields, and a mark on each section that has some."""
        marked = set()
        for section in self.sections:
            mine = {k: v for k, v in errors.items() if section_of(k) == section.key}
            section.show_errors(mine)
            if mine or section.local_errors():
                marked.add(section.key)
        for row, section in enumerate(self.sections):
            item = self.section_list.item(row)
            title = section_title(section.key)
            flagged = section.key in marked
            item.setText(f"{title}  ⚠" if flagged else title)
            item.setIcon(icon("mdi6.alert-circle-outline" if flagged else "mdi6.circle-small",
                              self))
            item.setToolTip(_("Check this section") if flagged else "")
        # As wide as the longest title (with room for the mark), long titles wrapping.
        wanted = (self.section_list.sizeHintForColumn(0) + 2 * self.section_list.frameWidth()
                  + self.fontMetrics().horizontalAdvance("  ⚠") + 8)
        self.section_list.setFixedWidth(min(wanted, self.fontMetrics().averageCharWidth() * 44))

    def _go_to(self, key: str | None) -> None:
        if key in self.section_by_key:
            self.section_list.setCurrentRow(self.sections.index(self.section_by_key[key]))

    # --- plans and versions ---------------------------------------------------------------

    def show_error(self, text: str) -> None:
        if self.body.currentWidget() is self.loading_label:
            if self.info:
                self.body.setCurrentWidget(self.editor)
            elif self.overview is None or self.overview.customer_id != self.customer_id:
                # The plan could not be opened at all (another coach's caseload, say):
                # nothing to offer but the reason, never the form to create a plan.
                self.loading_label.setText("")
            else:
                self.body.setCurrentWidget(self.new_panel)
        self.header.say("⚠ " + text)

    def new_plan(self) -> None:
        self.flush()
        self.new_panel.show_for(self.info is not None)
        self.body.setCurrentWidget(self.new_panel)
        self.new_panel.plan_type.setFocus()

    def create_plan(self, plan_type: str) -> None:
        customer_id = self.customer_id
        if customer_id is None:
            return

        def created(info: PlanVersionInfo) -> None:
            self.header.say(_("The first draft is ready: it saves itself as you type."))
            self.open_customer(customer_id, prefer=info.id)

        WriteOp(self.runner, self, lambda: self.plans.create_plan(customer_id, plan_type),
                success=created).run_in_background()

    def new_draft(self) -> None:
        info, customer_id = self.info, self.customer_id
        if info is None or customer_id is None:
            return

        def started(draft: PlanVersionInfo) -> None:
            self.header.say(_("Version {number} is a new draft based on version {base}.")
                            .format(number=draft.row.number, base=info.row.number))
            self.open_customer(customer_id, prefer=draft.id)

        WriteOp(self.runner, self, lambda: self.plans.start_new_draft(info.id),
                success=started).run_in_background()

    def accept_plan(self) -> None:
        if self.info is None or not self.info.editable or self.saver is None:
            return
        dialog = AcceptDialog(self.today(), self)
        saver, customer_id = self.saver, self.customer_id

        def submit() -> None:
            self.timer.stop()
            content = self.collect()
            how, when = dialog.value()
            WriteOp(self.runner, dialog, lambda: saver.accept(how, when, content),
                    success=accepted) \
                .on(ValidationFailed, lambda exc: refused(exc.errors)) \
                .errors_to(lambda text: dialog.show_errors({}, text)).run_in_background()

        def accepted(info: PlanVersionInfo) -> None:
            dialog.saved()
            self.header.say(_("The plan is accepted. Print it for the customer with Ctrl+P."))
            if customer_id is not None:
                self.open_customer(customer_id, prefer=info.id)

        def refused(errors: dict[str, str]) -> None:
            own = {k: v for k, v in errors.items() if k in ("how", "when")}
            rest = {k: v for k, v in errors.items() if k not in own}
            if not rest:
                dialog.show_errors(own)
                return
            dialog.reject()
            self.live_check = True
            self._show_errors(rest)
            self._go_to(section_of(next(iter(rest))))
            self.header.say("⚠ " + _("The plan cannot be accepted yet: see the sections "
                                     "marked ⚠."))
            self.flush()  # keep what was typed: the refused acceptance saved nothing

        dialog.submit_handler = submit
        self.dialog = dialog
        dialog.open()

    # --- printing and comparing ----------------------------------------------------------

    def _print(self, purpose: str, path: Path, then: Callable[[Path], None]) -> None:
        """The document from the database (audited), then the PDF off the GUI thread."""
        if self.info is None:
            return
        self.flush()
        version_id = self.info.id

        def render(document: PlanDocument) -> None:
            def write() -> Path:
                path.write_bytes(self.plans.render(document))
                return path

            QueryOp(self.runner, self, write, success=then).in_io_pool().run_in_background()

        self.header.say(_("Preparing the PDF…"))
        QueryOp(self.runner, self, lambda: self.plans.print_document(version_id, purpose=purpose),
                success=render).run_in_background()

    def save_pdf(self) -> None:
        if self.info is None:
            return
        # Whose plan, which plan and when: "Virtanen, Matti – Employment plan 2026-12-02".
        customer = self.overview.customer_name if self.overview is not None else None
        suggested = file_dialogs.file_name(customer, _(vocab.PLAN_TYPES[self.info.plan_type]),
                                           day=self.today(), suffix="pdf")
        path = file_dialogs.ask_save_path(self, _("Save the plan as PDF"), suggested,
                                          _("PDF documents (*.pdf)"))
        if path is not None:
            self._print("save", path,
                        lambda p: self.header.say(_("Saved as {path}").format(path=p)))

    def print_on_printer(self) -> None:
        """The system print dialog, then the plan's pages painted onto the printer."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return
        folder = Path(tempfile.mkdtemp(prefix="plan-"))

        def sent(pages: int) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.header.say(ngettext("Sent {n} page to the printer.",
                                     "Sent {n} pages to the printer.", pages).format(n=pages))

        def failed(text: str) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.header.say("⚠ " + _("Printing failed: {error}").format(error=text))

        def send(path: Path) -> None:
            QueryOp(self.runner, self, lambda: print_pdf(path, printer), success=sent) \
                .errors_to(failed).in_io_pool().run_in_background()

        self._print("print", folder / "plan.pdf", send)

    def open_pdf(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="plan-"))

        def opened(path: Path) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            self.header.say(_("The plan is open in the PDF viewer."))

        self._print("open", folder / "plan.pdf", opened)

    def print_for_partner(self) -> None:
        """The multi-professional plan printed for a partner organisation: only with the
        customer's consent to share the plan with it (the service checks it again)."""
        info, services, customer_id = self.info, self.services, self.customer_id
        if info is None or services is None or customer_id is None:
            return
        self.flush()
        from app.views.plans.partner_print import PartnerPrintDialog

        customer = self.overview.customer_name if self.overview is not None else ""
        dialog = PartnerPrintDialog(services, self.runner, customer_id, customer, info,
                                    self.today, self)
        dialog.done_message.connect(self.header.say)
        self.dialog = dialog
        dialog.open()
        dialog.load()

    def compare(self) -> None:
        plan = self.header.plan_row()
        if plan is None or self.info is None or len(plan.versions) < 2:
            return
        self.flush()
        ids = [v.id for v in plan.versions]  # newest first
        right = self.info.id
        position = ids.index(right)
        left = ids[position + 1] if position + 1 < len(ids) else ids[position - 1]

        def run(a: str, b: str) -> None:
            QueryOp(self.runner, dialog, lambda: self.plans.compare(a, b),
                    success=dialog.show_comparison).latest("comparison").run_in_background()

        dialog = CompareDialog(plan.versions, left, right, run, self)
        self.dialog = dialog
        dialog.open()
        dialog.run()
