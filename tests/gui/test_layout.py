"""Every page and dialog, in Finnish, Swedish and English, at 1280x800 with the normal text
and at 1600x1000 with 150 % text: no window larger than its screen, no label, button,
group title, column header, table cell or calendar card cut off (tests/gui/layout_check).

The demo area (built once for the module, on a fixed Wednesday) gives the pages the long
names, team names and figures that real data has."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget

from app import demo, i18n
from app.dto.queue import StaffChoice
from app.rules.codes import ServiceArea
from app.views.application import build_main_window
from app.views.main_window import PAGES, ROW, MainWindow
from app.views.screenshot import settle
from tests.factories import Clock
from tests.gui.layout_check import cut_text, too_large

SIZES = {100: QSize(1280, 800), 150: QSize(1600, 1000)}
SHOTS = os.environ.get("LAYOUT_SHOTS")  # a folder: each checked view saved as a PNG
NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)  # a Wednesday, 10.30 in Helsinki


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Iterator[object]:
    from app.services.registry import Services

    services = Services.open(tmp_path_factory.mktemp("layout") / "desk.sqlite3", "test-ws")
    services.ctx.now = Clock(NOW)
    demo.fill(services, scale=0.5)
    yield services
    services.close()


@pytest.fixture
def shown(qapp, qtbot, area, request) -> Iterator[tuple[MainWindow, QSize]]:
    lang, scale = request.param
    screen = SIZES[scale]
    base = QApplication.font()
    win, runner = build_main_window(qapp, area, lang, text_scale=scale)
    qtbot.addWidget(win)
    win.resize(screen)
    win.show()
    qtbot.waitExposed(win)
    yield win, screen
    runner.wait()
    win.preferences.switcher.switch("fi")
    QApplication.setFont(base)


class Findings:
    def __init__(self, screen: QSize, case: str) -> None:
        self.screen, self.case = screen, case
        self.lines: list[str] = []

    def check(self, where: str, window: QWidget, fit: bool = True) -> None:
        QApplication.processEvents()
        if SHOTS:  # to look at what was checked
            window.grab().save(f"{SHOTS}/{self.case}-{where.replace(' ', '_')}.png")
        found = (too_large(window, self.screen) if fit else []) + cut_text(window)
        self.lines += [f"{where}: {line}" for line in found]


def _adjusted(window: QWidget, screen: QSize) -> QSize:
    """The size QWidget::adjustSize gives a new window on `screen`: its size hint (with
    the wrapped texts' height for its width), at most two thirds of the screen, at least
    its minimum."""
    hint = window.sizeHint()
    layout = window.layout()
    if layout is not None and layout.hasHeightForWidth():
        hint.setHeight(layout.totalHeightForWidth(hint.width()))
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    return QSize(max(least.width(), min(hint.width(), screen.width() * 2 // 3)),
                 max(least.height(), min(hint.height(), screen.height() * 2 // 3)))


def as_on_screen(window: QWidget, screen: QSize) -> None:
    """A dialog sized as Qt would size it on `screen`: the offscreen platform's own
    screen is only 800x600. One the code sized itself keeps its size."""
    offscreen = QApplication.primaryScreen().availableGeometry().size()
    if window.size() == _adjusted(window, offscreen):
        window.resize(_adjusted(window, screen))


def _dialog(findings: Findings, where: str, make: Callable[[], QWidget], runner) -> None:
    dialog = make()
    try:
        dialog.show()
        settle(runner, 3000)
        as_on_screen(dialog, findings.screen)
        findings.check(where, dialog)
    finally:
        dialog.close()
        dialog.deleteLater()


def _staff_id(services, username: str) -> str:
    from sqlalchemy import select

    from app.models import Staff

    with services.ctx.session_factory() as s:
        return s.scalar(select(Staff.id).where(Staff.username == username))


def _pages(win: MainWindow, findings: Findings, services) -> None:
    runner = win.runner
    actor = win.actor
    assert actor is not None
    for spec in PAGES:
        if not spec.shown_to(actor):
            continue
        win.nav.setCurrentRow(ROW[spec.key])
        settle(runner, 8000)
        findings.check(spec.key, win)
    # The calendar: a coach's busy week, and the day of a whole service point.
    page = win.page("appointments")
    win.nav.setCurrentRow(ROW["appointments"])
    settle(runner, 8000)
    page.set_mode("week")
    coach = page.worker_combo.findData(_staff_id(services, "coach"))
    for index in [coach, *range(1, page.worker_combo.count())]:
        page.worker_combo.setCurrentIndex(index)
        page._filter_changed()
        settle(runner, 8000)
        if sum(len(c.appointments) for c in page.grid.columns) >= 3:
            break
    assert any(c.appointments for c in page.grid.columns), "no appointments to check"
    findings.check("calendar week", win)
    page.set_mode("day")
    page.worker_combo.setCurrentIndex(0)
    page._filter_changed()
    settle(runner, 8000)
    findings.check("calendar day", win)
    # A customer's card and plan.
    customers = win.page("customers")
    win.nav.setCurrentRow(ROW["customers"])
    settle(runner, 8000)
    row = max(customers.model.rows, key=lambda r: len(r.name or ""))
    customers.open_customer(row.id)
    settle(runner, 8000)
    findings.check("customer card", win)
    customers.open_access_log(row.id)  # who has read the record
    settle(runner, 8000)
    log = customers.access_dialog
    assert log is not None and log.isVisible()
    as_on_screen(log, findings.screen)
    findings.check("access log", log)
    log.close()
    customers.open_plan(row.id)
    settle(runner, 8000)
    findings.check("plan", win)
    # An employer's card and its busiest vacancy (#22), when the demo has employers.
    employers = win.page("employers")
    win.nav.setCurrentRow(ROW["employers"])
    settle(runner, 8000)
    if employers.model.rows:
        best = max(employers.model.rows, key=lambda r: (r.open_vacancies, len(r.name)))
        employers.open_employer(best.id)
        settle(runner, 8000)
        findings.check("employer card", win)
        vacancies = services.vacancies.vacancies()
        if vacancies:
            employers.open_vacancy(max(vacancies, key=lambda v: v.proposed).id)
            settle(runner, 8000)
            findings.check("vacancy", win)


def _employer_dialogs(win: MainWindow, today: date) -> list[tuple[str, Callable[[], QWidget]]]:
    from app.dto.employers import PersonRow, ProposalRow, VacancyRow
    from app.views.employers.dialogs import (
        ContactDialog,
        EmployerDialog,
        OutcomeDialog,
        PersonDialog,
        StatusDialog,
        VacancyDialog,
    )
    from app.views.employers.propose_dialog import ProposeDialog

    teams = [("t1", "Yrityspalvelut ja rekrytointi, Rovaniemi")]
    staff = [("s1", "Marjatta Ruokojärvi-Heikkilä")]
    person = PersonRow("p1", "e1", "Anna-Kaisa Heikkilä-Ruokojärvi", "Henkilöstöjohtaja",
                       "040 123 4567", "anna-kaisa@example.fi", True)
    vacancy = VacancyRow("v1", "e1", "Lapin Matkailu ja Ravintolat Oy", "Kokki (kausityö)",
                         "Kokki", "Rovaniemi", "shifts", today, 3, today, True, True, "open",
                         today, None, "Marjatta Ruokojärvi-Heikkilä", "")
    proposal = ProposalRow("r1", "v1", vacancy.title, vacancy.employer_name, "c1",
                           "Ruokojärvi-Heikkilä, Aino Marjatta", "ABCD-1234", today,
                           "Marjatta Ruokojärvi-Heikkilä", "proposed", None, "")
    runner = win.runner
    return [
        ("employer", lambda: EmployerDialog(None, teams, staff, win)),
        ("contact person", lambda: PersonDialog(None, win)),
        ("employer contact", lambda: ContactDialog(None, [person], staff, today, win)),
        ("vacancy", lambda: VacancyDialog(None, staff, "Rovaniemi", win)),
        ("vacancy status", lambda: StatusDialog(vacancy, today, win)),
        ("proposal outcome", lambda: OutcomeDialog(proposal, today, win)),
        ("propose job seekers", lambda: ProposeDialog(vacancy, runner, lambda _f: [], win)),
    ]


def _partner_dialogs(win: MainWindow, today: date) -> list[tuple[str, Callable[[], QWidget]]]:
    """The partner register's forms and a card's consent dialogs (#24)."""
    from app.dto.partners import ConsentRow, PartnerOrgRow, PartnerPersonInput
    from app.views.customers.consents_section import ConsentDialog, WithdrawDialog
    from app.views.partners.dialogs import PartnerOrgDialog, PartnerPersonDialog

    org = PartnerOrgRow("o1", "Lapin hyvinvointialue, työkykykoordinaattori",
                        "wellbeing_county", None, None, None, None, None, True, 2)
    consent = ConsentRow("c1", "cu1", "o1", org.name, "Monialainen työllistymissuunnitelma",
                         ("contact", "plan", "work_ability", "benefits"), "signed", today,
                         None, None, "Marjatta Ruokojärvi-Heikkilä", None, True)
    return [
        ("partner organisation", lambda: PartnerOrgDialog(None, win)),
        ("partner person", lambda: PartnerPersonDialog(
            [org], PartnerPersonInput("o1", "Anna-Kaisa Heikkilä-Ruokojärvi"), True, win)),
        ("consent", lambda: ConsentDialog([org], today, win)),
        ("withdraw consent", lambda: WithdrawDialog(consent, today, win)),
    ]


def _meeting_dialogs(win: MainWindow, services, today: date
                     ) -> list[tuple[str, Callable[[], QWidget]]]:
    """A multi-professional meeting's dialog with long names, the plan's participant
    chooser and "Print for a partner…" (#24), shown with data and no database."""
    from app.dto.meetings import MeetingRow, ParticipantRow, TaskRow
    from app.dto.plans import PlanContent, PlanVersionInfo, PlanVersionRow
    from app.rules.codes import ConsentInfo
    from app.rules.partners import refusal
    from app.views.customers.meeting_dialog import MeetingDialog
    from app.views.plans.participants import (
        ChooseParticipantDialog,
        Directory,
        PartnerPerson,
        StaffMember,
    )
    from app.views.plans.partner_print import PartnerChoice, PartnerPrintDialog

    at = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    county = "Lapin hyvinvointialue, työkykykoordinaattori"
    refused = refusal([], "o2", ConsentInfo.PLAN, today)
    people = (
        ParticipantRow("p1", "a1", "partner", "s1", "Anna-Kaisa Heikkilä-Ruokojärvi", county,
                       "Sosiaalityöntekijä", "Asiakkaan sosiaalityöntekijä", None, None,
                       at, True, None),
        ParticipantRow("p2", "a1", "partner", "s2", "Marjatta Ruokojärvi-Heikkilä",
                       "Kela Rovaniemi", "Kuntoutuksen asiantuntija", "Etuudet", None, None,
                       None, None, refused),
        ParticipantRow("p3", "a1", "staff", "s3", "Pekka Ylitalo", "Rovaniemi – Osaamo",
                       None, "Omavalmentaja", None, None, None, False, None),
    )
    tasks = (TaskRow("t1", "a1", "p1", people[0].name,
                     "Selvittää kuntouttavan työtoiminnan paikka ja aloituspäivä", today,
                     None, True),)
    meeting = MeetingRow("a1", "cu1", "Ruokojärvi-Heikkilä, Aino Marjatta", at,
                         at.replace(hour=9), "service_point", "booked",
                         "Rovaniemi – Osaamo", "Pekka Ylitalo", people, tasks, "v1",
                         "Sovittiin kuntouttavasta työtoiminnasta.")
    directory = Directory(
        [PartnerPerson("s9", "o1", county, "Anna-Kaisa Heikkilä-Ruokojärvi",
                       "Sosiaalityöntekijä")], {"o1": None},
        [StaffMember("st1", "Marjatta Ruokojärvi-Heikkilä", "Rovaniemi – Osaamo")])
    info = PlanVersionInfo(
        PlanVersionRow("v1", "pl1", 1, "draft", None, None, None, at), "multi_professional",
        "cu1", None, "r1", PlanContent(), "fi", "fi")

    def meeting_dialog() -> QWidget:
        dialog = MeetingDialog(services, win.runner, "a1", win)
        dialog.directory = directory
        dialog.show_meeting(meeting, minute=True)
        return dialog

    def partner_print() -> QWidget:
        dialog = PartnerPrintDialog(services, win.runner, "cu1", meeting.customer_name, info,
                                    lambda: today, win)
        dialog.set_choices([PartnerChoice("o1", county, None),
                            PartnerChoice("o2", "Kela Rovaniemi", refused)])
        dialog.partner.setCurrentIndex(1)
        return dialog

    return [
        ("meeting", meeting_dialog),
        ("add a partner person to the plan",
         lambda: ChooseParticipantDialog("partner", directory, set(), win)),
        ("add a staff member to the plan",
         lambda: ChooseParticipantDialog("staff", directory, set(), win)),
        ("print the plan for a partner", partner_print),
    ]


def _dialogs(win: MainWindow, findings: Findings, services, lang: str) -> None:
    from app import config
    from app.views.appointments.dialogs import ReasonDialog as CancelDialog
    from app.views.coaching.dialogs import AssignCoachDialog, ReasonDialog
    from app.views.coaching.import_dialog import ImportDialog
    from app.views.customers.dialog import CustomerDialog
    from app.views.error_dialog import ErrorDialog
    from app.views.feedback.customer_window import CustomerFeedbackWindow
    from app.views.feedback.kiosk import KioskWindow
    from app.views.feedback.pin import LeaveKioskDialog, SetPinDialog
    from app.views.first_run import FirstRunDialog
    from app.views.plans.dialogs import AcceptDialog
    from app.views.queue.arrival import ArrivalDialog
    from app.views.queue.dialogs import DeskDialog, TransferDialog, VisitRecordDialog
    from app.views.queue.lobby import LobbyWindow
    from app.views.reports.statistics import StatisticsDialog
    from app.views.shell.shortcuts import ShortcutsDialog

    runner = win.runner
    areas = [a.value for a in ServiceArea]
    staff = [StaffChoice("s1", "Marjatta Ruokojärvi-Heikkilä", True)]
    today = date(2026, 11, 25)
    made: list[tuple[str, Callable[[], QWidget]]] = [
        ("arrival (F2)", lambda: ArrivalDialog(services.queue, services.customers, runner,
                                               areas, win)),
        ("finish visit (F12)", lambda: VisitRecordDialog(areas, "information",
                                                         "Odotti 12 min · palveltu 9 min",
                                                         parent=win)),
        ("contact", lambda: VisitRecordDialog(areas, "information", contact=True, parent=win)),
        ("transfer", lambda: TransferDialog(areas, "information", staff, win)),
        ("my desk", lambda: DeskDialog("Tiski 1", "A", areas, set(areas[:2]), win)),
        ("customer", lambda: CustomerDialog(runner, services.customers.create, None,
                                            "Uusi asiakas", win)),
        ("plan accept", lambda: AcceptDialog(today, win)),
        ("coach leaves", lambda: ReasonDialog("A coach leaves", "Move every customer of "
                                              "Marjatta Ruokojärvi-Heikkilä (130) to the "
                                              "other coaches of the team.", "", win)),
        ("assign coach", lambda: AssignCoachDialog([], None, 120, win)),
        ("import", lambda: ImportDialog(services.customer_import, runner, win)),
        ("cancel appointment", lambda: CancelDialog("ke 25.11. 9.00–9.45 Ruokojärvi, Aino",
                                                    win)),
        ("set PIN", lambda: SetPinDialog(win)),
        ("leave kiosk", lambda: LeaveKioskDialog(win)),
        ("first run", lambda: FirstRunDialog(services.setup, runner,
                                             win.preferences.switcher,
                                             config.load().with_(language=lang))),
        ("shortcuts (F1)", lambda: ShortcutsDialog(win)),
        ("unexpected error", lambda: ErrorDialog(win, RuntimeError("database is locked"))),
        ("municipal statistics", lambda: StatisticsDialog(
            statistics, services.reports.set_statistics, runner, win)),
        ("customer feedback window", lambda: CustomerFeedbackWindow(lambda _a: None, runner,
                                                                    True)),
        ("kiosk", lambda: KioskWindow(services.feedback, services.auth, runner,
                                      services.feedback.kiosk_point("ROV"))),
    ]
    made += _employer_dialogs(win, today)  # the employer register's forms (#22)
    made += _partner_dialogs(win, today)  # partners and consents (#24)
    made += _meeting_dialogs(win, services, today)  # meetings and plans for partners (#24)
    got: list[dict] = []
    runner.submit(services.reports.statistics, got.append)  # as the admin signed in
    settle(runner, 5000)
    statistics = got[0]
    for where, make in made:
        _dialog(findings, where, make, runner)
    # The calendar's own dialogs, opened as the page opens them.
    page = win.page("appointments")
    win.nav.setCurrentRow(ROW["appointments"])
    settle(runner, 8000)
    for where, open_it in (("booking (F2)", page.calendar_actions.handlers()["book"]),
                           ("holidays", page.calendar_settings.exceptions),
                           ("working hours", page.calendar_settings.working_hours),
                           ("reminders", page.calendar_actions.handlers()["reminders"])):
        open_it()
        settle(runner, 8000)
        dialog = page.dialog
        assert dialog is not None and dialog.isVisible(), where
        as_on_screen(dialog, findings.screen)
        findings.check(where, dialog)
        dialog.close()
        settle(runner, 1000)
    lobby = LobbyWindow(services.queue, runner, chime=False)
    try:
        lobby.resize(findings.screen)
        lobby.show()
        lobby.start()
        settle(runner, 3000)
        findings.check("lobby", lobby)
    finally:
        lobby.close()
        lobby.deleteLater()


CASES = [(lang, scale) for scale in SIZES for lang in ("fi", "sv", "en")]


@pytest.mark.parametrize("shown", CASES, indirect=True,
                         ids=[f"{lang}-{scale}" for lang, scale in CASES])
def test_every_view_fits_its_screen_and_no_text_is_cut(qtbot, shown, area):
    win, screen = shown
    findings = Findings(screen, f"{i18n.current_language()}-{screen.width()}")
    findings.check("login", win)
    win.session.sign_in("admin", "demo")
    qtbot.waitUntil(lambda: win.actor is not None, timeout=10000)
    settle(win.runner, 8000)
    _pages(win, findings, area)
    _dialogs(win, findings, area, i18n.current_language())
    win.nav.setCurrentRow(ROW["customers"])
    win.session.lock()
    settle(win.runner, 3000)
    findings.check("lock", win)
    assert not findings.lines, "\n".join(findings.lines)


def test_icons_check_boxes_and_chart_text_grow_with_the_text(qapp, qtbot, services):
    """150 % text: the icons, the check boxes' boxes and the charts' text are 150 % too."""
    from PySide6.QtWidgets import QCheckBox, QPushButton, QStyle, QStyleOptionButton

    from app.views.reports.widgets import ChartView

    base = QApplication.font()
    win, runner = build_main_window(qapp, services, "fi")
    qtbot.addWidget(win)
    check, button = QCheckBox("Vain 3+ estettä"), QPushButton("Tallenna")
    for widget in (check, button):
        qtbot.addWidget(widget)
        widget.show()
    chart = ChartView()
    qtbot.addWidget(chart)
    chart.show_table(None)

    def measured() -> tuple[list[int], float]:
        QApplication.processEvents()
        option = QStyleOptionButton()
        check.initStyleOption(option)
        box = check.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option,
                                           check)
        return [box.width(), button.iconSize().width()], chart.figure.dpi

    before = measured()
    try:
        win.preferences.set_text_scale(150)
        after = measured()
        # The navigation's icons are as tall as its line of text.
        assert win.nav.iconSize().height() >= win.nav.fontMetrics().height() > 16
    finally:
        win.preferences.set_text_scale(100)
        QApplication.setFont(base)
        runner.wait()
    assert after[0] == pytest.approx([v * 1.5 for v in before[0]], abs=1.5)
    assert after[1] == pytest.approx(before[1] * 1.5, rel=0.1)
    assert measured()[0] == before[0]  # and back at 100 %


def test_a_calendar_card_wraps_a_long_name_rather_than_cutting_it(qapp):
    from PySide6.QtGui import QFont, QFontMetrics

    from app.views.appointments.grid import name_lines, short_name

    font = QFont(QApplication.font())
    font.setBold(True)
    fm = QFontMetrics(font)
    name = "Ruokojärvi-Heikkilä, Aino Maria"
    width = fm.horizontalAdvance("Ruokojärvi-Heikkilä,") + 4
    assert name_lines(name, fm, width, [2]) == ["Ruokojärvi-Heikkilä,", "Aino Maria"]
    assert name_lines(name, fm, width, [1, 2]) == ["Ruokojärvi-Heikkilä,", "Aino Maria"]
    assert short_name(name) == "Ruokojärvi-Heikkilä, Aino"
    narrow = fm.horizontalAdvance("Ruokojärvi-Heikkilä, Aino") + 4
    assert name_lines(name, fm, narrow, [1]) == ["Ruokojärvi-Heikkilä, Aino"]
