"""The Employers page (#22) by keyboard: a coach finds an employer as they type, opens
its card, records a visit with a follow-up (a refused date keeps what was typed), adds a
vacancy, proposes two job seekers (only the name and the shared text leave the service)
and sets one to Hired, closing the case as employed; the proposal shows on the
customer's card as a job tip. The desk sees the register read-only; Today lists the
follow-up and opens the card with "Mark the follow-up done"; signing out leaves nothing."""

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from app.dto.employers import ContactInput, EmployerInput
from app.i18n import _, format_date
from app.rules.codes import ProposalOutcome
from app.views.employers.dialogs import ContactDialog, OutcomeDialog, VacancyDialog
from app.views.employers.propose_dialog import ProposeDialog
from app.views.main_window import ROW
from tests.gui.conftest import sign_in
from tests.gui.test_accessibility import check_page

WAIT = 15000
BUILDER = "Rovaniemen Rakennus Oy"


def focused():
    return QApplication.focusWidget()


def seed(window) -> dict[str, str]:
    """Two employers, as the signed-in coach."""
    employers = window.services.employers
    ids = {}
    for bid, name in (("0112038-9", BUILDER), ("2331972-7", "Lapin Matkailu Oy")):
        ids[name] = employers.save_employer(EmployerInput(
            business_id=bid, name=name, industry="F", municipality="Rovaniemi")).id
    return ids


def open_page(qtbot, window):
    window.nav.setCurrentRow(ROW["employers"])
    page = window.page("employers")
    qtbot.waitUntil(lambda: page.model.started and not page.model.loading
                    and page.model.rowCount() > 0, timeout=WAIT)
    return page


def wait_dialog(qtbot, page, cls):
    qtbot.waitUntil(lambda: isinstance(page.dialog, cls) and page.dialog.isVisible(),
                    timeout=WAIT)
    dialog = page.dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    return dialog


def press(qtbot, button) -> None:
    """A button pressed from the keyboard: focus, then Space."""
    button.setFocus()
    qtbot.waitUntil(lambda: focused() is button, timeout=WAIT)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_a_coach_records_a_visit_adds_a_vacancy_and_proposes_two_job_seekers(qtbot,
                                                                             window):
    today = window.services.session.today()
    sign_in(qtbot, window, "coach")
    customers = window.page("customers")
    seed(window)
    page = open_page(qtbot, window)
    assert page.model.rowCount() == 2
    assert page.list_view.new_button.isVisible()
    check_page(qtbot, page, "employers page")

    # Search as you type, Enter opens the first result.
    search = page.list_view.search
    search.setFocus()
    qtbot.keyClicks(search, "rakennus")
    qtbot.waitUntil(lambda: page.model.query == "rakennus" and not page.model.loading
                    and page.model.rowCount() == 1, timeout=WAIT)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    card = page.card
    qtbot.waitUntil(lambda: page.currentWidget() is card and card.detail is not None,
                    timeout=WAIT)
    assert card.detail.employer.name == BUILDER
    assert BUILDER in card.heading.text() and "0112038-9" in card.facts.text()
    qtbot.waitUntil(lambda: focused() is card.record, timeout=WAIT)
    check_page(qtbot, card, "employer card")

    # Record a visit with a follow-up: a date in the future is refused, nothing is lost.
    qtbot.keyClick(card.record, Qt.Key.Key_Space)
    dialog = wait_dialog(qtbot, page, ContactDialog)
    check_page(qtbot, dialog, "contact dialog")
    assert dialog.contacted_on.date() == today
    dialog.contacted_on.setFocus()
    dialog.contacted_on.selectAll()
    qtbot.keyClicks(dialog.contacted_on, format_date(today + timedelta(days=3)))
    dialog.summary.setFocus()
    qtbot.keyClicks(dialog.summary, "Recruitment needs: three carpenters.")
    follow_up = today + timedelta(days=1)
    dialog.follow_up_on.setFocus()
    qtbot.keyClicks(dialog.follow_up_on, format_date(follow_up))
    qtbot.keyClick(dialog.follow_up_on, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.buttons.isEnabled(),
                    timeout=WAIT)
    assert dialog.isVisible() and "carpenters" in dialog.summary.toPlainText()
    assert focused() is dialog.contacted_on  # the wrong field takes the focus
    dialog.contacted_on.selectAll()
    qtbot.keyClicks(dialog.contacted_on, format_date(today))
    qtbot.keyClick(dialog.contacted_on, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: len(card.contacts.rows) == 1, timeout=WAIT)
    contact = card.contacts.rows[0]
    assert contact.channel == "visit" and contact.follow_up_on == follow_up
    assert contact.follow_up_by_name == "Pekka Ylitalo"  # no staff contact named: the recorder

    # A vacancy.
    card.sections.setCurrentWidget(card.vacancies_tab)
    press(qtbot, card.new_vacancy)
    dialog = wait_dialog(qtbot, page, VacancyDialog)
    check_page(qtbot, dialog, "vacancy dialog")
    assert dialog.municipality.text() == "Rovaniemi"  # the employer's, to start with
    dialog.title.setFocus()
    qtbot.keyClicks(dialog.title, "Kirvesmies")
    dialog.positions.setFocus()
    dialog.positions.selectAll()
    qtbot.keyClicks(dialog.positions, "2")
    qtbot.keyClick(dialog.positions, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: [v.title for v in card.vacancies.rows] == ["Kirvesmies"],
                    timeout=WAIT)
    assert card.vacancies.rows[0].positions == 2

    # Enter on the vacancy opens it.
    card.vacancy_table.setFocus()
    card.vacancy_table.selectRow(0)
    qtbot.keyClick(card.vacancy_table, Qt.Key.Key_Return)
    view = page.vacancy_view
    qtbot.waitUntil(lambda: page.currentWidget() is view and view.row is not None,
                    timeout=WAIT)
    assert "Kirvesmies" in view.heading.text() and view.proposals.rowCount() == 0
    check_page(qtbot, view, "vacancy view")

    # Propose two job seekers (no coach yet: not the coach's own caseload).
    press(qtbot, view.propose)
    dialog = wait_dialog(qtbot, page, ProposeDialog)
    check_page(qtbot, dialog, "propose dialog")
    assert dialog.note.text() == _(  # what leaves the service, said where it is typed
        "Only the job seeker's name and this text leave the service. Nothing of their "
        "case, plan or situation is told to the employer.")
    qtbot.waitUntil(lambda: dialog.found == 0, timeout=WAIT)  # none of them is the coach's
    press(qtbot, dialog.own)
    qtbot.waitUntil(lambda: dialog.list.count() == 5, timeout=WAIT)
    assert not dialog.ok.isEnabled()
    dialog.list.setFocus()
    dialog.list.setCurrentRow(0)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(dialog.chosen()) == 2, timeout=WAIT)
    chosen = dialog.chosen()
    dialog.shared.setFocus()
    qtbot.keyClicks(dialog.shared, "Occupational safety card.")
    press(qtbot, dialog.ok)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: view.proposals.rowCount() == 2, timeout=WAIT)
    assert {p.customer_id for p in view.proposals.rows} == set(chosen)
    assert all(p.shared == "Occupational safety card." for p in view.proposals.rows)

    # Hired, and the customer's case closed as employed.
    hired = view.proposals.rows[0]
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = wait_dialog(qtbot, page, OutcomeDialog)
    check_page(qtbot, dialog, "outcome dialog")
    assert not dialog.close_case.isEnabled()
    dialog.outcome.setFocus()
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Down)
    assert dialog.outcome.currentData() == ProposalOutcome.HIRED
    assert dialog.close_case.isEnabled()
    press(qtbot, dialog.close_case)
    assert dialog.close_case.isChecked()
    dialog.on.setFocus()
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.error.isVisible(), timeout=WAIT)
    assert not dialog.isVisible(), dialog.error.text()
    qtbot.waitUntil(lambda: any(p.id == hired.id and p.outcome == ProposalOutcome.HIRED
                                for p in view.proposals.rows), timeout=WAIT)
    qtbot.waitUntil(lambda: view.row is not None and view.row.hired == 1, timeout=WAIT)
    case = window.services.case_periods.periods(hired.customer_id)
    assert not case.is_open and case.reason == "employed_open_market"  # closed as employed

    # The job tip on the customer's card.
    window.open_customer(hired.customer_id)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is customers
                    and customers.card_view.card is not None
                    and customers.card_view.card.id == hired.customer_id, timeout=WAIT)
    tips = customers.card_view.job_tips
    qtbot.waitUntil(lambda: tips.model.rowCount() == 1, timeout=WAIT)
    assert tips.model.rows[0].vacancy_title == "Kirvesmies"
    assert tips.model.rows[0].employer_name == BUILDER
    # On the customer's timeline (the visits tab), under the visits.
    customers.card_view.sections.setCurrentIndex(1)
    qtbot.waitUntil(tips.isVisible, timeout=WAIT)


def test_today_lists_the_follow_up_and_opens_the_card_to_mark_it_done(qtbot, window):
    today = window.services.session.today()
    sign_in(qtbot, window, "coach")
    ids = seed(window)
    window.services.employers.record_contact(ids[BUILDER], ContactInput(
        contacted_on=today - timedelta(days=7), channel="phone", topic="pay_subsidy",
        summary="Palkkatuki", follow_up_on=today - timedelta(days=1)))
    window.nav.setCurrentRow(ROW["today"])
    today_page = window.page("today")
    qtbot.waitUntil(lambda: any(i.kind == "employer_followup" for i in today_page.model.items),
                    timeout=WAIT)
    item = next(i for i in today_page.model.items if i.kind == "employer_followup")
    assert item.name == BUILDER and item.overdue
    today_page._select(item)
    assert today_page.model.item_of(today_page.table.currentIndex()) == item
    assert today_page.open_button.accessibleName() == _("Open the employer")
    today_page.table.setFocus()
    qtbot.keyClick(today_page.table, Qt.Key.Key_Return)
    page = window.page("employers")
    card = page.card
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page
                    and page.currentWidget() is card and card.detail is not None, timeout=WAIT)
    assert card.selected_contact() is not None and card.selected_contact().id == item.detail
    qtbot.waitUntil(lambda: focused() is card.done, timeout=WAIT)
    qtbot.keyClick(card.done, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(card.contacts.rows)
                    and card.contacts.rows[0].follow_up_done_on == today, timeout=WAIT)
    assert not card.done.isEnabled()
    window.nav.setCurrentRow(ROW["today"])
    today_page.load()
    qtbot.waitUntil(lambda: today_page.loaded and not any(
        i.kind == "employer_followup" for i in today_page.model.items), timeout=WAIT)


def test_the_desk_sees_the_register_read_only(qtbot, window):
    sign_in(qtbot, window, "coach")
    ids = seed(window)
    window.session.sign_out()
    sign_in(qtbot, window, "desk")
    page = open_page(qtbot, window)
    assert page.model.rowCount() == 2
    assert not page.list_view.new_button.isVisible()
    qtbot.keyClick(page.list_view.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.dialog is None  # Ctrl+N does nothing for the desk
    page.open_employer(ids[BUILDER])
    card = page.card
    qtbot.waitUntil(lambda: page.currentWidget() is card and card.detail is not None,
                    timeout=WAIT)
    for button in (card.edit, card.active_button, card.record, card.new_vacancy,
                   card.propose, card.add_person):
        assert not button.isVisible(), button.objectName()
    sections = card.sections
    assert not sections.isTabVisible(sections.indexOf(card.contacts_tab))
    assert not sections.isTabVisible(sections.indexOf(card.persons_tab))
    assert sections.currentWidget() is card.vacancies_tab
    assert card.detail.persons == [] and card.detail.contacts == []
    check_page(qtbot, card, "employer card (desk)")


def test_signing_out_leaves_nothing_of_the_employer(qtbot, window):
    sign_in(qtbot, window, "coach")
    seed(window)
    page = open_page(qtbot, window)
    search = page.list_view.search
    search.setFocus()
    qtbot.keyClicks(search, "rakennus")
    qtbot.waitUntil(lambda: page.model.query == "rakennus" and not page.model.loading
                    and page.model.rowCount() == 1, timeout=WAIT)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.card.detail is not None, timeout=WAIT)
    press(qtbot, page.card.record)
    wait_dialog(qtbot, page, ContactDialog)

    window.session.sign_out()
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isVisible()]
    assert page.dialog is None
    assert page.card.detail is None and page.card.contacts.rowCount() == 0
    assert BUILDER not in page.card.heading.text()
    assert page.currentWidget() is page.list_view
    assert search.text() == "" and not search.isUndoAvailable()
    assert page.model.rowCount() == 0 and page.list_view.status.text() == ""

    sign_in(qtbot, window, "lead")
    page = open_page(qtbot, window)  # the whole list again, not the coach's search
    assert page.model.query == "" and page.model.rowCount() == 2


def test_a_new_employer_by_keyboard_keeps_what_was_typed_when_refused(qtbot, window):
    from app.rules import business_id
    from app.views.employers.dialogs import EmployerDialog, PersonDialog

    sign_in(qtbot, window, "coach")
    seed(window)
    page = open_page(qtbot, window)
    page.list_view.search.setFocus()
    qtbot.keyClick(page.list_view.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_dialog(qtbot, page, EmployerDialog)
    check_page(qtbot, dialog, "employer dialog")
    bid, name = dialog.edits["business_id"], dialog.edits["name"]
    bid.setFocus()
    qtbot.keyClicks(bid, "0112038-8")  # a wrong check digit
    qtbot.keyClick(bid, Qt.Key.Key_Tab)
    assert focused() is name
    qtbot.keyClicks(name, "Ranuan Puu Oy")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.buttons.isEnabled(),
                    timeout=WAIT)
    assert _(business_id.BAD_CHECKSUM) in dialog.error.text()
    assert name.text() == "Ranuan Puu Oy" and focused() is bid  # nothing lost
    municipality = dialog.edits["municipality"]
    municipality.setFocus()
    qtbot.keyClicks(municipality, "Ranua")
    bid.setFocus()
    bid.selectAll()
    qtbot.keyClicks(bid, "0112038-9")  # the builder's: named in the refusal
    qtbot.keyClick(bid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled() or not dialog.isVisible(),
                    timeout=WAIT)
    assert BUILDER in dialog.error.text(), (dialog.isVisible(), dialog.error.text())
    assert dialog.isVisible() and name.text() == "Ranuan Puu Oy"
    bid.selectAll()
    qtbot.keyClicks(bid, "1572860-0")
    qtbot.keyClick(bid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    card = page.card
    qtbot.waitUntil(lambda: page.currentWidget() is card and card.detail is not None
                    and card.detail.employer.name == "Ranuan Puu Oy", timeout=WAIT)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=WAIT)  # the list again

    # A contact person, edited, then deactivated.
    card.sections.setCurrentWidget(card.persons_tab)
    press(qtbot, card.add_person)
    dialog = wait_dialog(qtbot, page, PersonDialog)
    check_page(qtbot, dialog, "person dialog")
    dialog.edits["name"].setFocus()
    qtbot.keyClicks(dialog.edits["name"], "Maija Mainio")
    qtbot.keyClick(dialog.edits["name"], Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "HR manager")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: [(p.name, p.role) for p in card.persons.rows]
                    == [("Maija Mainio", "HR manager")], timeout=WAIT)
    assert "(1)" in card.sections.tabText(card.sections.indexOf(card.persons_tab))
    card.person_table.setFocus()
    card.person_table.selectRow(0)
    qtbot.keyClick(card.person_table, Qt.Key.Key_Return)  # Enter edits
    dialog = wait_dialog(qtbot, page, PersonDialog)
    assert dialog.edits["name"].text() == "Maija Mainio"
    dialog.edits["phone"].setFocus()
    qtbot.keyClicks(dialog.edits["phone"], "040 765 4321")
    qtbot.keyClick(dialog.edits["phone"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: bool(card.persons.rows and card.persons.rows[0].phone),
                    timeout=WAIT)
    press(qtbot, card.person_active)
    qtbot.waitUntil(lambda: bool(card.persons.rows) and not card.persons.rows[0].active,
                    timeout=WAIT)
    assert card.person_active.text().replace("&", "") == _("Reacti&vate the person") \
        .replace("&", "")
