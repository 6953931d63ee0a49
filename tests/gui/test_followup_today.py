"""The follow-up of a service's effect in the coach's Today (#20): a three-month follow-up
due shows in its own group with the service and the provider named; Enter on it opens
the answer, the arrow keys and Enter answer it, and the row leaves Today with the answer
stored. The other rows still open the customer's card."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.dto.coaching import WorkItem
from app.models import Customer
from app.models.purchased import (
    EffectFollowup,
    Referral,
    ServiceContract,
    ServiceProvider,
    followup_id,
)
from app.rules.codes import FollowupSituation, ReferralState, ServiceKind
from app.views.application import build_main_window
from app.views.coaching.texts import group_title
from app.views.coaching.today import FollowupDialog
from app.views.main_window import ROW
from app.views.screenshot import settle
from tests.factories import Clock
from tests.gui.test_coaching import prepare, sign_in_as

WAIT = 15000


def add_completed_referral(services) -> tuple[str, str]:
    """A referral of the coach's first customer completed on 24.8.2026: its three months
    are due on 24.11.2026, the day of the clock (`prepare`)."""
    with services.ctx.session_factory.begin() as s:
        cid = s.scalars(select(Customer.id).order_by(Customer.last_name)).first()
        s.add(ServiceProvider(id="prov-gui", name="Revontuli Valmennus Oy",
                              business_id="1572860-0"))
        s.flush()
        s.add(ServiceContract(id="con-gui", provider_id="prov-gui",
                              service=ServiceKind.INDIVIDUAL_COACHING, title="Valmennus",
                              starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                              places=10, unit_price_cents=120000))
        s.flush()
        s.add(Referral(id="ref-gui", customer_id=cid, contract_id="con-gui",
                       coach_id="staff-coach", state=ReferralState.COMPLETED,
                       proposed_on=date(2026, 3, 1), sent_on=date(2026, 3, 2),
                       started_on=date(2026, 4, 1), ended_on=date(2026, 8, 24)))
    return cid, "ref-gui"


def followups(today):
    return [i for i in today.model.items if i.kind == "followup"]


def followup_heading(model):
    """The follow-ups' group row of Today's model."""
    return next(model.index(r, 0) for r in range(model.rowCount())
                if model.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) == "followup")


def test_a_three_month_follow_up_is_answered_in_today_by_keyboard(qtbot, window):
    prepare(window)
    cid, rid = add_completed_referral(window.services)
    sign_in_as(qtbot, window, "coach")
    window.nav.setCurrentRow(ROW["today"])
    today = window.page("today")
    qtbot.waitUntil(lambda: window.pages.currentWidget() is today, timeout=WAIT)
    qtbot.waitUntil(lambda: len(followups(today)) == 1, timeout=WAIT)
    (item,) = followups(today)
    assert (item.customer_id, item.due_on) == (cid, date(2026, 11, 24))
    # Its own group, named; the row names the service and the provider, no free text.
    model = today.model
    heading = followup_heading(model)
    assert heading.data().startswith(group_title("followup"))
    row = model.index(0, 0, heading)
    status = row.siblingAtColumn(2).data()
    assert "Yksilövalmennus" in status and "Revontuli Valmennus Oy" in status
    assert "3" in status
    # The other rows open the card as before; the follow-up's row answers instead.
    opened: list[str] = []
    today.open_customer.connect(opened.append)
    today.table.setFocus()
    today.table.setCurrentIndex(row)
    assert today.answer_button.isEnabled()
    other = next(model.index(0, 0, model.index(r, 0)) for r in range(model.rowCount())
                 if model.index(r, 0) != heading and model.rowCount(model.index(r, 0)))
    today.table.setCurrentIndex(other)
    assert not today.answer_button.isEnabled()
    # Kept as an id: coming back to Today refreshes it, and a rebuilt model leaves the
    # indexes taken before pointing at nothing.
    other_customer = model.item_of(other).customer_id
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    assert opened == [other_customer]
    window.nav.setCurrentRow(ROW["today"])
    qtbot.waitUntil(lambda: window.pages.currentWidget() is today, timeout=WAIT)
    qtbot.waitUntil(lambda: len(followups(today)) == 1, timeout=WAIT)
    heading = followup_heading(model)
    row = model.index(0, 0, heading)
    today.table.setCurrentIndex(row)
    today.table.setFocus()
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), FollowupDialog)
                    or isinstance(QApplication.activeWindow(), FollowupDialog),
                    timeout=WAIT)
    dialog = today.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.situations.hasFocus(), timeout=WAIT)
    assert opened == [other_customer], "Enter answered, not opened"
    assert dialog.situations.accessibleName()
    # The situations in order: employed, employed with support, studies, ...
    qtbot.keyClick(dialog.situations, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.situations, Qt.Key.Key_Down)
    assert dialog.situation() == FollowupSituation.STUDIES.value
    qtbot.keyClick(dialog.situations, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: today.loaded and not followups(today), timeout=WAIT)
    with window.services.ctx.session_factory() as s:
        stored = s.get(EffectFollowup, followup_id(rid, 3))
        assert stored is not None
        assert (stored.customer_id, stored.referral_id, stored.months, stored.situation,
                stored.answered_by) == (cid, rid, 3, FollowupSituation.STUDIES,
                                        "staff-coach")
    # A reload (F5) does not bring it back.
    today.load()
    qtbot.wait(300)
    qtbot.waitUntil(lambda: today.loaded and len(today.model.items) > 0, timeout=WAIT)
    assert not followups(today)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_figures_tab_and_the_answer_fit_at_150_percent_text(qapp, qtbot, services, lang):
    """The Reports page's "Purchased services" tab with the hand-worked fixture's figures,
    and the follow-up's answer dialog: no text cut at 150 % text."""
    from tests.gui.layout_check import cut_text
    from tests.gui.test_layout import as_on_screen
    from tests.unit.test_report_purchased import STATS, build

    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("admin", "demo")
    services.reports.set_statistics(STATS)
    build(services)
    services.auth.sign_out()
    base = QApplication.font()
    win, runner = build_main_window(qapp, services, lang, text_scale=150)
    try:
        qtbot.addWidget(win)
        win.resize(QSize(1600, 1000))
        win.show()
        qtbot.waitExposed(win)
        win.session.sign_in("lead", "demo")
        qtbot.waitUntil(lambda: win.actor is not None, timeout=WAIT)
        win.nav.setCurrentRow(ROW["reports"])
        page = win.page("reports")
        page = getattr(page, "page", None) or page
        page.targets_tabs.setCurrentWidget(page.services_tab)
        view = page.services_tab
        qtbot.waitUntil(lambda: all(s.model.rowCount() > 0 for s in view.sections.values()),
                        timeout=WAIT)
        settle(runner, 2000)
        effect = view.sections["purchased_effect"]
        assert effect.model.rowCount() == 5  # four rows and the total
        assert effect.chart is not None and effect.chart.table is not None
        assert page.targets_tabs.tabText(page.targets_tabs.currentIndex())
        for section in view.sections.values():  # every row shows: the tab scrolls
            table = section.table
            last = table.visualRect(section.model.index(section.model.rowCount() - 1, 0))
            assert last.bottom() <= table.viewport().height() + 1, section.name
        found = []
        for section in view.sections.values():
            view.scroller.ensureWidgetVisible(section)
            QApplication.processEvents()
            found += [line for line in cut_text(section) if "QScrollBar" not in line]
        assert not found, "\n".join(found)
        item = WorkItem("c", "Ruokojärvi-Heikkilä, Marjatta Annikki", "followup",
                        date(2026, 11, 24), False, "",
                        detail="referral|r1|6|labour_market_training|Lapin Ammattiopisto "
                               "-koulutuskuntayhtymä")
        dialog = FollowupDialog(item, win)
        dialog.show()
        settle(runner, 1000)
        as_on_screen(dialog, QSize(1600, 1000))
        QApplication.processEvents()
        assert not cut_text(dialog), "\n".join(cut_text(dialog))
        dialog.close()
    finally:
        runner.wait()
        win.preferences.switcher.switch("fi")
        QApplication.setFont(base)


def test_after_an_answer_the_next_follow_up_is_chosen(qtbot, window):
    """A coach answers a run of follow-ups: after each, the next one is the chosen row
    (not the first row of Today), so Enter answers the next."""
    prepare(window)
    cid, _rid = add_completed_referral(window.services)
    with window.services.ctx.session_factory.begin() as s:
        for n in (2, 3):
            s.add(Referral(id=f"ref-gui{n}", customer_id=cid, contract_id="con-gui",
                           coach_id="staff-coach", state=ReferralState.COMPLETED,
                           proposed_on=date(2026, 3, n), sent_on=date(2026, 3, 4),
                           started_on=date(2026, 4, 1), ended_on=date(2026, 8, 20 + n)))
    sign_in_as(qtbot, window, "coach")
    window.nav.setCurrentRow(ROW["today"])
    today = window.page("today")
    qtbot.waitUntil(lambda: window.pages.currentWidget() is today, timeout=WAIT)
    qtbot.waitUntil(lambda: len(followups(today)) == 3, timeout=WAIT)
    first, second, _third = sorted(followups(today), key=lambda i: (i.due_on, i.source))
    today._select(first)
    today.table.setFocus()
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: today.dialog is not None and today.dialog.isVisible(),
                    timeout=WAIT)
    dialog = today.dialog
    qtbot.waitUntil(lambda: dialog.situations.hasFocus(), timeout=WAIT)
    qtbot.keyClick(dialog.situations, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(followups(today)) == 2, timeout=WAIT)
    qtbot.wait(300)  # the reload after the answer
    qtbot.waitUntil(lambda: today.model.item_of(today.table.currentIndex()) is not None
                    and today.model.item_of(today.table.currentIndex()).kind == "followup",
                    timeout=WAIT)
    chosen = today.model.item_of(today.table.currentIndex())
    assert chosen != first and chosen.kind == "followup"
    assert chosen == second
