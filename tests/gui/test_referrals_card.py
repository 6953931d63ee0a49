"""Referrals from the customer card by keyboard (#20): a coach refers a customer to a
contracted service, sends the referral, marks the service started and completed, and
three months later answers the follow-up in Today; the desk's card has no Referrals
tab."""

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select, update

from app.i18n import _
from app.models import AuditEvent, Customer, JobSearchPeriod, Referral
from app.rules.codes import PlacesPeriod
from tests.factories import Clock
from tests.gui.conftest import sign_in
from tests.gui.test_accessibility import check_page
from tests.unit.test_referrals import seed_contract

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 24.11.2026 in Helsinki
WAIT = 15000


def prepare(window):
    services = window.services
    services.ctx.now = Clock(NOW)
    with services.ctx.session_factory.begin() as s:
        s.execute(update(Customer).values(coach_id="staff-coach",
                                          jobseeker_registered_on=date(2026, 6, 1)))
        s.execute(update(JobSearchPeriod).values(opened_on=date(2026, 6, 1)))
    return seed_contract(services, places=3, per=PlacesPeriod.QUARTER)


def focused():
    return QApplication.focusWidget()


def tab_to(qtbot, start, target, steps=60):
    start.setFocus()
    for _step in range(steps):
        if focused() is target:
            return
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is target, f"{target.objectName()} is reachable with Tab"


def open_card(qtbot, window):
    customers = window.page("customers")
    card = customers.card_view
    window.activateWindow()
    customers.list_view.table.setFocus()
    customers.list_view.table.selectRow(0)
    chosen = customers.model.row_at(0).id
    qtbot.keyClick(customers.list_view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: card.card is not None and card.card.id == chosen, timeout=WAIT)
    return customers, card, chosen


def step_by_keyboard(qtbot, customers, section, state):
    button = section.step_buttons[state]
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=WAIT)
    tab_to(qtbot, section.refer_button, button)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    controller = customers.referrals
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible()
                    and controller.dialog.target == state, timeout=WAIT)
    dialog = controller.dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    assert dialog.on.text() == "24.11.2026"  # today by default
    dialog.on.setFocus()
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: section.chosen() is not None
                    and section.chosen().state == state.value, timeout=WAIT)


def test_a_coach_refers_by_keyboard_sends_starts_and_completes(qtbot, window):
    from app.rules.codes import ReferralState as R

    contract = prepare(window)
    sign_in(qtbot, window, "coach")
    customers, card, chosen = open_card(qtbot, window)
    sections = card.sections
    assert sections.isTabVisible(sections.indexOf(card.referrals))
    sections.setCurrentWidget(card.referrals)
    section = card.referrals
    qtbot.waitUntil(lambda: section.refer_button.isEnabled(), timeout=WAIT)
    assert section.state.text() == _("No referrals yet.")
    assert section.refer_button.accessibleName() and section.table.accessibleName()

    tab_to(qtbot, card.edit, section.refer_button, steps=80)
    qtbot.keyClick(section.refer_button, Qt.Key.Key_Space)
    controller = customers.referrals
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible(),
                    timeout=WAIT)
    dialog = controller.dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    check_page(qtbot, dialog, "refer dialog")
    assert dialog.contract.count() == 1 and dialog.contract.currentData() == contract
    assert "3" in dialog.places.text()  # three places left this quarter
    dialog.contract.setFocus()
    qtbot.keyClick(dialog.contract, Qt.Key.Key_Tab)
    assert focused() is dialog.line
    qtbot.keyClick(dialog.line, Qt.Key.Key_Tab)
    assert focused() is dialog.note
    qtbot.keyClicks(dialog.note, "Aamupaivat")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=WAIT)
    assert section.model.index(0, 2).data() == _("Proposed")
    assert section.model.index(0, 1).data() == "Valmennus Oy"

    step_by_keyboard(qtbot, customers, section, R.SENT)
    assert section.model.index(0, 4).data() == "24.11.2026"
    assert not section.step_buttons[R.COMPLETED].isVisible()
    step_by_keyboard(qtbot, customers, section, R.STARTED)
    step_by_keyboard(qtbot, customers, section, R.COMPLETED)
    assert section.model.index(0, 2).data() == _("Completed")
    assert not any(b.isVisible() for b in section.step_buttons.values())
    with window.services.ctx.session_factory() as s:
        row = s.scalars(select(Referral).where(Referral.customer_id == chosen)).one()
        assert (row.state.value, row.note, row.sent_on, row.started_on, row.ended_on) == (
            "completed", "Aamupaivat", date(2026, 11, 24), date(2026, 11, 24),
            date(2026, 11, 24))
        steps = s.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_id == row.id)).all()
    assert sorted(steps) == ["referral.advance"] * 3 + ["referral.create"]

    # Three months on, the coach's Today asks where the customer is; answered by keyboard.
    from app.models import EffectFollowup, followup_id
    from app.rules.codes import FollowupSituation
    from app.views.main_window import ROW

    window.services.ctx.now.advance(minutes=92 * 24 * 60)  # 24.2.2027
    window.nav.setCurrentRow(ROW["today"])
    today = window.page("today")
    qtbot.waitUntil(lambda: window.pages.currentWidget() is today, timeout=WAIT)
    today.load()

    def due():
        return [i for i in today.model.items if i.kind == "followup"]

    qtbot.waitUntil(lambda: today.loaded and len(due()) == 1, timeout=WAIT)
    (item,) = due()
    assert (item.customer_id, item.due_on) == (chosen, date(2027, 2, 24))
    model = today.model
    heading = next(model.index(r, 0) for r in range(model.rowCount())
                   if model.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) == "followup")
    today.table.setFocus()
    today.table.setCurrentIndex(model.index(0, 0, heading))
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: today.dialog is not None and today.dialog.isVisible(),
                    timeout=WAIT)
    answer = today.dialog
    qtbot.waitUntil(lambda: answer.situations.hasFocus(), timeout=WAIT)
    qtbot.keyClick(answer.situations, Qt.Key.Key_Return)  # the first: employed
    qtbot.waitUntil(lambda: not answer.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: today.loaded and not due(), timeout=WAIT)
    with window.services.ctx.session_factory() as s:
        stored = s.get(EffectFollowup, followup_id(row.id, 3))
        assert stored is not None
        assert stored.situation == FollowupSituation.EMPLOYED_OPEN_MARKET


def test_the_desk_does_not_see_the_referrals_tab(qtbot, window):
    prepare(window)
    sign_in(qtbot, window, "desk")
    _customers, card, _chosen = open_card(qtbot, window)
    assert not card.sections.isTabVisible(card.sections.indexOf(card.referrals))


def test_the_plan_s_service_row_shows_the_live_referral_state(qtbot):
    from app.dto.plans import PlanServiceItem
    from app.views.plans.rows import ServiceRow

    row = ServiceRow()
    qtbot.addWidget(row)
    row.set_value(PlanServiceItem("coaching", "Valmennus Oy", date(2027, 2, 1), None))
    assert row.referral.isHidden()
    item = PlanServiceItem("coaching", "Valmennus Oy", date(2027, 2, 1), None,
                           referral_state="sent", referral_on=date(2027, 2, 3))
    row.set_value(item)
    assert not row.referral.isHidden()
    assert row.referral.text() == _("Referral: {state} {day}").format(
        state=_("Sent"), day="3.2.2027")
    assert row.value() == item  # the state is shown, never part of what is saved


def test_the_referral_just_made_is_the_chosen_one(qtbot, window):
    """With an earlier referral on the card, the new one is chosen at once, so its next
    step (Send) is the button at hand (found using the real window)."""
    from app.rules.codes import ReferralState as R

    contract = prepare(window)
    sign_in(qtbot, window, "coach")
    customers, card, chosen = open_card(qtbot, window)
    with window.services.ctx.session_factory.begin() as s:
        s.add(Referral(customer_id=chosen, contract_id=contract, coach_id="staff-coach",
                       state=R.COMPLETED, proposed_on=date(2026, 6, 1),
                       sent_on=date(2026, 6, 2), started_on=date(2026, 6, 15),
                       ended_on=date(2026, 9, 30)))
    card.sections.setCurrentWidget(card.referrals)
    section = card.referrals
    customers.referrals.load(chosen)
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: section.refer_button.isEnabled(), timeout=WAIT)
    qtbot.keyClick(section.refer_button, Qt.Key.Key_Space)
    controller = customers.referrals
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible(),
                    timeout=WAIT)
    dialog = controller.dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    dialog.note.setFocus()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: section.model.rowCount() == 2, timeout=WAIT)
    qtbot.wait(300)  # the card's own reload after the write
    qtbot.waitUntil(lambda: section.chosen() is not None
                    and section.chosen().state == R.PROPOSED.value, timeout=WAIT)
    assert section.step_buttons[R.SENT].isVisible()
