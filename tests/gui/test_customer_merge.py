"""Duplicates in the register, driven as staff use it: the warning when a new customer's
name and birth date are already registered (open the existing record, or register
anyway), and a team lead merging a duplicate into the real record from the card."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.dto.visits import VisitInput
from tests.factories import customer_input
from tests.gui.conftest import sign_in


def _new_customer_form(qtbot, window, last, first, born):
    page = window.page("customers")
    qtbot.mouseClick(page.list_view.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    dialog.edits["last_name"].insert(last)
    dialog.edits["first_names"].insert(first)
    dialog.edits["birth_date"].insert(born)
    return page, dialog


def _save(qtbot, dialog):
    dialog.buttons.button(dialog.buttons.StandardButton.Save).setFocus()
    qtbot.keyClick(dialog.buttons.button(dialog.buttons.StandardButton.Save),
                   Qt.Key.Key_Space)


def _warning(qtbot, dialog):
    qtbot.waitUntil(lambda: getattr(dialog, "duplicate_warning", None) is not None
                    and dialog.duplicate_warning.isVisible(), timeout=15000)
    return dialog.duplicate_warning


def test_a_matching_name_and_birth_date_warns_and_may_open_the_existing(qtbot, window):
    sign_in(qtbot, window)
    page, dialog = _new_customer_form(qtbot, window, "Mäkelä", "Aino", "12.3.1985")
    _save(qtbot, dialog)
    warning = _warning(qtbot, dialog)
    existing = warning.open_buttons[0]
    assert "Mäkelä, Aino Maria" in existing.text()
    assert existing.accessibleName() == existing.text()
    assert warning.text.text() and warning.register.text()
    assert existing.hasFocus()
    qtbot.keyClick(existing, Qt.Key.Key_Space)  # by keyboard: open the existing record
    qtbot.waitUntil(lambda: page.currentWidget() is page.card_view, timeout=15000)
    assert page.card_view.title.text() == "Mäkelä, Aino Maria"
    assert not dialog.isVisible()
    assert "6 asiakasta" not in page.list_view.status.text()


def test_register_anyway_saves_the_new_customer(qtbot, window):
    sign_in(qtbot, window)
    page, dialog = _new_customer_form(qtbot, window, "Mäkelä", "Aino", "12.3.1985")
    _save(qtbot, dialog)
    warning = _warning(qtbot, dialog)
    qtbot.keyClick(warning.register, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: page.currentWidget() is page.card_view, timeout=15000)
    assert page.card_view.title.text() == "Mäkelä, Aino"
    assert page.card_view.card.id != warning.matches[0].id


def test_no_match_saves_without_asking(qtbot, window):
    sign_in(qtbot, window)
    page, dialog = _new_customer_form(qtbot, window, "Mäkelä", "Aino", "13.3.1985")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    assert getattr(dialog, "duplicate_warning", None) is None
    assert page.card_view.title.text() == "Mäkelä, Aino"


def test_a_lead_merges_a_duplicate_from_its_card(qtbot, window, services):
    services.auth.sign_in("admin", "demo")
    dup = services.customers.create(customer_input("Virtanen", "Matti Kalervo",
                                                   date(1990, 7, 1), 946)).id
    services.visits.record_contact(dup, "phone", VisitInput(service_area="finding_work"), 5)
    services.auth.sign_out()
    sign_in(qtbot, window, "coach")
    page = window.page("customers")
    assert not page.merge.button.isVisibleTo(page.card_view)  # not a coach's
    window.session.sign_out()
    sign_in(qtbot, window, "lead")
    page = window.page("customers")
    page.open_customer(dup)
    qtbot.waitUntil(lambda: page.currentWidget() is page.card_view, timeout=15000)
    assert page.merge.button.isVisibleTo(page.card_view)
    qtbot.mouseClick(page.merge.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.merge.dialog is not None and page.merge.dialog.isVisible())
    dialog = page.merge.dialog
    qtbot.waitUntil(dialog.search.hasFocus)
    qtbot.keyClicks(dialog.search, "virtanen")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=15000)  # not itself
    assert dialog.results.item(0).text().startswith("Virtanen, Matti ")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Tab)
    assert dialog.results.hasFocus()
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    if dialog.results.currentRow() != 0:
        qtbot.keyClick(dialog.results, Qt.Key.Key_Home)
    qtbot.waitUntil(dialog.confirm.isEnabled, timeout=15000)
    assert "Käynnit ja yhteydenotot: 1" in dialog.moves.text() or \
        "Visits and contacts: 1" in dialog.moves.text()
    real = dialog.preview.real.id
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=15000)
    qtbot.waitUntil(lambda: page.card_view.card is not None
                    and page.card_view.card.id == real, timeout=15000)
    assert page.card_view.title.text() == "Virtanen, Matti"
    assert dup not in {r.id for r in services.customers.page("virtanen").rows}
