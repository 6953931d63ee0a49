"""The drill-down (#25) as a team lead uses it: on the Reports page, the keyboard to a
figure, Enter, exactly the customers behind it, Enter on one opens their card; and
nothing of it stays after signing out."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from app.services.reports import REPORTS
from app.views.application import build_main_window
from app.views.main_window import ROW
from app.views.reports.widgets import DRILL_HINT
from tests import report_fixture as fx
from tests.gui.test_accessibility import check_page

WAIT = 15000


@pytest.fixture
def window(qapp, qtbot, services):
    fx.build(services)
    win, runner = build_main_window(qapp, services, "en")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    runner.wait()
    win.preferences.switcher.switch("fi")


def open_report(qtbot, win, name):
    win.login.username.setText("lead")
    win.login.password.setText("demo")
    win.login.button.click()
    qtbot.waitUntil(lambda: win.actor is not None, timeout=WAIT)
    win.nav.setCurrentRow(ROW["reports"])
    page = win.page("reports").page  # built on first showing (matplotlib)
    qtbot.waitUntil(lambda: page.table is not None, timeout=WAIT)
    page.report_list.setCurrentRow(list(REPORTS).index(name))
    qtbot.waitUntil(lambda: page.table is not None and page.table.name == name,
                    timeout=WAIT)
    return page


def key(qtbot, widget, k, times=1):
    for _i in range(times):
        qtbot.keyClick(widget, k)


def test_lead_drills_from_a_figure_to_the_customers_and_a_card(qtbot, window):
    page = open_report(qtbot, window, "plans")
    table, numbers = page.table, page.numbers
    # Reviews overdue in November 2026: p1v2 (c1) and p2v1 (c2).
    november = table.values("month").index(date(2026, 11, 1))
    assert table.rows[november][table.column("overdue")] == 2
    numbers.setFocus()
    qtbot.waitUntil(numbers.hasFocus, timeout=WAIT)
    qtbot.keyClick(numbers, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, numbers, Qt.Key.Key_Down, november)
    key(qtbot, numbers, Qt.Key.Key_Right, table.column("overdue"))
    current = numbers.currentIndex()
    assert (current.row(), current.column()) == (november, table.column("overdue"))
    # The figure says it opens the customers behind it; an empty one does not.
    model = page.model
    assert DRILL_HINT in model.data(current, Qt.ItemDataRole.ToolTipRole)
    assert model.data(current, Qt.ItemDataRole.AccessibleDescriptionRole) == DRILL_HINT
    assert model.data(current, Qt.ItemDataRole.FontRole).underline()
    month_cell = model.index(november, 0)
    assert model.data(month_cell, Qt.ItemDataRole.AccessibleDescriptionRole) is None
    qtbot.keyClick(numbers, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.drilldown.dialog is not None
                    and page.drilldown.dialog.found is not None, timeout=WAIT)
    dialog = page.drilldown.dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    assert [r.id for r in dialog.model.rows] == ["c1", "c2"]
    assert [r.name for r in dialog.model.rows] == ["c1, Testi", "c2, Testi"]
    assert dialog.summary.text() == "2 customers"
    assert "Reviews overdue" in dialog.figure.text() and "2" in dialog.figure.text()
    # The second one, by the keyboard: their card opens.
    qtbot.waitUntil(dialog.list.hasFocus, timeout=WAIT)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    customers = window.page("customers")
    qtbot.waitUntil(lambda: customers.card_view.card is not None
                    and customers.card_view.card.id == "c2", timeout=WAIT)
    assert window.nav.currentRow() == ROW["customers"]
    assert page.drilldown.dialog is None
    assert not isValid(dialog) or not dialog.isVisible()


def test_the_total_row_drills_too_and_sign_out_leaves_nothing(qtbot, window):
    page = open_report(qtbot, window, "caseloads")
    numbers, model = page.numbers, page.model
    total = model.index(model.rowCount() - 1, page.table.column("customers"))
    numbers.setFocus()
    numbers.setCurrentIndex(total)
    qtbot.keyClick(numbers, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: page.drilldown.dialog is not None
                    and page.drilldown.dialog.found is not None, timeout=WAIT)
    dialog = page.drilldown.dialog
    # c4's case is closed: not in anyone's caseload.
    assert sorted(r.id for r in dialog.model.rows) == ["c1", "c2", "c3"]
    check_page(qtbot, dialog, "drill-down dialog")
    # Over the cap has no customers of its own: nothing opens.
    over = model.index(0, page.table.column("over_cap"))
    assert model.data(over, Qt.ItemDataRole.AccessibleDescriptionRole) is None
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    assert page.drilldown.dialog is None
    assert not isValid(dialog) or not dialog.isVisible()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_purchased_services_figures_drill_down_at_150_percent_text(qapp, qtbot, services,
                                                                   lang):
    """The "Purchased services" tab: Enter on the referrals' grand total lists its four
    customers (one has two referrals: shown once); no text cut at 150 % text."""
    from datetime import UTC, datetime

    from PySide6.QtCore import QSize

    from tests.factories import Clock
    from tests.gui.layout_check import cut_text
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
        page = win.page("reports").page
        page.targets_tabs.setCurrentWidget(page.services_tab)
        view = page.services_tab
        section = view.sections["purchased_referrals"]
        qtbot.waitUntil(lambda: section.model.rowCount() == 3, timeout=WAIT)
        model, table = section.model, section.table
        table.setFocus()
        table.setCurrentIndex(model.index(2, model.columnCount() - 1))  # the grand total
        qtbot.keyClick(table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: view.drilldown.dialog is not None
                        and view.drilldown.dialog.found is not None, timeout=WAIT)
        dialog = view.drilldown.dialog
        assert [r.name for r in dialog.model.rows] == [
            "Ostopalvelu, Anna", "Ostopalvelu, Bertta", "Ostopalvelu, Cecilia",
            "Ostopalvelu, Daniel"]
        assert all(r.hetu_masked.endswith("****") for r in dialog.model.rows)
        QApplication.processEvents()
        assert not cut_text(dialog), "\n".join(cut_text(dialog))
        dialog.reject()
    finally:
        runner.wait()
        win.preferences.switcher.switch("fi")
        QApplication.setFont(base)
