"""CustomerCardView: one customer's identity, contact and jobseeker situation."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.dto.customers import CustomerCard
from app.dto.visits import VisitRow
from app.i18n import _, format_date, format_number, ngettext
from app.views import style
from app.views.appointments.customer_section import CustomerAppointmentsView
from app.views.coaching.panel import CoachingPanel
from app.views.common import icon, language_label, shortcut
from app.views.customers.case_section import CaseSection
from app.views.customers.consents_section import CustomerConsentsSection
from app.views.customers.decisions_section import DecisionsSection
from app.views.customers.events_section import CustomerEventsSection
from app.views.customers.facts_section import CaseFactsSection
from app.views.customers.messages_section import CustomerMessagesSection
from app.views.customers.notes_section import CaseNotesSection
from app.views.customers.referrals_section import ReferralsSection
from app.views.customers.timeline import VisitTableModel
from app.views.employers.job_tips import JobTipsSection


class CustomerCardView(QWidget):
    back_requested = Signal()
    edit_requested = Signal(str)
    reveal_requested = Signal(str)
    contact_requested = Signal(str)
    plan_requested = Signal(str)
    access_log_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_card")
        self.card: CustomerCard | None = None
        self.revealed: str | None = None
        self.may_reveal = True  # the role's customer.reveal_hetu (CustomersPage.set_role)
        self._build()
        self.retranslate()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.back = QPushButton()
        self.back.setObjectName("customer_back")
        shortcut(self, "Alt+Left", self.back)
        self.back.clicked.connect(self.back_requested)
        self.edit = QPushButton()
        self.edit.setObjectName("customer_edit")
        shortcut(self, "Ctrl+E", self.edit)
        self.edit.clicked.connect(lambda: self._emit_for_card(self.edit_requested))
        self.reveal = QPushButton()
        self.reveal.setObjectName("customer_reveal_hetu")
        self.reveal.clicked.connect(lambda: self._emit_for_card(self.reveal_requested))
        self.contact = QPushButton()
        self.contact.setObjectName("customer_record_contact")
        shortcut(self, "Ctrl+R", self.contact)
        self.contact.clicked.connect(lambda: self._emit_for_card(self.contact_requested))
        self.plan = QPushButton()
        self.plan.setObjectName("customer_plan")
        shortcut(self, "Ctrl+L", self.plan)
        self.plan.clicked.connect(lambda: self._emit_for_card(self.plan_requested))
        self.access_log = QPushButton()
        self.access_log.setObjectName("customer_access_log")
        self.access_log.setVisible(False)  # team leads only: see CustomersPage.set_role
        self.access_log.clicked.connect(
            lambda: self._emit_for_card(self.access_log_requested))
        bar.addWidget(self.back)
        bar.addStretch(1)
        bar.addWidget(self.access_log)
        bar.addWidget(self.plan)
        bar.addWidget(self.reveal)
        outer.addLayout(bar)
        # The frequent actions on a row of their own: on one row the buttons made the
        # window wider than a 1280-pixel screen (and at 150 % text, than 1600 pixels).
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.contact)
        actions.addWidget(self.edit)
        outer.addLayout(actions)

        self.title = QLabel()
        self.title.setObjectName("customer_title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        style.title(self.title)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("customer_subtitle")
        self.subtitle.setWordWrap(True)
        self.situation = QLabel()
        self.situation.setObjectName("customer_situation")
        self.situation.setWordWrap(True)
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)
        outer.addWidget(self.situation)
        # The case's status and its actions, always in sight; its periods in a tab.
        self.case = CaseSection()
        outer.addWidget(self.case.strip)
        self.coaching = CoachingPanel()

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a container: its fields take focus
        body = QWidget()
        columns = QHBoxLayout(body)
        self.groups: dict[str, tuple[QGroupBox, QFormLayout]] = {}
        for key in ("identity", "contact", "jobseeker"):
            box = QGroupBox()
            form = QFormLayout(box)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            self.groups[key] = (box, form)
            columns.addWidget(box, 1, Qt.AlignmentFlag.AlignTop)
        scroll.setWidget(body)
        outer.addWidget(scroll, 0)
        self.details_scroll = scroll
        # Coaching, visits and appointments share one tabbed area, so the card fits an
        # 800-pixel screen and each list gets the height it needs.
        self.sections = QTabWidget()
        self.sections.setObjectName("customer_sections")
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.coaching, "")
        visits_tab = QWidget()
        visits_layout = QVBoxLayout(visits_tab)
        visits_layout.setContentsMargins(0, 4, 0, 0)
        self.visits_title = QLabel()
        style.heading(self.visits_title)
        visits_layout.addWidget(self.visits_title)
        self.visits_model = VisitTableModel(self)
        self.visits = QTableView()
        self.visits.setObjectName("customer_visits")
        self.visits.setModel(self.visits_model)
        self.visits.setTabKeyNavigation(False)
        self.visits.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.visits.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.visits.verticalHeader().hide()
        self.visits.setAlternatingRowColors(True)  # rows apart without a grid (style.py)
        self.visits.setWordWrap(False)
        header = self.visits.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        visits_layout.addWidget(self.visits, 1)
        # Job tips: the vacancies the customer was proposed for, on their timeline under
        # the visits (#22), shown when there are any; never to the desk (page.py).
        self.job_tips = JobTipsSection()
        self.job_tips.hide()
        visits_layout.addWidget(self.job_tips, 1)
        # Events the customer is or was on the list of (#21), shown when there are any.
        self.events = CustomerEventsSection()
        self.events.hide()
        visits_layout.addWidget(self.events, 1)
        self.sections.addTab(visits_tab, "")
        self.appointments = CustomerAppointmentsView()  # filled by the customers page
        self.sections.addTab(self.appointments, "")
        # Contact preferences and the messages sent (#23): customers/messages_section.py.
        self.messages = CustomerMessagesSection()
        self.sections.addTab(self.messages, "")
        # Consents to share information with partners (#24): customers/consents_section.py.
        # A tab of its own: on the Messages tab, renamed, neither fitted at 1280 pixels in
        # Finnish and Swedish, and the messages' list lost the height it needs.
        self.consents = CustomerConsentsSection()
        self.sections.addTab(self.consents, "")
        # Case notes and the facts behind the rules: coaches, team leads and administrators
        # only (CustomersPage.set_role hides the tab from the desk).
        self.case_work = QWidget()
        self.case_work.setObjectName("customer_case_work")
        case_layout = QHBoxLayout(self.case_work)
        case_layout.setContentsMargins(0, 4, 0, 0)
        self.case_facts = CaseFactsSection()
        self.case_notes = CaseNotesSection()
        case_layout.addWidget(self.case_facts, 2, Qt.AlignmentFlag.AlignTop)
        case_layout.addWidget(self.case_notes, 3)
        self.sections.addTab(self.case_work, "")
        # Referrals to purchased services (#20): not the desk (page.py hides the tab).
        self.referrals = ReferralsSection()
        self.sections.addTab(self.referrals, "")
        # Support decisions (pay subsidy, trials, start-up grant): not the desk (page.py).
        self.decisions = DecisionsSection()
        self.sections.addTab(self.decisions, "")
        self.sections.addTab(self.case.history, "")
        outer.addWidget(self.sections, 1)

    def retranslate(self) -> None:
        self.back.setText(_("← Back to the list (Alt+Left)"))
        self.back.setAccessibleName(_("Back to the customer list"))
        self.edit.setText(_("&Edit… (Ctrl+E)"))
        self.edit.setIcon(icon("mdi6.pencil", self))
        self.edit.setAccessibleName(_("Edit customer"))
        self.reveal.setText(_("Show identity code"))
        self.reveal.setIcon(icon("mdi6.eye", self))
        self.reveal.setAccessibleName(_("Show identity code"))
        self.reveal.setToolTip(_("Showing the full identity code is recorded in the audit trail."))
        self.access_log.setText(_("Access log"))
        self.access_log.setIcon(icon("mdi6.shield-search", self))
        self.access_log.setAccessibleName(_("Access log: who has looked at this customer"))
        self.plan.setText(_("Employment &plan (Ctrl+L)"))
        self.plan.setIcon(icon("mdi6.file-document-edit", self))
        self.plan.setAccessibleName(_("Employment plan"))
        self.contact.setText(_("&Record a contact… (Ctrl+R)"))
        self.contact.setIcon(icon("mdi6.phone-plus", self))
        self.contact.setAccessibleName(_("Record a phone or video contact"))
        self.visits.setAccessibleName(_("Visits and contacts"))
        self.visits_title.setText(_("Visits and contacts"))
        self.sections.setTabText(0, _("Coaching and the statutory clock"))
        # Short: with Consents (#24) nine tabs share the card's width at 1280 pixels; the
        # tab's own heading says "Visits and contacts".
        self.sections.setTabText(1, _("Visits"))
        self.sections.setTabToolTip(1, _("Visits and contacts"))
        self.sections.setTabText(2, _("Appointments"))
        self.sections.setTabText(self.sections.indexOf(self.messages), _("Messages"))
        self.sections.setTabText(self.sections.indexOf(self.consents), _("Consents"))
        self.sections.setTabText(self.sections.indexOf(self.case_work),
                                 _("Notes and work ability"))
        self.sections.setTabText(self.sections.indexOf(self.referrals), _("Referrals"))
        self.sections.setTabText(self.sections.indexOf(self.decisions), _("Decisions"))
        self.sections.setTabText(self.sections.indexOf(self.case.history),
                                 _("Job-search periods"))
        self.visits_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)
        self.groups["identity"][0].setTitle(_("Personal details"))
        self.groups["contact"][0].setTitle(_("Contact"))
        self.groups["jobseeker"][0].setTitle(_("Jobseeker"))
        if self.card is not None:
            self.show_card(self.card, self.revealed)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_visits(self, rows: list[VisitRow]) -> None:
        self.visits_model.set_rows(rows)
        if not rows:
            self.visits_title.setText(_("Visits and contacts: none yet"))
        else:
            self.visits_title.setText(_("Visits and contacts"))

    def show_card(self, card: CustomerCard, revealed: str | None = None) -> None:
        if self.card is None or self.card.id != card.id:
            self.visits_model.set_rows([])
        self.card, self.revealed = card, revealed
        hetu = revealed or card.hetu_masked or _("no identity code")
        self.reveal.setVisible(card.has_hetu and not revealed and self.may_reveal)
        self.title.setText(card.name)
        parts = []
        if card.age is not None:
            parts.append(
                ngettext("{age} year", "{age} years", card.age).format(age=format_number(card.age))
            )
        parts += [hetu, _("coach: {name}").format(name=card.coach_name or _("none yet")),
                  language_label(card.language)]
        if card.interpreter_needed:
            parts.append(_("needs an interpreter"))
        self.subtitle.setText("  ·  ".join(parts))
        self.situation.setText(self._situation(card))
        self._fill("identity", [
            (_("Customer number"), card.customer_number),
            (_("Identity code"), hetu + (" " + _("(temporary)") if card.hetu_temporary else "")),
            (_("Birth date"), format_date(card.birth_date)),
            (_("Service language"), language_label(card.language)),
            (_("Interpreter"), _("needed") if card.interpreter_needed else _("not needed")),
        ])
        address = ", ".join(p for p in (card.street_address,
                                         f"{card.postal_code} {card.post_office}".strip()) if p)
        self._fill("contact", [
            (_("Phone"), card.phone or "–"),
            (_("Email"), card.email or "–"),
            (_("Address"), address or "–"),
            (_("Home municipality"), card.home_municipality),
        ])
        self._fill("jobseeker", [
            (_("Service point"), card.service_point_name),
            (_("Coach"), card.coach_name or _("none yet")),
            (_("Registered as a jobseeker"), format_date(card.jobseeker_registered_on) or "–"),
            (_("Unemployed since"), format_date(card.unemployed_since) or "–"),
        ] + ([(_("First residence permit"), format_date(card.first_residence_permit_on))]
             if card.first_residence_permit_on else []))
        # The details stay readable above the visits (which scroll) on a 800-pixel screen;
        # measured once the card is laid out (a hidden card's forms report no height).
        QTimer.singleShot(0, self, self._fit_details)  # dropped if the card is deleted

    def forget(self) -> None:
        """Signed out: no customer's details stay in the (hidden) card."""
        self.card, self.revealed = None, None
        self.visits_model.set_rows([])
        self.case.forget()
        for label in (self.title, self.subtitle, self.situation):
            label.clear()
        for key in self.groups:
            self._fill(key, [])

    def _emit_for_card(self, signal: SignalInstance) -> None:
        """Emits the shown customer's id (nothing while no card is shown)."""
        if self.card is not None:
            signal.emit(self.card.id)

    def _fit_details(self) -> None:
        body = self.details_scroll.widget()
        if body is None:
            return
        layout = body.layout()
        if layout is not None:
            layout.activate()
        self.details_scroll.setMinimumHeight(min(body.sizeHint().height() + 4, 240))

    @staticmethod
    def _situation(card: CustomerCard) -> str:
        if card.days_unemployed is None:
            return _("Not unemployed.")
        # Benefit days, as the statutory clock counts them (rules.clock); "about" when day 1
        # is estimated from the start of unemployment (no first benefit day known).
        about = card.hundred_day_approximate
        text = ngettext("Unemployed about {n} benefit day", "Unemployed about {n} benefit days",
                        card.days_unemployed) if about else ngettext(
            "Unemployed {n} benefit day", "Unemployed {n} benefit days", card.days_unemployed)
        text = text.format(n=format_number(card.days_unemployed))
        if card.hundred_day_date is not None:
            if card.days_unemployed >= 100:
                mark = _("100 days reached about {date}") if about else _(
                    "100 days reached on {date}")
            else:
                mark = _("100 days will be reached about {date}") if about else _(
                    "100 days will be reached on {date}")
            text += "  ·  " + mark.format(date=format_date(card.hundred_day_date))
        return text

    def _fill(self, key: str, rows: list[tuple[str, str]]) -> None:
        _box, form = self.groups[key]
        while form.rowCount():
            form.removeRow(0)
        for caption, value in rows:
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(QLabel(caption + ":"), shown)
