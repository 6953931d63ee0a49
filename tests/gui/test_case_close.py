"""Closing a case from the customer card by keyboard: the coach's caseload falls; the desk
sees the status without the buttons; the list filters open and closed cases."""

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import update

from app.i18n import _
from app.models import Customer, JobSearchPeriod
from app.views.main_window import ROW
from tests.factories import Clock
from tests.gui.conftest import sign_in
from tests.gui.test_accessibility import check_page

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 24.11.2026 in Helsinki


def prepare(window):
    """Every demo person is the coach's customer, registered on 1.6.2026."""
    services = window.services
    services.ctx.now = Clock(NOW)
    with services.ctx.session_factory.begin() as s:
        s.execute(update(Customer).values(coach_id="staff-coach",
                                          jobseeker_registered_on=date(2026, 6, 1)))
        s.execute(update(JobSearchPeriod).values(opened_on=date(2026, 6, 1)))


def caseload_of(page, name):
    return next((r.active for r in page.coaches.rows if r.full_name == name), None)


def focused():
    return QApplication.focusWidget()


def test_a_coach_closes_a_case_by_keyboard_and_the_caseload_falls(qtbot, window):
    prepare(window)
    sign_in(qtbot, window, "coach")
    window.nav.setCurrentRow(ROW["caseload"])
    caseload = window.page("caseload")
    qtbot.waitUntil(lambda: caseload_of(caseload, "Pekka Ylitalo") == 5, timeout=10000)

    window.nav.setCurrentRow(ROW["customers"])
    customers = window.page("customers")
    card = customers.card_view
    qtbot.waitUntil(lambda: customers.model.rowCount() == 5, timeout=15000)
    window.activateWindow()
    customers.list_view.table.setFocus()
    customers.list_view.table.selectRow(0)
    chosen = customers.model.row_at(0).id
    qtbot.keyClick(customers.list_view.table, Qt.Key.Key_Return)
    strip = card.case.strip
    qtbot.waitUntil(lambda: card.case.case is not None and card.case.case.customer_id == chosen,
                    timeout=15000)
    assert strip.status.text() == _("Case open since {date}").format(date="1.6.2026")
    assert strip.close_case.isVisible() and not strip.reopen_case.isVisible()
    assert strip.close_case.accessibleName()
    check_page(qtbot, window.shell, "customer card with its case")

    # The keyboard only: Tab from the card's first action reaches "Close case…".
    card.edit.setFocus()
    for _step in range(30):
        if focused() is strip.close_case:
            break
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is strip.close_case, "Close case… is reachable with Tab"
    qtbot.keyClick(strip.close_case, Qt.Key.Key_Space)
    controller = customers.case
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible(),
                    timeout=15000)
    dialog = controller.dialog
    qtbot.waitUntil(lambda: focused() is dialog.on, timeout=3000)
    assert dialog.on.text() == "24.11.2026"  # today by default
    check_page(qtbot, dialog, "close-case dialog")
    dialog.on.setFocus()
    # Enter with no reason chosen: refused, nothing written, the dialog stays.
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.buttons.isEnabled(),
                    timeout=15000)
    assert dialog.isVisible() and _("&Reason").replace("&", "") in dialog.error.text()
    dialog.on.setFocus()
    qtbot.keyClick(dialog.on, Qt.Key.Key_Tab)
    assert focused() is dialog.reason
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Down)
    assert dialog.reason.currentData() == "employed_open_market"
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Tab)
    assert focused() is dialog.note
    qtbot.keyClicks(dialog.note, "Varastotyohon")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Tab)
    assert focused() is dialog.coach and dialog.coach.currentData() == "release"
    assert dialog.coach.accessibleName() and dialog.reason.accessibleName()
    qtbot.keyClick(dialog.coach, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)

    qtbot.waitUntil(lambda: card.case.case is not None and card.case.case.closed_on is not None,
                    timeout=15000)
    assert strip.status.text().endswith(_("Case closed on {date} ({reason})").format(
        date="24.11.2026", reason=_("Employed in the open labour market")))
    assert strip.reopen_case.isVisible() and not strip.close_case.isVisible()
    qtbot.waitUntil(lambda: card.card is not None and card.card.coach_name is None,
                    timeout=15000)  # released from the caseload
    history = card.case.history.model
    assert history.rowCount() == 1
    assert history.index(0, 3).data() == "Varastotyohon"
    # The coaching tab no longer lists statutory deadlines, and says why.
    panel = card.coaching

    def deadline_texts():
        return [panel.deadlines.itemAt(i).widget().text()
                for i in range(panel.deadlines.count()) if panel.deadlines.itemAt(i).widget()]

    closed_text = _("The case is closed: no statutory deadlines run until it is reopened.")
    qtbot.waitUntil(lambda: deadline_texts() == [closed_text], timeout=15000)

    window.nav.setCurrentRow(ROW["caseload"])
    qtbot.waitUntil(lambda: caseload_of(caseload, "Pekka Ylitalo") == 4, timeout=10000)

    # The list: the closed case shows as closed, and the filter leaves it out or in.
    window.nav.setCurrentRow(ROW["customers"])
    customers.show_list()
    model = customers.model
    qtbot.waitUntil(lambda: model.rowCount() == 5 and not model.loading, timeout=15000)
    status = {r.id: model.index(p, 7).data() for p, r in enumerate(model.rows)}
    assert status[chosen] == _("Closed") and list(status.values()).count(_("Open")) == 4
    combo = customers.list_view.case_filter
    combo.setCurrentIndex(combo.findData("open"))
    qtbot.waitUntil(lambda: model.rowCount() == 4 and not model.loading, timeout=15000)
    combo.setCurrentIndex(combo.findData("closed"))
    qtbot.waitUntil(lambda: model.rowCount() == 1 and not model.loading, timeout=15000)
    assert model.row_at(0).id == chosen
    qtbot.waitUntil(lambda: model.total == 1, timeout=15000)

    # The next day the customer comes back: reopened as a new period, from the card.
    window.services.ctx.now.advance(24 * 60)
    customers.open_customer(chosen)
    qtbot.waitUntil(lambda: customers.currentWidget() is card and card.case.case is not None
                    and strip.reopen_case.isVisible(), timeout=15000)
    strip.reopen_case.setFocus()
    qtbot.keyClick(strip.reopen_case, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog is not dialog
                    and controller.dialog.isVisible(), timeout=15000)
    reopen = controller.dialog
    assert reopen.on.text() == "25.11.2026"
    qtbot.keyClick(reopen.on, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not reopen.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: card.case.case is not None and card.case.case.closed_on is None,
                    timeout=15000)
    assert strip.status.text() == _("Case open since {date}").format(date="25.11.2026")
    assert history.rowCount() == 2 and history.index(0, 1).data() == _("open")


def test_the_desk_sees_the_case_but_no_buttons(qtbot, window):
    prepare(window)
    sign_in(qtbot, window, "desk")
    customers = window.page("customers")
    customers.open_customer(customers.model.row_at(0).id)
    card = customers.card_view
    qtbot.waitUntil(lambda: card.case.case is not None, timeout=15000)
    assert card.case.strip.status.text() == _("Case open since {date}").format(
        date="1.6.2026")
    assert not card.case.strip.close_case.isVisible()
    assert not card.case.strip.reopen_case.isVisible()
