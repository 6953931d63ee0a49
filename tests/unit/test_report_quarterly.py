"""The quarterly export for the ministry and the ELY centre (#25): its figures worked out
by hand on tests/report_fixture.py (visits and feedback in November 2026) plus three
job-search periods in the fourth quarter, every figure equal to its source report's for
the same month or quarter, the CSV, XLSX and PDF read back in Finnish and Swedish, and
the export audited without personal data.

The context day is Thu 15.4.2027 unless a test says so: the fourth quarter of 2026 is
over and its cohorts' three months have passed."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.dto.quarterly import last_complete_quarter, quarter_range
from app.dto.reports import ReportFilter
from app.models import AuditEvent, JobSearchPeriod
from app.rules.codes import CaseExitReason as R
from app.services.errors import ValidationFailed
from app.services.reports import REPORTS
from tests import report_fixture as fx

NOW = datetime(2027, 4, 15, 9, 0, tzinfo=UTC)
OCT, NOV, DEC = (ReportFilter(date(2026, m, 1), date(2026, m, d))
                 for m, d in ((10, 31), (11, 30), (12, 31)))
Q4 = ReportFilter(date(2026, 10, 1), date(2026, 12, 31))

# id, customer, opened, closed, reason
PERIODS = (
    ("q1", "c1", date(2026, 10, 5), date(2026, 11, 20), R.EMPLOYED_OPEN_MARKET),
    ("q2", "c2", date(2026, 11, 2), None, None),
    ("q3", "c3", date(2026, 12, 1), date(2026, 12, 15), R.STUDIES),
)


@pytest.fixture
def area(services):
    fx.build(services)
    with services.ctx.session_factory.begin() as s:
        for pid, cid, opened, closed, reason in PERIODS:
            s.add(JobSearchPeriod(id=pid, customer_id=cid, opened_on=opened, closed_on=closed,
                                  exit_reason=reason))
    services.ctx.now = lambda: NOW
    services.auth.sign_in("lead", "demo")
    return services


def figures(report) -> dict[str, tuple]:
    return {i.key: i.values for i in report.indicators}


def test_quarters():
    assert quarter_range(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_range(2028, 1) == (date(2028, 1, 1), date(2028, 3, 31))
    assert last_complete_quarter(date(2027, 1, 1)) == (2026, 4)
    assert last_complete_quarter(date(2026, 12, 31)) == (2026, 3)
    assert last_complete_quarter(date(2028, 2, 29)) == (2027, 4)


def test_figures_by_hand(area):
    report = area.reports.quarterly(2026, 4)
    assert report.months == (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1))
    assert report.filter == Q4 and report.counted_to is None
    got = figures(report)
    # Visits (tests/report_fixture.py): all nine in November local time (v7 at 23.30 on
    # 1.11., v8 at 0.30 on 16.11.); three by phone (v2, v7, v8), one by video (v6).
    assert got["visits.total"] == (0, 9, 0, 9)
    assert got["visits.phone"] == (0, 3, 0, 3)
    assert got["visits.video"] == (0, 1, 0, 1)
    # Feedback: f5 (score 1) on 30.10., f1-f4 (5, 4, 2, 3) in November: 2 of 4 satisfied;
    # the quarter 2 of 5, not the mean of 0 % and 50 %.
    assert got["feedback.answers"] == (1, 4, 0, 5)
    assert got["feedback.satisfied"] == (0.0, 0.5, None, pytest.approx(0.4))
    # New job seekers: one period opened in each month.
    assert got["registered"] == (1, 1, 1, 3)
    # Exits: c1 employed 20.11., c3 to studies 15.12.
    assert got["exits.total"] == (0, 1, 1, 2)
    assert got["exits.employed_open_market"] == (0, 1, 0, 1)
    assert got["exits.studies"] == (0, 0, 1, 1)
    # Employed or studying within 3 months of the start: October's c1 yes (20.11.),
    # November's c2 no (still open), December's c3 yes (15.12.): 2 of 3 in the quarter.
    # Six months after December (30.6.2027) are not over on 15.4.2027: not known.
    assert got["employed_within.3"] == (1.0, 0.0, 1.0, pytest.approx(2 / 3))
    assert got["employed_within.6"][2:] == (None, None)
    # Caseloads: active customers today (c1 c3 the coach's, c2 Riikka's; c4 closed),
    # a figure of the day the export is made, not of a month.
    assert got["caseloads.customers"] == (None, None, None, 3)


def test_every_figure_is_its_source_reports_figure(area):
    report = area.reports.quarterly(2026, 4)
    sources = {i.source for i in report.indicators}
    assert {"visits_by_channel", "employed_within", "caseloads", "initial_interviews_on_time",
            "job_search_conversations_on_time", "plan_reviews_on_time", "exits_by_reason",
            "feedback", "purchased_effect", "purchased_euros"} <= sources
    # The activation and integration plans are in as soon as their reports exist.
    assert {n for n in ("activation_plans_on_time", "integration_plans_on_time")
            if n in REPORTS} <= sources
    assert sources <= set(REPORTS)
    got = figures(report)
    for n, f in enumerate((OCT, NOV, DEC, Q4)):
        visits = area.reports.run("visits_by_channel", f)
        assert got["visits.total"][n] == visits.total[visits.column("total")]
        exits = area.reports.run("exits_by_reason", f)
        assert got["exits.total"][n] == exits.total[exits.column("total")]
        for name in ("initial_interviews_on_time", "plan_reviews_on_time"):
            table = area.reports.run(name, f)
            everyone = next(r for r in table.rows if str(r[0]) == "All customers")
            assert got[f"{name}.share_on_time"][n] == everyone[table.column("share_on_time")]
            assert got[f"{name}.due"][n] == everyone[table.column("due")]
        euros = area.reports.run("purchased_euros", f)
        assert got["euros.total"][n] == euros.total[euros.column("total_eur")]
    # Counts of things in a period add up over the months.
    for key in ("visits.total", "registered", "exits.total", "feedback.answers",
                "initial_interviews_on_time.due", "plan_reviews_on_time.due"):
        assert sum(got[key][:3]) == got[key][3], key


def test_team_and_point_are_respected(area):
    report = area.reports.quarterly(2026, 4, service_point_id="sp-ran")
    assert report.service_point == "Ranua" and report.team is None
    # Ranua: v4 and v8 in November.
    assert figures(report)["visits.total"] == (0, 2, 0, 2)
    assert figures(area.reports.quarterly(2026, 4, team_id="team-2"))["visits.total"] == \
        (0, 2, 0, 2)


def test_a_quarter_must_have_begun_and_one_going_on_says_so(area):
    with pytest.raises(ValidationFailed):
        area.reports.quarterly(2026, 5)
    with pytest.raises(ValidationFailed):
        area.reports.quarterly(2027, 3)  # begins 1.7.2027, after 15.4.2027
    report = area.reports.quarterly(2027, 2)  # 1.4.-30.6.2027, on 15.4.2027
    assert report.counted_to == date(2027, 4, 15)


def test_a_share_not_yet_known_for_every_month_leaves_the_quarter_empty(area):
    """On 10.3.2027 the three months after October and November have passed, after
    December not: the quarter's share would be October and November's only, so it is
    left empty rather than read as the whole quarter's."""
    area.ctx.now = lambda: datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
    got = figures(area.reports.quarterly(2026, 4))
    assert got["employed_within.3"] == (1.0, 0.0, None, None)


def test_months_not_yet_begun_have_no_figure(area):
    area.ctx.now = lambda: datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    got = figures(area.reports.quarterly(2026, 4))
    assert got["visits.total"][0] == 0 and got["visits.total"][2] is None
    assert got["registered"][2] is None


def test_csv_and_xlsx(area):
    report = area.reports.quarterly(2026, 4)
    data = area.reports.export_quarterly(report, "csv", "fi")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][4:8] == ["Lokakuu 2026", "Marraskuu 2026", "Joulukuu 2026", rows[0][7]]
    by_key = {r[-1] + "/" + r[2]: r for r in rows[1:]}
    satisfied = next(r for r in rows[1:] if r[-1] == "feedback" and r[3] == "%")
    assert satisfied[4:8] == ["0,0", "50,0", "", "40,0"]  # percent numbers, decimal comma
    assert any(k.startswith("visits_by_channel/") for k in by_key)
    assert len(rows) == 1 + len(report.indicators)

    book = load_workbook(io.BytesIO(area.reports.export_quarterly(report, "xlsx", "sv")))
    sheet = book.active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(cells) if row[7] and "2026" in str(row[7]))
    assert cells[header][4] == "Oktober 2026"
    figure_rows = {(row[-1], row[2]): sheet[header + 2 + n]  # (sheet rows count from 1)
                   for n, row in enumerate(cells[header + 1: header + 1 + len(report.indicators)])}
    satisfied_cells = next(r for (source, _d), r in figure_rows.items()
                           if source == "feedback" and r[4].number_format == "0.0 %")
    assert [c.value for c in satisfied_cells[4:8]] == [0.0, 0.5, None, pytest.approx(0.4)]


@pytest.mark.parametrize(("lang", "month", "source", "role", "satisfied"), [
    ("fi", "Marraskuu 2026", "Käynnit viikoittain kanavan mukaan", "Palveluvastaava",
     "40,0 %"),
    ("sv", "November 2026", "Besök per vecka efter kanal", "Serviceansvarig", "40,0 %"),
])
def test_pdf_reads_in_the_users_language(area, lang, month, source, role, satisfied):
    report = area.reports.quarterly(2026, 4)
    pdf = PdfReader(io.BytesIO(area.reports.export_quarterly(report, "pdf", lang)))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert month in text and source in text and satisfied in text
    # Made when (the context clock, local time) and by which role, never by whom.
    assert "15.4.2027" in text and role in text
    assert "Liisa" not in text and "Lead" not in text
    assert len(pdf.pages) >= 2  # the indicators, then the charts


def test_export_is_audited_without_personal_data(area):
    report = area.reports.quarterly(2026, 4, service_point_id="sp-ran")
    area.reports.export_quarterly(report, "pdf", "fi")
    with area.ctx.session_factory() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")
                          .order_by(AuditEvent.at.desc())).first()
    assert event is not None and event.staff_id == "staff-lead"
    assert json.loads(event.detail) == {
        "report": "quarterly", "format": "pdf", "from": "2026-10-01", "to": "2026-12-31",
        "service_point": "sp-ran", "team": None}


def test_the_command_line_writes_the_quarter(area, tmp_path, capsys):
    from app import cli

    if date.today() < Q4.date_from:  # the command line runs on the wall clock
        pytest.skip("the fourth quarter of 2026 has not begun on this machine's clock")
    db = tmp_path / "desk.sqlite3"
    out = tmp_path / "q.csv"
    code = cli.main(["report", "quarterly", "--year", "2026", "--quarter", "4", "--format",
                     "csv", "--out", str(out), "--db", str(db), "--lang", "sv"])
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
    visits = next(r for r in rows if r[-1] == "visits_by_channel")
    assert visits[4:8] == ["0", "9", "0", "9"]
    assert "quarterly" in cli.build_parser()._subparsers._group_actions[0].choices[
        "report"].format_help()


def test_a_statutory_report_not_in_the_catalogue_is_left_out(area, monkeypatch):
    # The activation and integration plans came with their own reports: the export
    # takes every statutory step report the catalogue has, and only those.
    monkeypatch.delitem(REPORTS, "integration_plans_on_time", raising=False)
    keys = {i.key for i in area.reports.quarterly(2026, 4).indicators}
    assert not any(k.startswith("integration_plans_on_time.") for k in keys)
    assert "plan_reviews_on_time.share_on_time" in keys
    if "activation_plans_on_time" in REPORTS:
        assert "activation_plans_on_time.share_on_time" in keys


def test_text_for_the_terminal(area):
    report = area.reports.quarterly(2026, 4)
    text = area.reports.export_quarterly(report, "text", "sv").decode()
    visits = next(line for line in text.splitlines() if line.endswith("visits_by_channel"))
    assert visits.split()[-5:-1] == ["0", "9", "0", "9"]
    assert "Oktober 2026" in text
