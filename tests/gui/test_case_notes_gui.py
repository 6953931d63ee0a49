"""Case notes and facts on the customer card: a coach adds a note and edits it from the
keyboard and sees its earlier version; the note is on the timeline; the facts dialog
saves; the desk's card has neither section."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from app.views.customers.case_dialogs import FactsDialog, NoteDialog
from tests.factories import Clock
from tests.gui.conftest import sign_in
from tests.gui.layout_check import cut_text
from tests.gui.test_accessibility import check_page

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def open_first_card(qtbot, window):
    customers = window.page("customers")
    customer_id = customers.model.rows[0].id
    customers.open_customer(customer_id)
    card = customers.card_view
    qtbot.waitUntil(lambda: customers.currentWidget() is card and card.card is not None
                    and card.card.id == customer_id, timeout=15000)
    return customers, card


def press(qtbot, widget, key=Qt.Key.Key_Space):
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    qtbot.keyClick(widget, key)


def submit_by_keyboard(qtbot, dialog):
    """Tab from the text to OK, then Space: as a keyboard user saves."""
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    for _ in range(6):
        if QApplication.focusWidget() is ok:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ok
    qtbot.keyClick(ok, Qt.Key.Key_Space)


def wait_dialog(qtbot, controller, kind):
    qtbot.waitUntil(lambda: isinstance(controller.dialog, kind)
                    and controller.dialog.isVisible(), timeout=15000)
    dialog = controller.dialog
    # Keys and the tab order go to the active window: wait until the dialog is it (on a
    # loaded machine the main window may still hold the focus for a moment).
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=15000)
    return dialog


def test_a_coach_adds_and_edits_a_note_by_keyboard_and_sees_the_history(qtbot, window):
    window.services.ctx.now = Clock(NOW)
    sign_in(qtbot, window, "coach")
    customers, card = open_first_card(qtbot, window)
    sections = card.sections
    assert sections.isTabVisible(sections.indexOf(card.case_work))
    sections.setCurrentWidget(card.case_work)
    notes = card.case_notes
    qtbot.waitUntil(lambda: notes.add_button.isEnabled(), timeout=15000)
    window.activateWindow()
    press(qtbot, notes.add_button)
    dialog = wait_dialog(qtbot, customers.case_notes, NoteDialog)
    qtbot.waitUntil(dialog.kind.hasFocus, timeout=2000)  # the kind first, then the text
    assert dialog.kind.currentData() == "general"
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Tab)
    assert dialog.text.hasFocus()
    qtbot.keyClicks(dialog.text, "Sovittu harjoittelu joulukuulle.")
    submit_by_keyboard(qtbot, dialog)
    qtbot.waitUntil(lambda: notes.model.rowCount() == 1, timeout=15000)
    assert notes.model.rows[0].text == "Sovittu harjoittelu joulukuulle."
    assert notes.model.data(notes.model.index(0, 2)) == "Pekka Ylitalo"
    # The note is on the timeline too.
    qtbot.waitUntil(lambda: card.visits_model.notes != [], timeout=15000)
    assert "harjoittelu" in card.visits_model.data(card.visits_model.index(0, 5))
    check_page(qtbot, window.shell, "customer card with notes and facts")
    assert not [line for line in cut_text(card.case_work) if "case_notes_table" not in line]

    window.services.ctx.now.advance(45)
    press(qtbot, notes.table, Qt.Key.Key_Home)
    assert notes.chosen() is not None
    press(qtbot, notes.edit_button)
    dialog = wait_dialog(qtbot, customers.case_notes, NoteDialog)
    assert dialog.note is not None and not dialog.earlier.isVisible()
    qtbot.waitUntil(dialog.text.hasFocus, timeout=2000)  # the kind is kept: the text first
    qtbot.keyClick(dialog.text, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.text, "Harjoittelu siirtyi tammikuulle.")
    submit_by_keyboard(qtbot, dialog)
    qtbot.waitUntil(lambda: notes.model.rowCount() == 1
                    and notes.model.rows[0].text == "Harjoittelu siirtyi tammikuulle.",
                    timeout=15000)
    assert notes.model.rows[0].edited
    assert notes.model.data(notes.model.index(0, 0)).endswith(")")  # "(edited)"
    # Editing again shows the earlier text, kept.
    press(qtbot, notes.table, Qt.Key.Key_Home)
    press(qtbot, notes.edit_button)
    dialog = wait_dialog(qtbot, customers.case_notes, NoteDialog)
    assert dialog.earlier.isVisible() and dialog.earlier.count() == 1
    check_page(qtbot, dialog, "note dialog with history")
    assert "joulukuulle" in dialog.earlier.item(0).text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_a_coach_edits_the_facts_on_the_card(qtbot, window):
    window.services.ctx.now = Clock(NOW)
    sign_in(qtbot, window, "coach")
    customers, card = open_first_card(qtbot, window)
    card.sections.setCurrentWidget(card.case_work)
    facts = card.case_facts
    qtbot.waitUntil(lambda: facts.edit_button.isEnabled(), timeout=15000)
    press(qtbot, facts.edit_button)
    dialog = wait_dialog(qtbot, customers.case_facts, FactsDialog)
    assert not dialog.basis.isEnabled()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    check_page(qtbot, dialog, "facts dialog")
    assert cut_text(dialog) == []
    dialog.partial.setChecked(True)
    dialog.dates["work_ability_since"].setText("1.3.2026")
    dialog.basis.setText("Työkykyarvio")
    dialog.subsidy_days.setText("130")  # without the statement's date: refused
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15000)
    assert dialog.isVisible() and dialog.error.text()  # kept open, what was typed kept
    assert dialog.subsidy_days.text() == "130"
    dialog.dates["subsidy_days_on"].setText("1.11.2026")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: facts.info is not None and facts.info.facts.subsidy_days == 130,
                    timeout=15000)
    texts = [w.text() for w in facts.findChildren(QLabel)]
    assert any("Työkykyarvio" in t for t in texts)


def test_the_desk_card_has_no_notes_or_facts(qtbot, window):
    sign_in(qtbot, window, "coach")
    customer_id = window.page("customers").model.rows[0].id
    window.services.case_notes.add(customer_id, "work_ability", "Terveydellinen asia")
    window.session.sign_out()
    sign_in(qtbot, window, "desk")
    customers, card = open_first_card(qtbot, window)
    assert card.card.id == customer_id
    assert not card.sections.isTabVisible(card.sections.indexOf(card.case_work))
    assert not customers.case_notes.may_read and not customers.case_facts.may_read
    assert card.case_notes.model.rowCount() == 0 and card.visits_model.notes == []
    assert card.case_facts.info is None
    texts = " ".join(w.text() for w in card.findChildren(type(card.title))
                     if w.isVisible())
    assert "Terveydellinen" not in texts and "Osatyökyky" not in texts


def test_the_first_residence_permit_is_entered_in_the_customer_form(qtbot, window):
    window.services.ctx.now = Clock(NOW)
    sign_in(qtbot, window, "coach")
    customers, card = open_first_card(qtbot, window)
    card.edit.click()
    qtbot.waitUntil(lambda: customers.dialog is not None and customers.dialog.isVisible(),
                    timeout=15000)
    dialog = customers.dialog
    permit = dialog.edits["first_residence_permit_on"]
    assert permit.accessibleName()
    permit.setText("2.5.2099")  # in the future: refused next to the field
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors["first_residence_permit_on"].isVisible(),
                    timeout=15000)
    permit.setText("2.5.2019")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: card.card.first_residence_permit_on is not None, timeout=15000)
    values = [w.text() for w in card.findChildren(QLabel)]
    assert "2.5.2019" in values


def test_a_coach_adds_and_ends_a_period_of_unemployment(qtbot, window):
    from app.views.customers.case_dialogs import PeriodDialog

    window.services.ctx.now = Clock(NOW)
    sign_in(qtbot, window, "coach")
    customers, card = open_first_card(qtbot, window)
    card.sections.setCurrentWidget(card.case_work)
    facts = card.case_facts
    qtbot.waitUntil(lambda: facts.add_period.isEnabled(), timeout=15000)
    assert not facts.end_period.isEnabled()
    press(qtbot, facts.add_period)
    dialog = wait_dialog(qtbot, customers.case_facts, PeriodDialog)
    dialog.starts_on.setText("12.1.2026")
    dialog.benefit.setCurrentIndex(dialog.benefit.findData("labour_market_subsidy"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: facts.periods.count() == 1, timeout=15000)
    facts.periods.setCurrentRow(0)
    assert facts.end_period.isEnabled()
    press(qtbot, facts.end_period)
    dialog = wait_dialog(qtbot, customers.case_facts, PeriodDialog)
    assert not dialog.starts_on.isVisible()
    dialog.ends_on.setText("1.1.2026")  # before the start: refused, the dialog stays
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15000)
    dialog.ends_on.setText("30.6.2026")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: facts.info is not None and facts.info.periods
                    and facts.info.periods[0].ends_on is not None, timeout=15000)
    assert "30.6.2026" in facts.periods.item(0).text()
