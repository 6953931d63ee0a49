"""The outcome reports (case exits by reason and by group, employed or studying within
3, 6 and 12 months) against figures worked out by hand on tests/report_fixture.py plus
the job-search periods below. The context day is Tue 24.11.2026 (fx.TODAY)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from app.dto.reports import ReportFilter
from app.models import (
    CaseFacts,
    CoachAssignment,
    Customer,
    JobSearchPeriod,
    case_facts_id,
)
from app.models.coaching import CustomerBarrier, barrier_id
from app.rules.codes import CaseExitReason as R
from tests import report_fixture as fx

# Exits Mon 1.12.2025 - Tue 31.3.2026: across the 1.1.2026 rule change.
WINTER = ReportFilter(date(2025, 12, 1), date(2026, 3, 31))
# Registrations Oct 2025 - Sep 2026, as of 24.11.2026.
COHORTS = ReportFilter(date(2025, 10, 1), date(2026, 9, 30))

# id, customer, opened, closed, reason, tombstoned
PERIODS = (
    # c1 reopened: two periods, both closed in the range, one each side of New Year.
    ("p1", "c1", date(2025, 10, 15), date(2025, 12, 29), R.EMPLOYED_OPEN_MARKET, False),
    ("p2", "c1", date(2026, 1, 12), date(2026, 3, 16), R.STUDIES, False),
    # c2: opened before 1.1.2026, closed after it; reopened in February, still open.
    ("p3", "c2", date(2025, 12, 1), date(2026, 1, 9), R.EMPLOYED_PAY_SUBSIDY, False),
    ("p7", "c2", date(2026, 2, 10), None, None, False),
    # c3: moved away; registered again in September (a cohort not yet complete).
    ("p4", "c3", date(2026, 2, 2), date(2026, 2, 27), R.MOVED_AWAY, False),
    ("p6", "c3", date(2026, 9, 7), None, None, False),
    # c4: self-employed (its coach released at the close), then a period opened on the
    # last day of March, ended exactly 3 months later (30.6.: June has no 31st).
    ("p5", "c4", date(2025, 12, 15), date(2026, 1, 20), R.SELF_EMPLOYED, False),
    ("p9", "c4", date(2026, 3, 31), date(2026, 6, 30), R.EMPLOYED_OPEN_MARKET, False),
    # Tombstoned (a period entered by mistake): counts nowhere.
    ("p8", "c4", date(2026, 1, 5), date(2026, 1, 15), R.OTHER, True),
)


@pytest.fixture
def area(services):
    build(services)
    services.auth.sign_in("lead", "demo")
    return services


def build(services):
    """tests/report_fixture.py with the periods, ages, facts and barriers above."""
    fx.build(services)
    with services.ctx.session_factory.begin() as s:
        for pid, customer, opened, closed, reason, gone in PERIODS:
            s.add(JobSearchPeriod(id=pid, customer_id=customer, opened_on=opened,
                                  closed_on=closed, exit_reason=reason,
                                  deleted_at=fx.TODAY if gone else None))
        for cid, born, since, permit in (
            # c1 turns 30 on 10.3.2026: under 30 at p1's close, not at p2's.
            ("c1", date(1996, 3, 10), date(2026, 7, 26), None),
            # c2 turns 55 on the day p3 closes (9.1.2026): 55 and over.
            ("c2", date(1971, 1, 9), date(2026, 8, 10), None),
            # c3 unemployed since 27.2.2025: 12 months full on the day p4 closes.
            ("c3", date(1985, 5, 5), date(2025, 2, 27), None),
            # c4: first residence permit 1.6.2023, the 3-year period ends 1.6.2026.
            ("c4", None, date(2026, 7, 26), date(2023, 6, 1)),
        ):
            s.execute(update(Customer).where(Customer.id == cid).values(
                birth_date=born, unemployed_since=since, first_residence_permit_on=permit))
        s.add(CaseFacts(id=case_facts_id("c4"), customer_id="c4", partial_work_ability=True))
        # c1: three barriers; c2: two.
        for cid, barriers in (("c1", ("skills", "debt", "health")), ("c2", ("debt", "age"))):
            for b in barriers:
                s.add(CustomerBarrier(id=barrier_id(cid, b), customer_id=cid, barrier=b))
        # c4's coach (Riikka, team 2) was released when p5 closed.
        s.execute(update(Customer).where(Customer.id == "c4").values(coach_id=None))
        s.flush()
        s.add_all([
            CoachAssignment(customer_id="c4", coach_id="staff-coach2", previous_coach_id=None,
                            reason="demo", assigned_at=datetime(2025, 12, 15, 9, tzinfo=UTC)),
            CoachAssignment(customer_id="c4", coach_id=None,
                            previous_coach_id="staff-coach2", reason="demo",
                            assigned_at=datetime(2026, 1, 20, 12, tzinfo=UTC)),
        ])


def run(area, name, f=WINTER, **filters):
    return area.reports.run(name, ReportFilter(f.date_from, f.date_to, **filters))


def by_key(table):
    keys = [c.key for c in table.columns]
    return [dict(zip(keys, row, strict=True)) for row in table.rows]


def test_exits_per_month_by_reason(area):
    table = run(area, "exits_by_reason")
    keys = [c.key for c in table.columns]
    assert keys == ["month", *(r.value for r in R), "total"]
    # "other" is an appointment type and a visit outcome too: the exit reason's title.
    assert table.columns[keys.index("other")].title == "Other reason"
    got = {row["month"]: {k: v for k, v in row.items() if v and k != "month"}
           for row in by_key(table)}
    # December: p1 (29.12.). January: p3 (9.1.) and p5 (20.1.); p8 is tombstoned.
    # February: p4 (27.2.). March: p2 (16.3.).
    assert got == {
        date(2025, 12, 1): {"employed_open_market": 1, "total": 1},
        date(2026, 1, 1): {"employed_pay_subsidy": 1, "self_employed": 1, "total": 2},
        date(2026, 2, 1): {"moved_away": 1, "total": 1},
        date(2026, 3, 1): {"studies": 1, "total": 1},
    }
    assert table.total[0] == "Total" and table.total[-1] == 5
    assert table.total[keys.index("employed_open_market")] == 1  # p9 (30.6.) is out


def test_exits_by_reason_filters_by_point_and_team_at_the_close(area):
    # Ranua: c2 only (p3).
    assert run(area, "exits_by_reason", service_point_id="sp-ran").total[-1] == 1
    # Team 2 (Riikka): c2's p3, and c4's p5 although the close released the coach.
    team2 = run(area, "exits_by_reason", team_id="team-2")
    assert team2.total[-1] == 2
    assert [r[-1] for r in team2.rows] == [0, 2, 0, 0]
    # Team 1 (Pekka): c1's p1 and p2, c3's p4. 3 + 2 = 5: every exit in one team.
    assert run(area, "exits_by_reason", team_id="team-1").total[-1] == 3


def test_exits_by_group(area):
    rows = {row["group"]: row for row in by_key(run(area, "exits_by_group"))}

    def figures(group):
        r = rows[group]
        return (r["exits"], r["employed"], r["studies"], r["other"],
                r["share_employed_or_studying"], r["median_days_to_exit"])

    # Days to exit: p1 15.10.-29.12. 75, p2 12.1.-16.3. 63, p3 1.12.-9.1. 39,
    # p4 2.2.-27.2. 25, p5 15.12.-20.1. 36.
    # All: employed p1, p3, p5; studies p2; other p4 -> 4/5; median of 25 36 39 63 75.
    assert figures("All customers") == (5, 3, 1, 1, 0.8, 39.0)
    # c1 is 29 on 29.12.2025 (p1), 30 on 16.3.2026 (p2).
    assert figures("Under 30") == (1, 1, 0, 0, 1.0, 75.0)
    # c2 turns 55 on 9.1.2026, the day p3 ends.
    assert figures("55 and over") == (1, 1, 0, 0, 1.0, 39.0)
    # c3: 12 months from 27.2.2025 are full on 27.2.2026, the day p4 ends.
    assert figures("Long-term unemployed") == (1, 0, 0, 1, 0.0, 25.0)
    # c4 (p5): partial work ability in the case facts; permit 1.6.2023 + 3 years.
    assert figures("Partial work ability") == (1, 1, 0, 0, 1.0, 36.0)
    assert figures("Integration period") == (1, 1, 0, 0, 1.0, 36.0)
    # c1 (three barriers): p1 and p2, median (63 + 75) / 2; c2's two barriers do not count.
    assert figures("Three or more barriers") == (2, 1, 1, 0, 1.0, 69.0)


def test_exit_figures_add_up_across_the_reports(area):
    for filters in ({}, {"team_id": "team-1"}, {"team_id": "team-2"},
                    {"service_point_id": "sp-rov"}):
        by_reason = run(area, "exits_by_reason", **filters)
        all_row = by_key(run(area, "exits_by_group", **filters))[0]
        keys = [c.key for c in by_reason.columns]
        total = dict(zip(keys, by_reason.total, strict=True))
        assert all_row["exits"] == total["total"], filters
        assert all_row["employed"] == sum(total[r] for r in (
            "employed_open_market", "employed_pay_subsidy", "self_employed")), filters
        assert all_row["studies"] == total["studies"], filters
        assert (all_row["employed"] + all_row["studies"] + all_row["other"]
                == all_row["exits"]), filters


def test_employed_or_studying_within_3_6_and_12_months(area):
    table = run(area, "employed_within", COHORTS)
    got = {r["month"]: (r["registered"], r["within_3"], r["within_6"], r["within_12"])
           for r in by_key(table)}
    # A figure is known once the cohort's last possible day + N months is before
    # 24.11.2026: 3 months for cohorts up to July (31.7. + 3 = 31.10.; 31.8. + 3 =
    # 30.11. is not over), 6 up to April (30.4. + 6 = 30.10.), 12 only October 2025.
    assert got[date(2025, 10, 1)] == (1, 1.0, 1.0, 1.0)  # p1: employed on 29.12.
    assert got[date(2025, 11, 1)] == (0, None, None, None)  # none registered
    # p3 and p5: pay subsidy 9.1., self-employed 20.1., both within 3 months.
    assert got[date(2025, 12, 1)] == (2, 1.0, 1.0, None)
    # p2 (studies 16.3., within 12.1. + 3 months); the tombstoned p8 is not counted.
    assert got[date(2026, 1, 1)] == (1, 1.0, 1.0, None)
    # p4 moved away, p7 still open: 0 of 2, which is known (0 %), not unknown.
    assert got[date(2026, 2, 1)] == (2, 0.0, 0.0, None)
    # p9 opened 31.3., employed 30.6. = 31.3. + 3 months (June has no 31st): within.
    assert got[date(2026, 3, 1)] == (1, 1.0, 1.0, None)
    # p6 opened 7.9.2026: not even 3 months have passed for September.
    assert got[date(2026, 9, 1)] == (1, None, None, None)
    # August: nobody registered and the 3 months not over: unknown.
    assert got[date(2026, 8, 1)] == (0, None, None, None)
    # Totals over the known cohorts: 3 and 6 months 5 of 7 (Oct-Mar), 12 months 1 of 1.
    assert table.total[1:] == (8, 5 / 7, 5 / 7, 1.0)


def test_employed_within_by_team_uses_the_coach_of_the_period(area):
    table = run(area, "employed_within", COHORTS, team_id="team-2")
    got = {r["month"]: r["registered"] for r in by_key(table) if r["registered"]}
    # Team 2: c2 (p3, p7) and c4 (p5 coached by Riikka until its close). c4's p9 began
    # after the release, no coach since: in no team.
    assert got == {date(2025, 12, 1): 2, date(2026, 2, 1): 1}


def test_the_command_line_lists_the_outcome_reports(capsys):
    from app.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["report", "--help"])
    listed = capsys.readouterr().out
    for name in ("exits_by_reason", "exits_by_group", "employed_within"):
        assert name in listed


def test_a_figure_not_yet_known_exports_empty_not_zero(area):
    lines = area.reports.export("employed_within", COHORTS, "csv").decode(
        "utf-8-sig").splitlines()
    september = next(line for line in lines if line.startswith("2026-09"))
    february = next(line for line in lines if line.startswith("2026-02"))
    assert september.split(";") == ["2026-09", "1", "", "", ""]
    assert february.split(";")[:4] == ["2026-02", "2", "0,0", "0,0"]


def test_a_figure_not_yet_known_is_a_gap_in_the_chart_not_zero(area):
    from matplotlib.figure import Figure

    from app.printing.report_charts import PRINT, draw

    table = run(area, "employed_within", COHORTS)
    figure = Figure()
    draw(figure, table, PRINT)
    within_3 = list(figure.axes[0].lines[0].get_ydata())
    months = table.values("month")
    assert math.isnan(within_3[months.index(date(2026, 9, 1))])
    assert within_3[months.index(date(2026, 2, 1))] == 0.0
