"""The Targets tab of the Reports page (#25): a team lead opens it by keyboard, reads each
figure against its target with its state in words and symbols, and edits a target by
keyboard; a refused value stays as typed with the reason beside it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.rules import targets as rules
from app.views.application import build_main_window
from app.views.main_window import ROW
from app.views.reports.targets_view import TargetsDialog
from tests.gui.test_accessibility import check_page
from tests.unit.test_targets import build

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(qapp, qtbot, services):
    build(services)  # today 10.3.2026
    win, runner = build_main_window(qapp, services, "en")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    runner.wait()
    win.preferences.switcher.switch("fi")


def open_targets(qtbot, win, username="lead"):
    win.login.username.setText(username)
    win.login.password.setText("demo")
    win.login.button.click()
    qtbot.waitUntil(lambda: win.actor is not None, timeout=10000)
    win.nav.setCurrentRow(ROW["reports"])
    page = win.page("reports").page
    qtbot.waitUntil(lambda: page.table is not None, timeout=15000)
    page.activateWindow()
    page.date_from.setFocus()
    qtbot.keyClick(page.date_from, Qt.Key.Key_A, ALT)  # T&argets
    tabs = page.targets_tabs
    qtbot.waitUntil(lambda: tabs.currentWidget() is tabs.targets, timeout=15000)
    view = tabs.targets
    qtbot.waitUntil(lambda: view.report is not None, timeout=15000)
    return page, view


def cells(view, key):
    row = [f.key for f in view.report.figures].index(key)
    model = view.model
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def test_lead_reads_the_targets_and_edits_one_by_keyboard(qtbot, window):
    _page, view = open_targets(qtbot, window)
    assert view.year.value() == 2026
    interviews = cells(view, rules.INTERVIEWS_ON_TIME)
    # Figure, goal, state in a word with its symbol, then January to March.
    assert interviews[:7] == ["Initial interviews on time", "75.0 %", "≥ 95 %",
                              "‼ Off target", "50.0", "100.0", "100.0"]
    assert cells(view, rules.WORK_OR_STUDY_EXITS)[1:4] == ["66.7 %", "≥ 50 %", "✓ Good"]
    assert view.model.headerData(4, Qt.Orientation.Horizontal) == "Jan"
    check_page(qtbot, view, "targets")

    assert view.edit_button.isVisible()
    view.year.setFocus()
    qtbot.keyClick(view.year, Qt.Key.Key_G, ALT)  # Edit tar&gets…
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), TargetsDialog),
                    timeout=15000)
    dialog = QApplication.activeModalWidget()
    # Tab order is only walked in the active window: wait until the dialog is it (on a
    # loaded machine the main window may still hold the focus for a moment).
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog
                    and (focused := QApplication.focusWidget()) is not None
                    and dialog.isAncestorOf(focused), timeout=15000)
    check_page(qtbot, dialog, "targets dialog")
    field = dialog.fields[rules.INTERVIEWS_ON_TIME]
    assert field.text() == "95"
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "101")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    error = dialog.errors[rules.INTERVIEWS_ON_TIME]
    assert error.isVisible() and "0 to 100" in error.text()
    assert field.text() == "101"  # what was typed stays
    assert dialog.isVisible()

    field.selectAll()
    qtbot.keyClicks(field, "50")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: view.report.figure(rules.INTERVIEWS_ON_TIME).target == 50,
                    timeout=15000)
    assert cells(view, rules.INTERVIEWS_ON_TIME)[2:4] == ["≥ 50 %", "✓ Good"]


def test_another_year_and_a_refusal_from_the_service(qtbot, window):
    _page, view = open_targets(qtbot, window)
    view.year.setValue(2027)
    qtbot.waitUntil(lambda: view.report is not None and view.report.year == 2027,
                    timeout=15000)
    assert cells(view, rules.CASELOAD_MAX)[1:4] == ["–", "≤ 120", "No figure yet"]
    assert "not begun" in view.through.text()
    dialog = TargetsDialog(view.services, view.runner, view.report, view)
    dialog.open()
    dialog.fields[rules.CASELOAD_MAX].setText("12,5")
    dialog.submit()
    assert "1 to 500" in dialog.errors[rules.CASELOAD_MAX].text()
    assert dialog.fields[rules.CASELOAD_MAX].text() == "12,5"
    dialog.reject()


def test_signing_out_leaves_no_figure_and_starts_on_the_reports(qtbot, window):
    page, view = open_targets(qtbot, window)
    assert view.edit_button.isVisible()
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=15000)
    # Signed out: no figure stays for the next person, who starts on the reports tab.
    assert view.report is None and view.model.rowCount() == 0
    assert page.targets_tabs.currentIndex() == 0
