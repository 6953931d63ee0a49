"""The Service providers page (#20): a team lead adds a provider and a contract by
keyboard (a wrong business ID and a missing price are refused with nothing typed lost);
the desk sees the register, its contracts and places, without the edit buttons."""

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.dto.providers import ContractInput, ProviderInput
from app.i18n import _
from app.models import Referral
from app.rules import business_id
from app.rules.codes import ReferralState
from app.services.providers import LOCKED
from app.views.main_window import ROW
from tests.factories import Clock, customer_input
from tests.gui.conftest import sign_in
from tests.gui.test_accessibility import check_page

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 24.11.2026 in Helsinki
WAIT = 15000


def focused():
    return QApplication.focusWidget()


def open_page(qtbot, window):
    window.nav.setCurrentRow(ROW["providers"])
    page = window.page("providers")
    qtbot.waitUntil(lambda: page.loaded, timeout=WAIT)
    return page


def wait_dialog(qtbot, page, cls_name):
    qtbot.waitUntil(lambda: page.dialog is not None and type(page.dialog).__name__ == cls_name
                    and page.dialog.isVisible(), timeout=WAIT)
    dialog = page.dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    return dialog


def test_a_team_lead_adds_a_provider_and_a_contract_by_keyboard(qtbot, window):
    window.services.ctx.now = Clock(NOW)
    sign_in(qtbot, window, "lead")
    page = open_page(qtbot, window)
    assert page.providers.rowCount() == 0
    assert page.new_provider.isVisible()
    check_page(qtbot, page, "providers page")

    page.new_provider.setFocus()
    qtbot.keyClick(page.new_provider, Qt.Key.Key_Space)
    dialog = wait_dialog(qtbot, page, "ProviderDialog")
    name, bid = dialog.edits["name"], dialog.edits["business_id"]
    qtbot.waitUntil(lambda: focused() is name, timeout=WAIT)
    check_page(qtbot, dialog, "provider dialog")
    name.setFocus()
    qtbot.keyClicks(name, "Lapin Valmennus Oy")
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    assert focused() is bid
    qtbot.keyClicks(bid, "2077474-1")  # a wrong check digit
    qtbot.keyClick(bid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.buttons.isEnabled(),
                    timeout=WAIT)
    assert _(business_id.BAD_CHECKSUM) in dialog.error.text()
    assert dialog.isVisible() and name.text() == "Lapin Valmennus Oy"  # nothing lost
    assert focused() is bid  # the wrong field takes the focus
    bid.selectAll()
    qtbot.keyClicks(bid, "20774740")
    qtbot.keyClick(bid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: page.detail is not None
                    and page.detail.provider.business_id == "2077474-0", timeout=WAIT)
    # The list is searched again after the save, on its own round trip.
    qtbot.waitUntil(lambda: [r.name for r in page.providers.rows] == ["Lapin Valmennus Oy"],
                    timeout=WAIT)
    assert "Lapin Valmennus Oy" in page.details.text()

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    page.new_contract_button.setFocus()
    qtbot.keyClick(page.new_contract_button, Qt.Key.Key_Space)
    dialog = wait_dialog(qtbot, page, "ContractDialog")
    qtbot.waitUntil(lambda: focused() is dialog.service, timeout=WAIT)
    check_page(qtbot, dialog, "contract dialog")
    dialog.service.setFocus()
    qtbot.keyClick(dialog.service, Qt.Key.Key_Down)  # the first service
    assert dialog.service.currentData() == "individual_coaching"
    qtbot.keyClick(dialog.service, Qt.Key.Key_Tab)
    assert focused() is dialog.title
    qtbot.keyClicks(dialog.title, "Yksilovalmennus")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Tab)
    assert focused() is dialog.starts_on and dialog.starts_on.text() == "24.11.2026"
    dialog.starts_on.selectAll()
    qtbot.keyClicks(dialog.starts_on, "1.1.2026")
    qtbot.keyClick(dialog.starts_on, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.ends_on, "31.12.2027")
    qtbot.keyClick(dialog.ends_on, Qt.Key.Key_Tab)
    assert focused() is dialog.places
    qtbot.keyClicks(dialog.places, "3")
    qtbot.keyClick(dialog.places, Qt.Key.Key_Tab)
    assert focused() is dialog.places_per
    qtbot.keyClick(dialog.places_per, Qt.Key.Key_Down)  # per year
    assert dialog.places_per.currentData() == "year"
    qtbot.keyClick(dialog.places_per, Qt.Key.Key_Tab)
    assert focused() is dialog.unit_price
    qtbot.keyClick(dialog.unit_price, Qt.Key.Key_Return)  # no price yet: refused
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.buttons.isEnabled(),
                    timeout=WAIT)
    assert dialog.isVisible() and dialog.title.text() == "Yksilovalmennus"
    assert focused() is dialog.unit_price
    qtbot.keyClicks(dialog.unit_price, "1 250,50")
    qtbot.keyClick(dialog.unit_price, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: page.contracts.rowCount() == 1, timeout=WAIT)
    row = page.contracts.rows[0]
    assert (row.service, row.starts_on, row.ends_on, row.places, row.places_per) == (
        "individual_coaching", date(2026, 1, 1), date(2027, 12, 31), 3, "year")
    assert row.unit_price_cents == 125050 and row.lump_sum_cents is None
    cells = page._contract_cells(row)
    assert cells[3] == "1.1.2026–31.12.2026"  # the current places period: this year
    assert cells[4] == "0" and cells[5] == "3"  # used, left
    assert "1\u00a0250,50\u00a0€" in cells[6]  # Babel, in Finnish


def test_the_desk_sees_the_register_without_edit_buttons(qtbot, window):
    services = window.services
    services.ctx.now = Clock(NOW)
    services.auth.sign_in("lead", "demo")
    p = services.providers.save_provider(ProviderInput("Arctic Skills Ab", "0112038-9"))
    services.providers.save_contract(ContractInput(
        p.id, "group_coaching", "Ryhmä", date(2026, 1, 1), date(2026, 12, 31), "",
        "contract", "", "48 000"))
    services.auth.sign_out()
    sign_in(qtbot, window, "desk")
    page = open_page(qtbot, window)
    qtbot.waitUntil(lambda: page.contracts.rowCount() == 1, timeout=WAIT)
    assert [r.business_id for r in page.providers.rows] == ["0112038-9"]
    for button in (page.new_provider, page.edit_provider_button, page.active_button,
                   page.new_contract_button, page.edit_contract_button):
        assert not button.isVisible(), button.objectName()
    cells = page._contract_cells(page.contracts.rows[0])
    assert cells[2] == _("No limit") and cells[5] == "–"
    # Searching by keyboard: a business ID's digits, then a name that is not there.
    page.search.setFocus()
    qtbot.keyClicks(page.search, "nomatch")
    qtbot.waitUntil(lambda: page.providers.rowCount() == 0, timeout=WAIT)
    page.search.clear()
    qtbot.keyClicks(page.search, "0112")
    qtbot.waitUntil(lambda: page.providers.rowCount() == 1, timeout=WAIT)
    check_page(qtbot, page, "providers page for the desk")
    # Signed out: nothing of the register stays on the page.
    window.session.sign_out()
    assert page.providers.rowCount() == 0 and page.detail is None


def test_a_contract_with_a_sent_referral_keeps_its_price_and_says_why(qtbot, window):
    services = window.services
    services.ctx.now = Clock(NOW)
    services.auth.sign_in("lead", "demo")
    p = services.providers.save_provider(ProviderInput("Arctic Skills Ab", "0112038-9"))
    c = services.providers.save_contract(ContractInput(
        p.id, "individual_coaching", "Valmennus", date(2026, 1, 1), date(2026, 12, 31), "5",
        "year", "1 200"))
    customer = services.customers.create(customer_input(
        "Lähete", "Liisa", date(1988, 4, 2), 512)).id
    with services.ctx.session_factory.begin() as s:
        s.add(Referral(customer_id=customer, contract_id=c.id, state=ReferralState.SENT,
                       proposed_on=date(2026, 11, 2), sent_on=date(2026, 11, 3)))
    services.auth.sign_out()
    sign_in(qtbot, window, "lead")
    page = open_page(qtbot, window)
    qtbot.waitUntil(lambda: page.contracts.rowCount() == 1, timeout=WAIT)
    page.contract_table.selectRow(0)
    qtbot.waitUntil(lambda: page.edit_contract_button.isEnabled(), timeout=WAIT)
    page.edit_contract_button.setFocus()
    qtbot.keyClick(page.edit_contract_button, Qt.Key.Key_Space)
    dialog = wait_dialog(qtbot, page, "ContractDialog")
    dialog.unit_price.setFocus()
    dialog.unit_price.selectAll()
    qtbot.keyClicks(dialog.unit_price, "1 500")
    qtbot.keyClick(dialog.unit_price, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.buttons.isEnabled(),
                    timeout=WAIT)
    assert _(LOCKED) in dialog.error.text()
    assert dialog.isVisible() and dialog.unit_price.text() == "1 500"  # nothing lost
    assert focused() is dialog.unit_price
    # More places are an amendment the contract may take.
    dialog.unit_price.selectAll()
    qtbot.keyClicks(dialog.unit_price, "1200")
    dialog.places.selectAll()
    qtbot.keyClicks(dialog.places, "8")
    qtbot.keyClick(dialog.places, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: page.contracts.rowCount() == 1
                    and page.contracts.rows[0].places == 8, timeout=WAIT)
