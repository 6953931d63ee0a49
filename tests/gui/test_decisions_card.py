"""The card's Decisions tab: a coach drafts a pay subsidy from the keyboard (a wrong
Y-tunnus is named and nothing typed is lost), cannot decide it; a team lead decides it
and ends it early; the desk's card has no such tab."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.dto.decisions import DecisionInput
from app.views.customers.decision_dialogs import DecisionDialog, EndDecisionDialog
from tests.factories import Clock
from tests.gui.conftest import sign_in
from tests.gui.layout_check import cut_text
from tests.gui.test_accessibility import check_page
from tests.gui.test_case_notes_gui import open_first_card, press, wait_dialog

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
WAIT = 15000


def submit(qtbot, dialog):
    """Tab on to OK, then Space: as a keyboard user saves."""
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    for _ in range(15):
        if QApplication.focusWidget() is ok:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ok
    qtbot.keyClick(ok, Qt.Key.Key_Space)


def type_into(qtbot, widget, text):
    assert widget.hasFocus(), widget.objectName()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_a_coach_drafts_a_decision_by_keyboard(qtbot, window):
    window.services.ctx.now = Clock(NOW)
    sign_in(qtbot, window, "coach")
    customers, card = open_first_card(qtbot, window)
    sections = card.sections
    assert sections.isTabVisible(sections.indexOf(card.decisions))
    sections.setCurrentWidget(card.decisions)
    tab = card.decisions
    qtbot.waitUntil(lambda: tab.draft_button.isEnabled(), timeout=WAIT)
    assert not tab.decide_button.isVisible() and not tab.end_button.isVisible()
    check_page(qtbot, window.shell, "customer card, decisions tab")
    window.activateWindow()
    press(qtbot, tab.draft_button)
    dialog = wait_dialog(qtbot, customers.decisions, DecisionDialog)
    qtbot.waitUntil(dialog.kind.hasFocus, timeout=WAIT)
    assert dialog.kind.currentData() == "pay_subsidy"
    check_page(qtbot, dialog, "decision dialog")
    assert cut_text(dialog) == []
    dialog.kind.setFocus()
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Tab)
    type_into(qtbot, dialog.employer, "Lapin Kone Oy")
    type_into(qtbot, dialog.business_id, "1000008-0")  # remainder 1: never valid
    type_into(qtbot, dialog.starts_on, "1.12.2026")
    type_into(qtbot, dialog.ends_on, "31.5.2027")
    type_into(qtbot, dialog.hours, "37,5")
    type_into(qtbot, dialog.percentage, "50")
    type_into(qtbot, dialog.amount, "8 400,00")
    assert dialog.municipality.hasFocus()
    assert dialog.municipality.currentText() == "Rovaniemi"  # the home municipality
    qtbot.keyClick(dialog.municipality, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.note, "Koneasentajan tehtavat")
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.error.text() != "",
                    timeout=WAIT)
    assert dialog.isVisible() and "Y-tunnus" in dialog.error.text()
    assert dialog.business_id.hasFocus()
    assert (dialog.employer.text(), dialog.amount.text(), dialog.note.toPlainText()) == (
        "Lapin Kone Oy", "8 400,00", "Koneasentajan tehtavat")  # nothing typed is lost
    qtbot.keyClick(dialog.business_id, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.business_id, "2077474-0")
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=WAIT)
    row = tab.model.rows[0]
    assert (row.status, row.employer_business_id, row.amount_cents, row.hours_per_week,
            row.percentage, row.drafted_by_name) == (
        "draft", "2077474-0", 840000, 37.5, 50, "Pekka Ylitalo")
    assert tab.model.data(tab.model.index(0, 1)) == "Luonnos"
    assert tab.edit_button.isEnabled() and not tab.replace_button.isEnabled()


def test_a_team_lead_decides_and_ends_early(qtbot, window):
    window.services.ctx.now = Clock(NOW)
    sign_in(qtbot, window, "coach")
    customer_id = window.page("customers").model.rows[0].id
    window.services.decisions.draft(customer_id, DecisionInput(
        kind="work_trial", employer_name="Ranuan Leipomo", starts_on=date(2026, 11, 1),
        ends_on=date(2027, 1, 31), hours_per_week=25.0, paying_municipality="Ranua"))
    window.session.sign_out()
    sign_in(qtbot, window, "lead")
    customers, card = open_first_card(qtbot, window)
    card.sections.setCurrentWidget(card.decisions)
    tab = card.decisions
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and tab.decide_button.isEnabled(),
                    timeout=WAIT)
    assert tab.decide_button.isVisible() and not tab.end_button.isEnabled()
    window.activateWindow()
    press(qtbot, tab.decide_button)
    controller = customers.decisions
    qtbot.waitUntil(lambda: getattr(controller, "confirm", None) is not None
                    and controller.confirm.isVisible(), timeout=WAIT)
    box = controller.confirm
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow, timeout=WAIT)
    yes = box.button(QMessageBox.StandardButton.Yes)
    yes.setFocus()
    qtbot.keyClick(yes, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1
                    and tab.model.rows[0].status == "decided", timeout=WAIT)
    row = tab.model.rows[0]
    assert (row.decided_on, row.decided_by_name) == (date(2026, 11, 24), "Liisa Lead")
    assert not tab.edit_button.isEnabled() and not tab.decide_button.isEnabled()
    assert tab.end_button.isEnabled() and tab.replace_button.isEnabled()
    assert "Liisa Lead" in tab.details.text()

    press(qtbot, tab.end_button)
    dialog = wait_dialog(qtbot, controller, EndDecisionDialog)
    check_page(qtbot, dialog, "end decision dialog")
    dialog.on.setFocus()
    qtbot.keyClick(dialog.on, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.on, "1.3.2027")  # after the period: refused
    qtbot.keyClick(dialog.on, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.reason, "Asiakas aloitti opinnot")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setFocus()
    qtbot.keyClick(ok, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.error.text() != "",
                    timeout=WAIT)
    assert dialog.reason.text() == "Asiakas aloitti opinnot"
    dialog.on.setText("15.12.2026")
    assert dialog.on.hasFocus()  # the wrong field takes the focus
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1
                    and tab.model.rows[0].status == "ended", timeout=WAIT)
    assert tab.model.rows[0].end_reason == "Asiakas aloitti opinnot"
    assert not tab.end_button.isEnabled() and not tab.replace_button.isEnabled()


def test_the_desk_card_has_no_decisions_tab(qtbot, window):
    sign_in(qtbot, window, "coach")
    customer_id = window.page("customers").model.rows[0].id
    window.services.decisions.draft(customer_id, DecisionInput(
        kind="start_up_grant", employer_name="Oma Toiminimi", starts_on=date(2026, 11, 1),
        ends_on=date(2027, 4, 30), amount_cents=300000, paying_municipality="Rovaniemi"))
    window.session.sign_out()
    sign_in(qtbot, window, "desk")
    customers, card = open_first_card(qtbot, window)
    assert card.card.id == customer_id
    assert not card.sections.isTabVisible(card.sections.indexOf(card.decisions))
    assert not customers.decisions.may_read
    assert card.decisions.model.rowCount() == 0


def test_a_team_lead_replaces_a_decision_and_the_history_stays(qtbot, window):
    window.services.ctx.now = Clock(NOW)
    sign_in(qtbot, window, "lead")
    customer_id = window.page("customers").model.rows[0].id
    decisions = window.services.decisions
    old = decisions.draft(customer_id, DecisionInput(
        kind="pay_subsidy", employer_name="Lapin Kone Oy", starts_on=date(2026, 11, 1),
        ends_on=date(2027, 4, 30), hours_per_week=30.0, percentage=50, amount_cents=600000,
        paying_municipality="Rovaniemi"))
    decisions.decide(old.id)
    customers, card = open_first_card(qtbot, window)
    card.sections.setCurrentWidget(card.decisions)
    tab = card.decisions
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and tab.replace_button.isEnabled(),
                    timeout=WAIT)
    window.activateWindow()
    press(qtbot, tab.replace_button)
    dialog = wait_dialog(qtbot, customers.decisions, DecisionDialog)
    assert dialog.employer.text() == "Lapin Kone Oy" and dialog.percentage.text() == "50"
    dialog.percentage.setFocus()
    qtbot.keyClick(dialog.percentage, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.percentage, "70")
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2 and any(
        r.percentage == 70 for r in tab.model.rows), timeout=WAIT)
    new = next(r for r in tab.model.rows if r.id != old.id)
    assert (new.status, new.percentage, new.replaces_id) == ("draft", 70, old.id)
    # Until the new one is decided, the old one is in force.
    assert next(r for r in tab.model.rows if r.id == old.id).status == "decided"
    tab.table.selectRow([r.id for r in tab.model.rows].index(new.id))
    qtbot.waitUntil(tab.decide_button.isEnabled, timeout=WAIT)
    press(qtbot, tab.decide_button)
    controller = customers.decisions
    qtbot.waitUntil(lambda: getattr(controller, "confirm", None) is not None
                    and controller.confirm.isVisible(), timeout=WAIT)
    controller.confirm.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: {r.status for r in tab.model.rows} == {"decided", "replaced"},
                    timeout=WAIT)
    replaced = next(r for r in tab.model.rows if r.id == old.id)
    assert (replaced.status, replaced.replaced_by_id, replaced.percentage) == (
        "replaced", new.id, 50)
    tab.table.selectRow([r.id for r in tab.model.rows].index(old.id))
    qtbot.waitUntil(lambda: "24.11.2026" in tab.details.text(), timeout=WAIT)
    assert not tab.replace_button.isEnabled() and not tab.end_button.isEnabled()


def test_the_decision_s_employer_comes_from_the_register(qtbot, window):
    """Typing part of a registered employer's name offers it; choosing it fills in its
    business ID (#22). A name not in the register is typed as before."""
    from app.dto.employers import EmployerInput

    window.services.ctx.now = Clock(NOW)
    sign_in(qtbot, window, "coach")
    window.services.employers.save_employer(EmployerInput(
        business_id="2541212-4", name="Lapin Rakennus Oy", industry="F",
        municipality="Rovaniemi"))
    customer_id = window.page("customers").model.rows[0].id
    data = window.services.decisions.list_for_customer(customer_id)
    assert ("Lapin Rakennus Oy", "2541212-4") in data.employers
    dialog = DecisionDialog(None, data.municipalities, data.home_municipality,
                            employers=data.employers)
    qtbot.addWidget(dialog)
    completer = dialog.employer.completer()
    assert completer is not None
    completer.setCompletionPrefix("rakennus")
    assert completer.currentCompletion() == "Lapin Rakennus Oy"
    completer.activated[str].emit("Lapin Rakennus Oy")
    assert dialog.business_id.text() == "2541212-4"
