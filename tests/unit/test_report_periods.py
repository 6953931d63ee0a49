"""Fault 7 of issue 18: the current, incomplete week was drawn and listed as a full one
(580 against about 1,225 read as a collapse). Now a week or month not counted whole is
marked: hatched and labelled "so far" in the chart, "(so far)" in the table, explained in
the note. And Reports and Feedback open with the same period."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from matplotlib.figure import Figure

from app.dto.report_display import partial_note, text_rows
from app.dto.reports import ReportFilter
from app.printing.report_charts import PRINT, draw
from app.services.reports.periods import default_period, partial_periods, period_end
from tests import report_fixture as fx

WEDNESDAY = date(2026, 12, 2)


@pytest.fixture
def area(services):
    fx.build(services)
    services.auth.sign_in("lead", "demo")
    return services


@pytest.mark.parametrize("today", [date(2026, 11, 30) + timedelta(days=n) for n in range(7)])
def test_the_default_period_is_twelve_weeks_from_a_monday_to_today(today):
    start, end = default_period(today)
    assert end == today
    assert start.weekday() == 0 and start == date(2026, 9, 14)  # 11 weeks before 30.11.


def test_period_end_of_weeks_and_months():
    assert period_end(date(2026, 11, 30), "week") == date(2026, 12, 6)
    assert period_end(date(2026, 2, 1), "month") == date(2026, 2, 28)
    assert period_end(date(2026, 12, 1), "month") == date(2026, 12, 31)


def test_the_current_week_is_marked_in_progress(area):
    f = ReportFilter(*default_period(WEDNESDAY))
    table = area.reports.run("visits_by_point", f, replace(area.reports.inputs(),
                                                           today=WEDNESDAY))
    assert len(table.rows) == 12
    (partial,) = table.partial
    assert partial.row == 11 and partial.in_progress
    assert (partial.first, partial.last) == (date(2026, 11, 30), WEDNESDAY)
    assert table.partial_row(10) is None


def test_run_marks_with_the_context_clock(area):
    """fx.TODAY is Tuesday 24.11.2026: the default range's last week is in progress."""
    table = area.reports.run("visits_by_channel", area.reports.default_filter())
    assert [(p.row, p.in_progress) for p in table.partial] == [(11, True)]


def test_months_cut_by_the_range_and_the_current_month(area):
    f = ReportFilter(date(2026, 9, 7), WEDNESDAY)
    table = area.reports.run("hundred_days", f, replace(area.reports.inputs(),
                                                        today=WEDNESDAY))
    marked = {p.row: p for p in table.partial}
    assert sorted(marked) == [0, 3]  # September from the 7th, December so far
    assert not marked[0].in_progress and marked[0].first == date(2026, 9, 7)
    assert marked[3].in_progress and marked[3].last == WEDNESDAY


def test_a_past_range_of_whole_weeks_has_nothing_marked(area):
    table = area.reports.run("visits_by_point", fx.NOVEMBER)  # 2.–15.11., whole weeks
    assert table.partial == ()
    assert partial_periods(table, fx.NOVEMBER, fx.TODAY.date()) == ()


def test_reports_without_periods_are_never_marked(area):
    table = area.reports.run("waiting_times", area.reports.default_filter())
    assert table.partial == ()


def test_the_table_and_the_note_say_so_far(area):
    f = ReportFilter(*default_period(WEDNESDAY))
    table = area.reports.run("visits_by_point", f, replace(area.reports.inputs(),
                                                           today=WEDNESDAY))
    rows = text_rows(table, "en")
    assert rows[11][0].endswith("(so far)")
    assert "(" not in rows[10][0]
    assert rows[-1][0] == "Total"
    note = partial_note(table, "en")
    assert note.startswith("Hatched bars") and "Week 49 is not over" in note
    assert partial_note(area.reports.run("visits_by_point", fx.NOVEMBER), "en") == ""


def test_the_chart_hatches_the_incomplete_week(area):
    f = ReportFilter(*default_period(WEDNESDAY))
    table = area.reports.run("visits_by_point", f, replace(area.reports.inputs(),
                                                           today=WEDNESDAY))
    figure = Figure()
    draw(figure, table, PRINT, "en")
    ax = figure.axes[0]
    bars = [patch for container in ax.containers for patch in container]
    hatched = {round(p.get_x() + p.get_width() / 2) for p in bars if p.get_hatch()}
    assert hatched == {11}
    assert any(t.get_text() == "so far" for t in ax.texts)


def test_the_spreadsheet_says_so_too(area):
    import io

    from openpyxl import load_workbook

    from app.services.reports.export import to_xlsx

    f = ReportFilter(*default_period(WEDNESDAY))
    table = area.reports.run("visits_by_point", f, replace(area.reports.inputs(),
                                                           today=WEDNESDAY))
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet["A14"].value == date(2026, 11, 30) or sheet["A14"].value.date() == date(
        2026, 11, 30)  # still a date the spreadsheet can compute with
    assert sheet["A14"].font.italic and not sheet["A13"].font.italic
    texts = [row[0].value for row in sheet.iter_rows() if isinstance(row[0].value, str)]
    # The note in the UI language (Finnish here): the week by its number.
    assert any(partial_note(table) == t and "49" in t for t in texts)
