"""The Reports page's "Export quarter for the ministry…" (#25) driven by keyboard: the
dialog opens on the last complete quarter, the quarter and the format are chosen with
keys, the file is written off the GUI thread and read back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.views.application import build_main_window
from app.views.reports.quarterly_dialog import QuarterlyDialog
from tests import report_fixture as fx
from tests.gui.test_accessibility import check_page
from tests.gui.test_reports_view import open_reports

NOW = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)  # the fourth quarter of 2026 is over


@pytest.fixture
def window(qapp, qtbot, services):
    fx.build(services)
    services.ctx.now = lambda: NOW
    win, runner = build_main_window(qapp, services, "en")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    runner.wait()
    win.preferences.switcher.switch("fi")


def open_dialog(qtbot, page) -> QuarterlyDialog:
    button = page.quarterly_button
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus and button.accessibleName()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus, timeout=15000)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.findChild(QuarterlyDialog) is not None, timeout=15000)
    dialog = page.findChild(QuarterlyDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=15000)
    return dialog


def test_the_quarter_is_exported_by_keyboard(qtbot, window, tmp_path, monkeypatch):
    page = open_reports(qtbot, window)
    target = tmp_path / "quarter.csv"
    asked: list[str] = []

    def ask(_self, _caption, suggested, _kinds):
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(QuarterlyDialog, "ask_path", ask)
    dialog = open_dialog(qtbot, page)
    # The last complete quarter on 20.1.2027, the whole area, a PDF by default.
    assert (dialog.year.value(), dialog.quarter.currentData()) == (2026, 4)
    assert dialog.point.currentData() is None and dialog.team.currentData() is None
    assert dialog.format.currentData() == "pdf"
    for field in (dialog.year, dialog.quarter, dialog.point, dialog.team, dialog.format,
                  dialog.export_button):
        assert field.accessibleName(), field.objectName()
    # Year: keep it; the quarter: the third, then back to the fourth; the format: CSV.
    assert dialog.year.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.quarter.hasFocus()
    qtbot.keyClick(dialog.quarter, Qt.Key.Key_Up)
    assert dialog.quarter.currentData() == 3
    qtbot.keyClick(dialog.quarter, Qt.Key.Key_Down)
    for _n in range(3):  # the service point, the team, the format
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.format.hasFocus()
    qtbot.keyClick(dialog.format, Qt.Key.Key_End)
    assert dialog.format.currentData() == "csv"
    qtbot.keyClick(dialog.format, Qt.Key.Key_Return)  # the default button: Export…
    qtbot.waitUntil(lambda: target.exists() and "Saved" in page.message.text(),
                    timeout=30000)
    assert asked and asked[0].endswith(".csv") and "2026-Q4" in asked[0]
    qtbot.waitUntil(lambda: page.findChild(QuarterlyDialog) is None, timeout=15000)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][4:8] == ["October 2026", "November 2026", "December 2026",
                            "Quarter 4/2026"]
    visits = next(r for r in rows if r[-1] == "visits_by_channel")
    assert visits[4:8] == ["0", "9", "0", "9"]  # every fixture visit is in November


def test_a_quarter_not_begun_is_refused_in_the_dialog(qtbot, window, tmp_path, monkeypatch):
    page = open_reports(qtbot, window)
    monkeypatch.setattr(QuarterlyDialog, "ask_path",
                        lambda *_a: pytest.fail("no file is asked for"))
    dialog = open_dialog(qtbot, page)
    check_page(qtbot, dialog, "quarterly dialog")
    dialog.quarter.setCurrentIndex(1)  # 2027: the year is at most this one
    dialog.year.setFocus()
    qtbot.waitUntil(dialog.year.hasFocus, timeout=15000)
    qtbot.keyClick(dialog.year, Qt.Key.Key_Up)
    assert dialog.year.value() == 2027
    # Enter exports even after Tab went round the buttons (Cancel is never the default).
    qtbot.keyClick(dialog.year, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15000)
    assert "not begun" in dialog.error.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.findChild(QuarterlyDialog) is None, timeout=15000)
