"""The partner register (#24) driven by keyboard: everyone finds it in the navigation; a
coach adds an organisation (a form without a name or kind is refused, what was typed
kept), adds a person to it and makes an old one inactive, who then shows only with the
inactive ones. The desk reads the register but edits nothing; signing out leaves
nothing on the page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.dto.partners import PartnerOrgInput, PartnerPersonInput
from app.views.main_window import ROW
from app.views.partners.dialogs import PartnerOrgDialog, PartnerPersonDialog
from tests.gui.conftest import sign_in
from tests.gui.layout_check import cut_text
from tests.gui.test_accessibility import check_page

WAIT = 15000


def focused():
    return QApplication.focusWidget()


def press(qtbot, button) -> None:
    button.setFocus()
    qtbot.waitUntil(lambda: focused() is button, timeout=WAIT)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: focused() is widget, timeout=WAIT)
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def wait_dialog(qtbot, page, cls):
    qtbot.waitUntil(lambda: isinstance(page.dialog, cls) and page.dialog.isVisible(),
                    timeout=WAIT)
    dialog = page.dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    return dialog


def setup(services) -> str:
    services.auth.sign_in("coach", "demo")
    kela = services.partners.save_org(None, PartnerOrgInput("Kela Rovaniemi", "kela",
                                                            phone="020 692 200"))
    services.partners.save_person(None, PartnerPersonInput(kela.id, "Jari Niemelä",
                                                           "etuuskäsittelijä"))
    services.auth.sign_out()
    return kela.id


def open_page(qtbot, window, rows: int):
    assert not window.nav.isRowHidden(ROW["partners"])
    window.nav.setCurrentRow(ROW["partners"])
    page = window.page("partners")
    qtbot.waitUntil(lambda: page.orgs.rowCount() == rows, timeout=WAIT)
    return page


def test_the_register_by_keyboard(qtbot, window, services):
    kela_id = setup(services)
    sign_in(qtbot, window, "coach")
    page = open_page(qtbot, window, 1)
    qtbot.waitUntil(lambda: page.people.rowCount() == 1, timeout=WAIT)
    assert "Kela Rovaniemi" in page.details.text() and "Kela" in page.details.text()
    assert page.new_org.isVisible() and page.edit_org_button.isVisible()
    check_page(qtbot, page, "partners page")
    qtbot.waitUntil(lambda: not cut_text(window), timeout=WAIT)

    # No name, no kind: refused, the dialog stays with what was typed.
    press(qtbot, page.new_org)
    dialog = wait_dialog(qtbot, page, PartnerOrgDialog)
    check_page(qtbot, dialog, "partner organisation dialog")
    type_into(qtbot, dialog.edits["phone"], "040 123 4567")
    qtbot.keyClick(dialog.edits["phone"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT)
    assert dialog.isVisible() and focused() is dialog.name
    assert dialog.edits["phone"].text() == "040 123 4567"

    type_into(qtbot, dialog.name, "Ohjaamo Rovaniemi")
    dialog.kind.setCurrentIndex(dialog.kind.findData("ohjaamo"))
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: page.orgs.rowCount() == 2, timeout=WAIT)
    qtbot.waitUntil(lambda: page.selected_org() is not None
                    and page.selected_org().name == "Ohjaamo Rovaniemi", timeout=WAIT)
    assert page.message.text().startswith("✓")
    assert focused() is page.new_org

    # A person of the new organisation: the organisation chosen already.
    qtbot.waitUntil(lambda: page.people.rowCount() == 0, timeout=WAIT)
    press(qtbot, page.new_person)
    person = wait_dialog(qtbot, page, PartnerPersonDialog)
    check_page(qtbot, person, "partner person dialog")
    assert person.org.currentText() == "Ohjaamo Rovaniemi" and person.org.isEnabled()
    type_into(qtbot, person.edits["full_name"], "Sanna Korhonen")
    type_into(qtbot, person.edits["title"], "ohjaaja")
    qtbot.keyClick(person.edits["title"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not person.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: page.people.rowCount() == 1, timeout=WAIT)
    assert page.people.rows[0].full_name == "Sanna Korhonen"

    # Kela's person leaves: inactive, shown only with the inactive ones.
    page.search.setText("kela")
    qtbot.waitUntil(lambda: page.orgs.rowCount() == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: page.people.rowCount() == 1
                    and page.people.rows[0].full_name == "Jari Niemelä", timeout=WAIT)
    page.people_table.selectRow(0)
    press(qtbot, page.edit_person_button)
    person = wait_dialog(qtbot, page, PartnerPersonDialog)
    assert not person.org.isEnabled()  # a person stays with their organisation
    press(qtbot, person.active)
    assert not person.active.isChecked()
    qtbot.keyClick(person.edits["full_name"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not person.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: page.inactive.isChecked() and page.people.rowCount() == 1
                    and not page.people.rows[0].active, timeout=WAIT)
    assert page.people.index(0, 4).data()  # "Inactive" in words
    assert services.partners.people(kela_id) == []  # not offered for new meetings

    # Signing out leaves nothing on the page.
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    assert page.orgs.rowCount() == 0 and page.people.rowCount() == 0
    assert page.search.text() == "" and not page.inactive.isChecked()

    # The desk reads the register; nothing to edit.
    sign_in(qtbot, window, "desk")
    page = open_page(qtbot, window, 2)
    assert not any(b.isVisible() for b in (page.new_org, page.edit_org_button,
                                           page.new_person, page.edit_person_button))
    check_page(qtbot, page, "partners page, desk")
