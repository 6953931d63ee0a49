"""The reports page as a team lead uses it: key figures, a report's chart and numbers,
filters, exports written off the GUI thread, the PDF, and who sees the page."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt

from app.services.reports import REPORTS
from app.views.application import build_main_window
from app.views.main_window import ROW
from app.views.reports.statistics import StatisticsDialog
from tests import report_fixture as fx
from tests.gui.conftest import sign_in
from tests.gui.test_accessibility import check_page


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


def open_reports(qtbot, win):
    win.login.username.setText("lead")
    win.login.password.setText("demo")
    win.login.button.click()
    qtbot.waitUntil(lambda: win.actor is not None, timeout=10000)
    win.nav.setCurrentRow(ROW["reports"])
    page = win.page("reports").page  # built on first showing (matplotlib)
    qtbot.waitUntil(lambda: page.table is not None and page.figures is not None,
                    timeout=15000)
    return page


def test_lead_sees_key_figures_and_a_report(qtbot, window):
    page = open_reports(qtbot, window)
    # The default range (twelve weeks up to 24.11.2026) holds every fixture visit.
    assert page.cards["visits"].value.text() == "9"
    assert page.cards["satisfied"].value.text() == "40.0 %"  # 2 of 5 answers
    assert page.cards["overdue"].value.text() == "2"
    assert page.model.rowCount() == 12 + 1  # twelve weeks and the total
    assert page.chart.figure.axes, "the chart is drawn"
    check_page(qtbot, page, "reports")


def test_choosing_a_report_and_filtering(qtbot, window):
    page = open_reports(qtbot, window)
    page.report_list.setCurrentRow(list(REPORTS).index("no_shows_by_point"))
    qtbot.waitUntil(lambda: page.table.name == "no_shows_by_point", timeout=10000)
    assert not page.statistics_button.isVisible()
    page.date_from.setDate(QDate(2026, 11, 2))
    page.date_to.setDate(QDate(2026, 11, 15))
    qtbot.waitUntil(lambda: page.filter.date_to == date(2026, 11, 15)
                    and page.table.total[1] == 5, timeout=10000)
    index = page.model.index(page.model.rowCount() - 1, 3)
    assert page.model.data(index) == "40.0 %"
    page.point.setCurrentIndex(page.point.findData("sp-ran"))
    qtbot.waitUntil(lambda: page.table.total[1] == 2, timeout=10000)


def test_end_before_start_is_shown_next_to_the_dates(qtbot, window):
    page = open_reports(qtbot, window)
    page.date_to.setDate(QDate(2026, 1, 1))
    assert page.date_error.isVisible()
    assert "before" in page.date_error.text()


def test_csv_and_pdf_exports_are_written(qtbot, window, tmp_path, monkeypatch):
    page = open_reports(qtbot, window)
    target = tmp_path / "visits.csv"
    monkeypatch.setattr(page, "ask_path", lambda *_a: str(target))
    page.csv_button.click()
    qtbot.waitUntil(target.exists, timeout=10000)
    qtbot.waitUntil(lambda: "Saved" in page.message.text(), timeout=10000)
    lines = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig")),
                            delimiter=";"))
    assert lines[-1][-1] == "9"
    pdf = tmp_path / "reports.pdf"
    monkeypatch.setattr(page, "ask_path", lambda *_a: str(pdf))
    page.pdf_button.click()
    qtbot.waitUntil(lambda: pdf.exists() and "Saved" in page.message.text(), timeout=30000)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Visits per week by service point" in text
    assert "Municipal split" in text


def test_municipal_statistics_are_edited_in_a_dialog(qtbot, window):
    page = open_reports(qtbot, window)
    page.report_list.setCurrentRow(list(REPORTS).index("municipal_split"))
    qtbot.waitUntil(lambda: page.table.name == "municipal_split", timeout=10000)
    assert page.statistics_button.isVisible()
    page.statistics_button.click()
    qtbot.waitUntil(lambda: page.findChild(StatisticsDialog) is not None, timeout=10000)
    dialog = page.findChild(StatisticsDialog)
    dialog.fields[0][0].setValue(900)
    dialog.fields[0][1].setValue(80)
    dialog.fields[1][0].setValue(100)
    dialog.fields[1][1].setValue(20)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: page.table.rows[0][1] == pytest.approx(0.85), timeout=10000)


def test_coach_does_not_see_reports(qtbot, window):
    sign_in(qtbot, window, "coach")
    assert window.nav.isRowHidden(ROW["reports"])


def test_the_current_week_reads_as_so_far_in_the_table_chart_and_note(qtbot, window):
    """Fault 7 of issue 18: the current, incomplete week (fx.TODAY is a Tuesday) looked
    like a full one, so a short bar read as a collapse."""
    page = open_reports(qtbot, window)
    last, before = page.model.rowCount() - 2, page.model.rowCount() - 3  # above the total
    cell = page.model.index(last, 0)
    assert page.model.data(cell).endswith("(so far)")
    assert page.model.data(cell, Qt.ItemDataRole.FontRole).italic()
    assert not page.model.data(page.model.index(before, 0)).endswith(")")
    assert page.note.isVisible() and "Week 48 is not over" in page.note.text()
    ax = page.chart.figure.axes[0]
    hatched = {round(p.get_x() + p.get_width() / 2) for c in ax.containers for p in c
               if p.get_hatch()}
    assert hatched == {last}
    assert any(t.get_text() == "so far" for t in ax.texts)
    # A range of whole past weeks: nothing marked, no note.
    page.date_from.setDate(QDate(2026, 11, 2))
    page.date_to.setDate(QDate(2026, 11, 15))
    qtbot.waitUntil(lambda: page.filter.date_to == date(2026, 11, 15)
                    and page.model.rowCount() == 3, timeout=10000)
    assert not page.model.data(page.model.index(1, 0)).endswith(")")
    assert not page.note.isVisible()


def test_feedback_opens_with_the_reports_period(qtbot, window):
    page = open_reports(qtbot, window)
    window.nav.setCurrentRow(ROW["feedback"])
    feedback = window.page("feedback")
    qtbot.waitUntil(lambda: window.pages.currentWidget() is feedback, timeout=15000)
    assert (feedback.start.date(), feedback.end.date()) == (
        page.date_from.date(), page.date_to.date()) == (QDate(2026, 9, 7), QDate(2026, 11, 24))


def test_signing_out_leaves_no_figures_and_no_comment_search(qtbot, window):
    """Issue 18, fault 5: the lead's figures stayed on Reports, and the lead's words in
    Feedback's comment search filtered the next person's list."""
    page = open_reports(qtbot, window)
    assert page.cards["visits"].value.text() == "9"
    window.nav.setCurrentRow(ROW["feedback"])
    feedback = window.page("feedback")
    qtbot.keyClicks(feedback.search, "odotus")
    window.session.sign_out()
    assert page.figures is None and page.table is None
    assert page.cards["visits"].value.text() == "–"
    assert page.model.rowCount() == 0
    assert feedback.search.text() == "" and not feedback.search.isUndoAvailable()
