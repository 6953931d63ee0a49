"""The customer card's Consents tab (#24) by keyboard: an expired consent shows as
expired; the coach records a consent, where a form without a partner, a purpose or any
information is refused next to each field and an end before the start next to the end,
what was typed staying; the new consent shows in force. Withdrawing asks first (Enter
keeps it), then withdraws it on the day given, and the list says so. The desk reads the
consents but records none; signing out leaves nothing of them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.dto.partners import ConsentInput, PartnerOrgInput
from app.views.customers.consents_section import ConsentDialog, WithdrawDialog
from tests.factories import Clock, customer_input
from tests.gui.conftest import sign_in
from tests.gui.layout_check import cut_text
from tests.gui.test_accessibility import check_page

WAIT = 15000
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 10.00 in Helsinki
TODAY = date(2026, 11, 24)


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
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def wait_dialog(qtbot, controller, cls):
    qtbot.waitUntil(lambda: isinstance(controller.dialog, cls)
                    and controller.dialog.isVisible(), timeout=WAIT)
    dialog = controller.dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    return dialog


def setup(services) -> tuple[str, str]:
    services.ctx.now = Clock(START)
    services.auth.sign_in("coach", "demo")
    card = services.customers.create(customer_input(
        "Lindqvist", "Aino", date(1987, 4, 2), 618, unemployed_since=date(2026, 6, 1)))
    county = services.partners.save_org(None, PartnerOrgInput(
        "Lapin hyvinvointialue, aikuissosiaalityö", "wellbeing_county"))
    kela = services.partners.save_org(None, PartnerOrgInput("Kela Rovaniemi", "kela"))
    services.consents.record(card.id, ConsentInput(
        kela.id, "Kuntoutusraha", ("contact", "benefits"), "in_person",
        TODAY - timedelta(days=400), TODAY - timedelta(days=30)))
    services.auth.sign_out()
    return card.id, county.id


def open_consents(qtbot, window, customer_id, rows: int):
    customers = window.page("customers")
    window.open_customer(customer_id)
    card = customers.card_view
    qtbot.waitUntil(lambda: card.card is not None and card.card.id == customer_id,
                    timeout=WAIT)
    assert card.sections.isTabVisible(card.sections.indexOf(card.consents))
    card.sections.setCurrentWidget(card.consents)
    section, controller = card.consents, customers.consents
    qtbot.waitUntil(lambda: section.model.rowCount() == rows, timeout=WAIT)
    return section, controller


def state(section, row: int) -> str:
    return section.model.index(row, 4).data()


def test_record_and_withdraw_a_consent_by_keyboard(qtbot, window, services):
    customer_id, county_id = setup(services)
    sign_in(qtbot, window, "coach")
    section, controller = open_consents(qtbot, window, customer_id, 1)

    # The expired consent: in words and with the warning symbol, not in force.
    assert state(section, 0).startswith("⚠") and "25.10.2026" in state(section, 0)
    assert section.record.isVisible() and section.withdraw.isVisible()
    assert "0" in section.title.text()
    check_page(qtbot, section, "customer consents")
    qtbot.waitUntil(lambda: not cut_text(window), timeout=WAIT)

    # Nothing chosen: each reason next to its field; nothing recorded.
    press(qtbot, section.record)
    dialog = wait_dialog(qtbot, controller, ConsentDialog)
    check_page(qtbot, dialog, "consent dialog")
    assert dialog.valid_from.text() == "24.11.2026" and dialog.valid_until.text() == ""
    qtbot.keyClick(dialog.valid_from, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.org_error.isVisible(), timeout=WAIT)
    assert dialog.info_error.isVisible() and dialog.purpose_error.isVisible()
    assert dialog.isVisible() and focused() is dialog.org

    # The partner, the purpose, plans and meetings; an end before the start: refused
    # next to the end, what was typed kept.
    dialog.org.setCurrentIndex(dialog.org.findData(county_id))
    type_into(qtbot, dialog.purpose, "Monialainen suunnitelma")
    press(qtbot, dialog.info["plan"])
    assert dialog.info["plan"].isChecked()
    type_into(qtbot, dialog.valid_until, "1.1.2026")
    qtbot.keyClick(dialog.valid_until, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.valid_until_error.isVisible(), timeout=WAIT)
    assert dialog.isVisible() and focused() is dialog.valid_until
    assert dialog.purpose.text() == "Monialainen suunnitelma"
    assert not dialog.org_error.isVisible() and not dialog.info_error.isVisible()

    # Until withdrawn: recorded, in force, the newest first.
    type_into(qtbot, dialog.valid_until, "")
    qtbot.keyClick(dialog.valid_until, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: section.model.rowCount() == 2, timeout=WAIT)
    new = section.model.rows[0]
    assert (new.partner_org_id, new.information, new.in_force) == (county_id, ("plan",), True)
    assert state(section, 0).startswith("✓")
    assert "Pekka Ylitalo" in section.model.index(0, 5).data()
    assert section.state.text().startswith("✓")
    assert focused() is section.record

    # An expired consent is not withdrawn; the one in force is, after asking.
    section.table.selectRow(1)
    assert not section.withdraw.isEnabled()
    section.table.selectRow(0)
    assert section.withdraw.isEnabled()
    press(qtbot, section.withdraw)
    ask = wait_dialog(qtbot, controller, WithdrawDialog)
    check_page(qtbot, ask, "withdraw dialog")
    assert "Lapin hyvinvointialue" in ask.question.text()
    assert ask.on.text() == "24.11.2026"
    qtbot.keyClick(ask.on, Qt.Key.Key_Return)  # Enter keeps it: asked, not withdrawn
    qtbot.waitUntil(lambda: not ask.isVisible(), timeout=WAIT)
    section.table.selectRow(0)
    assert section.model.rows[0].withdrawn_on is None

    press(qtbot, section.withdraw)
    ask = wait_dialog(qtbot, controller, WithdrawDialog)
    type_into(qtbot, ask.on, "1.1.2020")  # before the consent: refused, kept open
    press(qtbot, ask.buttons.button(QDialogButtonBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: ask.error.isVisible(), timeout=WAIT)
    assert ask.isVisible()
    type_into(qtbot, ask.on, "24.11.2026")
    press(qtbot, ask.buttons.button(QDialogButtonBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: not ask.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: section.model.rows[0].withdrawn_on == TODAY, timeout=WAIT)
    assert state(section, 0).startswith("‼") and "24.11.2026" in state(section, 0)
    assert "Pekka Ylitalo" in section.model.index(0, 5).data()
    section.table.selectRow(0)
    assert not section.withdraw.isEnabled()  # a withdrawal is never undone

    # Signing out leaves nothing of the customer's consents.
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    assert section.model.rowCount() == 0 and section.rows is None

    # The desk reads them but records none.
    sign_in(qtbot, window, "desk")
    section, controller = open_consents(qtbot, window, customer_id, 2)
    assert not section.record.isVisible() and not section.withdraw.isVisible()
    check_page(qtbot, section, "customer consents, desk")
