"""The drill-down (#25) of the activity reports: the customers behind the visits per
week, the no-shows and the municipal split, against tests/report_fixture.py worked out by
hand. A count of visits or of missed appointments is not a count of customers: there the
members are the distinct customers of those visits or appointments (anonymous visits
have none). The municipal split's customers column counts customers: there the members
are exactly as many as the figure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.dto.reports import ReportTable
from app.services.reports.members import TOTAL_ROW
from tests import report_fixture as fx

STATS = {"year": 2024, "municipalities": [
    {"name": "Rovaniemi", "working_age": 900, "broad_unemployment": 80},
    {"name": "Ranua", "working_age": 100, "broad_unemployment": 20},
]}


@pytest.fixture
def area(services):
    fx.build(services)
    services.auth.sign_in("lead", "demo")
    return services


def run(area, name, **changes) -> ReportTable:
    return area.reports.run(name, replace(fx.NOVEMBER, **changes))


def figure(table: ReportTable, row: int, key: str):
    values = table.total if row == TOTAL_ROW else table.rows[row]
    assert values is not None
    return values[table.column(key)]


def who(table: ReportTable, row: int, key: str) -> list[str]:
    return sorted(table.members_of(row, key))


def test_visits_per_week_members_are_the_distinct_customers_of_the_visits(area):
    table = run(area, "visits_by_point")
    # Week of 2.11.: v1 and v2 (c1) and the anonymous v3 at Rovaniemi: 3 visits, 1 customer.
    assert figure(table, 0, "point_ROV") == 3
    assert who(table, 0, "point_ROV") == ["c1"]
    assert who(table, 0, "point_RAN") == []
    assert who(table, 0, "total") == ["c1"]
    # Week of 9.11.: v5 (c3), v6 (c1), anonymous v9 at Rovaniemi; v4 (c2) at Ranua.
    assert who(table, 1, "point_ROV") == ["c1", "c3"]
    assert who(table, 1, "point_RAN") == ["c2"]
    assert who(table, 1, "total") == ["c1", "c2", "c3"]
    assert who(table, TOTAL_ROW, "point_ROV") == ["c1", "c3"]
    assert who(table, TOTAL_ROW, "total") == ["c1", "c2", "c3"]
    assert figure(table, TOTAL_ROW, "total") == 7  # seven visits by three customers
    # Never more members than visits, and none where there were no visits.
    for (row, key), ids in table.members.items():
        assert 0 < len(ids) <= figure(table, row, key)
        assert len(set(ids)) == len(ids)

    channel = run(area, "visits_by_channel")
    assert who(channel, 0, "phone") == ["c1"]  # v2
    assert who(channel, 1, "video") == ["c1"]  # v6
    assert who(channel, 0, "service_point") == ["c1"]  # v1 and the anonymous v3
    by_area = run(area, "visits_by_area")
    assert who(by_area, 1, "skills") == ["c1", "c3"]  # v5, v6
    assert who(by_area, TOTAL_ROW, "information") == []  # anonymous only

    # Filtered to Ranua: c2's one visit, no one else.
    ranua = run(area, "visits_by_point", service_point_id="sp-ran")
    assert who(ranua, TOTAL_ROW, "total") == ["c2"]


def test_no_show_members_are_the_customers_who_did_not_come(area):
    by_point = run(area, "no_shows_by_point")
    # a4 at Ranua (row 0) and a2 at Rovaniemi (row 1), both c1's: two no-shows, one
    # customer behind the total.
    assert [figure(by_point, r, "no_shows") for r in (0, 1, TOTAL_ROW)] == [1, 1, 2]
    assert who(by_point, 0, "no_shows") == ["c1"]
    assert who(by_point, 1, "no_shows") == ["c1"]
    assert who(by_point, TOTAL_ROW, "no_shows") == ["c1"]
    assert {key for _row, key in by_point.members} == {"no_shows"}
    by_worker = run(area, "no_shows_by_worker", team_id="team-2")
    assert figure(by_worker, 0, "no_shows") == 1
    assert who(by_worker, 0, "no_shows") == ["c1"]
    # A period without no-shows has no members.
    quiet = run(area, "no_shows_by_point", date_from=date(2026, 11, 11))
    assert quiet.members == {}


def test_municipal_split_members_are_exactly_the_customers_counted(area):
    area.reports.set_statistics(STATS)
    table = run(area, "municipal_split")
    rows = {str(r[0]): i for i, r in enumerate(table.rows)}
    assert who(table, rows["Rovaniemi"], "customers") == ["c1"]
    assert who(table, rows["Ranua"], "customers") == ["c2"]
    assert who(table, rows["Other municipalities"], "customers") == ["c3"]
    assert who(table, TOTAL_ROW, "customers") == ["c1", "c2", "c3"]
    for row in [*range(len(table.rows)), TOTAL_ROW]:
        assert len(table.members_of(row, "customers")) == figure(table, row, "customers")
    assert {key for _row, key in table.members} == {"customers"}
